//! Path history: which commits changed a roadmap file, and how.
//!
//! The path rules (`locked-scope`, `maturity-pipeline`) need, for a file,
//! every commit that changed it relative to its first parent. Root trees come
//! from the commit-graph (or the walk), equal trees are skipped, the parent
//! directory is compared before the file, lookups are memoized per tree id,
//! and the whole history is worked out across the cores ahead of the rules.
//! What is remembered between runs, and the objects read for the rules, are
//! the history's (`history::paths::TreeCache` over [`PathChanges`]).

use super::bloom::{Blooms, Keys};
use super::chains::PackFiles;
use super::commit::{PathChange, WalkedCommit};
use super::error::GitError;
use super::repo::GitRepo;
use super::top_entries::{Found, TopEntries};
use super::tree_diff::TreeReader as _;
use super::tree_reader::RawTrees;
use super::workers::{on_every_core, stored_against_history, AfterRun, ReadFailure};
use gix::ObjectId;
use std::sync::Arc;

/// A commit's raw message (everything after the header).
pub(crate) fn raw_commit_message(git: &GitRepo, id: ObjectId) -> Result<Vec<u8>, GitError> {
    let commit = git
        .repo
        .find_commit(id)
        .map_err(|e| git.missing(id, None, e))?;
    Ok(commit.message_raw_sloppy().to_vec())
}

/// Entries a memo of [`Trees`] holds before it starts over.
const MEMO_ENTRIES: usize = 1 << 16;

/// Root trees with fewer entries are not noted: scanning them name by name
/// costs less (the generated 100k repository's root trees hold 8 entries;
/// git/git's 563, its first commit's 11).
const NOTED_FROM_ENTRIES: usize = 32;

/// Small root trees in a row after which a pass stops noting root trees.
const SMALL_ROOTS_IN_A_ROW: u32 = 64;

/// Root-tree and path lookups on one repository handle, memoized per tree id.
struct Trees<'a> {
    repo: &'a gix::Repository,
    /// Trees read raw (straight from the packs when they can be, see
    /// [`super::chains`]), and root trees parsed.
    raw: RawTrees<'a>,
    graph: Option<std::sync::Arc<gix::commitgraph::Graph>>,
    /// Root trees the walk read (when there is no commit-graph).
    walked: Option<&'a gix::hashtable::HashMap<ObjectId, ObjectId>>,
    /// Root trees of commits the commit-graph does not know.
    roots: gix::hashtable::HashMap<ObjectId, Option<ObjectId>>,
    /// The last two root lookups: a commit's parent is usually asked next.
    recent: [(ObjectId, Option<ObjectId>); 2],
    next_recent: usize,
    /// Interned lookup paths; `entries[i]` memoizes `names[i]` by tree id.
    names: Vec<String>,
    entries: Vec<gix::hashtable::HashMap<ObjectId, Option<Found>>>,
    /// The commit-graph's changed-path filters, when it has them.
    blooms: Option<Arc<Blooms>>,
    /// The filter keys of the paths asked about.
    keys: Vec<(String, Option<Keys>)>,
    /// Top-level entries of root trees an earlier pass read.
    tops: Option<&'a TopEntries>,
    /// Top-level entries of the root trees this pass read, at the names of
    /// the paths it asks about.
    noted: TopEntries,
    /// Root trees too small to note, read in a row.
    small_roots: u32,
    /// The last two trees [`Self::entry_in`] read, raw.
    read: [(Option<ObjectId>, Vec<u8>); 2],
    next_read: usize,
}

impl<'a> Trees<'a> {
    fn with_graph(
        (repo, packs): (&'a gix::Repository, Option<&'a PackFiles>),
        walked: Option<&'a gix::hashtable::HashMap<ObjectId, ObjectId>>,
        graph: Option<std::sync::Arc<gix::commitgraph::Graph>>,
    ) -> Self {
        Trees {
            repo,
            raw: RawTrees::new((repo, packs), None, None),
            walked,
            graph,
            roots: Default::default(),
            recent: [(ObjectId::null(repo.object_hash()), None); 2],
            next_recent: 0,
            names: Vec::new(),
            entries: Vec::new(),
            blooms: None,
            keys: Vec::new(),
            tops: None,
            noted: TopEntries::default(),
            small_roots: 0,
            read: Default::default(),
            next_read: 0,
        }
    }

