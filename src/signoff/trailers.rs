//! Trailers where real workflows put them.
//!
//! git reads trailers from a message's last paragraph only. Teams land work in
//! ways that put a sign-off elsewhere: a GitHub or Gitea squash merge lists
//! every squashed commit's message in its body (so a branch commit's trailer
//! paragraph sits mid-body, and a `---------` line with a `Co-authored-by:`
//! paragraph follows it); `git merge --squash` indents each squashed commit by
//! four spaces under "Squashed commit of the following:"; `git commit -m`
//! keeps a `# note` line that an editor session would have stripped. A
//! trailer paragraph is therefore **any** paragraph after the subject whose
//! lines are all trailers (`Token: value`), continuation lines, `(cherry
//! picked from …)` lines or comment lines. One parser serves the hooks,
//! `check` and the reference-transaction hook, so they read the same
//! trailers.
//!
//! A `Token: value` line found outside a trailer paragraph is kept as
//! *misplaced*, so a diagnostic can say where a sign-off was written and why
//! it does not count.

use std::borrow::Cow;

/// One trailer of a trailer paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trailer {
    /// The token, as written (`Product-Approved-By`).
    pub token: String,
    /// The value, trimmed, continuation lines joined by a space.
    pub value: String,
}

/// A `Token: value` line that is not in a trailer paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misplaced {
    /// The token, as written.
    pub token: String,
    /// The value, trimmed.
    pub value: String,
    /// The 1-based line of the message it is on.
    pub line: usize,
    /// Why it does not count.
    pub why: MisplacedWhy,
}

/// Why a `Token: value` line is not read as a trailer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MisplacedWhy {
    /// It is in the subject line.
    Subject,
    /// Its paragraph holds other text too.
    AmongText,
}

impl std::fmt::Display for MisplacedWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MisplacedWhy::Subject => "it is in the subject line",
            MisplacedWhy::AmongText => {
                "its paragraph holds other text: trailers are read only from paragraphs made of trailers"
            }
        })
    }
}

/// Every trailer of a message, and the lines outside trailer paragraphs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trailers {
    /// Trailers of every trailer paragraph, in message order.
    pub trailers: Vec<Trailer>,
    /// The other lines (the subject's included), with their 1-based number.
    other: Vec<(usize, String)>,
}

impl Trailers {
    /// Read the trailers of `message`, a commit message as git stores it.
    /// `comment` is the comment prefix git would strip (`#` unless
    /// `core.commentChar` says otherwise).
    pub fn parse(message: &str, comment: &str) -> Trailers {
        let lines = unindent_squash(message);
        let mut out = Trailers::default();
        let mut paragraph: Vec<(usize, &str)> = Vec::new();
        let mut first = true;
        let mut flush = |paragraph: &mut Vec<(usize, &str)>, first: &mut bool| {
            if paragraph.is_empty() {
                return;
            }
            read_paragraph(paragraph, *first, comment, &mut out);
            *first = false;
            paragraph.clear();
        };
        for (n, line) in lines.iter().enumerate() {
            let bare = line.trim();
            // A paragraph ends at a blank line, and at a `---------` rule
            // (GitHub's squash body puts one before its co-author paragraph).
            if bare.is_empty() || (bare.len() >= 3 && bare.chars().all(|c| c == '-')) {
                flush(&mut paragraph, &mut first);
                continue;
            }
            paragraph.push((n + 1, line));
        }
        flush(&mut paragraph, &mut first);
        out
    }

    /// Where `token` is written outside a trailer paragraph, if anywhere:
    /// the first such line, with the value written after it.
    pub fn misplaced(&self, token: &str) -> Option<Misplaced> {
        let needle = format!("{}:", token.to_ascii_lowercase());
        self.other.iter().find_map(|(n, line)| {
            let at = line.to_ascii_lowercase().find(&needle)?;
            let start = at + needle.len();
            Some(Misplaced {
                token: line.get(at..start - 1)?.to_string(),
                value: line.get(start..)?.trim().to_string(),
                line: *n,
                why: if *n == 1 {
                    MisplacedWhy::Subject
                } else {
                    MisplacedWhy::AmongText
                },
            })
        })
    }

