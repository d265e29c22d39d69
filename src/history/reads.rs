//! Two reads of the git layer that fail as a [`HistoryError`], for callers
//! that hand a read's result on as their own (`Agreements` and the
//! commit-msg hook): `git::GitRepo::blob_id_at` and
//! `git::GitRepo::staged_files` under the names those callers use.

use super::error::HistoryError;
use crate::git::{GitRepo, ObjectId};
use crate::source::RawFile;

/// [`GitRepo`]'s reads with the history's error type.
pub trait HistoryReads {
    /// The blob id at `path` in `tree` (see `GitRepo::blob_id_at`).
    fn entry_at(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>, HistoryError>;
    /// The roadmap files in the index (see `GitRepo::staged_files`).
    fn files_in_index(&self, globs: &[String]) -> Result<Vec<RawFile>, HistoryError>;
}

impl HistoryReads for GitRepo {
    #[inline]
    fn entry_at(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>, HistoryError> {
        Ok(self.blob_id_at(tree, path)?)
    }

    #[inline]
    fn files_in_index(&self, globs: &[String]) -> Result<Vec<RawFile>, HistoryError> {
        Ok(self.staged_files(globs)?)
    }
}
