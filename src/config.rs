//! `roadlint.toml`: which rules run at which level, with which limits.
//!
//! Every setting keeps the span it was read from, so a diagnostic about a limit
//! can point back at the line that set it ("minimum set here"). A bad config is
//! a set of `config` diagnostics, and the run stops with exit code 2.
//!
//! Nothing here names a rule: the `[rules]` table, the defaults and the file
//! `roadlint init` writes all come from iterating the rules' registry, each
//! rule declaring its own level and parameters.

use crate::diagnostic::{Applicability, Diagnostic, Fix, RuleId};
use crate::model::reader::{did_you_mean, TableReader};
use crate::rules::{registry, RuleGroup, RuleInfo};
#[cfg(test)]
use crate::settings::RuleSettings;
pub use crate::settings::{Config, HistoryConfig, Level, Setting, SignoffConfig};
use crate::settings::{ParamDecl, ParamKind, Value};
use crate::source::{FileId, Span};
use toml::de::{DeTable, DeValue};

mod roadmaps;

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The configuration when `roadlint.toml` says nothing: every rule at its
/// declared level, every parameter at its declared default.
impl Default for Config {
    fn default() -> Self {
        Config {
            file: None,
            files: Vec::new(),
            chain: Vec::new(),
            extends: Vec::new(),
            roadmap: strings(&["roadmap/**/*.toml"]),
            roadmaps: Vec::new(),
            fiscal_year_start: 1,
            levels: registry()
                .iter()
                .map(|r| (r.id, Setting::default(r.default_level)))
                .collect(),
            params: Default::default(),
            history: HistoryConfig {
                debt_types: strings(&[
                    "fix", "refactor", "perf", "chore", "build", "ci", "test", "revert",
                ]),
                feature_types: strings(&["feat"]),
                item_trailer: "Roadmap-Item".into(),
                include_merges: false,
                since: None,
                measure: crate::units::Measure::AuthorDays,
                ignore_authors: crate::globs::Wildcards::new(DEFAULT_IGNORE_AUTHORS),
            },
            signoff: SignoffConfig {
                product_trailer: "Product-Approved-By".into(),
                tech_trailer: "Tech-Approved-By".into(),
                product_approvers: Vec::new(),
                tech_approvers: Vec::new(),
                verify: crate::settings::Verify::Trailers,
                allowed_signers: ".roadlint/allowed_signers".into(),
                approvals: ".roadlint/approvals".into(),
            },
        }
    }
}

/// Parse `text` (the file registered as `file`). Problems come back as
/// `config` diagnostics; the config is usable only when there are none.
pub fn parse(file: FileId, text: &str) -> (Config, Vec<Diagnostic>) {
    let mut cfg = Config {
        file: Some(file),
        ..Config::default()
    };
    let mut diags = Vec::new();
    read_file(&mut cfg, file, text, &mut diags);
    cfg.chain = vec![file];
    diags.sort_by_key(|d| d.span.map(|s| s.start));
    (cfg, diags)
}

/// Read the files of an `extends` chain in `order` (the root `roadlint.toml`
/// last), each over the one before: a later value replaces an earlier one
/// key by key (SPEC §9.8). `root` is the file the chain starts at.
pub(crate) fn parse_chain(
    root: FileId,
    order: &[FileId],
    sources: &crate::source::Sources,
) -> (Config, Vec<Diagnostic>) {
    let mut cfg = Config {
        file: Some(root),
        ..Config::default()
    };
    let mut diags = Vec::new();
    for &file in order {
        read_file(&mut cfg, file, &sources.get(file).text, &mut diags);
    }
    cfg.chain = order.to_vec();
    diags.sort_by_key(|d| (d.file.map(|f| f.0), d.span.map(|s| s.start)));
    (cfg, diags)
}

/// Read one file's keys over `cfg`: only what the file sets changes.
fn read_file(cfg: &mut Config, file: FileId, text: &str, diags: &mut Vec<Diagnostic>) {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (doc, errors) = DeTable::parse_recoverable(&text[base..]);
    for e in &errors {
        let span = e
            .span()
            .map(|r| Span::new(r.start + base, r.end + base))
            .unwrap_or_default();
        diags.push(
            Diagnostic::new(
                RuleId::CONFIG,
                format!("invalid TOML: {}", e.message().trim()),
            )
            .at(file, span),
        );
    }
    if errors.is_empty() {
        read_config(cfg, file, base, doc.get_ref(), diags);
    }
}

