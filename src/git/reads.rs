//! Reads the sign-off gate makes of single commits and trees: a commit's
//! time, parents, encoding and bounded message; the commits a merge brings
//! in; the folders at a few paths of a tree and the regular files under a
//! folder; whether a blob is small and loose.

use super::error::GitError;
use super::message::bounded_message;
use super::repo::GitRepo;
use gix::bstr::ByteSlice;
use gix::ObjectId;

/// What the gate reads of one commit.
pub(crate) struct CommitParts {
    /// Committer time, seconds (UTC).
    pub(crate) time: i64,
    /// Parents, first parent first.
    pub(crate) parents: Vec<ObjectId>,
    /// The `encoding` header, if any.
    pub(crate) encoding: Option<Vec<u8>>,
    /// The message, within the message cap.
    pub(crate) message: Vec<u8>,
}

impl GitRepo {
    /// The committer time and parents of commit `id`.
    pub(crate) fn time_and_parents(&self, id: ObjectId) -> Result<(i64, Vec<ObjectId>), GitError> {
        let (commit, time) = self.commit_and_time(id)?;
        Ok((time, commit.parent_ids().map(|p| p.detach()).collect()))
    }

    /// The time, parents, encoding and (bounded) message of commit `id`.
    pub(crate) fn commit_parts(&self, id: ObjectId) -> Result<CommitParts, GitError> {
        let (commit, time) = self.commit_and_time(id)?;
        let parents = commit.parent_ids().map(|p| p.detach()).collect();
        let encoding = commit
            .decode()
            .ok()
            .and_then(|c| c.encoding.map(|e| e.to_vec()));
        let message = bounded_message(commit.message_raw_sloppy()).to_vec();
        Ok(CommitParts {
            time,
            parents,
            encoding,
            message,
        })
    }

    /// Commit `id` and its committer time.
    fn commit_and_time(&self, id: ObjectId) -> Result<(gix::Commit<'_>, i64), GitError> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|e| self.missing(id, None, e))?;
        let time = commit
            .time()
            .map_err(|e| self.missing(id, None, e))?
            .seconds;
        Ok((commit, time))
    }

    /// The commits reachable from `tips` but not from `hidden`.
    pub(crate) fn commits_between(
        &self,
        tips: &[ObjectId],
        hidden: ObjectId,
    ) -> Result<Vec<ObjectId>, GitError> {
        let walk = self
            .repo
            .rev_walk(tips.iter().copied())
            .use_commit_graph(self.graph_sound())
            .with_hidden([hidden])
            .all()
            .map_err(|e| GitError::git("walking a merge's branch", e))?;
        let mut out = Vec::new();
        for info in walk {
            out.push(
                info.map_err(|e| GitError::git("walking a merge's branch", e))?
                    .id,
            );
        }
        Ok(out)
    }

    /// The folder at each of `paths` in `tree` (`""` is `tree` itself).
    pub(crate) fn folders_at(
        &self,
        tree: ObjectId,
        paths: &[String],
    ) -> Result<Vec<Option<ObjectId>>, GitError> {
        let root = self
            .repo
            .find_tree(tree)
            .map_err(|e| self.missing(tree, None, e))?;
        let mut out = Vec::with_capacity(paths.len());
        for p in paths {
            if p.is_empty() {
                out.push(Some(tree));
                continue;
            }
            let entry = root
                .lookup_entry(p.split('/'))
                .map_err(|e| self.missing(tree, Some(p), e))?;
            out.push(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()));
        }
        Ok(out)
    }

    /// The regular files under the folder `tree` (at `path`, which errors
    /// name), each with its path relative to the folder and its blob id.
    pub(crate) fn files_under(
        &self,
        tree: ObjectId,
        path: &str,
    ) -> Result<Vec<(String, ObjectId)>, GitError> {
        Ok(self
            .everything_under(tree, path)?
            .into_iter()
            .filter(|e| e.mode.is_blob())
            .map(|e| (e.filepath.to_str_lossy().into_owned(), e.oid))
            .collect())
    }

    /// Every entry under the folder `tree` (at `path`, which errors name),
    /// breadth first, with its path relative to the folder.
    pub(crate) fn everything_under(
        &self,
        tree: ObjectId,
        path: &str,
    ) -> Result<Vec<gix::traverse::tree::recorder::Entry>, GitError> {
        self.repo
            .find_tree(tree)
            .map_err(|e| self.missing(tree, Some(path), e))?
            .traverse()
            .breadthfirst
            .files()
            .map_err(|e| self.missing(tree, Some(path), e))
    }
}

/// The largest loose object file read without looking at its header
/// first: zlib inflates at most about 1,032 bytes out of one, so reading it
/// whole holds at most about 4 MiB.
const SMALL_LOOSE_BYTES: u64 = 4096;

impl GitRepo {
    /// Whether `id` is a loose object of this repository's own object
    /// folder whose file holds at most [`SMALL_LOOSE_BYTES`]: one read
    /// of it (inflating at most a thousand times that) costs less than
    /// reading its header first and then the whole object, which opens and
    /// inflates the file twice.
    pub(super) fn is_small_loose(&self, id: ObjectId) -> bool {
        let hex = id.to_hex().to_string();
        let file = self
            .repo
            .objects
            .store_ref()
            .path()
            .join(&hex[..2])
            .join(&hex[2..]);
        std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file() && m.len() <= SMALL_LOOSE_BYTES)
    }
}
