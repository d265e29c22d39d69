//! The digest of the history cache: what a warm run needs, counted.
//!
//! Re-running on an unchanged branch is the common case: every pre-commit run
//! between two commits, every CI re-run, every `report` after a `check`. The
//! per-commit cache already spares such a run all git work, but it still reads
//! and indexes a record per commit with its id and parents. The digest holds
//! only what the facts are made of: per commit its committer time, whether it
//! is a merge and its interned inputs (type, trailer, subject, author, author
//! time — what classification and effort read), and, per cached path, the
//! commits that changed it, with the blobs and messages the path rules read for
//! them. A warm run reads one small file and no git object.
//!
//! It is derived from the cache when that is saved, written beside it under
//! the same guarantees (atomic rename, checksum, silently ignored when wrong),
//! and only used for the tip it was made for. A commit the run must classify
//! whose inputs the cache does not hold, or a path covered from a later time
//! than a rule needs, sends the run down the per-commit path, which then
//! refreshes it.

use crate::git::commit::{PathChange, WalkedCommit};

use super::store;
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The counted history from one tip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Digest {
    /// The item trailer the commits were classified with (lower case).
    pub item_trailer: String,
    /// The tip the walk started from.
    pub tip: ObjectId,
    /// Commits reachable from the tip.
    pub commits: u64,
    /// Merge commits among them.
    pub merges: u64,
    /// The cached paths and the commits that changed them.
    pub paths: Vec<PathDigest>,
    /// Blobs and raw commit messages the path rules read, by id (empty when
    /// there were too many to keep).
    pub objects: Vec<(ObjectId, Vec<u8>)>,
    /// Corrected committer times the gate worked out, by commit (so that
    /// dating a judged commit reads no ancestry).
    pub corrected: Vec<(ObjectId, i64)>,
}

/// The commits that changed one path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct PathDigest {
    /// The path.
    pub path: String,
    /// Every non-merge commit at or after this time (seconds) is covered.
    pub from: i64,
    /// Every merge at or after `from` is covered too (the sign-off gate
    /// judges merges): those that changed the path are among `changes`.
    pub merges: bool,
    /// Covered commits that changed the path, newest first: (position in
    /// the walk, the commit, the change).
    pub changes: Vec<(u32, WalkedCommit, PathChange)>,
}

impl Digest {
    /// Write the digest to `file`. Whether it was written.
    pub(super) fn write(&self, file: &Path) -> bool {
        store::write(file, KIND, self)
    }

    /// The digest in `file` if it was made for `tip` and commits classified
    /// with `item_trailer`; `None` on any problem.
    pub(super) fn read(file: &Path, item_trailer: &str, tip: ObjectId) -> Option<Digest> {
        let d: Digest = store::read(file, KIND)?;
        let valid = d.item_trailer == item_trailer.to_ascii_lowercase() && d.tip == tip;
        valid.then_some(d)
    }
}

/// The kind of file in the store's header.
const KIND: &str = "digest";

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn digest() -> Digest {
        let commit = WalkedCommit {
            id: id(1),
            time: 1_700_000_000,
            parents: 1,
            first_parent: Some(id(2)),
            graph_position: None,
        };
        Digest {
            item_trailer: "roadmap-item".into(),
            tip: id(1),
            commits: 2,
            merges: 0,
            paths: vec![PathDigest {
                path: "roadmap/technology.toml".into(),
                from: i64::MIN,
                merges: true,
                changes: vec![(0, commit, (None, Some(id(3))))],
            }],
            objects: vec![
                (id(3), b"[[technology]]\n".to_vec()),
                (id(1), b"feat: x\n".to_vec()),
            ],
            corrected: vec![(id(2), 1_700_000_000)],
        }
    }

    #[test]
    fn a_digest_reads_back_as_written_and_only_for_its_tip_and_trailer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("d.rlhd");
        let d = digest();
        assert!(d.write(&file));
        assert_eq!(Digest::read(&file, "Roadmap-Item", id(1)), Some(d));
        assert_eq!(
            Digest::read(&file, "Roadmap-Item", id(9)),
            None,
            "another tip"
        );
        assert_eq!(Digest::read(&file, "Refs", id(1)), None, "another trailer");
        let mut bytes = std::fs::read(&file).expect("digest");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&file, bytes).expect("corrupt it");
        assert_eq!(Digest::read(&file, "Roadmap-Item", id(1)), None, "corrupt");
    }
}
