//! The one diagnostic type every rule produces and every reporter prints.

use crate::escape::escape_text;
use crate::source::{FileId, Span};

/// The id of a rule, or of one of the two reports that are not rules
/// (`config`, `history`). A rule declares its own id in its file
/// (`declare_rule!`); the two below are known to the model and the
/// configuration reader, which sit below the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    /// Malformed TOML, unreadable or refused files (structural rule).
    pub const PARSE: RuleId = RuleId("parse");
    /// Unknown keys, wrong types, bad values (structural rule).
    pub const SCHEMA: RuleId = RuleId("schema");
    /// Problems in `roadlint.toml`: not a rule, always exit 2.
    pub const CONFIG: RuleId = RuleId("config");
    /// Notes about the history scan itself (skipped, truncated): not a rule.
    pub const HISTORY: RuleId = RuleId("history");

    /// A rule id; only `declare_rule!` and the constants above make one.
    pub const fn new(id: &'static str) -> Self {
        RuleId(id)
    }

    /// The kebab-case id, as written in `roadlint.toml` and every output.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A rule id is stored (the history memo) as its name.
impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// Distinct rule names read back in this process, at most: far more than
/// roadlint has rules, so a damaged store cannot grow the set without bound.
const READ_NAMES: usize = 256;

/// A rule id read back from a store. Its name is kept once per process
/// (an id is `'static`); a store naming more distinct rules than
/// [`READ_NAMES`] does not read.
impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
        let name = String::deserialize(d)?;
        let mut names = NAMES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = names.iter().find(|n| **n == name) {
            return Ok(RuleId(known));
        }
        if names.len() >= READ_NAMES {
            return Err(D::Error::custom("too many distinct rule names"));
        }
        let kept: &'static str = Box::leak(name.into_boxed_str());
        names.push(kept);
        Ok(RuleId(kept))
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails the run (exit code 1).
    Error,
    /// Reported, but the run still passes.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary pointer, e.g. at the config line that set a limit.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// File the label points into.
    pub file: FileId,
    /// Where in that file.
    pub span: Span,
    /// What the reader should see there.
    pub text: String,
}

/// The commit a history diagnostic is about.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommitRef {
    /// Full hexadecimal object id.
    pub id: String,
    /// The commit's subject line.
    pub subject: String,
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Keeps what the author meant (a misspelt key or value, quotes around
    /// a number): `roadlint check --fix` applies it.
    Safe,
    /// Needs a person to finish or confirm it (an empty field to fill): only
    /// offered, as an editor's code action.
    Unsafe,
}

/// A replacement of the text under `span` in `file`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The file to change.
    pub file: FileId,
    /// What to replace (empty to insert at `span.start`).
    pub span: Span,
    /// The new text.
    pub text: String,
}

/// A change that resolves a diagnostic, made by whoever found the problem
/// and carried with it, so that no caller has to read the message to act.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What it does, as an action title (`Replace with `effort``).
    pub title: String,
    /// Whether `check --fix` may apply it.
    pub applicability: Applicability,
    /// The edits, none overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix made of one edit.
    pub fn replace(
        title: impl Into<String>,
        applicability: Applicability,
        file: FileId,
        span: Span,
        text: impl Into<String>,
    ) -> Fix {
        Fix {
            title: title.into(),
            applicability,
            edits: vec![Edit {
                file,
                span,
                text: text.into(),
            }],
        }
    }
}

/// One breach of one rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: RuleId,
    /// Set from the configured level when the diagnostic is collected.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The file the diagnostic is about (none for repository-wide notes).
    pub file: Option<FileId>,
    /// The primary span in `file`.
    pub span: Option<Span>,
    /// Text under the primary span.
    pub label: Option<String>,
    /// Secondary labels, possibly in other files.
    pub labels: Vec<Label>,
    /// The quarter concerned, e.g. `2026-Q1`.
    pub quarter: Option<String>,
    /// The item id concerned.
    pub item: Option<String>,
    /// The commit concerned (history rules).
    pub commit: Option<CommitRef>,
    /// A change that resolves it, when one is known.
    pub fix: Option<Fix>,
    /// The `[[roadmap]]` it is about (SPEC §9.8), in a repository that
    /// declares several.
    pub roadmap: Option<String>,
}

