//! The commit walk: every commit reachable from a tip, newest first.
//!
//! With a commit-graph the walk never reads a commit object ([`GraphWalk`]);
//! without one it must inflate every commit, and keeps what later steps need
//! from each (root tree, message) so that none is inflated twice.

use super::commit::{author_line, committer_time, raw_message, WalkedCommit};
use super::error::GitError;
use super::message::bounded_message;
use super::repo::GitRepo;
use crate::limits::MAX_COMMITS_WALKED;
use gix::ObjectId;
use std::sync::Arc;

/// What a walk found: the commits, and what the caller's parser made of the
/// messages it read along the way (`K`: the history's classification inputs).
pub(crate) struct Walked<K> {
    /// Every commit reachable from the tip, newest first by commit time
    /// (shared with the history cache).
    pub commits: Arc<Vec<WalkedCommit>>,
    /// The parsed messages by commit id (see [`walk`]).
    pub keys: gix::hashtable::HashMap<ObjectId, K>,
    /// Root trees by commit id, when the walk read the commit objects.
    pub roots: gix::hashtable::HashMap<ObjectId, ObjectId>,
}

/// A commit as a follower of the walk sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RootStep {
    /// The commit.
    pub id: ObjectId,
    /// Its root tree.
    pub tree: ObjectId,
    /// Its first parent (`None` for a root commit).
    pub parent: Option<ObjectId>,
    /// Whether it has more parents than one.
    pub merge: bool,
}

