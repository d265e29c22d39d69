//! Classifying a commit as debt, feature or unclassified work.
//!
//! A `Roadmap-Item: ID` trailer (the configured `item_trailer`) decides first:
//! the named item's kind makes the commit debt (a kind listed in
//! `debt-share.kinds`), feature (`feature`, `experiment`) or unclassified.
//! Without a trailer naming a known item, the Conventional Commits type decides
//! (`type(scope)!: subject`, case-insensitive) through `[history]`'s lists.

use crate::facts::Class;
use crate::limits::{MAX_MESSAGE_BYTES, MAX_MESSAGE_PART_BYTES};
use crate::model::Kind;
use crate::settings::HistoryConfig;
use gix::bstr::ByteSlice;
use std::borrow::Cow;
use std::collections::HashMap;

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

/// How commits are classified: the configuration and today's items.
pub struct Classifier {
    debt_types: Vec<String>,
    feature_types: Vec<String>,
    item_trailer: String,
    items: HashMap<String, Kind>,
    debt_kinds: Vec<Kind>,
}

/// The parts of a commit message that rules look at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageFacts {
    /// The first line, lossily decoded.
    pub subject: String,
    /// `(token, value)` trailers of the last paragraph.
    pub trailers: Vec<(String, String)>,
}

impl MessageFacts {
    /// Split a raw message (any bytes) into subject and trailers.
    pub fn parse(message: &[u8]) -> Self {
        let message = bounded_message(message);
        let msg = gix::objs::commit::MessageRef::from_bytes(&message);
        let subject = msg.summary().to_str_lossy().trim().to_string();
        let trailers = msg
            .body()
            .map(|b| {
                b.trailers()
                    .map(|t| {
                        (
                            t.token.to_str_lossy().trim().to_string(),
                            t.value.to_str_lossy().trim().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        MessageFacts { subject, trailers }
    }

    /// The value of the first trailer named `token` (case-insensitive).
    pub fn trailer(&self, token: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(token))
            .map(|(_, v)| v.as_str())
    }
}

/// The message-derived inputs of classification: all a class depends on
/// besides the configuration and today's items, and what the history cache
/// remembers per commit.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MessageKey {
    /// The Conventional Commits type, lower-cased.
    pub ty: Option<String>,
    /// The value of the first `item_trailer` trailer.
    pub item: Option<String>,
}

impl MessageKey {
    /// The classification inputs of a raw message (any bytes): the same as
    /// [`MessageFacts::parse`] followed by [`conventional_type`] and
    /// [`MessageFacts::trailer`], without collecting the other trailers.
    pub fn parse(message: &[u8], item_trailer: &str) -> Self {
        let message = bounded_message(message);
        let msg = gix::objs::commit::MessageRef::from_bytes(&message);
        let ty = conventional_type(&msg.summary().to_str_lossy());
        let item = msg.body().and_then(|b| {
            b.trailers()
                .find(|t| {
                    t.token
                        .to_str_lossy()
                        .trim()
                        .eq_ignore_ascii_case(item_trailer)
                })
                .map(|t| t.value.to_str_lossy().trim().to_string())
        });
        MessageKey { ty, item }
    }
}

/// The Conventional Commits type of a subject, lower-cased, read as
/// commitlint's parser reads a header (`type(scope)!: subject`, the type a
/// run of ASCII letters, digits and `_`): `chore(): x` has type `chore` (an
/// empty scope is a scope), `feat:(x)` has none (no space after the colon).
/// Surrounding whitespace is ignored, as git's summary of a message ignores
/// it. git's own `Revert "…"` subject is type `revert`.
pub fn conventional_type(subject: &str) -> Option<String> {
    let subject = subject.trim();
    if subject.starts_with("Revert \"") {
        return Some("revert".into());
    }
    let (head, _) = subject.split_once(": ")?;
    let head = head.strip_suffix('!').unwrap_or(head);
    let ty = match head.find('(') {
        Some(open) if head.ends_with(')') => &head[..open],
        Some(_) => return None,
        None => head,
    };
    let word = !ty.is_empty() && ty.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    word.then(|| ty.to_ascii_lowercase())
}

impl Classifier {
    /// A classifier for `config`, resolving item trailers against `items`
    /// (id → kind) and treating `debt_kinds` as debt.
    pub fn new(
        config: &HistoryConfig,
        items: HashMap<String, Kind>,
        debt_kinds: Vec<Kind>,
    ) -> Self {
        Classifier {
            debt_types: config.debt_types.clone(),
            feature_types: config.feature_types.clone(),
            item_trailer: config.item_trailer.clone(),
            items,
            debt_kinds,
        }
    }

    /// Classify a commit from its parsed message.
    pub fn classify(&self, msg: &MessageFacts) -> Class {
        if let Some(class) = self.by_item(msg.trailer(&self.item_trailer)) {
            return class;
        }
        self.by_type(conventional_type(&msg.subject).as_deref())
    }

    /// Classify a commit from its classification inputs (see [`MessageKey`]).
    pub fn classify_key(&self, key: &MessageKey) -> Class {
        self.by_item(key.item.as_deref())
            .unwrap_or_else(|| self.by_type(key.ty.as_deref()))
    }

    /// The class an item trailer decides, when it names a known item.
    fn by_item(&self, item: Option<&str>) -> Option<Class> {
        let kind = self.items.get(item?)?;
        Some(if self.debt_kinds.contains(kind) {
            Class::Debt
        } else if matches!(kind, Kind::Feature | Kind::Experiment) {
            Class::Feature
        } else {
            Class::Unclassified
        })
    }

    /// The class a (lower-cased) Conventional Commits type decides.
    fn by_type(&self, ty: Option<&str>) -> Class {
        match ty {
            Some(t) if self.debt_types.iter().any(|d| d == t) => Class::Debt,
            Some(t) if self.feature_types.iter().any(|f| f == t) => Class::Feature,
            _ => Class::Unclassified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Config;

    fn classifier() -> Classifier {
        let items = HashMap::from([
            ("OPS-7".to_string(), Kind::Debt),
            ("PAY-1".to_string(), Kind::Feature),
            ("PL-1".to_string(), Kind::Platform),
        ]);
        Classifier::new(
            &Config::default().history,
            items,
            vec![Kind::Debt, Kind::Maintenance],
        )
    }

    fn class(msg: &str) -> Class {
        classifier().classify(&MessageFacts::parse(msg.as_bytes()))
    }

    #[test]
    fn conventional_types_decide() {
        assert_eq!(class("feat: add checkout"), Class::Feature);
        assert_eq!(class("fix(api)!: drop v1"), Class::Debt);
        assert_eq!(class("FEAT(ui): shout"), Class::Feature);
        assert_eq!(class("Refactor: tidy"), Class::Debt);
        assert_eq!(class("docs: readme"), Class::Unclassified);
        assert_eq!(class("Update README"), Class::Unclassified);
        assert_eq!(class("Revert \"feat: add checkout\""), Class::Debt);
        assert_eq!(class("revert: feat: add checkout"), Class::Debt);
        assert_eq!(class(""), Class::Unclassified);
    }

    /// The corner cases real histories hold, each read as commitlint's
    /// parser reads it.
    #[test]
    fn headers_are_read_as_commitlint_reads_them() {
        let ty = |s: &str| conventional_type(s);
        assert_eq!(ty("chore(): bump"), Some("chore".into()), "an empty scope");
        assert_eq!(ty("feat:(x) add"), None, "no space after the colon");
        // commitlint rejects a leading space; git's summary of the message
        // (what every tool shows as the subject) has none.
        assert_eq!(ty("  feat: add"), Some("feat".into()), "a leading space");
        assert_eq!(class("  feat: add"), Class::Feature);
        assert_eq!(ty("feat: add  "), Some("feat".into()), "trailing space");
        assert_eq!(ty("feat(ui)!: drop"), Some("feat".into()), "breaking");
        assert_eq!(ty("fix!: drop"), Some("fix".into()));
        assert_eq!(ty("Revert \"feat: add x\""), Some("revert".into()));
        assert_eq!(ty("revert: feat: add x"), Some("revert".into()));
        assert_eq!(ty("feat(a: b): x"), None, "a colon inside the scope");
        assert_eq!(ty(": nothing"), None, "an empty type");
        assert_eq!(ty("build-deps: x"), None, "a hyphen is not a type letter");
        assert_eq!(ty("Merge branch 'x'"), None);
    }

    #[test]
    fn item_trailer_overrides_the_type() {
        assert_eq!(class("feat: x\n\nRoadmap-Item: OPS-7\n"), Class::Debt);
        assert_eq!(class("fix: x\n\nroadmap-item: PAY-1\n"), Class::Feature);
        assert_eq!(
            class("feat: x\n\nRoadmap-Item: PL-1\n"),
            Class::Unclassified
        );
        // an unknown item falls back to the type
        assert_eq!(class("feat: x\n\nRoadmap-Item: NOPE\n"), Class::Feature);
    }

    #[test]
    fn the_message_key_classifies_like_the_whole_message() {
        let c = classifier();
        for msg in [
            "feat: add checkout",
            "fix(api)!: drop v1\n\nbody\n\nRoadmap-Item: PAY-1\n",
            "docs: x\n\nroadmap-item :  OPS-7 \nRoadmap-Item: PAY-1\n",
            "Update README\n\nRoadmap-Item: PL-1",
            "  Refactor(core): tidy  \n\nRoadmap-Item: NOPE\n",
            "Revert \"feat: add checkout\"",
            "",
        ] {
            let facts = MessageFacts::parse(msg.as_bytes());
            let key = MessageKey::parse(msg.as_bytes(), "Roadmap-Item");
            assert_eq!(key.ty, conventional_type(&facts.subject), "{msg:?}");
            assert_eq!(
                key.item.as_deref(),
                facts.trailer("Roadmap-Item"),
                "{msg:?}"
            );
            assert_eq!(c.classify_key(&key), c.classify(&facts), "{msg:?}");
        }
    }

    #[test]
    fn a_huge_message_keeps_its_subject_and_trailers() {
        let mut msg = b"feat: big\nsecond line\n\n".to_vec();
        for _ in 0..200_000 {
            msg.extend_from_slice(b"filler line\n\n");
        }
        msg.extend_from_slice(b"Roadmap-Item: OPS-7\nTech-Approved-By: lee\n\n  \n");
        assert!(msg.len() > MAX_MESSAGE_BYTES);
        let facts = MessageFacts::parse(&msg);
        assert_eq!(facts.subject, "feat: big second line");
        assert_eq!(facts.trailer("roadmap-item"), Some("OPS-7"));
        assert_eq!(facts.trailer("tech-approved-by"), Some("lee"));
        let key = MessageKey::parse(&msg, "Roadmap-Item");
        assert_eq!(key.item.as_deref(), Some("OPS-7"));
        assert_eq!(key.ty.as_deref(), Some("feat"));
        // A last paragraph over the cap holds no trailers.
        let mut long = b"fix: x\n\n".to_vec();
        for _ in 0..200_000 {
            long.extend_from_slice(b"Roadmap-Item: OPS-7\n");
        }
        assert_eq!(MessageKey::parse(&long, "Roadmap-Item").item, None);
        assert_eq!(
            MessageKey::parse(&long, "Roadmap-Item").ty.as_deref(),
            Some("fix")
        );
        // One huge line: no line splitting, a bounded subject.
        let mut line = b"feat: ".to_vec();
        line.resize(3 * MAX_MESSAGE_BYTES, b'a');
        let reduced = bounded_message(&line);
        assert!(reduced.len() <= MAX_MESSAGE_PART_BYTES + 2);
    }

    #[test]
    fn non_utf8_messages_decode_lossily() {
        let msg = MessageFacts::parse(b"fix: caf\xe9 cr\xe8me\n\nTech-Approved-By: l\xe9e\n");
        assert!(msg.subject.starts_with("fix: caf"));
        assert_eq!(classifier().classify(&msg), Class::Debt);
        assert!(msg.trailer("tech-approved-by").is_some());
    }
}
