//! Classifying a commit as debt, feature or unclassified work.
//!
//! A `Roadmap-Item: ID` trailer (the configured `item_trailer`) decides first:
//! the named item's kind makes the commit debt (a kind listed in
//! `debt-share.kinds`), feature (`feature`, `experiment`) or unclassified.
//! Without a trailer naming a known item, the Conventional Commits type decides
//! (`type(scope)!: subject`, case-insensitive) through `[history]`'s lists.

use crate::config::HistoryConfig;
use crate::model::Kind;
use gix::bstr::ByteSlice;
use std::collections::HashMap;

/// What a commit counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Class {
    /// Debt and sustainment work.
    Debt,
    /// Feature work.
    Feature,
    /// Neither (docs, style, non-conventional subjects, …).
    Unclassified,
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
        let msg = gix::objs::commit::MessageRef::from_bytes(message);
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

/// The Conventional Commits type of a subject, lower-cased, if it has one.
/// A `Revert "…"` subject has none.
pub fn conventional_type(subject: &str) -> Option<String> {
    let commit = git_conventional::Commit::parse(subject).ok()?;
    Some(commit.type_().as_str().to_ascii_lowercase())
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
        if let Some(kind) = msg
            .trailer(&self.item_trailer)
            .and_then(|id| self.items.get(id))
        {
            return if self.debt_kinds.contains(kind) {
                Class::Debt
            } else if matches!(kind, Kind::Feature | Kind::Experiment) {
                Class::Feature
            } else {
                Class::Unclassified
            };
        }
        match conventional_type(&msg.subject) {
            Some(t) if self.debt_types.contains(&t) => Class::Debt,
            Some(t) if self.feature_types.contains(&t) => Class::Feature,
            _ => Class::Unclassified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

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
        assert_eq!(class("Revert \"feat: add checkout\""), Class::Unclassified);
        assert_eq!(class("revert: feat: add checkout"), Class::Debt);
        assert_eq!(class(""), Class::Unclassified);
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
    fn non_utf8_messages_decode_lossily() {
        let msg = MessageFacts::parse(b"fix: caf\xe9 cr\xe8me\n\nTech-Approved-By: l\xe9e\n");
        assert!(msg.subject.starts_with("fix: caf"));
        assert_eq!(classifier().classify(&msg), Class::Debt);
        assert!(msg.trailer("tech-approved-by").is_some());
    }
}
