//! Reading approvals out of trees for verified sign-off (SPEC §9.4).
//!
//! For a gated commit, the approvals that count are the `*.approval` files
//! directly in the approvals folder of the commit's tree or of the tree
//! being checked (approvals may land with the change or after it), verified
//! with the allowed-signers file of the commit's first parent (or the
//! `--allowed-signers` pin). Everything is memoized by object id — folders
//! by tree, approvals by blob, allowed-signers files by blob — so a long
//! history with many approvals reads each object once.

use super::error::HistoryError;
use crate::facts::{Approvals, FileChange, FoundApproval};
use crate::git::tree_diff;
use crate::git::GitRepo;
use crate::git::TreeEntry;
use crate::signoff::ssh::allowed_signers::AllowedSigners;
use crate::signoff::ssh::approval::{is_null_id, Approval};
use crate::signoff::ssh::verify::{listed, signed};
use gix::ObjectId;
use ssh_key::SshSig;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// An approval file's size cap: a statement and a signature fit in 8 KiB.
const MAX_APPROVAL_BYTES: u64 = 64 * 1024;

/// One entry of an approvals folder.
#[derive(Clone, Debug)]
enum Entry {
    /// A regular `*.approval` file.
    File { path: String, blob: ObjectId },
    /// Something that is never read (a symlink, a subfolder, a submodule).
    Refused { path: String, why: &'static str },
}

impl Entry {
    /// What the approvals folder's entry `name` (a tree or not, of mode
    /// bits `mode`, object `id`) is to the gate; `None` for a file that is
    /// no `*.approval`.
    fn of(folder: &str, (name, tree, mode, id): &TreeEntry) -> Option<Entry> {
        let name = String::from_utf8_lossy(name);
        let path = format!("{folder}/{name}");
        let refused = |why| {
            Some(Entry::Refused {
                path: path.clone(),
                why,
            })
        };
        if *tree {
            refused("a folder inside the approvals folder is not read")
        } else if !name.ends_with(".approval") {
            None
        } else if *mode == 0o120000 {
            refused("it is a symbolic link, which is never followed")
        } else if mode & 0o170000 == 0o100000 {
            Some(Entry::File { path, blob: *id })
        } else {
            refused("it is not a regular file")
        }
    }
}

/// What a verification depends on: the approval's blob, the allowed-signers
/// blob (none: the pin, or no file) and the time judged.
type VerifyKey = (ObjectId, Option<ObjectId>, i64);

/// A verification's outcome: the signer's principals, or why it fails.
type Verdict = Result<Vec<String>, String>;

/// An approval's signature checked over its statement, or why it is not.
type Signed = Arc<Result<SshSig, String>>;

/// Verifications a reader does one by one before it takes the run for a
/// history's and verifies the checked tree's approvals ahead, on every
/// core (a hook judging one commit verifies two or four).
const VERIFY_AHEAD_AFTER: usize = 8;

/// Settings and memos of verified sign-off for one run.
pub struct ApprovalReader {
    /// The approvals folder.
    folder: String,
    /// The in-tree allowed-signers file.
    signers_path: String,
    /// The `--allowed-signers` pin, which replaces every in-tree version.
    pin: Option<Arc<AllowedSigners>>,
    /// The tree being checked (HEAD's, `--rev`'s, or a hook's tip).
    tip_tree: Option<ObjectId>,
    parsed: HashMap<ObjectId, Arc<Result<Approval, String>>>,
    signers: HashMap<ObjectId, Arc<AllowedSigners>>,
    verified: HashMap<VerifyKey, Verdict>,
    /// Signatures checked over their statements, by approval blob.
    signed: HashMap<ObjectId, Signed>,
    /// Whether the checked tree's approvals were verified ahead.
    ahead: bool,
    /// The checked tree's approvals, indexed (built on first use).
    tip: Option<Arc<TipIndex>>,
    /// Past approvals folders (by tree id) without the checked tree's
    /// files: most commits of a history share a few folders.
    past: HashMap<ObjectId, Arc<Vec<Entry>>>,
}

/// The approvals folder of the checked tree, indexed by the blob ids each
/// approval names, so a commit finds its candidates without a scan.
#[derive(Default)]
struct TipIndex {
    entries: Vec<Entry>,
    /// The approvals folder's tree id (none when there is no folder).
    folder: Option<ObjectId>,
    /// Blob ids of its files (the commit's tree adds only others).
    blobs: gix::hashtable::HashSet<ObjectId>,
    /// Entry positions by a `before` or `after` id they name.
    by_id: HashMap<String, Vec<usize>>,
    /// Entries that cannot be read: listed for every change.
    broken: Vec<usize>,
}

impl ApprovalReader {
    /// A reader for `folder` and `signers_path` (the `[signoff]` settings),
    /// checking the tree `tip_tree`, with an optional pinned signers file.
    pub fn new(
        folder: &str,
        signers_path: &str,
        pin: Option<&str>,
        tip_tree: Option<ObjectId>,
    ) -> ApprovalReader {
        ApprovalReader {
            folder: folder.to_string(),
            signers_path: signers_path.to_string(),
            pin: pin.map(|text| Arc::new(AllowedSigners::parse(text))),
            tip_tree,
            parsed: HashMap::new(),
            signers: HashMap::new(),
            verified: HashMap::new(),
            signed: HashMap::new(),
            ahead: false,
            tip: None,
            past: HashMap::new(),
        }
    }

