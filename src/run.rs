//! The commands, wired together: each returns an exit code or an error, and
//! hands its text to the caller to print.

use crate::calendar::Date;
use crate::cli::{CheckArgs, ExplainArgs, Format, InitArgs, RulesArgs};
use crate::config::{Config, DEFAULT_CONFIG};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, Root};
use crate::lint::{lint, load, Loaded};
use crate::report::{self, Output, Style, Summary};
use crate::rules;
use crate::source::{SourceFile, Sources};
use std::path::{Path, PathBuf};

/// How a command ended.
#[derive(Debug)]
pub struct Outcome {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// 0 clean, 1 errors found, 2 could not run.
    pub code: u8,
}

impl Outcome {
    fn ok(stdout: String) -> Self {
        Outcome {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }

    /// A failure to do the job: exit code 2 with a message on stderr.
    pub fn fail(message: impl std::fmt::Display) -> Self {
        Outcome {
            stdout: String::new(),
            stderr: format!("roadlint: error: {message}\n"),
            code: 2,
        }
    }
}

/// The configuration in force and the sources it was read into.
struct Setup {
    root: Root,
    config: Config,
    sources: Sources,
}

/// Find the root and read the config. A bad config is rendered and ends the run
/// with exit code 2.
fn setup(
    path: Option<&Path>,
    config_path: Option<&Path>,
    style: &Style,
    format: Format,
) -> Result<Setup, Outcome> {
    let start = path.unwrap_or(Path::new("."));
    let root = discover::find_root(start).map_err(Outcome::fail)?;
    let mut sources = Sources::default();
    let config_file: Option<PathBuf> = match config_path {
        Some(p) => Some(p.to_path_buf()),
        None => discover::find_config(start, &root.dir),
    };
    let config = match config_file {
        None => Config::default(),
        Some(p) => {
            let text = discover::read_config(&p).map_err(Outcome::fail)?;
            let name = if p.starts_with(&root.dir) {
                discover::relative(&root.dir, &p)
            } else {
                p.display().to_string()
            };
            let id = sources.add(SourceFile::new(name, text));
            let (config, diags) = Config::parse(id, &sources.get(id).text);
            if !diags.is_empty() {
                let mut diags: Vec<Diagnostic> =
                    diags.into_iter().map(Diagnostic::sanitized).collect();
                crate::lint::sort(&mut diags, &sources);
                let out = Output {
                    diagnostics: &diags,
                    sources: &sources,
                    summary: Summary::new(&diags, 0, 0),
                };
                let quiet = Style {
                    quiet: true,
                    ..*style
                };
                let format = if matches!(format, Format::Human | Format::Short) {
                    format
                } else {
                    Format::Human
                };
                return Err(Outcome {
                    stdout: String::new(),
                    stderr: format!(
                        "{}roadlint: error: the configuration is invalid; fix {} first\n",
                        report::render(format, &out, &quiet),
                        sources.get(id).path
                    ),
                    code: 2,
                });
            }
            config
        }
    };
    Ok(Setup {
        root,
        config,
        sources,
    })
}

/// `roadlint check`.
pub fn check(args: &CheckArgs) -> Outcome {
    let format = args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    });
    let style = Style::detect(args.common.color, args.common.quiet);
    let setup = match setup(
        args.path.as_deref(),
        args.common.config.as_deref(),
        &style,
        format,
    ) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let raw = match discover::roadmap_files(&setup.root.dir, &setup.config.roadmap) {
        Ok(r) => r,
        Err(e) => return Outcome::fail(e),
    };
    let loaded: Loaded = load(raw, setup.sources);
    let extra = Vec::new();
    let diags = lint(&loaded, &setup.config, today, extra);
    let summary = Summary::new(&diags, loaded.files, 0);
    let out = Output {
        diagnostics: &diags,
        sources: &loaded.sources,
        summary,
    };
    let text = report::render(format, &out, &style);
    let code = u8::from(diags.iter().any(|d| d.severity == Severity::Error));
    Outcome {
        stdout: text,
        stderr: String::new(),
        code,
    }
}

/// `roadlint explain RULE`.
pub fn explain(args: &ExplainArgs) -> Outcome {
    match rules::find(&args.rule) {
        Some(rule) => Outcome::ok(format!(
            "# {} ({} rule, default level: {})\n\n{}\n\n{}",
            rule.id,
            rule.group.as_str(),
            rule.default_level.as_str(),
            rule.summary,
            rule.explanation()
        )),
        None => {
            let known: Vec<&str> = rules::registry().iter().map(|r| r.id).collect();
            let hint = crate::model::reader::did_you_mean(&args.rule, &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            Outcome::fail(format!(
                "unknown rule `{}`{hint}; run `roadlint rules` to list the rules",
                crate::escape::escape_data(&args.rule)
            ))
        }
    }
}

/// `roadlint rules`.
pub fn rules_list(args: &RulesArgs) -> Outcome {
    let style = Style::plain();
    let setup = match setup(
        args.path.as_deref(),
        args.config.as_deref(),
        &style,
        Format::Human,
    ) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let width = rules::registry()
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(10);
    let mut s = String::new();
    for r in rules::registry() {
        let level = setup.config.level(r.id).as_str();
        s.push_str(&format!(
            "{:<width$}  {:<5}  {:<10}  {}\n",
            r.id,
            level,
            r.group.as_str(),
            r.summary
        ));
    }
    Outcome::ok(s)
}

/// `roadlint init [--example]`: the only command that writes.
pub fn init(args: &InitArgs) -> Outcome {
    let dir = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = dir.join(discover::CONFIG_FILE);
    if std::fs::symlink_metadata(&config).is_ok() {
        return Outcome::fail(format!(
            "{} already exists; not overwriting it",
            config.display()
        ));
    }
    let mut planned: Vec<(PathBuf, &str)> = vec![(config, DEFAULT_CONFIG)];
    if args.example {
        for (name, text) in crate::example::FILES {
            let p = dir.join(name);
            if std::fs::symlink_metadata(&p).is_ok() {
                return Outcome::fail(format!(
                    "{} already exists; not overwriting it",
                    p.display()
                ));
            }
            planned.push((p, text));
        }
    }
    let mut written = String::new();
    for (path, text) in planned {
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                return Outcome::fail(format!("{}: {e}", parent.display()));
            }
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file.and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes())) {
            Ok(()) => written.push_str(&format!("wrote {}\n", path.display())),
            Err(e) => return Outcome::fail(format!("{}: {e}", path.display())),
        }
    }
    written.push_str("next: run `roadlint check`\n");
    Outcome::ok(written)
}

/// `roadlint schema`.
pub fn schema() -> Outcome {
    Outcome::ok(crate::schema::json_schema())
}