    /// Whether the changed-path filter of `c` proves it left `path` alone.
    fn filtered_out(&mut self, c: &WalkedCommit, path: &str) -> bool {
        let (Some(blooms), Some(pos)) = (self.blooms.clone(), c.graph_position) else {
            return false;
        };
        let i = match self.keys.iter().position(|(p, _)| p == path) {
            Some(i) => i,
            None => {
                self.keys.push((path.to_string(), Keys::of(path)));
                self.keys.len() - 1
            }
        };
        self.keys[i]
            .1
            .as_ref()
            .is_some_and(|k| blooms.unchanged(pos, k))
    }

    /// The root tree of a commit; `None` when the commit is not in the
    /// repository (beyond a shallow boundary).
    fn root(&mut self, commit: ObjectId) -> Result<Option<ObjectId>, ReadFailure> {
        if let Some((_, t)) = self.recent.iter().find(|(c, _)| *c == commit) {
            return Ok(*t);
        }
        let tree = self.root_uncached(commit)?;
        self.recent[self.next_recent] = (commit, tree);
        self.next_recent ^= 1;
        Ok(tree)
    }

    fn root_uncached(&mut self, commit: ObjectId) -> Result<Option<ObjectId>, ReadFailure> {
        if let Some(c) = self.graph.as_ref().and_then(|g| g.commit_by_id(commit)) {
            return Ok(Some(c.root_tree_id().to_owned()));
        }
        if let Some(t) = self.walked.and_then(|w| w.get(&commit)) {
            return Ok(Some(*t));
        }
        if let Some(t) = self.roots.get(&commit) {
            return Ok(*t);
        }
        let fail = |e: gix::Error| {
            let nf = e.classify().is_not_found();
            ReadFailure::of(commit, None, e, nf)
        };
        let tree = match self.repo.find_commit(commit) {
            Ok(c) => Some(c.tree_id().map_err(&fail)?.detach()),
            Err(e) if e.classify().is_not_found() && !self.repo.has_object(commit) => None,
            Err(e) => return Err(fail(e)),
        };
        if self.roots.len() >= MEMO_ENTRIES {
            self.roots.clear();
        }
        self.roots.insert(commit, tree);
        Ok(tree)
    }

    /// Whether this pass reads `commits` oldest first (see
    /// [`super::workers::bases_are_older`]).
    fn bases_are_older(&mut self, commits: &[&WalkedCommit]) -> Result<bool, ReadFailure> {
        let repo = self.repo;
        super::workers::bases_are_older(repo, commits, |c| {
            let Some(parent) = c.first_parent else {
                return Ok(None);
            };
            Ok(self.root(c.id)?.zip(self.root(parent)?))
        })
    }

    fn name(&mut self, path: &str) -> usize {
        match self.names.iter().position(|n| n == path) {
            Some(i) => i,
            None => {
                self.names.push(path.to_string());
                self.entries.push(Default::default());
                self.names.len() - 1
            }
        }
    }

    /// What `tree` holds at `path`. A nested path is found in its parent
    /// directory's tree, itself looked up the same way, and each answer is
    /// memoized by the id of the tree it was read from: a root tree is read
    /// once for all the paths under it, and a directory that several roots
    /// share is read once for all of them.
    fn lookup(&mut self, tree: Option<ObjectId>, path: &str) -> Result<Option<Found>, ReadFailure> {
        let Some(tree) = tree else {
            return Ok(None);
        };
        if let Some(found) = self.tops.and_then(|t| t.get(tree, path)) {
            return Ok(found);
        }
        if let Some(found) = self.noted.get(tree, path) {
            return Ok(found);
        }
        let (dir, name) = match path.rsplit_once('/') {
            Some((parent, name)) => match self.lookup(Some(tree), parent)? {
                Some(f) if !f.blob => (f.id, name),
                _ => return Ok(None),
            },
            None => (tree, path),
        };
        let n = self.name(path);
        if let Some(found) = self.entries[n].get(&dir) {
            return Ok(*found);
        }
        let found = self.entry_in(dir, name, path)?;
        // A commit's trees are asked again only by its nearby descendants:
        // keep the memory bounded on long histories.
        if self.entries[n].len() >= MEMO_ENTRIES {
            self.entries[n].clear();
        }
        self.entries[n].insert(dir, found);
        Ok(found)
    }

