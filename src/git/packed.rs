//! Many known objects read by their place in a pack.
//!
//! Reading an object by id searches the pack index for it: some twenty
//! comparisons of object ids spread over the whole index, whose pages are
//! faulted in again after every run of reads drops them (see
//! [`super::mapped`]). Reading git/git's 82k commits, that search was 8% of
//! a cold report's CPU. [`Located::find`] instead sorts the ids once and
//! sweeps each index from start to end, each id searched for from the place
//! of the one before; the objects are then read straight from their packs.
//! An object that no pack index lists (loose, in an alternate object
//! directory, or in a pack that does not open) is read through the object
//! database, as is one whose packed copy does not decode: its error, if any,
//! is the object database's.

use super::chains::{ChainReader, PackFiles};
use super::id_search::{lower_bound, prefix};
use gix::ObjectId;

/// Where each of a list of objects lies: a pack and the object's offset in
/// it (the offsets are read during the sweep, in the index's order, so that
/// reading the objects touches no index page again).
pub(crate) struct Located<'a> {
    packs: Option<&'a PackFiles>,
    /// Per id, in the order given, a [`Place`].
    at: Vec<Place>,
}

/// A pack (its position plus one in the upper 16 bits) and an offset in it
/// (the lower 48 bits); 0 for an object found in no pack.
type Place = u64;

/// Bits of a [`Place`] that hold the offset.
const OFFSET_BITS: u32 = 48;

/// The [`Place`] of `offset` in pack `pack`, unless either is too large to
/// fit (then the object is read through the object database).
fn place(pack: usize, offset: u64) -> Option<Place> {
    let pack = u64::try_from(pack + 1).ok().filter(|p| *p < 1 << 16)?;
    (offset < 1 << OFFSET_BITS).then_some(pack << OFFSET_BITS | offset)
}

impl<'a> Located<'a> {
    /// The places of `ids` in `packs` (`None`: every object is read through
    /// the object database).
    pub(crate) fn find(packs: Option<&'a PackFiles>, ids: &[ObjectId]) -> Self {
        Self::find_sweeping(packs, ids, PARALLEL_SWEEP)
    }

    /// [`Self::find`] on this core only, for a caller that is one of the
    /// workers already using every core.
    pub(crate) fn find_here(packs: Option<&'a PackFiles>, ids: &[ObjectId]) -> Self {
        Self::find_sweeping(packs, ids, usize::MAX)
    }

    /// The pack (by its position among the packs) and offset of the object
    /// at position `i` of the ids given; `None` when no pack lists it.
    pub(crate) fn place(&self, i: usize) -> Option<(usize, u64)> {
        let place = *self.at.get(i)?;
        let pack = usize::try_from(place >> OFFSET_BITS).ok()?.checked_sub(1)?;
        Some((pack, place & ((1 << OFFSET_BITS) - 1)))
    }

    /// [`Self::find`], sweeping on two cores from `parallel` ids on.
    fn find_sweeping(packs: Option<&'a PackFiles>, ids: &[ObjectId], parallel: usize) -> Self {
        let mut at: Vec<Place> = vec![0; ids.len()];
        let bundles = packs.map_or(&[][..], PackFiles::bundles);
        if bundles.is_empty() || ids.is_empty() {
            return Located { packs, at };
        }
        let order = sorted(ids);
        // A long list is swept in two halves of its order, one on another
        // core: the workers that read the objects wait for it.
        let found = if ids.len() < parallel {
            sweep(bundles, ids, &order)
        } else {
            let (low, high) = order.split_at(order.len() / 2);
            let (mut low, high) = std::thread::scope(|s| {
                let high = s.spawn(|| sweep(bundles, ids, high));
                (sweep(bundles, ids, low), high.join())
            });
            low.extend(high.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            low
        };
        for (&(_, i), place) in order.iter().zip(found) {
            at[i as usize] = place;
        }
        Located { packs, at }
    }

    /// A reader of the objects `ids[offset..]` (a run of the ids given to
    /// [`Located::find`]), with its own inflate state and delta-base cache.
    pub(crate) fn reader(&self, offset: usize) -> PackedReader<'_> {
        PackedReader {
            located: self,
            offset,
            chains: self.packs.map(PackFiles::reader),
        }
    }
}

/// Reads one run of located objects (see [`Located::reader`]).
pub(crate) struct PackedReader<'a> {
    located: &'a Located<'a>,
    offset: usize,
    chains: Option<ChainReader<'a>>,
}

impl PackedReader<'_> {
    /// The object at position `i` of the run, read from its pack into
    /// `buf`; `None` when it is not packed or its packed copy did not
    /// decode (the caller then asks the object database).
    pub(crate) fn read<'b>(
        &mut self,
        i: usize,
        buf: &'b mut Vec<u8>,
    ) -> Option<gix::objs::Data<'b>> {
        let (pack, offset) = self.located.place(self.offset + i)?;
        self.chains.as_mut()?.read_at(pack, offset, buf)
    }
}

/// Lists at least this long are swept on two cores (see [`Located::find`]).
const PARALLEL_SWEEP: usize = 16_384;

