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
use crate::git::chains::PackFiles;
use crate::git::commit::WalkedCommit;
use crate::git::top_entries::TopEntries;
use crate::git::tree_diff::{SortedTree, TreeReader};
use crate::git::tree_reader::RawTrees;
use crate::git::walk::{RootStep, Steps};
use crate::git::workers::{
    first_parent_runs, on_every_core, stored_against_history, AfterRun, ReadFailure,
};
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

/// What the planning check worked out while the walk read the commits (see
/// [`follow`]).
#[derive(Default)]
pub(crate) struct Planned {
    /// By commit: whether it is a planning commit, and the roadmaps whose
    /// `code` it changes (whether its paths are wanted or not).
    answers: gix::hashtable::HashMap<ObjectId, (bool, u32)>,
    /// What the root trees read hold at the path rules' names.
    tops: TopEntries,
}

/// How many commits the follower of a walk compares at once: enough for
/// one sweep of the indexes to find their root trees (see
/// [`RawTrees::expect`]), few enough to be done soon after the walk.
const FOLLOWED_AT_ONCE: usize = 1024;

/// How many batches of the walk a commit waits for its first parent to
/// come (a parent is read soon after its child) before it is left to the
/// planning check's own pass.
const WAIT_BATCHES: usize = 8;

/// The planning check (and attribution, with `code`) of the commits a walk
/// reads, on the core it leaves idle: each commit compared with its first
/// parent once both have come, [`FOLLOWED_AT_ONCE`] at a time in the order
/// [`planning_commits`] reads them. Merges are left out unless `merges`;
/// the path rules' `names` are noted. What is not answered when the walk
/// ends (a commit whose parent came late, a batch the walk dropped, a tree
/// that could not be read) is left to [`planning_commits`], which reports
/// any failure in its order.
pub(crate) fn follow(
    (repo, packs): (&gix::Repository, Option<&PackFiles>),
    (files, code): (&PlanningFiles, &CodePaths),
    names: TopEntries,
    merges: bool,
    mut steps: Steps,
) -> Planned {
    let mut reader = Reader {
        trees: RawTrees::new((repo, packs), None, None),
        filters: None,
        tops: Some(names),
        path: String::new(),
    };
    let mut asked = Asked::new(code);
    let mut answers = gix::hashtable::HashMap::default();
    // Root trees by commit, with the batch each came in.
    let mut known: gix::hashtable::HashMap<ObjectId, (ObjectId, usize)> = Default::default();
    let mut waiting: Vec<(usize, RootStep)> = Vec::new();
    let mut oldest_first = None;
    // The pack pages read leave the resident set after each run (see
    // `crate::git::mapped`); the index pages stay, which the walk reads
    // throughout.
    let mapped = crate::git::mapped::Packs::of(repo.objects.store_ref().path());
    let mut n = 0;
    'walk: loop {
        let batch = steps.next();
        // Steps that end while the walk goes on (it failed) are all worked
        // out; once the walk has ended, what is left is the pass's.
        let ended = batch.is_none();
        if ended && !steps.walking() {
            break;
        }
        if let Some(batch) = batch {
            n += 1;
            known.extend(batch.iter().map(|s| (s.id, (s.tree, n))));
            waiting.extend(
                batch
                    .into_iter()
                    .filter(|s| merges || !s.merge)
                    .map(|s| (n, s)),
            );
        }
        if waiting.len() < FOLLOWED_AT_ONCE && !ended {
            continue;
        }
        let mut ready = Vec::with_capacity(waiting.len());
        waiting.retain(|&(came, step)| match step.parent.map(|p| known.get(&p)) {
            Some(None) => n < came + WAIT_BATCHES,
            parent => {
                ready.push((step, parent.flatten().map(|&(tree, _)| tree)));
                false
            }
        });
        // A parent is looked for in the batches its children wait for.
        known.retain(|_, &mut (_, came)| n < came + 2 * WAIT_BATCHES);
        let commits: Vec<WalkedCommit> = ready
            .iter()
            .map(|(s, _)| WalkedCommit {
                id: s.id,
                time: 0,
                parents: u32::from(s.parent.is_some()) + u32::from(s.merge),
                first_parent: s.parent,
                graph_position: None,
            })
            .collect();
        let commits: Vec<&WalkedCommit> = commits.iter().collect();
        let oldest_first = match oldest_first {
            Some(decided) => decided,
            None => {
                let pairs = ready.iter().filter_map(|(s, old)| Some((s.tree, (*old)?)));
                let Ok(decided) = stored_against_history(repo, pairs) else {
                    break;
                };
                *oldest_first.insert(decided)
            }
        };
        let mut order = first_parent_runs(&commits);
        if oldest_first {
            order.reverse();
        }
        let mut ids = Vec::with_capacity(2 * ready.len());
        for (step, old) in &ready {
            if *old != Some(step.tree) {
                ids.extend(old.iter().chain([&step.tree]));
            }
        }
        reader.trees.expect(&ids);
        for (k, i) in order.into_iter().enumerate() {
            // The rest is left to the pass once the walk has ended.
            if k % 256 == 255 && !steps.walking() {
                break 'walk;
            }
            let (step, old) = ready[i];
            let code = (!code.is_empty()).then_some(&mut asked);
            if let Ok(answer) = reader.compare_roots(files, code, (old, step.tree)) {
                answers.insert(step.id, answer);
            }
        }
        mapped.release_packs();
        if ended {
            break;
        }
    }
    Planned {
        answers,
        tops: reader.tops.unwrap_or_default(),
    }
}

