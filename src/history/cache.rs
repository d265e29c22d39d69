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
use super::digest::{Digest, Group, PathDigest};
use super::repo::GitRepo;
use super::walk::WalkedCommit;
use gix::ObjectId;
use std::hash::Hasher;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"RLHC\0\0\0\x01";
/// Paths whose change history can be cached (one bit each per commit).
const MAX_PATHS: usize = 64;
const NONE: u32 = u32::MAX;
/// A bound on any count read from the file, so a corrupt length cannot make
/// the reader allocate wildly.
const MAX_COUNT: u32 = 50_000_000;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Whether `ty` and `item` are known.
    known: bool,
    ty: u32,
    item: u32,
    /// Bit `p` set: whether this commit changed path `p` is known.
    covered: u64,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            known: false,
            ty: NONE,
            item: NONE,
            covered: 0,
        }
    }
}

/// A blob-level change of one path in one commit: (before, after).
pub type PathChange = (Option<ObjectId>, Option<ObjectId>);

/// Commits per (year, month, merge): whether all are classified, and how many
/// per (type, item) string ids.
type MonthGroups =
    std::collections::BTreeMap<(i32, u8, bool), (bool, std::collections::HashMap<(u32, u32), u64>)>;

/// The cache of one repository, loaded in memory for the length of a scan.
pub struct HistoryCache {
    file: PathBuf,
    item_trailer: String,
    /// The tip the commit list was walked from.
    tip: Option<ObjectId>,
    /// The whole walk from `tip`, newest first (no `--since` filter).
    commits: Arc<Vec<WalkedCommit>>,
    entries: Vec<Entry>,
    index: gix::hashtable::HashMap<ObjectId, u32>,
    strings: Vec<String>,
    string_ids: std::collections::HashMap<String, u32>,
    paths: Vec<String>,
    /// (path index, commit index) -> change, for commits that changed the path.
    changes: std::collections::HashMap<(u16, u32), PathChange>,
    /// Whether anything new was learned since loading.
    dirty: bool,
    /// Whether the digest must be written even if nothing was learned.
    digest_stale: bool,
}

/// Where cache files go: `$ROADLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/roadlint`,
/// else `~/.cache/roadlint`.
pub fn cache_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = env("ROADLINT_CACHE_DIR") {
        return Some(d);
    }
    if let Some(d) = env("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(d.join("roadlint"));
    }
    env("HOME").map(|h| h.join(".cache").join("roadlint"))
}

