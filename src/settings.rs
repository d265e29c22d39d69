//! The configuration in force, as plain data: levels, each rule's parameters,
//! the `[history]` and `[signoff]` tables.
//!
//! A rule declares its parameters ([`Param`]: name, kind, default, doc) in its
//! own file; this module only stores what `roadlint.toml` set and answers
//! with the declared default otherwise. Reading the file lives in `config`,
//! above the rules, so that the rules can use these types without importing
//! the reader that iterates them.

use crate::diagnostic::RuleId;
use crate::source::{FileId, Span};
use std::collections::BTreeMap;
use std::marker::PhantomData;

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
    /// Where it was set, in [`Setting::file`].
    pub span: Option<Span>,
    /// The file of the `extends` chain that set it (`roadlint.toml` or a
    /// preset), so that a "set here" label points into the right file.
    pub file: Option<FileId>,
}

impl<T> Setting<T> {
    /// A value nobody set: the default.
    pub fn default(value: T) -> Self {
        Setting {
            value,
            span: None,
            file: None,
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
    /// A list of words from a fixed vocabulary (item kinds, request fields).
    Words {
        /// What one word is, e.g. "item kind".
        what: &'static str,
        /// Every word that may be listed.
        of: &'static [&'static str],
    },
}

impl ParamKind {
    /// What a valid value looks like, for a diagnostic.
    pub fn expected(self) -> String {
        match self {
            ParamKind::Share => "a share from 0.0 to 1.0".into(),
            ParamKind::Weeks => "a number of weeks > 0".into(),
            ParamKind::Count => "a whole number ≥ 1".into(),
            ParamKind::Words { what, .. } => format!("a list of {what}s"),
        }
    }

    /// Whether `n` is a valid value of a numeric kind.
    pub fn accepts(self, n: f64) -> bool {
        match self {
            ParamKind::Share => (0.0..=1.0).contains(&n),
            ParamKind::Weeks => n > 0.0 && n.is_finite(),
            ParamKind::Count => n >= 1.0 && n.fract() == 0.0 && n.is_finite(),
            ParamKind::Words { .. } => false,
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
    /// A list of words.
    Words(&'static [&'static str]),
}

impl ParamDefault {
    /// The value as written in `roadlint.toml` (`0.20`, `4`, `["debt"]`).
    pub fn to_toml(self) -> String {
        Value::from(self).to_toml()
    }
}

/// A value read from `roadlint.toml`, validated by its parameter's kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A share or a number of weeks.
    Number(f64),
    /// A whole number.
    Count(u64),
    /// A list of words, each from the parameter's vocabulary.
    Words(Vec<String>),
}

impl Value {
    /// The value as written in `roadlint.toml` (`0.20`, `4`, `["debt"]`).
    pub fn to_toml(&self) -> String {
        match self {
            Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Value::Number(n) => format!("{n:.2}"),
            Value::Count(n) => n.to_string(),
            Value::Words(words) => {
                let quoted: Vec<String> = words.iter().map(|s| format!("\"{s}\"")).collect();
                format!("[{}]", quoted.join(", "))
            }
        }
    }
}

impl From<ParamDefault> for Value {
    fn from(d: ParamDefault) -> Value {
        match d {
            ParamDefault::Number(n) => Value::Number(n),
            ParamDefault::Count(n) => Value::Count(n),
            ParamDefault::Words(w) => Value::Words(w.iter().map(|s| s.to_string()).collect()),
        }
    }
}

/// One parameter as `init`, `schema --config`, `explain` and the config
/// reader see it: untyped, so that they can iterate every rule's.
#[derive(Clone, Copy, Debug)]
pub struct ParamDecl {
    /// The key inside the rule's table in `[rules]`.
    pub name: &'static str,
    /// How it is read and validated.
    pub kind: ParamKind,
    /// The value when `roadlint.toml` says nothing.
    pub default: ParamDefault,
    /// One line for `explain` and the schema.
    pub doc: &'static str,
}

/// A parameter of the rule whose settings are `S`, holding a `T`: declared
/// once, in the rule's file. Its two types make reading it as the wrong kind,
/// or from another rule's settings, a compile error.
pub struct Param<S, T: ParamValue> {
    /// The untyped declaration.
    pub decl: ParamDecl,
    default: T::Const,
    rule: PhantomData<fn() -> S>,
}

impl<S> Param<S, f64> {
    /// A share from 0.0 to 1.0.
    pub const fn share(name: &'static str, default: f64, doc: &'static str) -> Self {
        Param::declare(
            name,
            ParamKind::Share,
            ParamDefault::Number(default),
            default,
            doc,
        )
    }