/// Which of `commits` are planning commits, in their order, read across the
/// cores, and for each that `wants` (asked of its place in `commits`) the
/// roadmaps whose `code` it changes (0 for the others): one comparison of
/// trees answers both. `roots` holds root trees the walk already read, and
/// `planned` what was worked out while it read them. The root trees read on
/// the way are noted in `tops` (see [`TopEntries`]).
pub(crate) fn planning_commits(
    git: &GitRepo,
    commits: &[&WalkedCommit],
    files: &PlanningFiles,
    (code, wants): (&CodePaths, &(dyn Fn(usize) -> bool + Sync)),
    (roots, planned): (&gix::hashtable::HashMap<ObjectId, ObjectId>, Planned),
    tops: &mut TopEntries,
) -> Result<Vec<(bool, u32)>, HistoryError> {
    let answers = &planned.answers;
    tops.extend(planned.tops);
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
        order.retain(|&i| {
            let Some(&(planning, changed)) = answers.get(&part[i].id) else {
                return true;
            };
            found[i] = (planning, if wants_code(i) { changed } else { 0 });
            false
        });
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
    use crate::git::testing::{git, opened_and_walked, root_steps};

    /// A packed history of planning commits, code commits in two roadmaps'
    /// folders and a shared one, commits doing both, an empty commit and a
    /// merge; walked newest first.
    fn mixed_history(dir: &std::path::Path) -> (Box<GitRepo>, Vec<WalkedCommit>) {
        git(dir, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        for d in ["roadmap", "src/a", "src/b", "shared", "docs"] {
            std::fs::create_dir_all(dir.join(d)).expect("mkdir");
        }
        let files = [
            "roadmap/2025-Q1.toml",
            "src/a/x.rs",
            "src/b/y.rs",
            "shared/z.rs",
            "roadlint.toml",
            "docs/readme.md",
        ];
        for i in 0..90 {
            let date = format!("2025-01-02T{:02}:{:02}:00Z", i / 60, i % 60);
            std::fs::write(dir.join(files[i % files.len()]), format!("{i}\n")).expect("write");
            if i % 7 == 3 {
                std::fs::write(dir.join("src/b/y.rs"), format!("both {i}\n")).expect("write");
            }
            git(dir, &["add", "-A"], &date);
            git(
                dir,
                &["commit", "-q", "--allow-empty", "-m", &format!("c{i}")],
                &date,
            );
            if i == 40 {
                git(
                    dir,
                    &["commit", "-q", "--allow-empty", "-m", "empty"],
                    &date,
                );
                git(dir, &["checkout", "-q", "-b", "side", "HEAD~2"], &date);
                std::fs::write(dir.join("src/a/side.rs"), "side\n").expect("write");
                git(dir, &["add", "-A"], &date);
                git(dir, &["commit", "-q", "-m", "side"], &date);
                git(dir, &["checkout", "-q", "main"], &date);
                git(
                    dir,
                    &["merge", "-q", "--no-ff", "-m", "merge", "side"],
                    &date,
                );
            }
        }
        git(dir, &["repack", "-adq"], "2025-01-03T00:00:00Z");
        opened_and_walked(dir)
    }

    /// What a follower of the walk works out is what the planning check's
    /// own pass works out, for every commit it is given (merges left out),
    /// in batches of any size; and the pass takes it in place of reading.
    #[test]
    fn the_follower_of_the_walk_answers_as_the_pass_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (repo, walked) = mixed_history(dir.path());
        let commits: Vec<&WalkedCommit> = walked.iter().collect();
        let files = PlanningFiles::new(
            &["roadmap/*.toml".to_string()],
            vec!["roadlint.toml".into()],
            vec![".roadlint/approvals".into()],
        );
        let code = CodePaths::new(&[
            vec!["src/a/**".into(), "shared/**".into()],
            vec!["src/b/**".into(), "shared/**".into()],
        ]);
        let names = || TopEntries::of_paths(["roadmap/", "roadlint.toml"]);
        let no_roots = gix::hashtable::HashMap::default();
        let all = |_: usize| true;
        let by_pass = planning_commits(
            &repo,
            &commits,
            &files,
            (&code, &all),
            (&no_roots, Planned::default()),
            &mut names(),
        )
        .expect("the pass");
        // Not a check that cannot fail: the history has every kind.
        assert!(by_pass.iter().any(|&(planning, _)| planning));
        for bits in [0b01, 0b10, 0b11] {
            assert!(by_pass.iter().any(|&(_, code)| code == bits), "{bits:b}");
        }
        let steps = root_steps(&repo, &commits);
        for size in [1, 7, 256] {
            let batches = steps.chunks(size).map(<[RootStep]>::to_vec).collect();
            let handle = crate::git::workers::worker_repo(&repo);
            let planned = follow(
                (&handle, repo.packs()),
                (&files, &code),
                names(),
                false,
                Steps::of(batches),
            );
            for (c, answer) in commits.iter().zip(&by_pass) {
                let followed = planned.answers.get(&c.id);
                match c.parents > 1 {
                    true => assert_eq!(followed, None, "a merge is left out"),
                    false => assert_eq!(followed, Some(answer), "{} in batches of {size}", c.id),
                }
            }
            for c in &commits {
                let tree = repo.tree_of(c.id).expect("tree");
                if c.parents <= 1 {
                    assert!(planned.tops.holds(tree), "{} noted", c.id);
                }
            }
            // The pass takes the answers (code only where it is wanted).
            let odd = |i: usize| i % 2 == 1;
            let taken = planning_commits(
                &repo,
                &commits,
                &files,
                (&code, &odd),
                (&no_roots, planned),
                &mut names(),
            )
            .expect("the pass");
            let masked: Vec<(bool, u32)> = by_pass
                .iter()
                .enumerate()
                .map(|(i, &(p, bits))| (p, if odd(i) { bits } else { 0 }))
                .collect();
            assert_eq!(taken, masked);
        }
    }

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
