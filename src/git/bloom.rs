//! git's changed-path Bloom filters, read from the commit-graph.
//!
//! `git commit-graph write --changed-paths` stores, for each commit, a Bloom
//! filter of the paths (and every leading directory of them) its diff
//! against its first parent touched. A filter that does not hold a path
//! proves the commit left it alone, so the path rules skip reading that
//! commit's root trees at all: on a long history where the roadmap changed
//! a few hundred times, almost every tree read goes. A filter can only say
//! "maybe": those commits are diffed as before. Filters are used only from
//! a graph whose checksums verify ([`super::graph`]), and never for a path
//! with non-ASCII bytes under version 1 filters (whose hash differs from
//! version 2 there).

use std::path::Path;

/// `git`'s seeds for the two base hashes of a key.
const SEEDS: [u32; 2] = [0x293a_e76f, 0x7e64_6e2c];
/// Largest graph file whose filters are read: far above any real one.
const MAX_GRAPH_BYTES: u64 = 1 << 30;
/// The BDAT chunk's header: hash version, number of hashes, bits per entry.
const BDAT_HEADER: usize = 12;

/// The filters of one graph file (one layer of a chain).
struct Layer {
    /// Graph position of its first commit.
    start: u32,
    /// Its commits.
    count: u32,
    /// The whole file.
    data: Vec<u8>,
    /// Where its BIDX chunk starts.
    bidx: usize,
    /// Where the filters start (after the BDAT header), and end.
    bdat: (usize, usize),
    /// Filter hash version (1 or 2) and hashes per key.
    version: u32,
    hashes: u32,
}

/// The changed-path filters of a commit-graph.
pub(crate) struct Blooms {
    layers: Vec<Layer>,
}

/// A path's keys: the base hash pair of the path and of each leading
/// directory.
pub(crate) struct Keys {
    pairs: Vec<(u32, u32)>,
    ascii: bool,
}

impl Blooms {
    /// The filters under the objects directory's `info`, when every file of
    /// the graph has them (otherwise `None`: the caller diffs trees).
    pub(crate) fn load(info: &Path, hash_len: usize) -> Option<Blooms> {
        let single = info.join("commit-graph");
        let files = if single.is_file() {
            vec![single]
        } else {
            let dir = info.join("commit-graphs");
            let chain =
                crate::bounded::read_capped(&dir.join("commit-graph-chain"), 256 * 42, false)
                    .ok()?;
            String::from_utf8(chain)
                .ok()?
                .lines()
                .map(|h| dir.join(format!("graph-{}.graph", h.trim())))
                .collect()
        };
        let mut layers = Vec::new();
        let mut start = 0u32;
        for f in files {
            let data = crate::bounded::read_capped(&f, MAX_GRAPH_BYTES, false).ok()?;
            let layer = Layer::parse(data, start, hash_len)?;
            start = start.checked_add(layer.count)?;
            layers.push(layer);
        }
        (!layers.is_empty()).then_some(Blooms { layers })
    }

    /// Whether the commit at graph position `pos` certainly did not change
    /// the path of `keys` (relative to its first parent).
    pub(crate) fn unchanged(&self, pos: u32, keys: &Keys) -> bool {
        let Some(layer) = self
            .layers
            .iter()
            .find(|l| pos >= l.start && pos - l.start < l.count)
        else {
            return false;
        };
        if layer.version != 2 && !keys.ascii {
            return false;
        }
        let Some(filter) = layer.filter(pos - layer.start) else {
            return false;
        };
        let bits = filter.len() as u64 * 8;
        if bits == 0 {
            return false;
        }
        keys.pairs.iter().any(|&(h0, h1)| {
            (0..layer.hashes).any(|i| {
                let bit = u64::from(h0.wrapping_add(i.wrapping_mul(h1))) % bits;
                filter[(bit / 8) as usize] & (1 << (bit % 8)) == 0
            })
        })
    }
}

/// The filters of `git`'s commit-graph, when it is enabled, sound, and
/// carries them (and `commitGraph.readChangedPaths` is not off).
pub(crate) fn for_repo(git: &super::repo::GitRepo) -> Option<Blooms> {
    git.commit_graph()?;
    let repo = &git.repo;
    if repo
        .config_snapshot()
        .boolean("commitGraph.readChangedPaths")
        == Some(false)
    {
        return None;
    }
    let info = repo.objects.store_ref().path().join("info");
    Blooms::load(&info, repo.object_hash().len_in_bytes())
}

