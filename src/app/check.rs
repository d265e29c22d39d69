//! `roadlint check`: lint the roadmap and its history.

use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::CheckArgs;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::output::{self, Format, Output, Style, Summary};
use crate::rules;
use std::path::{Component, Path, PathBuf};

/// `check --roadmap NAME` with a name no `[[roadmap]]` declares: exit 2
/// listing the declared names.
fn unknown_roadmap(name: &str, config: &crate::config::Config) -> Outcome {
    let names: Vec<&str> = config.roadmaps.iter().map(|r| r.name.as_str()).collect();
    let help = if names.is_empty() {
        "roadlint.toml declares no [[roadmap]]: run without --roadmap".to_string()
    } else {
        format!("the roadmaps are: {}", names.join(", "))
    };
    Outcome::fail_with_help(
        format!("no roadmap is named `{}`", crate::escape::escape_data(name)),
        help,
    )
}

/// `roadlint check`.
pub fn check(args: &CheckArgs) -> Outcome {
    if args.fix {
        return fix_then_check(args);
    }
    let format = args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    });
    let style = Style::detect(args.common.color, args.common.quiet);
    let targets = match Targets::of(&args.paths) {
        Ok(t) => t,
        Err(o) => return o.in_format(format),
    };
    let only = match selection(&args.select, &args.ignore) {
        Ok(o) => o,
        Err(o) => return o.in_format(format),
    };
    let mut session = match Session::open(&OpenOptions {
        path: Some(&targets.start),
        config: args.common.config.as_deref(),
        staged: args.staged,
        rev: args.rev.as_deref(),
        style,
        format,
    }) {
        Ok(s) => s,
        Err(o) => return o.in_format(format),
    };
    if session.loaded.files == 0 {
        return Outcome::fail_with_help(
            format!(
                "no roadmap file matches the `roadmap` globs ({})",
                session.config.roadmap.join(", ")
            ),
            "run `roadlint init --example` to start a roadmap, or fix the globs in roadlint.toml",
        )
        .in_format(format);
    }
    if let Some(name) = &args.roadmap {
        if !session.config.roadmaps.iter().any(|r| r.name == *name) {
            return unknown_roadmap(name, &session.config).in_format(format);
        }
    }
    let files = match targets.repository_paths(&session.root) {
        Ok(f) => f,
        Err(o) => return o.in_format(format),
    };
    let pinned = match pin_allowed_signers(&mut session, args, only.as_deref()) {
        Ok(p) => p,
        Err(o) => return o.in_format(format),
    };
    let (facts, diags) = match session.run(&RunOptions {
        no_history: args.no_history,
        since: args.since.as_deref(),
        today: args.common.today.unwrap_or_else(Date::today_utc),
        classify_all: false,
        progress: !args.common.quiet,
        cache: !args.common.no_cache,
        rev: args.rev.as_deref(),
        only: only.as_deref(),
        allowed_signers: pinned.as_deref(),
    }) {
        Ok(r) => r,
        Err(o) => return o.in_format(format),
    };
    let mut stderr = String::new();
    let diags: Vec<Diagnostic> = match &files {
        None => diags,
        Some(files) => {
            let sources = &session.loaded.sources;
            for f in files {
                if !sources.roadmap_files().any(|(_, s)| &s.path == f) {
                    stderr.push_str(&format!(
                        "roadlint: note: {f} is not a roadmap file (the `roadmap` globs do not match it); nothing to report about it\n"
                    ));
                }
            }
            diags
                .into_iter()
                .filter(|d| {
                    d.file
                        .is_some_and(|id| files.contains(&sources.get(id).path))
                })
                .collect()
        }
    };
    let diags: Vec<Diagnostic> = match &args.roadmap {
        Some(name) => diags
            .into_iter()
            .filter(|d| d.roadmap.as_ref() == Some(name))
            .collect(),
        None => diags,
    };
    // Only the named files that are roadmap files count as files checked.
    let counted = files.as_ref().map_or(session.loaded.files, |files| {
        let sources = &session.loaded.sources;
        files
            .iter()
            .filter(|f| sources.roadmap_files().any(|(_, s)| &s.path == *f))
            .count()
    });
    let summary = Summary::new(
        &diags,
        counted,
        facts.as_ref().map_or(0, |f| f.commits_scanned),
    );
    let prefix = path_prefix(&session.root);
    // Rules that did not run: JUnit marks them skipped, never passed.
    let skipped: Vec<RuleId> = rules::registry()
        .iter()
        .filter(|r| {
            (args.no_history && r.needs_history())
                || !session.config.enabled(r.id)
                || only
                    .as_ref()
                    .is_some_and(|o| r.group != rules::RuleGroup::Structural && !o.contains(&r.id))
        })
        .map(|r| r.id)
        .collect();
    let out = Output {
        diagnostics: &diags,
        sources: &session.loaded.sources,
        summary,
        path_prefix: &prefix,
        skipped: &skipped,
    };
    let errors = summary.errors > 0;
    let max_warnings = if args.deny_warnings {
        Some(0)
    } else {
        args.max_warnings
    };
    let too_many = max_warnings.filter(|max| summary.warnings > *max);
    if let Some(max) = too_many {
        stderr.push_str(&format!(
            "roadlint: {} warning{} (--max-warnings allows {max})\n",
            summary.warnings,
            if summary.warnings == 1 { "" } else { "s" },
        ));
    }
    Outcome::new(
        output::render(format, &out, &style),
        stderr,
        u8::from(errors || too_many.is_some()),
    )
}

