//! Path history as the rules ask for it: which commits changed a roadmap
//! file, and how, answered from paths prepared ahead of the rules, from the
//! history cache, or from the git layer's lookups ([`PathChanges`]); with
//! the blobs and messages read for the rules kept by id.

use super::cache::HistoryCache;
use super::classify::MessageFacts;
use super::error::HistoryError;
use crate::git::commit::{PathChange, WalkedCommit};
use crate::git::paths::{raw_commit_message, PathChanges, Prepared};
use crate::git::top_entries::TopEntries;
use crate::git::GitRepo;
use gix::ObjectId;

/// The git layer's path lookups ([`PathChanges`]) with path histories
/// prepared in parallel, the history cache's memory of them, and the blobs
/// and messages read for the path rules.
pub(super) struct TreeCache<'r> {
    git: &'r GitRepo,
    /// Blobs and commit messages read for the path rules, by id.
    objects: gix::hashtable::HashMap<ObjectId, Vec<u8>>,
    paths: PathChanges<'r>,
    prepared: Vec<Prepared>,
    cache: Option<HistoryCache>,
}

impl<'r> TreeCache<'r> {
    /// A cache over `git`, remembering path changes in `cache` when given,
    /// and knowing the root trees the walk read (`Walked::roots`) and the
    /// path changes its follower worked out.
    pub(super) fn new(
        git: &'r GitRepo,
        cache: Option<HistoryCache>,
        walked: (
            &'r gix::hashtable::HashMap<ObjectId, ObjectId>,
            &'r crate::git::paths::Followed,
        ),
    ) -> Result<Self, HistoryError> {
        Ok(TreeCache {
            git,
            objects: Default::default(),
            paths: PathChanges::new(git, walked),
            prepared: Vec::new(),
            cache,
        })
    }

    /// A cache that answers [`Self::changed`] from path histories already
    /// known, and reads from `objects` (blobs and commit messages by id) the
    /// objects it holds (e.g. from the history cache's digest).
    pub(super) fn from_prepared(
        git: &'r GitRepo,
        prepared: Vec<Prepared>,
        objects: gix::hashtable::HashMap<ObjectId, Vec<u8>>,
    ) -> Self {
        TreeCache {
            git,
            objects,
            // Answers come from `prepared`; the rare other question (a merge)
            // reads commits instead of opening the commit-graph up front.
            paths: PathChanges::without_graph(git),
            prepared,
            cache: None,
        }
    }

    /// Answer lookups of top-level names in the root trees `tops` noted
    /// without reading those trees again.
    pub(super) fn seed(&mut self, tops: TopEntries) {
        self.paths.seed(tops);
    }

