//! Classifying a commit as debt, feature or unclassified work.
//!
//! A `Roadmap-Item: ID` trailer (the configured `item_trailer`) naming a known
//! item decides first, then an item id written as a whole word in the subject
//! (`feat(checkout): one-click (PAY-101)`; only ids holding a digit, so that an
//! item called `vitest` does not claim every subject that mentions vitest):
//! the item's kind makes the commit
//! debt (a kind listed in `debt-share.kinds`), feature (`feature`,
//! `experiment`) or unclassified. Without an item, the Conventional Commits
//! type decides (`type(scope)!: subject`, case-insensitive) through
//! `[history]`'s lists.

use crate::facts::Class;
use crate::git::message::bounded_message;
use crate::model::Kind;
use crate::settings::HistoryConfig;
use crate::signoff::trailers::Trailers;
use gix::bstr::ByteSlice;
use std::collections::HashMap;

/// How commits are classified: the configuration and today's items.
pub struct Classifier {
    debt_types: Vec<String>,
    feature_types: Vec<String>,
    item_trailer: String,
    items: HashMap<String, Kind>,
    /// Item ids holding characters other than word characters: found in
    /// subjects by search rather than by word.
    odd_ids: Vec<String>,
    /// Bit `n` set: some item id is `n` bytes long (the last bit for 63 and
    /// more), so that most words of a subject are passed over unhashed.
    id_lengths: u64,
    debt_kinds: Vec<Kind>,
}

/// The parts of a commit message that rules look at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageFacts {
    /// The first line, lossily decoded.
    pub subject: String,
    /// The trailers of every trailer paragraph (see [`super::trailers`]).
    pub trailers: Trailers,
}

impl MessageFacts {
    /// Split a raw UTF-8 message (any bytes) into subject and trailers.
    pub fn parse(message: &[u8]) -> Self {
        MessageFacts::parse_encoded(message, None)
    }

    /// Split a raw message in the encoding its commit's `encoding` header
    /// names (UTF-8 when none) into subject and trailers.
    pub fn parse_encoded(message: &[u8], encoding: Option<&[u8]>) -> Self {
        let message = bounded_message(message);
        let text = crate::signoff::trailers::decode_message(&message, encoding);
        let msg = gix::objs::commit::MessageRef::from_bytes(text.as_bytes());
        let subject = msg.summary().to_str_lossy().trim().to_string();
        MessageFacts {
            subject,
            trailers: Trailers::parse(&text, "#"),
        }
    }

    /// The value of the first trailer named `token` (case-insensitive).
    pub fn trailer(&self, token: &str) -> Option<&str> {
        self.trailers.values(token).next()
    }
}

/// What one commit contributes to classification and effort, read from its
/// object alone: all a commit's class, link and weight depend on besides the
/// configuration and today's items, and what the history cache remembers per
/// commit.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MessageKey {
    /// The Conventional Commits type, lower-cased.
    pub ty: Option<String>,
    /// The value of the first `item_trailer` trailer.
    pub item: Option<String>,
    /// The subject (git's summary, trimmed, at most [`MAX_SUBJECT_BYTES`]),
    /// where an item id may be written.
    pub subject: String,
    /// The author's name.
    pub name: String,
    /// The author's email.
    pub email: String,
    /// The author time, seconds since the epoch (UTC).
    pub author_time: i64,
    /// The values of the `Co-authored-by:` trailers (`Name <email>`), one a
    /// line, as written; `None` without any.
    pub coauthors: Option<String>,
}

/// The trailer that credits another person with a commit's work.
pub(super) const COAUTHOR_TRAILER: &str = "Co-authored-by";

/// The longest subject kept for linking commits to items by id.
pub(super) const MAX_SUBJECT_BYTES: usize = 512;

impl MessageKey {
    /// The message inputs of a raw message (any bytes), with no author: the
    /// same as [`MessageFacts::parse`] followed by [`conventional_type`] and
    /// [`MessageFacts::trailer`], without collecting the other trailers.
    pub fn parse(message: &[u8], item_trailer: &str) -> Self {
        let message = bounded_message(message);
        let msg = gix::objs::commit::MessageRef::from_bytes(&message);
        let summary = msg.summary();
        let summary = summary.to_str_lossy();
        let ty = conventional_type(&summary);
        let mut item = None;
        let mut coauthors: Option<String> = None;
        for t in msg.body().into_iter().flat_map(|b| b.trailers()) {
            let token = t.token.to_str_lossy();
            let token = token.trim();
            if item.is_none() && token.eq_ignore_ascii_case(item_trailer) {
                item = Some(t.value.to_str_lossy().trim().to_string());
            } else if token.eq_ignore_ascii_case(COAUTHOR_TRAILER) {
                let value = t.value.to_str_lossy();
                let value = value.trim().replace(['\n', '\r'], " ");
                if !value.is_empty() {
                    let all = coauthors.get_or_insert_with(String::new);
                    if !all.is_empty() {
                        all.push('\n');
                    }
                    all.push_str(&value);
                }
            }
        }
        MessageKey {
            ty,
            item,
            coauthors,
            subject: cut(summary.trim(), MAX_SUBJECT_BYTES).to_string(),
            ..MessageKey::default()
        }
    }

