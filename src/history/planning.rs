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

use super::commit::WalkedCommit;
use super::error::HistoryError;
use super::repo::GitRepo;
use super::workers::{on_every_core, ReadFailure};
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::BTreeMap;

/// The folder of signed approval files (SPEC `[signoff] approvals` default).
pub(crate) const APPROVALS: &str = ".roadlint/approvals";

/// The files that make up the plan.
pub(crate) struct PlanningFiles {
    globs: globset::GlobSet,
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

/// A tree's entries by name: (is a tree, mode bits, id).
pub(super) type Entries = BTreeMap<Vec<u8>, (bool, u16, ObjectId)>;

/// Reads trees and root trees on one repository handle (also used by
/// [`super::attribution`]).
pub(super) struct Reader<'a> {
    pub(super) repo: &'a gix::Repository,
    pub(super) graph: Option<gix::commitgraph::Graph>,
    pub(super) roots: &'a gix::hashtable::HashMap<ObjectId, ObjectId>,
    pub(super) buf: Vec<u8>,
}

impl Reader<'_> {
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

    /// The entries of `tree` (none for `None`).
    pub(super) fn entries(&mut self, tree: Option<ObjectId>) -> Result<Entries, ReadFailure> {
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
        let (before, after) = (self.entries(old)?, self.entries(new)?);
        let mut names: Vec<&Vec<u8>> = before.keys().chain(after.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let (a, b) = (before.get(name), after.get(name));
            if a == b {
                continue;
            }
            *changed = true;
            let name = name.to_str_lossy();
            let path = if dir.is_empty() {
                name.into_owned()
            } else {
                format!("{dir}/{name}")
            };
            let tree = |e: Option<&(bool, u16, ObjectId)>| e.filter(|e| e.0).map(|e| e.2);
            let blob = |e: Option<&(bool, u16, ObjectId)>| e.is_some_and(|e| !e.0);
            if (blob(a) || blob(b)) && !files.holds(&path) {
                return Ok(false);
            }
            let (ta, tb) = (tree(a), tree(b));
            let nested = ta.is_some() || tb.is_some();
            if nested
                && (!files.may_hold(&path) || !self.only_planning(files, ta, tb, &path, changed)?)
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `commit` is a planning commit.
    fn is_planning(
        &mut self,
        files: &PlanningFiles,
        c: &WalkedCommit,
    ) -> Result<bool, ReadFailure> {
        let new = self.root(c.id)?;
        let old = match c.first_parent {
            Some(p) => Some(self.root(p)?),
            None => None,
        };
        let mut changed = false;
        let only = self.only_planning(files, old, Some(new), "", &mut changed)?;
        Ok(only && changed)
    }
}

/// Which of `commits` are planning commits, in their order, read across the
/// cores. `roots` holds root trees the walk already read.
pub(crate) fn planning_commits(
    git: &GitRepo,
    commits: &[&WalkedCommit],
    files: &PlanningFiles,
    roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
) -> Result<Vec<bool>, HistoryError> {
    let parts = on_every_core(git, commits, |repo, _, part| {
        let mut reader = Reader {
            repo,
            graph: repo.commit_graph_if_enabled().ok().flatten(),
            roots,
            buf: Vec::new(),
        };
        part.iter()
            .map(|c| reader.is_planning(files, c))
            .collect::<Result<Vec<bool>, ReadFailure>>()
    })
    .map_err(|f| f.into_error(git))?;
    Ok(parts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_the_roadmap_the_config_and_the_approvals() {
        let files = PlanningFiles::new(
            &["roadmap/**/*.toml".to_string(), "plan.toml".to_string()],
            vec!["roadlint.toml".into()],
            vec![APPROVALS.into()],
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
