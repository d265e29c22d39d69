//! The commit walk, message decoding, and a cache of tree lookups.

use super::{Class, Classifier, GitRepo, HistoryError, MessageFacts};
use gix::ObjectId;
use std::collections::HashMap;
use std::io::IsTerminal;

/// A commit as the walk sees it, without its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkedCommit {
    /// Its id.
    pub id: ObjectId,
    /// Committer time, seconds since the epoch (UTC).
    pub time: i64,
    /// Number of parents (2+ is a merge).
    pub parents: u32,
    /// The first parent, if any.
    pub first_parent: Option<ObjectId>,
}

/// Every commit reachable from `tip`, newest first by commit time, skipping
/// those older than `since`. The whole history is walked and filtered (a
/// time cutoff in the walk would let one commit with a bogus date hide all of
/// its ancestors).
pub fn walk(
    git: &GitRepo,
    tip: ObjectId,
    since: Option<i64>,
) -> Result<Vec<WalkedCommit>, HistoryError> {
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let walk = git
        .repo
        .rev_walk([tip])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .use_commit_graph(true)
        .all()
        .map_err(|e| git.missing(tip, None, e))?;
    let mut out = Vec::new();
    for info in walk {
        let info = info.map_err(|e| HistoryError::Read(format!("walking the history: {e}")))?;
        let time = info.commit_time();
        if since.is_some_and(|s| time < s) {
            continue;
        }
        out.push(WalkedCommit {
            id: info.id,
            time,
            parents: info.parent_ids.len() as u32,
            first_parent: info.parent_ids.first().copied(),
        });
    }
    Ok(out)
}

/// A progress bar on standard error when it is a terminal and the walk is long.
pub fn progress_bar(len: usize, enabled: bool, what: &'static str) -> indicatif::ProgressBar {
    if !enabled || len < 2_000 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg} {bar:30} {pos}/{len} commits")
    {
        bar.set_style(style);
    }
    bar.set_message(what);
    bar
}

/// Read a commit's message and split out subject and trailers.
pub fn message(git: &GitRepo, id: ObjectId) -> Result<MessageFacts, HistoryError> {
    let commit = git
        .repo
        .find_commit(id)
        .map_err(|e| git.missing(id, None, e))?;
    Ok(MessageFacts::parse(commit.message_raw_sloppy()))
}

/// Classify each commit by its message.
pub fn classify<'c>(
    git: &GitRepo,
    commits: &[&'c WalkedCommit],
    classifier: &Classifier,
    progress: bool,
) -> Result<Vec<(&'c WalkedCommit, Class)>, HistoryError> {
    let bar = progress_bar(commits.len(), progress, "classifying");
    let mut out = Vec::with_capacity(commits.len());
    for (i, c) in commits.iter().enumerate() {
        let msg = message(git, c.id)?;
        out.push((*c, classifier.classify(&msg)));
        if i % 1024 == 0 {
            bar.set_position(i as u64);
        }
    }
    bar.finish_and_clear();
    Ok(out)
}

/// Memoized root-tree and path lookups, using the commit-graph when present.
pub struct TreeCache<'r> {
    git: &'r GitRepo,
    graph: Option<gix::commitgraph::Graph>,
    roots: HashMap<ObjectId, Option<ObjectId>>,
    entries: HashMap<(ObjectId, String), Option<ObjectId>>,
}

impl<'r> TreeCache<'r> {
    /// A cache over `git`.
    pub fn new(git: &'r GitRepo) -> Result<Self, HistoryError> {
        let graph = git.repo.commit_graph_if_enabled().ok().flatten();
        Ok(TreeCache {
            git,
            graph,
            roots: HashMap::new(),
            entries: HashMap::new(),
        })
    }

    /// The root tree of a commit; `None` when the commit is not in the
    /// repository (beyond a shallow boundary).
    pub fn root(&mut self, commit: ObjectId) -> Result<Option<ObjectId>, HistoryError> {
        if let Some(t) = self.roots.get(&commit) {
            return Ok(*t);
        }
        let tree = match self.graph.as_ref().and_then(|g| g.commit_by_id(commit)) {
            Some(c) => Some(c.root_tree_id().to_owned()),
            None => match self.git.repo.find_commit(commit) {
                Ok(c) => Some(
                    c.tree_id()
                        .map_err(|e| self.git.missing(commit, None, e))?
                        .detach(),
                ),
                Err(e) if e.classify().is_not_found() && !self.git.repo.has_object(commit) => None,
                Err(e) => return Err(self.git.missing(commit, None, e)),
            },
        };
        self.roots.insert(commit, tree);
        Ok(tree)
    }

    /// The blob id at `path` in `commit`'s tree.
    pub fn entry(
        &mut self,
        commit: Option<ObjectId>,
        path: &str,
    ) -> Result<Option<ObjectId>, HistoryError> {
        let Some(commit) = commit else {
            return Ok(None);
        };
        let Some(tree) = self.root(commit)? else {
            return Ok(None);
        };
        let key = (tree, path.to_string());
        if let Some(e) = self.entries.get(&key) {
            return Ok(*e);
        }
        let e = self.git.entry_at(tree, path)?;
        self.entries.insert(key, e);
        Ok(e)
    }

    /// Whether `commit` changed `path` relative to its first parent:
    /// (before, after) blob ids when it did.
    pub fn changed(
        &mut self,
        c: &WalkedCommit,
        path: &str,
    ) -> Result<Option<(Option<ObjectId>, Option<ObjectId>)>, HistoryError> {
        let after_root = self.root(c.id)?;
        let before_root = match c.first_parent {
            Some(p) => self.root(p)?,
            None => None,
        };
        if after_root.is_some() && after_root == before_root {
            return Ok(None);
        }
        let after = self.entry(Some(c.id), path)?;
        let before = self.entry(c.first_parent, path)?;
        Ok((after != before).then_some((before, after)))
    }

    /// The bytes of a blob (empty when absent or refused).
    pub fn bytes(&self, id: Option<ObjectId>, path: &str) -> Result<Vec<u8>, HistoryError> {
        match id {
            None => Ok(Vec::new()),
            Some(id) => Ok(self.git.blob(id, path)?.unwrap_or_default()),
        }
    }
}