    /// The entries of the approvals folder `id`, but for the regular files
    /// whose blobs are in `skip`.
    fn list(
        &self,
        git: &GitRepo,
        id: ObjectId,
        skip: &gix::hashtable::HashSet<ObjectId>,
    ) -> Result<Vec<Entry>, HistoryError> {
        let mut out = Vec::new();
        for e in git.tree_entries(id, &self.folder)? {
            if !e.1 && skip.contains(&e.3) {
                continue;
            }
            out.extend(Entry::of(&self.folder, &e));
        }
        Ok(out)
    }

    /// The checked tree's approvals, indexed once.
    fn tip_index(&mut self, git: &GitRepo) -> Result<Arc<TipIndex>, HistoryError> {
        if let Some(t) = &self.tip {
            return Ok(t.clone());
        }
        let mut index = TipIndex::default();
        if let Some(tree) = self.tip_tree {
            index.folder = git.tree_id_at(tree, &self.folder)?;
            if let Some(id) = index.folder {
                index.entries = self.list(git, id, &Default::default())?;
            }
            for (i, e) in index.entries.iter().enumerate() {
                let Entry::File { path, blob } = e else {
                    index.broken.push(i);
                    continue;
                };
                index.blobs.insert(*blob);
                match self.approval(git, *blob, path)?.as_ref() {
                    Ok(a) => {
                        for id in [&a.statement.before, &a.statement.after] {
                            if !is_null_id(id) {
                                index.by_id.entry(id.clone()).or_default().push(i);
                            }
                        }
                    }
                    Err(_) => index.broken.push(i),
                }
            }
        }
        let index = Arc::new(index);
        self.tip = Some(index.clone());
        Ok(index)
    }

    /// The approvals folder of `tree` without the files the checked tree's
    /// folder holds (`tip`): nothing when it is that very folder, and each
    /// other folder listed once (a history's commits share folders).
    fn folder_except(
        &mut self,
        git: &GitRepo,
        tree: ObjectId,
        tip: &TipIndex,
    ) -> Result<Arc<Vec<Entry>>, HistoryError> {
        let Some(id) = git.tree_id_at(tree, &self.folder)? else {
            return Ok(Arc::default());
        };
        if Some(id) == tip.folder {
            return Ok(Arc::default());
        }
        if let Some(listed) = self.past.get(&id) {
            return Ok(listed.clone());
        }
        let listed = Arc::new(self.list(git, id, &tip.blobs)?);
        self.past.insert(id, listed.clone());
        Ok(listed)
    }

    /// The approvals folder as the index holds it (the commit being made).
    fn staged_folder(&self, git: &GitRepo) -> Result<Vec<Entry>, HistoryError> {
        let prefix = format!("{}/", self.folder);
        let mut out = Vec::new();
        for e in git.staged_under(&prefix)? {
            let name = &e.path[prefix.len()..];
            if !name.ends_with(".approval") {
                continue;
            }
            let path = e.path.clone();
            if name.contains('/') {
                out.push(Entry::Refused {
                    path,
                    why: "a folder inside the approvals folder is not read",
                });
            } else if e.symlink {
                out.push(Entry::Refused {
                    path,
                    why: "it is a symbolic link, which is never followed",
                });
            } else {
                out.push(Entry::File { path, blob: e.id });
            }
        }
        Ok(out)
    }