/// What a follower of the walk receives: the commits the walk inflates, in
/// batches, in the order it reads them (a commit's parents soon after it),
/// while the walk goes on. The walk never waits for its follower: once the
/// walk has ended no batch is handed out (but the one being sent then), and
/// batches a follower is too far behind to take are not kept; what it has
/// not worked out is left to passes that use every core.
pub(crate) struct Steps {
    batches: std::sync::mpsc::Receiver<Vec<RootStep>>,
    walking: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Steps {
    /// The steps of a walk that has handed out `batches` and is going on.
    #[cfg(test)]
    pub(crate) fn of(batches: Vec<Vec<RootStep>>) -> Steps {
        let (tx, rx) = std::sync::mpsc::channel();
        for batch in batches {
            let _ = tx.send(batch);
        }
        Steps {
            batches: rx,
            walking: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
        }
    }

    /// Whether the walk is still going on: a follower that sees it has
    /// ended stops, and leaves what it has not worked out to later passes.
    pub(crate) fn walking(&self) -> bool {
        self.walking.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// Who follows a walk that reads every commit (see [`walk_following`]),
/// each on its own thread: the commits older than `split` go to `older`,
/// the others to `newer` (each follower gets a [`Steps`] and answers an
/// `R` or an `S`).
pub(crate) struct Followers<F, G> {
    /// The commit time that divides the followers' commits.
    pub split: i64,
    /// The follower of the commits older than `split`.
    pub older: Option<F>,
    /// The follower of the commits from `split` on.
    pub newer: Option<G>,
}

/// A follower that is never given.
#[cfg(test)]
pub(crate) type NoFollower = fn(Steps);

#[cfg(test)]
impl Followers<NoFollower, NoFollower> {
    /// No follower at all.
    pub(crate) fn none() -> Self {
        Followers {
            split: i64::MIN,
            older: None,
            newer: None,
        }
    }
}

impl Iterator for Steps {
    type Item = Vec<RootStep>;

    fn next(&mut self) -> Option<Vec<RootStep>> {
        if !self.walking() {
            return None;
        }
        self.batches.recv().ok()
    }
}

/// Every commit reachable from `tip`, newest first by commit time, skipping
/// those older than `since`; the [`MAX_COMMITS_WALKED`] limit applies only
/// when `limited` (the user bounded the scan with `--since` otherwise). The
/// whole history is walked and filtered (a time cutoff in the walk would let
/// one commit with a bogus date hide all of its ancestors).
///
/// A walk that has to read every commit object anyway (no commit-graph) keeps
/// each commit's root tree and, with `parse`, what `parse` makes of its
/// author line and bounded message (given as a small commit object), parsed
/// on another core; so no commit is inflated twice. The second core is
/// mostly idle while this one reads, so the `followers` run there on the
/// commits (not older than `since`) as they are read, and work on their
/// trees is done by the time the walk ends; their answers are handed back
/// beside the walk's (`None`: the walk did not read the commits, or there
/// was no such follower).
#[allow(clippy::type_complexity)]
pub(crate) fn walk_following<K, P, F, R, G, S>(
    git: &GitRepo,
    tip: ObjectId,
    since: Option<i64>,
    limited: bool,
    parse: Option<&P>,
    followers: Followers<F, G>,
) -> Result<(Walked<K>, Option<R>, Option<S>), GitError>
where
    K: Send,
    P: Fn(&[u8]) -> K + Sync,
    F: FnOnce(Steps) -> R + Send,
    R: Send,
    G: FnOnce(Steps) -> S + Send,
    S: Send,
{
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let start_failed = |e| match git.missing(tip, None, e) {
        GitError::Read(m) => {
            GitError::Read(format!("{m}; pass --no-history to skip the history rules"))
        }
        other => other,
    };
    let graph = git.commit_graph();
    let recording = reads_every_commit(git);
    if recording {
        return std::thread::scope(|s| {
            // Messages are parsed on another core while this one inflates.
            let (tx, rx) = std::sync::mpsc::sync_channel::<MessageBatch>(64);
            let parser = parse.map(|parse| {
                s.spawn(move || {
                    let mut keys = gix::hashtable::HashMap::default();
                    for batch in rx {
                        for (id, message) in batch.iter() {
                            keys.insert(id, parse(message));
                        }
                    }
                    keys
                })
            });
            let walking = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
            let (older, older_lane) = Lane::of(followers.older, &walking);
            let (newer, newer_lane) = Lane::of(followers.newer, &walking);
            let older = older.map(|(follow, steps)| s.spawn(move || follow(steps)));
            let newer = newer.map(|(follow, steps)| s.spawn(move || follow(steps)));
            // The same traversal `rev_walk` sets up (no graph, no shallow
            // boundary), over a store that records what it hands out.
            let store = Recording {
                objects: &git.repo.objects,
                roots: Default::default(),
                batch: Default::default(),
                messages: parse.map(|_| tx),
                older: older_lane,
                newer: newer_lane,
                // Commits older than `since` are dropped after the walk:
                // not followed either.
                since: since.unwrap_or(i64::MIN),
                split: followers.split,
            };
            let commits = {
                let walk = gix::traverse::commit::Simple::new([tip], &store)
                    .sorting(gix::traverse::commit::simple::Sorting::ByCommitTime(
                        CommitTimeOrder::NewestFirst,
                    ))
                    .map_err(start_failed)?;
                collect_walk(
                    walk.map(|info| {
                        info.map(|i| (i.id, i.commit_time.unwrap_or_default(), i.parent_ids, None))
                    }),
                    since,
                    limited,
                    0,
                )?
            };
            walking.store(false, std::sync::atomic::Ordering::Release);
            let roots = store.finish();
            let keys = match parser.map(|p| p.join()) {
                Some(Ok(keys)) => keys,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => Default::default(),
            };
            let walked = Walked {
                commits: Arc::new(commits),
                keys,
                roots,
            };
            Ok((walked, joined(older), joined(newer)))
        });
    }
    if let (Some(graph), false, Ok(None)) = (
        graph,
        !git.repo.objects.ignore_replacements
            && git.repo.objects.store_ref().replacements().next().is_some(),
        git.repo.shallow_commits(),
    ) {
        let capacity = (graph.num_commits() as usize).min(MAX_COMMITS_WALKED + 1);
        let walk = GraphWalk::new(git, graph, tip).map_err(start_failed)?;
        let commits = collect_walk(walk, since, limited, capacity)?;
        let walked = Walked {
            commits: Arc::new(commits),
            keys: Default::default(),
            roots: Default::default(),
        };
        return Ok((walked, None, None));
    }
    let walk = git
        .repo
        .rev_walk([tip])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .use_commit_graph(git.graph_sound())
        .all()
        .map_err(start_failed)?;
    let commits = collect_walk(
        walk.map(|info| info.map(|i| (i.id, i.commit_time(), i.parent_ids, None))),
        since,
        limited,
        0,
    )?;
    let walked = Walked {
        commits: Arc::new(commits),
        keys: Default::default(),
        roots: Default::default(),
    };
    Ok((walked, None, None))
}

/// Whether a walk of `git` reads every commit object (no usable
/// commit-graph, no shallow boundary): only then do followers run.
pub(crate) fn reads_every_commit(git: &GitRepo) -> bool {
    git.commit_graph().is_none() && matches!(git.repo.shallow_commits(), Ok(None))
}

/// The answer of a follower's thread, if it ran (a panic goes on).
fn joined<T>(thread: Option<std::thread::ScopedJoinHandle<'_, T>>) -> Option<T> {
    match thread.map(|t| t.join()) {
        Some(Ok(answer)) => Some(answer),
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => None,
    }
}

/// The commits a walk yields as (id, commit time, parents, graph position),
/// filtered by `since` and bounded by [`MAX_COMMITS_WALKED`] when `limited`.
fn collect_walk(
    walk: impl Iterator<Item = Result<WalkStep, gix::Error>>,
    since: Option<i64>,
    limited: bool,
    capacity: usize,
) -> Result<Vec<WalkedCommit>, GitError> {
    let mut out = Vec::with_capacity(capacity);
    for (walked, info) in walk.enumerate() {
        let (id, time, parents, graph_position) = info.map_err(|e| {
            GitError::Read(format!(
                "a commit could not be read while walking the history ({e}); pass --no-history to skip the history rules"
            ))
        })?;
        if limited && walked >= MAX_COMMITS_WALKED {
            return Err(GitError::TooManyCommits {
                limit: MAX_COMMITS_WALKED,
            });
        }
        if since.is_some_and(|s| time < s) {
            continue;
        }
        out.push(WalkedCommit {
            id,
            time,
            parents: parents.len() as u32,
            first_parent: parents.first().copied(),
            graph_position,
        });
    }
    Ok(out)
}

/// The walk `rev_walk` makes over a commit-graph, by graph position.
///
/// gix's walk looks every parent up by id (a binary search of the graph per
/// parent) and remembers seen commits in a hash set; this one follows parent
/// positions and marks them in a bitmap, a bit per commit. It feeds the same
/// priority queue with the same insertions in the same order (time keys, tips
/// timed from their objects, commits missing from a stale graph read from
/// the object database, parents in order), so it yields the very same
/// sequence, ties included; a test compares the two on a generated history.
struct GraphWalk<'a> {
    objects: &'a gix::OdbHandle,
    /// `None` once the graph turned out to be corrupt (as gix does, the walk
    /// then goes on from the object database).
    graph: Option<std::sync::Arc<gix::commitgraph::Graph>>,
    /// Commits to visit by time, with their graph position when known
    /// (the position never takes part in the order).
    queue: gix::revwalk::PriorityQueue<i64, (ObjectId, Option<gix::commitgraph::Position>)>,
    /// Seen commits that the graph holds, by position.
    seen_in_graph: Vec<u64>,
    /// Seen commits outside the graph.
    seen: gix::hashtable::HashSet<ObjectId>,
    buf: Vec<u8>,
}

impl<'a> GraphWalk<'a> {
    fn new(
        git: &'a GitRepo,
        graph: std::sync::Arc<gix::commitgraph::Graph>,
        tip: ObjectId,
    ) -> gix::Result<Self> {
        use gix::objs::FindExt as _;
        let mut walk = GraphWalk {
            objects: &git.repo.objects,
            seen_in_graph: vec![0; (graph.num_commits() as usize).div_ceil(64)],
            graph: Some(graph),
            queue: gix::revwalk::PriorityQueue::new(),
            seen: Default::default(),
            buf: Vec::new(),
        };
        let time = committer_seconds(walk.objects.find_commit_iter(&tip, &mut walk.buf)?)?;
        let pos = walk.first_sight(tip).flatten();
        walk.queue.insert(time, (tip, pos));
        Ok(walk)
    }

    /// `Some(graph position)` when `id` is seen for the first time (and
    /// mark it seen); `Some(None)` for a new commit outside the graph.
    #[allow(clippy::option_option)]
    fn first_sight(&mut self, id: ObjectId) -> Option<Option<gix::commitgraph::Position>> {
        match self.graph.as_ref().and_then(|g| g.lookup(id)) {
            Some(pos) => first_sight_at(&mut self.seen_in_graph, pos).then_some(Some(pos)),
            None => self.seen.insert(id).then_some(None),
        }
    }

    /// The parents of a commit the graph holds, each queued when first seen;
    /// `None` when the graph is corrupt.
    fn graph_parents(&mut self, pos: gix::commitgraph::Position) -> Option<ParentIds> {
        let graph = self.graph.as_ref()?;
        let mut parents = ParentIds::new();
        for parent in graph.commit_at(pos).iter_parents() {
            parent.ok()?;
        }
        for parent in graph.commit_at(pos).iter_parents().flatten() {
            let commit = graph.commit_at(parent);
            let id = commit.id().to_owned();
            parents.push(id);
            if first_sight_at(&mut self.seen_in_graph, parent) {
                self.queue
                    .insert(commit.committer_timestamp() as i64, (id, Some(parent)));
            }
        }
        Some(parents)
    }

    /// The parents of a commit read from the object database, each queued
    /// (timed from its own object) when first seen.
    fn object_parents(&mut self, id: ObjectId) -> gix::Result<ParentIds> {
        use gix::objs::FindExt as _;
        let ids: ParentIds = self
            .objects
            .find_commit_iter(&id, &mut self.buf)?
            .parent_ids()
            .collect();
        for &parent in &ids {
            if let Some(pos) = self.first_sight(parent) {
                let time = self
                    .objects
                    .find_commit_iter(&parent, &mut self.buf)
                    .ok()
                    .and_then(|c| committer_seconds(c).ok())
                    .unwrap_or_default();
                self.queue.insert(time, (parent, pos));
            }
        }
        Ok(ids)
    }
}

type ParentIds = gix::traverse::commit::ParentIds;

/// A commit as a walk yields it: id, commit time, parents, graph position.
type WalkStep = (ObjectId, i64, ParentIds, Option<u32>);

/// Whether the commit at `pos` is seen for the first time (and mark it).
fn first_sight_at(seen: &mut [u64], pos: gix::commitgraph::Position) -> bool {
    let (word, bit) = (pos.0 as usize / 64, 1u64 << (pos.0 % 64));
    let new = seen[word] & bit == 0;
    seen[word] |= bit;
    new
}

/// The committer time of a commit, in seconds.
fn committer_seconds(commit: gix::objs::CommitRefIter<'_>) -> gix::Result<i64> {
    Ok(commit.committer()?.seconds())
}

impl Iterator for GraphWalk<'_> {
    type Item = Result<WalkStep, gix::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (time, (id, pos)) = self.queue.pop()?;
            let pos = pos.filter(|_| self.graph.is_some());
            let parents = match pos {
                Some(pos) => match self.graph_parents(pos) {
                    Some(parents) => parents,
                    None => {
                        self.graph = None;
                        self.queue.insert(time, (id, None));
                        continue;
                    }
                },
                None => match self.object_parents(id) {
                    Ok(parents) => parents,
                    Err(e) => return Some(Err(e)),
                },
            };
            return Some(Ok((id, time, parents, pos.map(|p| p.0))));
        }
    }
}

