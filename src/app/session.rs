//! What every command that reads a repository does first: open it, read the
//! configuration and the roadmap as the chosen snapshot holds them, and (on
//! request) scan the history and run the rules.

use super::Outcome;
use crate::calendar::Date;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::discover::{self, Snapshot};
use crate::facts::Facts;
use crate::git::{GitRepo, Head, Opened};
use crate::history::{self, ScanRequest};
use crate::lint::{lint_selected, load, Loaded};
use crate::output::{self, Format, Output, Style, Summary};
use crate::rules::{self, debt_share};
use crate::source::{SourceFile, Sources};
use std::path::{Path, PathBuf};

/// How to open a session.
#[derive(Debug, Clone, Copy)]
pub(super) struct OpenOptions<'a> {
    /// A path inside the repository (default: the current directory).
    pub path: Option<&'a Path>,
    /// `--config PATH`.
    pub config: Option<&'a Path>,
    /// Read the roadmap from the index.
    pub staged: bool,
    /// Read the roadmap from this commit.
    pub rev: Option<&'a str>,
    /// How a bad configuration is shown.
    pub style: Style,
    /// The output format (a bad configuration is always shown as text).
    pub format: Format,
}

/// How to judge once a session is open.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunOptions<'a> {
    /// Skip the history rules.
    pub no_history: bool,
    /// `--since DATE|REV`.
    pub since: Option<&'a str>,
    /// The date the check is made as of.
    pub today: Date,
    /// Classify every quarter's commits (the report), not only judged ones.
    pub classify_all: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Use the history cache.
    pub cache: bool,
    /// `--rev REV`: the history is walked from this commit (default HEAD).
    pub rev: Option<&'a str>,
    /// Run only these rules.
    pub only: Option<&'a [RuleId]>,
    /// `check --allowed-signers FILE`: the pinned trust root's text.
    pub allowed_signers: Option<&'a str>,
}

/// Everything a command learns before the rules run: the repository, the
/// configuration and the parsed roadmap.
pub(super) struct Session {
    /// The repository, when there is one.
    pub git: Option<Box<GitRepo>>,
    /// The configuration in force.
    pub config: Config,
    /// The roadmap as read.
    pub loaded: Loaded,
    /// The repository's work tree (or the directory linted).
    pub root: PathBuf,
    /// Where the files were read from.
    snapshot: Snapshot,
    notes: Vec<Diagnostic>,
}

/// What `roadlint config` needs: the repository, the snapshot read and the
/// configuration with the files it came from.
pub(super) struct ConfigSession {
    /// The repository, when there is one.
    pub git: Option<Box<GitRepo>>,
    /// Where the files were read from.
    pub snapshot: Snapshot,
    /// The repository's work tree (or the directory linted).
    pub root: PathBuf,
    /// The configuration in force.
    pub config: Config,
    /// `roadlint.toml` and its presets.
    pub sources: Sources,
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
        path_prefix: "",
        skipped: &[],
    };
    let quiet = Style {
        quiet: true,
        ..*style
    };
    let shown = if matches!(format, Format::Human | Format::Short) {
        format
    } else {
        Format::Human
    };
    let path = diags
        .first()
        .and_then(|d| d.file)
        .map(|f| sources.get(f).path.clone())
        .unwrap_or_default();
    let first = diags.first().map(|d| match output::position(d, sources) {
        Some((file, start, _)) => {
            format!("{file}:{}:{}: {}", start.line, start.column, d.message)
        }
        None => d.message.clone(),
    });
    let message = format!(
        "the configuration is invalid: {}",
        first.as_deref().unwrap_or("see standard error")
    );
    let help = diags.first().and_then(|d| d.help.clone());
    Outcome::new(
        output::failure(format, &message, help.as_deref()).unwrap_or_default(),
        format!(
            "{}roadlint: error: the configuration is invalid; fix {path} first\n",
            output::render(shown, &out, &quiet)
        ),
        2,
    )
}