    /// Every value of trailers named `token` (case-insensitive), in order.
    pub fn values<'a>(&'a self, token: &str) -> impl Iterator<Item = &'a str> + 'a {
        let token = token.to_string();
        self.trailers
            .iter()
            .filter(move |t| t.token.eq_ignore_ascii_case(&token))
            .map(|t| t.value.as_str())
    }
}

/// The message's lines, with `git merge --squash`'s four-space indentation
/// removed from the squashed commits it lists.
fn unindent_squash(message: &str) -> Vec<Cow<'_, str>> {
    let squash = message
        .lines()
        .next()
        .is_some_and(|l| l.trim() == "Squashed commit of the following:");
    message
        .lines()
        .map(|l| match l.strip_prefix("    ") {
            Some(rest) if squash => Cow::Borrowed(rest),
            _ => Cow::Borrowed(l),
        })
        .collect()
}

/// `Token: value` when `line` is one: a token of letters, digits and `-`
/// followed by `:` (git allows blanks before the colon).
fn split_trailer(line: &str) -> Option<(&str, &str)> {
    let (token, value) = line.split_once(':')?;
    let token = token.trim_end_matches([' ', '\t']);
    let ok = !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then(|| (token, value.trim()))
}

/// Read one paragraph: its trailers when every line is a trailer, a
/// continuation, a cherry-pick note or a comment; else its trailer-like
/// lines as misplaced.
fn read_paragraph(paragraph: &[(usize, &str)], subject: bool, comment: &str, out: &mut Trailers) {
    let is_comment = |l: &str| !comment.is_empty() && l.starts_with(comment);
    let mut trailers: Vec<Trailer> = Vec::new();
    let mut all_trailers = !subject;
    for (_, line) in paragraph {
        if is_comment(line) || line.starts_with("(cherry picked from commit ") {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            match trailers.last_mut() {
                Some(t) => {
                    t.value.push(' ');
                    t.value.push_str(line.trim());
                }
                None => all_trailers = false,
            }
            continue;
        }
        match split_trailer(line) {
            Some((token, value)) => trailers.push(Trailer {
                token: token.to_string(),
                value: value.to_string(),
            }),
            None => all_trailers = false,
        }
    }
    if all_trailers {
        out.trailers.extend(trailers);
        return;
    }
    out.other
        .extend(paragraph.iter().map(|(n, l)| (*n, l.to_string())));
}

