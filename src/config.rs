//! `roadlint.toml`: which rules run at which level, with which limits.
//!
//! Every setting keeps the span it was read from, so a diagnostic about a limit
//! can point back at the line that set it ("minimum set here"). A bad config is
//! a set of `config` diagnostics, and the run stops with exit code 2.

use crate::diagnostic::Diagnostic;
use crate::model::reader::TableReader;
use crate::model::{Keyword, Kind, REQUEST_FIELDS};
use crate::rules::{ids, registry, RuleGroup};
use crate::source::{FileId, Span};
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

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

    fn parse(s: &str) -> Option<Level> {
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
    fn default(value: T) -> Self {
        Setting { value, span: None }
    }
}

/// Parameters of `debt-share`.
#[derive(Clone, Debug, PartialEq)]
pub struct DebtShareConfig {
    /// Minimum share of effort on debt kinds.
    pub min: Setting<f64>,
    /// Maximum share.
    pub max: Setting<f64>,
    /// Which item kinds count as debt/sustainment.
    pub kinds: Setting<Vec<Kind>>,
}

/// Parameters of `history-debt-share`.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryDebtShareConfig {
    /// Minimum actual share of debt commits.
    pub min: Setting<f64>,
    /// Largest allowed difference between planned and actual share.
    pub max_drift: Setting<f64>,
    /// Quarters with fewer classified commits are not judged.
    pub min_commits: Setting<u64>,
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
}

/// The `[signoff]` table: trailers that approve a change to a locked quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct SignoffConfig {
    /// Trailer naming the product approver.
    pub product_trailer: String,
    /// Trailer naming the tech approver.
    pub tech_trailer: String,
}

/// The whole configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The `roadlint.toml` it came from, if any.
    pub file: Option<FileId>,
    /// Globs selecting roadmap files, relative to the repository root.
    pub roadmap: Vec<String>,
    /// Month (1–12) that starts fiscal Q1.
    pub fiscal_year_start: u8,
    levels: BTreeMap<&'static str, Setting<Level>>,
    /// `debt-share` parameters.
    pub debt_share: DebtShareConfig,
    /// `request-fields`: the fields an accepted request must fill.
    pub request_required: Setting<Vec<String>>,
    /// `research-timebox`: the longest allowed timebox.
    pub research_max_weeks: Setting<f64>,
    /// `history-debt-share` parameters.
    pub history_debt_share: HistoryDebtShareConfig,
    /// Commit classification.
    pub history: HistoryConfig,
    /// Sign-off trailers.
    pub signoff: SignoffConfig,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for Config {
    fn default() -> Self {
        let levels = registry()
            .iter()
            .map(|r| (r.id, Setting::default(r.default_level)))
            .collect();
        Config {
            file: None,
            roadmap: strings(&["roadmap/**/*.toml"]),
            fiscal_year_start: 1,
            levels,
            debt_share: DebtShareConfig {
                min: Setting::default(0.20),
                max: Setting::default(0.40),
                kinds: Setting::default(vec![Kind::Debt, Kind::Maintenance]),
            },
            request_required: Setting::default(strings(&[
                "business_commitment",
                "technical_feasibility",
                "acceptance_criteria",
                "roadmap_impact",
            ])),
            research_max_weeks: Setting::default(4.0),
            history_debt_share: HistoryDebtShareConfig {
                min: Setting::default(0.15),
                max_drift: Setting::default(0.10),
                min_commits: Setting::default(10),
            },
            history: HistoryConfig {
                debt_types: strings(&[
                    "fix", "refactor", "perf", "chore", "build", "ci", "test", "revert",
                ]),
                feature_types: strings(&["feat"]),
                item_trailer: "Roadmap-Item".into(),
                include_merges: false,
            },
            signoff: SignoffConfig {
                product_trailer: "Product-Approved-By".into(),
                tech_trailer: "Tech-Approved-By".into(),
            },
        }
    }
}

impl Config {
    /// The level of a rule (structural rules are always errors).
    pub fn level(&self, rule: &str) -> Level {
        self.levels.get(rule).map_or(Level::Error, |s| s.value)
    }

