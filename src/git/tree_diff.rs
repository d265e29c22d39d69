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
    /// The trees `old` and `new` about to be compared (the empty tree for
    /// `None`), their entries parsed once, each `None` when they are out of
    /// git's order (then [`Self::entries`] compares them). Kept for a
    /// while: a tree read as a commit's is usually asked for next as its
    /// child's parent's.
    fn pair(&mut self, old: Option<ObjectId>, new: Option<ObjectId>) -> Result<Pair, ReadFailure>;
    /// The entries of `tree` (none for `None`).
    fn entries(&mut self, tree: Option<ObjectId>) -> Result<Entries, ReadFailure>;
}

/// Two trees to compare, parsed (see [`TreeReader::pair`]): before, after.
pub(crate) type Pair = (Option<Rc<SortedTree>>, Option<Rc<SortedTree>>);

/// A tree's entries by name: (is a tree, mode bits, id).
pub(crate) type Entries = BTreeMap<Vec<u8>, (bool, u16, ObjectId)>;

/// One entry of a raw tree: (name, is a tree, mode bits, id).
pub(crate) type Entry<'a> = (&'a [u8], bool, u16, ObjectId);

/// An entry's value: (is a tree, mode bits, id).
pub(crate) type Value = (bool, u16, ObjectId);

/// One entry that differs between two trees: its name, and its value
/// before and after (`None`: absent).
pub(crate) type Change<'a> = (&'a [u8], Option<Value>, Option<Value>);

/// The entries that differ between two sequences of entries in git's
/// order, in that order (one pass, nothing kept of equal entries), each
/// sequence given by its length and its `i`th entry.
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
#[derive(Clone, Copy, Debug, PartialEq)]
struct Slot {
    name: (u32, u32),
    value: Value,
}

/// Parse the entries of `data[from..to]` onto `slots` (which hold the
/// entries before `from`); false when they do not decode into whole
/// entries ending at `to`, or are out of git's order (with the entry
/// before them too).
fn slots_of(
    data: &[u8],
    (from, to): (usize, usize),
    hash: gix::hash::Kind,
    slots: &mut Vec<Slot>,
) -> bool {
    let Some(part) = data.get(from..to) else {
        return false;
    };
    let base = data.as_ptr() as usize;
    let mut last = slots.last().map(|s| (name_in(data, s), s.value.0));
    for entry in gix::objs::TreeRefIter::from_bytes(part, hash) {
        let Ok(entry) = entry else {
            return false;
        };
        let name = entry.filename.as_bytes();
        let tree = entry.mode.is_tree();
        if last.is_some_and(|l| order_of(l, (name, tree)) != std::cmp::Ordering::Less) {
            return false;
        }
        last = Some((name, tree));
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
            value: (tree, entry.mode.value(), entry.oid.to_owned()),
        });
    }
    true
}

/// The name of the entry in `slot` of the raw tree `data`.
fn name_in<'a>(data: &'a [u8], slot: &Slot) -> &'a [u8] {
    let (start, len) = slot.name;
    &data[start as usize..(start + len) as usize]
}

/// A raw tree and its entries in git's order, parsed once: a tree read as
/// a commit's is compared again as its child's parent's.
#[derive(Clone, Default)]
pub(crate) struct SortedTree {
    data: Vec<u8>,
    slots: Vec<Slot>,
    /// The length of an object id in the raw bytes.
    hash_len: usize,
    /// Which parse of which bytes this is, unique in the process (0: not
    /// parsed).
    serial: u64,
    /// The bytes these share with the tree [`Self::index_near`] parsed
    /// them near: its ends are found once, not again by [`Self::changes`].
    near: Option<Shared>,
}

/// The bytes two trees begin and end with alike.
#[derive(Clone, Copy)]
struct Shared {
    /// The [`SortedTree::serial`] of the other tree.
    with: u64,
    /// How many bytes both begin with.
    prefix: usize,
    /// How many bytes both end with, after the entry where the shared
    /// beginning stops.
    suffix: usize,
}

