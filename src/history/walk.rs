//! The commit walk, message decoding, and a cache of tree lookups.
//!
//! Decoding messages is the bulk of a history scan (every commit object must
//! be inflated), so it runs on every core, each thread with its own repository
//! handle, and only for commits the history cache does not already know.
//! Everything else comes from the walk (commit-graph when present): committer
//! time and parents never need the commit object.

use super::cache::{HistoryCache, PathChange};
use super::{Class, Classifier, GitRepo, HistoryError, MessageFacts, MessageKey};
use crate::limits::MAX_COMMITS_WALKED;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;

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
    /// Its position in the commit-graph the walk used, if any: root trees
    /// are then read from the graph without looking the commit up. Never
    /// persisted (a rewritten graph moves commits).
    pub graph_position: Option<u32>,
}

/// What a walk found: the commits, and the classification inputs of those
/// whose messages it read along the way.
pub struct Walked {
    /// Every commit reachable from the tip, newest first by commit time
    /// (shared with the history cache).
    pub commits: Arc<Vec<WalkedCommit>>,
    /// Classification inputs by commit id (see [`walk`]).
    pub keys: gix::hashtable::HashMap<ObjectId, MessageKey>,
    /// Root trees by commit id, when the walk read the commit objects.
    pub roots: gix::hashtable::HashMap<ObjectId, ObjectId>,
}

/// Every commit reachable from `tip`, newest first by commit time, skipping
/// those older than `since`. The whole history is walked and filtered (a
/// time cutoff in the walk would let one commit with a bogus date hide all of
/// its ancestors).
///
/// A walk that has to read every commit object anyway (no commit-graph) keeps
/// each commit's root tree and, with `item_trailer`, its classification
/// inputs, so no commit is inflated twice.
pub fn walk(
    git: &GitRepo,
    tip: ObjectId,
    since: Option<i64>,
    item_trailer: Option<&str>,
) -> Result<Walked, HistoryError> {
    walk_limited(git, tip, since, since.is_none(), item_trailer)
}

