//! A commit as the git layer hands it on: the walk's view of it (id, time,
//! parents), the change it made to a path, and the message part of its raw
//! object. The leaf the rest of the git layer and the history build on.

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

/// Where the header of a raw commit object ends: the offset of the empty
/// line's newline (the first of two in a row). Found newline by newline,
/// because a substring search builds a searcher per call, and this runs once
/// or twice for every commit of a cold walk.
fn header_end(data: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\n', &data[from..]) {
        let pos = from + at;
        if data.get(pos + 1) == Some(&b'\n') {
            return Some(pos);
        }
        from = pos + 1;
    }
    None
}

/// The message of a raw commit object: everything after the header.
pub(crate) fn raw_message(data: &[u8]) -> &[u8] {
    header_end(data).map_or(&[][..], |pos| &data[pos + 2..])
}

/// The value of the `author` header line of a raw commit object, if any.
pub(crate) fn author_line(data: &[u8]) -> Option<&[u8]> {
    let header = header_end(data).map_or(data, |end| &data[..end]);
    header
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(b"author "))
}

/// The committer time (seconds since the epoch) of a raw commit object, if
/// its header has a committer line that ends in one; read without parsing
/// the rest of the header.
pub(crate) fn committer_time(data: &[u8]) -> Option<i64> {
    let header = header_end(data).map_or(data, |end| &data[..end]);
    let line = header
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(b"committer "))?;
    let after = &line[line.iter().rposition(|b| *b == b'>')? + 1..];
    let seconds = after.trim_ascii_start().split(|b| *b == b' ').next()?;
    std::str::from_utf8(seconds).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &[u8] = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Ann <a@x> 1 +0000\ncommitter Ann <a@x> 1 +0000\n\nfeat: subject\n\nbody\n";

    #[test]
    fn the_message_starts_after_the_first_empty_line() {
        assert_eq!(raw_message(RAW), b"feat: subject\n\nbody\n");
        assert_eq!(raw_message(b"tree x\nauthor A\n"), b"");
        assert_eq!(raw_message(b"tree x\n\n"), b"");
    }

    #[test]
    fn the_committer_time_is_the_number_after_the_address() {
        let raw = b"tree x\nauthor A <a@x> 5 +0000\ncommitter C <c@x>   1735732800 -0700\n\nmsg\ncommitter D <d@x> 9 +0000\n";
        assert_eq!(committer_time(raw), Some(1_735_732_800));
        assert_eq!(
            committer_time(b"tree x\ncommitter C <c@x> -5 +0000\n"),
            Some(-5)
        );
        assert_eq!(
            committer_time(b"tree x\n\ncommitter C <c@x> 5 +0000\n"),
            None
        );
        assert_eq!(committer_time(b"tree x\ncommitter C <c@x> soon\n"), None);
        assert_eq!(committer_time(b"tree x\ncommitter C c@x 5\n"), None);
    }

    #[test]
    fn the_author_is_read_from_the_header_only() {
        assert_eq!(author_line(RAW), Some(&b"Ann <a@x> 1 +0000"[..]));
        let in_body = b"tree x\ncommitter C\n\nauthor Mallory <m@x> 1 +0000\n";
        assert_eq!(author_line(in_body), None);
        assert_eq!(
            author_line(b"tree x\nauthor B <b@x> 2 +0000"),
            Some(&b"B <b@x> 2 +0000"[..])
        );
    }
}