impl Diagnostic {
    /// A new error-level diagnostic of `rule`; the level is adjusted to the
    /// configuration when it is collected.
    pub fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            file: None,
            span: None,
            label: None,
            labels: Vec::new(),
            quarter: None,
            item: None,
            commit: None,
            fix: None,
            roadmap: None,
        }
    }

    /// The message as the human formats show it: prefixed with `[<name>]`
    /// when it is about one of several roadmaps.
    pub fn shown_message(&self) -> std::borrow::Cow<'_, str> {
        match &self.roadmap {
            Some(name) => format!("[{name}] {}", self.message).into(),
            None => self.message.as_str().into(),
        }
    }

    /// Point the diagnostic at `span` in `file`.
    pub fn at(mut self, file: FileId, span: Span) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self
    }

    /// Name the `[[roadmap]]` it is about (SPEC §9.8), for a diagnostic
    /// that may point into no file: one about a roadmap file that is gone
    /// today. Diagnostics in a file are named after it when collected.
    pub fn in_roadmap(mut self, name: Option<&str>) -> Self {
        self.roadmap = name.map(str::to_string);
        self
    }

    /// Add the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Text shown under the primary span.
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }

    /// Add a secondary label.
    pub fn with_label(mut self, file: FileId, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            text: text.into(),
        });
        self
    }

    /// Name the quarter concerned.
    pub fn quarter(mut self, quarter: impl ToString) -> Self {
        self.quarter = Some(quarter.to_string());
        self
    }

    /// Name the item concerned.
    pub fn item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    /// Name the commit concerned.
    pub fn commit(mut self, id: impl Into<String>, subject: impl Into<String>) -> Self {
        self.commit = Some(CommitRef {
            id: id.into(),
            subject: subject.into(),
        });
        self
    }

    /// Name the commit concerned, unless it is the commit being made (a
    /// hook's, with no id yet).
    pub fn made_by(self, commit: &CommitRef) -> Self {
        if commit.id.is_empty() {
            self
        } else {
            self.commit(commit.id.clone(), commit.subject.clone())
        }
    }

    /// Attach the change that resolves it.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Set the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Escape every text field that may carry data from the repository, so no
    /// output format can print a raw control character.
    pub fn sanitized(mut self) -> Self {
        fn clean(s: &mut String) {
            if let std::borrow::Cow::Owned(o) = escape_text(s) {
                *s = o;
            }
        }
        clean(&mut self.message);
        for s in [
            &mut self.help,
            &mut self.label,
            &mut self.quarter,
            &mut self.item,
        ]
        .into_iter()
        .flatten()
        {
            clean(s);
        }
        for l in &mut self.labels {
            clean(&mut l.text);
        }
        if let Some(c) = &mut self.commit {
            c.subject = crate::escape::escape_data(&c.subject).into_owned();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_removes_raw_escapes_everywhere() {
        let d = Diagnostic::new(RuleId::SCHEMA, "bad \u{1b}[2J")
            .help("fix \u{7}")
            .item("X\u{1b}")
            .commit("abc", "feat: \u{1b}]0;title\u{7}")
            .sanitized();
        let all = format!("{d:?}");
        assert!(!d.message.contains('\u{1b}'));
        assert!(!d.help.as_deref().unwrap().contains('\u{7}'));
        assert!(!d.item.as_deref().unwrap().contains('\u{1b}'));
        assert!(!d.commit.unwrap().subject.contains('\u{1b}'));
        assert!(!all.contains('\u{1b}'));
    }
}