const TOP: &[&str] = &[
    "extends",
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
    "since",
    "measure",
    "ignore_authors",
];

/// The authors whose commits count nowhere by default: the usual bots.
pub const DEFAULT_IGNORE_AUTHORS: &[&str] = &[
    "*[bot]*",
    "*-bot",
    "*-bot@*",
    "*robot*",
    "renovate*",
    "dependabot*",
    "github-actions*",
];
const SIGNOFF: &[&str] = &[
    "product_trailer",
    "tech_trailer",
    "product_approvers",
    "tech_approvers",
    "verify",
    "allowed_signers",
    "approvals",
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
    cfg.extends = doc
        .get("extends")
        .map(|v| extends_entries(v.get_ref()))
        .unwrap_or_default();
    let mut r =
        TableReader::new(file, base, doc, "roadlint.toml", TOP, diags).with_rule(RuleId::CONFIG);
    let tables = match doc.get("roadmap").map(|v| (v.span(), v.get_ref())) {
        Some((span, DeValue::Array(a))) if roadmaps::is_tables(a) => Some((span, a)),
        _ => None,
    };
    if let Some((span, a)) = tables {
        let span = Span::new(span.start + base, span.end + base);
        let mut found = Vec::new();
        roadmaps::read(cfg, file, base, a, span, &mut found);
        for d in found {
            r.push(d);
        }
    } else if let Some(globs) = r.string_list("roadmap") {
        for g in &globs.value {
            if let Some(why) = crate::globs::escape_reason(&g.value) {
                r.problem(
                    g.span,
                    format!("this glob could match files outside the repository: {why}"),
                    Some(
                        "roadmap globs are relative to the repository root and stay inside it, \
                         e.g. \"roadmap/**/*.toml\""
                            .into(),
                    ),
                );
            } else if let Err(e) = globset::Glob::new(&g.value) {
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
            TableReader::new(file, base, t, "[history]", HISTORY, diags).with_rule(RuleId::CONFIG);
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
        if let Some(d) = r.date("since") {
            cfg.history.since = Some(d.value);
        }
        if let Some(l) = r.string_list("ignore_authors") {
            let patterns: Vec<String> = l.value.into_iter().map(|s| s.value).collect();
            cfg.history.ignore_authors = crate::globs::Wildcards::new(&patterns);
        }
        if let Some((span, v)) = r.value("measure") {
            use crate::units::Measure;
            let named = match v {
                DeValue::String(s) => Measure::ALL.into_iter().find(|m| m.as_str() == s.as_ref()),
                _ => None,
            };
            match named {
                Some(m) => cfg.history.measure = m,
                None => r.problem(
                    span,
                    "`measure` must be \"author-days\" or \"commits\"",
                    None,
                ),
            }
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
            TableReader::new(file, base, t, "[signoff]", SIGNOFF, diags).with_rule(RuleId::CONFIG);
        if let Some(s) = trailer(&mut r, "product_trailer") {
            cfg.signoff.product_trailer = s;
        }
        if let Some(s) = trailer(&mut r, "tech_trailer") {
            cfg.signoff.tech_trailer = s;
        }
        if let Some(l) = r.string_list("product_approvers") {
            cfg.signoff.product_approvers = l.value.into_iter().map(|s| s.value).collect();
        }
        if let Some(l) = r.string_list("tech_approvers") {
            cfg.signoff.tech_approvers = l.value.into_iter().map(|s| s.value).collect();
        }
        read_verify(&mut r, &mut cfg.signoff);
        r.finish();
    }
}

/// The `extends` entries as written, for comparing two versions of a file
/// (their shape is checked by `extends`, which resolves them).
fn extends_entries(v: &DeValue<'_>) -> Vec<String> {
    let DeValue::Array(items) = v else {
        return vec![format!("{v:?}")];
    };
    items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Table(t) => {
                let text = |k: &str| match t.get(k).map(|v| v.get_ref()) {
                    Some(DeValue::String(s)) => s.to_string(),
                    _ => String::new(),
                };
                match text("sha256") {
                    pin if pin.is_empty() => text("path"),
                    pin => format!("{} (sha256 {pin})", text("path")),
                }
            }
            other => format!("{other:?}"),
        })
        .collect()
}

/// `verify`, `allowed_signers` and `approvals` of `[signoff]` (SPEC §9.4).
fn read_verify(r: &mut TableReader<'_, '_, '_>, signoff: &mut SignoffConfig) {
    if let Some(s) = r.string("verify") {
        match s.value.as_str() {
            "trailers" => signoff.verify = crate::settings::Verify::Trailers,
            "ssh" => signoff.verify = crate::settings::Verify::Ssh,
            _ => r.problem(
                s.span,
                "`verify` must be \"trailers\" or \"ssh\"".to_string(),
                None,
            ),
        }
    }
    for key in ["allowed_signers", "approvals"] {
        let Some(s) = r.string(key) else { continue };
        let path = s.value.trim_end_matches('/');
        let bad = path.is_empty()
            || path.starts_with('/')
            || path.contains('\\')
            || path
                .split('/')
                .any(|p| p.is_empty() || p == "." || p == "..");
        if bad {
            r.problem(
                s.span,
                format!("`{key}` must be a relative path inside the repository"),
                None,
            );
        } else if key == "approvals" {
            signoff.approvals = path.to_string();
        } else {
            signoff.allowed_signers = path.to_string();
        }
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
    let known: Vec<&'static str> = registry().iter().map(|r| r.id.as_str()).collect();
    for (key, value) in t.iter() {
        let name: &str = key.get_ref();
        let key_span = Span::new(key.span().start + base, key.span().end + base);
        let value_span = Span::new(value.span().start + base, value.span().end + base);
        let Some(info) = registry().iter().find(|r| r.id == name) else {
            let meant = did_you_mean(name, &known);
            let help = match meant {
                Some(k) => format!("did you mean `{k}`?"),
                None => "run `roadlint rules` to list the rules".into(),
            };
            let mut d = Diagnostic::new(RuleId::CONFIG, format!("unknown rule `{name}`"))
                .at(file, key_span)
                .help(help);
            if let Some(k) = meant.filter(|k| t.get(*k).is_none()) {
                let title = format!("Replace with `{k}`");
                d = d.fix(Fix::replace(title, Applicability::Safe, file, key_span, k));
            }
            diags.push(d);
            continue;
        };
        if info.group == RuleGroup::Structural {
            diags.push(
                Diagnostic::new(
                    RuleId::CONFIG,
                    format!("`{name}` is a structural rule: it is always on, at level error"),
                )
                .at(file, key_span)
                .help(format!("remove `{name}` from [rules]")),
            );
            continue;
        }
        match value.get_ref() {
            DeValue::Table(params) => {
                let mut keys = vec!["level"];
                keys.extend(info.params().iter().map(|p| p.name));
                let mut r = TableReader::new(file, base, params, "this rule", keys, diags)
                    .with_rule(RuleId::CONFIG);
                if let Some((span, v)) = r.value("level") {
                    match level_of(info, v, file, span) {
                        Ok(l) => {
                            cfg.levels.insert(info.id, l);
                        }
                        Err(d) => r.push((*d).at(file, span)),
                    }
                }
                for p in info.params() {
                    if let Some(v) = read_param(&mut r, p) {
                        cfg.params.insert((info.id, p.name), v);
                    }
                }
                if let Some(settings) = info.settings {
                    for (span, message) in (settings.validate)(cfg) {
                        r.problem(span, message, None);
                    }
                }
                r.finish();
            }
            other => match level_of(info, other, file, value_span) {
                Ok(l) => {
                    cfg.levels.insert(info.id, l);
                }
                Err(d) => diags.push((*d).at(file, value_span)),
            },
        }
    }
}

/// A rule's level, or the diagnostic that says why it is not one.
fn level_of(
    info: &RuleInfo,
    v: &DeValue<'_>,
    file: FileId,
    span: Span,
) -> Result<Setting<Level>, Box<Diagnostic>> {
    let help = "use \"error\", \"warn\" or \"off\"";
    match v {
        DeValue::String(s) => match Level::parse(s) {
            Some(l) => Ok(Setting {
                value: l,
                span: Some(span),
                file: Some(file),
            }),
            None => Err(Box::new(
                Diagnostic::new(RuleId::CONFIG, format!("`{s}` is not a level")).help(help),
            )),
        },
        _ => Err(Box::new(
            Diagnostic::new(
                RuleId::CONFIG,
                format!("the level of `{}` must be a string", info.id),
            )
            .help(help),
        )),
    }
}

/// Read one declared parameter, validated by its kind.
fn read_param(r: &mut TableReader<'_, '_, '_>, p: &ParamDecl) -> Option<Setting<Value>> {
    let expected = p.kind.expected();
    let (value, span) = match p.kind {
        ParamKind::Share | ParamKind::Weeks => {
            let v = r.number(p.name, &expected, |n| p.kind.accepts(n))?;
            (Value::Number(v.value), v.span)
        }
        ParamKind::Count => {
            let v = r.number(p.name, &expected, |n| p.kind.accepts(n))?;
            (Value::Count(v.value as u64), v.span)
        }
        ParamKind::Words { what, of } => {
            let list = r.string_list(p.name)?;
            let mut out = Vec::new();
            for w in &list.value {
                if of.contains(&w.value.as_str()) {
                    out.push(w.value.clone());
                } else {
                    let meant = did_you_mean(&w.value, of);
                    let help = match meant {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => format!("{what}s: {}", of.join(", ")),
                    };
                    let mut d =
                        Diagnostic::new(RuleId::CONFIG, format!("`{}` is not a {what}", w.value))
                            .at(r.file(), w.span)
                            .help(help);
                    if let Some(k) = meant {
                        let (title, text) = (format!("Replace with `{k}`"), format!("\"{k}\""));
                        d = d.fix(Fix::replace(
                            title,
                            Applicability::Safe,
                            r.file(),
                            w.span,
                            text,
                        ));
                    }
                    r.push(d);
                }
            }
            (Value::Words(out), list.span)
        }
    };
    Some(Setting {
        value,
        span: Some(span),
        file: Some(r.file()),
    })
}

/// The commented `roadlint.toml` that `roadlint init` writes: every key with
/// its default value, the `[rules]` lines generated from the registry.
pub fn default_config_text() -> String {
    let width = registry()
        .iter()
        .map(|r| r.id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut rules = String::new();
    for r in registry()
        .iter()
        .filter(|r| r.group != RuleGroup::Structural)
    {
        let value = if r.params().is_empty() {
            format!("\"{}\"", r.default_level.as_str())
        } else {
            let mut parts = vec![format!("level = \"{}\"", r.default_level.as_str())];
            parts.extend(
                r.params()
                    .iter()
                    .map(|p| format!("{} = {}", p.name, p.default.to_toml())),
            );
            format!("{{ {} }}", parts.join(", "))
        };
        rules.push_str(&format!("{:<width$} = {value}\n", r.id.as_str()));
    }
    DEFAULT_CONFIG_TEMPLATE.replace("{rules}\n", &rules)
}

/// The JSON Schema of `roadlint.toml` (`roadlint schema --config`), the
/// `[rules]` part generated from the registry like everything else here.
pub fn json_schema() -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let level = json!({ "enum": ["error", "warn", "warning", "off"] });
    let mut rules = Map::new();
    for r in registry()
        .iter()
        .filter(|r| r.group != RuleGroup::Structural)
    {
        let mut params = Map::new();
        params.insert("level".into(), level.clone());
        for p in r.params() {
            params.insert(p.name.into(), param_schema(p));
        }
        rules.insert(
            r.id.as_str().into(),
            json!({
                "description": format!("{} (default level: {})", r.summary, r.default_level.as_str()),
                "oneOf": [
                    level,
                    { "type": "object", "additionalProperties": false, "properties": Value::Object(params) }
                ]
            }),
        );
    }
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let trailer = json!({ "type": "string", "pattern": "^[A-Za-z0-9_-]+$" });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "roadlint configuration (roadlint.toml)",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "extends": { "description": "presets read before this file, left to right, by their path from the repository root; a later value replaces an earlier one key by key", "type": "array", "items": { "oneOf": [ { "type": "string" }, { "type": "object", "additionalProperties": false, "required": ["path"], "properties": { "path": { "type": "string" }, "sha256": { "description": "lowercase hex SHA-256 of the preset's bytes", "type": "string", "pattern": "^[0-9a-f]{64}$" } } } ] } },
            "roadmap": { "description": "globs selecting the roadmap files, relative to the repository root; or one [[roadmap]] table per team's roadmap", "oneOf": [
                { "type": "array", "items": { "type": "string" }, "minItems": 1 },
                { "type": "array", "items": { "type": "object", "additionalProperties": false, "required": ["name", "files"], "properties": {
                    "name": { "type": "string", "pattern": "^[A-Za-z0-9_-]+$" },
                    "files": strings,
                    "code": strings,
                    "signoff": { "type": "object", "additionalProperties": false, "properties": { "product_approvers": strings, "tech_approvers": strings } }
                } } }
            ] },
            "fiscal_year_start": { "description": "the month (1-12) that starts fiscal Q1", "type": "integer", "minimum": 1, "maximum": 12 },
            "rules": { "description": "each rule's level, or a table with its level and parameters", "type": "object", "additionalProperties": false, "properties": Value::Object(rules) },
            "history": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "debt_types": strings,
                    "feature_types": strings,
                    "item_trailer": trailer,
                    "include_merges": { "type": "boolean" },
                    "since": { "description": "history rules ignore commits before this day; --since overrides it", "type": "string", "format": "date" },
                    "measure": { "description": "the unit of actual effort", "enum": ["author-days", "commits"] },
                    "ignore_authors": { "description": "author names or emails (`*`, `?` wildcards, case-insensitive) whose commits count nowhere", "type": "array", "items": { "type": "string" } }
                }
            },
            "signoff": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "product_trailer": trailer,
                    "tech_trailer": trailer,
                    "product_approvers": { "description": "when non-empty, only these people may give the product sign-off", "type": "array", "items": { "type": "string" } },
                    "tech_approvers": { "description": "when non-empty, only these people may give the tech sign-off", "type": "array", "items": { "type": "string" } },
                    "verify": { "description": "what signs a change off: trailers, or approval files signed with SSH keys", "enum": ["trailers", "ssh"] },
                    "allowed_signers": { "description": "the allowed-signers file (git's format) that lists each approver's SSH keys", "type": "string" },
                    "approvals": { "description": "the folder of signed *.approval files", "type": "string" }
                }
            }
        }
    })
}