    /// The approval in blob `id`, parsed once.
    fn approval(
        &mut self,
        git: &GitRepo,
        id: ObjectId,
        path: &str,
    ) -> Result<Arc<Result<Approval, String>>, HistoryError> {
        if let Some(known) = self.parsed.get(&id) {
            return Ok(known.clone());
        }
        // One header lookup decides the cap and the read.
        let parsed = match git.blob_within(id, path, MAX_APPROVAL_BYTES)? {
            Ok(bytes) => Approval::parse(&bytes),
            Err(crate::source::Refusal::TooLarge(size)) => Err(format!(
                "it is {size} bytes, over the {MAX_APPROVAL_BYTES}-byte cap of an approval"
            )),
            Err(refusal) => Err(format!("it cannot be read ({refusal:?})")),
        };
        let parsed = Arc::new(parsed);
        self.parsed.insert(id, parsed.clone());
        Ok(parsed)
    }

    /// The signature of approval `a` (in blob `blob`) checked over its
    /// statement, once per blob. After a few, the run is judging a
    /// history: the checked tree's other approvals are checked ahead.
    fn signed_of(
        &mut self,
        git: &GitRepo,
        blob: ObjectId,
        a: &Approval,
    ) -> Result<Signed, HistoryError> {
        if let Some(known) = self.signed.get(&blob) {
            return Ok(known.clone());
        }
        if !self.ahead && self.signed.len() + 1 >= VERIFY_AHEAD_AFTER {
            self.ahead = true;
            self.verify_ahead(git)?;
            if let Some(known) = self.signed.get(&blob) {
                return Ok(known.clone());
            }
        }
        let checked = Arc::new(signed(a));
        self.signed.insert(blob, checked.clone());
        Ok(checked)
    }

