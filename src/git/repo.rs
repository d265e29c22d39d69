//! Opening a repository safely and reading roadmap files out of git objects.
//!
//! The repository is opened so that nothing it configures can run: no git
//! binary is spawned for config, config includes are not followed, attributes
//! (and so filters and textconv) are never evaluated, and no network client is
//! ever built. roadlint never shells out to `git` and never writes.
//!
//! It is also opened so that nothing it holds can hang or leak: a FIFO or
//! device where git keeps a file (`HEAD`, `config`, `objects/info/alternates`,
//! the commit-graph, refs, packs …) is refused before gix could open it, a
//! `core.worktree` that points away from the directory holding `.git` is
//! refused, and a `.git` that leads nowhere is an error, not "no repository".

use super::error::GitError;
use super::gitdir::{
    broken_dotgit, check_before_discovery, check_file, check_git_dir, holds_git_dir, refused,
    special,
};
use crate::globs;
use crate::limits::{MAX_BLOB_BYTES, MAX_MESSAGE_BYTES, MAX_QUARANTINE_OBJECT_BYTES};
use crate::source::{RawFile, Refusal};
use gix::bstr::ByteSlice;
use gix::{ObjectId, Repository};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One entry of a tree: its name, whether it is a tree, its mode bits, its id.
pub(crate) type TreeEntry = (Vec<u8>, bool, u16, ObjectId);

/// Where HEAD points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// A branch with no commits yet.
    Unborn,
    /// A commit (on a branch or detached).
    Commit(ObjectId),
}

/// An open repository.
pub struct GitRepo {
    /// The gix handle.
    pub(super) repo: Repository,
    /// The push quarantine of a pre-receive hook, whose blobs are read from
    /// there on demand (within the cap).
    quarantine: Option<gix::odb::Handle>,
    /// Quarantined objects over [`MAX_QUARANTINE_OBJECT_BYTES`], never
    /// inflated: their kind and size.
    oversized: HashMap<ObjectId, (gix::object::Kind, u64)>,
    /// Whether the commit-graph's checksums verify, once asked.
    graph_sound: std::sync::OnceLock<bool>,
    /// The commit-graph's changed-path filters, read once when first asked
    /// ([`GitRepo::blooms`]).
    blooms: std::sync::OnceLock<Option<std::sync::Arc<super::bloom::Blooms>>>,
    /// The commit-graph, opened once when first asked
    /// ([`GitRepo::commit_graph`]).
    graph: std::sync::OnceLock<Option<std::sync::Arc<gix::commitgraph::Graph>>>,
    /// The packs, opened once when first asked ([`GitRepo::packs`]).
    packs: std::sync::OnceLock<super::chains::PackFiles>,
    /// Root trees of commits already read ([`GitRepo::tree_of`]): the gate
    /// asks for a parent's tree several times, and a commit object may
    /// carry a message of many megabytes.
    trees: std::sync::Mutex<HashMap<ObjectId, ObjectId>>,
}

/// Root trees [`GitRepo::tree_of`] remembers before it starts over.
const TREES_REMEMBERED: usize = 4096;

/// Outcome of trying to open a repository.
pub enum Opened {
    /// A repository.
    Repo(Box<GitRepo>),
    /// The path is not inside a repository.
    NotARepo,
}

