//! The history cache: what a scan learned about each commit, kept between runs.
//!
//! A commit id names immutable content, so everything derived from one commit
//! alone can be remembered: its Conventional Commits type and item trailer
//! value (the inputs of classification, not the class, so editing `[history]`
//! or the roadmap never serves a stale class), and whether it changed a
//! roadmap path relative to its first parent. The walk itself (the commits
//! reachable from a tip, in order) is remembered for the last tip, so a re-run
//! on an unchanged branch does not walk at all, and a re-run after new commits
//! walks again but decodes only the new commits' messages.
//!
//! The file lives under `$ROADLINT_CACHE_DIR` (default `$XDG_CACHE_HOME/roadlint`
//! or `~/.cache/roadlint`), never inside the repository or its `.git`. One file
//! per repository (its common git dir) and item-trailer name. It is written to a
//! temporary file and renamed into place, so concurrent runs never see half a
//! file; a file that is truncated, corrupt or from another version is ignored.
//! Rewritten history simply misses: entries are keyed by commit id, and entries
//! of commits no longer reachable from the tip are dropped on the next write.
//! Shallow repositories and repositories with object replacements (where the
//! ancestry of a commit id can change) are never cached. Every failure to read
//! or write the cache is silent: the cache can make a run faster, never fail it.
//!
//! Each save also writes the cache's [digest](super::digest) beside it, which
//! answers a run on the same tip without reading this file at all.

use super::classify::MessageKey;
use super::digest::{Digest, PathDigest};
use super::error::HistoryError;
use super::keys::{KeyIds, KeyTable, NONE};
use super::store;
use crate::fnv::fnv;
use crate::git::commit::{PathChange, WalkedCommit};
use crate::git::walk::{walk_following, Followers, Steps, Walked};
use crate::git::GitRepo;
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The kind of file in the store's header.
const KIND: &str = "cache";
/// Paths whose change history can be cached (one bit each per commit).
const MAX_PATHS: usize = 64;

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
struct Entry {
    /// The commit's inputs, when known.
    key: Option<KeyIds>,
    /// Bit `p` set: whether this commit changed path `p` is known.
    covered: u64,
}

/// The cache of one repository, loaded in memory for the length of a scan.
pub(super) struct HistoryCache {
    file: PathBuf,
    item_trailer: String,
    /// The tip the commit list was walked from.
    tip: Option<ObjectId>,
    /// The whole walk from `tip`, newest first (no `--since` filter).
    commits: Arc<Vec<WalkedCommit>>,
    entries: Vec<Entry>,
    index: gix::hashtable::HashMap<ObjectId, u32>,
    keys: KeyTable,
    paths: Vec<String>,
    /// (path index, commit index) -> change, for commits that changed the path.
    changes: foldhash::HashMap<(u16, u32), PathChange>,
    /// Corrected committer times the gate worked out, by commit (sorted):
    /// a commit's ancestry is fixed by its id, so they never go stale.
    corrected: Vec<(ObjectId, i64)>,
    /// Whether anything new was learned since loading.
    dirty: bool,
    /// Whether the digest must be written even if nothing was learned.
    digest_stale: bool,
}

/// Where cache files go: `$ROADLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/roadlint`,
/// else `~/.cache/roadlint`.
pub(super) fn cache_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = env("ROADLINT_CACHE_DIR") {
        // A relative directory is taken from the current one, then resolved
        // (links, `..`), so that where it really lies can be judged.
        return Some(resolve(&d));
    }
    if let Some(d) = env("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(resolve(&d.join("roadlint")));
    }
    env("HOME")
        .filter(|h| h.is_absolute())
        .map(|h| resolve(&h.join(".cache").join("roadlint")))
}

/// `dir` made absolute, its longest existing ancestor canonicalized and the
/// rest (`.`, `..`, names) applied to that.
fn resolve(dir: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let parts: Vec<Component<'_>> = abs.components().collect();
    for k in (0..=parts.len()).rev() {
        let prefix: PathBuf = parts[..k].iter().collect();
        let Ok(mut out) = std::fs::canonicalize(&prefix) else {
            continue;
        };
        for part in &parts[k..] {
            match part {
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(n) => out.push(n),
                _ => {}
            }
        }
        return out;
    }
    abs
}