    /// Where the level of `rule` was set, if in the file.
    pub fn level_span(&self, rule: &str) -> Option<Span> {
        self.levels.get(rule).and_then(|s| s.span)
    }

    /// Whether any history rule is enabled.
    pub fn wants_history(&self) -> bool {
        [
            ids::HISTORY_DEBT_SHARE,
            ids::LOCKED_SCOPE,
            ids::MATURITY_PIPELINE,
        ]
        .iter()
        .any(|r| self.level(r) != Level::Off)
    }

    /// Parse `text` (the file registered as `file`). Problems come back as
    /// `config` diagnostics; the config is usable only when there are none.
    pub fn parse(file: FileId, text: &str) -> (Config, Vec<Diagnostic>) {
        let mut cfg = Config {
            file: Some(file),
            ..Config::default()
        };
        let mut diags = Vec::new();
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let (doc, errors) = DeTable::parse_recoverable(&text[base..]);
        for e in &errors {
            let span = e
                .span()
                .map(|r| Span::new(r.start + base, r.end + base))
                .unwrap_or_default();
            diags.push(
                Diagnostic::new(ids::CONFIG, format!("invalid TOML: {}", e.message().trim()))
                    .at(file, span),
            );
        }
        if errors.is_empty() {
            read_config(&mut cfg, file, base, doc.get_ref(), &mut diags);
        }
        diags.sort_by_key(|d| d.span.map(|s| s.start));
        (cfg, diags)
    }
}

const TOP: &[&str] = &[
    "roadmap",
    "fiscal_year_start",
    "rules",
    "history",
    "signoff",
];
const HISTORY: &[&str] = &[
    "debt_types",
    "feature_types",
    "item_trailer",
    "include_merges",
];
const SIGNOFF: &[&str] = &["product_trailer", "tech_trailer"];
const RULE_KEYS: &[&str] = &[
    "level",
    "min",
    "max",
    "kinds",
    "required",
    "max_weeks",
    "max_drift",
    "min_commits",
];

fn subtable<'a, 'i>(r: &mut TableReader<'a, 'i, '_>, key: &str) -> Option<&'a DeTable<'i>> {
    let (span, v) = r.value(key)?;
    match v {
        DeValue::Table(t) => Some(t),
        _ => {
            r.problem(
                span,
                format!("`{key}` must be a table"),
                Some(format!("write `[{key}]`")),
            );
            None
        }
    }
}

fn read_config(
    cfg: &mut Config,
    file: FileId,
    base: usize,
    doc: &DeTable<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut r =
        TableReader::new(file, base, doc, "roadlint.toml", TOP, diags).with_rule(ids::CONFIG);
    if let Some(globs) = r.string_list("roadmap") {
        for g in &globs.value {
            if let Err(e) = globset::Glob::new(&g.value) {
                r.problem(g.span, format!("invalid glob: {}", e.kind()), None);
            }
        }
        if globs.value.is_empty() {
            r.problem(
                globs.span,
                "`roadmap` lists no glob",
                Some("e.g. roadmap = [\"roadmap/**/*.toml\"]".into()),
            );
        }
        cfg.roadmap = globs.value.into_iter().map(|g| g.value).collect();
    }
    if let Some(m) = r.number("fiscal_year_start", "a month from 1 to 12", |n| {
        n.fract() == 0.0 && (1.0..=12.0).contains(&n)
    }) {
        cfg.fiscal_year_start = m.value as u8;
    }
    let rules = subtable(&mut r, "rules");
    let history = subtable(&mut r, "history");
    let signoff = subtable(&mut r, "signoff");
    r.finish();

    if let Some(t) = rules {
        read_rules(cfg, file, base, t, diags);
    }
    if let Some(t) = history {
        let mut r =
            TableReader::new(file, base, t, "[history]", HISTORY, diags).with_rule(ids::CONFIG);
        if let Some(l) = r.string_list("debt_types") {
            cfg.history.debt_types = l
                .value
                .into_iter()
                .map(|s| s.value.to_ascii_lowercase())
                .collect();
        }
        if let Some(l) = r.string_list("feature_types") {
            cfg.history.feature_types = l
                .value
                .into_iter()
                .map(|s| s.value.to_ascii_lowercase())
                .collect();
        }
        if let Some(s) = trailer(&mut r, "item_trailer") {
            cfg.history.item_trailer = s;
        }
        if let Some((span, v)) = r.value("include_merges") {
            match v {
                DeValue::Boolean(b) => cfg.history.include_merges = *b,
                _ => r.problem(span, "`include_merges` must be true or false", None),
            }
        }
        r.finish();
    }
    if let Some(t) = signoff {
        let mut r =
            TableReader::new(file, base, t, "[signoff]", SIGNOFF, diags).with_rule(ids::CONFIG);
        if let Some(s) = trailer(&mut r, "product_trailer") {
            cfg.signoff.product_trailer = s;
        }
        if let Some(s) = trailer(&mut r, "tech_trailer") {
            cfg.signoff.tech_trailer = s;
        }
        r.finish();
    }
}