    /// Check, on every core, the signatures of the checked tree's
    /// approvals that may approve a change of this history: those whose
    /// blob ids are all in the repository (or absent sides). Ed25519
    /// verification is most of verified sign-off's cost on a long history.
    fn verify_ahead(&mut self, git: &GitRepo) -> Result<(), HistoryError> {
        let tip = self.tip_index(git)?;
        let names_objects = |id: &str| {
            is_null_id(id) || ObjectId::from_hex(id.as_bytes()).is_ok_and(|id| git.has(id))
        };
        let todo: Vec<(ObjectId, Arc<Result<Approval, String>>)> = tip
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::File { blob, .. } if !self.signed.contains_key(blob) => {
                    Some((*blob, self.parsed.get(blob)?.clone()))
                }
                _ => None,
            })
            .filter(|(_, a)| {
                a.as_ref().as_ref().is_ok_and(|a| {
                    names_objects(&a.statement.before) && names_objects(&a.statement.after)
                })
            })
            .collect();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores.min(8).min(todo.len() / 8).max(1);
        let size = todo.len().div_ceil(threads).max(1);
        let check = |part: &[(ObjectId, Arc<Result<Approval, String>>)]| {
            part.iter()
                .filter_map(|(blob, a)| {
                    let a = a.as_ref().as_ref().ok()?;
                    Some((*blob, Arc::new(signed(a))))
                })
                .collect::<Vec<_>>()
        };
        let done: Vec<Vec<(ObjectId, Signed)>> = if threads == 1 {
            vec![check(&todo)]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = todo
                    .chunks(size)
                    .map(|c| s.spawn(move || check(c)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        };
        self.signed.extend(done.into_iter().flatten());
        Ok(())
    }

    /// The allowed signers that verify a commit whose first parent's tree
    /// is `parent_tree`: the pin, else that tree's file (none: nobody).
    fn signers_of(
        &mut self,
        git: &GitRepo,
        parent_tree: Option<ObjectId>,
    ) -> Result<(Option<ObjectId>, Arc<AllowedSigners>), HistoryError> {
        if let Some(pin) = &self.pin {
            return Ok((None, pin.clone()));
        }
        let blob = match parent_tree {
            Some(t) => git.blob_id_at(t, &self.signers_path)?,
            None => None,
        };
        let Some(blob) = blob else {
            return Ok((None, Arc::new(AllowedSigners::default())));
        };
        if let Some(known) = self.signers.get(&blob) {
            return Ok((Some(blob), known.clone()));
        }
        let text = match git.blob(blob, &self.signers_path)? {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => String::new(),
        };
        let parsed = Arc::new(AllowedSigners::parse(&text));
        self.signers.insert(blob, parsed.clone());
        Ok((Some(blob), parsed))
    }

    /// The approvals of commit `commit` (first parent `parent`, judged at
    /// corrected time `time`) for its changes to `files` ((path, label)).
    /// `tree` is the commit's tree, or `None` for the commit being made
    /// (the index, in the commit-msg hook). With `tip_only`, a commit's own
    /// tree is not read: only the checked tree's approvals are found (the
    /// gate's first, cheap look; more approvals never undo a sign-off).
    #[allow(clippy::too_many_arguments)]
    pub fn approvals(
        &mut self,
        git: &GitRepo,
        commit: Option<ObjectId>,
        tree: Option<ObjectId>,
        parent: Option<ObjectId>,
        time: i64,
        files: &[(String, String)],
        tip_only: bool,
    ) -> Result<Approvals, HistoryError> {
        let zeros = git.null_id().to_string();
        let parent_tree = parent.map(|p| git.tree_of(p)).transpose()?;
        let mut changes = Vec::new();
        for (path, label) in files {
            let before = match parent_tree {
                Some(t) => git.blob_id_at(t, path)?,
                None => None,
            };
            let after = match tree {
                Some(t) => git.blob_id_at(t, path)?,
                None => git.staged_blobs(&|p| p == path)?.remove(path),
            };
            if before == after {
                continue;
            }
            let id = |b: Option<ObjectId>| b.map_or_else(|| zeros.clone(), |b| b.to_string());
            changes.push(FileChange {
                path: path.clone(),
                label: label.clone(),
                before: id(before),
                after: id(after),
            });
        }
        let (signers_blob, signers) = self.signers_of(git, parent_tree)?;
        // The checked tree's approvals are indexed once by the blob ids
        // they name; the commit's own tree adds only what the tip lacks.
        let tip = self.tip_index(git)?;
        let mut picked: BTreeSet<usize> = tip.broken.iter().copied().collect();
        for c in &changes {
            for id in [&c.before, &c.after] {
                picked.extend(tip.by_id.get(id).into_iter().flatten().copied());
            }
        }
        let mut entries: Vec<Entry> = picked.iter().map(|i| tip.entries[*i].clone()).collect();
        match tree {
            Some(_) if tip_only => {}
            Some(t) if Some(t) != self.tip_tree => {
                entries.extend(self.folder_except(git, t, &tip)?.iter().cloned());
            }
            Some(_) => {}
            None => entries.extend(self.staged_folder(git)?),
        }
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        let mut seen_blobs = HashSet::new();
        for entry in entries {
            let (path, blob) = match entry {
                Entry::Refused { path, why } => {
                    if seen.insert(path.clone()) {
                        found.push(FoundApproval {
                            file: path,
                            problem: Some(why.into()),
                            ..FoundApproval::default()
                        });
                    }
                    continue;
                }
                Entry::File { path, blob } => (path, blob),
            };
            if !seen_blobs.insert(blob) {
                continue;
            }
            let parsed = self.approval(git, blob, &path)?;
            let a = match parsed.as_ref() {
                Err(why) => {
                    found.push(FoundApproval {
                        file: path,
                        problem: Some(why.clone()),
                        ..FoundApproval::default()
                    });
                    continue;
                }
                Ok(a) => a,
            };
            let s = &a.statement;
            // An approval that names one of a change's blobs speaks to it
            // (or is replayed onto it); others are not listed.
            let relevant = changes.iter().any(|c| {
                [&c.before, &c.after]
                    .iter()
                    .any(|id| !is_null_id(id) && (**id == s.before || **id == s.after))
            });
            if !relevant {
                continue;
            }
            // Only an approval of exactly a change can sign it off: the
            // others are reported as approving another change, unverified.
            let exact = changes
                .iter()
                .any(|c| c.before == s.before && c.after == s.after);
            let verdict = if exact {
                let key = (blob, signers_blob, time);
                match self.verified.get(&key) {
                    Some(v) => v.clone(),
                    None => {
                        let v = match self.signed_of(git, blob, a)?.as_ref() {
                            Ok(sig) => listed(s, sig, &signers, time),
                            Err(why) => Err(why.clone()),
                        };
                        self.verified.insert(key, v.clone());
                        v
                    }
                }
            } else {
                Ok(Vec::new())
            };
            let (aliases, problem) = match verdict {
                Ok(aliases) => (aliases, None),
                Err(why) => (Vec::new(), Some(why)),
            };
            found.push(FoundApproval {
                file: path,
                role: s.role.word().to_string(),
                principal: s.principal.clone(),
                aliases,
                before: s.before.clone(),
                after: s.after.clone(),
                problem,
            });
        }
        Ok(Approvals {
            commit: commit.map(|c| c.to_string()).unwrap_or_default(),
            changes,
            found,
        })
    }
}

/// The blob at `path` in commit `commit`'s tree, if a regular file is there.
pub(super) fn blob_in_commit(
    git: &GitRepo,
    commit: ObjectId,
    path: &str,
) -> Result<Option<ObjectId>, HistoryError> {
    Ok(git.blob_id_at(git.tree_of(commit)?, path)?)
}

/// The approval files of the approvals folder `folder` in `parent`'s tree
/// that `commit` (the index, for the commit being made) deletes or
/// rewrites, each with whether it is deleted: deleting an approval file is
/// a policy change (SPEC §9.4). Adding one is not.
pub(super) fn taken_back(
    git: &GitRepo,
    folder: &str,
    parent: ObjectId,
    commit: Option<ObjectId>,
) -> Result<Vec<(String, bool)>, HistoryError> {
    let Some(before) = git.tree_id_at(git.tree_of(parent)?, folder)? else {
        return Ok(Vec::new());
    };
    let after = match commit {
        Some(c) => git.tree_id_at(git.tree_of(c)?, folder)?,
        None => return staged_taken_back(git, folder, before),
    };
    if after == Some(before) {
        return Ok(Vec::new());
    }
    // Two sorted trees compared in one pass: a history's approvals folder
    // grows with every change, and only the entries that differ are named.
    let hash = git.object_hash();
    let raw = |id: ObjectId| git.raw_tree(id, folder);
    let old = raw(before)?;
    let new = after.map(raw).transpose()?.unwrap_or_default();
    let (Some(old), Some(new)) = (
        tree_diff::SortedTree::parsed(old, hash),
        tree_diff::SortedTree::parsed(new, hash),
    ) else {
        // Out of git's order: compared by name.
        let now = match after {
            Some(a) => approval_files(git, a, folder)?,
            None => HashMap::new(),
        };
        return Ok(differing(approval_files(git, before, folder)?, &now));
    };
    let mut out = Vec::new();
    for (name, was, now) in old.changes(&new) {
        let Some((false, mode, _)) = was else {
            continue;
        };
        let name = String::from_utf8_lossy(name);
        if mode & 0o170000 == 0o100000 && name.ends_with(".approval") {
            out.push((format!("{folder}/{name}"), now.is_none()));
        }
    }
    Ok(out)
}

/// [`taken_back`] for the commit being made: the approvals folder `before`
/// (a tree id) against the index.
fn staged_taken_back(
    git: &GitRepo,
    folder: &str,
    before: ObjectId,
) -> Result<Vec<(String, bool)>, HistoryError> {
    let prefix = format!("{folder}/");
    let staged = git.staged_blobs(&|p| p.starts_with(&prefix))?;
    Ok(differing(approval_files(git, before, folder)?, &staged))
}

/// The approval files of `before` whose blob `after` does not hold, each
/// with whether `after` lacks it altogether, in path order.
fn differing(
    before: HashMap<String, ObjectId>,
    after: &HashMap<String, ObjectId>,
) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = before
        .into_iter()
        .filter(|(path, blob)| after.get(path) != Some(blob))
        .map(|(path, _)| {
            let deleted = !after.contains_key(&path);
            (path, deleted)
        })
        .collect();
    out.sort();
    out
}

/// The regular `*.approval` files of the approvals folder `id` (a tree id;
/// `folder` is its path), by path.
fn approval_files(
    git: &GitRepo,
    id: ObjectId,
    folder: &str,
) -> Result<HashMap<String, ObjectId>, HistoryError> {
    let mut out = HashMap::new();
    for e in git.tree_entries(id, folder)? {
        if let Some(Entry::File { path, blob }) = Entry::of(folder, &e) {
            out.insert(path, blob);
        }
    }
    Ok(out)
}

/// The principals that the allowed-signers file at `path` in commit
/// `commit` lists for the public key `key` (an OpenSSH public key line).
pub fn principals_of(
    git: &GitRepo,
    commit: ObjectId,
    path: &str,
    key: &str,
) -> Result<Option<Vec<String>>, HistoryError> {
    let Ok(key) = ssh_key::PublicKey::from_openssh(key.trim()) else {
        return Ok(None);
    };
    let Some(blob) = blob_in_commit(git, commit, path)? else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&git.blob(blob, path)?.unwrap_or_default()).into_owned();
    let signers = AllowedSigners::parse(&text);
    let found = signers
        .lines_of(key.key_data())
        .next()
        .map(|s| s.principals.clone());
    Ok(found)
}
