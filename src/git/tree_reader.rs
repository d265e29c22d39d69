//! Reading root trees and trees, raw, on one repository handle, for passes
//! that compare each commit's root tree with its first parent's (the
//! planning check and attribution by path): root trees come from the walk
//! or the commit-graph when they hold them, and the trees read last are
//! kept, since a commit's parent is usually the next commit asked about.

use super::chains::{ChainReader, PackFiles};
use super::commit::WalkedCommit;
use super::packed::Located;
use super::tree_diff::{Entries, Pair, SortedTree, TreeReader};
use super::workers::ReadFailure;
use super::GitRepo;
use gix::objs::FindExt as _;
use gix::ObjectId;
use std::collections::VecDeque;
use std::rc::Rc;

/// Trees [`TreeReader::pair`] keeps parsed.
const RECENT_TREES: usize = 16;
/// [`RawTrees::expect`] sweeps the pack indexes for its ids when they are
/// at least one in this many of the objects the indexes list.
const SPARSEST_SWEEP: u64 = 256;
/// Buffers of trees no longer kept, for the next trees read.
const SPARE_TREES: usize = 4;

/// Root trees and trees of one repository handle, read raw.
pub(crate) struct RawTrees<'a> {
    repo: &'a gix::Repository,
    /// Trees read straight from the packs (see [`super::chains`]), when
    /// they can be.
    chains: Option<ChainReader<'a>>,
    /// The packs `chains` reads.
    packs: Option<&'a PackFiles>,
    /// Where the trees named to [`Self::expect`] lie in the packs.
    ahead: gix::hashtable::HashMap<ObjectId, (usize, u64)>,
    graph: Option<std::sync::Arc<gix::commitgraph::Graph>>,
    roots: Option<&'a gix::hashtable::HashMap<ObjectId, ObjectId>>,
    buf: Vec<u8>,
    /// The trees read last, parsed, for [`TreeReader::pair`].
    recent: VecDeque<(ObjectId, Rc<SortedTree>)>,
    /// Trees dropped from `recent` that nothing holds: their buffers are
    /// read into again, so reading a tree allocates nothing.
    spare: Vec<Rc<SortedTree>>,
    /// The empty tree (a root commit's parent's).
    empty: Rc<SortedTree>,
}

impl<'a> RawTrees<'a> {
    /// A reader on `repo` (whose `packs` are read straight when given),
    /// using its commit-graph `graph` (see [`GitRepo::commit_graph`]), and
    /// `roots` (root trees by commit, as the walk read them), when the
    /// reader is asked for commits' root trees.
    pub(crate) fn new(
        (repo, packs): (&'a gix::Repository, Option<&'a PackFiles>),
        graph: Option<std::sync::Arc<gix::commitgraph::Graph>>,
        roots: Option<&'a gix::hashtable::HashMap<ObjectId, ObjectId>>,
    ) -> Self {
        RawTrees {
            repo,
            chains: packs.map(PackFiles::reader),
            packs,
            ahead: Default::default(),
            graph,
            roots,
            buf: Vec::new(),
            recent: VecDeque::new(),
            spare: Vec::new(),
            empty: Rc::default(),
        }
    }

    /// Whether the commit-graph holds commit `id` at position `pos`.
    pub(crate) fn graph_holds(&self, pos: u32, id: ObjectId) -> bool {
        self.graph.as_ref().is_some_and(|g| {
            pos < g.num_commits() && g.id_at(gix::commitgraph::Position(pos)) == id
        })
    }

    /// Whether a pass reads `commits` oldest first (see
    /// [`super::workers::bases_are_older`]), asked on `git`'s own handle.
    pub(crate) fn bases_are_older(
        git: &GitRepo,
        commits: &[&WalkedCommit],
        roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
    ) -> Result<bool, ReadFailure> {
        let mut trees = RawTrees::new((&git.repo, None), git.commit_graph(), Some(roots));
        super::workers::bases_are_older(&git.repo, commits, |c| {
            let (new, old) = trees.roots_of(c)?;
            Ok(old.map(|old| (new, old)))
        })
    }

    /// The root tree of `commit`.
    pub(crate) fn root(&mut self, commit: ObjectId) -> Result<ObjectId, ReadFailure> {
        if let Some(tree) = self.roots.and_then(|r| r.get(&commit)) {
            return Ok(*tree);
        }
        if let Some(g) = &self.graph {
            if let Some(pos) = g.lookup(commit) {
                return Ok(g.commit_at(pos).root_tree_id().to_owned());
            }
        }
        let fail = |e: &dyn std::fmt::Display| ReadFailure::Other(commit, e.to_string());
        self.repo
            .objects
            .find_commit_iter(&commit, &mut self.buf)
            .map_err(|e| ReadFailure::of(commit, None, &e, true))?
            .tree_id()
            .map_err(|e| fail(&e))
    }

