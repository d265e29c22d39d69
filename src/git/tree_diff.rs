//! Comparing two git trees entry by entry, in git's order, from their raw
//! bytes: the primitive the planning check and attribution by path share
//! (the history's planning check reads the trees, its attribution asks through
//! [`TreeReader`], so neither depends on the other's reading).

use super::workers::ReadFailure;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::BTreeMap;

/// What comparing trees needs from whoever reads them.
pub(crate) trait TreeReader {
    /// The raw bytes of tree `id` (kept for a while: a parent's trees are
    /// usually asked for next).
    fn tree_bytes(&mut self, id: ObjectId) -> Result<std::rc::Rc<Vec<u8>>, ReadFailure>;
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
    use std::cmp::Ordering;
    let (mut i, mut j) = (0, 0);
    let value = |e: &Entry<'_>| (e.1, e.2, e.3);
    let mut out = Vec::new();
    while i < before.len() || j < after.len() {
        let order = match (before.get(i), after.get(j)) {
            (Some(a), Some(b)) => tree_order(a, b),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Equal => {
                let (a, b) = (&before[i], &after[j]);
                i += 1;
                j += 1;
                if value(a) != value(b) {
                    out.push((a.0, Some(value(a)), Some(value(b))));
                }
            }
            Ordering::Less => {
                out.push((before[i].0, Some(value(&before[i])), None));
                i += 1;
            }
            Ordering::Greater => {
                out.push((after[j].0, None, Some(value(&after[j]))));
                j += 1;
            }
        }
    }
    out
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
}
