//! The digest of the history cache: what a warm run needs, counted.
//!
//! Re-running on an unchanged branch is the common case: every pre-commit run
//! between two commits, every CI re-run, every `report` after a `check`. The
//! per-commit cache already spares such a run all git work, but it still reads
//! and indexes a record per commit, which grows with the history. The digest
//! holds only what the facts are made of: the number of commits per (month,
//! merge or not, Conventional Commits type, item trailer), and, per cached
//! path, the commits that changed it, with the blobs and messages the path
//! rules read for them. A warm run reads a few kilobytes whatever the length of
//! the history, and no git object.
//!
//! It is derived from the cache when that is saved, written beside it under
//! the same guarantees (atomic rename, checksum, silently ignored when wrong),
//! and only used for the tip it was made for. A month some of whose commits the
//! cache has not classified, or a path covered from a later time than a rule
//! needs, sends the run down the per-commit path, which then refreshes it.

use super::cache::{In, Out, PathChange};
use super::classify::MessageKey;
use super::walk::WalkedCommit;
use gix::ObjectId;
use std::path::Path;

const MAGIC: &[u8; 8] = b"RLHD\0\0\0\x02";

/// The counted history from one tip.
#[derive(Clone, Debug, PartialEq)]
pub struct Digest {
    /// The tip the walk started from.
    pub tip: ObjectId,
    /// Commits reachable from the tip.
    pub commits: u64,
    /// Commits per month and merge-ness, by classification inputs.
    pub groups: Vec<Group>,
    /// The cached paths and the commits that changed them.
    pub paths: Vec<PathDigest>,
    /// Blobs and raw commit messages the path rules read, by id (empty when
    /// there were too many to keep).
    pub objects: Vec<(ObjectId, Vec<u8>)>,
}

/// The commits of one calendar month (UTC), merges or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// Whether these are merge commits.
    pub merge: bool,
    /// Whether every commit of the group is counted (the cache may not have
    /// classified all of them).
    pub complete: bool,
    /// Commits per classification inputs.
    pub counts: Vec<(MessageKey, u64)>,
}

/// The commits that changed one path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathDigest {
    /// The path.
    pub path: String,
    /// Every non-merge commit at or after this time (seconds) is covered.
    pub from: i64,
    /// Covered non-merge commits that changed the path, newest first:
    /// (position in the walk, the commit, the change).
    pub changes: Vec<(u32, WalkedCommit, PathChange)>,
}

impl Digest {
    /// Write the digest of commits classified with `item_trailer`.
    pub(super) fn write(&self, w: &mut Out, item_trailer: &str) -> std::io::Result<()> {
        w.header(MAGIC)?;
        w.str(item_trailer)?;
        w.bytes(self.tip.as_bytes())?;
        w.bytes(&self.commits.to_le_bytes())?;
        w.u32(self.groups.len() as u32)?;
        for g in &self.groups {
            w.bytes(&g.year.to_le_bytes())?;
            w.bytes(&[g.month, u8::from(g.merge), u8::from(g.complete)])?;
            w.u32(g.counts.len() as u32)?;
            for (key, n) in &g.counts {
                w.opt_str(&key.ty)?;
                w.opt_str(&key.item)?;
                w.bytes(&n.to_le_bytes())?;
            }
        }
        w.u32(self.paths.len() as u32)?;
        for p in &self.paths {
            w.str(&p.path)?;
            w.bytes(&p.from.to_le_bytes())?;
            w.u32(p.changes.len() as u32)?;
            for (i, c, (before, after)) in &p.changes {
                w.u32(*i)?;
                w.bytes(c.id.as_bytes())?;
                w.bytes(&c.time.to_le_bytes())?;
                w.u32(c.parents)?;
                w.opt_id(&c.first_parent)?;
                w.opt_id(before)?;
                w.opt_id(after)?;
            }
        }
        w.u32(self.objects.len() as u32)?;
        for (id, bytes) in &self.objects {
            w.bytes(id.as_bytes())?;
            w.u32(bytes.len() as u32)?;
            w.bytes(bytes)?;
        }
        Ok(())
    }

    /// The digest in `file` if it was made for `tip` and commits classified
    /// with `item_trailer`; `None` on any problem.
    pub fn read(file: &Path, item_trailer: &str, tip: ObjectId) -> Option<Digest> {
        let (mut r, sum) = In::open(file, MAGIC)?;
        if r.str()? != item_trailer.to_ascii_lowercase() {
            return None;
        }
        if r.id()? != tip {
            return None;
        }
        let commits = u64::from_le_bytes(r.array::<8>()?);
        let mut groups = Vec::new();
        for _ in 0..r.count()? {
            let year = i32::from_le_bytes(r.array::<4>()?);
            let [month, merge, complete] = r.array::<3>()?;
            if !(1..=12).contains(&month) || merge > 1 || complete > 1 {
                return None;
            }
            let mut counts = Vec::new();
            for _ in 0..r.count()? {
                let key = MessageKey {
                    ty: r.opt_str()?,
                    item: r.opt_str()?,
                };
                counts.push((key, u64::from_le_bytes(r.array::<8>()?)));
            }
            groups.push(Group {
                year,
                month,
                merge: merge == 1,
                complete: complete == 1,
                counts,
            });
        }
        let mut paths = Vec::new();
        for _ in 0..r.count()? {
            let path = r.str()?;
            let from = i64::from_le_bytes(r.array::<8>()?);
            let mut changes = Vec::new();
            for _ in 0..r.count()? {
                let i = u32::from_le_bytes(r.array::<4>()?);
                let id = r.id()?;
                let time = i64::from_le_bytes(r.array::<8>()?);
                let parents = u32::from_le_bytes(r.array::<4>()?);
                let first_parent = r.opt_id()?;
                let change = (r.opt_id()?, r.opt_id()?);
                let commit = WalkedCommit {
                    id,
                    time,
                    parents,
                    first_parent,
                    graph_position: None,
                };
                changes.push((i, commit, change));
            }
            paths.push(PathDigest {
                path,
                from,
                changes,
            });
        }
        let mut objects = Vec::new();
        for _ in 0..r.count()? {
            let id = r.id()?;
            objects.push((id, r.blob()?));
        }
        r.finish(sum)?;
        Some(Digest {
            tip,
            commits,
            groups,
            paths,
            objects,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::cache::write_atomically;

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
            tip: id(1),
            commits: 2,
            groups: vec![Group {
                year: 2023,
                month: 11,
                merge: false,
                complete: true,
                counts: vec![(
                    MessageKey {
                        ty: Some("feat".into()),
                        item: None,
                    },
                    2,
                )],
            }],
            paths: vec![PathDigest {
                path: "roadmap/technology.toml".into(),
                from: i64::MIN,
                changes: vec![(0, commit, (None, Some(id(3))))],
            }],
            objects: vec![
                (id(3), b"[[technology]]\n".to_vec()),
                (id(1), b"feat: x\n".to_vec()),
            ],
        }
    }

    #[test]
    fn a_digest_reads_back_as_written_and_only_for_its_tip_and_trailer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("d.rlhd");
        let d = digest();
        assert!(write_atomically(&file, |w| d.write(w, "roadmap-item")));
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