    /// The entry `name` of the tree `dir` (read for `path`, unless it is
    /// one of the two read last: a commit's paths are looked up in the same
    /// trees, its root tree above all).
    fn entry_in(
        &mut self,
        dir: ObjectId,
        name: &str,
        path: &str,
    ) -> Result<Option<Found>, ReadFailure> {
        let fail = |e: &dyn std::fmt::Display, not_found: bool, p: Option<&str>| {
            ReadFailure::of(dir, p, e, not_found)
        };
        let slot = match self.read.iter().position(|(id, _)| *id == Some(dir)) {
            Some(slot) => slot,
            None => {
                let slot = self.next_read;
                self.next_read ^= 1;
                let (id, buf) = &mut self.read[slot];
                *id = None;
                use gix::objs::Find as _;
                if !self.raw.packed_tree(&dir, buf) {
                    match self.repo.objects.try_find(&dir, buf) {
                        Ok(Some(data)) if data.kind == gix::object::Kind::Tree => {}
                        Ok(Some(data)) => {
                            let e = format!("expected a tree, found a {}", data.kind);
                            return Err(fail(&e, false, None));
                        }
                        Ok(None) => return Err(fail(&"not found", true, None)),
                        Err(e) => return Err(fail(&e, false, None)),
                    }
                }
                *id = Some(dir);
                slot
            }
        };
        for entry in gix::objs::TreeRefIter::from_bytes(&self.read[slot].1, dir.kind()) {
            let entry = entry.map_err(|e| fail(&e, false, Some(path)))?;
            if entry.filename == name.as_bytes() {
                return Ok(Found::of(entry.mode, entry.oid.to_owned()));
            }
        }
        Ok(None)
    }

    /// The root trees of `c` and of its first parent straight from the
    /// commit-graph position the walk saw it at, when that still holds them.
    fn roots_at(&self, c: &WalkedCommit) -> Option<(ObjectId, Option<ObjectId>)> {
        let graph = self.graph.as_ref()?;
        let pos = gix::commitgraph::Position(c.graph_position?);
        if pos.0 >= graph.num_commits() || graph.id_at(pos) != c.id {
            return None;
        }
        let commit = graph.commit_at(pos);
        let before = match (commit.iter_parents().next(), c.first_parent) {
            (None, None) => None,
            (Some(Ok(p)), Some(id)) if graph.id_at(p) == id => {
                Some(graph.commit_at(p).root_tree_id().to_owned())
            }
            _ => return None,
        };
        Some((commit.root_tree_id().to_owned(), before))
    }

    /// Note what the root trees `old` and `new` hold at the names asked
    /// about, each tree parsed once (near its neighbour) for all of them,
    /// unless it was noted before. A tree that does not read, or whose
    /// entries are out of git's order, is not noted: its lookups read it,
    /// and say why it does not read. Nor is a root tree of fewer than
    /// [`NOTED_FROM_ENTRIES`] entries, and after [`SMALL_ROOTS_IN_A_ROW`]
    /// of those no more root trees are.
    fn note_roots(&mut self, old: Option<ObjectId>, new: Option<ObjectId>) {
        let noted = |t: &Option<ObjectId>| {
            t.is_none_or(|t| self.noted.holds(t) || self.tops.is_some_and(|s| s.holds(t)))
        };
        if !self.noted.asks() {
            return;
        }
        let trees = match (noted(&old), noted(&new)) {
            (true, true) => return,
            (false, false) => self.raw.pair(old, new),
            (true, false) => new
                .map_or(Ok(None), |t| self.raw.parsed(t))
                .map(|n| (None, n)),
            (false, true) => old
                .map_or(Ok(None), |t| self.raw.parsed(t))
                .map(|o| (o, None)),
        };
        let Ok((before, after)) = trees else {
            return;
        };
        for (id, tree) in [(old, before), (new, after)] {
            if let (Some(id), Some(tree)) = (id, tree) {
                if tree.len() >= NOTED_FROM_ENTRIES {
                    self.small_roots = 0;
                    self.noted.note(id, &tree);
                } else {
                    self.small_roots += 1;
                    if self.small_roots >= SMALL_ROOTS_IN_A_ROW {
                        self.noted = TopEntries::default();
                    }
                }
            }
        }
    }