/// The schema of one rule parameter, from its declaration.
fn param_schema(p: &ParamDecl) -> serde_json::Value {
    use serde_json::json;
    let default: serde_json::Value =
        toml::from_str::<toml::Table>(&format!("v = {}", p.default.to_toml()))
            .ok()
            .and_then(|t| serde_json::to_value(t.get("v")).ok())
            .unwrap_or_default();
    let mut s = match p.kind {
        ParamKind::Share => json!({ "type": "number", "minimum": 0, "maximum": 1 }),
        ParamKind::Weeks => json!({ "type": "number", "exclusiveMinimum": 0 }),
        ParamKind::Count => json!({ "type": "integer", "minimum": 1 }),
        ParamKind::Words { of, .. } => json!({ "type": "array", "items": { "enum": of } }),
    };
    s["description"] = p.doc.into();
    s["default"] = default;
    s
}

/// The frame of [`default_config_text`]; `{rules}` stands for the generated
/// `[rules]` lines.
const DEFAULT_CONFIG_TEMPLATE: &str = r#"# roadlint configuration. Every key is optional; the values below are the defaults.
# Docs: `roadlint rules` lists the rules, `roadlint explain RULE` explains one.

# Globs selecting the roadmap files, relative to the repository root.
roadmap = ["roadmap/**/*.toml"]

