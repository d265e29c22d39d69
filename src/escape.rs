//! Keeping terminal control out of output.
//!
//! Text that comes from the repository (TOML values, commit subjects, names, the
//! quoted source lines of a diagnostic) may hold escape sequences. Nothing from
//! data ever reaches a terminal raw: control characters, C1 controls and bidi
//! overrides are written as visible escapes.

use std::borrow::Cow;

/// Whether `c` must never be printed raw: a control character (except
/// newline and tab) or any of Unicode's bidirectional controls (the
/// `Bidi_Control` property: the Arabic letter mark U+061C, the marks
/// U+200E/U+200F, the embeddings and overrides U+202A–U+202E and the
/// isolates U+2066–U+2069).
pub fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Escape every dangerous character of a one-line piece of data as `\u{…}`;
/// newlines and tabs become `\n` and `\t` so a value stays on one line.
pub fn escape_data(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_dangerous(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_dangerous(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escape dangerous characters of multi-line text (a diagnostic message), keeping
/// line breaks.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_dangerous) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_dangerous(c) && c != '\r' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else if c == '\r' {
            // a bare CR would move the cursor; CRLF pairs lose the CR harmlessly
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source text made safe to quote in a terminal, with a map from byte offsets
/// in the original text to offsets in the displayed one.
#[derive(Debug, Clone)]
pub struct DisplaySource {
    /// The text to display.
    pub text: String,
    /// (original offset, shift to add) for every replaced character, in order.
    shifts: Vec<(usize, isize)>,
}

impl DisplaySource {
    /// Replace each dangerous character (except the CR of a CRLF) with a visible
    /// `\u{…}` escape.
    pub fn new(original: &str) -> Self {
        let needs = original
            .char_indices()
            .any(|(i, c)| is_dangerous(c) && !(c == '\r' && original[i + 1..].starts_with('\n')));
        if !needs {
            return DisplaySource {
                text: original.to_owned(),
                shifts: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len() + 16);
        let mut shifts = Vec::new();
        let mut shift: isize = 0;
        for (i, c) in original.char_indices() {
            if is_dangerous(c) && !(c == '\r' && original[i + 1..].starts_with('\n')) {
                let esc = format!("\\u{{{:x}}}", c as u32);
                shift += esc.len() as isize - c.len_utf8() as isize;
                text.push_str(&esc);
                shifts.push((i + c.len_utf8(), shift));
            } else {
                text.push(c);
            }
        }
        DisplaySource { text, shifts }
    }

    /// The offset in the displayed text that corresponds to `offset` in the original.
    pub fn map(&self, offset: usize) -> usize {
        let idx = self.shifts.partition_point(|&(at, _)| at <= offset);
        let shift = if idx == 0 { 0 } else { self.shifts[idx - 1].1 };
        (offset as isize + shift).max(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_controls_and_bidi() {
        assert_eq!(escape_data("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_data("x\ny\tz"), "x\\ny\\tz");
        assert_eq!(escape_data("\u{9b}2J\u{202e}"), "\\u{9b}2J\\u{202e}");
        assert!(matches!(escape_data("plain ü"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_bidi_control_is_escaped() {
        // The whole Bidi_Control property, the Arabic letter mark included.
        let bidi = ['\u{61c}', '\u{200e}', '\u{200f}']
            .into_iter()
            .chain('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}');
        for c in bidi {
            let s = format!("a{c}b");
            let want = format!("a\\u{{{:x}}}b", c as u32);
            assert_eq!(escape_data(&s), want, "{c:?}");
            assert_eq!(escape_text(&s), want, "{c:?}");
            assert_eq!(DisplaySource::new(&s).text, want, "{c:?}");
        }
        // Arabic text itself is not a control.
        assert!(matches!(escape_data("\u{627}\u{644}"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_keeps_newlines_but_not_escapes() {
        assert_eq!(escape_text("a\nb\u{7}"), "a\nb\\u{7}");
        assert_eq!(escape_text("a\rb"), "ab");
    }

    #[test]
    fn display_source_maps_offsets() {
        let original = "a = \"\u{1b}x\"\r\nb = 1";
        let d = DisplaySource::new(original);
        assert!(!d.text.contains('\u{1b}'));
        assert!(d.text.contains("\r\n"), "CRLF is kept");
        let b = original.find('b').unwrap();
        assert_eq!(&d.text[d.map(b)..d.map(b) + 1], "b");
        assert_eq!(d.map(0), 0);
        let x = original.find('x').unwrap();
        assert_eq!(&d.text[d.map(x)..d.map(x) + 1], "x");
    }
}