impl GitRepo {
    /// Discover the repository containing `path` (honouring `GIT_DIR` and
    /// friends), with every program-running feature off.
    pub fn open(path: &Path) -> Result<Opened, GitError> {
        use gix::open::permissions::{Attributes, Config, Environment};
        use gix::sec::{Permission, Trust};
        let permissions = gix::open::Permissions {
            env: Environment {
                ssh_prefix: Permission::Deny,
                http_transport: Permission::Deny,
                ..Environment::all()
            },
            config: Config {
                git_binary: false,
                includes: false,
                ..Config::all()
            },
            attributes: Attributes::isolated(),
        };
        let opts = |_: Trust| {
            gix::open::Options::default()
                .permissions(permissions)
                .strict_config(false)
        };
        let mapping = gix::sec::trust::Mapping {
            full: opts(Trust::Full),
            reduced: opts(Trust::Reduced),
        };
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        check_before_discovery(&path)?;
        let found = gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            &path,
            gix::discover::upwards::Options {
                match_ceiling_dir_or_error: false,
                ..Default::default()
            },
            mapping,
        );
        match found {
            Ok(ts) => {
                let mut repo = ts.to_thread_local();
                repo.object_cache_size_if_unset(4 * 1024 * 1024);
                // History is what the objects say: replace refs are ignored,
                // as with `git --no-replace-objects` (gix reads no grafts).
                repo.objects.ignore_replacements = true;
                check_git_dir(repo.git_dir())?;
                if repo.common_dir() != repo.git_dir() {
                    check_git_dir(repo.common_dir())?;
                }
                let explicit = ["GIT_DIR", "GIT_WORK_TREE"]
                    .iter()
                    .any(|k| std::env::var_os(k).is_some());
                if let Some(work) = repo.workdir() {
                    if !explicit && !holds_git_dir(work, repo.git_dir()) {
                        return Err(GitError::Open(format!(
                            "core.worktree points the work tree at {}, which does not hold this repository's .git; roadlint reads only the folder that holds .git and the git directory",
                            work.display()
                        )));
                    }
                }
                let mut git = GitRepo {
                    repo,
                    quarantine: None,
                    oversized: HashMap::new(),
                    graph_sound: std::sync::OnceLock::new(),
                    blooms: std::sync::OnceLock::new(),
                    packs: std::sync::OnceLock::new(),
                    graph: std::sync::OnceLock::new(),
                    trees: Default::default(),
                };
                git.overlay_quarantine()?;
                Ok(Opened::Repo(Box::new(git)))
            }
            Err(e) if e.classify().is_not_found() => match broken_dotgit(&path) {
                Some(err) => Err(err),
                None => Ok(Opened::NotARepo),
            },
            Err(e) => Err(GitError::Open(e.to_string())),
        }
    }

    /// The work tree root, or the git dir of a bare repository.
    pub fn root(&self) -> PathBuf {
        self.repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.repo.git_dir().to_path_buf())
    }

    /// Whether the repository has no work tree.
    pub fn is_bare(&self) -> bool {
        self.repo.is_bare()
    }

    /// Where HEAD points.
    pub fn head(&self) -> Result<Head, GitError> {
        let head = self
            .repo
            .head()
            .map_err(|e| GitError::Open(e.to_string()))?;
        if head.is_unborn() {
            return Ok(Head::Unborn);
        }
        let id = self
            .repo
            .head_id()
            .map_err(|e| GitError::Open(e.to_string()))?;
        Ok(Head::Commit(id.detach()))
    }

    /// The commit a revision names (tags peeled).
    pub fn resolve(&self, spec: &str) -> Result<ObjectId, GitError> {
        let shallow = matches!(self.repo.shallow_commits(), Ok(Some(_)));
        let err = |e: gix::Error| {
            // A relative revision (`HEAD~10`) that walks off a shallow
            // boundary is not a typo: say what is missing.
            if shallow && spec.contains(['~', '^']) {
                GitError::BeyondShallow {
                    spec: spec.to_string(),
                }
            } else {
                GitError::Rev {
                    spec: spec.to_string(),
                    message: e.to_string(),
                }
            }
        };
        if spec.len() == self.repo.object_hash().len_in_hex() {
            if let Ok(id) = ObjectId::from_hex(spec.as_bytes()) {
                return self
                    .repo
                    .find_object(id)
                    .and_then(|o| o.peel_to_commit())
                    .map(|c| c.id)
                    .map_err(err);
            }
        }
        self.repo
            .rev_parse_single(spec)
            .and_then(|id| id.object())
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id)
            .map_err(err)
    }

    /// The root tree of a commit (each commit read once).
    pub fn tree_of(&self, commit: ObjectId) -> Result<ObjectId, GitError> {
        let known = |m: &std::sync::Mutex<HashMap<ObjectId, ObjectId>>| {
            m.lock().ok().and_then(|t| t.get(&commit).copied())
        };
        if let Some(tree) = known(&self.trees) {
            return Ok(tree);
        }
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree_id())
            .map(|t| t.detach())
            .map_err(|e| self.missing(commit, None, e))?;
        if let Ok(mut trees) = self.trees.lock() {
            if trees.len() >= TREES_REMEMBERED {
                trees.clear();
            }
            trees.insert(commit, tree);
        }
        Ok(tree)
    }

    /// HEAD's root tree, or `None` on an unborn branch, read within bounds:
    /// from the commit object when it is at most [`MAX_MESSAGE_BYTES`] (a
    /// commit with a huge message gives `None`: its tree is not worth
    /// holding the message). Not from the commit-graph: trusting it means
    /// hashing all of it first, far more than reading one commit.
    pub fn head_tree(&self) -> Result<Option<ObjectId>, GitError> {
        use gix::prelude::Find;
        let Head::Commit(commit) = self.head()? else {
            return Ok(None);
        };
        let read = |e: &dyn std::fmt::Display| GitError::Read(format!("{commit}: {e}"));
        let header = self
            .repo
            .find_header(commit)
            .map_err(|e| self.missing(commit, None, e))?;
        if header.size() > MAX_MESSAGE_BYTES as u64 {
            return Ok(None);
        }
        let mut buf = Vec::new();
        let data = match self.repo.objects.try_find(&commit, &mut buf) {
            Ok(Some(d)) if d.kind == gix::object::Kind::Commit => d,
            Ok(Some(d)) => return Err(read(&format!("expected a commit, found a {}", d.kind))),
            Ok(None) => return Err(read(&"the commit is missing")),
            Err(e) => return Err(read(&e)),
        };
        gix::objs::CommitRefIter::from_bytes(data.data, commit.kind())
            .tree_id()
            .map(Some)
            .map_err(|e| read(&e))
    }

    /// Whether a commit-graph, if there is one, may be used: every file of
    /// it carries the checksum of its content (see [`super::graph`]).
    pub(crate) fn graph_sound(&self) -> bool {
        *self.graph_sound.get_or_init(|| {
            super::graph::sound(
                &self.repo.objects.store_ref().path().join("info"),
                self.repo.object_hash(),
            )
        })
    }

    /// The filters of the commit-graph, when it is enabled, sound, and
    /// carries them (and `commitGraph.readChangedPaths` is not off); read
    /// once, shared by every pass that asks.
    pub(crate) fn blooms(&self) -> Option<std::sync::Arc<super::bloom::Blooms>> {
        self.blooms
            .get_or_init(|| {
                self.commit_graph()?;
                let snapshot = self.repo.config_snapshot();
                if snapshot.boolean("commitGraph.readChangedPaths") == Some(false) {
                    return None;
                }
                let info = self.repo.objects.store_ref().path().join("info");
                let hash_len = self.repo.object_hash().len_in_bytes();
                super::bloom::Blooms::load(&info, hash_len).map(std::sync::Arc::new)
            })
            .clone()
    }

    /// The repository's packs, to be read straight (see [`super::chains`]);
    /// `None` when replacement objects are in use, which only the object
    /// database applies.
    pub(crate) fn packs(&self) -> Option<&super::chains::PackFiles> {
        let objects = &self.repo.objects;
        if !objects.ignore_replacements && objects.store_ref().replacements().next().is_some() {
            return None;
        }
        Some(self.packs.get_or_init(|| {
            super::chains::PackFiles::open(objects.store_ref().path(), self.repo.object_hash())
        }))
    }

    /// The commit-graph, when it is enabled, present and sound: opened once
    /// and shared by every pass and core (each opening maps its files
    /// again, and their pages would count once per mapping).
    pub(crate) fn commit_graph(&self) -> Option<std::sync::Arc<gix::commitgraph::Graph>> {
        self.graph
            .get_or_init(|| {
                let graph = self.repo.commit_graph_if_enabled().ok().flatten()?;
                self.graph_sound().then(|| std::sync::Arc::new(graph))
            })
            .clone()
    }

    /// Commit time (seconds, UTC) of a commit.
    pub fn commit_time(&self, commit: ObjectId) -> Result<i64, GitError> {
        self.repo
            .find_commit(commit)
            .and_then(|c| c.time())
            .map(|t| t.seconds)
            .map_err(|e| self.missing(commit, None, e))
    }

    /// An error about an object that could not be read: a missing object is
    /// named (partial clones are never fetched from).
    pub fn missing(&self, id: ObjectId, path: Option<&str>, e: gix::Error) -> GitError {
        if let Some(err) = self.oversized_error(id) {
            return err;
        }
        if e.classify().is_not_found() {
            GitError::MissingObject {
                id: id.to_string(),
                path: path.map(str::to_string),
                partial: self.is_partial_clone(),
            }
        } else {
            GitError::git(id, e)
        }
    }

    /// The error for reading `id` (or, when `id` is not itself one, any)
    /// quarantined object too large to be loaded.
    fn oversized_error(&self, id: ObjectId) -> Option<GitError> {
        let (id, (kind, size)) = self
            .oversized
            .get_key_value(&id)
            .or_else(|| self.oversized.iter().min_by_key(|(id, _)| **id))?;
        Some(GitError::Read(format!(
            "object {id} in the push quarantine is a {kind} of {size} bytes, over the limit of {MAX_QUARANTINE_OBJECT_BYTES} bytes; it was not read"
        )))
    }

    /// What starts a comment line in a commit message file, as git strips it
    /// (`core.commentString`, else `core.commentChar`; `#` by default and for
    /// `auto`).
    ///
    /// A `git -c core.commentChar=…` on git's command line reaches the hook
    /// as `GIT_CONFIG_PARAMETERS` and wins over the files, as in git.
    pub fn comment_prefix(&self) -> Vec<u8> {
        let from_command_line = std::env::var("GIT_CONFIG_PARAMETERS")
            .ok()
            .and_then(|p| comment_setting(&config_parameters(&p)));
        let snap = self.repo.config_snapshot();
        let configured = from_command_line.map(String::into_bytes).or_else(|| {
            snap.string("core.commentString")
                .or_else(|| snap.string("core.commentChar"))
                .map(|v| v.to_vec())
        });
        match configured {
            Some(v) if !v.is_empty() && v.as_slice() != b"auto" => v,
            _ => b"#".to_vec(),
        }
    }

    /// The encoding git stores new commit messages in (`i18n.commitEncoding`,
    /// a `git -c` on the command line first), when one is set: the message
    /// file the commit-msg hook reads is in it.
    pub fn commit_encoding(&self) -> Option<Vec<u8>> {
        let from_command_line = std::env::var("GIT_CONFIG_PARAMETERS").ok().and_then(|p| {
            config_parameters(&p)
                .into_iter()
                .rev()
                .find(|(k, _)| k.eq_ignore_ascii_case("i18n.commitEncoding"))
                .map(|(_, v)| v.into_bytes())
        });
        from_command_line
            .or_else(|| {
                let snap = self.repo.config_snapshot();
                snap.string("i18n.commitEncoding").map(|v| v.to_vec())
            })
            .filter(|v| !v.is_empty())
    }

    /// Whether the repository is a partial clone (objects may be missing).
    pub fn is_partial_clone(&self) -> bool {
        let snap = self.repo.config_snapshot();
        if snap.string("extensions.partialClone").is_some() {
            return true;
        }
        snap.plumbing()
            .sections_by_name("remote")
            .is_some_and(|mut s| {
                s.any(|sec| {
                    sec.value("promisor")
                        .is_some_and(|v| v.eq_ignore_ascii_case(b"true"))
                })
            })
    }

    /// Read a blob, refusing anything over the size cap without inflating it
    /// (from the repository, or from a push quarantine).
    pub fn blob(&self, id: ObjectId, path: &str) -> Result<Result<Vec<u8>, Refusal>, GitError> {
        self.blob_within(id, path, MAX_BLOB_BYTES)
    }

    /// [`GitRepo::blob`] with a smaller cap than [`MAX_BLOB_BYTES`] (an
    /// approval's): one header lookup decides both, or one read of a small
    /// loose object.
    pub(crate) fn blob_within(
        &self,
        id: ObjectId,
        path: &str,
        cap: u64,
    ) -> Result<Result<Vec<u8>, Refusal>, GitError> {
        use gix::prelude::{Find, Header};
        let cap = cap.min(MAX_BLOB_BYTES);
        if self.is_small_loose(id) {
            // Read at once: its size is known only after inflating it.
            let mut blob = self
                .repo
                .find_blob(id)
                .map_err(|e| self.missing(id, Some(path), e))?;
            let size = blob.data.len() as u64;
            return Ok(if size > cap {
                Err(Refusal::TooLarge(size))
            } else {
                Ok(blob.take_data())
            });
        }
        let header = match self.repo.find_header(id) {
            Ok(h) => h,
            Err(e) => {
                let Some(q) = &self.quarantine else {
                    return Err(self.missing(id, Some(path), e));
                };
                let read =
                    |e: &dyn std::fmt::Display| GitError::Read(format!("quarantine: {id}: {e}"));
                let Some(h) = q.try_header(&id).map_err(|e| read(&e))? else {
                    return Err(self.missing(id, Some(path), e));
                };
                if h.size() > cap {
                    return Ok(Err(Refusal::TooLarge(h.size())));
                }
                let mut buf = Vec::new();
                return match q.try_find(&id, &mut buf).map_err(|e| read(&e))? {
                    Some(d) if d.kind == gix::object::Kind::Blob => Ok(Ok(d.data.to_vec())),
                    Some(d) => Err(read(&format!("expected a blob, found a {}", d.kind))),
                    None => Err(self.missing(id, Some(path), e)),
                };
            }
        };
        if header.size() > cap {
            return Ok(Err(Refusal::TooLarge(header.size())));
        }
        let mut blob = self
            .repo
            .find_blob(id)
            .map_err(|e| self.missing(id, Some(path), e))?;
        Ok(Ok(blob.take_data()))
    }

    /// Whether the repository holds object `id` (a shallow boundary's
    /// parents, for one, it does not).
    pub(crate) fn has(&self, id: ObjectId) -> bool {
        self.repo.has_object(id)
    }

    /// The hash kind of the repository's object ids.
    pub(crate) fn object_hash(&self) -> gix::hash::Kind {
        self.repo.object_hash()
    }

    /// The all-zeros id of the repository's hash: "no object".
    pub(crate) fn null_id(&self) -> ObjectId {
        ObjectId::null(self.repo.object_hash())
    }

    /// The commit HEAD points at, if it points at one.
    pub(crate) fn head_id(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|h| h.detach())
    }

    /// The entries of tree `id` (read for `path`, which errors name): each
    /// entry's name, whether it is a tree, its mode bits and its id.
    pub(crate) fn tree_entries(
        &self,
        id: ObjectId,
        path: &str,
    ) -> Result<Vec<TreeEntry>, GitError> {
        let tree = self
            .repo
            .find_tree(id)
            .map_err(|e| self.missing(id, Some(path), e))?;
        let mut out = Vec::new();
        for e in tree.iter() {
            let e = e.map_err(|e| GitError::git(path, e))?;
            out.push((
                e.filename().to_vec(),
                e.mode().is_tree(),
                e.mode().value(),
                e.object_id(),
            ));
        }
        Ok(out)
    }

    /// The raw bytes of tree `id` (read for `path`, which errors name).
    pub(crate) fn raw_tree(&self, id: ObjectId, path: &str) -> Result<Vec<u8>, GitError> {
        Ok(self
            .repo
            .find_tree(id)
            .map_err(|e| self.missing(id, Some(path), e))?
            .detach()
            .data)
    }

    /// The blob id at `path` in `tree`, if a regular file is there.
    pub fn blob_id_at(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>, GitError> {
        self.id_at(tree, path, |m| m.is_blob())
    }

    /// The tree id at `path` in `tree`, if a folder is there.
    pub(crate) fn tree_id_at(
        &self,
        tree: ObjectId,
        path: &str,
    ) -> Result<Option<ObjectId>, GitError> {
        self.id_at(tree, path, |m| m.is_tree())
    }

    /// The id of the entry at `path` in `tree`, if its mode is `wanted`.
    fn id_at(
        &self,
        tree: ObjectId,
        path: &str,
        wanted: impl Fn(gix::objs::tree::EntryMode) -> bool,
    ) -> Result<Option<ObjectId>, GitError> {
        let t = self
            .repo
            .find_tree(tree)
            .map_err(|e| self.missing(tree, None, e))?;
        let entry = t
            .lookup_entry(path.split('/'))
            .map_err(|e| self.missing(tree, Some(path), e))?;
        Ok(entry.filter(|e| wanted(e.mode())).map(|e| e.object_id()))
    }

    /// The roadmap files in a commit's tree, as discovery would find them on disk.
    pub fn files_in_tree(
        &self,
        tree: ObjectId,
        globs: &[String],
    ) -> Result<Vec<RawFile>, GitError> {
        let set = globs::compile(globs).map_err(|e| GitError::git("the roadmap globs", e))?;
        let root = self
            .repo
            .find_tree(tree)
            .map_err(|e| self.missing(tree, None, e))?;
        let mut prefixes: Vec<String> = globs.iter().map(|g| globs::literal_prefix(g)).collect();
        prefixes.sort();
        prefixes.dedup();
        let mut entries = Vec::new();
        for prefix in &prefixes {
            let sub = if prefix.is_empty() {
                root.clone()
            } else {
                let entry = root
                    .lookup_entry(prefix.split('/'))
                    .map_err(|e| self.missing(tree, Some(prefix), e))?;
                match entry {
                    Some(e) if e.mode().is_tree() => self
                        .repo
                        .find_tree(e.object_id())
                        .map_err(|err| self.missing(e.object_id(), Some(prefix), err))?,
                    Some(e) if e.mode().is_link() => {
                        entries.push((prefix.clone(), e.mode(), e.object_id()));
                        continue;
                    }
                    _ => continue,
                }
            };
            let files = sub
                .traverse()
                .breadthfirst
                .files()
                .map_err(|e| self.missing(tree, None, e))?;
            for e in files.into_iter().filter(|e| !e.mode.is_tree()) {
                let rel = e.filepath.to_str_lossy();
                let path = if prefix.is_empty() {
                    rel.into_owned()
                } else {
                    format!("{prefix}/{rel}")
                };
                entries.push((path, e.mode, e.oid));
            }
        }
        let mut found = BTreeMap::new();
        for (path, mode, oid) in entries {
            if mode.is_link() && prefixes.contains(&path) {
                found.insert(path, Err(Refusal::Symlink));
                continue;
            }
            if !set.is_match(&path) {
                continue;
            }
            let content = if mode.is_link() {
                Err(Refusal::Symlink)
            } else if mode.is_commit() {
                Err(Refusal::NotRegular("submodule"))
            } else {
                self.blob(oid, &path)?
            };
            found.insert(path, content);
        }
        Ok(found
            .into_iter()
            .map(|(path, content)| RawFile { path, content })
            .collect())
    }

    /// In a pre-receive hook the pushed objects sit in a quarantine directory
    /// that gix does not read on its own: its commits, trees and tags are
    /// loaded into memory (never disk), each within
    /// [`MAX_QUARANTINE_OBJECT_BYTES`] by its header (a larger one is
    /// remembered, not inflated); its blobs are read on demand by
    /// [`GitRepo::blob`], within the blob cap.
    fn overlay_quarantine(&mut self) -> Result<(), GitError> {
        use gix::prelude::{Find, Header};
        let Some(q) = std::env::var_os("GIT_QUARANTINE_PATH") else {
            return Ok(());
        };
        let q = PathBuf::from(q);
        for f in ["info/alternates", "info/commit-graph", "info/packs"] {
            check_file(&q.join(f))?;
        }
        for entry in walkdir::WalkDir::new(&q)
            .follow_links(false)
            .max_depth(2)
            .into_iter()
            .filter_map(Result::ok)
        {
            if let Some(kind) = special(&entry.file_type()) {
                return Err(refused(entry.path(), kind));
            }
        }
        let read = |e: &dyn std::fmt::Display| GitError::Read(format!("quarantine: {e}"));
        let odb = gix::odb::at(q, self.repo.object_hash()).map_err(|e| read(&e))?;
        let mut storage = gix::odb::memory::Storage::default();
        let mut buf = Vec::new();
        for id in odb.iter().map_err(|e| read(&e))? {
            let id = id.map_err(|e| read(&e))?;
            let Some(header) = odb.try_header(&id).map_err(|e| read(&e))? else {
                continue;
            };
            if header.kind() == gix::object::Kind::Blob {
                continue;
            }
            if header.size() > MAX_QUARANTINE_OBJECT_BYTES {
                self.oversized.insert(id, (header.kind(), header.size()));
                continue;
            }
            if let Some(data) = odb.try_find(&id, &mut buf).map_err(|e| read(&e))? {
                storage.insert(id, (data.kind, data.data.to_vec()));
            }
        }
        self.repo.objects.set_object_memory(storage);
        self.quarantine = Some(odb);
        Ok(())
    }
}

