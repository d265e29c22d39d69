//! Corrected committer times from the commit-graph.
//!
//! The sign-off gate dates a commit by its corrected committer time: the
//! largest committer time among it and all its ancestors (git's generation
//! number v2 rule). Reading that from commit objects inflates the whole
//! ancestry of the first commit judged; the commit-graph holds every
//! commit's time and parents, so [`ByPosition`] works it out from there, one
//! integer per commit, with no object read.

use super::repo::GitRepo;
use gix::ObjectId;

/// No time worked out yet (graph times are never negative).
const UNKNOWN: i64 = i64::MIN;

/// Corrected committer times by commit-graph position.
#[derive(Default)]
pub(crate) struct ByPosition {
    /// The graph, when the walk may use one (sound, not shallow).
    graph: Option<std::sync::Arc<gix::commitgraph::Graph>>,
    /// Whether the graph was looked for.
    opened: bool,
    /// Each position's corrected time, or [`UNKNOWN`].
    times: Vec<i64>,
}

impl ByPosition {
    /// The corrected time of `id` when `git`'s commit-graph (opened on first
    /// use) holds it and the whole of its ancestry (`None` otherwise, or for
    /// a graph that turns out to be corrupt: the caller reads the objects).
    pub(crate) fn time_in(&mut self, git: &GitRepo, id: ObjectId) -> Option<i64> {
        if !self.opened {
            self.opened = true;
            self.graph = usable_graph(git);
        }
        self.time_at(id)
    }

    /// Times read from `graph` (one [`usable_graph`] gave).
    fn over(graph: std::sync::Arc<gix::commitgraph::Graph>) -> Self {
        ByPosition {
            graph: Some(graph),
            opened: true,
            times: Vec::new(),
        }
    }

    /// [`Self::time_in`], once the graph is opened.
    fn time_at(&mut self, id: ObjectId) -> Option<i64> {
        let graph = self.graph.as_ref()?;
        let start = graph.lookup(id)?;
        let n = graph.num_commits() as usize;
        if self.times.len() != n {
            self.times = vec![UNKNOWN; n];
        }
        // A graph is checksummed, not signed: a forged one may hold a cycle,
        // which a walk of a real history (each edge pushed once, popped
        // once) never needs this many steps for.
        let mut steps = n.saturating_mul(16).saturating_add(64);
        let mut stack = vec![start];
        while let Some(&top) = stack.last() {
            steps = steps.checked_sub(1)?;
            if self.times[top.0 as usize] != UNKNOWN {
                stack.pop();
                continue;
            }
            let commit = graph.commit_at(top);
            let mut latest = i64::try_from(commit.committer_timestamp()).ok()?;
            let mut pending = false;
            for parent in commit.iter_parents() {
                let parent = parent.ok()?;
                match *self.times.get(parent.0 as usize)? {
                    UNKNOWN => {
                        stack.push(parent);
                        pending = true;
                    }
                    t => latest = latest.max(t),
                }
            }
            if !pending {
                self.times[top.0 as usize] = latest;
                stack.pop();
            }
        }
        Some(self.times[start.0 as usize])
    }
}

/// `git`'s commit-graph, when the corrected times may be read from it (a
/// shallow clone's boundary hides parents the graph may list).
fn usable_graph(git: &GitRepo) -> Option<std::sync::Arc<gix::commitgraph::Graph>> {
    match git.repo.shallow_commits() {
        Ok(None) => git.commit_graph(),
        _ => None,
    }
}

/// The corrected times every gate of one scan reads (see [`ByPosition`]),
/// possibly being worked out ahead on another core.
#[derive(Clone, Default)]
pub(crate) struct SharedTimes(std::sync::Arc<std::sync::Mutex<Shared>>);

#[derive(Default)]
struct Shared {
    times: ByPosition,
    /// The times of a tip's ancestry being worked out on another core.
    ahead: Option<std::thread::JoinHandle<ByPosition>>,
}