/// An object store that keeps the root tree and classification inputs of
/// every commit it hands out (once, however often the walk asks for it).
struct Recording<'a> {
    objects: &'a gix::OdbHandle,
    roots: std::cell::RefCell<gix::hashtable::HashMap<ObjectId, ObjectId>>,
    /// Messages not yet sent to the parser.
    batch: std::cell::RefCell<MessageBatch>,
    /// Where messages go to be parsed; `None`: keep only root trees.
    messages: Option<std::sync::mpsc::SyncSender<MessageBatch>>,
    /// Where the commits older than `split` go to be followed (see
    /// [`walk_following`]).
    older: Option<Lane>,
    /// Where the commits from `split` on go.
    newer: Option<Lane>,
    /// The oldest commit time followed.
    since: i64,
    /// The commit time that divides `older` from `newer`.
    split: i64,
}

impl Recording<'_> {
    /// Send what is left to the parser and the followers (ending their
    /// input) and hand back the root trees.
    fn finish(self) -> gix::hashtable::HashMap<ObjectId, ObjectId> {
        if let Some(tx) = self.messages {
            let _ = tx.send(self.batch.into_inner());
        }
        for lane in [self.older, self.newer].into_iter().flatten() {
            lane.finish();
        }
        self.roots.into_inner()
    }

    /// The lane of a commit made at `time`, if it is followed.
    fn lane(&self, time: i64) -> Option<&Lane> {
        if time < self.since {
            None
        } else if time < self.split {
            self.older.as_ref()
        } else {
            self.newer.as_ref()
        }
    }
}

