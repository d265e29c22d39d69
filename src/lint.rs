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
use crate::source::{FileId, RawFile, Refusal, SourceFile, Sources, Span, Spanned};

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
    let look_alikes = look_alike_names(&loaded.roadmap);
    loaded.diagnostics.extend(look_alikes);
    loaded
}

/// Two different names of one roadmap that look the same (equal UTS #39
/// skeletons, `Ꮮee` and `Lee`): a `schema` warning at each later spelling,
/// naming the first. One of them is probably meant to pass for the other.
fn look_alike_names(roadmap: &Roadmap) -> Vec<Diagnostic> {
    use crate::people;
    let mut names: Vec<(String, FileId, &Spanned<String>)> = Vec::new();
    for i in roadmap.items() {
        let id = i.id.as_ref().map(|s| s.value.as_str());
        names.extend(
            owners("item", id, i.product_owner.as_ref(), i.tech_owner.as_ref())
                .into_iter()
                .map(|(w, n)| (w, i.file, n)),
        );
    }
    for k in roadmap.kpis() {
        let id = k.id.as_ref().map(|s| s.value.as_str());
        names.extend(
            owners("KPI", id, k.product_owner.as_ref(), k.tech_owner.as_ref())
                .into_iter()
                .map(|(w, n)| (w, k.file, n)),
        );
    }
    for w in roadmap.waivers() {
        for n in w.approved_by.iter().flat_map(|l| &l.value) {
            names.push(("`approved_by` of a waiver".to_string(), w.file, n));
        }
    }
    // The first spelling of each look: (skeleton, key, where, name).
    let mut first: Vec<(String, String, &str, &str)> = Vec::new();
    let mut out = Vec::new();
    for (what, file, name) in &names {
        // A name with an invisible character or mixed scripts is reported
        // as such already: one typo, one diagnostic.
        if name.value.trim().is_empty() || people::problem(&name.value).is_some() {
            continue;
        }
        let (skeleton, key) = (people::skeleton(&name.value), people::key(&name.value));
        match first.iter().find(|(s, ..)| *s == skeleton) {
            Some((_, k, _, _)) if *k == key => {}
            Some((_, _, where_, other)) => out.push(
                Diagnostic::new(
                    RuleId::SCHEMA,
                    format!(
                        "{what} is \"{}\", which looks like \"{other}\" ({where_}) but is another name",
                        name.value
                    ),
                )
                .at(*file, name.span)
                .severity(Severity::Warning)
                .help("write each person's name one way: a look-alike name lets one person sign as another"),
            ),
            None => first.push((skeleton, key, what, &name.value)),
        }
    }
    out
}

/// The owners of an entry, each with where it is named.
fn owners<'a>(
    what: &str,
    id: Option<&str>,
    product: Option<&'a Spanned<String>>,
    tech: Option<&'a Spanned<String>>,
) -> Vec<(String, &'a Spanned<String>)> {
    let id = id.unwrap_or("?");
    [("product_owner", product), ("tech_owner", tech)]
        .into_iter()
        .filter_map(|(key, name)| name.map(|n| (format!("`{key}` of {what} `{id}`"), n)))
        .collect()
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
    if !config.roadmaps.is_empty() {
        name_roadmaps(&mut out, config, &loaded.sources);
    }
    let mut out: Vec<Diagnostic> = out.into_iter().map(Diagnostic::sanitized).collect();
    sort(&mut out, &loaded.sources);
    out
}

/// Name the `[[roadmap]]` each diagnostic is about: the one whose files
/// hold the file it points into (SPEC §9.8).
fn name_roadmaps(diags: &mut [Diagnostic], config: &Config, sources: &Sources) {
    let mut known: std::collections::HashMap<FileId, Option<String>> = Default::default();
    for d in diags.iter_mut().filter(|d| d.roadmap.is_none()) {
        let Some(file) = d.file else { continue };
        d.roadmap = known
            .entry(file)
            .or_insert_with(|| {
                config
                    .roadmap_of(&sources.get(file).path)
                    .map(str::to_string)
            })
            .clone();
    }
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