fn trailer(r: &mut TableReader<'_, '_, '_>, key: &str) -> Option<String> {
    let s = r.string(key)?;
    let ok = !s.value.is_empty()
        && s.value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Some(s.value)
    } else {
        r.problem(
            s.span,
            format!("`{key}` must be a trailer token such as `Product-Approved-By`"),
            None,
        );
        None
    }
}

fn read_rules(
    cfg: &mut Config,
    file: FileId,
    base: usize,
    t: &DeTable<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let known: Vec<&'static str> = registry().iter().map(|r| r.id).collect();
    for (key, value) in t.iter() {
        let name: &str = key.get_ref();
        let key_span = Span::new(key.span().start + base, key.span().end + base);
        let value_span = Span::new(value.span().start + base, value.span().end + base);
        let Some(info) = registry().iter().find(|r| r.id == name) else {
            let help = match crate::model::reader::did_you_mean(name, &known) {
                Some(k) => format!("did you mean `{k}`?"),
                None => "run `roadlint rules` to list the rules".into(),
            };
            diags.push(
                Diagnostic::new(ids::CONFIG, format!("unknown rule `{name}`"))
                    .at(file, key_span)
                    .help(help),
            );
            continue;
        };
        if info.group == RuleGroup::Structural {
            diags.push(
                Diagnostic::new(
                    ids::CONFIG,
                    format!("`{name}` is a structural rule: it is always on, at level error"),
                )
                .at(file, key_span)
                .help(format!("remove `{name}` from [rules]")),
            );
            continue;
        }
        let level_of = |v: &DeValue<'_>, span: Span, diags: &mut Vec<Diagnostic>| match v {
            DeValue::String(s) => match Level::parse(s) {
                Some(l) => Some(Setting {
                    value: l,
                    span: Some(span),
                }),
                None => {
                    diags.push(
                        Diagnostic::new(ids::CONFIG, format!("`{s}` is not a level"))
                            .at(file, span)
                            .help("use \"error\", \"warn\" or \"off\""),
                    );
                    None
                }
            },
            _ => {
                diags.push(
                    Diagnostic::new(
                        ids::CONFIG,
                        format!("the level of `{name}` must be a string"),
                    )
                    .at(file, span)
                    .help("use \"error\", \"warn\" or \"off\""),
                );
                None
            }
        };
        match value.get_ref() {
            DeValue::Table(params) => {
                let allowed: &'static [&'static str] = match info.id {
                    ids::DEBT_SHARE => &["level", "min", "max", "kinds"],
                    ids::REQUEST_FIELDS => &["level", "required"],
                    ids::RESEARCH_TIMEBOX => &["level", "max_weeks"],
                    ids::HISTORY_DEBT_SHARE => &["level", "min", "max_drift", "min_commits"],
                    _ => &["level"],
                };
                let mut r = TableReader::new(file, base, params, "this rule", RULE_KEYS, diags)
                    .with_rule(ids::CONFIG);
                for (k, _) in params.iter() {
                    let k: &str = k.get_ref();
                    if RULE_KEYS.contains(&k) && !allowed.contains(&k) {
                        let span = r.entry_span(k).unwrap_or(value_span);
                        r.problem(
                            span,
                            format!("`{name}` has no parameter `{k}`"),
                            Some(format!("its parameters: {}", allowed.join(", "))),
                        );
                    }
                }
                if let Some((span, v)) = r.value("level") {
                    let mut inner = Vec::new();
                    if let Some(l) = level_of(v, span, &mut inner) {
                        cfg.levels.insert(info.id, l);
                    }
                    for d in inner {
                        r.push(d);
                    }
                }
                read_params(cfg, info.id, &mut r);
                r.finish();
            }
            other => {
                if let Some(l) = level_of(other, value_span, diags) {
                    cfg.levels.insert(info.id, l);
                }
            }
        }
    }
}