/// The cache directory when it lies inside `git`'s work tree or git
/// directory: it is then not used (roadlint never writes into a repository),
/// and the run says so.
pub fn refused_dir(git: &GitRepo) -> Option<PathBuf> {
    let dir = cache_dir()?;
    inside_repository(git, &dir).then_some(dir)
}

/// Whether `dir` (resolved) lies inside the work tree or the git directory.
fn inside_repository(git: &GitRepo, dir: &Path) -> bool {
    let inside = |root: &Path| dir.starts_with(canonical(root));
    inside(git.common_dir())
        || inside(&git.git_dir())
        || git.workdir().is_some_and(inside)
        || std::env::var_os("GIT_QUARANTINE_PATH").is_some_and(|q| inside(Path::new(&q)))
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The cache file of `git` for commits classified with `item_trailer`, or
/// `None` when this repository cannot be cached (see the module docs). The
/// digest lives beside it, with the extension [`DIGEST_EXTENSION`].
pub(super) fn cache_file(git: &GitRepo, item_trailer: &str) -> Option<PathBuf> {
    if !git.is_sha1()
        || git.has_replacements()
        || git.maybe_shallow()
        || std::env::var_os("GIT_QUARANTINE_PATH").is_some()
    {
        return None;
    }
    let dir = cache_dir()?;
    if inside_repository(git, &dir) {
        return None;
    }
    let common = canonical(git.common_dir());
    let trailer = item_trailer.to_ascii_lowercase();
    let secret = secret(&dir)?;
    let key = fnv(&[
        &secret,
        common.as_os_str().as_encoded_bytes(),
        trailer.as_bytes(),
    ]);
    Some(dir.join(format!("{key:016x}.rlhc")))
}

/// The name of the file that holds this user's secret in a cache directory.
pub(super) const SECRET_FILE: &str = "secret.rlhk";

/// This user's secret for naming cache files in `dir`, made on first use.
///
/// Cache file names mix it in, so on a machine whose cache directory is
/// shared (a CI runner's `$ROADLINT_CACHE_DIR` under `/tmp`) nobody else can
/// tell which file a repository will use and plant one there first. The
/// secret is used only from a regular file this user owns that nobody else
/// may read; otherwise a new one replaces it, and when that fails nothing is
/// cached.
fn secret(dir: &Path) -> Option<[u8; 16]> {
    let file = dir.join(SECRET_FILE);
    if let Some(s) = read_secret(&file) {
        return Some(s);
    }
    create_private_dir(dir)?;
    let mut fresh = [0u8; 16];
    for (i, half) in fresh.chunks_mut(8).enumerate() {
        use std::hash::{BuildHasher, Hasher};
        // RandomState's keys come from the operating system's random source.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u32(std::process::id());
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir).ok()?;
    std::io::Write::write_all(tmp.as_file_mut(), &fresh).ok()?;
    // Another run may have made one meanwhile: the first one made wins.
    match tmp.persist_noclobber(&file) {
        Ok(_) => Some(fresh),
        Err(e) => {
            if let Some(s) = read_secret(&file) {
                return Some(s);
            }
            e.file.persist(&file).ok()?;
            Some(fresh)
        }
    }
}

/// The secret in `file`, when it is sound: a regular file of 16 bytes that
/// this user owns and nobody else can read or write.
fn read_secret(file: &Path) -> Option<[u8; 16]> {
    let (open, meta) = crate::bounded::open_regular(file, false).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if meta.uid() != unsafe { libc::geteuid() } || meta.mode() & 0o077 != 0 {
            return None;
        }
    }
    let bytes = crate::bounded::read_open(open, &meta, 16).ok()?;
    bytes.try_into().ok()
}

/// Make `dir` (and missing parents) readable by this user only, when it
/// does not exist yet.
fn create_private_dir(dir: &Path) -> Option<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).ok()
}

/// The most bytes of objects a digest keeps (see [`HistoryCache::save`]).
const MAX_DIGEST_OBJECT_BYTES: usize = 1 << 20;

/// The extension of the digest file beside a cache file.
pub(super) const DIGEST_EXTENSION: &str = "rlhd";

impl HistoryCache {
    /// The cache in `file` (see [`cache_file`]) for commits classified with
    /// `item_trailer`. A missing or unreadable file is an empty cache.
    pub(super) fn open(file: PathBuf, item_trailer: &str) -> HistoryCache {
        let trailer = item_trailer.to_ascii_lowercase();
        let mut cache = HistoryCache {
            file,
            item_trailer: trailer,
            tip: None,
            commits: Default::default(),
            entries: Vec::new(),
            index: Default::default(),
            keys: KeyTable::default(),
            paths: Vec::new(),
            changes: Default::default(),
            corrected: Vec::new(),
            dirty: false,
            digest_stale: false,
        };
        if cache.load().is_none() {
            cache.clear();
        }
        cache
    }