impl Session {
    /// Open the repository and read the configuration (`roadlint.toml` and
    /// the presets it extends) as the snapshot `opts` chooses holds it.
    pub(super) fn open_config(opts: &OpenOptions<'_>) -> Result<ConfigSession, Outcome> {
        let start = opts.path.unwrap_or(Path::new("."));
        if let Err(e) = std::fs::metadata(start) {
            return Err(Outcome::fail(format!("{}: {e}", start.display())));
        }
        let git = match GitRepo::open(start).map_err(Outcome::fail)? {
            Opened::Repo(g) => Some(g),
            Opened::NotARepo => None,
        };
        let snapshot =
            Snapshot::choose(git.as_deref(), opts.staged, opts.rev).map_err(Outcome::fail)?;
        let root: PathBuf = match &git {
            Some(g) => g.root(),
            None => discover::find_root(start).map_err(Outcome::fail)?.dir,
        };
        let mut sources = Sources::default();
        let config_text = snapshot
            .config(start, &root, git.as_deref(), opts.config)
            .map_err(Outcome::fail)?;
        let config = match config_text {
            None => Config::default(),
            Some((name, text)) => {
                let id = sources.add_config(SourceFile::new(name, text));
                let read = |path: &str| snapshot.read_preset(&root, git.as_deref(), path);
                let (config, diags) = crate::extends::load(&mut sources, id, &read);
                if !diags.is_empty() {
                    return Err(config_failure(diags, &sources, &opts.style, opts.format));
                }
                config
            }
        };
        Ok(ConfigSession {
            git,
            snapshot,
            root,
            config,
            sources,
        })
    }

    /// Open the repository, read the config and the roadmap as `opts` say.
    pub(super) fn open(opts: &OpenOptions<'_>) -> Result<Session, Outcome> {
        let ConfigSession {
            git,
            snapshot,
            root,
            config,
            sources,
        } = Session::open_config(opts)?;
        let raw = snapshot
            .roadmap(&root, git.as_deref(), &config.roadmap)
            .map_err(Outcome::fail)?;
        let mut loaded = load(raw, sources);
        if let Some(g) = git.as_deref() {
            if snapshot.is_uncommitted() && rules::needs(&config, None).head_stages {
                loaded.head =
                    discover::head_stages(g, &loaded.roadmap, &loaded.sources, &config.roadmap)
                        .map_err(Outcome::fail)?;
            }
        }
        Ok(Session {
            git,
            config,
            loaded,
            root,
            snapshot,
            notes: Vec::new(),
        })
    }

    /// Under `verify = "ssh"`, warn once per run (rule `policy-signoff`)
    /// about each line of the allowed-signers file that verifies nothing: a
    /// `cert-authority` line or one that does not parse (SPEC §9.4). The
    /// file is the `pinned` one (`check --allowed-signers`: its name and
    /// text) when given, else the snapshot's.
    pub(super) fn note_allowed_signers(
        &mut self,
        pinned: Option<(&str, &str)>,
        only: Option<&[RuleId]>,
    ) {
        let id = crate::rules::policy_signoff::ID;
        if self.config.signoff.verify != crate::settings::Verify::Ssh
            || only.is_some_and(|o| !o.contains(&id))
        {
            return;
        }
        let (path, text) = match pinned {
            Some((name, text)) => (name.to_string(), text.to_string()),
            None => {
                let path = self.config.signoff.allowed_signers.clone();
                let read = self
                    .snapshot
                    .read_preset(&self.root, self.git.as_deref(), &path);
                match read {
                    Ok(bytes) => (path, String::from_utf8_lossy(&bytes).into_owned()),
                    // A missing or unreadable file lists nobody: the
                    // approvals it would verify are reported as such.
                    Err(_) => return,
                }
            }
        };
        let file = self
            .loaded
            .sources
            .add_aside(SourceFile::new(path.as_str(), text.as_str()));
        let warnings = crate::rules::policy_signoff::allowed_signers_warnings(file, &path, &text);
        self.notes.extend(warnings);
    }