    /// Whether `c` changed `path` relative to its first parent. A path
    /// ending in `/` is a directory: (before, after) are its tree ids, and
    /// `/` alone is the root tree.
    fn changed(&mut self, c: &WalkedCommit, path: &str) -> Result<Option<PathChange>, ReadFailure> {
        let (after_root, before_root) = match self.roots_at(c) {
            // The position is the commit's: its filter may settle it.
            Some(_) if self.filtered_out(c, path) => return Ok(None),
            Some((after, before)) => (Some(after), before),
            None => (
                self.root(c.id)?,
                match c.first_parent {
                    Some(p) => self.root(p)?,
                    None => None,
                },
            ),
        };
        if after_root.is_some() && after_root == before_root {
            return Ok(None);
        }
        self.note_roots(before_root, after_root);
        if let Some(dir) = path.strip_suffix('/') {
            if dir.is_empty() {
                return Ok((after_root != before_root).then_some((before_root, after_root)));
            }
            let tree = |f: Option<Found>| f.filter(|f| !f.blob).map(|f| f.id);
            let after = tree(self.lookup(after_root, dir)?);
            let before = tree(self.lookup(before_root, dir)?);
            return Ok((after != before).then_some((before, after)));
        }
        // An unchanged parent directory (one memoized lookup per root tree)
        // settles most commits without reading the directory itself.
        if let Some((dir, _)) = path.rsplit_once('/') {
            if self.lookup(after_root, dir)? == self.lookup(before_root, dir)? {
                return Ok(None);
            }
        }
        let blob = |f: Option<Found>| f.filter(|f| f.blob).map(|f| f.id);
        let after = blob(self.lookup(after_root, path)?);
        let before = blob(self.lookup(before_root, path)?);
        Ok((after != before).then_some((before, after)))
    }
}

/// Which commits changed a path, worked out ahead of the rules.
pub(crate) struct Prepared {
    /// The path.
    pub path: String,
    /// Non-merge commits at or after this time (seconds) are covered.
    pub from: i64,
    /// Merges at or after `from` are covered too.
    pub merges: bool,
    /// The covered commits that changed the path.
    pub changes: gix::hashtable::HashMap<ObjectId, PathChange>,
}

/// The changes to some paths of the commits a walk read, worked out while
/// it read them (see [`follow`]).
#[derive(Default)]
pub(crate) struct Followed {
    /// The paths followed.
    paths: Vec<String>,
    /// Each commit worked out: the range of its changes in `changes`.
    commits: gix::hashtable::HashMap<ObjectId, (u32, u32)>,
    /// The changes, as (index in `paths`, change).
    changes: Vec<(u16, PathChange)>,
}

impl Followed {
    /// Where each of `paths` is among the followed ones, when all are.
    fn indices(&self, paths: &[(&str, i64)]) -> Option<Vec<u16>> {
        paths
            .iter()
            .map(|(p, _)| self.paths.iter().position(|q| q == p).map(|i| i as u16))
            .collect()
    }
}

/// Batches [`follow`] waits for a commit's parent, the commit's own included.
const WAIT_BATCHES: usize = 2;

/// Commits [`follow`] works out between releases of the pack pages it read.
const RELEASE_EVERY: usize = 2048;