    /// The inputs of a raw commit object (its header's `author` line and its
    /// message). A missing or malformed author line leaves the author empty.
    pub fn parse_commit(object: &[u8], item_trailer: &str) -> Self {
        let mut key = MessageKey::parse(crate::git::commit::raw_message(object), item_trailer);
        if let Some(author) = crate::git::commit::author_line(object)
            .and_then(|line| gix::actor::SignatureRef::from_bytes(line).ok())
        {
            key.name = author.name.to_str_lossy().trim().to_string();
            key.email = author.email.to_str_lossy().trim().to_string();
            key.author_time = author.seconds();
        }
        key
    }
}

/// The people a `Co-authored-by:` value list names (one `Name <email>` a
/// line, as [`MessageKey::coauthors`] holds them), as (name, email); a
/// value without `<…>` is a name alone.
pub(super) fn coauthors(values: &str) -> impl Iterator<Item = (&str, &str)> {
    values.lines().filter_map(|v| {
        let v = v.trim();
        let (name, email) = match (v.rfind('<'), v.ends_with('>')) {
            (Some(open), true) => (v[..open].trim(), v[open + 1..v.len() - 1].trim()),
            _ => (v, ""),
        };
        (!name.is_empty() || !email.is_empty()).then_some((name, email))
    })
}

