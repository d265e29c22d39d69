//! The README's code blocks as the tests read them, so what the README shows
//! is what the tests run or compare (install commands, the configuration
//! defaults, editor setups) and the two cannot drift apart.
//!
//! A block is named by an HTML comment (invisible on GitHub) on the last
//! non-blank line before its opening fence: `<!-- NAME -->` or
//! `<!-- NAME: TAG -->`. A region `<!-- NAME -->` … `<!-- /NAME -->` groups
//! the blocks between its two lines.

use std::ops::Range;
use std::path::PathBuf;

/// One fenced code block of the README.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The fence's info string (`sh`, `toml`, …).
    pub lang: String,
    /// The HTML comment on the last non-blank line before the fence, without
    /// `<!--` and `-->`, trimmed; empty when there is none.
    pub tag: String,
    /// The block's text, every line with its newline.
    pub body: String,
    /// Where `body` sits in the README.
    pub range: Range<usize>,
    /// The 1-based line of the opening fence.
    pub line: usize,
}

/// The README's path.
pub(crate) fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The README's text.
pub(crate) fn text() -> String {
    std::fs::read_to_string(path()).expect("README.md is readable")
}

/// Every fenced block of `text`, in order.
pub(crate) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut last_nonblank = "";
    let mut open: Option<(String, String, usize, usize)> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        match &open {
            None if trimmed.starts_with("```") => {
                let tag = last_nonblank
                    .strip_prefix("<!--")
                    .and_then(|t| t.strip_suffix("-->"))
                    .map(|t| t.trim().to_string())
                    .unwrap_or_default();
                let lang = trimmed.trim_start_matches('`').trim().to_string();
                open = Some((lang, tag, offset + line.len(), i + 1));
            }
            Some((lang, tag, start, first)) if trimmed == "```" => {
                out.push(Block {
                    lang: lang.clone(),
                    tag: tag.clone(),
                    body: text[*start..offset].to_string(),
                    range: *start..offset,
                    line: *first,
                });
                open = None;
            }
            _ => {}
        }
        if !trimmed.is_empty() {
            last_nonblank = trimmed;
        }
        offset += line.len();
    }
    out
}

/// The one block of `text` tagged `<!-- NAME -->` or `<!-- NAME: … -->`.
pub(crate) fn block(text: &str, name: &str) -> Block {
    let found: Vec<Block> = blocks(text)
        .into_iter()
        .filter(|b| b.tag == name || b.tag.starts_with(&format!("{name}:")))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "README.md must have exactly one block tagged `<!-- {name} -->`"
    );
    found.into_iter().next().expect("one block")
}

/// The blocks inside every region `<!-- NAME -->` … `<!-- /NAME -->` of
/// `text`, in order.
pub(crate) fn region_blocks(text: &str, name: &str) -> Vec<Block> {
    let (open, close) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find(&open).map(|i| from + i) {
        let end = text[start..]
            .find(&close)
            .map(|i| start + i)
            .unwrap_or_else(|| panic!("README.md: `{open}` without `{close}`"));
        ranges.push(start..end);
        from = end;
    }
    assert!(!ranges.is_empty(), "README.md has no `{open}` region");
    blocks(text)
        .into_iter()
        .filter(|b| ranges.iter().any(|r| r.contains(&b.range.start)))
        .collect()
}
