//! What a repository is, for whoever keeps data about it between runs (the
//! history cache): where its directories are, its hash, and whether the
//! ancestry of a commit id can change in it (replace refs, a shallow
//! boundary).

use super::repo::GitRepo;
use gix::ObjectId;
use std::path::Path;

impl GitRepo {
    /// The common git directory (shared by linked work trees).
    pub(crate) fn common_dir(&self) -> &Path {
        self.repo.common_dir()
    }

    /// The work tree, if the repository has one.
    pub(crate) fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// Whether object ids are SHA-1.
    pub(crate) fn is_sha1(&self) -> bool {
        self.repo.object_hash() == gix::hash::Kind::Sha1
    }

    /// Whether `refs/replace/` holds anything (replacements change
    /// ancestry); `true` when the refs cannot be read.
    pub(crate) fn has_replacements(&self) -> bool {
        let Ok(refs) = self.repo.references() else {
            return true;
        };
        match refs.prefixed("refs/replace/") {
            Ok(mut it) => it.next().is_some(),
            Err(_) => true,
        }
    }

    /// The shallow boundary (sorted), or `None` for a complete clone; a
    /// boundary that cannot be read counts as none, as gix reads it.
    pub(crate) fn shallow_boundary(&self) -> Option<Vec<ObjectId>> {
        match self.repo.shallow_commits() {
            Ok(Some(b)) => Some(b.iter().copied().collect()),
            _ => None,
        }
    }

    /// Whether this may be a shallow clone (a boundary, or one that cannot
    /// be read).
    pub(crate) fn maybe_shallow(&self) -> bool {
        !matches!(self.repo.shallow_commits(), Ok(None))
    }
}