/// The [`Place`] of each of the ids `order` lists (a run of [`sorted`]'s
/// order, whose positions are in `ids`), in that order: the first pack
/// that lists it, found in one sweep of each pack's index.
fn sweep(bundles: &[gix::odb::pack::Bundle], ids: &[ObjectId], order: &[(u64, u32)]) -> Vec<Place> {
    let mut at: Vec<Place> = vec![0; order.len()];
    for (p, pack) in bundles.iter().enumerate() {
        let index = &pack.index;
        let mut from = 0;
        for (slot, &(_, i)) in at.iter_mut().zip(order) {
            if *slot != 0 {
                continue;
            }
            let id = ids[i as usize].as_ref();
            from = lower_bound(index, from, id);
            if from < index.num_objects() && index.oid_at_index(from) == id {
                *slot = place(p, index.pack_offset_at_index(from)).unwrap_or(0);
            }
        }
    }
    at
}

/// `(prefix, position)` of each of `ids`, in the order of the ids: sorted
/// by their first eight bytes, whole ids compared only for ties.
fn sorted(ids: &[ObjectId]) -> Vec<(u64, u32)> {
    let mut order: Vec<(u64, u32)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (prefix(id), i as u32))
        .collect();
    order.sort_unstable_by(|a, b| {
        (a.0.cmp(&b.0)).then_with(|| ids[a.1 as usize].cmp(&ids[b.1 as usize]))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;

    /// Every commit of a repository with two packs and loose objects is
    /// found in the pack that holds it, and an id no pack holds is not.
    #[test]
    fn ids_are_found_in_every_pack_and_the_rest_left_to_the_database() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = "2025-01-01T00:00:00Z";
        git(dir.path(), &["init", "-q", "-b", "main"], at);
        let commit = |n: usize| {
            for i in 0..n {
                git(
                    dir.path(),
                    &["commit", "-q", "--allow-empty", "-m", &format!("c{i}")],
                    at,
                );
            }
        };
        commit(40);
        git(dir.path(), &["repack", "-q"], at);
        commit(30);
        git(dir.path(), &["repack", "-q"], at);
        commit(5); // loose
        let listed = git(dir.path(), &["rev-list", "main"], at);
        let mut ids: Vec<ObjectId> = listed
            .lines()
            .map(|l| ObjectId::from_hex(l.as_bytes()).expect("an id"))
            .collect();
        ids.push(ObjectId::from_hex(&[b'f'; 40]).expect("an id"));
        let packs = PackFiles::open(&dir.path().join(".git/objects"), gix::hash::Kind::Sha1);
        assert_eq!(packs.bundles().len(), 2);
        let located = Located::find(Some(&packs), &ids);
        // Swept on two cores, the same places.
        let halves = Located::find_sweeping(Some(&packs), &ids, 1);
        assert_eq!(halves.at, located.at);
        let packed: Vec<bool> = located.at.iter().map(|p| *p != 0).collect();
        assert_eq!(packed.iter().filter(|p| **p).count(), 70, "{packed:?}");
        assert!(packed[5..75].iter().all(|p| *p), "the packed commits");
        assert!(!packed[..5].iter().any(|p| *p), "the loose commits");
        assert!(!packed[75], "an id nowhere");
        let mut reader = located.reader(0);
        let mut buf = Vec::new();
        for (i, id) in ids.iter().enumerate().skip(5).take(70) {
            let data = reader.read(i, &mut buf).expect("read from its pack");
            assert_eq!(data.kind, gix::object::Kind::Commit);
            let hashed = gix::objs::compute_hash(gix::hash::Kind::Sha1, data.kind, data.data)
                .expect("hashed");
            assert_eq!(&hashed, id, "the object read is the one asked for");
        }
        assert!(reader.read(0, &mut buf).is_none(), "a loose commit");
        assert!(reader.read(75, &mut buf).is_none(), "an id nowhere");
    }

    #[test]
    fn a_place_holds_its_pack_and_offset_or_is_left_to_the_database() {
        assert_eq!(place(0, 12), Some(1 << OFFSET_BITS | 12));
        assert_eq!(
            place(2, (1 << OFFSET_BITS) - 1).map(|p| p >> OFFSET_BITS),
            Some(3)
        );
        assert_eq!(place(0, 1 << OFFSET_BITS), None, "an offset too large");
        assert_eq!(place(u16::MAX as usize, 0), None, "too many packs");
    }

    #[test]
    fn ids_sharing_their_first_bytes_sort_as_whole_ids() {
        let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).expect("an id");
        let ids = [
            id("0123456789abcdef0000000000000000000000ff"),
            id("ff00000000000000000000000000000000000000"),
            id("0123456789abcdef000000000000000000000001"),
            id("0000000000000000000000000000000000000000"),
            id("0123456789abcdef000000000000000000000001"),
        ];
        let got: Vec<ObjectId> = sorted(&ids).iter().map(|&(_, i)| ids[i as usize]).collect();
        let mut want = ids.to_vec();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn the_lower_bound_is_found_from_any_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = "2025-01-01T00:00:00Z";
        git(dir.path(), &["init", "-q", "-b", "main"], at);
        for i in 0..50 {
            git(
                dir.path(),
                &["commit", "-q", "--allow-empty", "-m", &format!("c{i}")],
                at,
            );
        }
        git(dir.path(), &["repack", "-q"], at);
        let packs = PackFiles::open(&dir.path().join(".git/objects"), gix::hash::Kind::Sha1);
        let index = &packs.bundles()[0].index;
        let n = index.num_objects();
        for from in 0..n {
            for target in 0..n {
                let id = index.oid_at_index(target);
                let expect = if target >= from { target } else { from };
                assert_eq!(
                    lower_bound(index, from, id),
                    expect,
                    "from {from}, id #{target}"
                );
            }
        }
        let past = ObjectId::from_hex(&[b'f'; 40]).expect("an id");
        assert_eq!(lower_bound(index, 0, &past), n);
    }
}
