//! The configuration in force, as plain data: levels, each rule's parameters,
//! the `[history]` and `[signoff]` tables.
//!
//! A rule declares its parameters ([`Param`]: name, kind, default, doc) in its
//! own file; this module only stores what `roadlint.toml` set and answers
//! with the declared default otherwise. Reading the file lives in `config`,
//! above the rules, so that the rules can use these types without importing
//! the reader that iterates them.

use crate::diagnostic::RuleId;
use crate::model::Kind;
use crate::source::{FileId, Span};
use std::collections::BTreeMap;

/// How a rule's breaches are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Reported, fails the run.
    Error,
    /// Reported, does not fail the run.
    Warn,
    /// Not checked.
    Off,
}

impl Level {
    /// The spelling in `roadlint.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Off => "off",
        }
    }

    /// Read a level as written in `roadlint.toml` (`warning` is accepted).
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "error" => Some(Level::Error),
            "warn" | "warning" => Some(Level::Warn),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

/// A configured value and where it was set (`None` when it is the default).
#[derive(Clone, Debug, PartialEq)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Where `roadlint.toml` set it.
    pub span: Option<Span>,
}

impl<T> Setting<T> {
    /// A value nobody set: the default.
    pub fn default(value: T) -> Self {
        Setting { value, span: None }
    }

    /// The same setting, its value converted.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Setting<U> {
        Setting {
            value: f(self.value),
            span: self.span,
        }
    }
}

/// What kind of value a rule parameter holds: decides how it is read,
/// validated, written into `init`'s file and described in the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A share from 0.0 to 1.0.
    Share,
    /// A number of engineer-weeks, > 0.
    Weeks,
    /// A whole number ≥ 1.
    Count,
    /// A list of item kinds.
    Kinds,
    /// A list of request fields.
    RequestFields,
}

impl ParamKind {
    /// What a valid value looks like, for a diagnostic.
    pub fn expected(self) -> &'static str {
        match self {
            ParamKind::Share => "a share from 0.0 to 1.0",
            ParamKind::Weeks => "a number of weeks > 0",
            ParamKind::Count => "a whole number ≥ 1",
            ParamKind::Kinds => "a list of item kinds",
            ParamKind::RequestFields => "a list of request fields",
        }
    }

    /// Whether `n` is a valid value of a numeric kind.
    pub fn accepts(self, n: f64) -> bool {
        match self {
            ParamKind::Share => (0.0..=1.0).contains(&n),
            ParamKind::Weeks => n > 0.0 && n.is_finite(),
            ParamKind::Count => n >= 1.0 && n.fract() == 0.0 && n.is_finite(),
            ParamKind::Kinds | ParamKind::RequestFields => false,
        }
    }
}

/// A parameter's default, as a constant the rule file can declare.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamDefault {
    /// A share or a number of weeks.
    Number(f64),
    /// A whole number.
    Count(u64),
    /// Item kinds.
    Kinds(&'static [Kind]),
    /// Request fields.
    Fields(&'static [&'static str]),
}

impl ParamDefault {
    /// The value as written in `roadlint.toml` (`0.20`, `4`, `["debt"]`).
    pub fn to_toml(&self) -> String {
        fn list<T: AsRef<str>>(items: impl Iterator<Item = T>) -> String {
            let quoted: Vec<String> = items.map(|s| format!("\"{}\"", s.as_ref())).collect();
            format!("[{}]", quoted.join(", "))
        }
        match self {
            ParamDefault::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            ParamDefault::Number(n) => format!("{n:.2}"),
            ParamDefault::Count(n) => n.to_string(),
            ParamDefault::Kinds(k) => list(k.iter().map(|k| crate::model::Keyword::as_str(*k))),
            ParamDefault::Fields(f) => list(f.iter()),
        }
    }
}

/// A value read from `roadlint.toml` (or a default made owned).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A share or a number of weeks.
    Number(f64),
    /// A whole number.
    Count(u64),
    /// Item kinds.
    Kinds(Vec<Kind>),
    /// Request fields.
    Fields(Vec<String>),
}

impl From<ParamDefault> for Value {
    fn from(d: ParamDefault) -> Value {
        match d {
            ParamDefault::Number(n) => Value::Number(n),
            ParamDefault::Count(n) => Value::Count(n),
            ParamDefault::Kinds(k) => Value::Kinds(k.to_vec()),
            ParamDefault::Fields(f) => Value::Fields(f.iter().map(|s| s.to_string()).collect()),
        }
    }
}

