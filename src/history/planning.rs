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

use super::attribution::{self, Asked, CodePaths};
use super::error::HistoryError;
use crate::git::bloom::{Blooms, Keys};
use crate::git::commit::WalkedCommit;
use crate::git::top_entries::TopEntries;
use crate::git::tree_diff::{SortedTree, TreeReader};
use crate::git::tree_reader::RawTrees;
use crate::git::workers::{first_parent_runs, on_every_core, AfterRun, ReadFailure};
use crate::git::GitRepo;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::rc::Rc;

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

/// The planning check of one core's share of the commits: root trees and
/// trees read raw ([`RawTrees`], also for [`super::attribution`] in the
/// same pass), the changed-path filters, and the names the path rules look
/// up in root trees.
struct Reader<'a> {
    trees: RawTrees<'a>,
    filters: Option<&'a Filters<'a>>,
    /// What the root trees read hold at the path rules' top-level names.
    tops: Option<TopEntries>,
    /// A buffer for the paths attribution looks at.
    path: String,
}

impl Reader<'_> {
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
        let (before, after) = (self.trees.entries(old)?, self.trees.entries(new)?);
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

    /// Note what the root trees `old` and `new` hold at the path rules'
    /// names, when they are in git's order.
    fn note(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        (before, after): (&Option<Rc<SortedTree>>, &Option<Rc<SortedTree>>),
    ) {
        if let Some(tops) = self.tops.as_mut() {
            if let Some(after) = after {
                tops.note(new, after);
            }
            if let (Some(old), Some(before)) = (old, before) {
                tops.note(old, before);
            }
        }
    }

    /// The root trees to compare for `c`, its first parent's and its own;
    /// `None` when the changed-path filters prove it changed no planning
    /// file and its `code` is not asked for (then it is no planning
    /// commit, and nothing is read).
    fn roots_to_compare(
        &mut self,
        c: &WalkedCommit,
        code: bool,
    ) -> Result<Option<(Option<ObjectId>, ObjectId)>, ReadFailure> {
        if let (false, Some(filters), Some(pos)) = (code, self.filters, c.graph_position) {
            if self.trees.graph_holds(pos, c.id) && filters.none_changed(pos) {
                return Ok(None);
            }
        }
        let (new, old) = self.trees.roots_of(c)?;
        Ok(Some((old, new)))
    }

    /// Whether the change from the root tree `old` to `new` is a planning
    /// commit's (it changes something, and planning files only), and with
    /// `code` the roadmaps whose code it changes: one comparison entry by
    /// entry in git's order, each tree parsed once (the newer root is
    /// usually the one read last), stopped once nothing more can be told.
    fn compare_roots(
        &mut self,
        files: &PlanningFiles,
        mut code: Option<&mut Asked<'_>>,
        (old, new): (Option<ObjectId>, ObjectId),
    ) -> Result<(bool, u32), ReadFailure> {
        if old == Some(new) {
            return Ok((false, 0));
        }
        let (before, after) = self.trees.pair(old, Some(new))?;
        self.note(old, new, (&before, &after));
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        let (Some(before), Some(after)) = (before, after) else {
            // Out of git's order: compared the slow way.
            let mut changed = false;
            let only = self.only_planning(files, old, Some(new), "", &mut changed)?;
            let mut found = 0;
            if let Some(code) = code {
                let trees = (old, Some(new));
                attribution::walk(&mut self.trees, code, trees, &mut path, &mut found)?;
            }
            self.path = path;
            return Ok((only && changed, found));
        };
        let (mut planning, mut changed, mut found) = (true, false, 0);
        for (name, a, b) in before.changes(&after) {
            changed = true;
            if planning {
                planning = self.entry_is_planning(files, "", name, a, b, &mut changed)?;
            }
            let done = match code.as_deref_mut() {
                Some(code) => {
                    attribution::entry(&mut self.trees, code, &mut path, (name, a, b), &mut found)?;
                    code.all(found)
                }
                None => true,
            };
            if !planning && done {
                break;
            }
        }
        self.path = path;
        Ok((planning && changed, found))
    }
}

/// How many commits' root trees are found in the packs at once (see
/// [`RawTrees::expect`]).
const EXPECTED_AT_ONCE: usize = 4096;

/// Which of `commits` are planning commits, in their order, read across the
/// cores, and for each that `wants` (asked of its place in `commits`) the
/// roadmaps whose `code` it changes (0 for the others): one comparison of
/// trees answers both. `roots` holds root trees the walk already read. The
/// root trees read on the way are noted in `tops` (see [`TopEntries`]).
pub(crate) fn planning_commits(
    git: &GitRepo,
    commits: &[&WalkedCommit],
    files: &PlanningFiles,
    (code, wants): (&CodePaths, &(dyn Fn(usize) -> bool + Sync)),
    roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
    tops: &mut TopEntries,
) -> Result<Vec<(bool, u32)>, HistoryError> {
    let blooms = if commits.is_empty() {
        None
    } else {
        git.blooms()
    };
    let filters = Filters::new(blooms.as_deref(), files);
    let filters = filters.as_ref();
    let graph = git.commit_graph();
    let packs = git.packs();
    let names = &*tops;
    // Root trees are read in the order that finds each one's delta base
    // read just before (see `stored_against_history`): asked once, of the
    // history's newest commits.
    let oldest_first =
        RawTrees::bases_are_older(git, commits, roots).map_err(|f| f.into_error(git))?;
    // Without filters every commit's root trees are looked up in the pack
    // indexes: their pages stay until the pass ends.
    let after_run = match filters {
        Some(_) => AfterRun::DropAll,
        None => AfterRun::KeepIndexes,
    };
    let parts = on_every_core(git, commits, after_run, |repo, offset, part| {
        let mut reader = Reader {
            trees: RawTrees::new((repo, packs), graph.clone(), Some(roots)),
            filters,
            tops: Some(names.same_names()),
            path: String::new(),
        };
        let mut asked = Asked::new(code);
        let wants_code = |i: usize| !code.is_empty() && wants(offset + i);
        let mut found = vec![(false, 0); part.len()];
        let mut order = first_parent_runs(part);
        if oldest_first {
            order.reverse();
        }
        let (mut roots, mut ids) = (Vec::new(), Vec::new());
        for run in order.chunks(EXPECTED_AT_ONCE) {
            // The root trees of a run of commits are found in the packs
            // together (see `RawTrees::expect`); a commit's failure to
            // give its root trees is reported when its turn comes.
            roots.clear();
            roots.extend(
                run.iter()
                    .map(|&i| reader.roots_to_compare(part[i], wants_code(i))),
            );
            ids.clear();
            for (old, new) in roots.iter().flatten().flatten() {
                if *old != Some(*new) {
                    ids.extend(old.iter().chain([new]));
                }
            }
            reader.trees.expect(&ids);
            for (&i, roots) in run.iter().zip(roots.drain(..)) {
                let Some(roots) = roots? else { continue };
                let code = wants_code(i).then_some(&mut asked);
                found[i] = reader.compare_roots(files, code, roots)?;
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