    fn clear(&mut self) {
        self.tip = None;
        self.commits = Default::default();
        self.entries.clear();
        self.index.clear();
        self.keys = KeyTable::default();
        self.paths.clear();
        self.changes.clear();
        self.corrected.clear();
    }

    /// The walk from `tip`, when it is the one remembered.
    pub(super) fn walk_from(&self, tip: ObjectId) -> Option<Arc<Vec<WalkedCommit>>> {
        (self.tip == Some(tip) && !self.commits.is_empty()).then(|| self.commits.clone())
    }

    /// Remember a fresh walk from `tip`, carrying over what is known about
    /// commits that are still reachable.
    pub(super) fn set_walk(&mut self, tip: ObjectId, commits: &Arc<Vec<WalkedCommit>>) {
        if self.tip == Some(tip) && self.commits.len() == commits.len() {
            return;
        }
        let old_entries = std::mem::take(&mut self.entries);
        let old_index = std::mem::take(&mut self.index);
        let mut index = gix::hashtable::HashMap::default();
        index.reserve(commits.len());
        let mut remap: Vec<u32> = vec![NONE; old_entries.len()];
        let mut entries = Vec::with_capacity(commits.len());
        for (i, c) in commits.iter().enumerate() {
            let i = i as u32;
            index.insert(c.id, i);
            match old_index.get(&c.id) {
                Some(&o) => {
                    entries.push(old_entries[o as usize]);
                    remap[o as usize] = i;
                }
                None => entries.push(Entry::default()),
            }
        }
        self.changes = std::mem::take(&mut self.changes)
            .into_iter()
            .filter_map(|((p, o), ch)| {
                let n = *remap.get(o as usize)?;
                (n != NONE).then_some(((p, n), ch))
            })
            .collect();
        self.tip = Some(tip);
        self.commits = Arc::clone(commits);
        self.entries = entries;
        self.index = index;
        self.dirty = true;
    }

    /// Where `commit` is among the cached commits (for the `…_at` calls
    /// that ask about several paths of one commit).
    pub(super) fn position(&self, commit: &ObjectId) -> Option<u32> {
        self.index.get(commit).copied()
    }

    /// The interned strings the cached [`KeyIds`] index into, to intern
    /// newly read commits into (or lend to the tally).
    pub(super) fn keys_mut(&mut self) -> &mut KeyTable {
        &mut self.keys
    }

    /// The remembered inputs of the commit at `position` (see
    /// [`Self::position`]), if any.
    pub(super) fn message_at(&self, position: u32) -> Option<KeyIds> {
        self.entries.get(position as usize)?.key
    }

    /// Remember the inputs of the commit at `position` (see
    /// [`Self::position`]), interning them in [`Self::keys`].
    pub(super) fn set_message_at(&mut self, position: u32, key: &MessageKey) -> Option<KeyIds> {
        let ids = self.keys.ids(key);
        self.set_message_ids_at(position, ids)
    }

    /// Remember the inputs of the commit at `position` (see
    /// [`Self::position`]), already interned in [`Self::keys`]; the ids
    /// back, or `None` when no commit is there.
    pub(super) fn set_message_ids_at(&mut self, position: u32, ids: KeyIds) -> Option<KeyIds> {
        let entry = self.entries.get_mut(position as usize)?;
        entry.key = Some(ids);
        self.dirty = true;
        Some(ids)
    }

    /// The index of `path` in the path table, if it can be cached.
    pub(super) fn path_slot(&mut self, path: &str) -> Option<u16> {
        if let Some(p) = self.paths.iter().position(|p| p == path) {
            return Some(p as u16);
        }
        if self.paths.len() >= MAX_PATHS {
            return None;
        }
        self.paths.push(path.to_string());
        self.dirty = true;
        Some((self.paths.len() - 1) as u16)
    }

    /// Whether `commit` changed path `slot`, if known: `Some(None)` when it did not.
    pub(super) fn change(&self, commit: &ObjectId, slot: u16) -> Option<Option<PathChange>> {
        self.change_at(self.position(commit)?, slot)
    }