/// Follow a walk that reads every commit (see
/// [`super::walk::walk_following`]) and work out the changes to `paths` of
/// each commit it hands on relative to its first parent, as soon as the
/// walk has read both (a commit's parents are read right after it): the
/// same lookups [`PathChanges::compute`] makes later, done on the core the
/// walk leaves idle. A commit whose parent the walk never read is left
/// out, and so is every commit from a tree that could not be read on:
/// those are worked out later, and any failure reported then. Trees are
/// read in the walk's order, newest first, which suits packs written by a
/// clone or `git gc` (newest versions whole, older ones deltas on them); in
/// a pack whose newest trees end long delta chains (`git fast-import`, see
/// [`stored_against_history`]) that order would resolve each tree's whole
/// chain, so all is left to `compute`, which reads in pack order.
pub(crate) fn follow(
    (repo, packs): (&gix::Repository, Option<&PackFiles>),
    paths: Vec<String>,
    steps: super::walk::Steps,
) -> Followed {
    let mut trees = Trees::with_graph((repo, packs), None, None);
    trees.noted = TopEntries::of_paths(paths.iter().map(String::as_str));
    // The pack pages read leave the resident set now and then (not after
    // every batch: the walk reads the same packs, and would fault its pages
    // back in).
    let packs = super::mapped::Packs::of(repo.objects.store_ref().path());
    let mut released_at = 0;
    let (mut commits, mut changes) = (gix::hashtable::HashMap::default(), Vec::new());
    // Commits whose parent has not come yet, with the batch they came in.
    let mut waiting: Vec<(usize, super::walk::RootStep)> = Vec::new();
    if paths.len() > usize::from(u16::MAX) {
        return Followed::default();
    }
    for (n, batch) in steps.enumerate() {
        // The first batch tells how the pack stores trees.
        if n == 0 {
            let roots: gix::hashtable::HashMap<ObjectId, ObjectId> =
                batch.iter().map(|s| (s.id, s.tree)).collect();
            let pairs = batch
                .iter()
                .filter_map(|s| Some((s.tree, *roots.get(&s.parent?)?)));
            if !matches!(stored_against_history(repo, pairs), Ok(false)) {
                break;
            }
        }
        trees
            .roots
            .extend(batch.iter().map(|s| (s.id, Some(s.tree))));
        waiting.extend(batch.into_iter().map(|s| (n, s)));
        let mut failed = false;
        waiting.retain(|&(came, super::walk::RootStep { id, parent, .. })| {
            if failed || parent.is_some_and(|p| !trees.roots.contains_key(&p)) {
                // A parent is read right after its child: one that has not
                // come by the next batch is left to the path pass (else a
                // history whose times run backwards would keep every commit
                // waiting, and this loop would go over all of them again
                // for every batch).
                return n < came + WAIT_BATCHES;
            }
            let c = WalkedCommit {
                id,
                time: 0,
                parents: u32::from(parent.is_some()),
                first_parent: parent,
                graph_position: None,
            };
            let start = changes.len();
            for (k, path) in paths.iter().enumerate() {
                match trees.changed(&c, path) {
                    Ok(Some(change)) => changes.push((k as u16, change)),
                    Ok(None) => {}
                    Err(_) => {
                        failed = true;
                        changes.truncate(start);
                        return true;
                    }
                }
            }
            commits.insert(id, (start as u32, changes.len() as u32));
            false
        });
        if commits.len() >= released_at + RELEASE_EVERY {
            packs.release();
            released_at = commits.len();
        }
        if failed {
            break;
        }
    }
    Followed {
        paths,
        commits,
        changes,
    }
}

/// Memoized root-tree and path lookups, using the commit-graph (and its
/// changed-path filters) when present, worked out on every core.
pub(crate) struct PathChanges<'r> {
    git: &'r GitRepo,
    walked: Option<&'r gix::hashtable::HashMap<ObjectId, ObjectId>>,
    /// What a follower of the walk worked out already.
    followed: Option<&'r Followed>,
    trees: Trees<'r>,
    /// Whether the changed-path filters were looked for.
    blooms_tried: bool,
    /// Top-level entries of root trees the planning check read.
    tops: TopEntries,
    /// Whether trees are read oldest first (see [`Trees::bases_are_older`]),
    /// once asked: the pack stores every part of the history alike.
    oldest_first: Option<bool>,
}

impl<'r> PathChanges<'r> {
    /// Lookups over `git`, knowing the root trees the walk read
    /// ([`super::walk::Walked::roots`]).
    pub(crate) fn new(
        git: &'r GitRepo,
        (walked, followed): (
            &'r gix::hashtable::HashMap<ObjectId, ObjectId>,
            &'r Followed,
        ),
    ) -> Self {
        let walked = (!walked.is_empty()).then_some(walked);
        // No packs read straight here: this handle asks few questions, and
        // a reader's kept delta chains would stay resident to the end of
        // the run. The workers' passes that read every tree have their own.
        PathChanges {
            git,
            walked,
            followed: (!followed.commits.is_empty()).then_some(followed),
            trees: Trees::with_graph((&git.repo, None), walked, git.commit_graph()),
            blooms_tried: false,
            tops: TopEntries::default(),
            oldest_first: None,
        }
    }

    /// Lookups over `git` for the rare question not answered from memory
    /// (a merge): commits are read instead of opening the commit-graph up
    /// front.
    pub(crate) fn without_graph(git: &'r GitRepo) -> Self {
        PathChanges {
            git,
            walked: None,
            followed: None,
            // Packs not read straight, as in [`Self::new`].
            trees: Trees::with_graph((&git.repo, None), None, None),
            blooms_tried: false,
            tops: TopEntries::default(),
            oldest_first: None,
        }
    }