/// The text of `--allowed-signers FILE`, if given, noted on the session
/// (which warns about its lines for the rules that run, `only`).
fn pin_allowed_signers(
    session: &mut Session,
    args: &CheckArgs,
    only: Option<&[RuleId]>,
) -> Result<Option<String>, Outcome> {
    let pinned = pinned_signers(args.allowed_signers.as_deref())?;
    let pin_name = args
        .allowed_signers
        .as_deref()
        .map(|p| p.display().to_string());
    session.note_allowed_signers(pin_name.as_deref().zip(pinned.as_deref()), only);
    Ok(pinned)
}

/// How many times `check --fix` looks for fixes again after applying some.
const FIX_ROUNDS: usize = 5;

/// `check --fix`: apply the safe fixes of the plan's diagnostics (no history
/// is needed to find them), say what changed, then check as usual.
fn fix_then_check(args: &CheckArgs) -> Outcome {
    let format = args.format.unwrap_or(Format::Human);
    let style = Style::detect(args.common.color, args.common.quiet);
    let targets = match Targets::of(&args.paths) {
        Ok(t) => t,
        Err(o) => return o.in_format(format),
    };
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    // A fix can uncover another (a key renamed, then its quoted value): apply
    // rounds until none is left, as far as a few rounds go.
    let mut applied = Vec::new();
    let mut root = PathBuf::new();
    for _ in 0..FIX_ROUNDS {
        let mut session = match Session::open(&OpenOptions {
            path: Some(&targets.start),
            config: args.common.config.as_deref(),
            staged: false,
            rev: None,
            style,
            format,
        }) {
            Ok(s) => s,
            Err(o) => return o.in_format(format),
        };
        let diags = match session.run(&RunOptions {
            no_history: true,
            since: None,
            today,
            classify_all: false,
            progress: false,
            cache: false,
            rev: None,
            only: None,
            allowed_signers: None,
        }) {
            Ok((_, d)) => d,
            Err(o) => return o.in_format(format),
        };
        let round = match super::fix::apply(&session.root, &session.loaded, &diags) {
            Ok(a) => a,
            Err(e) => return Outcome::fail(e).in_format(format),
        };
        root = session.root;
        if round.is_empty() {
            break;
        }
        applied.extend(round);
    }
    let prefix = path_prefix(&root);
    let mut said = String::new();
    for a in &applied {
        said.push_str(&format!(
            "roadlint: fixed {}:{}: {}\n",
            crate::escape::escape_text(&format!("{prefix}{}", a.path)),
            a.line,
            a.title
        ));
    }
    if !applied.is_empty() {
        let files: std::collections::BTreeSet<&str> =
            applied.iter().map(|a| a.path.as_str()).collect();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        said.push_str(&format!(
            "roadlint: applied {} fix{} in {} file{}\n",
            applied.len(),
            if applied.len() == 1 { "" } else { "es" },
            files.len(),
            plural(files.len())
        ));
    }
    let mut outcome = check(&CheckArgs {
        fix: false,
        ..args.clone()
    });
    outcome.stderr = said + &outcome.stderr;
    outcome
}

