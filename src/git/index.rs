//! What the index holds: the roadmap files staged (what the pre-commit
//! hook and `check --staged` judge), and the staged blobs and entries the
//! sign-off gate asks about for the commit being made.

use super::error::GitError;
use super::repo::GitRepo;
use crate::globs;
use crate::source::{RawFile, Refusal};
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap};

/// One stage-0 entry of the index.
pub(crate) struct StagedEntry {
    /// Its path.
    pub(crate) path: String,
    /// Its object id.
    pub(crate) id: ObjectId,
    /// Whether it is a symbolic link.
    pub(crate) symlink: bool,
}

impl GitRepo {
    /// The staged regular files (stage 0) that `wanted` selects, by path.
    pub(crate) fn staged_blobs(
        &self,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<HashMap<String, ObjectId>, GitError> {
        use gix::index::entry::Mode;
        Ok(self
            .staged_entries_where(&|e| e.mode == Mode::FILE || e.mode == Mode::FILE_EXECUTABLE)?
            .into_iter()
            .filter(|e| wanted(&e.path))
            .map(|e| (e.path, e.id))
            .collect())
    }

    /// The stage-0 entries whose paths start with `prefix`.
    pub(crate) fn staged_under(&self, prefix: &str) -> Result<Vec<StagedEntry>, GitError> {
        Ok(self
            .staged_entries_where(&|_| true)?
            .into_iter()
            .filter(|e| e.path.starts_with(prefix))
            .collect())
    }

    /// The stage-0 entries of the index that `keep` keeps.
    fn staged_entries_where(
        &self,
        keep: &dyn Fn(&gix::index::Entry) -> bool,
    ) -> Result<Vec<StagedEntry>, GitError> {
        let index = self
            .repo
            .index_or_empty()
            .map_err(|e| GitError::git("index", e))?;
        Ok(index
            .entries()
            .iter()
            .filter(|e| e.stage_raw() == 0 && keep(e))
            .map(|e| StagedEntry {
                path: e.path(&index).to_str_lossy().into_owned(),
                id: e.id,
                symlink: e.mode == gix::index::entry::Mode::SYMLINK,
            })
            .collect())
    }

    /// The roadmap files of a sparse index's collapsed folder `dir` (its
    /// tree `tree`): the index is expanded there, never "no files".
    fn files_in_sparse_dir(
        &self,
        dir: &str,
        tree: ObjectId,
        set: &globset::GlobSet,
        found: &mut BTreeMap<String, Result<Vec<u8>, Refusal>>,
    ) -> Result<(), GitError> {
        for e in self
            .everything_under(tree, dir)?
            .into_iter()
            .filter(|e| !e.mode.is_tree())
        {
            let path = format!(
                "{}/{}",
                dir.trim_end_matches('/'),
                e.filepath.to_str_lossy()
            );
            if !set.is_match(&path) {
                continue;
            }
            let content = if e.mode.is_link() {
                Err(Refusal::Symlink)
            } else if e.mode.is_commit() {
                Err(Refusal::NotRegular("submodule"))
            } else {
                self.blob(e.oid, &path)?
            };
            found.insert(path, content);
        }
        Ok(())
    }

    /// The roadmap files in the index (honouring `GIT_INDEX_FILE`).
    pub fn staged_files(&self, globs: &[String]) -> Result<Vec<RawFile>, GitError> {
        let set = globs::compile(globs).map_err(|e| GitError::git("the roadmap globs", e))?;
        let index = self
            .repo
            .index_or_empty()
            .map_err(|e| GitError::git("index", e))?;
        let mut found = BTreeMap::new();
        for e in index.entries() {
            if e.flags.contains(gix::index::entry::Flags::INTENT_TO_ADD) {
                continue;
            }
            let path = e.path(&index).to_str_lossy().into_owned();
            if e.mode.is_sparse() {
                self.files_in_sparse_dir(&path, e.id, &set, &mut found)?;
                continue;
            }
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
}
