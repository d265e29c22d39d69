//! Objects read straight from the packs, each delta chain resolved from its
//! base up so that every object on it is kept for the reads that follow.
//!
//! gix resolves a delta chain in one go and keeps only the object asked
//! for; the objects between it and the chain's base are thrown away. A pass
//! over history reads each root tree right after its neighbour's, and a
//! pack's chains run through the neighbours: on git/git, reading root
//! trees newest first inflated 3.9 objects per tree that way, against one
//! when every object on a chain is kept (the way git's own delta-base
//! cache works). [`ChainReader`] walks the chain's headers down to the
//! first object it holds (or the chain's whole base), then decodes up from
//! there one object at a time, keeping each.
//!
//! An object no pack lists (loose, in an alternate object directory, or in
//! a pack that does not open), and one whose packed copy does not decode,
//! is left to the object database: its error, if any, is the database's.

use super::delta_cache::RecentObjects;
use super::id_search::Runs;
use gix::odb::pack::data::decode::entry::ResolvedBase;
use gix::odb::pack::data::entry::Header;
use gix::odb::pack::Bundle;
use std::path::Path;

/// The most objects a chain may hold before it is left to the object
/// database (git writes chains of 50 by default, 4095 at most).
const MAX_CHAIN: usize = 10_000;

/// How many resolved objects a reader keeps: every object on a chain is
/// kept, so more than gix's ring (on git/git, reading root trees newest
/// first, 32 kept 2.2 inflated objects per tree read, 64 kept 1.5, 256 kept 1.0;
/// 64 and a 4 MiB cap were the fastest).
const KEPT: usize = 64;

/// How many whole objects (the bases chains start from) a reader keeps
/// apart from the objects it resolves: a base takes longest to inflate, and
/// the chains of one family of trees start from it again after many other
/// objects were resolved.
const BASES: usize = 32;

/// What a reader keeps: the objects resolved from deltas, and apart from
/// them the whole objects chains start from.
struct Kept {
    resolved: RecentObjects<KEPT>,
    bases: RecentObjects<BASES>,
}

impl Kept {
    /// Whether the object at `offset` of pack `pack_id` is kept; `whole`:
    /// it is stored whole (only then may it be among the bases).
    fn holds(&self, pack_id: u32, offset: u64, whole: bool) -> bool {
        self.resolved.holds(pack_id, offset) || whole && self.bases.holds(pack_id, offset)
    }
}

impl gix::odb::pack::cache::DecodeEntry for Kept {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::objs::Kind,
        compressed_size: usize,
    ) {
        self.resolved
            .put(pack_id, offset, data, kind, compressed_size);
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::objs::Kind, usize)> {
        self.resolved
            .get(pack_id, offset, out)
            .or_else(|| self.bases.get(pack_id, offset, out))
    }
}

/// The packs of one object directory, opened once and read by every core.
pub(crate) struct PackFiles {
    bundles: Vec<Bundle>,
    /// Each index's [`Runs`], once it has been searched often.
    runs: Vec<SearchedOften>,
}

/// An index's [`Runs`], built once one search for every
/// [`SEARCHES_FOR_RUNS`] of its ids has been made.
#[derive(Default)]
struct SearchedOften {
    searches: std::sync::atomic::AtomicU32,
    runs: std::sync::OnceLock<Runs>,
}

/// An index's [`Runs`] cost one pass over its ids, what about this many
/// searches without them cost.
const SEARCHES_FOR_RUNS: u32 = 64;

impl SearchedOften {
    /// The runs of `index` (whose searches these count), once it has been
    /// searched often; counts this search.
    fn runs(&self, index: &gix::odb::pack::index::File) -> Option<&Runs> {
        if let Some(runs) = self.runs.get() {
            return Some(runs);
        }
        let searches = self
            .searches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (u64::from(searches) * u64::from(SEARCHES_FOR_RUNS) >= u64::from(index.num_objects()))
            .then(|| self.runs.get_or_init(|| Runs::of(index)))
    }
}

impl PackFiles {
    /// The packs of the `pack` folder of the object directory `objects` that
    /// open (index and data), by file name so that the first pack to list an
    /// object is always the same.
    pub(crate) fn open(objects: &Path, hash: gix::hash::Kind) -> Self {
        let Ok(entries) = std::fs::read_dir(objects.join("pack")) else {
            return PackFiles {
                bundles: Vec::new(),
                runs: Vec::new(),
            };
        };
        let mut indexes: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
            .collect();
        indexes.sort();
        let bundles: Vec<Bundle> = indexes
            .into_iter()
            .filter_map(|idx| Bundle::at(&idx, hash).ok())
            .collect();
        let runs = bundles.iter().map(|_| SearchedOften::default()).collect();
        PackFiles { bundles, runs }
    }

    /// The opened packs, in the order they are searched.
    pub(crate) fn bundles(&self) -> &[Bundle] {
        &self.bundles
    }

