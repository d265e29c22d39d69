//! What root trees hold at a few top-level names, noted once per tree.
//!
//! The path rules ask, commit after commit, what the root tree holds at
//! `roadmap`, `roadlint.toml` or `.roadlint`; a root tree is read and
//! parsed once for all of them, and most roots hold the same entries there.

use super::tree_diff::SortedTree;
use gix::ObjectId;

/// What a tree holds at a path: whether it is a blob, and its id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Found {
    /// Whether the entry is a blob (else a tree).
    pub(crate) blob: bool,
    /// The entry's object.
    pub(crate) id: ObjectId,
}

impl Found {
    /// An entry of `mode` and `id`, when it is a blob or a tree (links and
    /// submodules are neither).
    pub(crate) fn of(mode: gix::objs::tree::EntryMode, id: ObjectId) -> Option<Found> {
        (mode.is_blob() || mode.is_tree()).then_some(Found {
            blob: mode.is_blob(),
            id,
        })
    }
}

/// Root trees whose top-level entries [`TopEntries`] remembers, at most.
const TOP_TREES: usize = 1 << 18;

/// What a root tree holds at each of the names of a [`TopEntries`].
type Tops = Box<[Option<Found>]>;

/// What root trees hold at a few top-level names, noted once per tree: by
/// the planning check, which reads both root trees of every commit its
/// filters cannot settle, and by the path pass for the trees it reads
/// itself. The path rules' lookups of those names in those trees are then
/// answered without reading or scanning them again. Most roots hold the
/// same entries there, so each distinct set is kept once and a root costs
/// an id and an index.
#[derive(Default)]
pub(crate) struct TopEntries {
    names: Vec<String>,
    found: gix::hashtable::HashMap<ObjectId, u32>,
    values: Vec<Tops>,
    index: std::collections::HashMap<Tops, u32>,
    /// The set noted last: consecutive roots mostly hold the same.
    last: Option<u32>,
    /// What the root being noted holds, before it is interned.
    scratch: Vec<Option<Found>>,
}