    /// A number of engineer-weeks, > 0.
    pub const fn weeks(name: &'static str, default: f64, doc: &'static str) -> Self {
        Param::declare(
            name,
            ParamKind::Weeks,
            ParamDefault::Number(default),
            default,
            doc,
        )
    }
}

impl<S> Param<S, u64> {
    /// A whole number ≥ 1.
    pub const fn count(name: &'static str, default: u64, doc: &'static str) -> Self {
        Param::declare(
            name,
            ParamKind::Count,
            ParamDefault::Count(default),
            default,
            doc,
        )
    }
}

impl<S> Param<S, Vec<String>> {
    /// A list of words, each one of `of` (`what` names one of them).
    pub const fn words(
        name: &'static str,
        what: &'static str,
        of: &'static [&'static str],
        default: &'static [&'static str],
        doc: &'static str,
    ) -> Self {
        let kind = ParamKind::Words { what, of };
        Param::declare(name, kind, ParamDefault::Words(default), default, doc)
    }
}

impl<S, T: ParamValue> Param<S, T> {
    const fn declare(
        name: &'static str,
        kind: ParamKind,
        untyped: ParamDefault,
        default: T::Const,
        doc: &'static str,
    ) -> Self {
        Param {
            decl: ParamDecl {
                name,
                kind,
                default: untyped,
                doc,
            },
            default,
            rule: PhantomData,
        }
    }
}

/// A type a parameter can hold: how its default is declared as a constant,
/// and how it is taken out of a [`Value`] of its kind.
pub trait ParamValue: Sized {
    /// The default as a constant.
    type Const: Copy;
    /// The value of a constant default.
    fn from_const(c: Self::Const) -> Self;
    /// The value read, when it has this type.
    fn from_value(v: &Value) -> Option<Self>;
}

impl ParamValue for f64 {
    type Const = f64;
    fn from_const(c: f64) -> f64 {
        c
    }
    fn from_value(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl ParamValue for u64 {
    type Const = u64;
    fn from_const(c: u64) -> u64 {
        c
    }
    fn from_value(v: &Value) -> Option<u64> {
        match v {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }
}

impl ParamValue for Vec<String> {
    type Const = &'static [&'static str];
    fn from_const(c: &'static [&'static str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }
    fn from_value(v: &Value) -> Option<Vec<String>> {
        match v {
            Value::Words(w) => Some(w.clone()),
            _ => None,
        }
    }
}

/// A rule's settings as one value of the rule's own type, declared in the
/// rule's file next to its parameters: what it reads, its defaults, and the
/// checks across parameters (`min` ≤ `max`).
pub trait RuleSettings: Sized {
    /// The rule these settings belong to.
    const RULE: RuleId;
    /// Its parameters, for `init`, the schema, `explain` and the reader.
    const PARAMS: &'static [ParamDecl];

    /// The settings from what `roadlint.toml` set (defaults elsewhere).
    fn read(params: &Params<'_, Self>) -> Self;

    /// Problems across parameters, each with the span it is about.
    fn validate(&self) -> Vec<(Span, String)> {
        Vec::new()
    }

    /// The settings in force in `config`.
    fn of(config: &Config) -> Self {
        Self::read(&Params {
            config,
            rule: PhantomData,
        })
    }
}

/// The parameters `roadlint.toml` set for the rule whose settings are `S`.
pub struct Params<'c, S> {
    config: &'c Config,
    rule: PhantomData<fn() -> S>,
}

impl<S: RuleSettings> Params<'_, S> {
    /// The value of `p`, and where it was set.
    pub fn get<T: ParamValue>(&self, p: &Param<S, T>) -> Setting<T> {
        self.config
            .params
            .get(&(S::RULE, p.decl.name))
            .and_then(|s| {
                T::from_value(&s.value).map(|value| Setting {
                    value,
                    span: s.span,
                    file: s.file,
                })
            })
            .unwrap_or_else(|| Setting::default(T::from_const(p.default)))
    }
}

/// What the registry keeps of a rule's settings: the declarations, and the
/// cross-parameter check run once the file is read.
#[derive(Clone, Copy, Debug)]
pub struct SettingsDecl {
    /// The rule's parameters.
    pub params: &'static [ParamDecl],
    /// The settings' [`RuleSettings::validate`], read from a config.
    pub validate: fn(&Config) -> Vec<(Span, String)>,
}

impl SettingsDecl {
    /// The declaration of `S`.
    pub const fn of<S: RuleSettings>() -> SettingsDecl {
        SettingsDecl {
            params: S::PARAMS,
            validate: validate::<S>,
        }
    }
}

fn validate<S: RuleSettings>(config: &Config) -> Vec<(Span, String)> {
    S::of(config).validate()
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
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// What signs a change off: trailers, or SSH-signed approval files.
    pub verify: Verify,
    /// The allowed-signers file (git's format), relative to the root.
    pub allowed_signers: String,
    /// The folder of `*.approval` files, relative to the root.
    pub approvals: String,
}

/// `[signoff] verify`: what proves a sign-off (SPEC §9.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Verify {
    /// Trailers name the approvers (anyone can type a name).
    #[default]
    Trailers,
    /// Approval files signed with SSH keys listed in `allowed_signers`.
    Ssh,
}

