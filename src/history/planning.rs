//! Planning commits: commits that only change the plan.
//!
//! Writing the roadmap, the configuration or an approval is planning, not
//! engineering: a `feat(roadmap): add CLI-505` commit must not count as
//! feature work. A commit whose changed files (against its first parent;
//! every file for a root commit) are all roadmap files, the configuration
//! file or files of the approvals folder counts in no class and takes no
//! part in author-days. An empty commit is not a planning commit.
//!
//! Root trees are compared first; a directory is entered only when a
//! planning file could lie inside it, so most commits are told apart by one
//! comparison of two root trees.

use super::attribution::{self, CodePaths};
use super::error::HistoryError;
use crate::git::bloom::{Blooms, Keys};
use crate::git::commit::WalkedCommit;
use crate::git::paths::TopEntries;
use crate::git::tree_diff::{changes, sorted_entries, Entries, Entry, TreeReader};
use crate::git::workers::{on_every_core, stored_oldest_first, ReadFailure};
use crate::git::GitRepo;
use gix::bstr::ByteSlice;
use gix::ObjectId;

/// The files that make up the plan.
pub(crate) struct PlanningFiles {
    globs: globset::GlobSet,
    /// The roadmap globs as written.
    raw_globs: Vec<String>,
    /// The literal directory prefixes of the globs.
    prefixes: Vec<String>,
    /// Single files (the configuration file).
    files: Vec<String>,
    /// Whole folders (the approvals).
    dirs: Vec<String>,
}

impl PlanningFiles {
    /// The roadmap `globs`, the configuration `files` and the folders `dirs`
    /// (paths relative to the repository root, `/`-separated).
    pub(crate) fn new(globs: &[String], files: Vec<String>, dirs: Vec<String>) -> Self {
        PlanningFiles {
            // The configuration was validated: a glob that does not compile
            // selected no roadmap file either.
            globs: crate::globs::compile(globs).unwrap_or_else(|_| globset::GlobSet::empty()),
            raw_globs: globs.to_vec(),
            // A glob without `/` matches files at the root only: it lies in
            // no directory.
            prefixes: globs
                .iter()
                .filter(|g| g.contains('/'))
                .map(|g| crate::globs::literal_prefix(g))
                .collect(),
            files,
            dirs: dirs
                .into_iter()
                .map(|d| d.trim_end_matches('/').to_string())
                .collect(),
        }
    }

    /// Whether the file at `path` is part of the plan.
    pub(crate) fn holds(&self, path: &str) -> bool {
        self.globs.is_match(path)
            || self.files.iter().any(|f| f == path)
            || self.dirs.iter().any(|d| under(path, d))
    }

    /// Whether a planning file could lie in the directory `dir`.
    fn may_hold(&self, dir: &str) -> bool {
        let near = |p: &str| p.is_empty() || p == dir || under(p, dir) || under(dir, p);
        self.prefixes.iter().any(|p| near(p))
            || self.files.iter().any(|f| under(f, dir))
            || self.dirs.iter().any(|d| near(d))
    }
}

/// Whether `path` lies inside the directory `dir`.
fn under(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// The changed-path filters and the keys of every place a planning file
/// may lie, when the filters can prove a commit changed none of them.
struct Filters<'a> {
    blooms: &'a Blooms,
    keys: Vec<Keys>,
}

impl<'a> Filters<'a> {
    /// The filters for `files`, or `None` when a roadmap glob may match
    /// files anywhere (no literal directory, or a wildcard at the root).
    fn new(blooms: Option<&'a Blooms>, files: &PlanningFiles) -> Option<Self> {
        let blooms = blooms?;
        let mut keys = Vec::new();
        for glob in &files.raw_globs {
            let place = if glob.contains('/') {
                crate::globs::literal_prefix(glob)
            } else if glob.contains(['*', '?', '[', '{', '\\']) {
                return None;
            } else {
                glob.clone()
            };
            keys.push(Keys::of(&place)?);
        }
        for place in files.files.iter().chain(&files.dirs) {
            keys.push(Keys::of(place)?);
        }
        Some(Filters { blooms, keys })
    }

    /// Whether the filter of the commit at graph position `pos` proves that
    /// it changed no planning file (then it is no planning commit).
    fn none_changed(&self, pos: u32) -> bool {
        self.keys.iter().all(|k| self.blooms.unchanged(pos, k))
    }
}