impl Keys {
    /// The keys of a repository path (`a/b/c.toml`, or a directory `a/b/`);
    /// `None` for the root (`/` or empty), which every change touches.
    pub(crate) fn of(path: &str) -> Option<Keys> {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return None;
        }
        let mut pairs = Vec::new();
        let mut end = 0;
        loop {
            let next = path[end..].find('/').map(|i| end + i);
            let prefix = &path.as_bytes()[..next.unwrap_or(path.len())];
            pairs.push((murmur3(SEEDS[0], prefix), murmur3(SEEDS[1], prefix)));
            match next {
                Some(i) => end = i + 1,
                None => break,
            }
        }
        Some(Keys {
            pairs,
            ascii: path.is_ascii(),
        })
    }
}

impl Layer {
    /// The filters of one graph file, when it has both chunks and they are
    /// sound.
    fn parse(data: Vec<u8>, start: u32, hash_len: usize) -> Option<Layer> {
        let be32 = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
        };
        if data.get(..4)? != b"CGPH" {
            return None;
        }
        let chunks = *data.get(6)? as usize;
        let mut table = Vec::with_capacity(chunks + 1);
        for i in 0..=chunks {
            let at = 8 + 12 * i;
            let id: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
            let offset = u64::from_be_bytes(data.get(at + 4..at + 12)?.try_into().ok()?);
            table.push((id, usize::try_from(offset).ok()?));
        }
        let chunk = |name: &[u8; 4]| -> Option<(usize, usize)> {
            let i = table[..chunks].iter().position(|(id, _)| id == name)?;
            let (from, to) = (table[i].1, table[i + 1].1);
            (from <= to && to <= data.len().saturating_sub(hash_len)).then_some((from, to))
        };
        let (oidf, _) = chunk(b"OIDF")?;
        let count = be32(oidf + 255 * 4)?;
        let (bidx, bidx_end) = chunk(b"BIDX")?;
        let (bdat, bdat_end) = chunk(b"BDAT")?;
        if bidx_end - bidx != count as usize * 4 || bdat_end - bdat < BDAT_HEADER {
            return None;
        }
        let version = be32(bdat)?;
        let hashes = be32(bdat + 4)?;
        if !(1..=2).contains(&version) || !(1..=32).contains(&hashes) {
            return None;
        }
        Some(Layer {
            start,
            count,
            bidx,
            bdat: (bdat + BDAT_HEADER, bdat_end),
            version,
            hashes,
            data,
        })
    }

    /// The filter of the commit at `lex` in this file, if it is in bounds.
    fn filter(&self, lex: u32) -> Option<&[u8]> {
        let be32 = |at: usize| -> Option<usize> {
            Some(u32::from_be_bytes(self.data.get(at..at + 4)?.try_into().ok()?) as usize)
        };
        let lex = lex as usize;
        let end = be32(self.bidx + 4 * lex)?;
        let start = if lex == 0 {
            0
        } else {
            be32(self.bidx + 4 * (lex - 1))?
        };
        let (from, to) = (self.bdat.0 + start, self.bdat.0 + end);
        (start <= end && to <= self.bdat.1).then(|| &self.data[from..to])
    }
}

/// MurmurHash3 (x86, 32-bit), as git's `murmur3_seeded_v2`.
fn murmur3(seed: u32, data: &[u8]) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mix = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for b in &mut blocks {
        h ^= mix(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, b) in tail.iter().enumerate() {
            k ^= u32::from(*b) << (8 * i);
        }
        h ^= mix(k);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_matches_git() {
        // git's t0095-bloom.sh vectors.
        assert_eq!(murmur3(0, b""), 0x0000_0000);
        assert_eq!(murmur3(0, b"Hello world!"), 0x627b_0c2c);
        assert_eq!(
            murmur3(0, b"The quick brown fox jumps over the lazy dog"),
            0x2e4f_f723
        );
        // and git's version 2 hash of bytes over 0x7f
        assert_eq!(murmur3(0, b"\x99\xaa\xbb\xcc\xdd\xee\xff"), 0xa183_ccfd);
    }

    #[test]
    fn keys_cover_every_leading_directory() {
        let k = Keys::of("roadmap/q/2026-Q1.toml").expect("keys");
        assert_eq!(k.pairs.len(), 3);
        assert_eq!(k.pairs[0].0, murmur3(SEEDS[0], b"roadmap"));
        assert_eq!(k.pairs[1].1, murmur3(SEEDS[1], b"roadmap/q"));
        assert_eq!(Keys::of("roadmap/").expect("dir").pairs.len(), 1);
        assert!(Keys::of("/").is_none());
    }
}
