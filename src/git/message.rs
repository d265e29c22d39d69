//! A commit message read within bounded memory: a huge message is reduced to
//! what rules read of it (its subject and its last paragraph, where the
//! trailers are), without splitting the rest into lines.

use crate::limits::{MAX_MESSAGE_BYTES, MAX_MESSAGE_PART_BYTES};
use std::borrow::Cow;

/// A message as rules read it, within bounded memory: a message up to
/// [`MAX_MESSAGE_BYTES`] is itself; a larger one is reduced to its subject
/// (the first paragraph, up to [`MAX_MESSAGE_PART_BYTES`]) and its last
/// paragraph (where git looks for trailers; dropped when longer than
/// [`MAX_MESSAGE_PART_BYTES`]), found from the message's tail without
/// splitting the rest into lines.
pub fn bounded_message(message: &[u8]) -> Cow<'_, [u8]> {
    if message.len() <= MAX_MESSAGE_BYTES {
        return Cow::Borrowed(message);
    }
    let mut reducer = Reducer::default();
    for line in message.split_inclusive(|b| *b == b'\n') {
        reducer.push(line, false);
    }
    Cow::Owned(reducer.finish())
}

/// Reduces a message fed line by line to its subject and last paragraph,
/// holding at most twice [`MAX_MESSAGE_PART_BYTES`]; the commit-msg hook
/// feeds it from the message file so a huge file is never held whole.
#[derive(Default)]
pub struct Reducer {
    lines: usize,
    subject: Vec<u8>,
    in_body: bool,
    paragraph: Vec<u8>,
    /// A blank line followed the paragraph: the next line starts another.
    closed: bool,
    /// The paragraph outgrew the cap: it holds no trailers.
    overflow: bool,
}

impl Reducer {
    /// Feed one line (with its `\n`); `truncated` when the caller kept only
    /// its start (the line is then longer than the cap and not blank).
    pub fn push(&mut self, line: &[u8], truncated: bool) {
        let text = line
            .strip_suffix(b"\n")
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .unwrap_or(line);
        self.lines += 1;
        if !self.in_body {
            // The subject ends at the first empty line after the first line.
            if self.lines > 1 && text.is_empty() && !truncated {
                self.in_body = true;
                return;
            }
            let room = MAX_MESSAGE_PART_BYTES.saturating_sub(self.subject.len());
            self.subject
                .extend_from_slice(&line[..line.len().min(room)]);
            return;
        }
        if !truncated && text.iter().all(u8::is_ascii_whitespace) {
            self.closed = true;
            return;
        }
        if self.closed {
            self.paragraph.clear();
            self.overflow = false;
            self.closed = false;
        }
        if truncated || self.overflow || self.paragraph.len() + line.len() > MAX_MESSAGE_PART_BYTES
        {
            self.paragraph = Vec::new();
            self.overflow = true;
            return;
        }
        self.paragraph.extend_from_slice(line);
    }

    /// The reduced message: subject, an empty line, the last paragraph.
    pub fn finish(self) -> Vec<u8> {
        let mut out = self.subject;
        while out.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            out.pop();
        }
        out.extend_from_slice(b"\n\n");
        if !self.overflow {
            out.extend_from_slice(&self.paragraph);
        }
        out
    }
}