    /// The first pack listing `id`, and the object's offset in it.
    fn locate(&self, id: &gix::oid) -> Option<(usize, u64)> {
        let searched = self.bundles.iter().zip(&self.runs);
        searched.enumerate().find_map(|(p, (b, often))| {
            let n = match often.runs(&b.index) {
                Some(runs) => runs.position(&b.index, id),
                None => super::id_search::position(&b.index, id),
            }?;
            Some((p, b.index.pack_offset_at_index(n)))
        })
    }

    /// A reader of these packs, with its own inflate state and kept objects.
    pub(crate) fn reader(&self) -> ChainReader<'_> {
        ChainReader {
            packs: self,
            inflate: gix::zlib::Inflate::default(),
            kept: Kept {
                resolved: RecentObjects::new(super::delta_cache::DELTA_CACHE_BYTES),
                bases: RecentObjects::new(super::delta_cache::DELTA_CACHE_BYTES),
            },
            chain: Vec::new(),
        }
    }
}

/// Reads objects from [`PackFiles`], keeping every object of the delta
/// chains it resolves (within [`super::delta_cache::DELTA_CACHE_BYTES`]).
pub(crate) struct ChainReader<'a> {
    packs: &'a PackFiles,
    inflate: gix::zlib::Inflate,
    kept: Kept,
    /// The chain being resolved, from the object asked for down.
    chain: Vec<gix::odb::pack::data::Entry>,
}

