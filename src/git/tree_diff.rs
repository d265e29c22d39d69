//! Comparing two git trees entry by entry, in git's order, from their raw
//! bytes: the primitive the planning check and attribution by path share
//! (the history's planning check reads the trees, its attribution asks through
//! [`TreeReader`], so neither depends on the other's reading).

use super::workers::ReadFailure;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::BTreeMap;
use std::rc::Rc;

/// What comparing trees needs from whoever reads them.
pub(crate) trait TreeReader {
    /// Tree `id` (the empty tree for `None`), its entries parsed once, or
    /// `None` when they are out of git's order (then [`Self::entries`]
    /// compares them). Kept for a while: a tree read as a commit's is
    /// usually asked for next as its child's parent's.
    fn sorted(&mut self, id: Option<ObjectId>) -> Result<Option<Rc<SortedTree>>, ReadFailure>;
    /// The hash kind of the repository read.
    fn hash_kind(&self) -> gix::hash::Kind;
    /// The entries of `tree` (none for `None`).
    fn entries(&mut self, tree: Option<ObjectId>) -> Result<Entries, ReadFailure>;
}

/// A tree's entries by name: (is a tree, mode bits, id).
pub(crate) type Entries = BTreeMap<Vec<u8>, (bool, u16, ObjectId)>;

/// One entry of a raw tree: (name, is a tree, mode bits, id).
pub(crate) type Entry<'a> = (&'a [u8], bool, u16, ObjectId);

/// An entry's value: (is a tree, mode bits, id).
pub(crate) type Value = (bool, u16, ObjectId);

/// One entry that differs between two trees: its name, and its value
/// before and after (`None`: absent).
pub(crate) type Change<'a> = (&'a [u8], Option<Value>, Option<Value>);

/// The entries that differ between two trees' entries in git's order, in
/// that order (one pass, nothing kept of equal entries).
pub(crate) fn changes<'a>(before: &[Entry<'a>], after: &[Entry<'a>]) -> Vec<Change<'a>> {
    merge((before.len(), |i| before[i]), (after.len(), |j| after[j]))
}

/// [`changes`] of two sequences of entries in git's order, each given by
/// its length and its `i`th entry.
fn merge<'a>(
    (n, before): (usize, impl Fn(usize) -> Entry<'a>),
    (m, after): (usize, impl Fn(usize) -> Entry<'a>),
) -> Vec<Change<'a>> {
    use std::cmp::Ordering;
    let (mut i, mut j) = (0, 0);
    let value = |e: &Entry<'_>| (e.1, e.2, e.3);
    let mut out = Vec::new();
    while i < n || j < m {
        let order = match (i < n, j < m) {
            (true, true) => tree_order(&before(i), &after(j)),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Equal => {
                let (a, b) = (before(i), after(j));
                i += 1;
                j += 1;
                if value(&a) != value(&b) {
                    out.push((a.0, Some(value(&a)), Some(value(&b))));
                }
            }
            Ordering::Less => {
                let a = before(i);
                out.push((a.0, Some(value(&a)), None));
                i += 1;
            }
            Ordering::Greater => {
                let b = after(j);
                out.push((b.0, None, Some(value(&b))));
                j += 1;
            }
        }
    }
    out
}

/// One entry of a [`SortedTree`]: where its name lies in the raw bytes,
/// and its value.
#[derive(Clone, Copy)]
struct Slot {
    name: (u32, u32),
    value: Value,
}

/// Parse the raw tree `data` into `slots`; false when it does not decode
/// or its entries are out of git's order.
fn slots_of(data: &[u8], hash: gix::hash::Kind, slots: &mut Vec<Slot>) -> bool {
    let base = data.as_ptr() as usize;
    let mut last: Option<Entry<'_>> = None;
    for entry in gix::objs::TreeRefIter::from_bytes(data, hash) {
        let Ok(entry) = entry else {
            return false;
        };
        let name = entry.filename.as_bytes();
        let e = (
            name,
            entry.mode.is_tree(),
            entry.mode.value(),
            entry.oid.to_owned(),
        );
        if last.is_some_and(|l| tree_order(&l, &e) != std::cmp::Ordering::Less) {
            return false;
        }
        last = Some(e);
        // A name is a slice of `data`: its place in it.
        let start = (name.as_ptr() as usize)
            .checked_sub(base)
            .filter(|s| s + name.len() <= data.len());
        let (Some(Ok(start)), Ok(len)) = (start.map(u32::try_from), u32::try_from(name.len()))
        else {
            return false;
        };
        slots.push(Slot {
            name: (start, len),
            value: (e.1, e.2, e.3),
        });
    }
    true
}

/// A raw tree and its entries in git's order, parsed once: a tree read as
/// a commit's is compared again as its child's parent's.
#[derive(Clone, Default)]
pub(crate) struct SortedTree {
    data: Vec<u8>,
    slots: Vec<Slot>,
}

impl SortedTree {
    /// The buffer its raw bytes are read into; [`Self::index`] follows.
    pub(crate) fn buffer(&mut self) -> &mut Vec<u8> {
        self.slots.clear();
        &mut self.data
    }

    /// Parse the entries of the raw bytes read into [`Self::buffer`]; false
    /// when they do not decode or are out of git's order.
    pub(crate) fn index(&mut self, hash: gix::hash::Kind) -> bool {
        self.slots.clear();
        slots_of(&self.data, hash, &mut self.slots)
    }

    /// The raw bytes.
    pub(crate) fn data(&self) -> &[u8] {
        &self.data
    }

    /// Its `i`th entry.
    fn entry(&self, i: usize) -> Entry<'_> {
        let Slot {
            name: (start, len),
            value: (tree, mode, id),
        } = self.slots[i];
        let name = &self.data[start as usize..(start + len) as usize];
        (name, tree, mode, id)
    }

    /// The entries that differ between this tree and `after`, in git's
    /// order (see [`changes`]).
    pub(crate) fn changes<'a>(&'a self, after: &'a SortedTree) -> Vec<Change<'a>> {
        merge(
            (self.slots.len(), |i| self.entry(i)),
            (after.slots.len(), |j| after.entry(j)),
        )
    }
}