    /// Answer lookups of top-level names in the root trees `tops` noted
    /// without reading those trees again.
    pub(crate) fn seed(&mut self, tops: TopEntries) {
        self.tops = tops;
    }

    /// The changes among `todo` to each path from its time on, as (index in
    /// `todo`, index in `paths`, change); every other such pair is unchanged.
    /// Commits a follower of the walk worked out are taken from it.
    pub(crate) fn compute(
        &mut self,
        todo: &[&WalkedCommit],
        paths: &[(&str, i64)],
    ) -> Result<Vec<(u32, u16, PathChange)>, ReadFailure> {
        let Some((followed, at)) = self.followed.and_then(|f| Some((f, f.indices(paths)?))) else {
            return self.read(todo, paths);
        };
        let mut found = Vec::new();
        let (mut rest, mut rest_at) = (Vec::new(), Vec::new());
        for (i, c) in todo.iter().enumerate() {
            let Some(&(start, end)) = followed.commits.get(&c.id) else {
                rest.push(*c);
                rest_at.push(i as u32);
                continue;
            };
            for &(f, change) in &followed.changes[start as usize..end as usize] {
                for (k, ((_, from), &fk)) in paths.iter().zip(&at).enumerate() {
                    if fk == f && c.time >= *from {
                        found.push((i as u32, k as u16, change));
                    }
                }
            }
        }
        let read = self.read(&rest, paths)?;
        found.extend(
            read.into_iter()
                .map(|(i, k, ch)| (rest_at[i as usize], k, ch)),
        );
        Ok(found)
    }

    /// [`Self::compute`], reading every commit's trees.
    fn read(
        &mut self,
        todo: &[&WalkedCommit],
        paths: &[(&str, i64)],
    ) -> Result<Vec<(u32, u16, PathChange)>, ReadFailure> {
        fn run(
            trees: &mut Trees<'_>,
            (part, offset): (&[&WalkedCommit], usize),
            paths: &[(&str, i64)],
            oldest_first: bool,
        ) -> Result<Vec<(u32, u16, PathChange)>, ReadFailure> {
            let mut out = Vec::new();
            let mut visit = |i: usize, c: &WalkedCommit| -> Result<(), ReadFailure> {
                for (k, (path, from)) in paths.iter().enumerate() {
                    if c.time >= *from {
                        if let Some(ch) = trees.changed(c, path)? {
                            out.push(((offset + i) as u32, k as u16, ch));
                        }
                    }
                }
                Ok(())
            };
            if oldest_first {
                for (i, c) in part.iter().enumerate().rev() {
                    visit(i, c)?;
                }
            } else {
                for (i, c) in part.iter().enumerate() {
                    visit(i, c)?;
                }
            }
            Ok(out)
        }
        let walked = self.walked;
        if !todo.is_empty() {
            self.load_blooms();
        }
        let oldest_first = match self.oldest_first {
            Some(known) => known,
            None => {
                let known = self.trees.bases_are_older(todo)?;
                self.oldest_first = Some(known);
                known
            }
        };
        let (blooms, tops) = (&self.trees.blooms, &self.tops);
        let (packs, graph) = (self.git.packs(), self.git.commit_graph());
        // Without filters every commit's trees are looked up (see
        // `planning_commits`).
        let after_run = match blooms {
            Some(_) => AfterRun::DropAll,
            None => AfterRun::KeepIndexes,
        };
        let found = on_every_core(self.git, todo, after_run, |repo, offset, part| {
            let mut trees = Trees::with_graph((repo, packs), walked, graph.clone());
            trees.blooms = blooms.clone();
            trees.tops = Some(tops);
            trees.noted = TopEntries::of_paths(paths.iter().map(|(p, _)| *p));
            run(&mut trees, (part, offset), paths, oldest_first)
        })?;
        Ok(found.into_iter().flatten().collect())
    }

    /// Read the commit-graph's changed-path filters once, when the graph
    /// is in use.
    fn load_blooms(&mut self) {
        if !self.blooms_tried && self.trees.graph.is_some() {
            self.blooms_tried = true;
            self.trees.blooms = self.git.blooms();
        }
    }

