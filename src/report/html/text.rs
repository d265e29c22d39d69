//! The only ways text reaches the page.
//!
//! maud escapes markup in everything it interpolates, but a bidi override or
//! a control character is not markup: it would reach the page raw and could
//! hide or reorder what a reader sees. Repository text (ids, titles, file
//! names, messages: anything from the [`Dashboard`](crate::report::Dashboard))
//! is therefore interpolated only as [`Repo`], which also makes those
//! characters visible, the way the rest of roadlint shows them
//! ([`crate::escape`]). Numbers the code computes go through [`Num`]; links
//! to repository files are built by [`file_href`].

use crate::escape::is_dangerous;
use maud::Render;
use std::fmt::Write;

/// Repository text, rendered HTML-escaped with control characters (except
/// newline and tab) and bidi controls written as a visible `\u{…}`.
#[derive(Clone, Copy, Debug)]
pub struct Repo<'a>(pub &'a str);

impl Render for Repo<'_> {
    fn render_to(&self, out: &mut String) {
        out.reserve(self.0.len());
        for c in self.0.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                '\n' | '\t' => out.push(c),
                c if is_dangerous(c) => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
    }
}

/// A coordinate or size the code computed, with one decimal (`12.5`).
#[derive(Clone, Copy, Debug)]
pub struct Num(pub f64);

impl Render for Num {
    fn render_to(&self, out: &mut String) {
        let _ = write!(out, "{:.1}", self.0);
    }
}

/// A relative link to `file` at `line` (`./roadmap/2026-Q1.toml#L3`).
///
/// Every byte outside a small safe set is percent-encoded and the link always
/// starts with `./`, so a file name can never become a `javascript:` or other
/// absolute URL, nor break out of the attribute.
pub fn file_href(file: &str, line: Option<usize>) -> String {
    let mut out = String::from("./");
    for b in file.trim_start_matches('/').bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    if let Some(l) = line {
        let _ = write!(out, "#L{l}");
    }
    out
}

/// A diagnostic message cut into plain runs and `` `code` `` runs: each pair
/// of backticks marks code; an unpaired backtick stays in the text.
pub fn code_spans(message: &str) -> Vec<(bool, &str)> {
    let ticks = message.matches('`').count();
    let paired = ticks - ticks % 2;
    let mut out = Vec::new();
    let mut rest = message;
    for i in 0..paired {
        let (run, after) = rest.split_once('`').unwrap_or((rest, ""));
        out.push((i % 2 == 1, run));
        rest = after;
    }
    out.push((false, rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(r: impl Render) -> String {
        r.render().into_string()
    }

    #[test]
    fn repo_text_neutralises_markup_and_controls() {
        let s = html(Repo(
            "<script>alert('x')</script> & \"q\" \u{1b}[31m \u{202e}rtl \u{0}",
        ));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('\''));
        assert!(!s.chars().any(is_dangerous), "{s}");
        assert!(s.contains("&lt;script&gt;") && s.contains("&amp;") && s.contains("&quot;q&quot;"));
        assert!(s.contains("\\u{1b}") && s.contains("\\u{202e}") && s.contains("\\u{0}"));
        assert_eq!(html(Repo("plain ü\tx")), "plain ü\tx");
    }

    #[test]
    fn numbers_have_one_decimal() {
        assert_eq!(html(Num(12.34)), "12.3");
        assert_eq!(html(Num(340.0)), "340.0");
    }

    #[test]
    fn file_links_stay_relative() {
        assert_eq!(
            file_href("roadmap/2026-Q1.toml", Some(3)),
            "./roadmap/2026-Q1.toml#L3"
        );
        assert_eq!(
            file_href("javascript:alert(1)//x.toml", None),
            "./javascript%3Aalert%281%29//x.toml"
        );
        assert_eq!(
            file_href("a b\"<>.toml", Some(1)),
            "./a%20b%22%3C%3E.toml#L1"
        );
        assert_eq!(file_href("/abs.toml", None), "./abs.toml");
    }

    #[test]
    fn backtick_pairs_become_code() {
        assert_eq!(
            code_spans("a `b` c `d"),
            [(false, "a "), (true, "b"), (false, " c `d")]
        );
        assert_eq!(code_spans("plain"), [(false, "plain")]);
        assert_eq!(code_spans("x`y"), [(false, "x`y")]);
        assert_eq!(
            code_spans("`a``b`"),
            [
                (false, ""),
                (true, "a"),
                (false, ""),
                (true, "b"),
                (false, "")
            ]
        );
    }
}
