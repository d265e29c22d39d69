//! The pipeline after discovery: parse every file, run the rules, apply
//! waivers, set severities, sort.
//!
//! Data flows one way: raw files → [`load`] (sources, model, parse/schema
//! diagnostics) → [`lint`] (rule diagnostics, waivers, levels) → reporters.

use crate::calendar::Date;
use crate::diagnostic::RuleId;
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::Facts;
use crate::model::{decode, parse_file, Roadmap, RoadmapFile};
use crate::rules::{self, waiver, Context};
use crate::settings::{Config, Level};
use crate::source::{RawFile, Refusal, SourceFile, Sources, Span};

/// Every roadmap file parsed, with the diagnostics parsing produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Text of every file read (and of `roadlint.toml`, added later).
    pub sources: Sources,
    /// The model of everything that could be read.
    pub roadmap: Roadmap,
    /// `parse` and `schema` diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// How many roadmap files were found.
    pub files: usize,
    /// The technologies at HEAD, when the files were read from the work tree
    /// or the index of a repository with commits (`maturity-pipeline` judges
    /// today's stages against them).
    pub head: Option<crate::facts::HeadStages>,
}

/// Parse every raw file; a bad file yields diagnostics, never an early return.
pub fn load(raw: Vec<RawFile>, sources: Sources) -> Loaded {
    let mut loaded = Loaded {
        sources,
        files: raw.len(),
        ..Loaded::default()
    };
    for f in raw {
        match f.content {
            Ok(bytes) => {
                let (src, bad_utf8) = decode(&f.path, &bytes);
                let id = loaded.sources.add(src);
                if let Some((span, msg)) = bad_utf8 {
                    loaded.diagnostics.push(
                        Diagnostic::new(RuleId::PARSE, msg)
                            .at(id, span)
                            .help("roadmap files must be UTF-8; re-save the file as UTF-8"),
                    );
                    loaded.roadmap.files.push(RoadmapFile::empty(id));
                    continue;
                }
                let parsed = parse_file(id, &loaded.sources.get(id).text);
                loaded.diagnostics.extend(parsed.diagnostics);
                if let Some(d) = misnamed(&f.path, &parsed.model) {
                    loaded.diagnostics.push(d);
                }
                loaded.roadmap.files.push(parsed.model);
            }
            Err(refusal) => {
                let id = loaded.sources.add(SourceFile::new(&f.path, ""));
                let (message, help, severity) = match refusal {
                    Refusal::Symlink => (
                        "symlink not followed".to_string(),
                        "roadmap files must be regular files inside the repository; replace the link with the file",
                        Severity::Error,
                    ),
                    Refusal::TooLarge(n) => (
                        format!(
                            "file is too large ({n} bytes; the limit is {} bytes), not parsed",
                            crate::limits::MAX_FILE_BYTES
                        ),
                        "split the roadmap into several files",
                        Severity::Error,
                    ),
                    Refusal::NotRegular(kind) => (
                        format!("skipped: a {kind} is not a regular file"),
                        "roadmap files must be regular files",
                        Severity::Warning,
                    ),
                    Refusal::Unreadable(e) => (
                        format!("cannot read the file: {e}"),
                        "check the file's permissions",
                        Severity::Error,
                    ),
                };
                loaded.diagnostics.push(
                    Diagnostic::new(RuleId::PARSE, message)
                        .at(id, Span::default())
                        .help(help)
                        .severity(severity),
                );
            }
        }
    }
    loaded
}

/// A file named like a quarter (`2026-Q1.toml`) that declares another one is
/// a warning: the name is what people open, the value is what rules judge.
fn misnamed(path: &str, file: &RoadmapFile) -> Option<Diagnostic> {
    let declared = file.quarter.as_ref()?;
    let stem = path.rsplit('/').next()?.strip_suffix(".toml")?;
    let named: crate::calendar::Quarter = stem.parse().ok()?;
    (named != declared.value).then(|| {
        Diagnostic::new(
            RuleId::SCHEMA,
            format!(
                "the file is named {named} but declares quarter {}",
                declared.value
            ),
        )
        .at(file.file, declared.span)
        .severity(Severity::Warning)
        .quarter(declared.value)
        .help(format!(
            "rename the file to {}.toml, or fix `quarter`",
            declared.value
        ))
    })
}

/// Run the rules (history rules only when `history` facts are given), add
/// `extra` diagnostics (notes about the scan), apply waivers and levels, and
/// return the sorted result.
pub fn lint(
    loaded: &Loaded,
    config: &Config,
    today: Date,
    history: Option<&Facts>,
    extra: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    lint_selected(loaded, config, today, history, extra, None)
}

/// [`lint`] with only the rules in `only` run, and only their waivers judged
/// (the commit-msg hook runs the sign-off rules this way).
pub fn lint_selected(
    loaded: &Loaded,
    config: &Config,
    today: Date,
    history: Option<&Facts>,
    extra: Vec<Diagnostic>,
    only: Option<&[RuleId]>,
) -> Vec<Diagnostic> {
    let ctx = Context {
        roadmap: &loaded.roadmap,
        config,
        today,
        sources: &loaded.sources,
        only,
        history,
        head: loaded.head.as_ref(),
    };
    let mut found = Vec::new();
    rules::check_plan(&ctx, &mut found);
    found.extend(extra);

    let waivers = waiver::active_waivers(&ctx);
    let mut used = vec![false; waivers.len()];
    let mut out: Vec<Diagnostic> = loaded.diagnostics.clone();
    for d in found {
        let level = config.level(d.rule);
        if level == Level::Off && rules::find(d.rule.as_str()).is_some() {
            continue;
        }
        if let Some(i) = waivers.iter().position(|w| w.covers(&d)) {
            used[i] = true;
            continue;
        }
        let severity = match (level, d.severity) {
            (_, Severity::Warning) => Severity::Warning,
            (Level::Warn, _) => Severity::Warning,
            _ => Severity::Error,
        };
        out.push(d.severity(severity));
    }
    if ctx.runs(waiver::ID) {
        out.extend(unused_waivers(&waivers, &used, &ctx));
    }
    let mut out: Vec<Diagnostic> = out.into_iter().map(Diagnostic::sanitized).collect();
    sort(&mut out, &loaded.sources);
    out
}

/// A valid waiver that suppressed nothing is stale: say so, as a warning. A
/// waiver of a history rule is only judged when the history was scanned, and
/// one of a rule that is off is left alone.
fn unused_waivers(
    waivers: &[waiver::ActiveWaiver],
    used: &[bool],
    ctx: &Context<'_>,
) -> Vec<Diagnostic> {
    let history_ran = ctx.history.is_some();
    waivers
        .iter()
        .zip(used)
        .filter(|(_, used)| !**used)
        .filter(|(w, _)| ctx.runs(w.rule))
        .filter(|(w, _)| {
            history_ran || rules::find(w.rule.as_str()).is_none_or(|r| !r.needs_history())
        })
        .map(|(w, _)| {
            let scope = w
                .quarter
                .map_or("anywhere".to_string(), |q| format!("in {q}"));
            Diagnostic::new(
                waiver::ID,
                format!("waiver of `{}` suppresses nothing {scope}", w.rule),
            )
            .at(w.at.0, w.at.1)
            .severity(Severity::Warning)
            .help("the breach it excused is gone: remove the waiver")
        })
        .collect()
}

/// Sort by file, position, rule, message: deterministic output.
pub fn sort(diags: &mut [Diagnostic], sources: &Sources) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.file.map(|f| sources.get(f).path.clone()),
                d.span.map(|s| s.start),
                d.rule,
                d.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}