fn share(n: f64) -> bool {
    (0.0..=1.0).contains(&n)
}

fn read_params(cfg: &mut Config, id: &str, r: &mut TableReader<'_, '_, '_>) {
    match id {
        ids::DEBT_SHARE => {
            if let Some(v) = r.number("min", "a share from 0.0 to 1.0", share) {
                cfg.debt_share.min = Setting {
                    value: v.value,
                    span: Some(v.span),
                };
            }
            if let Some(v) = r.number("max", "a share from 0.0 to 1.0", share) {
                cfg.debt_share.max = Setting {
                    value: v.value,
                    span: Some(v.span),
                };
            }
            if cfg.debt_share.min.value > cfg.debt_share.max.value {
                let span = cfg
                    .debt_share
                    .min
                    .span
                    .or(cfg.debt_share.max.span)
                    .unwrap_or_default();
                r.problem(span, "`min` is larger than `max`", None);
            }
            if let Some(kinds) = r.string_list("kinds") {
                let mut out = Vec::new();
                for k in &kinds.value {
                    match Kind::parse(&k.value) {
                        Some(kind) => out.push(kind),
                        None => r.problem(
                            k.span,
                            format!("`{}` is not an item kind", k.value),
                            Some(
                                "kinds: feature, debt, maintenance, platform, research, experiment"
                                    .into(),
                            ),
                        ),
                    }
                }
                cfg.debt_share.kinds = Setting {
                    value: out,
                    span: Some(kinds.span),
                };
            }
        }
        ids::REQUEST_FIELDS => {
            if let Some(list) = r.string_list("required") {
                let mut out = Vec::new();
                for f in &list.value {
                    if REQUEST_FIELDS.contains(&f.value.as_str()) {
                        out.push(f.value.clone());
                    } else {
                        let help = crate::model::reader::did_you_mean(&f.value, REQUEST_FIELDS)
                            .map(|k| format!("did you mean `{k}`?"));
                        r.problem(
                            f.span,
                            format!("`{}` is not a request field", f.value),
                            help,
                        );
                    }
                }
                cfg.request_required = Setting {
                    value: out,
                    span: Some(list.span),
                };
            }
        }
        ids::RESEARCH_TIMEBOX => {
            if let Some(v) = r.number("max_weeks", "a number of weeks > 0", |n| n > 0.0) {
                cfg.research_max_weeks = Setting {
                    value: v.value,
                    span: Some(v.span),
                };
            }
        }
        ids::HISTORY_DEBT_SHARE => {
            let h = &mut cfg.history_debt_share;
            if let Some(v) = r.number("min", "a share from 0.0 to 1.0", share) {
                h.min = Setting {
                    value: v.value,
                    span: Some(v.span),
                };
            }
            if let Some(v) = r.number("max_drift", "a share from 0.0 to 1.0", share) {
                h.max_drift = Setting {
                    value: v.value,
                    span: Some(v.span),
                };
            }
            if let Some(v) = r.number("min_commits", "a whole number ≥ 1", |n| {
                n >= 1.0 && n.fract() == 0.0
            }) {
                h.min_commits = Setting {
                    value: v.value as u64,
                    span: Some(v.span),
                };
            }
        }
        _ => {}
    }
}

/// The commented `roadlint.toml` that `roadlint init` writes: every key with its
/// default value.
pub const DEFAULT_CONFIG: &str = r#"# roadlint configuration. Every key is optional; the values below are the defaults.
# Docs: `roadlint rules` lists the rules, `roadlint explain RULE` explains one.

# Globs selecting the roadmap files, relative to the repository root.
roadmap = ["roadmap/**/*.toml"]

# Month (1-12) that starts Q1. A fiscal year is named after the calendar year
# in which it starts: with 10, 2026-Q1 is October-December 2026.
fiscal_year_start = 1

