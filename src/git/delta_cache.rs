//! The delta-base cache of the worker threads' repository handles.
//!
//! gix keeps each object it resolves from a delta, so that the next object
//! whose chain runs through it starts there. The passes that read trees on
//! every core read each commit's trees right after its neighbour's, so the
//! base they need is nearly always one of the last few objects resolved. A
//! ring of recent objects, searched in place, finds it without the hashing
//! and list upkeep of a general cache.

use gix::odb::pack::cache::DecodeEntry;

/// How many resolved objects the ring keeps.
const SLOTS: usize = 32;

/// One kept object.
#[derive(Default)]
struct Slot {
    data: Vec<u8>,
    kind: Option<gix::objs::Kind>,
    compressed_size: usize,
}

/// The last [`SLOTS`] objects resolved, at most `cap` bytes of them; the
/// oldest goes first and its buffer is reused.
pub(crate) struct RecentObjects {
    /// (pack, offset) of each slot; `None` for an empty one.
    keys: [Option<(u32, u64)>; SLOTS],
    slots: Vec<Slot>,
    /// The slot written next.
    next: usize,
    /// Bytes held in all slots.
    held: usize,
    cap: usize,
}

impl RecentObjects {
    /// A ring holding at most `cap` bytes of objects.
    pub(crate) fn new(cap: usize) -> Self {
        RecentObjects {
            keys: [None; SLOTS],
            slots: (0..SLOTS).map(|_| Slot::default()).collect(),
            next: 0,
            held: 0,
            cap,
        }
    }
}

impl DecodeEntry for RecentObjects {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::objs::Kind,
        compressed_size: usize,
    ) {
        let key = Some((pack_id, offset));
        if self.keys.contains(&key) {
            return;
        }
        let slot = &mut self.slots[self.next];
        let held = self.held - slot.data.len();
        if held + data.len() > self.cap {
            return;
        }
        slot.data.clear();
        slot.data.extend_from_slice(data);
        // A buffer grown for one large object is not kept for small ones.
        if slot.data.capacity() > 4 * data.len().max(4096) {
            slot.data.shrink_to(data.len().max(4096));
        }
        slot.kind = Some(kind);
        slot.compressed_size = compressed_size;
        self.keys[self.next] = key;
        self.held = held + data.len();
        self.next = (self.next + 1) % SLOTS;
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::objs::Kind, usize)> {
        let key = Some((pack_id, offset));
        let i = self.keys.iter().position(|k| *k == key)?;
        let slot = &self.slots[i];
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
        let mut ring = RecentObjects::new(SLOTS * 10);
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
        // An object that would pass the cap is not kept, and takes nothing.
        ring.put(0, 1000, &[7; 11], Kind::Blob, 1);
        assert_eq!(ring.get(0, 1000, &mut out), None);
        assert_eq!(ring.get(0, 5, &mut out), Some((Kind::Tree, 3)));
        // Putting an object kept already keeps one copy.
        ring.put(0, 6, &[6; 10], Kind::Tree, 3);
        assert_eq!(ring.keys.iter().filter(|k| **k == Some((0, 6))).count(), 1);
        assert_eq!(ring.held, SLOTS * 10);
    }
}