/// What the PATH arguments name: where to look for the repository, and the
/// roadmap files to report on (none: the whole roadmap).
struct Targets {
    start: PathBuf,
    files: Vec<PathBuf>,
}

impl Targets {
    fn of(paths: &[PathBuf]) -> Result<Targets, Outcome> {
        let mut dir: Option<PathBuf> = None;
        let mut files = Vec::new();
        for p in paths {
            let meta =
                std::fs::metadata(p).map_err(|e| Outcome::fail(format!("{}: {e}", p.display())))?;
            if meta.is_dir() {
                if dir.as_ref().is_some_and(|d| d != p) {
                    return Err(Outcome::fail(format!(
                        "{}: give one repository directory, or roadmap files",
                        p.display()
                    )));
                }
                dir = Some(p.clone());
            } else {
                files.push(p.clone());
            }
        }
        if dir.is_some() && !files.is_empty() {
            return Err(Outcome::fail(
                "give either a repository directory or roadmap files, not both",
            ));
        }
        let start = match (dir, files.first()) {
            (Some(d), _) => d,
            (None, Some(f)) => match f.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            },
            (None, None) => PathBuf::from("."),
        };
        Ok(Targets { start, files })
    }

    /// The files as repository-relative `/` paths, `None` when no file was
    /// given. A file outside the repository is an error.
    fn repository_paths(&self, root: &Path) -> Result<Option<Vec<String>>, Outcome> {
        if self.files.is_empty() {
            return Ok(None);
        }
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut out = Vec::new();
        for f in &self.files {
            let abs = std::fs::canonicalize(f)
                .map_err(|e| Outcome::fail(format!("{}: {e}", f.display())))?;
            let rel = abs.strip_prefix(&root).map_err(|_| {
                Outcome::fail(format!(
                    "{}: not inside the repository at {}",
                    f.display(),
                    root.display()
                ))
            })?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
        Ok(Some(out))
    }
}

/// The rules `--select` and `--ignore` leave to run, `None` for all. An
/// unknown rule id ends the run with exit code 2.
fn selection(select: &[String], ignore: &[String]) -> Result<Option<Vec<RuleId>>, Outcome> {
    if select.is_empty() && ignore.is_empty() {
        return Ok(None);
    }
    let lookup = |name: &String| {
        rules::find(name.trim()).map(|r| r.id).ok_or_else(|| {
            let known: Vec<&str> = rules::registry().iter().map(|r| r.id.as_str()).collect();
            let hint = crate::model::reader::did_you_mean(name.trim(), &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            Outcome::fail(format!(
                "unknown rule `{}`{hint}; run `roadlint rules` to list the rules",
                crate::escape::escape_data(name)
            ))
        })
    };
    let ignored = ignore.iter().map(lookup).collect::<Result<Vec<_>, _>>()?;
    let selected = if select.is_empty() {
        rules::registry().iter().map(|r| r.id).collect()
    } else {
        select.iter().map(lookup).collect::<Result<Vec<_>, _>>()?
    };
    Ok(Some(
        selected
            .into_iter()
            .filter(|id| !ignored.contains(id))
            .collect(),
    ))
}

/// What to put before a repository-relative path so that it opens from the
/// current directory.
fn path_prefix(root: &Path) -> String {
    let (Ok(cwd), Ok(root)) = (
        std::env::current_dir().and_then(std::fs::canonicalize),
        std::fs::canonicalize(root),
    ) else {
        return String::new();
    };
    if let Ok(below) = cwd.strip_prefix(&root) {
        let depth = below
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .count();
        return "../".repeat(depth);
    }
    match root.strip_prefix(&cwd) {
        Ok(rel) => format!("{}/", rel.display()),
        Err(_) => format!("{}/", root.display()),
    }
}

/// The text of `--allowed-signers FILE`, read capped (a regular file only):
/// the trust root pinned outside the repository (SPEC §9.4).
fn pinned_signers(path: Option<&Path>) -> Result<Option<String>, Outcome> {
    let Some(path) = path else { return Ok(None) };
    match crate::bounded::read_capped(path, 1 << 20, true) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) => Err(Outcome::fail(format!(
            "--allowed-signers {}: {e}",
            path.display()
        ))),
    }
}