# Month (1-12) that starts Q1. A fiscal year is named after the calendar year
# in which it starts: with 10, 2026-Q1 is October-December 2026.
fiscal_year_start = 1

[rules]
# Each rule takes a level, "error" | "warn" | "off", or a table with its level
# and parameters.
{rules}

[history]
# Conventional Commit types counted as debt/sustainment and as feature work.
debt_types     = ["fix", "refactor", "perf", "chore", "build", "ci", "test", "revert"]
feature_types  = ["feat"]
# A commit with this trailer counts as the named item's kind.
item_trailer   = "Roadmap-Item"
include_merges = false
# History rules ignore commits before this day (e.g. the day you adopted
# roadlint); --since overrides it. Quarters that start before it are partial
# and never judged.
# since = 2026-01-01
# The unit of actual effort: "author-days" (one unit per author per day of
# work, split among that day's commits) or "commits" (each commit weighs 1).
measure        = "author-days"
# Authors whose commits count nowhere: patterns matched against the whole
# author name and the whole email, case-insensitively; `*` and `?` are
# wildcards, every other character is literal.
ignore_authors = ["*[bot]*", "*-bot", "*-bot@*", "*robot*", "renovate*", "dependabot*", "github-actions*"]

[signoff]
# Trailers that approve a scope change to a locked quarter or a technology's
# stage change.
product_trailer = "Product-Approved-By"
tech_trailer    = "Tech-Approved-By"
# When non-empty, only these people may sign off; otherwise the owners as they
# stood before the commit may (a commit cannot make its own approver).
product_approvers = []
tech_approvers    = []
# "ssh": a change is signed off only by approval files signed with the SSH
# keys `allowed_signers` lists (`roadlint approve` writes them); trailers are
# then informational.
verify          = "trailers"
allowed_signers = ".roadlint/allowed_signers"
approvals       = ".roadlint/approvals"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
        super::parse(FileId(0), text)
    }

    fn without_spans(mut c: Config) -> Config {
        c.file = None;
        c.chain.clear();
        for s in c.levels.values_mut() {
            s.span = None;
            s.file = None;
        }
        c
    }

    #[test]
    fn the_init_file_is_exactly_the_defaults() {
        let (cfg, diags) = parse(&default_config_text());
        assert!(diags.is_empty(), "{diags:?}");
        let defaults = Config::default();
        // Every parameter is written, at its declared default.
        for r in registry() {
            for p in r.params() {
                let set = cfg.params.get(&(r.id, p.name));
                assert_eq!(
                    set.map(|s| &s.value),
                    Some(&Value::from(p.default)),
                    "{} {}",
                    r.id,
                    p.name
                );
            }
        }
        let mut cfg = without_spans(cfg);
        cfg.params.clear();
        assert_eq!(cfg, defaults);
    }

    #[test]
    fn every_registered_rule_has_a_default_level_line() {
        for r in registry()
            .iter()
            .filter(|r| r.group != RuleGroup::Structural)
        {
            assert!(
                default_config_text().contains(&format!("\n{}", r.id)),
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
        assert!(diags
            .iter()
            .all(|d| d.rule == RuleId::CONFIG && d.span.is_some()));
        let span = diags[0].span.unwrap();
        assert_eq!(&text[span.range()], "debt-shar");
    }

    #[test]
    fn parameters_and_levels_are_read() {
        let (cfg, diags) = parse("fiscal_year_start = 10\n[rules]\nkpi-link = \"off\"\ndebt-share = { level = \"warn\", min = 0.3, max = 0.5 }\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.fiscal_year_start, 10);
        assert_eq!(cfg.level(crate::rules::kpi_link::ID), Level::Off);
        let debt_share = crate::rules::debt_share::ID;
        assert_eq!(cfg.level(debt_share), Level::Warn);
        let min = crate::rules::debt_share::Settings::of(&cfg).min;
        assert_eq!(min.value, 0.3);
        assert!(min.span.is_some());
        assert_eq!(cfg.level(RuleId::PARSE), Level::Error);
    }

    #[test]
    fn unknown_parameter_and_bad_fiscal_month() {
        let (_, diags) = parse("fiscal_year_start = 13\n[rules]\ncapacity = { level = \"error\", min = 2 }\n[history]\ninclude_merge = true\n");
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(diags.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("fiscal_year_start")));
        assert!(msgs
            .iter()
            .any(|m| m.contains("unknown key `min` in this rule")));
        assert!(msgs
            .iter()
            .any(|m| m.contains("unknown key `include_merge`")));
    }

    #[test]
    fn the_schema_knows_every_key_the_reader_reads_and_accepts_the_defaults() {
        let schema = json_schema();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .expect("properties")
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let sorted = |l: &[&str]| {
            let mut v: Vec<String> = l.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(keys(&schema), sorted(TOP));
        assert_eq!(keys(&schema["properties"]["history"]), sorted(HISTORY));
        assert_eq!(keys(&schema["properties"]["signoff"]), sorted(SIGNOFF));
        let rules = &schema["properties"]["rules"];
        for r in registry()
            .iter()
            .filter(|r| r.group != RuleGroup::Structural)
        {
            let table = &rules["properties"][r.id.as_str()]["oneOf"][1];
            let mut want = vec!["level"];
            want.extend(r.params().iter().map(|p| p.name));
            assert_eq!(keys(table), sorted(&want), "{}", r.id);
        }
        let defaults: serde_json::Value =
            toml::from_str(&default_config_text()).expect("the init file is TOML");
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        let errors: Vec<String> = validator
            .iter_errors(&defaults)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let typo: serde_json::Value =
            toml::from_str("[rules]\ndebt-share = { min = 2.0 }\n").expect("toml");
        assert!(!validator.is_valid(&typo));
    }
}