/// [`walk`], with the [`MAX_COMMITS_WALKED`] limit applied only when `limited`
/// (the user bounded the scan with `--since` otherwise).
fn walk_limited(
    git: &GitRepo,
    tip: ObjectId,
    since: Option<i64>,
    limited: bool,
    item_trailer: Option<&str>,
) -> Result<Walked, HistoryError> {
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let start_failed = |e| match git.missing(tip, None, e) {
        HistoryError::Read(m) => {
            HistoryError::Read(format!("{m}; pass --no-history to skip the history rules"))
        }
        other => other,
    };
    let recording = matches!(git.repo.commit_graph_if_enabled(), Ok(None))
        && matches!(git.repo.shallow_commits(), Ok(None));
    if recording {
        return std::thread::scope(|s| {
            // Messages are parsed on another core while this one inflates.
            let (tx, rx) = std::sync::mpsc::sync_channel::<MessageBatch>(64);
            let parser = item_trailer.map(|trailer| {
                s.spawn(move || {
                    let mut keys = gix::hashtable::HashMap::default();
                    for batch in rx {
                        for (id, message) in batch.iter() {
                            keys.insert(id, MessageKey::parse(message, trailer));
                        }
                    }
                    keys
                })
            });
            // The same traversal `rev_walk` sets up (no graph, no shallow
            // boundary), over a store that records what it hands out.
            let store = Recording {
                objects: &git.repo.objects,
                roots: Default::default(),
                batch: Default::default(),
                messages: item_trailer.map(|_| tx),
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
            let roots = store.finish();
            let keys = match parser.map(|p| p.join()) {
                Some(Ok(keys)) => keys,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => Default::default(),
            };
            Ok(Walked {
                commits: Arc::new(commits),
                keys,
                roots,
            })
        });
    }
    if let (Ok(Some(graph)), false, Ok(None)) = (
        git.repo.commit_graph_if_enabled(),
        !git.repo.objects.ignore_replacements
            && git.repo.objects.store_ref().replacements().next().is_some(),
        git.repo.shallow_commits(),
    ) {
        let capacity = (graph.num_commits() as usize).min(MAX_COMMITS_WALKED + 1);
        let walk = GraphWalk::new(git, graph, tip).map_err(start_failed)?;
        let commits = collect_walk(walk, since, limited, capacity)?;
        return Ok(Walked {
            commits: Arc::new(commits),
            keys: Default::default(),
            roots: Default::default(),
        });
    }
    let walk = git
        .repo
        .rev_walk([tip])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .use_commit_graph(true)
        .all()
        .map_err(start_failed)?;
    let commits = collect_walk(
        walk.map(|info| info.map(|i| (i.id, i.commit_time(), i.parent_ids, None))),
        since,
        limited,
        0,
    )?;
    Ok(Walked {
        commits: Arc::new(commits),
        keys: Default::default(),
        roots: Default::default(),
    })
}

/// The commits a walk yields as (id, commit time, parents, graph position),
/// filtered by `since` and bounded by [`MAX_COMMITS_WALKED`] when `limited`.
fn collect_walk(
    walk: impl Iterator<Item = Result<WalkStep, gix::Error>>,
    since: Option<i64>,
    limited: bool,
    capacity: usize,
) -> Result<Vec<WalkedCommit>, HistoryError> {
    let mut out = Vec::with_capacity(capacity);
    for (walked, info) in walk.enumerate() {
        let (id, time, parents, graph_position) = info.map_err(|e| {
            HistoryError::Read(format!(
                "a commit could not be read while walking the history ({e}); pass --no-history to skip the history rules"
            ))
        })?;
        if limited && walked >= MAX_COMMITS_WALKED {
            return Err(HistoryError::TooManyCommits {
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
    graph: Option<gix::commitgraph::Graph>,
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
    fn new(git: &'a GitRepo, graph: gix::commitgraph::Graph, tip: ObjectId) -> gix::Result<Self> {
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
}

impl Recording<'_> {
    /// Send what is left to the parser (ending its input) and hand back the
    /// root trees.
    fn finish(self) -> gix::hashtable::HashMap<ObjectId, ObjectId> {
        if let Some(tx) = self.messages {
            let _ = tx.send(self.batch.into_inner());
        }
        self.roots.into_inner()
    }
}

/// Raw commit messages, in one buffer.
#[derive(Default)]
struct MessageBatch {
    ids: Vec<ObjectId>,
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl MessageBatch {
    /// Messages per batch.
    const LEN: usize = 512;

    fn push(&mut self, id: ObjectId, message: &[u8]) {
        self.ids.push(id);
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
                    if let Ok(tree) =
                        gix::objs::CommitRefIter::from_bytes(data.data, id.kind()).tree_id()
                    {
                        roots.insert(id.to_owned(), tree);
                    }
                    if let Some(tx) = &self.messages {
                        let mut batch = self.batch.borrow_mut();
                        batch.push(id.to_owned(), raw_message(data.data));
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

/// A commit's raw message (everything after the header).
fn raw_commit_message(git: &GitRepo, id: ObjectId) -> Result<Vec<u8>, HistoryError> {
    let commit = git
        .repo
        .find_commit(id)
        .map_err(|e| git.missing(id, None, e))?;
    Ok(commit.message_raw_sloppy().to_vec())
}

/// The walk from `tip` (see [`walk`]), taken from the history cache when it
/// remembers this tip, and remembered there otherwise.
pub fn walk_cached(
    git: &GitRepo,
    tip: ObjectId,
    since: Option<i64>,
    item_trailer: Option<&str>,
    cache: Option<&mut HistoryCache>,
) -> Result<Walked, HistoryError> {
    let Some(cache) = cache else {
        return walk(git, tip, since, item_trailer);
    };
    let walked = match cache.walk_from(tip) {
        Some(commits) => Walked {
            commits,
            keys: Default::default(),
            roots: Default::default(),
        },
        None => {
            let walked = walk_limited(git, tip, None, since.is_none(), item_trailer)?;
            cache.set_walk(tip, &walked.commits);
            walked
        }
    };
    Ok(match since {
        Some(s) => Walked {
            commits: Arc::new(
                walked
                    .commits
                    .iter()
                    .filter(|c| c.time >= s)
                    .cloned()
                    .collect(),
            ),
            ..walked
        },
        None => walked,
    })
}

/// The message of a raw commit object: everything after the header.
fn raw_message(data: &[u8]) -> &[u8] {
    data.find(b"\n\n").map_or(&[][..], |pos| &data[pos + 2..])
}

/// The classification inputs of a raw commit object, and its class.
fn decode(data: &[u8], classifier: &Classifier, item_trailer: &str) -> (MessageKey, Class) {
    let key = MessageKey::parse(raw_message(data), item_trailer);
    let class = classifier.classify_key(&key);
    (key, class)
}

/// Why a thread could not read an object.
enum ReadFailure {
    Missing(ObjectId, Option<String>),
    Other(ObjectId, String),
}

impl ReadFailure {
    fn of(id: ObjectId, path: Option<&str>, e: impl std::fmt::Display, not_found: bool) -> Self {
        if not_found {
            ReadFailure::Missing(id, path.map(str::to_string))
        } else {
            ReadFailure::Other(id, e.to_string())
        }
    }

    fn into_error(self, git: &GitRepo) -> HistoryError {
        match self {
            ReadFailure::Missing(id, path) => HistoryError::MissingObject {
                id: id.to_string(),
                path,
                partial: git.is_partial_clone(),
            },
            ReadFailure::Other(id, e) => HistoryError::Read(format!(
                "{id}: {e}; pass --no-history to skip the history rules"
            )),
        }
    }
}

/// How many threads to use for `n` independent object reads.
fn threads_for(n: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(8).min(n.div_ceil(2048)).max(1)
}

/// A repository handle for a worker thread: no object cache (each object
/// is read once), and a hash-map delta-base cache (trees are long delta
/// chains; the default 64-entry list cache spends its time searching itself).
fn worker_repo(git: &GitRepo) -> gix::Repository {
    let mut repo = git.repo.clone();
    repo.object_cache_size(0);
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            DELTA_CACHE_BYTES,
        ))
    });
    repo
}

/// Delta-base cache per worker thread.
const DELTA_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// The decoded messages of a run of commits: each commit's class and, when
/// asked for, its classification inputs as indexes into `strings` (interned,
/// so a long history costs a few bytes per commit, not two strings).
#[derive(Default)]
struct Decoded {
    classes: Vec<Class>,
    keys: Vec<(u32, u32)>,
    strings: Vec<String>,
}

impl Decoded {
    fn push(&mut self, class: Class, key: Option<MessageKey>, ids: &mut HashMap<String, u32>) {
        self.classes.push(class);
        let Some(key) = key else { return };
        let mut intern = |s: Option<String>| match s {
            None => u32::MAX,
            Some(s) => *ids.entry(s).or_insert_with_key(|s| {
                self.strings.push(s.clone());
                (self.strings.len() - 1) as u32
            }),
        };
        let ty = intern(key.ty);
        let item = intern(key.item);
        self.keys.push((ty, item));
    }
}

/// Decode the commits `ids` on one repository handle, keeping their
/// classification inputs when `keep_keys`.
fn decode_chunk(
    repo: &gix::Repository,
    ids: &[ObjectId],
    classifier: &Classifier,
    item_trailer: &str,
    keep_keys: bool,
    bar: &indicatif::ProgressBar,
) -> Result<Decoded, ReadFailure> {
    use gix::prelude::Find;
    let mut buf = Vec::new();
    let mut out = Decoded::default();
    let mut interned = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let data = match repo.objects.try_find(id, &mut buf) {
            Ok(Some(d)) if d.kind == gix::object::Kind::Commit => d,
            Ok(Some(d)) => {
                return Err(ReadFailure::Other(
                    *id,
                    format!("expected a commit, found a {}", d.kind),
                ))
            }
            Ok(None) => return Err(ReadFailure::Missing(*id, None)),
            Err(e) => return Err(ReadFailure::Other(*id, e.to_string())),
        };
        let (key, class) = decode(data.data, classifier, item_trailer);
        out.push(class, keep_keys.then_some(key), &mut interned);
        if i % 1024 == 1023 {
            bar.inc(1024);
        }
    }
    Ok(out)
}

/// Decode the messages of `ids` across the available cores, in the walk's
/// order (which is close to the pack's, so reads stay sequential): one
/// [`Decoded`] per consecutive run of `ids`.
fn decode_all(
    git: &GitRepo,
    ids: &[ObjectId],
    classifier: &Classifier,
    item_trailer: &str,
    keep_keys: bool,
    bar: &indicatif::ProgressBar,
) -> Result<Vec<Decoded>, HistoryError> {
    on_every_core(git, ids, |repo, _, part| {
        decode_chunk(repo, part, classifier, item_trailer, keep_keys, bar)
    })
    .map_err(|f| f.into_error(git))
}

/// Run `work` over consecutive runs of `items` on the available cores. Each
/// thread, with its own repository handle, takes the next run when it is
/// done with one, so no core idles while another finishes a long tail.
/// `work` gets each run's offset in `items`; the results come back in the
/// order of the runs.
fn on_every_core<T: Sync, R: Send>(
    git: &GitRepo,
    items: &[T],
    work: impl Fn(&gix::Repository, usize, &[T]) -> Result<R, ReadFailure> + Sync,
) -> Result<Vec<R>, ReadFailure> {
    let threads = threads_for(items.len());
    if threads == 1 {
        return Ok(vec![work(&worker_repo(git), 0, items)?]);
    }
    let runs = (threads * 8).min(items.len().div_ceil(1024)).max(threads);
    let size = items.len().div_ceil(runs);
    let chunks: Vec<&[T]> = items.chunks(size).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (chunks, next, work) = (&chunks, &next, &work);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let repo = worker_repo(git);
                s.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(chunk) = chunks.get(i) else {
                            return Ok(done);
                        };
                        done.push((i, work(&repo, i * size, chunk)?));
                    }
                })
            })
            .collect();
        let mut all = Vec::with_capacity(chunks.len());
        for h in handles {
            match h.join() {
                Ok(part) => all.extend(part?),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        Ok::<_, ReadFailure>(all)
    })?;
    done.sort_unstable_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}