/// A commit message decoded as git does: as UTF-8, or from the legacy
/// encoding its `encoding` header names (`ISO-8859-1`, `Shift_JIS`, …).
/// An unknown encoding, or bytes that are not valid in it, decode lossily.
pub(crate) fn decode_message<'a>(message: &'a [u8], encoding: Option<&[u8]>) -> Cow<'a, str> {
    let label = encoding.map(|e| String::from_utf8_lossy(e).trim().to_ascii_lowercase());
    match label.as_deref() {
        None | Some("utf-8" | "utf8") => String::from_utf8_lossy(message),
        Some(label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(enc) => {
                let (text, _, _) = enc.decode(message);
                text
            }
            None => String::from_utf8_lossy(message),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(t: &Trailers) -> (Vec<&str>, Vec<&str>) {
        (
            t.values("Product-Approved-By").collect(),
            t.values("Tech-Approved-By").collect(),
        )
    }

    #[test]
    fn the_last_paragraph_as_git_reads_it() {
        let t = Trailers::parse(
            "feat: x\n\nbody\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n",
            "#",
        );
        assert_eq!(signed(&t), (vec!["dana"], vec!["lee"]));
        assert!(t.misplaced("Product-Approved-By").is_none());
    }

    #[test]
    fn a_github_squash_body_signs_with_its_branch_commits_trailers() {
        let msg = "Plan: shrink CLI-505 (#42)\n\n* feat(roadmap): shrink CLI-505\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n\n* fix(roadmap): typo\n\n---------\n\nCo-authored-by: Kim <kim@example.com>\n";
        let t = Trailers::parse(msg, "#");
        assert_eq!(signed(&t), (vec!["dana"], vec!["lee"]));
        assert_eq!(
            t.values("co-authored-by").collect::<Vec<_>>(),
            vec!["Kim <kim@example.com>"]
        );
    }

    #[test]
    fn a_rule_right_above_the_co_authors_ends_the_paragraph() {
        let msg = "feat: x\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n---------\nCo-authored-by: Kim <kim@example.com>\n";
        let t = Trailers::parse(msg, "#");
        assert_eq!(signed(&t), (vec!["dana"], vec!["lee"]));
        assert_eq!(t.values("Co-authored-by").count(), 1);
    }

    #[test]
    fn merge_squash_indentation_is_removed() {
        let msg = "Squashed commit of the following:\n\ncommit 0123456789abcdef0123456789abcdef01234567\nAuthor: Sam <sam@example.com>\nDate:   Mon Mar 2 10:00:00 2026 +0000\n\n    feat(roadmap): add PAY-140\n    \n    Product-Approved-By: dana\n    Tech-Approved-By: lee\n";
        let t = Trailers::parse(msg, "#");
        assert_eq!(signed(&t), (vec!["dana"], vec!["lee"]));
    }

    #[test]
    fn comment_lines_and_cherry_pick_notes_do_not_break_a_block() {
        let msg = "feat: x\n\nProduct-Approved-By: dana\n# note: lee reviewed on Monday\nTech-Approved-By: lee\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n";
        assert_eq!(
            signed(&Trailers::parse(msg, "#")),
            (vec!["dana"], vec!["lee"])
        );
        let semicolon = msg.replace("# note", "; note");
        assert_eq!(
            signed(&Trailers::parse(&semicolon, ";")),
            (vec!["dana"], vec!["lee"])
        );
        // With another comment character, `#` is text: the block is broken.
        let t = Trailers::parse(msg, ";");
        assert_eq!(signed(&t), (vec![], vec![]));
        assert_eq!(t.misplaced("tech-approved-by").map(|m| m.line), Some(5));
    }

    #[test]
    fn duplicates_are_all_kept_in_order() {
        let msg = "feat: x\n\nTech-Approved-By: mallory\nTech-Approved-By: lee\nProduct-Approved-By: dana\n";
        assert_eq!(
            signed(&Trailers::parse(msg, "#")),
            (vec!["dana"], vec!["mallory", "lee"])
        );
    }

    #[test]
    fn blanks_before_the_colon_are_allowed_as_git_allows_them() {
        let t = Trailers::parse("docs: x\n\nroadmap-item :  OPS-7 \n", "#");
        assert_eq!(t.values("Roadmap-Item").collect::<Vec<_>>(), vec!["OPS-7"]);
    }

    #[test]
    fn continuation_lines_join_the_value() {
        let msg = "feat: x\n\nProduct-Approved-By: Dana\n  Scully\n";
        assert_eq!(signed(&Trailers::parse(msg, "#")).0, vec!["Dana Scully"]);
    }

    #[test]
    fn trailers_among_text_are_misplaced_with_their_line() {
        let msg = "feat: x Product-Approved-By: dana\n\nWe agreed.\nTech-Approved-By: lee\n\nSee the doc.\n";
        let t = Trailers::parse(msg, "#");
        assert_eq!(signed(&t), (vec![], vec![]));
        assert_eq!(
            t.misplaced("Tech-Approved-By"),
            Some(Misplaced {
                token: "Tech-Approved-By".into(),
                value: "lee".into(),
                line: 4,
                why: MisplacedWhy::AmongText
            })
        );
        let subject = t.misplaced("product-approved-by").expect("in the subject");
        assert_eq!((subject.line, subject.why), (1, MisplacedWhy::Subject));
        assert_eq!(subject.value, "dana");
        assert!(t.misplaced("Roadmap-Item").is_none());
    }

    #[test]
    fn a_legacy_encoding_is_decoded_as_git_does() {
        let latin1 = b"feat: x\n\nProduct-Approved-By: \xc9mile\n";
        let text = decode_message(latin1, Some(b"ISO-8859-1"));
        assert_eq!(signed(&Trailers::parse(&text, "#")).0, vec!["\u{c9}mile"]);
        assert_eq!(decode_message("é".as_bytes(), None), "é");
        assert_eq!(
            decode_message(b"\xff", Some(b"no-such-encoding")),
            "\u{fffd}"
        );
    }
}