/// The comment setting among `git -c` parameters: the last
/// `core.commentString`, else the last `core.commentChar`.
fn comment_setting(params: &[(String, String)]) -> Option<String> {
    let last = |key: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    };
    last("core.commentString").or_else(|| last("core.commentChar"))
}

/// One shell-quoted word of `GIT_CONFIG_PARAMETERS` (`'…'`, a quote inside
/// written `'\''`), or `None` when the text is not one.
fn quoted_word(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let mut word = String::new();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        loop {
            match chars.next()? {
                '\'' => break,
                c => word.push(c),
            }
        }
        if chars.peek() != Some(&'\\') {
            return Some(word);
        }
        chars.next();
        word.push(chars.next()?);
    }
}

/// The `key=value` pairs of `GIT_CONFIG_PARAMETERS`: shell-quoted words,
/// either `'key=value'` or `'key'='value'` (git writes both forms). Anything
/// unreadable ends the list.
fn config_parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(first) = quoted_word(&mut chars) else {
            return out;
        };
        if chars.peek() == Some(&'=') {
            chars.next();
            let Some(value) = quoted_word(&mut chars) else {
                return out;
            };
            out.push((first, value));
        } else if let Some((k, v)) = first.split_once('=') {
            out.push((k.to_string(), v.to_string()));
        } else {
            out.push((first, String::new()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_config_is_read_as_git_quotes_it() {
        let params = config_parameters(
            "'core.commentchar'=';' 'user.name=It'\\''s me' 'core.commentString'='//'",
        );
        assert_eq!(
            params,
            [
                ("core.commentchar".to_string(), ";".to_string()),
                ("user.name".to_string(), "It's me".to_string()),
                ("core.commentString".to_string(), "//".to_string()),
            ]
        );
        assert_eq!(comment_setting(&params).as_deref(), Some("//"));
        assert_eq!(
            comment_setting(&config_parameters("'core.commentChar=;'")).as_deref(),
            Some(";")
        );
        assert_eq!(comment_setting(&config_parameters("garbage")), None);
        assert_eq!(comment_setting(&config_parameters("'unterminated")), None);
    }
}