impl SharedTimes {
    /// Times that start being worked out now, for the whole ancestry of
    /// `tip`, on another core, when `git`'s commit-graph holds them.
    ///
    /// A scan whose gate dates commits asks for most of them, and working
    /// them out reads the whole graph, one commit at a time (12 ms on the
    /// generated 100k repository) on the core that judges; ahead, it is
    /// done while the walk leaves the other core idle. When no commit is
    /// dated, the work is wasted, on that idle core.
    pub(crate) fn ahead(git: &GitRepo, tip: ObjectId) -> Self {
        let Some(graph) = usable_graph(git) else {
            return SharedTimes::default();
        };
        let mut times = ByPosition::over(graph);
        let ahead = std::thread::Builder::new()
            .name("corrected-times".into())
            .spawn(move || {
                times.time_at(tip);
                times
            })
            .ok();
        SharedTimes(std::sync::Arc::new(std::sync::Mutex::new(Shared {
            times: ByPosition::default(),
            ahead,
        })))
    }

    /// [`ByPosition::time_in`], on the times worked out ahead once they are.
    pub(crate) fn time_in(&self, git: &GitRepo, id: ObjectId) -> Option<i64> {
        let mut shared = self.0.lock().ok()?;
        if let Some(ahead) = shared.ahead.take() {
            // A worker that failed leaves the times to be worked out here.
            if let Ok(times) = ahead.join() {
                shared.times = times;
            }
        }
        shared.times.time_in(git, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;
    use crate::git::Opened;
    use std::path::Path;

    fn commit(dir: &Path, message: &str, date: &str) -> ObjectId {
        git(dir, &["commit", "-q", "--allow-empty", "-m", message], date);
        git(dir, &["rev-parse", "HEAD"], date)
            .parse()
            .expect("an id")
    }

    /// The gate's own rule, from the commit objects: the latest committer
    /// time of `id` and its ancestry.
    fn from_objects(git: &GitRepo, id: ObjectId) -> i64 {
        let commit = git.repo.find_commit(id).expect("commit");
        let own = commit.time().expect("time").seconds;
        commit
            .parent_ids()
            .map(|p| from_objects(git, p.detach()))
            .fold(own, i64::max)
    }

    #[test]
    fn graph_times_are_the_latest_of_the_ancestry_as_objects_say() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        let first = commit(d, "first", "2025-03-01T00:00:00Z");
        // Backdated below its parent: corrected to the parent's time.
        let backdated = commit(d, "backdated", "2025-01-15T00:00:00Z");
        git(
            d,
            &["checkout", "-q", "-b", "side", &first.to_string()],
            "2025-01-01T00:00:00Z",
        );
        let side = commit(d, "side", "2025-04-01T00:00:00Z");
        git(d, &["checkout", "-q", "main"], "2025-01-01T00:00:00Z");
        git(
            d,
            &["merge", "-q", "--no-ff", "-m", "merge", "side"],
            "2025-02-01T00:00:00Z",
        );
        let merge: ObjectId = git(d, &["rev-parse", "HEAD"], "2025-01-01T00:00:00Z")
            .parse()
            .expect("an id");
        let after = commit(d, "after", "2025-02-02T00:00:00Z");
        git(
            d,
            &["commit-graph", "write", "--reachable"],
            "2025-01-01T00:00:00Z",
        );
        let Ok(Opened::Repo(repo)) = GitRepo::open(d) else {
            panic!("a repository")
        };
        let mut times = ByPosition::default();
        for id in [after, merge, side, backdated, first] {
            assert_eq!(
                times.time_in(&repo, id),
                Some(from_objects(&repo, id)),
                "{id}"
            );
        }
        // Worked out ahead on another core, from the tip: the same times,
        // read by every clone.
        let ahead = SharedTimes::ahead(&repo, after);
        let other = ahead.clone();
        for id in [after, merge, side, backdated, first] {
            assert_eq!(ahead.time_in(&repo, id), times.time_in(&repo, id), "{id}");
            assert_eq!(other.time_in(&repo, id), times.time_in(&repo, id), "{id}");
        }
        // The merge inherits the side branch's later time.
        assert_eq!(times.time_in(&repo, after), times.time_in(&repo, side));
        assert!(times.time_in(&repo, backdated) > Some(1_736_899_200));
        // A commit the graph does not hold is left to the objects.
        let newer = commit(d, "newer", "2025-02-03T00:00:00Z");
        assert_eq!(times.time_in(&repo, newer), None);
        assert_eq!(ahead.time_in(&repo, newer), None);
    }
}