[rules]
# Each rule takes a level, "error" | "warn" | "off", or a table with its level
# and parameters.
debt-share            = { level = "error", min = 0.20, max = 0.40, kinds = ["debt", "maintenance"] }
capacity              = "error"
dual-ownership        = "error"
kpi-link              = "warn"
request-fields        = { level = "error", required = ["business_commitment", "technical_feasibility", "acceptance_criteria", "roadmap_impact"] }
research-timebox      = { level = "warn", max_weeks = 4 }
experiment-guardrails = "error"
maturity-pipeline     = "error"
waiver                = "error"
history-debt-share    = { level = "warn", min = 0.15, max_drift = 0.10, min_commits = 10 }
locked-scope          = "error"

[history]
# Conventional Commit types counted as debt/sustainment and as feature work.
debt_types     = ["fix", "refactor", "perf", "chore", "build", "ci", "test", "revert"]
feature_types  = ["feat"]
# A commit with this trailer counts as the named item's kind.
item_trailer   = "Roadmap-Item"
include_merges = false

[signoff]
# Trailers that approve a scope change to a locked quarter.
product_trailer = "Product-Approved-By"
tech_trailer    = "Tech-Approved-By"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
        Config::parse(FileId(0), text)
    }

    fn without_spans(mut c: Config) -> Config {
        c.file = None;
        for s in c.levels.values_mut() {
            s.span = None;
        }
        c.debt_share.min.span = None;
        c.debt_share.max.span = None;
        c.debt_share.kinds.span = None;
        c.request_required.span = None;
        c.research_max_weeks.span = None;
        c.history_debt_share.min.span = None;
        c.history_debt_share.max_drift.span = None;
        c.history_debt_share.min_commits.span = None;
        c
    }

    #[test]
    fn the_init_file_is_exactly_the_defaults() {
        let (cfg, diags) = parse(DEFAULT_CONFIG);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(without_spans(cfg), Config::default());
    }

    #[test]
    fn every_registered_rule_has_a_default_level_line() {
        for r in registry()
            .iter()
            .filter(|r| r.group != RuleGroup::Structural)
        {
            assert!(
                DEFAULT_CONFIG.contains(&format!("\n{}", r.id)),
                "{} missing from DEFAULT_CONFIG",
                r.id
            );
        }
    }

    #[test]
    fn bad_configs_are_diagnostics_with_spans() {
        let text = "[rules]\ndebt-shar = \"error\"\ncapacity = \"loud\"\nparse = \"off\"\ndebt-share = { min = 1.5 }\n";
        let (_, diags) = parse(text);
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(diags.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("unknown rule `debt-shar`"));
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `debt-share`?"));
        assert!(msgs[1].contains("`loud` is not a level"));
        assert!(msgs[2].contains("structural"));
        assert!(msgs[3].contains("must be a share"));
        assert!(diags.iter().all(|d| d.rule == "config" && d.span.is_some()));
        let span = diags[0].span.unwrap();
        assert_eq!(&text[span.range()], "debt-shar");
    }

    #[test]
    fn parameters_and_levels_are_read() {
        let (cfg, diags) = parse("fiscal_year_start = 10\n[rules]\nkpi-link = \"off\"\ndebt-share = { level = \"warn\", min = 0.3, max = 0.5 }\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.fiscal_year_start, 10);
        assert_eq!(cfg.level("kpi-link"), Level::Off);
        assert_eq!(cfg.level("debt-share"), Level::Warn);
        assert_eq!(cfg.debt_share.min.value, 0.3);
        assert!(cfg.debt_share.min.span.is_some());
        assert_eq!(cfg.level("parse"), Level::Error);
    }

    #[test]
    fn unknown_parameter_and_bad_fiscal_month() {
        let (_, diags) = parse("fiscal_year_start = 13\n[rules]\ncapacity = { level = \"error\", min = 2 }\n[history]\ninclude_merge = true\n");
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(diags.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("fiscal_year_start")));
        assert!(msgs.iter().any(|m| m.contains("has no parameter `min`")));
        assert!(msgs
            .iter()
            .any(|m| m.contains("unknown key `include_merge`")));
    }
}
