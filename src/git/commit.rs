//! A commit as the git layer hands it on: the walk's view of it (id, time,
//! parents), the change it made to a path, and the message part of its raw
//! object. The leaf the rest of the git layer and the history build on.

use gix::bstr::ByteSlice;
use gix::ObjectId;

/// A commit as the walk sees it, without its message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WalkedCommit {
    /// Its id.
    pub id: ObjectId,
    /// Committer time, seconds since the epoch (UTC).
    pub time: i64,
    /// Number of parents (2+ is a merge).
    pub parents: u32,
    /// The first parent, if any.
    pub first_parent: Option<ObjectId>,
    /// Its position in the commit-graph the walk used, if any: root trees
    /// are then read from the graph without looking the commit up. Never
    /// persisted (a rewritten graph moves commits).
    #[serde(skip)]
    pub graph_position: Option<u32>,
}

/// A blob-level change of one path in one commit: (before, after).
pub(crate) type PathChange = (Option<ObjectId>, Option<ObjectId>);

/// The message of a raw commit object: everything after the header.
pub(crate) fn raw_message(data: &[u8]) -> &[u8] {
    data.find(b"\n\n").map_or(&[][..], |pos| &data[pos + 2..])
}

/// The value of the `author` header line of a raw commit object, if any.
pub(crate) fn author_line(data: &[u8]) -> Option<&[u8]> {
    let header = data.find(b"\n\n").map_or(data, |end| &data[..end]);
    header
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(b"author "))
}
