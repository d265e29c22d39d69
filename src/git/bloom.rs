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
    /// Its BIDX chunk, then its filters (the BDAT chunk after its header):
    /// the rest of the file (commit ids, parents) is not read.
    data: Vec<u8>,
    /// Where the filters start in `data` (after the BIDX chunk), and end.
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
            let layer = Layer::read(&f, start, hash_len)?;
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
    /// The filters of the graph file `path` (one layer, its first commit at
    /// graph position `start`), when it has both chunks and they are sound.
    /// Only the chunk table and the two chunks are read: the commit ids
    /// and parents, most of the file, stay on disk.
    fn read(path: &Path, start: u32, hash_len: usize) -> Option<Layer> {
        use std::io::{Read, Seek, SeekFrom};
        let (mut file, meta) = crate::bounded::open_regular(path, false).ok()?;
        let len = meta.len();
        if len > MAX_GRAPH_BYTES {
            return None;
        }
        let mut read_at = |at: u64, n: u64| -> Option<Vec<u8>> {
            // Within the file, so within MAX_GRAPH_BYTES.
            if at.checked_add(n)? > len {
                return None;
            }
            file.seek(SeekFrom::Start(at)).ok()?;
            let mut buf = vec![0; usize::try_from(n).ok()?];
            file.read_exact(&mut buf).ok()?;
            Some(buf)
        };
        let head = read_at(0, 8)?;
        if head[..4] != *b"CGPH" {
            return None;
        }
        let chunks = u64::from(head[6]);
        let table = read_at(8, 12 * (chunks + 1))?;
        let table = parse_table(&table, len.saturating_sub(hash_len as u64))?;
        let (oidf, _) = table.chunk(b"OIDF")?;
        let count = be32(&read_at(oidf + 255 * 4, 4)?, 0)?;
        let (bidx, bidx_end) = table.chunk(b"BIDX")?;
        let (bdat, bdat_end) = table.chunk(b"BDAT")?;
        if bidx_end - bidx != u64::from(count) * 4 || bdat_end - bdat < BDAT_HEADER as u64 {
            return None;
        }
        let mut data = read_at(bidx, bidx_end - bidx)?;
        let header = read_at(bdat, BDAT_HEADER as u64)?;
        let (version, hashes) = (be32(&header, 0)?, be32(&header, 4)?);
        if !(1..=2).contains(&version) || !(1..=32).contains(&hashes) {
            return None;
        }
        let filters = bdat + BDAT_HEADER as u64;
        data.extend(read_at(filters, bdat_end - filters)?);
        let bidx_len = usize::try_from(bidx_end - bidx).ok()?;
        Some(Layer {
            start,
            count,
            bdat: (bidx_len, data.len()),
            version,
            hashes,
            data,
        })
    }

    /// The filter of the commit at `lex` in this file, if it is in bounds.
    fn filter(&self, lex: u32) -> Option<&[u8]> {
        let lex = lex as usize;
        let end = be32(&self.data, 4 * lex)? as usize;
        let start = if lex == 0 {
            0
        } else {
            be32(&self.data, 4 * (lex - 1))? as usize
        };
        let (from, to) = (self.bdat.0 + start, self.bdat.0 + end);
        (start <= end && to <= self.bdat.1).then(|| &self.data[from..to])
    }
}

/// The big-endian `u32` at `at` in `data`.
fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        data.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A graph file's chunk table: each chunk's id and offset, the last entry
/// marking the end of the last chunk.
struct ChunkTable {
    entries: Vec<([u8; 4], u64)>,
    /// Where the chunks must end (the file's length less its checksum).
    limit: u64,
}

impl ChunkTable {
    /// Where the chunk `name` starts and ends, when it is present and lies
    /// within the file.
    fn chunk(&self, name: &[u8; 4]) -> Option<(u64, u64)> {
        let chunks = self.entries.len() - 1;
        let i = self.entries[..chunks]
            .iter()
            .position(|(id, _)| id == name)?;
        let (from, to) = (self.entries[i].1, self.entries[i + 1].1);
        (from <= to && to <= self.limit).then_some((from, to))
    }
}

/// The chunk table `raw` (12 bytes an entry, the terminating one included)
/// of a file whose chunks must end by `limit`.
fn parse_table(raw: &[u8], limit: u64) -> Option<ChunkTable> {
    let entries = raw
        .chunks_exact(12)
        .map(|e| {
            let id: [u8; 4] = e[..4].try_into().ok()?;
            Some((id, u64::from_be_bytes(e[4..].try_into().ok()?)))
        })
        .collect::<Option<Vec<_>>>()?;
    (!entries.is_empty()).then_some(ChunkTable { entries, limit })
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

    /// A one-commit graph file with an 8-byte filter of all zeros (so it
    /// holds no path), `tail` bytes standing in for the checksum.
    fn one_commit_graph(tail: usize) -> Vec<u8> {
        let oidf = 8 + 12 * 4;
        let bidx = oidf + 256 * 4;
        let bdat = bidx + 4;
        let end = bdat + BDAT_HEADER + 8;
        let mut g = b"CGPH".to_vec();
        g.extend([1, 1, 3, 0]);
        for (id, at) in [
            (b"OIDF", oidf),
            (b"BIDX", bidx),
            (b"BDAT", bdat),
            (b"\0\0\0\0", end),
        ] {
            g.extend(id);
            g.extend((at as u64).to_be_bytes());
        }
        for _ in 0..256 {
            g.extend(1u32.to_be_bytes());
        }
        g.extend(8u32.to_be_bytes());
        g.extend([2u32, 7, 10].iter().flat_map(|v| v.to_be_bytes()));
        g.extend([0; 8]);
        g.extend(vec![0; tail]);
        g
    }

    #[test]
    fn a_graph_file_is_read_chunk_by_chunk_and_bad_ones_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("commit-graph");
        let key = Keys::of("roadmap").expect("keys");
        std::fs::write(&file, one_commit_graph(20)).expect("write");
        let layer = Layer::read(&file, 0, 20).expect("a sound file");
        assert_eq!((layer.count, layer.version, layer.hashes), (1, 2, 7));
        assert_eq!(layer.filter(0), Some(&[0u8; 8][..]));
        let blooms = Blooms {
            layers: vec![layer],
        };
        assert!(blooms.unchanged(0, &key), "an empty filter holds nothing");
        assert!(
            !blooms.unchanged(1, &key),
            "no filter for a commit not in it"
        );
        // No room for the checksum: the last chunk runs past its end.
        std::fs::write(&file, one_commit_graph(0)).expect("write");
        assert!(Layer::read(&file, 0, 20).is_none());
        // Truncated inside the filters, and not a graph at all.
        let whole = one_commit_graph(20);
        std::fs::write(&file, &whole[..whole.len() - 30]).expect("write");
        assert!(Layer::read(&file, 0, 20).is_none());
        std::fs::write(&file, b"CGPX").expect("write");
        assert!(Layer::read(&file, 0, 20).is_none());
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