impl TopEntries {
    /// A memo of the top-level names of `paths` (repository paths; a
    /// directory ends in `/`).
    pub(crate) fn of_paths<'p>(paths: impl IntoIterator<Item = &'p str>) -> Self {
        let mut names: Vec<String> = Vec::new();
        for p in paths {
            let top = p.split('/').next().unwrap_or_default();
            if !top.is_empty() && !names.iter().any(|n| n == top) {
                names.push(top.to_string());
            }
        }
        TopEntries {
            names,
            ..TopEntries::default()
        }
    }

    /// An empty memo asking about the same names.
    pub(crate) fn same_names(&self) -> Self {
        TopEntries {
            names: self.names.clone(),
            ..TopEntries::default()
        }
    }

    /// Whether any name is asked about.
    pub(crate) fn asks(&self) -> bool {
        !self.names.is_empty()
    }

    /// Whether what the root tree `tree` holds was noted.
    pub(crate) fn holds(&self, tree: ObjectId) -> bool {
        self.found.contains_key(&tree)
    }

    /// Note what the tree `sorted` (of id `tree`) holds at each name: what
    /// [`super::paths`]' lookups finds there.
    pub(crate) fn note(&mut self, tree: ObjectId, sorted: &SortedTree) {
        if self.names.is_empty() || self.found.len() >= TOP_TREES || self.found.contains_key(&tree)
        {
            return;
        }
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        found.extend(self.names.iter().map(|name| {
            let (_, bits, id) = sorted.find(name.as_bytes())?;
            let mode = gix::objs::tree::EntryMode::try_from(u32::from(bits)).ok()?;
            Found::of(mode, id)
        }));
        let i = self.intern(&found);
        self.found.insert(tree, i);
        self.scratch = found;
    }

    /// The index of the set `found`, each distinct set kept once.
    fn intern(&mut self, found: &[Option<Found>]) -> u32 {
        if let Some(i) = self.last.filter(|&i| *self.values[i as usize] == *found) {
            return i;
        }
        let i = match self.index.get(found) {
            Some(&i) => i,
            None => {
                let i = self.values.len() as u32;
                self.values.push(found.into());
                self.index.insert(found.into(), i);
                i
            }
        };
        self.last = Some(i);
        i
    }

    /// Add what `other` noted.
    pub(crate) fn extend(&mut self, other: TopEntries) {
        if self.found.is_empty() && self.names == other.names {
            // Nothing of ours to keep: theirs, whole, unhashed again.
            *self = other;
            return;
        }
        // Each of `other`'s distinct sets is interned once.
        let mut ours: Vec<Option<u32>> = vec![None; other.values.len()];
        self.found.reserve(
            other
                .found
                .len()
                .min(TOP_TREES.saturating_sub(self.found.len())),
        );
        for (tree, i) in other.found {
            if self.found.len() >= TOP_TREES {
                break;
            }
            if self.found.contains_key(&tree) {
                continue;
            }
            let mine = match ours[i as usize] {
                Some(m) => m,
                None => *ours[i as usize].insert(self.intern(&other.values[i as usize])),
            };
            self.found.insert(tree, mine);
        }
    }

    /// What `tree` holds at the top-level `name`, when noted.
    pub(crate) fn get(&self, tree: ObjectId, name: &str) -> Option<Option<Found>> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(self.values[*self.found.get(&tree)? as usize][i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::raw_tree;

    #[test]
    fn top_entries_answer_what_a_lookup_of_the_name_finds() {
        let mut tops = TopEntries::of_paths([
            "roadmap/",
            "roadlint.toml",
            "roadmap/tech.toml",
            "docs/a.md",
            "link",
        ]);
        assert_eq!(tops.names, ["roadmap", "roadlint.toml", "docs", "link"]);
        let parsed = |entries: &[(&str, &str, u8)]| {
            SortedTree::parsed(raw_tree(entries), gix::hash::Kind::Sha1)
        };
        let sorted = parsed(&[
            ("40000", "docs", 1),
            ("120000", "link", 2),
            ("100644", "roadlint.toml", 3),
            ("100644", "roadmap", 4),
        ])
        .expect("in git's order");
        let tree = ObjectId::from_bytes_or_panic(&[9; 20]);
        tops.note(tree, &sorted);
        let id = |n: u8| ObjectId::from_bytes_or_panic(&[n; 20]);
        let found = |blob, n| Some(Some(Found { blob, id: id(n) }));
        assert!(tops.get(tree, "docs") == found(false, 1));
        // A link is neither a blob nor a tree.
        assert!(tops.get(tree, "link") == Some(None));
        assert!(tops.get(tree, "roadlint.toml") == found(true, 3));
        // A file where the path rules look for a folder is still noted.
        assert!(tops.get(tree, "roadmap") == found(true, 4));
        // Not a noted name, or not a noted tree: the lookup reads the tree.
        assert!(tops.get(tree, "roadmap/tech.toml").is_none());
        assert!(tops.get(id(7), "docs").is_none());
        // A name twice is out of git's order: such a tree is never noted.
        assert!(parsed(&[("100644", "a", 1), ("100644", "a", 2)]).is_none());
    }

    /// Memos noted on several cores merge into one that answers what each
    /// did: the first taken whole into an empty memo, the next merged.
    #[test]
    fn merged_memos_answer_what_each_noted() {
        let paths = ["roadmap/", "roadlint.toml"];
        let id = |n: u8| ObjectId::from_bytes_or_panic(&[n; 20]);
        let noted = |tree: u8, config: u8| {
            let mut tops = TopEntries::of_paths(paths);
            let entries = [("100644", "roadlint.toml", config), ("40000", "roadmap", 1)];
            let sorted = SortedTree::parsed(raw_tree(&entries), gix::hash::Kind::Sha1)
                .expect("in git's order");
            tops.note(id(tree), &sorted);
            tops
        };
        let mut merged = TopEntries::of_paths(paths);
        merged.extend(noted(10, 3));
        merged.extend(noted(11, 4));
        merged.extend(noted(10, 5));
        let config = |tree| merged.get(id(tree), "roadlint.toml");
        let blob = |n| {
            Some(Some(Found {
                blob: true,
                id: id(n),
            }))
        };
        // A tree noted twice keeps what was noted first.
        assert!(config(10) == blob(3));
        assert!(config(11) == blob(4));
        assert!(
            merged.get(id(11), "roadmap")
                == Some(Some(Found {
                    blob: false,
                    id: id(1)
                }))
        );
        assert!(config(12).is_none());
    }
}