/// Where one follower's commits go, a batch at a time.
struct Lane {
    tx: std::sync::mpsc::SyncSender<Vec<RootStep>>,
    /// Commits not yet sent.
    steps: std::cell::RefCell<Vec<RootStep>>,
}

impl Lane {
    /// Commits per batch sent to a follower.
    const STEPS: usize = 256;

    /// For `follower`, if given: the follower with the [`Steps`] it reads,
    /// and the lane the walk sends them down.
    fn of<F>(
        follower: Option<F>,
        walking: &Arc<std::sync::atomic::AtomicBool>,
    ) -> (Option<(F, Steps)>, Option<Lane>) {
        let Some(follower) = follower else {
            return (None, None);
        };
        let (tx, batches) = std::sync::mpsc::sync_channel::<Vec<RootStep>>(256);
        let steps = Steps {
            batches,
            walking: walking.clone(),
        };
        let lane = Lane {
            tx,
            steps: Default::default(),
        };
        (Some((follower, steps)), Some(lane))
    }

    /// Hand a commit on to the follower.
    fn follow(&self, step: RootStep) {
        let mut steps = self.steps.borrow_mut();
        steps.push(step);
        if steps.len() >= Self::STEPS {
            // The walk never waits: a batch a follower that is gone or
            // behind cannot take is left to be worked out later.
            let _ = self.tx.try_send(std::mem::replace(
                &mut *steps,
                Vec::with_capacity(Self::STEPS),
            ));
        }
    }

