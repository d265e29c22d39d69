//! Opening a repository safely and reading roadmap files out of git objects.
//!
//! The repository is opened so that nothing it configures can run: no git
//! binary is spawned for config, config includes are not followed, attributes
//! (and so filters and textconv) are never evaluated, and no network client is
//! ever built. roadlint never shells out to `git` and never writes.

use super::error::HistoryError;
use crate::globs;
use crate::limits::MAX_BLOB_BYTES;
use crate::source::{RawFile, Refusal};
use gix::bstr::ByteSlice;
use gix::{ObjectId, Repository};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    pub(in crate::history) repo: Repository,
}

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
    pub fn open(path: &Path) -> Result<Opened, HistoryError> {
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
                let mut git = GitRepo { repo };
                git.overlay_quarantine()?;
                Ok(Opened::Repo(Box::new(git)))
            }
            Err(e) if e.classify().is_not_found() => Ok(Opened::NotARepo),
            Err(e) => Err(HistoryError::Open(e.to_string())),
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
    pub fn head(&self) -> Result<Head, HistoryError> {
        let head = self
            .repo
            .head()
            .map_err(|e| HistoryError::Open(e.to_string()))?;
        if head.is_unborn() {
            return Ok(Head::Unborn);
        }
        let id = self
            .repo
            .head_id()
            .map_err(|e| HistoryError::Open(e.to_string()))?;
        Ok(Head::Commit(id.detach()))
    }

    /// The commit a revision names (tags peeled).
    pub fn resolve(&self, spec: &str) -> Result<ObjectId, HistoryError> {
        let shallow = matches!(self.repo.shallow_commits(), Ok(Some(_)));
        let err = |e: gix::Error| {
            // A relative revision (`HEAD~10`) that walks off a shallow
            // boundary is not a typo: say what is missing.
            if shallow && spec.contains(['~', '^']) {
                HistoryError::BeyondShallow {
                    spec: spec.to_string(),
                }
            } else {
                HistoryError::Rev {
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

    /// The root tree of a commit.
    pub fn tree_of(&self, commit: ObjectId) -> Result<ObjectId, HistoryError> {
        self.repo
            .find_commit(commit)
            .and_then(|c| c.tree_id())
            .map(|t| t.detach())
            .map_err(|e| self.missing(commit, None, e))
    }

    /// Commit time (seconds, UTC) of a commit.
    pub fn commit_time(&self, commit: ObjectId) -> Result<i64, HistoryError> {
        self.repo
            .find_commit(commit)
            .and_then(|c| c.time())
            .map(|t| t.seconds)
            .map_err(|e| self.missing(commit, None, e))
    }

    /// An error about an object that could not be read: a missing object is
    /// named (partial clones are never fetched from).
    pub fn missing(&self, id: ObjectId, path: Option<&str>, e: gix::Error) -> HistoryError {
        if e.classify().is_not_found() {
            HistoryError::MissingObject {
                id: id.to_string(),
                path: path.map(str::to_string),
                partial: self.is_partial_clone(),
            }
        } else {
            HistoryError::Read(format!("{id}: {e}"))
        }
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

    /// Read a blob, refusing anything over the size cap without inflating it.
    pub fn blob(&self, id: ObjectId, path: &str) -> Result<Result<Vec<u8>, Refusal>, HistoryError> {
        let header = self
            .repo
            .find_header(id)
            .map_err(|e| self.missing(id, Some(path), e))?;
        if header.size() > MAX_BLOB_BYTES {
            return Ok(Err(Refusal::TooLarge(header.size())));
        }
        let mut blob = self
            .repo
            .find_blob(id)
            .map_err(|e| self.missing(id, Some(path), e))?;
        Ok(Ok(blob.take_data()))
    }

    /// The blob id at `path` in `tree`, if a regular file or link is there.
    pub fn entry_at(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>, HistoryError> {
        let t = self
            .repo
            .find_tree(tree)
            .map_err(|e| self.missing(tree, None, e))?;
        let entry = t
            .lookup_entry(path.split('/'))
            .map_err(|e| self.missing(tree, Some(path), e))?;
        Ok(entry.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
    }

    /// The roadmap files in a commit's tree, as discovery would find them on disk.
    pub fn files_in_tree(
        &self,
        tree: ObjectId,
        globs: &[String],
    ) -> Result<Vec<RawFile>, HistoryError> {
        let set = globs::compile(globs).map_err(|e| HistoryError::Read(e.to_string()))?;
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

    /// The roadmap files in the index (honouring `GIT_INDEX_FILE`).
    pub fn files_in_index(&self, globs: &[String]) -> Result<Vec<RawFile>, HistoryError> {
        let set = globs::compile(globs).map_err(|e| HistoryError::Read(e.to_string()))?;
        let index = self
            .repo
            .index_or_empty()
            .map_err(|e| HistoryError::Read(format!("index: {e}")))?;
        let mut found = BTreeMap::new();
        for e in index.entries() {
            if e.flags.contains(gix::index::entry::Flags::INTENT_TO_ADD) {
                continue;
            }
            let path = e.path(&index).to_str_lossy().into_owned();
            if !set.is_match(&path) {
                continue;
            }
            let content = if e.stage_raw() != 0 {
                Err(Refusal::Unreadable(
                    "the file has an unresolved merge conflict".into(),
                ))
            } else if e.mode == gix::index::entry::Mode::SYMLINK {
                Err(Refusal::Symlink)
            } else if e.mode == gix::index::entry::Mode::COMMIT {
                Err(Refusal::NotRegular("submodule"))
            } else {
                self.blob(e.id, &path)?
            };
            found.insert(path, content);
        }
        Ok(found
            .into_iter()
            .map(|(path, content)| RawFile { path, content })
            .collect())
    }

    /// In a pre-receive hook the pushed objects sit in a quarantine directory
    /// that gix does not read on its own: load them into memory (never disk).
    fn overlay_quarantine(&mut self) -> Result<(), HistoryError> {
        use gix::prelude::Find;
        let Some(q) = std::env::var_os("GIT_QUARANTINE_PATH") else {
            return Ok(());
        };
        let read = |e: &dyn std::fmt::Display| HistoryError::Read(format!("quarantine: {e}"));
        let odb = gix::odb::at(PathBuf::from(q), self.repo.object_hash()).map_err(|e| read(&e))?;
        let mut storage = gix::odb::memory::Storage::default();
        let mut buf = Vec::new();
        for id in odb.iter().map_err(|e| read(&e))? {
            let id = id.map_err(|e| read(&e))?;
            if let Some(data) = odb.try_find(&id, &mut buf).map_err(|e| read(&e))? {
                storage.insert(id, (data.kind, data.data.to_vec()));
            }
        }
        self.repo.objects.set_object_memory(storage);
        Ok(())
    }
}
