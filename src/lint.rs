//! The pipeline after discovery: parse every file, run the rules, apply
//! waivers, set severities, sort.
//!
//! Data flows one way: raw files → [`load`] (sources, model, parse/schema
//! diagnostics) → [`lint`] (rule diagnostics, waivers, levels) → reporters.

use crate::calendar::Date;
use crate::config::{Config, Level};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{decode, parse_file, Roadmap, RoadmapFile};
use crate::rules::{self, ids, Context};
use crate::source::{SourceFile, Sources, Span};

/// Why a roadmap file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link: never followed.
    Symlink,
    /// Larger than [`crate::limits::MAX_FILE_BYTES`].
    TooLarge(u64),
    /// A FIFO, socket or device: skipped.
    NotRegular(&'static str),
    /// The file could not be read.
    Unreadable(String),
}

/// A roadmap file as discovery found it.
#[derive(Clone, Debug)]
pub struct RawFile {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// The bytes, or why they were not read.
    pub content: Result<Vec<u8>, Refusal>,
}

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
                        Diagnostic::new(ids::PARSE, msg)
                            .at(id, span)
                            .help("roadmap files must be UTF-8; re-save the file as UTF-8"),
                    );
                    loaded.roadmap.files.push(RoadmapFile::empty(id));
                    continue;
                }
                let parsed = parse_file(id, &loaded.sources.get(id).text);
                loaded.diagnostics.extend(parsed.diagnostics);
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
                    Diagnostic::new(ids::PARSE, message)
                        .at(id, Span::default())
                        .help(help)
                        .severity(severity),
                );
            }
        }
    }
    loaded
}

/// Run the rules (history rules only when `history` facts are given), add
/// `extra` diagnostics (notes about the scan), apply waivers and levels, and
/// return the sorted result.
pub fn lint(
    loaded: &Loaded,
    config: &Config,
    today: Date,
    history: Option<&crate::history::Facts>,
    extra: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let ctx = Context {
        roadmap: &loaded.roadmap,
        config,
        today,
        sources: &loaded.sources,
        history,
    };
    let mut found = Vec::new();
    rules::check_plan(&ctx, &mut found);
    found.extend(extra);

    let waivers = rules::waiver::active_waivers(&ctx);
    let mut used = vec![false; waivers.len()];
    let mut out: Vec<Diagnostic> = loaded.diagnostics.clone();
    for d in found {
        let level = config.level(d.rule);
        if level == Level::Off && rules::find(d.rule).is_some() {
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
    if config.level(ids::WAIVER) != Level::Off {
        out.extend(unused_waivers(&waivers, &used, config, history.is_some()));
    }
    let mut out: Vec<Diagnostic> = out.into_iter().map(Diagnostic::sanitized).collect();
    sort(&mut out, &loaded.sources);
    out
}

/// A valid waiver that suppressed nothing is stale: say so, as a warning. A
/// waiver of a history rule is only judged when the history was scanned, and
/// one of a rule that is off is left alone.
fn unused_waivers(
    waivers: &[rules::waiver::ActiveWaiver],
    used: &[bool],
    config: &Config,
    history_ran: bool,
) -> Vec<Diagnostic> {
    waivers
        .iter()
        .zip(used)
        .filter(|(_, used)| !**used)
        .filter(|(w, _)| config.level(&w.rule) != Level::Off)
        .filter(|(w, _)| {
            history_ran || rules::find(&w.rule).is_none_or(|r| r.group != rules::RuleGroup::History)
        })
        .map(|(w, _)| {
            let scope = w
                .quarter
                .map_or("anywhere".to_string(), |q| format!("in {q}"));
            Diagnostic::new(
                ids::WAIVER,
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