/// The order of two entries in a git tree: by name, a tree's name compared
/// as if it ended in `/` (git's `base_name_compare`).
fn tree_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    let common = a.0.len().min(b.0.len());
    a.0[..common].cmp(&b.0[..common]).then_with(|| {
        let next = |e: &Entry<'_>| match e.0.get(common) {
            Some(&c) => u32::from(c),
            None if e.1 => u32::from(b'/'),
            None => 0,
        };
        next(a).cmp(&next(b))
    })
}

/// The entries of a raw tree in order; `None` when it does not decode or
/// its entries are out of git's order (then the slow path compares it).
pub(crate) fn sorted_entries(data: &[u8], hash: gix::hash::Kind) -> Option<Vec<Entry<'_>>> {
    let mut out: Vec<Entry<'_>> = Vec::new();
    for entry in gix::objs::TreeRefIter::from_bytes(data, hash) {
        let entry = entry.ok()?;
        let e = (
            entry.filename.as_bytes(),
            entry.mode.is_tree(),
            entry.mode.value(),
            entry.oid.to_owned(),
        );
        if out
            .last()
            .is_some_and(|last| tree_order(last, &e) != std::cmp::Ordering::Less)
        {
            return None;
        }
        out.push(e);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::raw_tree;

    #[test]
    fn changes_pair_entries_in_git_order() {
        let id = |b: u8| ObjectId::from_bytes_or_panic(&[b; 20]);
        // git sorts the tree `a` as `a/`: after the file `a.b`.
        let before: Vec<Entry<'_>> = vec![
            (b"a.b", false, 0o100644, id(1)),
            (b"a", true, 0o040000, id(2)),
            (b"c", false, 0o100644, id(3)),
        ];
        let after: Vec<Entry<'_>> = vec![
            (b"a.b", false, 0o100644, id(1)),
            (b"a", true, 0o040000, id(4)),
            (b"b", false, 0o100644, id(5)),
        ];
        let found = changes(&before, &after);
        assert_eq!(
            found,
            vec![
                (
                    &b"a"[..],
                    Some((true, 0o040000, id(2))),
                    Some((true, 0o040000, id(4)))
                ),
                (&b"b"[..], None, Some((false, 0o100644, id(5)))),
                (&b"c"[..], Some((false, 0o100644, id(3))), None),
            ]
        );
        assert!(changes(&before, &before).is_empty());
    }

    #[test]
    fn a_parsed_tree_compares_like_its_entries_and_refuses_disorder() {
        let hash = gix::hash::Kind::Sha1;
        let parse = |data: Vec<u8>| {
            let mut t = SortedTree::default();
            *t.buffer() = data;
            t.index(hash).then_some(t)
        };
        let old = raw_tree(&[("100644", "a.b", 1), ("40000", "a", 2), ("100644", "c", 3)]);
        let new = raw_tree(&[("100644", "a.b", 1), ("40000", "a", 4), ("100644", "b", 5)]);
        let (before, after) = (
            parse(old.clone()).expect("old"),
            parse(new.clone()).expect("new"),
        );
        let want = changes(
            &sorted_entries(&old, hash).expect("old"),
            &sorted_entries(&new, hash).expect("new"),
        );
        assert_eq!(before.changes(&after), want);
        assert_eq!(want.len(), 3);
        assert!(before.changes(&before).is_empty());
        assert_eq!(before.data(), &old[..]);
        // Read again into the same buffers: the old entries are gone.
        let mut reused = before;
        *reused.buffer() = new;
        assert!(reused.index(hash));
        assert!(reused.changes(&after).is_empty());
        // `c` before `b`: not git's order.
        assert!(parse(raw_tree(&[("100644", "c", 1), ("100644", "b", 2)])).is_none());
        assert!(parse(b"100644 broken".to_vec()).is_none());
    }
}
