//! Dating a judged commit: its corrected committer time, the largest
//! committer time among it and all its ancestors (git's generation number
//! v2 rule), so that a backdated commit counts as made when its latest
//! ancestor was.
//!
//! Three sources answer without inflating the whole ancestry: the times an
//! earlier run worked out (remembered by the history cache), the
//! commit-graph (every time and parent, one integer per commit), and the
//! walk the scan already made (every commit's time and first parent). Only
//! what none of them holds is read from the commit objects: merges (for
//! their other parents) and commits outside the walk.

use super::error::HistoryError;
use crate::git::corrected::SharedTimes;
use crate::git::{GitRepo, ObjectId, WalkedCommit};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The scan's walk, looked up by commit id (indexed on first use).
pub(crate) struct WalkTimes {
    commits: Arc<Vec<WalkedCommit>>,
    index: OnceLock<gix::hashtable::HashMap<ObjectId, u32>>,
}

impl WalkTimes {
    /// The walk `commits` (every commit reachable from the tip).
    pub(crate) fn new(commits: Arc<Vec<WalkedCommit>>) -> Self {
        WalkTimes {
            commits,
            index: OnceLock::new(),
        }
    }

    /// The walked commit `id`, if the walk holds it.
    fn get(&self, id: ObjectId) -> Option<&WalkedCommit> {
        let index = self.index.get_or_init(|| {
            let mut index = gix::hashtable::HashMap::default();
            index.reserve(self.commits.len());
            for (i, c) in self.commits.iter().enumerate() {
                index.insert(c.id, i as u32);
            }
            index
        });
        index.get(&id).map(|i| &self.commits[*i as usize])
    }
}

/// The corrected committer times one gate works out, and where from.
#[derive(Default)]
pub(crate) struct Dating {
    /// Corrected committer times known so far.
    corrected: HashMap<ObjectId, i64>,
    /// The corrected times of the judged commits' parents, as asked: what
    /// the history cache remembers so that a warm run reads no ancestry.
    asked: Vec<(ObjectId, i64)>,
    /// The commit-graph's times, by position (shared by the scan's gates).
    by_position: SharedTimes,
    /// The scan's walk, when there is one.
    walked: Option<Arc<WalkTimes>>,
}

impl Dating {
    /// Take `known` corrected times (remembered by an earlier run) as
    /// worked out, and `walked` (the scan's walk) and the commit-graph's
    /// `times` as sources of times and first parents.
    pub(crate) fn start_from(
        &mut self,
        known: &[(ObjectId, i64)],
        walked: Option<Arc<WalkTimes>>,
        times: SharedTimes,
    ) {
        self.corrected.extend(known.iter().copied());
        self.walked = walked;
        self.by_position = times;
    }

    /// The corrected times of the judged commits' parents worked out so far.
    pub(crate) fn asked(&self) -> &[(ObjectId, i64)] {
        &self.asked
    }

    /// The corrected time of a commit being judged (committer time `time`,
    /// `parents`): its own time, or a parent's corrected time when that is
    /// later. An absent parent (a shallow boundary) adds nothing.
    pub(crate) fn judged_time(
        &mut self,
        git: &GitRepo,
        time: i64,
        parents: &[ObjectId],
    ) -> Result<i64, HistoryError> {
        let mut latest = time;
        for &p in parents {
            if git.has(p) {
                let parent = self.corrected_time(git, p)?;
                self.asked.push((p, parent));
                latest = latest.max(parent);
            }
        }
        Ok(latest)
    }

    /// The corrected committer time of `id`: the largest of its own and its
    /// parents' corrected times. Each commit is worked out once.
    fn corrected_time(&mut self, git: &GitRepo, id: ObjectId) -> Result<i64, HistoryError> {
        let mut stack = vec![id];
        while let Some(&top) = stack.last() {
            if self.corrected.contains_key(&top) {
                stack.pop();
                continue;
            }
            if let Some(time) = self.by_position.time_in(git, top) {
                self.corrected.insert(top, time);
                stack.pop();
                continue;
            }
            let (own, parents) = self.time_and_parents(git, top)?;
            let pending: Vec<ObjectId> = parents
                .iter()
                .copied()
                .filter(|p| !self.corrected.contains_key(p))
                .collect();
            if pending.is_empty() {
                let latest = parents
                    .iter()
                    .filter_map(|p| self.corrected.get(p).copied())
                    .fold(own, i64::max);
                self.corrected.insert(top, latest);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
        Ok(self.corrected.get(&id).copied().unwrap_or(i64::MIN))
    }

    /// The committer time of `id` and its parents the repository holds:
    /// from the walk for a commit with one parent or none, else from the
    /// commit object.
    fn time_and_parents(
        &self,
        git: &GitRepo,
        id: ObjectId,
    ) -> Result<(i64, Vec<ObjectId>), HistoryError> {
        let walked = self
            .walked
            .as_deref()
            .and_then(|w| w.get(id).map(|c| (w, c)));
        if let Some((walk, c)) = walked.filter(|(_, c)| c.parents < 2) {
            let parents = c
                .first_parent
                .filter(|p| walk.get(*p).is_some() || git.has(*p));
            return Ok((c.time, parents.into_iter().collect()));
        }
        let (own, mut parents) = git.time_and_parents(id)?;
        parents.retain(|p| git.has(*p));
        Ok((own, parents))
    }
}