    /// Send the commits left (ending the follower's input).
    fn finish(self) {
        let _ = self.tx.try_send(self.steps.into_inner());
    }
}

/// Commits' author lines and messages, in one buffer.
#[derive(Default)]
struct MessageBatch {
    ids: Vec<ObjectId>,
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl MessageBatch {
    /// Messages per batch.
    const LEN: usize = 512;

    /// Keep what a message parser reads of a commit: its author
    /// line and its message (already bounded), as a small commit object.
    fn push(&mut self, id: ObjectId, author: Option<&[u8]>, message: &[u8]) {
        self.ids.push(id);
        if let Some(author) = author {
            self.bytes.extend_from_slice(b"author ");
            self.bytes.extend_from_slice(author);
        }
        self.bytes.extend_from_slice(b"\n\n");
        self.bytes.extend_from_slice(message);
        self.ends.push(self.bytes.len());
    }

    fn iter(&self) -> impl Iterator<Item = (ObjectId, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.ids
            .iter()
            .zip(starts.zip(&self.ends))
            .map(|(id, (start, &end))| (*id, &self.bytes[start..end]))
    }
}

impl gix::objs::Find for Recording<'_> {
    fn try_find<'b>(
        &self,
        id: &gix::oid,
        buffer: &'b mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'b>>> {
        let found = self.objects.try_find(id, buffer)?;
        if let Some(data) = &found {
            if data.kind == gix::object::Kind::Commit {
                let mut roots = self.roots.borrow_mut();
                if !roots.contains_key(id) {
                    let mut commit = gix::objs::CommitRefIter::from_bytes(data.data, id.kind());
                    if let Ok(tree) = commit.tree_id() {
                        roots.insert(id.to_owned(), tree);
                        if let Some(lane) = committer_time(data.data).and_then(|t| self.lane(t)) {
                            let mut parents = commit.parent_ids();
                            lane.follow(RootStep {
                                id: id.to_owned(),
                                tree,
                                parent: parents.next(),
                                merge: parents.next().is_some(),
                            });
                        }
                    }
                    if let Some(tx) = &self.messages {
                        let mut batch = self.batch.borrow_mut();
                        // Only what classification reads is kept (a huge message is cut).
                        batch.push(
                            id.to_owned(),
                            author_line(data.data),
                            &bounded_message(raw_message(data.data)),
                        );
                        if batch.ids.len() >= MessageBatch::LEN {
                            // A parser that is gone leaves these to be decoded later.
                            let _ = tx.send(std::mem::take(&mut *batch));
                        }
                    }
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;
    use crate::git::Opened;

    /// A walk of the whole history with no follower.
    fn walk<K: Send, P: Fn(&[u8]) -> K + Sync>(
        git: &GitRepo,
        tip: ObjectId,
        parse: Option<&P>,
    ) -> Result<Walked<K>, GitError> {
        Ok(walk_following(git, tip, None, true, parse, Followers::none())?.0)
    }

    /// The walk, as (id, time, parents).
    type Sequence = Vec<(ObjectId, i64, Vec<ObjectId>)>;

    fn gix_walk(git: &GitRepo, tip: ObjectId) -> Sequence {
        use gix::revision::walk::Sorting;
        use gix::traverse::commit::simple::CommitTimeOrder;
        git.repo
            .rev_walk([tip])
            .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
            .use_commit_graph(true)
            .all()
            .expect("walk")
            .map(|i| i.expect("commit"))
            .map(|i| (i.id, i.commit_time(), i.parent_ids.to_vec()))
            .collect()
    }

    #[test]
    fn the_graph_walk_yields_what_gix_yields_ties_merges_and_stale_graph_included() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        // Many commits share a timestamp, so the order of ties matters.
        let date = |i: usize| format!("2025-01-{:02}T12:00:00Z", 1 + i / 6);
        for i in 0..24 {
            if i % 8 == 3 {
                git(d, &["checkout", "-q", "-b", &format!("side{i}")], &date(i));
                for j in 0..3 {
                    git(
                        d,
                        &[
                            "commit",
                            "-q",
                            "--allow-empty",
                            "-m",
                            &format!("side {i}.{j}"),
                        ],
                        &date(i + j),
                    );
                }
                git(d, &["checkout", "-q", "main"], &date(i));
            }
            git(
                d,
                &["commit", "-q", "--allow-empty", "-m", &format!("main {i}")],
                &date(i),
            );
            if i % 8 == 6 {
                let side = format!("side{}", i - 3);
                git(
                    d,
                    &["merge", "-q", "--no-ff", "-m", "merge", &side],
                    &date(i),
                );
            }
        }
        git(d, &["commit-graph", "write", "--reachable"], &date(24));
        // Commits after the graph was written: the walk reads them from the
        // object database and must still agree.
        git(d, &["checkout", "-q", "-b", "late"], &date(24));
        git(
            d,
            &["commit", "-q", "--allow-empty", "-m", "late"],
            &date(24),
        );
        git(d, &["checkout", "-q", "main"], &date(24));
        git(
            d,
            &["commit", "-q", "--allow-empty", "-m", "after"],
            &date(24),
        );
        git(
            d,
            &["merge", "-q", "--no-ff", "-m", "merge late", "late"],
            &date(24),
        );

        let Ok(Opened::Repo(repo)) = GitRepo::open(d) else {
            panic!("the repository opens");
        };
        let tip = repo.resolve("HEAD").expect("HEAD");
        let graph = repo
            .repo
            .commit_graph_if_enabled()
            .expect("graph readable")
            .expect("a graph");
        let ours: Sequence = GraphWalk::new(&repo, std::sync::Arc::new(graph), tip)
            .expect("walk")
            .map(|r| r.expect("commit"))
            .map(|(id, time, parents, _)| (id, time, parents.to_vec()))
            .collect();
        let theirs = gix_walk(&repo, tip);
        assert!(theirs.len() > 30, "{}", theirs.len());
        assert_eq!(ours, theirs);
    }

    /// Without a commit-graph the walk reads every commit object, and hands
    /// each one's author line and message to the caller's parser (as a
    /// small commit object) on the way; without a parser it keeps nothing.
    #[test]
    fn a_walk_without_a_graph_hands_each_message_to_the_parser() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        for (i, subject) in ["feat: one", "fix: two", "chore: three"].iter().enumerate() {
            let date = format!("2025-01-0{}T12:00:00Z", i + 1);
            git(d, &["commit", "-q", "--allow-empty", "-m", subject], &date);
        }
        let Ok(Opened::Repo(repo)) = GitRepo::open(d) else {
            panic!("the repository opens");
        };
        assert!(repo.commit_graph().is_none(), "no commit-graph is written");
        let tip = repo.resolve("HEAD").expect("HEAD");
        let parse = |m: &[u8]| String::from_utf8_lossy(m).into_owned();
        let walked = walk(&repo, tip, Some(&parse)).expect("walk");
        assert_eq!(walked.commits.len(), 3);
        assert_eq!(walked.roots.len(), 3);
        let seen: Vec<&str> = walked
            .commits
            .iter()
            .map(|c| walked.keys[&c.id].as_str())
            .collect();
        assert_eq!(
            seen,
            [
                "author T <t@example.com> 1735905600 +0000\n\nchore: three\n",
                "author T <t@example.com> 1735819200 +0000\n\nfix: two\n",
                "author T <t@example.com> 1735732800 +0000\n\nfeat: one\n",
            ]
        );
        let none: Option<&fn(&[u8])> = None;
        let bare = walk(&repo, tip, none).expect("walk");
        assert_eq!(bare.commits, walked.commits);
        assert!(bare.keys.is_empty());
    }

    /// The followers of a walk that reads the commits get each commit once,
    /// the older follower those older than the split and the newer one the
    /// others, with their root tree and first parent, in the order they are
    /// read (a commit before its parent), while the walk goes on; their
    /// answers come back.
    #[test]
    fn followers_see_every_commit_read_with_its_tree_and_parent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        for i in 1..=300 {
            std::fs::write(d.join("f"), i.to_string()).expect("write");
            git(d, &["add", "f"], "2025-01-01T00:00:00Z");
            let date = format!("2025-01-01T{:02}:{:02}:00Z", i / 60, i % 60);
            git(d, &["commit", "-q", "-m", &format!("c{i}")], &date);
            if i == 250 {
                // A merge among the newer commits.
                git(d, &["checkout", "-q", "-b", "side", "HEAD~1"], &date);
                git(d, &["commit", "-q", "--allow-empty", "-m", "side"], &date);
                git(d, &["checkout", "-q", "main"], &date);
                git(d, &["merge", "-q", "--no-ff", "-m", "merge", "side"], &date);
            }
        }
        let Ok(Opened::Repo(repo)) = GitRepo::open(d) else {
            panic!("the repository opens");
        };
        let tip = repo.resolve("HEAD").expect("HEAD");
        let none: Option<&fn(&[u8])> = None;
        let follow = |steps: Steps| steps.into_iter().flatten().collect::<Vec<RootStep>>();
        // The commits older than the 100th newest go to the older follower.
        let all = walk(&repo, tip, none).expect("walk");
        let before = all.commits[99].time;
        let both = |split| Followers {
            split,
            older: Some(follow),
            newer: Some(follow),
        };
        let (walked, seen, newer) =
            walk_following(&repo, tip, None, true, none, both(before)).expect("walk");
        let seen = seen.expect("the walk read the commits, so the follower ran");
        let newer = newer.expect("the newer follower ran");
        assert_eq!(walked.commits.len(), 302);
        let step = |c: &WalkedCommit| RootStep {
            id: c.id,
            tree: repo.tree_of(c.id).expect("tree"),
            parent: c.first_parent,
            merge: c.parents > 1,
        };
        let part = |newer: bool| -> Vec<RootStep> {
            let commits = walked.commits.iter();
            commits
                .filter(|c| (c.time >= before) == newer)
                .map(step)
                .collect()
        };
        let (newest, expected) = (part(true), part(false));
        assert_eq!(newest.iter().filter(|s| s.merge).count(), 1);
        // A follower quick enough to keep up gets all; a slow one, the
        // batches read before the walk ended (and the one sent then).
        assert_eq!(seen, expected[..seen.len()]);
        assert_eq!(newer, newest[..newer.len()]);
        // Under `--since` the commits the walk drops are not followed.
        let since = all.commits[199].time;
        let (walked, seen, _) =
            walk_following(&repo, tip, Some(since), true, none, both(before)).expect("walk");
        let seen = seen.expect("the follower ran");
        assert_eq!(walked.commits.len(), 200);
        let window: Vec<RootStep> = expected
            .into_iter()
            .filter(|s| walked.commits.iter().any(|c| c.id == s.id))
            .collect();
        assert_eq!(window.len(), 100);
        // (A follower the walk outran may have got nothing.)
        assert!(seen.len() <= window.len(), "{}", seen.len());
        assert_eq!(seen, window[..seen.len()]);
    }

    /// Batches are handed out while the walk goes on, and none once it has
    /// ended, however many wait.
    #[test]
    fn a_follower_gets_no_batch_once_the_walk_has_ended() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let (tx, batches) = std::sync::mpsc::sync_channel(4);
        let walking = Arc::new(AtomicBool::new(true));
        let mut steps = Steps {
            batches,
            walking: walking.clone(),
        };
        let step = |n: u8| RootStep {
            id: ObjectId::from_bytes_or_panic(&[n; 20]),
            tree: ObjectId::from_bytes_or_panic(&[n; 20]),
            parent: None,
            merge: false,
        };
        for n in 1..=3 {
            tx.send(vec![step(n)]).expect("send");
        }
        assert_eq!(steps.next(), Some(vec![step(1)]));
        walking.store(false, Ordering::Release);
        assert_eq!(steps.next(), None);
        assert_eq!(steps.next(), None);
    }
}
