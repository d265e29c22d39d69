//! The commands, wired together: each returns an exit code or an error, and
//! hands its text to the caller to print.

use crate::calendar::Date;
use crate::cli::{
    CheckArgs, CommitMsgArgs, CommonArgs, ExplainArgs, Format, InitArgs, ReportArgs, ReportFormat,
    RulesArgs,
};
use crate::config::{Config, DEFAULT_CONFIG};
use crate::dashboard::{self, Dashboard};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover;
use crate::history::{self, Facts, GitRepo, Head, Opened, ScanRequest};
use crate::lint::{lint, load, Loaded, RawFile};
use crate::report::{self, Output, Style, Summary};
use crate::rules::{self, ids};
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

/// Where the roadmap is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Snapshot {
    /// The files on disk.
    WorkTree,
    /// The index (`--staged`).
    Index,
    /// A commit's tree (`--rev`, or HEAD in a bare repository).
    Rev(String),
}

/// Everything a command learns before the rules run: the repository, the
/// configuration and the parsed roadmap.
struct Session {
    git: Option<Box<GitRepo>>,
    config: Config,
    loaded: Loaded,
    snapshot: Snapshot,
    notes: Vec<Diagnostic>,
}

/// Render `config` diagnostics and end with exit code 2.
fn config_failure(
    diags: Vec<Diagnostic>,
    sources: &Sources,
    style: &Style,
    format: Format,
) -> Outcome {
    let mut diags: Vec<Diagnostic> = diags.into_iter().map(Diagnostic::sanitized).collect();
    crate::lint::sort(&mut diags, sources);
    let out = Output {
        diagnostics: &diags,
        sources,
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
    let path = diags
        .first()
        .and_then(|d| d.file)
        .map(|f| sources.get(f).path.clone())
        .unwrap_or_default();
    Outcome {
        stdout: String::new(),
        stderr: format!(
            "{}roadlint: error: the configuration is invalid; fix {path} first\n",
            report::render(format, &out, &quiet)
        ),
        code: 2,
    }
}

impl Session {
    /// Open the repository, read the config and the roadmap as `snapshot` says.
    fn open(
        path: Option<&Path>,
        common: &CommonArgs,
        staged: bool,
        rev: Option<&str>,
        style: &Style,
        format: Format,
    ) -> Result<Session, Outcome> {
        let start = path.unwrap_or(Path::new("."));
        if let Err(e) = std::fs::metadata(start) {
            return Err(Outcome::fail(format!("{}: {e}", start.display())));
        }
        let git = match GitRepo::open(start).map_err(Outcome::fail)? {
            Opened::Repo(g) => Some(g),
            Opened::NotARepo => None,
        };
        let snapshot = match (staged, rev, &git) {
            (true, _, Some(_)) => Snapshot::Index,
            (_, Some(r), Some(_)) => Snapshot::Rev(r.to_string()),
            (true, _, None) | (_, Some(_), None) => {
                return Err(Outcome::fail("--staged and --rev need a git repository"));
            }
            (false, None, Some(g)) if g.is_bare() => Snapshot::Rev("HEAD".into()),
            _ => Snapshot::WorkTree,
        };
        let root: PathBuf = match &git {
            Some(g) => g.root(),
            None => discover::find_root(start).map_err(Outcome::fail)?.dir,
        };
        let tree = match (&snapshot, &git) {
            (Snapshot::Rev(spec), Some(g)) => {
                if spec == "HEAD" && g.head().map_err(Outcome::fail)? == Head::Unborn {
                    None
                } else {
                    let id = g.resolve(spec).map_err(Outcome::fail)?;
                    Some(g.tree_of(id).map_err(Outcome::fail)?)
                }
            }
            _ => None,
        };

        // The configuration: --config, else the snapshot's, else the nearest on disk.
        let mut sources = Sources::default();
        let config_text: Option<(String, String)> = match (&common.config, &snapshot, &git) {
            (Some(p), ..) => Some((
                p.display().to_string(),
                discover::read_config(p).map_err(Outcome::fail)?,
            )),
            (None, Snapshot::WorkTree, _) => match discover::find_config(start, &root) {
                Some(p) => {
                    let name = if p.starts_with(&root) {
                        discover::relative(&root, &p)
                    } else {
                        p.display().to_string()
                    };
                    Some((name, discover::read_config(&p).map_err(Outcome::fail)?))
                }
                None => None,
            },
            (None, snap, Some(g)) => {
                let globs = vec![discover::CONFIG_FILE.to_string()];
                let files = match (snap, tree) {
                    (Snapshot::Index, _) => g.files_in_index(&globs).map_err(Outcome::fail)?,
                    (_, Some(t)) => g.files_in_tree(t, &globs).map_err(Outcome::fail)?,
                    _ => Vec::new(),
                };
                match files.into_iter().next() {
                    Some(RawFile {
                        path,
                        content: Ok(bytes),
                    }) => Some((path, String::from_utf8_lossy(&bytes).into_owned())),
                    Some(RawFile {
                        path,
                        content: Err(e),
                    }) => {
                        return Err(Outcome::fail(format!(
                            "{path}: cannot read the configuration ({e:?})"
                        )));
                    }
                    None => None,
                }
            }
            _ => None,
        };
        let config = match config_text {
            None => Config::default(),
            Some((name, text)) => {
                let id = sources.add_config(SourceFile::new(name, text));
                let (config, diags) = Config::parse(id, &sources.get(id).text);
                if !diags.is_empty() {
                    return Err(config_failure(diags, &sources, style, format));
                }
                config
            }
        };

        let raw = match (&snapshot, &git, tree) {
            (Snapshot::WorkTree, ..) => {
                discover::roadmap_files(&root, &config.roadmap).map_err(Outcome::fail)?
            }
            (Snapshot::Index, Some(g), _) => {
                g.files_in_index(&config.roadmap).map_err(Outcome::fail)?
            }
            (Snapshot::Rev(_), Some(g), Some(t)) => {
                g.files_in_tree(t, &config.roadmap).map_err(Outcome::fail)?
            }
            _ => Vec::new(),
        };
        Ok(Session {
            git,
            config,
            loaded: load(raw, sources),
            snapshot,
            notes: Vec::new(),
        })
    }

    /// Scan the history when a history rule (or the report) needs it. A repository
    /// that cannot provide history yields one warning; a truncated or broken one
    /// ends the run with exit code 2.
    fn history(
        &mut self,
        no_history: bool,
        since: Option<&str>,
        today: Date,
        classify_all: bool,
        common: &CommonArgs,
    ) -> Result<Option<Facts>, Outcome> {
        if no_history || !(classify_all || self.config.wants_history()) {
            return Ok(None);
        }
        let Some(git) = &self.git else {
            self.notes.push(
                Diagnostic::new(ids::HISTORY, "not a git repository: history rules skipped")
                    .severity(Severity::Warning)
                    .help("run roadlint inside a git repository to check the plan against the commits"),
            );
            return Ok(None);
        };
        let tip = match &self.snapshot {
            Snapshot::Rev(spec) if spec != "HEAD" => git.resolve(spec).map_err(Outcome::fail)?,
            _ => match git.head().map_err(Outcome::fail)? {
                Head::Commit(id) => id,
                Head::Unborn => {
                    self.notes.push(
                        Diagnostic::new(ids::HISTORY, "no commits yet: history rules skipped")
                            .severity(Severity::Warning)
                            .help("history rules run once the repository has commits"),
                    );
                    return Ok(None);
                }
            },
        };
        let since = match since {
            Some(s) => Some(history::since_seconds(git, s).map_err(Outcome::fail)?),
            None => None,
        };
        let req = ScanRequest {
            tip,
            since,
            config: &self.config,
            roadmap: &self.loaded.roadmap,
            sources: &self.loaded.sources,
            today,
            classify_all,
            progress: !common.quiet,
            cache: !common.no_cache,
        };
        history::scan(git, &req).map(Some).map_err(Outcome::fail)
    }
}

impl Session {
    /// Scan the history (when needed) and run every rule: the diagnostics of
    /// the run, with the facts they were judged on.
    fn run(
        &mut self,
        no_history: bool,
        since: Option<&str>,
        today: Date,
        classify_all: bool,
        common: &CommonArgs,
    ) -> Result<(Option<Facts>, Vec<Diagnostic>), Outcome> {
        let facts = self.history(no_history, since, today, classify_all, common)?;
        let notes = std::mem::take(&mut self.notes);
        let diags = lint(&self.loaded, &self.config, today, facts.as_ref(), notes);
        Ok((facts, diags))
    }
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
    let mut session = match Session::open(
        args.path.as_deref(),
        &args.common,
        args.staged,
        args.rev.as_deref(),
        &style,
        format,
    ) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let (facts, diags) = match session.run(
        args.no_history,
        args.since.as_deref(),
        today,
        false,
        &args.common,
    ) {
        Ok(r) => r,
        Err(o) => return o,
    };
    let summary = Summary::new(
        &diags,
        session.loaded.files,
        facts.as_ref().map_or(0, |f| f.commits_scanned),
    );
    let out = Output {
        diagnostics: &diags,
        sources: &session.loaded.sources,
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

/// `roadlint report`: the per-quarter dashboard. Classifies every quarter's
/// commits in the same single history pass `check` makes.
pub fn report_cmd(args: &ReportArgs) -> Outcome {
    let style = Style::detect(args.common.color, args.common.quiet);
    let mut session = match Session::open(
        args.path.as_deref(),
        &args.common,
        false,
        None,
        &style,
        Format::Human,
    ) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let (facts, diags) = match session.run(false, args.since.as_deref(), today, true, &args.common)
    {
        Ok(r) => r,
        Err(o) => return o,
    };
    let board = Dashboard::build(
        &session.loaded,
        &session.config,
        facts.as_ref(),
        &diags,
        today,
    );
    let color = style.color && args.output.is_none();
    let text = match args.format {
        ReportFormat::Table => dashboard::table::render(&board, color),
        ReportFormat::Json => dashboard::json::render(&board),
        ReportFormat::Html => dashboard::html::render(&board),
    };
    match &args.output {
        None => Outcome::ok(text),
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => Outcome::ok(String::new()),
            Err(e) => Outcome::fail(format!("{}: {e}", path.display())),
        },
    }
}

/// `roadlint commit-msg FILE`: when the staged change alters a locked
/// quarter's scope, the message must carry both valid sign-off trailers.
pub fn commit_msg(args: &CommitMsgArgs) -> Outcome {
    let style = Style::detect(args.common.color, args.common.quiet);
    let session = match Session::open(None, &args.common, true, None, &style, Format::Human) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let Some(git) = &session.git else {
        return Outcome::fail("commit-msg runs inside a git repository");
    };
    let message = match std::fs::read(&args.file) {
        Ok(m) => m,
        Err(e) => return Outcome::fail(format!("{}: {e}", args.file.display())),
    };
    // git strips comment lines after the hook has run; do it first so a
    // commented-out trailer does not count.
    let message: Vec<u8> = message
        .split_inclusive(|b| *b == b'\n')
        .filter(|l| !l.starts_with(b"#"))
        .flatten()
        .copied()
        .collect();
    let msg = history::MessageFacts::parse(&message);
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let head_files = match git.head() {
        Ok(Head::Commit(id)) => match git
            .tree_of(id)
            .and_then(|t| git.files_in_tree(t, &session.config.roadmap))
        {
            Ok(f) => f,
            Err(e) => return Outcome::fail(e),
        },
        Ok(Head::Unborn) => Vec::new(),
        Err(e) => return Outcome::fail(e),
    };
    let roadmap = &session.loaded.roadmap;
    let products = roadmap.product_owners();
    let techs = roadmap.tech_owners();
    let problems = crate::rules::locked_scope::signoff_problems(
        msg.trailer(&session.config.signoff.product_trailer),
        msg.trailer(&session.config.signoff.tech_trailer),
        &products,
        &techs,
        &session.config.signoff,
    );
    let mut diags = Vec::new();
    for file in &roadmap.files {
        let (Some(quarter), Some(locked)) = (&file.quarter, &file.locked) else {
            continue;
        };
        if today < locked.value {
            continue;
        }
        let src = session.loaded.sources.get(file.file);
        let before = head_files
            .iter()
            .find(|f| f.path == src.path)
            .and_then(|f| f.content.as_ref().ok())
            .map(|b| history::scope_of(b))
            .unwrap_or_default();
        let changes = history::diff(&before, &history::scope_of(src.text.as_bytes()));
        if changes.is_empty() || problems.is_empty() {
            continue;
        }
        let first = &changes[0];
        let item = file.items.iter().find(|i| i.id_str() == first.item());
        let what: Vec<String> = changes.iter().map(ToString::to_string).collect();
        diags.push(
            Diagnostic::new(
                ids::LOCKED_SCOPE,
                format!(
                    "this commit changes the scope of locked {} ({}) without valid sign-off: {}",
                    quarter.value,
                    what.join(", "),
                    problems.join("; ")
                ),
            )
            .at(file.file, item.map_or(file.quarter_span(), |i| i.name_span()))
            .quarter(quarter.value)
            .item(first.item())
            .help(format!(
                "add `{}: <product owner>` and `{}: <tech owner>` trailers (two different people) to the commit message",
                session.config.signoff.product_trailer, session.config.signoff.tech_trailer
            ))
            .sanitized(),
        );
    }
    crate::lint::sort(&mut diags, &session.loaded.sources);
    let out = Output {
        diagnostics: &diags,
        sources: &session.loaded.sources,
        summary: Summary::new(&diags, session.loaded.files, 0),
    };
    let quiet = Style {
        quiet: true,
        ..style
    };
    let text = if diags.is_empty() {
        String::new()
    } else {
        report::render(Format::Human, &out, &quiet)
    };
    Outcome {
        stdout: String::new(),
        stderr: text,
        code: u8::from(!diags.is_empty()),
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
    let common = CommonArgs {
        config: args.config.clone(),
        ..CommonArgs::default()
    };
    let setup = match Session::open(
        args.path.as_deref(),
        &common,
        false,
        None,
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

/// `roadlint completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Outcome {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "roadlint", &mut out);
    Outcome::ok(String::from_utf8_lossy(&out).into_owned())
}

/// `roadlint man`: the man page, in roff.
pub fn man() -> Outcome {
    use clap::CommandFactory;
    let mut out = Vec::new();
    match clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut out) {
        Ok(()) => Outcome::ok(String::from_utf8_lossy(&out).into_owned()),
        Err(e) => Outcome::fail(format!("cannot render the man page: {e}")),
    }
}