    /// [`Self::change`] of the commit at `position`.
    pub(super) fn change_at(&self, position: u32, slot: u16) -> Option<Option<PathChange>> {
        let entry = self.entries.get(position as usize)?;
        if entry.covered & (1 << slot) == 0 {
            return None;
        }
        Some(self.changes.get(&(slot, position)).copied())
    }

    /// Remember that `commit` changed none of the paths whose slots are the
    /// bits of `slots` (a change found later is added by [`Self::set_change`]).
    pub(super) fn set_unchanged(&mut self, commit: &ObjectId, slots: u64) {
        let Some(i) = self.position(commit).filter(|_| slots != 0) else {
            return;
        };
        self.entries[i as usize].covered |= slots;
        self.dirty = true;
    }

    /// Remember whether `commit` changed path `slot`.
    pub(super) fn set_change(&mut self, commit: &ObjectId, slot: u16, change: Option<PathChange>) {
        let Some(i) = self.position(commit) else {
            return;
        };
        self.entries[i as usize].covered |= 1 << slot;
        if let Some(ch) = change {
            self.changes.insert((slot, i), ch);
        }
        self.dirty = true;
    }

    /// Ask [`Self::save`] to write the digest of this cache even when nothing
    /// new was learned (the digest on disk is missing or of another tip).
    pub(super) fn digest_is_stale(&mut self) {
        self.digest_stale = true;
    }

    /// Write the cache if anything was learned, and its digest. Failures are
    /// ignored.
    pub(super) fn save(&self, objects: &gix::hashtable::HashMap<ObjectId, Vec<u8>>) {
        if self.tip.is_none() || !(self.dirty || self.digest_stale) {
            return;
        }
        if self.dirty {
            let written = self
                .stored()
                .is_some_and(|s| store::write(&self.file, KIND, &s));
            if !written {
                return;
            }
        }
        if let Some(digest) = self.digest(objects) {
            digest.write(&self.file.with_extension(DIGEST_EXTENSION));
        }
    }

    /// What a warm run on this tip needs, counted (see [`super::digest`]).
    fn digest(&self, objects: &gix::hashtable::HashMap<ObjectId, Vec<u8>>) -> Option<Digest> {
        let tip = self.tip?;
        let paths = self
            .paths
            .iter()
            .enumerate()
            .map(|(slot, path)| {
                let bit = 1u64 << slot;
                let from = self
                    .commits
                    .iter()
                    .zip(&self.entries)
                    .filter(|(c, e)| c.parents < 2 && e.covered & bit == 0)
                    .map(|(c, _)| c.time.saturating_add(1))
                    .max()
                    .unwrap_or(i64::MIN);
                // Merges are covered when the gate asked about each of them.
                let merges = self
                    .commits
                    .iter()
                    .zip(&self.entries)
                    .filter(|(c, _)| c.parents >= 2 && c.time >= from)
                    .all(|(_, e)| e.covered & bit != 0);
                let mut changes: Vec<(u32, WalkedCommit, PathChange)> = self
                    .changes
                    .iter()
                    .filter(|((p, i), _)| {
                        let c = &self.commits[*i as usize];
                        *p as usize == slot && (c.parents < 2 || merges && c.time >= from)
                    })
                    .map(|((_, i), ch)| (*i, self.commits[*i as usize].clone(), *ch))
                    .collect();
                changes.sort_by_key(|(i, _, _)| *i);
                PathDigest {
                    path: path.clone(),
                    from,
                    merges,
                    changes,
                }
            })
            .collect();
        // The blobs and messages the path rules read, so that a warm run
        // reads no object at all, unless there are many of them.
        let mut objects: Vec<(ObjectId, Vec<u8>)> =
            objects.iter().map(|(id, b)| (*id, b.clone())).collect();
        objects.sort_unstable_by_key(|(id, _)| *id);
        if objects.iter().map(|(_, b)| b.len()).sum::<usize>() > MAX_DIGEST_OBJECT_BYTES {
            objects.clear();
        }
        Some(Digest {
            item_trailer: self.item_trailer.clone(),
            tip,
            commits: self.commits.len() as u64,
            merges: self.commits.iter().filter(|c| c.parents >= 2).count() as u64,
            paths,
            objects,
            corrected: self.corrected.clone(),
        })
    }

    /// The corrected committer times remembered (see [`Self::note_corrected`]).
    pub(super) fn corrected(&self) -> &[(ObjectId, i64)] {
        &self.corrected
    }