/// One `[[roadmap]]` entry (SPEC §9.8): a team's roadmap in a repository
/// that holds several.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoadmapDecl {
    /// Its name: prefixes its messages, keys its JSON.
    pub name: String,
    /// Globs selecting its roadmap files.
    pub files: Vec<String>,
    /// Globs of the paths whose commits are its work.
    pub code: Vec<String>,
    /// Its product approvers (`[roadmap.signoff]`), when it names them.
    pub product_approvers: Option<Vec<String>>,
    /// Its tech approvers, when it names them.
    pub tech_approvers: Option<Vec<String>>,
}

/// The whole configuration. `config::defaults()` (which knows every rule)
/// builds the default one; `config::parse` reads `roadlint.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The `roadlint.toml` it came from, if any.
    pub file: Option<FileId>,
    /// Every file it was read from, as shown: `roadlint.toml` first, then
    /// the presets of its `extends` chain in the order they apply (SPEC
    /// §9.8). Empty for the defaults and for a lone file read with
    /// `config::parse`; see [`Config::files_read`].
    pub files: Vec<String>,
    /// The `extends` entries of the file read last (the root), as written:
    /// `path`, or `path (sha256 <hex>)` when pinned. A change of them is a
    /// change of the agreement.
    pub extends: Vec<String>,
    /// The files of the chain in the order they were applied, the root
    /// last (for `roadlint config --show-origin`).
    pub(crate) chain: Vec<FileId>,
    /// Globs selecting roadmap files, relative to the repository root
    /// (with `[[roadmap]]` entries: all of their `files`).
    pub roadmap: Vec<String>,
    /// The `[[roadmap]]` entries; empty for a repository with one roadmap.
    pub roadmaps: Vec<RoadmapDecl>,
    /// Month (1–12) that starts fiscal Q1.
    pub fiscal_year_start: u8,
    /// The level of every rule.
    pub levels: BTreeMap<RuleId, Setting<Level>>,
    /// Parameters `roadlint.toml` set, by rule and name; the rest default.
    /// Read them through the rule's [`RuleSettings`].
    pub(crate) params: BTreeMap<(RuleId, &'static str), Setting<Value>>,
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

    /// Every file this configuration was read from: `roadlint.toml` and
    /// the resolved `extends` chain. A change to any of them is a change of
    /// the agreement (SPEC §9.8, §9.2).
    pub fn files_read(&self) -> &[String] {
        &self.files
    }

    /// The presets of the `extends` chain (every file read but the root).
    pub fn presets(&self) -> &[String] {
        self.files.get(1..).unwrap_or_default()
    }

    /// The name of the roadmap whose `files` select `path` (the first that
    /// does), or `None` without `[[roadmap]]` entries or outside them all.
    pub fn roadmap_of(&self, path: &str) -> Option<&str> {
        self.roadmaps
            .iter()
            .find(|r| crate::globs::compiled(&r.files).is_some_and(|set| set.is_match(path)))
            .map(|r| r.name.as_str())
    }

    /// The sign-off lists that judge a change to the roadmap file at
    /// `path`: its roadmap's `[roadmap.signoff]` lists where it names them,
    /// else the root `[signoff]` lists (SPEC §9.8).
    pub fn signoff_for(&self, path: &str) -> std::borrow::Cow<'_, SignoffConfig> {
        use std::borrow::Cow;
        let Some(name) = self.roadmap_of(path) else {
            return Cow::Borrowed(&self.signoff);
        };
        let Some(decl) = self.roadmaps.iter().find(|r| r.name == name) else {
            return Cow::Borrowed(&self.signoff);
        };
        if decl.product_approvers.is_none() && decl.tech_approvers.is_none() {
            return Cow::Borrowed(&self.signoff);
        }
        let mut s = self.signoff.clone();
        if let Some(p) = &decl.product_approvers {
            s.product_approvers = p.clone();
        }
        if let Some(t) = &decl.tech_approvers {
            s.tech_approvers = t.clone();
        }
        Cow::Owned(s)
    }

    /// Where the approver lists of [`Config::signoff_for`] come from, as
    /// messages name them: `(product, tech)`, each `None` for the root
    /// `[signoff]` lists, else its `[[roadmap]]` entry's table.
    pub fn approvers_listed_in(&self, path: &str) -> (Option<String>, Option<String>) {
        let Some(decl) = self
            .roadmap_of(path)
            .and_then(|name| self.roadmaps.iter().find(|r| r.name == name))
        else {
            return (None, None);
        };
        let named = |list: &Option<Vec<String>>, what: &str| {
            list.as_ref()
                .map(|_| format!("`[[roadmap]] \"{}\" signoff.{what}_approvers`", decl.name))
        };
        (
            named(&decl.product_approvers, "product"),
            named(&decl.tech_approvers, "tech"),
        )
    }

    /// Whether `rule` runs at all.
    pub fn enabled(&self, rule: RuleId) -> bool {
        self.level(rule) != Level::Off
    }
}