    /// The repository read.
    pub(super) fn git(&self) -> &'r GitRepo {
        self.git
    }

    /// The corrected committer times the history cache remembers.
    pub(super) fn corrected(&self) -> Vec<(ObjectId, i64)> {
        self.cache
            .as_ref()
            .map(|c| c.corrected().to_vec())
            .unwrap_or_default()
    }

    /// Have the history cache remember the corrected committer times `times`.
    pub(super) fn note_corrected(&mut self, times: &[(ObjectId, i64)]) {
        if let Some(cache) = self.cache.as_mut() {
            cache.note_corrected(times);
        }
    }

    /// Hand the history cache back the interned strings lent to the tally.
    pub(super) fn restore_keys(&mut self, keys: super::keys::KeyTable) {
        if let Some(cache) = self.cache.as_mut() {
            *cache.keys_mut() = keys;
        }
    }

    /// Write what the history cache learned (never fails the run).
    pub(super) fn save(self) {
        if let Some(cache) = self.cache {
            cache.save(&self.objects);
        }
    }

    /// Work out, across the available cores, which commits of `commits`
    /// (merges too when `merges`: the rules that judge merges ask about each
    /// of them) at or after each path's time changed it (adding to what
    /// earlier calls worked out). Later [`Self::changed`] calls for those
    /// commits are answered from memory.
    pub(super) fn prepare(
        &mut self,
        commits: &[WalkedCommit],
        paths: &[(String, i64)],
        merges: bool,
    ) -> Result<(), HistoryError> {
        let paths: Vec<(String, i64, bool)> = paths
            .iter()
            .map(|(path, from)| (path.clone(), *from, merges))
            .collect();
        self.prepare_each(commits, &paths)
    }

    /// [`Self::prepare`] of paths that each say whether merges are asked
    /// about (path, time, merges), in one pass over the trees: the root
    /// trees every path is looked up in are read once for all of them.
    pub(super) fn prepare_each(
        &mut self,
        commits: &[WalkedCommit],
        paths: &[(String, i64, bool)],
    ) -> Result<(), HistoryError> {
        if paths.is_empty() {
            return Ok(());
        }
        let slots: Vec<Option<u16>> = paths
            .iter()
            .map(|(p, _, _)| self.cache.as_mut().and_then(|c| c.path_slot(p)))
            .collect();
        let mut prepared: Vec<Prepared> = paths
            .iter()
            .map(|(path, from, merges)| Prepared {
                path: path.clone(),
                from: *from,
                merges: *merges,
                changes: Default::default(),
            })
            .collect();
        // Whether path `k` is asked about commit `c`.
        let asks = |k: usize, c: &WalkedCommit| {
            let (_, from, merges) = &paths[k];
            c.time >= *from && (*merges || c.parents < 2)
        };
        let earliest = paths.iter().map(|(_, t, _)| *t).min().unwrap_or(i64::MIN);
        let any_merges = paths.iter().any(|(_, _, merges)| *merges);
        let mut todo: Vec<&WalkedCommit> = Vec::new();
        for c in commits
            .iter()
            .filter(|c| (any_merges || c.parents < 2) && c.time >= earliest)
        {
            let mut complete = true;
            let cached = self
                .cache
                .as_ref()
                .and_then(|cache| Some((cache, cache.position(&c.id)?)));
            for (k, (p, slot)) in prepared.iter_mut().zip(&slots).enumerate() {
                if !asks(k, c) {
                    continue;
                }
                match (cached, slot) {
                    (Some((cache, at)), Some(slot)) => match cache.change_at(at, *slot) {
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
        let names: Vec<(&str, i64)> = paths.iter().map(|(p, t, _)| (p.as_str(), *t)).collect();
        let found = self
            .paths
            .compute(&todo, &names)
            .map_err(|f| f.into_error(self.git))?;
        if let Some(cache) = self.cache.as_mut() {
            for c in &todo {
                let mut covered = 0u64;
                for (k, slot) in slots.iter().enumerate() {
                    if let (Some(slot), true) = (slot, asks(k, c)) {
                        covered |= 1 << slot;
                    }
                }
                cache.set_unchanged(&c.id, covered);
            }
        }
        for (i, k, ch) in found {
            let c = todo[i as usize];
            // A merge, read for the other paths: this one does not ask.
            if !asks(k as usize, c) {
                continue;
            }
            prepared[k as usize].changes.insert(c.id, ch);
            if let (Some(cache), Some(slot)) = (self.cache.as_mut(), slots[k as usize]) {
                cache.set_change(&c.id, slot, Some(ch));
            }
        }
        self.prepared.extend(prepared);
        Ok(())
    }

    /// Answer [`Self::changed`] for `prepared`'s path from what it holds.
    pub(super) fn add_prepared(&mut self, prepared: Prepared) {
        self.prepared.push(prepared);
    }

    /// Whether `commit` changed `path` relative to its first parent:
    /// (before, after) blob ids when it did.
    pub(super) fn changed(
        &mut self,
        c: &WalkedCommit,
        path: &str,
    ) -> Result<Option<PathChange>, HistoryError> {
        if let Some(p) = self
            .prepared
            .iter()
            .find(|p| p.path == path && c.time >= p.from && (c.parents < 2 || p.merges))
        {
            return Ok(p.changes.get(&c.id).copied());
        }
        let slot = self.cache.as_mut().and_then(|cache| cache.path_slot(path));
        if let (Some(cache), Some(slot)) = (self.cache.as_ref(), slot) {
            if let Some(known) = cache.change(&c.id, slot) {
                return Ok(known);
            }
        }
        let change = self.paths.changed(c, path)?;
        if let (Some(cache), Some(slot)) = (self.cache.as_mut(), slot) {
            cache.set_change(&c.id, slot, change);
        }
        Ok(change)
    }

    /// Read a commit's message and split out subject and trailers.
    pub(super) fn message(&mut self, id: ObjectId) -> Result<MessageFacts, HistoryError> {
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
    pub(super) fn bytes(
        &mut self,
        id: Option<ObjectId>,
        path: &str,
    ) -> Result<Vec<u8>, HistoryError> {
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
                        crate::source::Refusal::TooLarge(n) => format!(
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
