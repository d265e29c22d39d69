//! Source files as the tool saw them: the text, its repository-relative path, and
//! the byte offset → line/column arithmetic every output format shares.
//!
//! Spans are byte ranges into [`SourceFile::text`]. Columns are counted in
//! characters (1-based) so that they match what an editor shows.

use std::ops::Range;

/// A byte range into one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// This span as a `Range`.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A value with the byte span of the text it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where the value stands in its file.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wrap `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// One file's text, kept so diagnostics can quote it and compute positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// The file's text (invalid UTF-8 replaced, so that it can be displayed).
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceFile {
    /// A file at `path` holding `text`.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The line and column of a byte offset (clamped to the text, snapped back
    /// to a character boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        LineCol {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// Start and end position of a span; the end column is exclusive, as in SARIF.
    pub fn span_positions(&self, span: Span) -> (LineCol, LineCol) {
        (self.line_col(span.start), self.line_col(span.end))
    }

    /// The span of the whole first line, used when an error has no position.
    pub fn first_line(&self) -> Span {
        let end = self.text.find(['\n', '\r']).unwrap_or(self.text.len());
        Span::new(0, end)
    }
}

/// Every file a run has read: roadmap files and the configuration.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
    config: Option<FileId>,
    presets: Vec<FileId>,
    /// Other files diagnostics point into (the allowed-signers file):
    /// neither roadmap nor configuration.
    asides: Vec<FileId>,
}

impl Sources {
    /// Add a file and return its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    /// Add the configuration file and return its id.
    pub fn add_config(&mut self, file: SourceFile) -> FileId {
        let id = self.add(file);
        self.config = Some(id);
        id
    }

    /// Add a preset the configuration extends (SPEC §9.8) and return its id.
    pub(crate) fn add_preset(&mut self, file: SourceFile) -> FileId {
        let id = self.add(file);
        self.presets.push(id);
        id
    }

    /// Add a file that is neither roadmap nor configuration but that a
    /// diagnostic points into (the allowed-signers file, SPEC §9.4).
    pub(crate) fn add_aside(&mut self, file: SourceFile) -> FileId {
        let id = self.add(file);
        self.asides.push(id);
        id
    }

    /// Every file except the configuration, its presets and the files set
    /// aside, in the order added.
    pub fn roadmap_files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i), f))
            .filter(move |(id, _)| {
                Some(*id) != self.config && !self.presets.contains(id) && !self.asides.contains(id)
            })
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// How many files are held.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is held.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Why a roadmap file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link: never followed.
    Symlink,
    /// Larger than [`crate::limits::MAX_FILE_BYTES`].
    TooLarge(u64),
    /// A FIFO, socket or device: skipped.
    NotRegular(&'static str),
    /// The file could not be read.
    Unreadable(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Symlink => f.write_str("symlink not followed"),
            Refusal::TooLarge(n) => write!(f, "file is too large ({n} bytes), not read"),
            Refusal::NotRegular(kind) => write!(f, "a {kind} is not a regular file, not read"),
            Refusal::Unreadable(e) => write!(f, "cannot read the file: {e}"),
        }
    }
}

/// A roadmap file as discovery found it.
#[derive(Clone, Debug)]
pub struct RawFile {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// The bytes, or why they were not read.
    pub content: Result<Vec<u8>, Refusal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a.toml", "ab\nçd = 1\r\nx");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'd' follows the two-byte 'ç'
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_col(12), LineCol { line: 3, column: 1 });
        // inside a multi-byte char snaps back
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 });
        // beyond the end clamps
        assert_eq!(f.line_col(999).line, 3);
    }

    #[test]
    fn first_line_stops_at_cr_or_lf() {
        assert_eq!(
            SourceFile::new("a", "abc\r\nd").first_line(),
            Span::new(0, 3)
        );
        assert_eq!(SourceFile::new("a", "").first_line(), Span::new(0, 0));
    }
}