    /// Whether `c` changed `path` relative to its first parent, read from
    /// the trees: (before, after) blob ids when it did.
    pub(crate) fn changed(
        &mut self,
        c: &WalkedCommit,
        path: &str,
    ) -> Result<Option<PathChange>, GitError> {
        // A merge is judged here, not prepared: its filter may settle it.
        self.load_blooms();
        self.trees
            .changed(c, path)
            .map_err(|f| f.into_error(self.git))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::{git, opened_and_walked, root_steps};
    use crate::git::walk::{RootStep, Steps};

    /// What a follower works out is what reading the trees afterwards finds,
    /// whether commits come in one batch or many, and a commit whose parent
    /// never came is left to the reading.
    #[test]
    fn a_follower_finds_what_reading_the_trees_finds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        std::fs::create_dir_all(d.join("roadmap")).expect("mkdir");
        std::fs::create_dir_all(d.join("src/deep")).expect("mkdir");
        for i in 0..40 {
            let file = [
                "roadmap/a.toml",
                "roadmap/b.toml",
                "roadlint.toml",
                "src/deep/x.rs",
                "README",
            ][i % 5];
            std::fs::write(d.join(file), format!("{i}\n")).expect("write");
            if i == 17 {
                std::fs::remove_file(d.join("roadmap/b.toml")).expect("rm");
            }
            git(d, &["add", "-A"], "2025-01-01T00:00:00Z");
            let date = format!("2025-01-02T00:{i:02}:00Z");
            git(d, &["commit", "-q", "-m", &format!("c{i}")], &date);
        }
        let (repo, walked) = opened_and_walked(d);
        let commits: Vec<&WalkedCommit> = walked.iter().collect();
        let steps = root_steps(&repo, &commits);
        let names = [
            "roadmap/",
            "roadmap/a.toml",
            "roadmap/b.toml",
            "roadlint.toml",
            "src/deep/x.rs",
        ];
        let paths: Vec<(&str, i64)> = names.iter().map(|p| (*p, i64::MIN)).collect();
        let owned: Vec<String> = names.iter().map(|p| p.to_string()).collect();
        let no_roots = gix::hashtable::HashMap::default();
        let sorted = |mut v: Vec<(u32, u16, PathChange)>| {
            v.sort();
            v
        };
        let nothing = Followed::default();
        let read = sorted(
            PathChanges::new(&repo, (&no_roots, &nothing))
                .compute(&commits, &paths)
                .expect("read"),
        );
        assert!(read.len() >= 40, "{}", read.len());
        let batchings: [Vec<Vec<RootStep>>; 4] = [
            vec![steps.clone()],
            steps.chunks(7).map(<[RootStep]>::to_vec).collect(),
            // The oldest commits' batch never comes: those before it wait.
            steps[..30].chunks(4).map(<[RootStep]>::to_vec).collect(),
            // The newest commit's parent comes three batches late: it is
            // given up on; the others' come in time.
            [&[0][..], &[2], &[3], &[4], &[1]]
                .iter()
                .map(|at| at.iter().map(|&i| steps[i]).collect())
                .chain([steps[5..].to_vec()])
                .collect(),
        ];
        for (n, batches) in batchings.into_iter().enumerate() {
            let sent: usize = batches.iter().map(Vec::len).sum();
            let followed = follow(
                (&repo.repo, repo.packs()),
                owned.clone(),
                Steps::of(batches),
            );
            let expected = if n >= 2 { sent - 1 } else { sent };
            assert_eq!(followed.commits.len(), expected, "batching {n}");
            let found = PathChanges::new(&repo, (&no_roots, &followed))
                .compute(&commits, &paths)
                .expect("followed");
            assert_eq!(sorted(found), read, "batching {n}");
        }
    }

