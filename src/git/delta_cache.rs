//! The delta-base cache of the worker threads' repository handles.
//!
//! gix keeps each object it resolves from a delta, so that the next object
//! whose chain runs through it starts there. The passes that read trees on
//! every core read each commit's trees right after its neighbour's, so the
//! base they need is nearly always one of the last few objects resolved. A
//! ring of recent objects, searched in place, finds it without the hashing
//! and list upkeep of a general cache.

use gix::odb::pack::cache::DecodeEntry;

/// How many resolved objects a ring keeps unless told otherwise: enough for
/// the objects gix keeps (each the end of a delta chain it resolved).
pub(crate) const SLOTS: usize = 32;

/// Bytes of resolved objects a ring keeps for the deltas that follow: its
/// slots seldom hold this much; the cap bounds a run of large objects.
pub(crate) const DELTA_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// The offset of an empty slot (no object lies at the end of a pack).
const EMPTY: u64 = u64::MAX;

/// One kept object.
#[derive(Default)]
struct Slot {
    data: Vec<u8>,
    kind: Option<gix::objs::Kind>,
    compressed_size: usize,
}

/// The last `N` objects resolved, at most `cap` bytes of them; the oldest
/// goes first and its buffer is reused.
pub(crate) struct RecentObjects<const N: usize = SLOTS> {
    /// The offset of each slot's object ([`EMPTY`] for an empty slot),
    /// searched on every read: kept apart from its pack, so that a search
    /// compares one number a slot.
    offsets: [u64; N],
    /// The pack of each slot's object.
    packs: [u32; N],
    slots: Vec<Slot>,
    /// The slot written next.
    next: usize,
    /// Bytes held in all slots.
    held: usize,
    cap: usize,
}

impl<const N: usize> RecentObjects<N> {
    /// A ring holding at most `cap` bytes of objects.
    pub(crate) fn new(cap: usize) -> Self {
        RecentObjects {
            offsets: [EMPTY; N],
            packs: [0; N],
            slots: (0..N).map(|_| Slot::default()).collect(),
            next: 0,
            held: 0,
            cap,
        }
    }
}

impl<const N: usize> RecentObjects<N> {
    /// Whether the object at `offset` of pack `pack_id` is kept.
    pub(crate) fn holds(&self, pack_id: u32, offset: u64) -> bool {
        self.slot_of(pack_id, offset).is_some()
    }

    /// The slot holding the object at `offset` of pack `pack_id`.
    fn slot_of(&self, pack_id: u32, offset: u64) -> Option<usize> {
        let mut from = 0;
        while let Some(i) = self.offsets[from..].iter().position(|&o| o == offset) {
            let i = from + i;
            if self.packs[i] == pack_id {
                return Some(i);
            }
            from = i + 1;
        }
        None
    }
}

impl<const N: usize> DecodeEntry for RecentObjects<N> {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::objs::Kind,
        compressed_size: usize,
    ) {
        if offset == EMPTY || self.holds(pack_id, offset) || data.len() > self.cap {
            return;
        }
        // The oldest objects make room, the slot written next first.
        let mut held = self.held - self.slots[self.next].data.len();
        let mut oldest = (self.next + 1) % N;
        while held + data.len() > self.cap && oldest != self.next {
            held -= self.slots[oldest].data.len();
            self.slots[oldest].data.clear();
            self.offsets[oldest] = EMPTY;
            oldest = (oldest + 1) % N;
        }
        let slot = &mut self.slots[self.next];
        slot.data.clear();
        slot.data.extend_from_slice(data);
        // A buffer grown for one large object is not kept for small ones.
        if slot.data.capacity() > 4 * data.len().max(4096) {
            slot.data.shrink_to(data.len().max(4096));
        }
        slot.kind = Some(kind);
        slot.compressed_size = compressed_size;
        self.offsets[self.next] = offset;
        self.packs[self.next] = pack_id;
        self.held = held + data.len();
        self.next = (self.next + 1) % N;
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::objs::Kind, usize)> {
        let slot = &self.slots[self.slot_of(pack_id, offset)?];
        out.clear();
        out.extend_from_slice(&slot.data);
        Some((slot.kind?, slot.compressed_size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::objs::Kind;

    #[test]
    fn the_ring_keeps_the_last_objects_within_its_bytes() {
        let mut ring: RecentObjects = RecentObjects::new(SLOTS * 10);
        let mut out = Vec::new();
        for n in 0..(SLOTS as u64 + 5) {
            ring.put(0, n, &[n as u8; 10], Kind::Tree, 3);
        }
        // The five oldest are gone, the rest come back as put.
        for n in 0..5 {
            assert_eq!(ring.get(0, n, &mut out), None);
        }
        for n in 5..(SLOTS as u64 + 5) {
            assert_eq!(ring.get(0, n, &mut out), Some((Kind::Tree, 3)));
            assert_eq!(out, [n as u8; 10]);
        }
        // Another pack's object at the same offset is another object.
        assert_eq!(ring.get(1, 10, &mut out), None);
        // An object larger than the cap is not kept, and takes nothing.
        ring.put(0, 1000, &[7; SLOTS * 10 + 1], Kind::Blob, 1);
        assert_eq!(ring.get(0, 1000, &mut out), None);
        assert_eq!(ring.get(0, 5, &mut out), Some((Kind::Tree, 3)));
        // One that would pass the cap takes the place of the oldest it needs.
        ring.put(0, 1001, &[7; 11], Kind::Blob, 1);
        assert_eq!(ring.get(0, 1001, &mut out), Some((Kind::Blob, 1)));
        assert_eq!(out, [7; 11]);
        assert_eq!(ring.get(0, 5, &mut out), None);
        assert_eq!(ring.get(0, 6, &mut out), None);
        assert_eq!(ring.get(0, 7, &mut out), Some((Kind::Tree, 3)));
        assert_eq!(ring.held, SLOTS * 10 - 20 + 11);
        // Putting an object kept already keeps one copy.
        ring.put(0, 8, &[8; 10], Kind::Tree, 3);
        assert_eq!(ring.offsets.iter().filter(|o| **o == 8).count(), 1);
        // Two packs' objects at one offset are told apart.
        ring.put(1, 9, &[1; 10], Kind::Blob, 4);
        assert_eq!(ring.get(1, 9, &mut out), Some((Kind::Blob, 4)));
        assert_eq!(out, [1; 10]);
        assert_eq!(ring.get(0, 9, &mut out), Some((Kind::Tree, 3)));
        assert_eq!(out, [9; 10]);
    }
}