    /// The root trees of `c` and of its first parent (`None` for a root
    /// commit). A commit the walk found in the commit-graph is read there by
    /// its position, its first parent by the position the graph records:
    /// no lookup of either id.
    pub(crate) fn roots_of(
        &mut self,
        c: &WalkedCommit,
    ) -> Result<(ObjectId, Option<ObjectId>), ReadFailure> {
        if let (Some(g), Some(pos)) = (&self.graph, c.graph_position) {
            let at = gix::commitgraph::Position(pos);
            if pos < g.num_commits() && g.id_at(at) == c.id {
                let commit = g.commit_at(at);
                let new = commit.root_tree_id().to_owned();
                let parent = commit.iter_parents().next().and_then(Result::ok);
                let old = match (c.first_parent, parent) {
                    (None, _) => None,
                    (Some(p), Some(at)) if g.id_at(at) == p => {
                        Some(g.commit_at(at).root_tree_id().to_owned())
                    }
                    (Some(p), _) => Some(self.root(p)?),
                };
                return Ok((new, old));
            }
        }
        let new = self.root(c.id)?;
        let old = c.first_parent.map(|p| self.root(p)).transpose()?;
        Ok((new, old))
    }

    /// Find where the trees `ids` lie in the packs, for the reads that
    /// follow, in place of one search of the pack indexes for each tree
    /// read (what was found for the ids named before is forgotten).
    ///
    /// Each search reads places spread over the whole index, most of them
    /// not in the processor's caches: on the generated 100k repository,
    /// searching for each root tree was a quarter of the planning check.
    /// The ids named together are searched for in their sorted order
    /// instead, each from the place of the one before (see
    /// [`super::packed`]).
    pub(crate) fn expect(&mut self, ids: &[ObjectId]) {
        self.ahead.clear();
        let Some(packs) = self.packs.filter(|_| self.chains.is_some()) else {
            return;
        };
        // Ids far apart in the index are found faster one by one: a sweep
        // steps over the pages between them.
        let listed: u64 = packs
            .bundles()
            .iter()
            .map(|b| u64::from(b.index.num_objects()))
            .sum();
        if (ids.len() as u64).saturating_mul(SPARSEST_SWEEP) < listed {
            return;
        }
        let located = Located::find_here(self.packs, ids);
        for (i, id) in ids.iter().enumerate() {
            if let Some(place) = located.place(i) {
                self.ahead.insert(*id, place);
            }
        }
    }

    /// Whether tree `id` was read into `buf` straight from the packs (when
    /// it was not, the object database says why).
    pub(crate) fn packed_tree(&mut self, id: &gix::oid, buf: &mut Vec<u8>) -> bool {
        let Some(chains) = self.chains.as_mut() else {
            return false;
        };
        match self.ahead.get(id) {
            Some(&place) => chains.tree_at(place, buf),
            None => chains.find_tree(id, buf),
        }
    }

    /// Tree `id`, parsed near the tree read last; `None` when its entries
    /// are out of git's order.
    pub(crate) fn parsed(&mut self, id: ObjectId) -> Result<Option<Rc<SortedTree>>, ReadFailure> {
        self.sorted(Some(id), None)
    }

    /// The raw bytes of tree `id`, in `buf`.
    fn raw_tree(&mut self, id: ObjectId, buf: &mut Vec<u8>) -> Result<(), ReadFailure> {
        if self.packed_tree(&id, buf) {
            return Ok(());
        }
        self.repo
            .objects
            .find_tree_iter(&id, buf)
            .map_err(|e| ReadFailure::of(id, None, &e, true))?;
        Ok(())
    }

    /// Whether tree `id` is kept parsed (or is the empty tree).
    fn keeps(&self, id: Option<ObjectId>) -> bool {
        id.is_none_or(|id| self.recent.iter().any(|(t, _)| *t == id))
    }

    /// Tree `id` (the empty tree for `None`), its entries parsed once near
    /// `near` (else near the tree read last), or `None` when they are out
    /// of git's order.
    fn sorted(
        &mut self,
        id: Option<ObjectId>,
        near: Option<&Rc<SortedTree>>,
    ) -> Result<Option<Rc<SortedTree>>, ReadFailure> {
        let Some(id) = id else {
            return Ok(Some(self.empty.clone()));
        };
        if let Some((_, tree)) = self.recent.iter().find(|(t, _)| *t == id) {
            return Ok(Some(tree.clone()));
        }
        // Only spare trees nothing else holds are kept: written in place.
        let mut tree = self.spare.pop().unwrap_or_default();
        let hash = self.repo.object_hash();
        let t = Rc::make_mut(&mut tree);
        self.raw_tree(id, t.buffer())?;
        // Failing a tree it is compared with, the tree read last is most
        // likely its neighbour in history.
        let near = near
            .filter(|n| !Rc::ptr_eq(n, &self.empty))
            .or(self.recent.back().map(|(_, n)| n));
        let parsed = match near {
            Some(near) => t.index_near(hash, near),
            None => t.index(hash),
        };
        if !parsed {
            return Ok(None);
        }
        if self.recent.len() == RECENT_TREES {
            if let Some((_, old)) = self.recent.pop_front() {
                if self.spare.len() < SPARE_TREES && Rc::strong_count(&old) == 1 {
                    self.spare.push(old);
                }
            }
        }
        self.recent.push_back((id, tree.clone()));
        Ok(Some(tree))
    }
}