/// Reads trees and root trees on one repository handle (also for
/// [`super::attribution`], in the same pass).
pub(super) struct Reader<'a> {
    repo: &'a gix::Repository,
    graph: Option<gix::commitgraph::Graph>,
    roots: &'a gix::hashtable::HashMap<ObjectId, ObjectId>,
    filters: Option<&'a Filters<'a>>,
    buf: Vec<u8>,
    /// The last two root trees read, raw: a commit's parent is usually the
    /// next commit asked about (or, read oldest first, the one before), so
    /// its root is read once for both.
    last: Vec<(ObjectId, Vec<u8>)>,
    /// What the root trees read hold at the path rules' top-level names.
    tops: Option<TopEntries>,
    /// The trees read last, raw, for [`Reader::tree_bytes`]: a commit's
    /// parent is usually the next commit asked about, so the trees its
    /// changes run through are read once for both.
    recent: std::collections::VecDeque<(ObjectId, std::rc::Rc<Vec<u8>>)>,
}

/// Trees [`Reader::tree_bytes`] keeps.
const RECENT_TREES: usize = 16;

impl<'a> Reader<'a> {
    /// The root tree of `commit`.
    pub(super) fn root(&mut self, commit: ObjectId) -> Result<ObjectId, ReadFailure> {
        if let Some(tree) = self.roots.get(&commit) {
            return Ok(*tree);
        }
        if let Some(pos) = self.graph.as_ref().and_then(|g| g.lookup(commit)) {
            if let Some(g) = &self.graph {
                return Ok(g.commit_at(pos).root_tree_id().to_owned());
            }
        }
        use gix::objs::FindExt as _;
        let fail = |e: &dyn std::fmt::Display| ReadFailure::Other(commit, e.to_string());
        self.repo
            .objects
            .find_commit_iter(&commit, &mut self.buf)
            .map_err(|e| ReadFailure::of(commit, None, &e, true))?
            .tree_id()
            .map_err(|e| fail(&e))
    }

    /// The raw bytes of tree `id`, in `buf`.
    fn raw_tree(&self, id: ObjectId, buf: &mut Vec<u8>) -> Result<(), ReadFailure> {
        use gix::objs::FindExt as _;
        self.repo
            .objects
            .find_tree_iter(&id, buf)
            .map_err(|e| ReadFailure::of(id, None, &e, true))?;
        Ok(())
    }

    /// The raw bytes of tree `id`, shared with the few trees read last.
    fn cached_tree_bytes(&mut self, id: ObjectId) -> Result<std::rc::Rc<Vec<u8>>, ReadFailure> {
        if let Some((_, bytes)) = self.recent.iter().find(|(t, _)| *t == id) {
            return Ok(bytes.clone());
        }
        let mut buf = Vec::new();
        self.raw_tree(id, &mut buf)?;
        let bytes = std::rc::Rc::new(buf);
        if self.recent.len() == RECENT_TREES {
            self.recent.pop_front();
        }
        self.recent.push_back((id, bytes.clone()));
        Ok(bytes)
    }

    /// The entries of `tree` (none for `None`).
    fn tree_entries(&mut self, tree: Option<ObjectId>) -> Result<Entries, ReadFailure> {
        use gix::objs::FindExt as _;
        let Some(id) = tree else {
            return Ok(Entries::new());
        };
        let iter = self
            .repo
            .objects
            .find_tree_iter(&id, &mut self.buf)
            .map_err(|e| ReadFailure::of(id, None, &e, true))?;
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
        Ok(out)
    }