/// A stable 64-bit FNV-1a hash (file names must not change between builds).
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Whether `refs/replace/` holds anything (replacements change ancestry).
fn has_replacements(repo: &gix::Repository) -> bool {
    let Ok(refs) = repo.references() else {
        return true;
    };
    match refs.prefixed("refs/replace/") {
        Ok(mut it) => it.next().is_some(),
        Err(_) => true,
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The cache file of `git` for commits classified with `item_trailer`, or
/// `None` when this repository cannot be cached (see the module docs). The
/// digest lives beside it, with the extension [`DIGEST_EXTENSION`].
pub fn cache_file(git: &GitRepo, item_trailer: &str) -> Option<PathBuf> {
    let repo = &git.repo;
    if repo.object_hash() != gix::hash::Kind::Sha1
        || has_replacements(repo)
        || !matches!(repo.shallow_commits(), Ok(None))
        || std::env::var_os("GIT_QUARANTINE_PATH").is_some()
    {
        return None;
    }
    let dir = cache_dir()?;
    let common = canonical(repo.common_dir());
    let cdir = canonical(&dir);
    let inside = |root: &Path| cdir.starts_with(canonical(root));
    if inside(&common) || inside(repo.git_dir()) || repo.workdir().is_some_and(inside) {
        return None;
    }
    let trailer = item_trailer.to_ascii_lowercase();
    let key = fnv(&[common.as_os_str().as_encoded_bytes(), trailer.as_bytes()]);
    Some(dir.join(format!("{key:016x}.rlhc")))
}

/// The most bytes of objects a digest keeps (see [`HistoryCache::save`]).
const MAX_DIGEST_OBJECT_BYTES: usize = 1 << 20;

/// The extension of the digest file beside a cache file.
pub const DIGEST_EXTENSION: &str = "rlhd";

impl HistoryCache {
    /// The cache in `file` (see [`cache_file`]) for commits classified with
    /// `item_trailer`. A missing or unreadable file is an empty cache.
    pub fn open(file: PathBuf, item_trailer: &str) -> HistoryCache {
        let trailer = item_trailer.to_ascii_lowercase();
        let mut cache = HistoryCache {
            file,
            item_trailer: trailer,
            tip: None,
            commits: Default::default(),
            entries: Vec::new(),
            index: Default::default(),
            strings: Vec::new(),
            string_ids: Default::default(),
            paths: Vec::new(),
            changes: Default::default(),
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
        self.strings.clear();
        self.string_ids.clear();
        self.paths.clear();
        self.changes.clear();
    }

    /// The walk from `tip`, when it is the one remembered.
    pub fn walk_from(&self, tip: ObjectId) -> Option<Arc<Vec<WalkedCommit>>> {
        (self.tip == Some(tip) && !self.commits.is_empty()).then(|| self.commits.clone())
    }

    /// Remember a fresh walk from `tip`, carrying over what is known about
    /// commits that are still reachable.
    pub fn set_walk(&mut self, tip: ObjectId, commits: &Arc<Vec<WalkedCommit>>) {
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

    fn idx(&self, id: &ObjectId) -> Option<usize> {
        self.index.get(id).map(|&i| i as usize)
    }

    fn string(&self, i: u32) -> Option<String> {
        (i != NONE)
            .then(|| self.strings.get(i as usize).cloned())
            .flatten()
    }

    /// The id of a string in the cache's table (added when new).
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.string_ids.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.string_ids.insert(s.to_string(), i);
        i
    }

    /// The remembered message facts of a commit.
    pub fn message(&self, id: &ObjectId) -> Option<(u32, u32)> {
        let e = self.entries.get(self.idx(id)?)?;
        e.known.then_some((e.ty, e.item))
    }

    /// The string behind an id returned by [`Self::message`].
    pub fn lookup(&self, i: u32) -> Option<String> {
        self.string(i)
    }

    /// Remember the message facts of a commit of the current walk.
    pub fn set_message(&mut self, id: &ObjectId, key: &MessageKey) {
        let ty = key.ty.as_deref().map_or(NONE, |s| self.intern(s));
        let item = key.item.as_deref().map_or(NONE, |s| self.intern(s));
        self.set_message_ids(id, ty, item);
    }

    /// Remember the message facts of a commit of the current walk, as string
    /// ids from [`Self::intern`] (`u32::MAX` for none).
    pub fn set_message_ids(&mut self, id: &ObjectId, ty: u32, item: u32) {
        let Some(i) = self.idx(id) else { return };
        self.entries[i] = Entry {
            known: true,
            ty,
            item,
            ..self.entries[i]
        };
        self.dirty = true;
    }

    /// The index of `path` in the path table, if it can be cached.
    pub fn path_slot(&mut self, path: &str) -> Option<u16> {
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
    pub fn change(&self, commit: &ObjectId, slot: u16) -> Option<Option<PathChange>> {
        let i = self.idx(commit)?;
        if self.entries[i].covered & (1 << slot) == 0 {
            return None;
        }
        Some(self.changes.get(&(slot, i as u32)).copied())
    }

    /// Remember whether `commit` changed path `slot`.
    pub fn set_change(&mut self, commit: &ObjectId, slot: u16, change: Option<PathChange>) {
        let Some(i) = self.idx(commit) else { return };
        self.entries[i].covered |= 1 << slot;
        if let Some(ch) = change {
            self.changes.insert((slot, i as u32), ch);
        }
        self.dirty = true;
    }

    /// Ask [`Self::save`] to write the digest of this cache even when nothing
    /// new was learned (the digest on disk is missing or of another tip).
    pub fn digest_is_stale(&mut self) {
        self.digest_stale = true;
    }

    /// Write the cache if anything was learned, and its digest. Failures are
    /// ignored.
    pub fn save(&self, objects: &gix::hashtable::HashMap<ObjectId, Vec<u8>>) {
        if self.tip.is_none() || !(self.dirty || self.digest_stale) {
            return;
        }
        if self.dirty && !write_atomically(&self.file, |w| self.write_to(w)) {
            return;
        }
        if let Some(digest) = self.digest(objects) {
            let file = self.file.with_extension(DIGEST_EXTENSION);
            write_atomically(&file, |w| digest.write(w, &self.item_trailer));
        }
    }

    /// What a warm run on this tip needs, counted (see [`super::digest`]).
    fn digest(&self, objects: &gix::hashtable::HashMap<ObjectId, Vec<u8>>) -> Option<Digest> {
        let tip = self.tip?;
        let mut groups: MonthGroups = Default::default();
        for (c, e) in self.commits.iter().zip(&self.entries) {
            let date = crate::calendar::Date::from_unix_seconds(c.time);
            let group = groups
                .entry((date.year, date.month, c.parents >= 2))
                .or_insert_with(|| (true, Default::default()));
            if e.known {
                *group.1.entry((e.ty, e.item)).or_default() += 1;
            } else {
                group.0 = false;
            }
        }
        let groups = groups
            .into_iter()
            .map(|((year, month, merge), (complete, counts))| {
                let mut counts: Vec<(MessageKey, u64)> = counts
                    .into_iter()
                    .map(|((ty, item), n)| {
                        let key = MessageKey {
                            ty: self.string(ty),
                            item: self.string(item),
                        };
                        (key, n)
                    })
                    .collect();
                counts.sort_by(|a, b| (&a.0.ty, &a.0.item).cmp(&(&b.0.ty, &b.0.item)));
                Group {
                    year,
                    month,
                    merge,
                    complete,
                    counts,
                }
            })
            .collect();
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
                let mut changes: Vec<(u32, WalkedCommit, PathChange)> = self
                    .changes
                    .iter()
                    .filter(|((p, i), _)| {
                        *p as usize == slot && self.commits[*i as usize].parents < 2
                    })
                    .map(|((_, i), ch)| (*i, self.commits[*i as usize].clone(), *ch))
                    .collect();
                changes.sort_by_key(|(i, _, _)| *i);
                PathDigest {
                    path: path.clone(),
                    from,
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
            tip,
            commits: self.commits.len() as u64,
            groups,
            paths,
            objects,
        })
    }

    fn write_to(&self, w: &mut Out) -> std::io::Result<()> {
        w.header(MAGIC)?;
        w.str(&self.item_trailer)?;
        w.bytes(self.tip.as_ref().map_or(&[0u8; 20][..], |t| t.as_bytes()))?;
        w.u32(self.strings.len() as u32)?;
        for s in &self.strings {
            w.str(s)?;
        }
        w.u32(self.paths.len() as u32)?;
        for p in &self.paths {
            w.str(p)?;
        }
        w.u32(self.commits.len() as u32)?;
        let mut rec = [0u8; 20 + 8 + 4 + 4 + 1 + 4 + 4 + 8];
        for (c, e) in self.commits.iter().zip(&self.entries) {
            let fp = match c.first_parent {
                Some(p) => match self.index.get(&p) {
                    Some(&i) => i,
                    None => return Err(std::io::ErrorKind::InvalidData.into()),
                },
                None => NONE,
            };
            rec[..20].copy_from_slice(c.id.as_bytes());
            rec[20..28].copy_from_slice(&c.time.to_le_bytes());
            rec[28..32].copy_from_slice(&c.parents.to_le_bytes());
            rec[32..36].copy_from_slice(&fp.to_le_bytes());
            rec[36] = u8::from(e.known);
            rec[37..41].copy_from_slice(&e.ty.to_le_bytes());
            rec[41..45].copy_from_slice(&e.item.to_le_bytes());
            rec[45..53].copy_from_slice(&e.covered.to_le_bytes());
            w.bytes(&rec)?;
        }
        let mut changes: Vec<_> = self.changes.iter().collect();
        changes.sort_by_key(|(k, _)| **k);
        w.u32(changes.len() as u32)?;
        for ((p, i), (before, after)) in changes {
            w.bytes(&p.to_le_bytes())?;
            w.u32(*i)?;
            w.opt_id(before)?;
            w.opt_id(after)?;
        }
        Ok(())
    }

    /// Read the file; `None` on any problem (the cache is then empty).
    fn load(&mut self) -> Option<()> {
        let (mut r, sum) = In::open(&self.file, MAGIC)?;
        if r.str()? != self.item_trailer {
            return None;
        }
        let tip = r.id()?;
        let n = r.count()?;
        for _ in 0..n {
            let s = r.str()?;
            self.string_ids.insert(s.clone(), self.strings.len() as u32);
            self.strings.push(s);
        }
        let n = r.count()?;
        if n as usize > MAX_PATHS {
            return None;
        }
        for _ in 0..n {
            self.paths.push(r.str()?);
        }
        let n = r.count()? as usize;
        let mut first_parents = Vec::with_capacity(n);
        let mut commits = Vec::with_capacity(n);
        self.entries.reserve(n);
        self.index.reserve(n);
        for i in 0..n {
            let rec = r.array::<53>()?;
            let id = ObjectId::from_bytes_or_panic(&rec[..20]);
            let u32_at =
                |o: usize| u32::from_le_bytes([rec[o], rec[o + 1], rec[o + 2], rec[o + 3]]);
            let mut time = [0u8; 8];
            time.copy_from_slice(&rec[20..28]);
            let mut covered = [0u8; 8];
            covered.copy_from_slice(&rec[45..53]);
            first_parents.push(u32_at(32));
            commits.push(WalkedCommit {
                id,
                time: i64::from_le_bytes(time),
                parents: u32_at(28),
                first_parent: None,
                graph_position: None,
            });
            let e = Entry {
                known: rec[36] == 1,
                ty: u32_at(37),
                item: u32_at(41),
                covered: u64::from_le_bytes(covered),
            };
            let strings = self.strings.len() as u32;
            if e.known && [e.ty, e.item].iter().any(|&s| s != NONE && s >= strings) {
                return None;
            }
            self.entries.push(e);
            self.index.insert(id, i as u32);
        }
        for (i, fp) in first_parents.into_iter().enumerate() {
            if fp != NONE {
                let parent = commits.get(fp as usize)?.id;
                commits[i].first_parent = Some(parent);
            }
        }
        self.commits = Arc::new(commits);
        let n = r.count()?;
        for _ in 0..n {
            let p = u16::from_le_bytes(r.array::<2>()?);
            let i = u32::from_le_bytes(r.array::<4>()?);
            if p as usize >= self.paths.len() || i as usize >= self.commits.len() {
                return None;
            }
            let before = r.opt_id()?;
            let after = r.opt_id()?;
            self.changes.insert((p, i), (before, after));
        }
        r.finish(sum)?;
        self.tip = Some(tip);
        Some(())
    }
}

/// Write `file` through a temporary file renamed into place, so a reader
/// never sees half a file; the checksum of what `body` writes (after its
/// 8-byte magic) goes into bytes 8..16. Whether it was written.
pub(super) fn write_atomically(
    file: &Path,
    body: impl FnOnce(&mut Out) -> std::io::Result<()>,
) -> bool {
    let Some(dir) = file.parent() else {
        return false;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(
        ".{}.{}.{nanos}.tmp",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut w = Out {
            w: BufWriter::with_capacity(1 << 16, f),
            h: std::hash::DefaultHasher::new(),
        };
        body(&mut w)?;
        let sum = w.h.finish();
        let mut f = w.w.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(8))?;
        f.write_all(&sum.to_le_bytes())?;
        Ok(())
    };
    let ok = write().is_ok() && std::fs::rename(&tmp, file).is_ok();
    if !ok {
        let _ = std::fs::remove_file(&tmp);
    }
    ok
}

/// A writer that hashes what it writes (after the header).
pub(super) struct Out {
    w: BufWriter<std::fs::File>,
    h: std::hash::DefaultHasher,
}

impl Out {
    /// The 8-byte magic and a placeholder for the checksum.
    pub(super) fn header(&mut self, magic: &[u8; 8]) -> std::io::Result<()> {
        self.w.write_all(magic)?;
        self.w.write_all(&0u64.to_le_bytes())
    }
    pub(super) fn bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.h.write(b);
        self.w.write_all(b)
    }
    pub(super) fn u32(&mut self, v: u32) -> std::io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    pub(super) fn str(&mut self, s: &str) -> std::io::Result<()> {
        self.u32(s.len() as u32)?;
        self.bytes(s.as_bytes())
    }
    /// A presence byte, then the string when present.
    pub(super) fn opt_str(&mut self, s: &Option<String>) -> std::io::Result<()> {
        match s {
            Some(s) => {
                self.bytes(&[1])?;
                self.str(s)
            }
            None => self.bytes(&[0]),
        }
    }
    /// A presence byte, then the id when present.
    pub(super) fn opt_id(&mut self, id: &Option<ObjectId>) -> std::io::Result<()> {
        match id {
            Some(id) => {
                self.bytes(&[1])?;
                self.bytes(id.as_bytes())
            }
            None => self.bytes(&[0]),
        }
    }
}

/// A reader that hashes what it reads (after the header).
pub(super) struct In {
    r: BufReader<std::fs::File>,
    h: std::hash::DefaultHasher,
}

impl In {
    /// Open `file` if it starts with `magic`: the reader and the checksum
    /// the file claims.
    pub(super) fn open(file: &Path, magic: &[u8; 8]) -> Option<(In, u64)> {
        let f = std::fs::File::open(file).ok()?;
        let mut r = In {
            r: BufReader::with_capacity(1 << 16, f),
            h: std::hash::DefaultHasher::new(),
        };
        let mut head = [0u8; 16];
        r.r.read_exact(&mut head).ok()?;
        if &head[..8] != magic {
            return None;
        }
        Some((r, u64::from_le_bytes(head[8..16].try_into().ok()?)))
    }

    /// `Some` when the whole file was read and its checksum is `sum`.
    pub(super) fn finish(mut self, sum: u64) -> Option<()> {
        let mut rest = [0u8; 1];
        (self.r.read(&mut rest).ok()? == 0 && self.h.finish() == sum).then_some(())
    }

    pub(super) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut b = [0u8; N];
        self.r.read_exact(&mut b).ok()?;
        self.h.write(&b);
        Some(b)
    }
    pub(super) fn count(&mut self) -> Option<u32> {
        let n = u32::from_le_bytes(self.array::<4>()?);
        (n <= MAX_COUNT).then_some(n)
    }
    pub(super) fn str(&mut self) -> Option<String> {
        String::from_utf8(self.blob()?).ok()
    }

    /// An object id.
    pub(super) fn id(&mut self) -> Option<ObjectId> {
        Some(ObjectId::from_bytes_or_panic(&self.array::<20>()?))
    }

    /// What [`Out::opt_str`] wrote.
    pub(super) fn opt_str(&mut self) -> Option<Option<String>> {
        match self.array::<1>()?[0] {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }

    /// What [`Out::opt_id`] wrote.
    pub(super) fn opt_id(&mut self) -> Option<Option<ObjectId>> {
        match self.array::<1>()?[0] {
            0 => Some(None),
            1 => Some(Some(self.id()?)),
            _ => None,
        }
    }

    /// A length-prefixed run of bytes (at most 1 MiB).
    pub(super) fn blob(&mut self) -> Option<Vec<u8>> {
        let n = self.count()? as usize;
        if n > 1 << 20 {
            return None;
        }
        let mut b = vec![0u8; n];
        self.r.read_exact(&mut b).ok()?;
        self.h.write(&b);
        Some(b)
    }
}