/// The class of remembered classification inputs, or `None` when the cache
/// does not hold them (the commit is then decoded again).
fn replay(cache: &HistoryCache, (ty, item): (u32, u32), classifier: &Classifier) -> Option<Class> {
    let string = |i: u32| match i {
        u32::MAX => Some(None),
        i => cache.lookup(i).map(Some),
    };
    let key = MessageKey {
        ty: string(ty)?,
        item: string(item)?,
    };
    Some(classifier.classify_key(&key))
}

/// Classify each commit by its message: inputs the walk already read or the
/// history cache remembers where there are any, the others decoded in
/// parallel (and remembered).
pub fn classify<'c>(
    git: &GitRepo,
    commits: &[&'c WalkedCommit],
    classifier: &Classifier,
    item_trailer: &str,
    progress: bool,
    read: &gix::hashtable::HashMap<ObjectId, MessageKey>,
    mut cache: Option<&mut HistoryCache>,
) -> Result<Vec<(&'c WalkedCommit, Class)>, HistoryError> {
    let mut classes: Vec<Option<Class>> = vec![None; commits.len()];
    if !read.is_empty() {
        for (slot, c) in classes.iter_mut().zip(commits) {
            if let Some(key) = read.get(&c.id) {
                *slot = Some(classifier.classify_key(key));
                if let Some(cache) = cache.as_deref_mut() {
                    cache.set_message(&c.id, key);
                }
            }
        }
    }
    if let Some(cache) = cache.as_deref() {
        let mut memo: HashMap<(u32, u32), Option<Class>> = HashMap::new();
        for (slot, c) in classes.iter_mut().zip(commits) {
            if slot.is_some() {
                continue;
            }
            if let Some(key) = cache.message(&c.id) {
                *slot = *memo
                    .entry(key)
                    .or_insert_with(|| replay(cache, key, classifier));
            }
        }
    }
    let todo: Vec<usize> = (0..commits.len())
        .filter(|&i| classes[i].is_none())
        .collect();
    if !todo.is_empty() {
        let ids: Vec<ObjectId> = todo.iter().map(|&i| commits[i].id).collect();
        let bar = progress_bar(ids.len(), progress, "classifying");
        let decoded = decode_all(git, &ids, classifier, item_trailer, cache.is_some(), &bar)?;
        bar.finish_and_clear();
        let mut todo = todo.into_iter();
        for part in decoded {
            let strings: Vec<u32> = match cache.as_deref_mut() {
                Some(cache) => part.strings.iter().map(|s| cache.intern(s)).collect(),
                None => Vec::new(),
            };
            let string = |i: u32| strings.get(i as usize).copied().unwrap_or(u32::MAX);
            for (n, (class, i)) in part.classes.into_iter().zip(&mut todo).enumerate() {
                classes[i] = Some(class);
                if let (Some(cache), Some(&(ty, item))) = (cache.as_deref_mut(), part.keys.get(n)) {
                    cache.set_message_ids(&commits[i].id, string(ty), string(item));
                }
            }
        }
    }
    Ok(commits
        .iter()
        .zip(classes)
        .map(|(c, class)| (*c, class.unwrap_or(Class::Unclassified)))
        .collect())
}