impl TreeReader for RawTrees<'_> {
    fn pair(&mut self, old: Option<ObjectId>, new: Option<ObjectId>) -> Result<Pair, ReadFailure> {
        // The two are mostly the same bytes: the one not kept is parsed
        // near the other (a commit's tree near its parent's, and a
        // directory near the same directory a commit before).
        if self.keeps(old) || !self.keeps(new) {
            let before = self.sorted(old, None)?;
            let after = self.sorted(new, before.as_ref())?;
            Ok((before, after))
        } else {
            let after = self.sorted(new, None)?;
            let before = self.sorted(old, after.as_ref())?;
            Ok((before, after))
        }
    }

    fn entries(&mut self, tree: Option<ObjectId>) -> Result<Entries, ReadFailure> {
        let Some(id) = tree else {
            return Ok(Entries::new());
        };
        let mut buf = std::mem::take(&mut self.buf);
        self.raw_tree(id, &mut buf)?;
        let iter = gix::objs::TreeRefIter::from_bytes(&buf, id.kind());
        let mut out = Entries::new();
        for entry in iter {
            let entry = entry.map_err(|e| ReadFailure::Other(id, e.to_string()))?;
            out.insert(
                entry.filename.to_vec(),
                (
                    entry.mode.is_tree(),
                    entry.mode.value(),
                    entry.oid.to_owned(),
                ),
            );
        }
        self.buf = buf;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;
    use std::path::Path;

    /// `n` commits each changing one of twenty files, repacked, and one
    /// loose commit on top; the root trees, newest first.
    fn repository(dir: &Path, n: usize) -> Vec<ObjectId> {
        let at = "2025-01-01T00:00:00Z";
        git(dir, &["init", "-q", "-b", "main"], at);
        for i in 0..n {
            std::fs::write(dir.join(format!("f{:02}", i % 20)), format!("{i}\n")).expect("written");
            git(dir, &["add", "-A"], at);
            git(dir, &["commit", "-q", "-m", &format!("c{i}")], at);
        }
        git(dir, &["repack", "-adq"], at);
        std::fs::write(dir.join("loose"), "x\n").expect("written");
        git(dir, &["add", "-A"], at);
        git(dir, &["commit", "-q", "-m", "loose"], at);
        git(dir, &["log", "--format=%T", "main"], at)
            .lines()
            .map(|l| ObjectId::from_hex(l.as_bytes()).expect("an id"))
            .collect()
    }

    /// Trees found ahead in one sweep are where a search finds them, and
    /// read back as themselves; a tree no pack lists is left to the object
    /// database; a few ids among many objects are searched one by one.
    #[test]
    fn trees_expected_together_are_found_where_a_search_finds_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let roots = repository(dir.path(), 90);
        let repo = gix::open(dir.path()).expect("opens");
        let packs = PackFiles::open(&dir.path().join(".git/objects"), gix::hash::Kind::Sha1);
        let index = &packs.bundles()[0].index;
        assert!(
            index.num_objects() > 256,
            "enough objects for a sparse case"
        );
        let mut trees = RawTrees::new((&repo, Some(&packs)), None, None);
        trees.expect(&roots);
        // The newest root tree is loose; every other one was found.
        assert_eq!(trees.ahead.len(), roots.len() - 1);
        let mut buf = Vec::new();
        for (n, id) in roots.iter().enumerate() {
            let searched = index.lookup(id).map(|i| (0, index.pack_offset_at_index(i)));
            assert_eq!(trees.ahead.get(id).copied(), searched, "{id}");
            assert_eq!(trees.packed_tree(id, &mut buf), n > 0, "{id}");
            if n > 0 {
                let hashed =
                    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Tree, &buf)
                        .expect("hashed");
                assert_eq!(&hashed, id);
            }
        }
        // One id among hundreds of objects: nothing swept, still read.
        trees.expect(&roots[1..2]);
        assert!(trees.ahead.is_empty());
        assert!(trees.packed_tree(&roots[1], &mut buf));
    }
}