    /// Root trees noted once for all the names asked about answer what
    /// reading them path by path finds; a root tree whose entries are out
    /// of git's order is not noted, and is read as before.
    #[test]
    fn noted_root_trees_answer_what_reading_them_finds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let at = "2025-01-01T00:00:00Z";
        git(d, &["init", "-q", "-b", "main"], at);
        std::fs::create_dir_all(d.join("roadmap")).expect("mkdir");
        std::fs::create_dir_all(d.join("src")).expect("mkdir");
        // Enough entries in each root tree to be noted.
        for f in 0..NOTED_FROM_ENTRIES {
            std::fs::write(d.join(format!("f{f:02}")), "f\n").expect("write");
        }
        for i in 0..24 {
            let file = ["roadmap/a.toml", "roadlint.toml", "src/x.rs", "README"][i % 4];
            std::fs::write(d.join(file), format!("{i}\n")).expect("write");
            if i == 9 {
                std::fs::remove_file(d.join("roadlint.toml")).expect("rm");
            }
            git(d, &["add", "-A"], at);
            git(d, &["commit", "-q", "-m", &format!("c{i}")], at);
        }
        git(d, &["repack", "-adq"], at);
        // A root tree out of git's order (`README` after `src`), whose
        // `roadlint.toml` differs from its parent's: only reading it finds.
        // Large enough to be noted were it in order.
        let id = |spec: &str| git(d, &["rev-parse", spec], at);
        let fillers: Vec<(String, String)> = (0..NOTED_FROM_ENTRIES)
            .map(|f| (format!("f{f:02}"), format!("HEAD:f{f:02}")))
            .collect();
        let mut raw = Vec::new();
        let named = [
            ("roadlint.toml", "HEAD~2:README"),
            ("roadmap", "HEAD:roadmap"),
            ("src", "HEAD:src"),
            ("README", "HEAD:README"),
        ];
        let entries = fillers.iter().map(|(n, s)| (n.as_str(), s.as_str()));
        for (name, spec) in entries.chain(named) {
            let mode = if ["roadmap", "src"].contains(&name) {
                "40000"
            } else {
                "100644"
            };
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            let hex = ObjectId::from_hex(id(spec).as_bytes()).expect("an id");
            raw.extend_from_slice(hex.as_bytes());
        }
        std::fs::write(d.join("tree.raw"), raw).expect("write");
        let args = ["hash-object", "-t", "tree", "--literally", "-w", "tree.raw"];
        let unordered = git(d, &args, at);
        let commit = git(
            d,
            &["commit-tree", &unordered, "-p", "HEAD", "-m", "odd"],
            at,
        );
        git(d, &["update-ref", "refs/heads/main", &commit], at);
        let (repo, walked) = opened_and_walked(d);
        let names = ["roadmap/", "roadmap/a.toml", "roadlint.toml", "src/x.rs"];
        let reader = || Trees::with_graph((&repo.repo, repo.packs()), None, None);
        let (mut plain, mut noting) = (reader(), reader());
        noting.noted = TopEntries::of_paths(names);
        let mut changes = 0;
        for c in &walked {
            for path in names {
                let read = plain.changed(c, path).expect("read");
                assert!(noting.changed(c, path).expect("noted") == read, "{path}");
                changes += usize::from(read.is_some());
            }
        }
        assert!(changes > 20, "{changes}");
        let root = |c: &WalkedCommit| repo.tree_of(c.id).expect("a root tree");
        let (odd, rest) = walked.split_first().expect("commits");
        assert!(!noting.noted.holds(root(odd)), "out of git's order");
        assert!(rest.iter().all(|c| noting.noted.holds(root(c))));
        // The reader that asked about no name noted nothing.
        assert!(rest.iter().all(|c| !plain.noted.holds(root(c))));
        // A small root tree (an orphan commit of one file) is read name by
        // name, not noted; after enough of them, no root tree is noted.
        git(d, &["checkout", "-q", "--orphan", "small"], at);
        git(d, &["rm", "-rqf", "."], at);
        std::fs::write(d.join("roadlint.toml"), "x\n").expect("write");
        git(d, &["add", "-A"], at);
        git(d, &["commit", "-q", "-m", "small"], at);
        let small = WalkedCommit {
            id: ObjectId::from_hex(id("HEAD").as_bytes()).expect("an id"),
            time: 0,
            parents: 0,
            first_parent: None,
            graph_position: None,
        };
        let small_root = root(&small);
        let mut after_small = reader();
        after_small.noted = TopEntries::of_paths(names);
        for n in 1..=SMALL_ROOTS_IN_A_ROW {
            let change = after_small.changed(&small, "roadlint.toml").expect("read");
            assert!(change.is_some());
            assert!(!after_small.noted.holds(small_root));
            assert_eq!(after_small.noted.asks(), n < SMALL_ROOTS_IN_A_ROW, "{n}");
        }
        let last = &rest[0];
        let read = plain.changed(last, "roadlint.toml").expect("read");
        assert!(after_small.changed(last, "roadlint.toml").expect("read") == read);
        assert!(!after_small.noted.holds(root(last)));
    }
}