/// What a tree holds at a path: whether it is a blob, and its id.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Found {
    blob: bool,
    id: ObjectId,
}

/// Entries a memo of [`Trees`] holds before it starts over.
const MEMO_ENTRIES: usize = 1 << 16;

/// Root-tree and path lookups on one repository handle, memoized per tree id.
struct Trees<'a> {
    repo: &'a gix::Repository,
    graph: Option<gix::commitgraph::Graph>,
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
}

impl<'a> Trees<'a> {
    fn new(
        repo: &'a gix::Repository,
        walked: Option<&'a gix::hashtable::HashMap<ObjectId, ObjectId>>,
    ) -> Self {
        Self::with_graph(repo, walked, repo.commit_graph_if_enabled().ok().flatten())
    }

    fn with_graph(
        repo: &'a gix::Repository,
        walked: Option<&'a gix::hashtable::HashMap<ObjectId, ObjectId>>,
        graph: Option<gix::commitgraph::Graph>,
    ) -> Self {
        Trees {
            repo,
            walked,
            graph,
            roots: Default::default(),
            recent: [(ObjectId::null(repo.object_hash()), None); 2],
            next_recent: 0,
            names: Vec::new(),
            entries: Vec::new(),
        }
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

    /// Whether the root trees of `commits` (newest first) are stored in the
    /// pack oldest first, as `git fast-import` and other importers write them.
    ///
    /// A delta's base always precedes it in a pack, and the pack cache keeps
    /// each object it decodes, so reading trees in pack order resolves every
    /// delta against the object read just before instead of walking its whole
    /// chain: newest first for packs written by `git gc` or a clone, oldest
    /// first for imported ones. Trees outside one pack keep the walk's order.
    fn bases_are_older(&mut self, commits: &[&WalkedCommit]) -> Result<bool, ReadFailure> {
        use gix::odb::pack::Find as _;
        let (Some(newest), Some(oldest)) = (commits.first(), commits.last()) else {
            return Ok(false);
        };
        let mut locate = |c: &WalkedCommit| -> Result<Option<(u32, u64)>, ReadFailure> {
            let Some(tree) = self.root(c.id)? else {
                return Ok(None);
            };
            let mut buf = Vec::new();
            let found = self
                .repo
                .objects
                .try_find_cached(&tree, &mut buf, &mut gix::odb::pack::cache::Never)
                .map_err(|e| ReadFailure::Other(tree, e.to_string()))?;
            Ok(found
                .and_then(|(_, location)| location)
                .map(|l| (l.pack_id, l.pack_offset)))
        };
        Ok(match (locate(newest)?, locate(oldest)?) {
            (Some((pack_new, new)), Some((pack_old, old))) => pack_new == pack_old && old < new,
            _ => false,
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

    /// What `tree` holds at `path`.
    fn lookup(&mut self, tree: Option<ObjectId>, path: &str) -> Result<Option<Found>, ReadFailure> {
        let Some(tree) = tree else {
            return Ok(None);
        };
        let n = self.name(path);
        if let Some(found) = self.entries[n].get(&tree) {
            return Ok(*found);
        }
        let fail = |e: gix::Error, p: Option<&str>| {
            let nf = e.classify().is_not_found();
            ReadFailure::of(tree, p, e, nf)
        };
        let t = self.repo.find_tree(tree).map_err(|e| fail(e, None))?;
        let entry = t
            .lookup_entry(path.split('/'))
            .map_err(|e| fail(e, Some(path)))?;
        let found = entry
            .filter(|e| e.mode().is_blob() || e.mode().is_tree())
            .map(|e| Found {
                blob: e.mode().is_blob(),
                id: e.object_id(),
            });
        // A commit's trees are asked again only by its nearby descendants:
        // keep the memory bounded on long histories.
        if self.entries[n].len() >= MEMO_ENTRIES {
            self.entries[n].clear();
        }
        self.entries[n].insert(tree, found);
        Ok(found)
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

    /// Whether `c` changed `path` relative to its first parent.
    fn changed(&mut self, c: &WalkedCommit, path: &str) -> Result<Option<PathChange>, ReadFailure> {
        let (after_root, before_root) = match self.roots_at(c) {
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
pub struct Prepared {
    /// The path.
    pub path: String,
    /// Non-merge commits at or after this time (seconds) are covered.
    pub from: i64,
    /// The covered commits that changed the path.
    pub changes: gix::hashtable::HashMap<ObjectId, PathChange>,
}

/// Memoized root-tree and path lookups, using the commit-graph when present,
/// path histories prepared in parallel, and the history cache's memory of them.
pub struct TreeCache<'r> {
    git: &'r GitRepo,
    /// Blobs and commit messages read for the path rules, by id.
    objects: gix::hashtable::HashMap<ObjectId, Vec<u8>>,
    walked: Option<&'r gix::hashtable::HashMap<ObjectId, ObjectId>>,
    trees: Trees<'r>,
    prepared: Vec<Prepared>,
    cache: Option<HistoryCache>,
}

impl<'r> TreeCache<'r> {
    /// A cache over `git`, remembering path changes in `cache` when given,
    /// and knowing the root trees the walk read ([`Walked::roots`]).
    pub fn new(
        git: &'r GitRepo,
        cache: Option<HistoryCache>,
        walked: &'r gix::hashtable::HashMap<ObjectId, ObjectId>,
    ) -> Result<Self, HistoryError> {
        let walked = (!walked.is_empty()).then_some(walked);
        Ok(TreeCache {
            git,
            objects: Default::default(),
            walked,
            trees: Trees::new(&git.repo, walked),
            prepared: Vec::new(),
            cache,
        })
    }

    /// A cache that answers [`Self::changed`] from path histories already
    /// known, and reads from `objects` (blobs and commit messages by id) the
    /// objects it holds (e.g. from the history cache's digest).
    pub fn from_prepared(
        git: &'r GitRepo,
        prepared: Vec<Prepared>,
        objects: gix::hashtable::HashMap<ObjectId, Vec<u8>>,
    ) -> Self {
        TreeCache {
            git,
            objects,
            walked: None,
            // Answers come from `prepared`; the rare other question (a merge)
            // reads commits instead of opening the commit-graph up front.
            trees: Trees::with_graph(&git.repo, None, None),
            prepared,
            cache: None,
        }
    }

    /// Write what the history cache learned (never fails the run).
    pub fn save(self) {
        if let Some(cache) = self.cache {
            cache.save(&self.objects);
        }
    }

    /// Work out, across the available cores, which non-merge commits of
    /// `commits` at or after each path's time changed it. Later
    /// [`Self::changed`] calls for those commits are answered from memory.
    pub fn prepare(
        &mut self,
        commits: &[WalkedCommit],
        paths: &[(String, i64)],
    ) -> Result<(), HistoryError> {
        if paths.is_empty() {
            return Ok(());
        }
        let slots: Vec<Option<u16>> = paths
            .iter()
            .map(|(p, _)| self.cache.as_mut().and_then(|c| c.path_slot(p)))
            .collect();
        let mut prepared: Vec<Prepared> = paths
            .iter()
            .map(|(path, from)| Prepared {
                path: path.clone(),
                from: *from,
                changes: Default::default(),
            })
            .collect();
        let earliest = paths.iter().map(|(_, t)| *t).min().unwrap_or(i64::MIN);
        let mut todo: Vec<&WalkedCommit> = Vec::new();
        for c in commits
            .iter()
            .filter(|c| c.parents < 2 && c.time >= earliest)
        {
            let mut complete = true;
            for (p, slot) in prepared.iter_mut().zip(&slots) {
                if c.time < p.from {
                    continue;
                }
                match (self.cache.as_ref(), slot) {
                    (Some(cache), Some(slot)) => match cache.change(&c.id, *slot) {
                        Some(Some(ch)) => {
                            p.changes.insert(c.id, ch);
                        }
                        Some(None) => {}
                        None => complete = false,
                    },
                    _ => complete = false,
                }
            }
            if !complete {
                todo.push(c);
            }
        }
        let names: Vec<(&str, i64)> = paths.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        let found = self
            .compute(&todo, &names)
            .map_err(|f| f.into_error(self.git))?;
        if let Some(cache) = self.cache.as_mut() {
            for c in &todo {
                for ((_, from), slot) in names.iter().zip(&slots) {
                    if let (Some(slot), true) = (slot, c.time >= *from) {
                        cache.set_change(&c.id, *slot, None);
                    }
                }
            }
        }
        for (i, k, ch) in found {
            let id = todo[i as usize].id;
            prepared[k as usize].changes.insert(id, ch);
            if let (Some(cache), Some(slot)) = (self.cache.as_mut(), slots[k as usize]) {
                cache.set_change(&id, slot, Some(ch));
            }
        }
        self.prepared = prepared;
        Ok(())
    }

    /// The changes among `todo` to each path from its time on, as (index in
    /// `todo`, index in `paths`, change); every other such pair is unchanged.
    fn compute(
        &mut self,
        todo: &[&WalkedCommit],
        paths: &[(&str, i64)],
    ) -> Result<Vec<(u32, u16, PathChange)>, ReadFailure> {
        fn run(
            trees: &mut Trees<'_>,
            part: &[&WalkedCommit],
            offset: usize,
            paths: &[(&str, i64)],
        ) -> Result<Vec<(u32, u16, PathChange)>, ReadFailure> {
            let oldest_first = trees.bases_are_older(part)?;
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
        let found = on_every_core(self.git, todo, |repo, offset, part| {
            run(&mut Trees::new(repo, walked), part, offset, paths)
        })?;
        Ok(found.into_iter().flatten().collect())
    }

    /// Whether `commit` changed `path` relative to its first parent:
    /// (before, after) blob ids when it did.
    pub fn changed(
        &mut self,
        c: &WalkedCommit,
        path: &str,
    ) -> Result<Option<PathChange>, HistoryError> {
        if c.parents < 2 {
            if let Some(p) = self
                .prepared
                .iter()
                .find(|p| p.path == path && c.time >= p.from)
            {
                return Ok(p.changes.get(&c.id).copied());
            }
        }
        let slot = self.cache.as_mut().and_then(|cache| cache.path_slot(path));
        if let (Some(cache), Some(slot)) = (self.cache.as_ref(), slot) {
            if let Some(known) = cache.change(&c.id, slot) {
                return Ok(known);
            }
        }
        let change = self
            .trees
            .changed(c, path)
            .map_err(|f| f.into_error(self.git))?;
        if let (Some(cache), Some(slot)) = (self.cache.as_mut(), slot) {
            cache.set_change(&c.id, slot, change);
        }
        Ok(change)
    }

    /// Read a commit's message and split out subject and trailers.
    pub fn message(&mut self, id: ObjectId) -> Result<MessageFacts, HistoryError> {
        let raw = match self.objects.get(&id) {
            Some(raw) => raw.clone(),
            None => {
                let raw = raw_commit_message(self.git, id)?;
                self.objects.insert(id, raw.clone());
                raw
            }
        };
        Ok(MessageFacts::parse(&raw))
    }

    /// The bytes of a blob (empty when absent or refused).
    pub fn bytes(&mut self, id: Option<ObjectId>, path: &str) -> Result<Vec<u8>, HistoryError> {
        if let Some(bytes) = id.and_then(|id| self.objects.get(&id)) {
            return Ok(bytes.clone());
        }
        match id {
            None => Ok(Vec::new()),
            Some(id) => match self.git.blob(id, path)? {
                Ok(bytes) => {
                    self.objects.insert(id, bytes.clone());
                    Ok(bytes)
                }
                // Comparing against an empty stand-in would invent scope changes
                // (or hide them): refuse instead.
                Err(refusal) => Err(HistoryError::Read(format!(
                    "{path} at blob {id} cannot be compared with its other versions: {}",
                    match refusal {
                        crate::lint::Refusal::TooLarge(n) => format!(
                            "{n} bytes, over the {} byte limit",
                            crate::limits::MAX_BLOB_BYTES
                        ),
                        other => format!("{other:?}"),
                    }
                ))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Opened;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], date: &str) {
        let out = Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
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
        let ours: Sequence = GraphWalk::new(&repo, graph, tip)
            .expect("walk")
            .map(|r| r.expect("commit"))
            .map(|(id, time, parents, _)| (id, time, parents.to_vec()))
            .collect();
        let theirs = gix_walk(&repo, tip);
        assert!(theirs.len() > 30, "{}", theirs.len());
        assert_eq!(ours, theirs);
    }
}