    /// Whether every difference between `old` and `new` (under `dir`) is a
    /// planning file; `changed` is set when there is any difference.
    fn only_planning(
        &mut self,
        files: &PlanningFiles,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        dir: &str,
        changed: &mut bool,
    ) -> Result<bool, ReadFailure> {
        if old == new {
            return Ok(true);
        }
        let (before, after) = (self.tree_entries(old)?, self.tree_entries(new)?);
        let mut names: Vec<&Vec<u8>> = before.keys().chain(after.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let (a, b) = (before.get(name), after.get(name));
            if a == b {
                continue;
            }
            *changed = true;
            let (a, b) = (
                a.map(|&(t, m, id)| (t, m, id)),
                b.map(|&(t, m, id)| (t, m, id)),
            );
            if !self.entry_is_planning(files, dir, name, a, b, changed)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether the change of the entry `name` of `dir` from `a` to `b`
    /// (is a tree, mode, id; `None`: absent) touches planning files only.
    fn entry_is_planning(
        &mut self,
        files: &PlanningFiles,
        dir: &str,
        name: &[u8],
        a: Option<(bool, u16, ObjectId)>,
        b: Option<(bool, u16, ObjectId)>,
        changed: &mut bool,
    ) -> Result<bool, ReadFailure> {
        let name = name.to_str_lossy();
        let path = if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        };
        let tree = |e: Option<(bool, u16, ObjectId)>| e.filter(|e| e.0).map(|e| e.2);
        let blob = |e: Option<(bool, u16, ObjectId)>| e.is_some_and(|e| !e.0);
        if (blob(a) || blob(b)) && !files.holds(&path) {
            return Ok(false);
        }
        let (ta, tb) = (tree(a), tree(b));
        let nested = ta.is_some() || tb.is_some();
        Ok(
            !nested
                || files.may_hold(&path) && self.only_planning(files, ta, tb, &path, changed)?,
        )
    }

    /// [`Self::only_planning`] of two root trees, compared entry by entry
    /// in their raw form (the newer root is usually the one read last).
    fn roots_only_planning(
        &mut self,
        files: &PlanningFiles,
        old: Option<ObjectId>,
        new: ObjectId,
        changed: &mut bool,
    ) -> Result<bool, ReadFailure> {
        if old == Some(new) {
            return Ok(true);
        }
        let hash = self.repo.object_hash();
        let (new_buf, old_buf) = (self.take_last(new), old.and_then(|o| self.take_last(o)));
        let new_buf = match new_buf {
            Some(buf) => buf,
            None => self.read_root(new)?,
        };
        let old_buf = match (old, old_buf) {
            (Some(_), Some(buf)) => buf,
            (Some(old), None) => self.read_root(old)?,
            (None, _) => Vec::new(),
        };
        if let Some(tops) = self.tops.as_mut() {
            tops.note(new, &new_buf, hash);
            if let Some(old) = old {
                tops.note(old, &old_buf, hash);
            }
        }
        let result = match (
            sorted_entries(&old_buf, hash),
            sorted_entries(&new_buf, hash),
        ) {
            (Some(before), Some(after)) => {
                self.merged_only_planning(files, &before, &after, changed)
            }
            _ => self.only_planning(files, old, Some(new), "", changed),
        };
        self.last.clear();
        self.last.push((new, new_buf));
        if let Some(old) = old {
            self.last.push((old, old_buf));
        }
        result
    }

    /// The raw root tree `id` when it is among the last two read.
    fn take_last(&mut self, id: ObjectId) -> Option<Vec<u8>> {
        let i = self.last.iter().position(|(t, _)| *t == id)?;
        Some(self.last.swap_remove(i).1)
    }

    /// Read the raw root tree `id`, into a buffer of the last two not
    /// needed any more.
    fn read_root(&mut self, id: ObjectId) -> Result<Vec<u8>, ReadFailure> {
        let mut buf = self.last.pop().map(|(_, b)| b).unwrap_or_default();
        self.raw_tree(id, &mut buf)?;
        Ok(buf)
    }

    /// [`Self::only_planning`] at the root, over the entries of both trees
    /// in git's order: one pass, nothing allocated for equal entries.
    fn merged_only_planning(
        &mut self,
        files: &PlanningFiles,
        before: &[Entry<'_>],
        after: &[Entry<'_>],
        changed: &mut bool,
    ) -> Result<bool, ReadFailure> {
        for (name, a, b) in changes(before, after) {
            *changed = true;
            if !self.entry_is_planning(files, "", name, a, b, changed)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `c` is a planning commit, and the roadmaps whose `code` it
    /// changes (see [`super::attribution`]): both read from one comparison
    /// of its root tree with its first parent's.
    fn planning_and_code(
        &mut self,
        files: &PlanningFiles,
        code: &CodePaths,
        c: &WalkedCommit,
    ) -> Result<(bool, u32), ReadFailure> {
        let new = self.root(c.id)?;
        let old = match c.first_parent {
            Some(p) => Some(self.root(p)?),
            None => None,
        };
        if old == Some(new) {
            return Ok((false, 0));
        }
        let new_bytes = self.cached_tree_bytes(new)?;
        let old_bytes = old.map(|o| self.cached_tree_bytes(o)).transpose()?;
        let hash = self.repo.object_hash();
        if let Some(tops) = self.tops.as_mut() {
            tops.note(new, &new_bytes, hash);
            if let (Some(old), Some(bytes)) = (old, &old_bytes) {
                tops.note(old, bytes, hash);
            }
        }
        let sorted = (
            old_bytes
                .as_ref()
                .map_or(Some(Vec::new()), |b| sorted_entries(b, hash)),
            sorted_entries(&new_bytes, hash),
        );
        let (Some(before), Some(after)) = sorted else {
            // Out of git's order: compared the slow way.
            let mut changed = false;
            let only = self.only_planning(files, old, Some(new), "", &mut changed)?;
            let mut found = 0;
            attribution::walk(self, code, (old, Some(new)), "", &mut found)?;
            return Ok((only && changed, found));
        };
        let (mut planning, mut changed, mut found) = (true, false, 0);
        for (name, a, b) in changes(&before, &after) {
            changed = true;
            if planning {
                planning = self.entry_is_planning(files, "", name, a, b, &mut changed)?;
            }
            attribution::entry(self, code, "", (name, a, b), &mut found)?;
            if !planning && code.all(found) {
                break;
            }
        }
        Ok((planning && changed, found))
    }

    /// Whether `commit` is a planning commit.
    fn is_planning(
        &mut self,
        files: &PlanningFiles,
        c: &WalkedCommit,
    ) -> Result<bool, ReadFailure> {
        if let (Some(filters), Some(graph), Some(pos)) =
            (self.filters, self.graph.as_ref(), c.graph_position)
        {
            let at = gix::commitgraph::Position(pos);
            if pos < graph.num_commits() && graph.id_at(at) == c.id && filters.none_changed(pos) {
                return Ok(false);
            }
        }
        let new = self.root(c.id)?;
        let old = match c.first_parent {
            Some(p) => Some(self.root(p)?),
            None => None,
        };
        let mut changed = false;
        let only = self.roots_only_planning(files, old, new, &mut changed)?;
        Ok(only && changed)
    }
}

impl TreeReader for Reader<'_> {
    fn tree_bytes(&mut self, id: ObjectId) -> Result<std::rc::Rc<Vec<u8>>, ReadFailure> {
        self.cached_tree_bytes(id)
    }

    fn hash_kind(&self) -> gix::hash::Kind {
        self.repo.object_hash()
    }

    fn entries(&mut self, tree: Option<ObjectId>) -> Result<Entries, ReadFailure> {
        self.tree_entries(tree)
    }
}

/// Which of `commits` are planning commits, in their order, read across the
/// cores, and for each whose `wants` is set the roadmaps whose `code` it
/// changes (0 for the others): one comparison of trees answers both.
/// `roots` holds root trees the walk already read. The root trees read on
/// the way are noted in `tops` (see [`TopEntries`]).
pub(crate) fn planning_commits(
    git: &GitRepo,
    commits: &[&WalkedCommit],
    files: &PlanningFiles,
    (code, wants): (&CodePaths, &[bool]),
    roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
    tops: &mut TopEntries,
) -> Result<Vec<(bool, u32)>, HistoryError> {
    let blooms = if commits.is_empty() {
        None
    } else {
        crate::git::bloom::for_repo(git)
    };
    let filters = Filters::new(blooms.as_ref(), files);
    let filters = filters.as_ref();
    let sound = git.graph_sound();
    let names = &*tops;
    let parts = on_every_core(git, commits, |repo, offset, part| {
        let mut reader = Reader {
            repo,
            graph: sound
                .then(|| repo.commit_graph_if_enabled().ok().flatten())
                .flatten(),
            roots,
            filters,
            buf: Vec::new(),
            last: Vec::new(),
            tops: Some(names.same_names()),
            recent: Default::default(),
        };
        let wants = &wants[offset..offset + part.len()];
        let one = |reader: &mut Reader<'_>, c: &WalkedCommit, wants: bool| match wants
            && !code.is_empty()
        {
            true => reader.planning_and_code(files, code, c),
            false => Ok((reader.is_planning(files, c)?, 0)),
        };
        // Root trees are read in pack order (see `stored_oldest_first`).
        let oldest_first = match (part.first(), part.last()) {
            (Some(newest), Some(oldest)) => {
                let (newer, older) = (reader.root(newest.id)?, reader.root(oldest.id)?);
                stored_oldest_first(repo, newer, older)?
            }
            _ => false,
        };
        let mut found = Vec::with_capacity(part.len());
        if oldest_first {
            for (c, &w) in part.iter().zip(wants).rev() {
                found.push(one(&mut reader, c, w)?);
            }
            found.reverse();
        } else {
            for (c, &w) in part.iter().zip(wants) {
                found.push(one(&mut reader, c, w)?);
            }
        }
        Ok((found, reader.tops.unwrap_or_default()))
    })
    .map_err(|f| f.into_error(git))?;
    let mut out = Vec::with_capacity(commits.len());
    for (planning, noted) in parts {
        out.extend(planning);
        tops.extend(noted);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_the_roadmap_the_config_and_the_approvals() {
        let files = PlanningFiles::new(
            &["roadmap/**/*.toml".to_string(), "plan.toml".to_string()],
            vec!["roadlint.toml".into()],
            vec![".roadlint/approvals".into()],
        );
        assert!(files.holds("roadmap/2026-Q1.toml"));
        assert!(files.holds("roadmap/requests/acme.toml"));
        assert!(files.holds("plan.toml"));
        assert!(files.holds("roadlint.toml"));
        assert!(files.holds(".roadlint/approvals/abc.sig"));
        assert!(!files.holds("roadmap/notes.md"));
        assert!(!files.holds("src/roadlint.toml"));
        assert!(!files.holds(".roadlint/allowed_signers"));
        assert!(files.may_hold("roadmap"));
        assert!(files.may_hold("roadmap/requests"));
        assert!(files.may_hold(".roadlint"));
        assert!(!files.may_hold("src"));
        assert!(!files.may_hold("roadmaps"));
    }
}