impl ChainReader<'_> {
    /// The object `id` read into `buf`; `None` when no pack lists it or
    /// its packed copy does not decode (the caller then asks the object
    /// database).
    pub(crate) fn find<'b>(
        &mut self,
        id: &gix::oid,
        buf: &'b mut Vec<u8>,
    ) -> Option<gix::objs::Data<'b>> {
        let (pack, offset) = self.packs.locate(id)?;
        self.read_at(pack, offset, buf)
    }

    /// Whether tree `id` was read into `buf` straight from the packs. When
    /// it was not (no pack lists it, it does not decode, or it is not a
    /// tree) the caller asks the object database, which says why.
    pub(crate) fn find_tree(&mut self, id: &gix::oid, buf: &mut Vec<u8>) -> bool {
        self.find(id, buf)
            .is_some_and(|d| d.kind == gix::object::Kind::Tree)
    }

    /// Whether the object at `offset` of the pack numbered `pack` was read
    /// into `buf` and is a tree (see [`Self::find_tree`]).
    pub(crate) fn tree_at(&mut self, (pack, offset): (usize, u64), buf: &mut Vec<u8>) -> bool {
        self.read_at(pack, offset, buf)
            .is_some_and(|d| d.kind == gix::object::Kind::Tree)
    }

    /// The object at `offset` of the pack numbered `pack`, read into `buf`;
    /// `None` when it does not decode.
    pub(crate) fn read_at<'b>(
        &mut self,
        pack: usize,
        offset: u64,
        buf: &'b mut Vec<u8>,
    ) -> Option<gix::objs::Data<'b>> {
        let Bundle { pack: data, index } = self.packs.bundles.get(pack)?;
        // gix keys what it keeps by the pack's own id.
        let key = data.id;
        // A delta on an object named by id: its base in the same pack.
        let in_pack = |id: &gix::oid| -> Option<u64> {
            super::id_search::position(index, id).map(|n| index.pack_offset_at_index(n))
        };
        // Down the chain to the first object kept, or to its base.
        self.chain.clear();
        let mut entry = data.entry(offset).ok()?;
        let asked = entry.data_offset;
        loop {
            if self
                .kept
                .holds(key, entry.data_offset, !entry.header.is_delta())
            {
                break;
            }
            let base = match entry.header {
                Header::OfsDelta { base_distance } => {
                    Some(entry.checked_base_pack_offset(base_distance)?)
                }
                Header::RefDelta { base_id } => Some(in_pack(&base_id)?),
                _ => None,
            };
            let next = match base {
                Some(at) => Some(data.entry(at).ok()?),
                None => None,
            };
            self.chain.push(entry);
            if self.chain.len() > MAX_CHAIN {
                return None;
            }
            match next {
                Some(next) => entry = next,
                None => break,
            }
        }
        if self.chain.is_empty() {
            // The object asked for is kept.
            use gix::odb::pack::cache::DecodeEntry as _;
            let (kind, _) = self.kept.get(key, asked, buf)?;
            return Some(gix::objs::Data {
                kind,
                data: buf.as_slice(),
                object_hash: data.object_hash(),
            });
        }
        let resolve = |id: &gix::oid, _: &mut Vec<u8>| {
            in_pack(id)
                .map(|at| data.entry(at).map(ResolvedBase::InPack))
                .transpose()
        };
        // Up the chain, each object decoded on the one below it, kept. A
        // whole object is kept when it is a chain's base or a tree (the
        // next tree read is likely a delta on it); a whole commit, read
        // for its message, is not.
        let mut kind = None;
        let based = self.chain.len() > 1;
        while let Some(entry) = self.chain.pop() {
            let whole = !entry.header.is_delta()
                && (based || entry.header.as_kind() == Some(gix::objs::Kind::Tree));
            let data_offset = entry.data_offset;
            let outcome = data
                .decode_entry(entry, buf, &mut self.inflate, &resolve, &mut self.kept)
                .ok()?;
            if whole {
                // gix keeps only the objects it resolves from deltas.
                use gix::odb::pack::cache::DecodeEntry as _;
                self.kept
                    .bases
                    .put(key, data_offset, buf, outcome.kind, outcome.compressed_size);
            }
            kind = Some(outcome.kind);
        }
        Some(gix::objs::Data {
            kind: kind?,
            data: buf.as_slice(),
            object_hash: data.object_hash(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;
    use gix::ObjectId;

    /// Forty commits each changing one of twenty files, repacked so that
    /// root trees are deltas on one another, and one loose commit on top.
    fn repository(dir: &Path) {
        let at = "2025-01-01T00:00:00Z";
        git(dir, &["init", "-q", "-b", "main"], at);
        for i in 0..40 {
            let file = dir.join(format!("f{:02}", i % 20));
            std::fs::write(&file, format!("{i}\n")).expect("written");
            git(dir, &["add", "-A"], at);
            git(dir, &["commit", "-q", "-m", &format!("c{i}")], at);
        }
        git(dir, &["repack", "-adfq", "--depth=50", "--window=50"], at);
        std::fs::write(dir.join("loose"), "x\n").expect("written");
        git(dir, &["add", "-A"], at);
        git(dir, &["commit", "-q", "-m", "loose"], at);
    }

    fn ids(dir: &Path, args: &[&str]) -> Vec<ObjectId> {
        git(dir, args, "2025-01-01T00:00:00Z")
            .lines()
            .map(|l| ObjectId::from_hex(&l.as_bytes()[..40]).expect("an id"))
            .collect()
    }

    /// Every packed object reads back as itself, newest first and oldest
    /// first, with a reader that keeps what it resolved; the loose ones
    /// are left to the object database.
    #[test]
    fn objects_read_straight_from_the_packs_are_the_objects_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        repository(dir.path());
        let packs = PackFiles::open(&dir.path().join(".git/objects"), gix::hash::Kind::Sha1);
        assert_eq!(packs.bundles().len(), 1);
        let roots = ids(dir.path(), &["log", "--format=%T", "main"]);
        let all = ids(dir.path(), &["rev-list", "--objects", "main"]);
        let mut buf = Vec::new();
        for order in [roots.clone(), roots.iter().rev().copied().collect(), all] {
            let mut reader = packs.reader();
            for id in &order {
                if *id == roots[0] || packs.bundles()[0].index.lookup(id).is_none() {
                    assert!(reader.find(id, &mut buf).is_none(), "{id} is loose");
                    continue;
                }
                let data = reader.find(id, &mut buf).expect("packed");
                let hashed = gix::objs::compute_hash(gix::hash::Kind::Sha1, data.kind, data.data)
                    .expect("hashed");
                assert_eq!(&hashed, id);
            }
        }
    }

    /// Resolving a tree keeps every object of its chain: the next tree,
    /// a delta on one of them, inflates its own delta only; the chain's
    /// base is kept longest.
    #[test]
    fn every_object_of_a_resolved_chain_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        repository(dir.path());
        let packs = PackFiles::open(&dir.path().join(".git/objects"), gix::hash::Kind::Sha1);
        let Bundle { pack, index } = &packs.bundles()[0];
        let roots = ids(dir.path(), &["log", "--format=%T", "main"]);
        // The deepest root tree's chain, from it down to its whole base.
        let chain = |id: &ObjectId| {
            let mut entry = pack
                .entry(index.pack_offset_at_index(index.lookup(id).expect("packed")))
                .expect("an entry");
            let mut offsets = vec![entry.data_offset];
            while let Header::OfsDelta { base_distance } = entry.header {
                let base = entry
                    .checked_base_pack_offset(base_distance)
                    .expect("a base");
                entry = pack.entry(base).expect("an entry");
                offsets.push(entry.data_offset);
            }
            offsets
        };
        let deepest = roots[1..]
            .iter()
            .max_by_key(|id| chain(id).len())
            .expect("packed roots");
        let offsets = chain(deepest);
        assert!(offsets.len() > 2, "a chain to resolve: {offsets:?}");
        let mut reader = packs.reader();
        reader.find(deepest, &mut Vec::new()).expect("packed");
        for offset in &offsets {
            assert!(reader.kept.holds(pack.id, *offset, true), "{offset} kept");
        }
        // The chain's whole base outlives a ring's worth of objects
        // resolved after it; the object asked for does not.
        use gix::odb::pack::cache::DecodeEntry as _;
        for n in 0..KEPT as u64 {
            let at = u64::MAX - 1 - n;
            reader.kept.put(pack.id, at, b"x", gix::objs::Kind::Blob, 1);
        }
        let (asked, base) = (offsets[0], offsets[offsets.len() - 1]);
        assert!(!reader.kept.holds(pack.id, asked, false));
        assert!(reader.kept.holds(pack.id, base, true));
        let mut out = Vec::new();
        assert!(reader.kept.get(pack.id, base, &mut out).is_some());
        assert!(!out.is_empty());
    }
}