/// One parameter of a rule: declared once, in the rule's file.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The key inside the rule's table in `[rules]`.
    pub name: &'static str,
    /// How it is read and validated.
    pub kind: ParamKind,
    /// The value when `roadlint.toml` says nothing.
    pub default: ParamDefault,
    /// One line for `explain` and the schema.
    pub doc: &'static str,
}

/// The `[history]` table: how commits are classified.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryConfig {
    /// Conventional Commit types that count as debt/sustainment.
    pub debt_types: Vec<String>,
    /// Conventional Commit types that count as feature work.
    pub feature_types: Vec<String>,
    /// Trailer naming the roadmap item a commit works on.
    pub item_trailer: String,
    /// Whether merge commits are classified.
    pub include_merges: bool,
    /// History rules ignore commits before this day (the adoption day);
    /// `--since` overrides it.
    pub since: Option<crate::calendar::Date>,
    /// The unit of actual effort.
    pub measure: crate::units::Measure,
    /// Authors (name or email, `*`/`?` wildcards, case-insensitive) whose
    /// commits count nowhere: bots.
    pub ignore_authors: crate::globs::Wildcards,
}

/// The `[signoff]` table: trailers that approve a change to a locked quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct SignoffConfig {
    /// Trailer naming the product approver.
    pub product_trailer: String,
    /// Trailer naming the tech approver.
    pub tech_trailer: String,
    /// When non-empty, the only people who may give the product sign-off
    /// (otherwise the owners before the commit may).
    pub product_approvers: Vec<String>,
    /// When non-empty, the only people who may give the tech sign-off.
    pub tech_approvers: Vec<String>,
}

/// The whole configuration. `config::defaults()` (which knows every rule)
/// builds the default one; `config::parse` reads `roadlint.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The `roadlint.toml` it came from, if any.
    pub file: Option<FileId>,
    /// Globs selecting roadmap files, relative to the repository root.
    pub roadmap: Vec<String>,
    /// Month (1–12) that starts fiscal Q1.
    pub fiscal_year_start: u8,
    /// The level of every rule.
    pub levels: BTreeMap<RuleId, Setting<Level>>,
    /// Parameters `roadlint.toml` set, by rule and name; the rest default.
    pub params: BTreeMap<(RuleId, &'static str), Setting<Value>>,
    /// Commit classification.
    pub history: HistoryConfig,
    /// Sign-off trailers.
    pub signoff: SignoffConfig,
}

impl Config {
    /// The level of a rule (structural rules, and ids that are not rules, are
    /// always errors).
    pub fn level(&self, rule: RuleId) -> Level {
        self.levels.get(&rule).map_or(Level::Error, |s| s.value)
    }

    /// Whether `rule` runs at all.
    pub fn enabled(&self, rule: RuleId) -> bool {
        self.level(rule) != Level::Off
    }

    /// Where the level of `rule` was set, if in the file.
    pub fn level_span(&self, rule: RuleId) -> Option<Span> {
        self.levels.get(&rule).and_then(|s| s.span)
    }

    fn param(&self, rule: RuleId, p: &Param) -> Setting<Value> {
        self.params
            .get(&(rule, p.name))
            .cloned()
            .unwrap_or_else(|| Setting::default(p.default.into()))
    }

    /// A numeric parameter (share, weeks) of `rule`.
    pub fn number(&self, rule: RuleId, p: &Param) -> Setting<f64> {
        self.param(rule, p).map(|v| match v {
            Value::Number(n) => n,
            Value::Count(n) => n as f64,
            _ => f64::NAN,
        })
    }

    /// A whole-number parameter of `rule`.
    pub fn count(&self, rule: RuleId, p: &Param) -> Setting<u64> {
        self.param(rule, p).map(|v| match v {
            Value::Count(n) => n,
            Value::Number(n) => n as u64,
            _ => 0,
        })
    }

    /// An item-kind list parameter of `rule`.
    pub fn kinds(&self, rule: RuleId, p: &Param) -> Setting<Vec<Kind>> {
        self.param(rule, p).map(|v| match v {
            Value::Kinds(k) => k,
            _ => Vec::new(),
        })
    }

    /// A request-field list parameter of `rule`.
    pub fn fields(&self, rule: RuleId, p: &Param) -> Setting<Vec<String>> {
        self.param(rule, p).map(|v| match v {
            Value::Fields(f) => f,
            _ => Vec::new(),
        })
    }
}