    /// Scan the history when an enabled rule (or the report) needs it. A
    /// repository that cannot provide history yields one warning; a truncated
    /// or broken one ends the run with exit code 2.
    fn history(&mut self, opts: &RunOptions<'_>) -> Result<Option<Facts>, Outcome> {
        let needs = rules::needs(&self.config, opts.only);
        if opts.no_history || !(opts.classify_all || needs.history()) {
            return Ok(None);
        }
        let Some(git) = &self.git else {
            self.notes.push(
                Diagnostic::new(
                    RuleId::HISTORY,
                    "not a git repository: history rules skipped",
                )
                .severity(Severity::Warning)
                .help("run roadlint inside a git repository to check the plan against the commits"),
            );
            return Ok(None);
        };
        let tip = match opts.rev {
            Some(spec) => git.resolve(spec).map_err(Outcome::fail)?,
            None => match git.head().map_err(Outcome::fail)? {
                Head::Commit(id) => id,
                Head::Unborn => {
                    self.notes.push(
                        Diagnostic::new(RuleId::HISTORY, "no commits yet: history rules skipped")
                            .severity(Severity::Warning)
                            .help("history rules run once the repository has commits"),
                    );
                    return Ok(None);
                }
            },
        };
        if let Some(later) = self.config.history.since.filter(|d| *d > opts.today) {
            if opts.since.is_none() {
                let note = self.since_note(later, opts.today);
                self.notes.push(note);
            }
        }
        let since = match opts.since {
            Some(s) => Some(history::since_seconds(git, s).map_err(Outcome::fail)?),
            None if self.config.history.since.is_some() => {
                self.config.history.since.map(|d| d.unix_seconds())
            }
            None => None,
        };
        if opts.cache {
            if let Some(dir) = history::refused_cache_dir(git) {
                self.notes.push(
                    Diagnostic::new(
                        RuleId::HISTORY,
                        format!(
                            "the history cache directory {} lies inside the repository: not used, the history is scanned uncached",
                            dir.display()
                        ),
                    )
                    .severity(Severity::Warning)
                    .help("set ROADLINT_CACHE_DIR to an absolute path outside the repository, or unset it"),
                );
            }
        }
        let req = ScanRequest {
            tip,
            since,
            config: &self.config,
            roadmap: &self.loaded.roadmap,
            sources: &self.loaded.sources,
            needs,
            judged: rules::judged_quarters(&self.config, &self.loaded.roadmap, opts.today, since),
            debt_kinds: debt_share::debt_kinds(&self.config),
            classify_all: opts.classify_all,
            progress: opts.progress,
            cache: opts.cache,
            allowed_signers: opts.allowed_signers.map(str::to_string),
        };
        history::scan(git, &req).map(Some).map_err(Outcome::fail)
    }

    /// The warning for a `[history] since` later than today, at its line.
    fn since_note(&self, since: Date, today: Date) -> Diagnostic {
        let mut d = Diagnostic::new(
            RuleId::CONFIG,
            format!("`[history] since = {since}` is later than today ({today}): no history would be judged"),
        )
        .severity(Severity::Warning)
        .help("set `since` to the day roadlint was adopted, or remove it to judge all history");
        if let Some(file) = self.config.file {
            let text = &self.loaded.sources.get(file).text;
            let at = text
                .find("[history]")
                .and_then(|h| text[h..].find("since").map(|i| h + i));
            if let Some(start) = at {
                let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
                d = d.at(file, crate::source::Span::new(start, end));
            }
        }
        d
    }

    /// Scan the history (when needed) and run the rules: the diagnostics of
    /// the run, with the facts they were judged on.
    pub(super) fn run(
        &mut self,
        opts: &RunOptions<'_>,
    ) -> Result<(Option<Facts>, Vec<Diagnostic>), Outcome> {
        let facts = self.history(opts)?;
        let diags = self.judge(opts, facts.as_ref());
        Ok((facts, diags))
    }

    /// Run the rules on facts the caller already has (the commit-msg hook
    /// knows the one commit being made).
    pub(super) fn judge(
        &mut self,
        opts: &RunOptions<'_>,
        facts: Option<&Facts>,
    ) -> Vec<Diagnostic> {
        let notes = std::mem::take(&mut self.notes);
        lint_selected(
            &self.loaded,
            &self.config,
            opts.today,
            facts,
            notes,
            opts.only,
        )
    }
}