/// An author's identity: the email, case-folded, or the name when the email
/// is empty.
pub(super) fn author_identity(name: &str, email: &str) -> String {
    if email.trim().is_empty() {
        name.trim().to_lowercase()
    } else {
        email.trim().to_lowercase()
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// How a commit counts, and what it is linked to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification<'a> {
    /// Its class.
    pub class: Class,
    /// The item it serves (by trailer, else by its id in the subject).
    pub item: Option<&'a str>,
    /// Its item trailer names no item of today's roadmap.
    pub unknown_trailer: bool,
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
    /// A classifier for `config`, resolving item trailers and item ids in
    /// subjects against `items` (id → kind) and treating `debt_kinds` as debt.
    pub fn new(
        config: &HistoryConfig,
        items: HashMap<String, Kind>,
        debt_kinds: Vec<Kind>,
    ) -> Self {
        let odd_ids = items
            .keys()
            .filter(|id| links_by_subject(id))
            .filter(|id| id.is_empty() || !id.chars().all(is_word_char))
            .filter(|id| !id.trim().is_empty())
            .cloned()
            .collect();
        let id_lengths = items
            .keys()
            .filter(|id| links_by_subject(id))
            .fold(0, |bits, id| bits | length_bit(id));
        Classifier {
            id_lengths,
            debt_types: config.debt_types.clone(),
            feature_types: config.feature_types.clone(),
            item_trailer: config.item_trailer.clone(),
            items,
            odd_ids,
            debt_kinds,
        }
    }

    /// Classify a commit from its parsed message.
    pub fn classify(&self, msg: &MessageFacts) -> Class {
        self.cascade(
            msg.trailer(&self.item_trailer),
            &msg.subject,
            conventional_type(&msg.subject).as_deref(),
        )
        .class
    }

    /// Classify a commit from its inputs (see [`MessageKey`]).
    pub fn classify_key<'k>(&'k self, key: &'k MessageKey) -> Classification<'k> {
        self.cascade(key.item.as_deref(), &key.subject, key.ty.as_deref())
    }

    /// The cascade: an item trailer naming a known item decides, else an item
    /// id written as a whole word in the subject, else the Conventional
    /// Commits type.
    pub fn cascade<'k>(
        &'k self,
        trailer: Option<&'k str>,
        subject: &'k str,
        ty: Option<&str>,
    ) -> Classification<'k> {
        let unknown_trailer = trailer.is_some_and(|t| !self.items.contains_key(t));
        let item = trailer
            .filter(|t| self.items.contains_key(*t))
            .or_else(|| self.item_in_subject(subject));
        let class = match item.and_then(|i| self.items.get(i)) {
            Some(kind) => self.by_kind(*kind),
            None => self.by_type(ty),
        };
        Classification {
            class,
            item,
            unknown_trailer,
        }
    }

    /// The first item id of today's roadmap that holds a digit, written as a
    /// whole word in `subject`: bounded by the subject's ends or by characters that are not
    /// letters, digits, `_` or `-` (`(PAY-101)` names `PAY-101`, `PAY-1010`
    /// does not). Ids are compared exactly, as everywhere in the roadmap.
    pub fn item_in_subject<'s>(&'s self, subject: &'s str) -> Option<&'s str> {
        let mut best: Option<(usize, &str)> = None;
        let mut start = None;
        for (i, c) in subject.char_indices().chain([(subject.len(), ' ')]) {
            match (is_word_char(c) && i < subject.len(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    start = None;
                    let word = &subject[s..i];
                    if self.id_lengths & length_bit(word) == 0 {
                        continue;
                    }
                    match self.items.get_key_value(word) {
                        Some((id, _)) if links_by_subject(id) => {
                            best = Some((s, id.as_str()));
                            break;
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        for id in &self.odd_ids {
            for (at, _) in subject.match_indices(id.as_str()) {
                if best.is_some_and(|(b, _)| b <= at) {
                    break;
                }
                let before = subject[..at].chars().next_back();
                let after = subject[at + id.len()..].chars().next();
                let bounded = |c: Option<char>, edge: Option<char>| {
                    c.is_none_or(|c| !is_word_char(c) || edge.is_some_and(|e| !is_word_char(e)))
                };
                if bounded(before, id.chars().next()) && bounded(after, id.chars().next_back()) {
                    best = Some((at, id.as_str()));
                    break;
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// The class an item's kind decides.
    fn by_kind(&self, kind: Kind) -> Class {
        if self.debt_kinds.contains(&kind) {
            Class::Debt
        } else if matches!(kind, Kind::Feature | Kind::Experiment) {
            Class::Feature
        } else {
            Class::Unclassified
        }
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

/// Whether an item id links commits through their subjects: only an id that
/// holds a digit (`PAY-101`, not `vitest`), since a word-like id is also an
/// ordinary word of many subjects. Trailers link any id.
pub(super) fn links_by_subject(id: &str) -> bool {
    id.chars().any(|c| c.is_ascii_digit())
}

/// The bit of [`Classifier::id_lengths`] for a word of `s`'s length.
fn length_bit(s: &str) -> u64 {
    1 << s.len().min(63)
}

/// Whether `c` belongs to a word of a subject, for finding item ids.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{MAX_MESSAGE_BYTES, MAX_MESSAGE_PART_BYTES};
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
    fn an_item_id_in_the_subject_links_as_a_whole_word() {
        let c = classifier();
        let item = |s: &str| c.item_in_subject(s).map(str::to_string);
        assert_eq!(
            item("feat(checkout): one-click (PAY-1)"),
            Some("PAY-1".into())
        );
        assert_eq!(item("PAY-1: start"), Some("PAY-1".into()), "at the start");
        assert_eq!(
            item("fix: OPS-7, then PAY-1"),
            Some("OPS-7".into()),
            "the first wins"
        );
        assert_eq!(item("feat: PAY-10 is another item"), None, "a longer id");
        assert_eq!(item("feat: XPAY-1"), None, "a longer word");
        assert_eq!(item("feat: PAY-1-followup"), None, "a hyphen joins words");
        assert_eq!(item("feat: pay-1"), None, "ids are compared exactly");
        assert_eq!(item("feat: [PAY-1]."), Some("PAY-1".into()));
        // The cascade: a known trailer, then the subject, then the type.
        assert_eq!(
            class("fix: crash (PAY-1)"),
            Class::Feature,
            "the subject's item"
        );
        assert_eq!(
            class("fix: crash (PAY-1)\n\nRoadmap-Item: OPS-7\n"),
            Class::Debt,
            "the trailer over the subject"
        );
        assert_eq!(
            class("feat: tidy (PL-1)"),
            Class::Unclassified,
            "a platform item"
        );
        let key = MessageKey::parse(
            b"fix: crash (PAY-1)\n\nRoadmap-Item: NOPE-2\n",
            "Roadmap-Item",
        );
        let judged = c.classify_key(&key);
        assert_eq!(
            judged.item,
            Some("PAY-1"),
            "an unknown trailer falls through"
        );
        assert!(judged.unknown_trailer);
    }

    #[test]
    fn ids_with_other_characters_are_found_by_search() {
        let items = HashMap::from([
            ("Q1 goal".to_string(), Kind::Debt),
            ("v2.0".to_string(), Kind::Feature),
        ]);
        let c = Classifier::new(&Config::default().history, items, vec![Kind::Debt]);
        assert_eq!(
            c.item_in_subject("chore: the Q1 goal, done"),
            Some("Q1 goal")
        );
        assert_eq!(c.item_in_subject("feat: ship v2.0"), Some("v2.0"));
        assert_eq!(c.item_in_subject("feat: ship v2.01"), None);
        assert_eq!(c.item_in_subject("feat: shipv2.0"), None);
    }

    #[test]
    fn the_author_comes_from_the_commit_header() {
        let object = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Dana Scully <Dana@Example.com> 1767571200 +0100\ncommitter Lee <lee@example.com> 1767657600 +0000\n\nfeat: x (PAY-1)\n";
        let key = MessageKey::parse_commit(object, "Roadmap-Item");
        assert_eq!(key.name, "Dana Scully");
        assert_eq!(key.email, "Dana@Example.com");
        assert_eq!(key.author_time, 1_767_571_200);
        assert_eq!(author_identity(&key.name, &key.email), "dana@example.com");
        assert_eq!(key.subject, "feat: x (PAY-1)");
        assert_eq!(
            author_identity("Bot", ""),
            "bot",
            "the name without an email"
        );
        let bare = MessageKey::parse_commit(b"tree x\n\nfix: y\n", "Roadmap-Item");
        assert_eq!((bare.name.as_str(), bare.author_time), ("", 0));
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
            assert_eq!(c.classify_key(&key).class, c.classify(&facts), "{msg:?}");
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
