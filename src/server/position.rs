//! Byte offsets ↔ LSP positions. Spans are byte ranges; the protocol counts
//! lines from 0 and columns in UTF-16 code units, so `É` is one unit and
//! `👩` two, whatever their UTF-8 length.

use lsp_types::{Position, Range};

/// The line starts of one text, for converting in both directions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index `text` (lines end at `\n`; a `\r` before it stays on its line).
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, snapped back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte span.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position; a line past the end is the end of the
    /// text, a column past the end of its line is the line's end, and a
    /// column inside a surrogate pair is the character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |e| e - 1);
        let line = &self.text[start..end];
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units + c.len_utf16() > pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The position just past the last character.
    pub fn end(&self) -> Position {
        self.position(self.text.len())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let text = "a = \"Émile 👩‍💻\"\nb = 1\r\nc";
        let ix = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(ix.position(b), Position::new(1, 0));
        let close = text.rfind('"').unwrap();
        // a = " (5) + Émile (5) + space (1) + 👩 (2) + ZWJ (1) + 💻 (2)
        assert_eq!(ix.position(close), Position::new(0, 16));
        assert_eq!(ix.offset(Position::new(0, 16)), close);
        assert_eq!(
            ix.offset(Position::new(1, 99)),
            text.find('\r').unwrap() + 1
        );
        assert_eq!(ix.offset(Position::new(9, 0)), text.len());
        // inside the surrogate pair of 👩: the character's start
        let woman = text.find('👩').unwrap();
        assert_eq!(ix.offset(Position::new(0, 12)), woman);
        assert_eq!(ix.position(woman + 1), ix.position(woman));
        assert_eq!(ix.end(), Position::new(2, 1));
    }
}