/// The next [`SortedTree::serial`].
fn next_serial() -> u64 {
    static SERIALS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    SERIALS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl SortedTree {
    /// The raw tree `data`, parsed; `None` when it does not decode or its
    /// entries are out of git's order (then the caller compares by name).
    pub(crate) fn parsed(data: Vec<u8>, hash: gix::hash::Kind) -> Option<Self> {
        let mut tree = SortedTree::default();
        *tree.buffer() = data;
        tree.index(hash).then_some(tree)
    }

    /// How many entries it holds.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The buffer its raw bytes are read into; [`Self::index`] follows.
    pub(crate) fn buffer(&mut self) -> &mut Vec<u8> {
        self.slots.clear();
        (self.serial, self.near) = (0, None);
        &mut self.data
    }

    /// Parse the entries of the raw bytes read into [`Self::buffer`]; false
    /// when they do not decode or are out of git's order.
    pub(crate) fn index(&mut self, hash: gix::hash::Kind) -> bool {
        self.slots.clear();
        self.hash_len = hash.len_in_bytes();
        (self.serial, self.near) = (next_serial(), None);
        slots_of(&self.data, (0, self.data.len()), hash, &mut self.slots)
    }

    /// [`Self::index`], knowing `near`, a tree parsed before whose bytes
    /// are mostly these (a commit's root tree and its parent's): the
    /// entries in the bytes both begin and end with are taken from it, and
    /// only those between are parsed. The same entries and the same answer
    /// as [`Self::index`]: parsing from an entry's start is the same on the
    /// same bytes, and order is checked where the parts meet.
    pub(crate) fn index_near(&mut self, hash: gix::hash::Kind, near: &SortedTree) -> bool {
        self.slots.clear();
        self.hash_len = hash.len_in_bytes();
        if near.hash_len != self.hash_len {
            return self.index(hash);
        }
        let (a, b) = (&near.data, &self.data);
        let n = near.slots.len();
        let prefix = common_prefix(a, b);
        let first = partition(0..n, |i| near.end(i) <= prefix);
        self.slots.extend_from_slice(&near.slots[..first]);
        let from = near.start(first);
        let suffix = common_suffix(&a[from..], &b[from..]);
        let shared = Shared {
            with: near.serial,
            prefix,
            suffix,
        };
        (self.serial, self.near) = (next_serial(), Some(shared));
        // `near`'s first entry inside the shared end, and where it starts
        // here.
        let i = partition(first..n, |i| near.start(i) < a.len() - suffix);
        let at = if i < n {
            near.start(i) + b.len() - a.len()
        } else {
            b.len()
        };
        if !slots_of(&self.data, (from, at), hash, &mut self.slots) {
            // Not whole entries up to the shared end: parsed whole.
            return self.index(hash);
        }
        if i == n {
            return true;
        }
        if let Some(last) = self.slots.last() {
            let next = (name_in(&near.data, &near.slots[i]), near.slots[i].value.0);
            if order_of((name_in(&self.data, last), last.value.0), next) != std::cmp::Ordering::Less
            {
                return false;
            }
        }
        let (here, there) = (b.len(), a.len());
        self.slots.extend(near.slots[i..].iter().map(|s| Slot {
            name: ((s.name.0 as usize + here - there) as u32, s.name.1),
            value: s.value,
        }));
        true
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

    /// Where the `i`th entry's bytes begin.
    fn start(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            Some(before) => self.end(before),
            None => 0,
        }
    }

    /// Where the `i`th entry's bytes end (its id's last byte, plus one).
    fn end(&self, i: usize) -> usize {
        let (start, len) = self.slots[i].name;
        (start + len) as usize + 1 + self.hash_len
    }

    /// The value of the entry named `name`, if there is one: sought by its
    /// place in git's order, as a file and as a directory.
    pub(crate) fn find(&self, name: &[u8]) -> Option<Value> {
        [false, true].into_iter().find_map(|tree| {
            let i = self
                .slots
                .binary_search_by(|s| {
                    let (start, len) = s.name;
                    let entry = &self.data[start as usize..(start + len) as usize];
                    order_of((entry, s.value.0), (name, tree))
                })
                .ok()?;
            Some(self.slots[i].value)
        })
    }

    /// The entries that differ between this tree and `after`, in git's
    /// order (see [`merge`]). The entries both trees begin and end with,
    /// byte for byte, are passed over unread: two neighbouring root trees
    /// mostly differ in an entry or two.
    pub(crate) fn changes<'a>(&'a self, after: &'a SortedTree) -> Vec<Change<'a>> {
        let (first, (n, m)) = self.same_ends(after);
        merge(
            (n - first, |i| self.entry(first + i)),
            (m - first, |j| after.entry(first + j)),
        )
    }

    /// How many entries this tree and `after` begin with byte for byte, and
    /// where in each the entries they end with byte for byte begin: parsing
    /// is the same on the same bytes from an entry's start.
    fn same_ends(&self, after: &SortedTree) -> (usize, (usize, usize)) {
        let (a, b) = (&self.data, &after.data);
        let (n, m) = (self.slots.len(), after.slots.len());
        // Found when one was parsed near the other: the same bytes either
        // way round, and the same entries up to the end of the prefix.
        let known = [(self, after), (after, self)]
            .into_iter()
            .find_map(|(x, y)| x.near.filter(|s| y.serial != 0 && s.with == y.serial));
        let prefix = match known {
            Some(s) => s.prefix,
            None => common_prefix(a, b),
        };
        // Entries wholly inside the shared prefix are the same in both.
        let first = partition(0..n.min(m), |i| self.end(i) <= prefix);
        let from = self.start(first);
        let suffix = match known {
            Some(s) => s.suffix,
            None => common_suffix(&a[from..], &b[from..]),
        };
        // This tree's first entry inside the shared suffix, and the entry
        // of `after` that starts on the same byte of it, if one does.
        let i = partition(first..n, |i| self.start(i) < a.len() - suffix);
        if i < n {
            let at = self.start(i) + b.len() - a.len();
            let j = partition(first..m, |j| after.start(j) < at);
            if j < m && after.start(j) == at {
                return (first, (i, j));
            }
        }
        (first, (n, m))
    }
}

/// The first index of `range` for which `before` no longer holds (`before`
/// holds for a run at the range's start, then never again).
fn partition(range: std::ops::Range<usize>, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (range.start, range.end);
    while low < high {
        let mid = low + (high - low) / 2;
        if before(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// How many bytes `a` and `b` begin with alike.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 64 <= n && a[i..i + 64] == b[i..i + 64] {
        i += 64;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// How many bytes `a` and `b` end with alike.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + 64 <= n && a[ea - i - 64..ea - i] == b[eb - i - 64..eb - i] {
        i += 64;
    }
    while i < n && a[ea - i - 1] == b[eb - i - 1] {
        i += 1;
    }
    i
}

/// The order of two entries in a git tree: by name, a tree's name compared
/// as if it ended in `/` (git's `base_name_compare`).
fn tree_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    order_of((a.0, a.1), (b.0, b.1))
}

/// [`tree_order`] of two (name, is a tree) pairs.
fn order_of(a: (&[u8], bool), b: (&[u8], bool)) -> std::cmp::Ordering {
    let common = a.0.len().min(b.0.len());
    a.0[..common].cmp(&b.0[..common]).then_with(|| {
        let next = |(name, tree): (&[u8], bool)| match name.get(common) {
            Some(&c) => u32::from(c),
            None if tree => u32::from(b'/'),
            None => 0,
        };
        next(a).cmp(&next(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::raw_tree;

    /// The entries that differ between two trees' entries in git's order:
    /// the whole comparison, the oracle of [`SortedTree::changes`].
    fn changes<'a>(before: &[Entry<'a>], after: &[Entry<'a>]) -> Vec<Change<'a>> {
        merge((before.len(), |i| before[i]), (after.len(), |j| after[j]))
    }

    /// The entries of a raw tree in order; `None` when it does not decode or
    /// its entries are out of git's order (then the slow path compares it).
    fn sorted_entries(data: &[u8], hash: gix::hash::Kind) -> Option<Vec<Entry<'_>>> {
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
        let parse = |data: Vec<u8>| SortedTree::parsed(data, hash);
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
        assert_eq!(before.data, &old[..]);
        // Read again into the same buffers: the old entries are gone.
        let mut reused = before;
        *reused.buffer() = new;
        assert!(reused.index(hash));
        assert!(reused.changes(&after).is_empty());
        // `c` before `b`: not git's order.
        assert!(parse(raw_tree(&[("100644", "c", 1), ("100644", "b", 2)])).is_none());
        assert!(parse(b"100644 broken".to_vec()).is_none());
    }

    /// The entries two trees begin and end with alike are passed over,
    /// and what is left compares like the whole trees: trees that differ
    /// by changed, added, removed and renamed entries, names of every
    /// length (so that equal bytes at the ends need not start an entry in
    /// both), ids of repeated bytes.
    #[test]
    fn trimmed_ends_change_nothing_in_the_comparison() {
        let hash = gix::hash::Kind::Sha1;
        let parse = |data: &[u8]| SortedTree::parsed(data.to_vec(), hash);
        let mut seed = 0x2545_f491_u64;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        // A name may hold a space: its last bytes can look like a whole
        // entry of another tree.
        let names = [
            "a",
            "aa",
            "a.b",
            "ab",
            "b",
            "ba",
            "bb",
            "c",
            "cab",
            "d",
            "de",
            "a100644 e",
            "e",
        ];
        let (before, after) = (
            parse(&raw_tree(&[("100644", "e", 1), ("100644", "f", 2)])).expect("old"),
            parse(&raw_tree(&[("100644", "a100644 e", 1), ("100644", "f", 2)])).expect("new"),
        );
        assert_eq!(before.changes(&after).len(), 2, "e gone, a100644 e added");
        // Parsed knowing a neighbour in order, a tree out of order is
        // still refused: inside the part parsed, and where it meets the
        // parts taken from the neighbour.
        let near = parse(&raw_tree(&[
            ("100644", "a", 1),
            ("100644", "b", 2),
            ("100644", "c", 3),
            ("100644", "d", 4),
        ]))
        .expect("in order");
        for disorder in [
            &[
                ("100644", "a", 1),
                ("100644", "c", 5),
                ("100644", "b", 6),
                ("100644", "d", 4),
            ][..],
            &[
                ("100644", "a", 1),
                ("100644", "b", 2),
                ("100644", "e", 7),
                ("100644", "d", 4),
            ],
            &[
                ("100644", "b", 8),
                ("100644", "b", 2),
                ("100644", "c", 3),
                ("100644", "d", 4),
            ],
            &[
                ("100644", "a", 1),
                ("100644", "d", 9),
                ("100644", "c", 3),
                ("100644", "d", 4),
            ],
        ] {
            let mut known = SortedTree::default();
            *known.buffer() = raw_tree(disorder);
            assert!(!known.index_near(hash, &near), "{disorder:?}");
        }
        let (mut heads, mut tails) = (0, 0);
        for round in 0..2000 {
            let mut old: Vec<(String, &str, u8)> = Vec::new();
            for name in names {
                if next(3) > 0 {
                    let mode = if next(4) == 0 { "40000" } else { "100644" };
                    old.push((name.to_string(), mode, next(3) as u8));
                }
            }
            let mut new = old.clone();
            for _ in 0..next(3) {
                if new.is_empty() {
                    break;
                }
                let at = next(new.len() as u64) as usize;
                match next(3) {
                    0 => new[at].2 = next(3) as u8 + 3,
                    1 => drop(new.remove(at)),
                    _ => new[at].0.push('x'),
                }
            }
            let raw = |entries: &[(String, &str, u8)]| {
                let mut sorted: Vec<(&str, &str, u8)> = entries
                    .iter()
                    .map(|(n, m, i)| (*m, n.as_str(), *i))
                    .collect();
                sorted.sort_by(|a, b| {
                    order_of(
                        (a.1.as_bytes(), a.0 == "40000"),
                        (b.1.as_bytes(), b.0 == "40000"),
                    )
                });
                sorted.dedup_by(|a, b| a.1 == b.1);
                // Ids that differ in their last byte only.
                let mut out = Vec::new();
                for (mode, name, id) in sorted {
                    out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
                    out.extend_from_slice(&[0; 19]);
                    out.push(id);
                }
                out
            };
            let (old, new) = (raw(&old), raw(&new));
            let (Some(before), Some(after)) = (parse(&old), parse(&new)) else {
                continue;
            };
            let whole = changes(
                &sorted_entries(&old, hash).expect("old"),
                &sorted_entries(&new, hash).expect("new"),
            );
            assert_eq!(before.changes(&after), whole, "round {round}");
            // Parsed knowing its neighbour, a tree has the same entries.
            for (tree, near) in [
                (&old, &before),
                (&new, &after),
                (&new, &before),
                (&old, &after),
            ] {
                let mut known = SortedTree::default();
                *known.buffer() = tree.clone();
                assert!(known.index_near(hash, near), "round {round}");
                let parsed = parse(tree).expect("in order");
                assert_eq!(known.slots, parsed.slots, "round {round}");
                // The ends found while parsing compare like ends found
                // afresh, either way round.
                assert!(known.near.is_some_and(|s| s.with == near.serial));
                assert_eq!(known.changes(near), parsed.changes(near), "round {round}");
                assert_eq!(near.changes(&known), near.changes(&parsed), "round {round}");
            }
            let (first, (i, _)) = before.same_ends(&after);
            heads += usize::from(first > 0);
            tails += usize::from(i < before.slots.len());
            assert_eq!(
                after.changes(&before).len(),
                whole.len(),
                "round {round}, the other way"
            );
        }
        assert!(heads > 500 && tails > 500, "{heads} {tails}");
    }
}