    /// Remember the corrected committer times `times` of commits in the
    /// walk (others are dropped: they may never be asked again).
    pub(super) fn note_corrected(&mut self, times: &[(ObjectId, i64)]) {
        let before = self.corrected.len();
        let known = std::mem::take(&mut self.corrected);
        let mut all: Vec<(ObjectId, i64)> = known
            .into_iter()
            .chain(times.iter().copied())
            .filter(|(id, _)| self.index.contains_key(id))
            .collect();
        all.sort_unstable();
        all.dedup_by_key(|(id, _)| *id);
        if all.len() != before {
            self.dirty = true;
        }
        self.corrected = all;
    }

    /// The cache as stored: commits in walk order, first parents by position.
    fn stored(&self) -> Option<StoredRef<'_>> {
        let tip = self.tip?;
        // Every first parent must be in the walk (else nothing is written).
        for c in self.commits.iter() {
            if let Some(p) = c.first_parent {
                self.index.get(&p)?;
            }
        }
        let mut changes: Vec<((u16, u32), PathChange)> =
            self.changes.iter().map(|(k, v)| (*k, *v)).collect();
        changes.sort_by_key(|(k, _)| *k);
        Some(StoredRef {
            item_trailer: &self.item_trailer,
            tip,
            table: &self.keys,
            paths: &self.paths,
            commits: StoredCommits(self),
            changes,
            corrected: &self.corrected,
        })
    }

    /// Read the file; `None` on any problem (the cache is then empty).
    fn load(&mut self) -> Option<()> {
        let s: Stored = store::read(&self.file, KIND)?;
        if s.item_trailer != self.item_trailer || s.paths.len() > MAX_PATHS {
            return None;
        }
        let n = s.commits.len();
        let mut commits = Vec::with_capacity(n);
        self.entries.reserve(n);
        self.index.reserve(n);
        for (i, c) in s.commits.iter().enumerate() {
            let e = c.entry;
            if e.key.is_some_and(|k| !s.table.holds(&k)) {
                return None;
            }
            let first_parent = match c.first_parent {
                NONE => None,
                p => Some(s.commits.get(p as usize)?.id),
            };
            commits.push(WalkedCommit {
                id: c.id,
                time: c.time,
                parents: c.parents,
                first_parent,
                graph_position: None,
            });
            self.entries.push(e);
            self.index.insert(c.id, i as u32);
        }
        for ((p, i), change) in s.changes {
            if p as usize >= s.paths.len() || i as usize >= n {
                return None;
            }
            self.changes.insert((p, i), change);
        }
        self.keys = s.table;
        self.paths = s.paths;
        self.corrected = s.corrected;
        self.commits = Arc::new(commits);
        self.tip = Some(s.tip);
        Some(())
    }
}

/// The cache file's content.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// The item trailer the messages were read for (lower case).
    item_trailer: String,
    /// The tip the walk started from.
    tip: ObjectId,
    /// The strings of the commits' inputs.
    table: KeyTable,
    /// Paths whose changes are cached, one bit each in [`Entry::covered`].
    paths: Vec<String>,
    /// The walk, newest first.
    commits: Vec<StoredCommit>,
    /// (path slot, commit position) → the change, for commits that changed a path.
    changes: Vec<((u16, u32), PathChange)>,
    /// Corrected committer times the gate worked out, by commit.
    corrected: Vec<(ObjectId, i64)>,
}

/// [`Stored`] as written: the same fields in the same order (so the same
/// bytes), borrowed from the cache and its commits encoded as they are
/// reached, so that saving holds no second copy of a long history.
#[derive(Serialize)]
struct StoredRef<'a> {
    item_trailer: &'a str,
    tip: ObjectId,
    table: &'a KeyTable,
    paths: &'a [String],
    commits: StoredCommits<'a>,
    changes: Vec<((u16, u32), PathChange)>,
    corrected: &'a [(ObjectId, i64)],
}

/// The walk of a cache, encoded as a sequence of [`StoredCommit`].
struct StoredCommits<'a>(&'a HistoryCache);

impl Serialize for StoredCommits<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let cache = self.0;
        let n = cache.commits.len().min(cache.entries.len());
        let mut seq = serializer.serialize_seq(Some(n))?;
        for (c, e) in cache.commits.iter().zip(&cache.entries) {
            let first_parent = match c.first_parent {
                Some(p) => *cache
                    .index
                    .get(&p)
                    .ok_or_else(|| S::Error::custom("a first parent outside the walk"))?,
                None => NONE,
            };
            seq.serialize_element(&StoredCommit {
                id: c.id,
                time: c.time,
                parents: c.parents,
                first_parent,
                entry: *e,
            })?;
        }
        seq.end()
    }
}

/// One commit of the stored walk.
#[derive(Serialize, Deserialize)]
struct StoredCommit {
    id: ObjectId,
    time: i64,
    parents: u32,
    /// Position of the first parent in the walk, `u32::MAX` for none.
    first_parent: u32,
    entry: Entry,
}

/// The walk from `tip` (see [`walk_following`], with its `followers`),
/// taken from the history cache when it remembers this tip, and remembered
/// there otherwise; with `item_trailer`, the commits whose objects the walk
/// reads are classified on the way.
#[allow(clippy::type_complexity)]
pub(super) fn walk_cached<F, R, G, S>(
    git: &GitRepo,
    tip: ObjectId,
    since: Option<i64>,
    item_trailer: Option<&str>,
    cache: Option<&mut HistoryCache>,
    followers: Followers<F, G>,
) -> Result<(Walked<MessageKey>, Option<R>, Option<S>), HistoryError>
where
    F: FnOnce(Steps) -> R + Send,
    R: Send,
    G: FnOnce(Steps) -> S + Send,
    S: Send,
{
    let parse = item_trailer.map(|trailer| move |m: &[u8]| MessageKey::parse_commit(m, trailer));
    let Some(cache) = cache else {
        return Ok(walk_following(
            git,
            tip,
            since,
            since.is_none(),
            parse.as_ref(),
            followers,
        )?);
    };
    let (walked, older, newer) = match cache.walk_from(tip) {
        Some(commits) => {
            let walked = Walked {
                commits,
                keys: Default::default(),
                roots: Default::default(),
            };
            (walked, None, None)
        }
        None => {
            let limited = since.is_none();
            let walked = walk_following(git, tip, None, limited, parse.as_ref(), followers)?;
            cache.set_walk(tip, &walked.0.commits);
            walked
        }
    };
    let walked = match since {
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
    };
    Ok((walked, older, newer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    #[test]
    fn a_saved_cache_reads_back_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("repo.cache");
        let commits: Vec<WalkedCommit> = (1..=3u8)
            .map(|n| WalkedCommit {
                id: id(n),
                time: 1_700_000_000 - i64::from(n),
                parents: 1,
                first_parent: (n < 3).then(|| id(n + 1)),
                graph_position: None,
            })
            .collect();
        let mut cache = HistoryCache::open(file.clone(), "Roadmap-Item");
        cache.set_walk(id(1), &Arc::new(commits.clone()));
        let key = MessageKey {
            ty: Some("feat".into()),
            subject: "feat: a".into(),
            name: "A".into(),
            email: "a@example.com".into(),
            author_time: 5,
            ..MessageKey::default()
        };
        let place = cache.position(&id(2)).expect("walked");
        cache.set_message_at(place, &key);
        let slot = cache.path_slot("roadmap/").expect("a slot");
        cache.set_change(&id(1), slot, Some((None, Some(id(9)))));
        cache.set_change(&id(2), slot, None);
        // Corrected times of commits outside the walk are not kept.
        cache.note_corrected(&[(id(3), 7), (id(8), 9), (id(2), 6)]);
        cache.save(&Default::default());

        let back = HistoryCache::open(file, "Roadmap-Item");
        assert_eq!(back.walk_from(id(1)).as_deref(), Some(&commits));
        assert_eq!(back.corrected(), &[(id(2), 6), (id(3), 7)]);
        let at = |c| back.position(&id(c)).and_then(|p| back.message_at(p));
        let ids = at(2).expect("the message is remembered");
        let view = back.keys.view(ids).expect("in range");
        assert_eq!(
            (view.ty, view.subject, view.email),
            (Some("feat"), "feat: a", "a@example.com")
        );
        assert_eq!(at(1), None);
        let slot = back
            .paths
            .iter()
            .position(|p| p == "roadmap/")
            .expect("the path") as u16;
        assert_eq!(back.change(&id(1), slot), Some(Some((None, Some(id(9))))));
        assert_eq!(back.change(&id(2), slot), Some(None));
        assert_eq!(back.change(&id(3), slot), None);
    }
}
