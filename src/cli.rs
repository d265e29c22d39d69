//! Command-line interface: the subcommands and flags of SPEC §5.

pub use crate::output::{ColorChoice, Format};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Lint a roadmap kept as TOML in a Git repository, against the plan's rules
/// and the commit history.
#[derive(Debug, Parser)]
#[command(
    name = "roadlint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do (default: check).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Flags of `check` when no subcommand is given.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the repository containing PATH (default .)
    Check(CheckArgs),
    /// commit-msg hook: a staged change to a locked quarter's scope needs both sign-off trailers in FILE
    CommitMsg(CommitMsgArgs),
    /// reference-transaction hook (git 2.28+): refuses a ref update that brings onto a branch a commit the sign-off gate rejects (amend, rebase, cherry-pick, --no-verify)
    ReferenceTransaction(ReferenceTransactionArgs),
    /// Per-quarter dashboard: capacity, planned effort, planned vs actual debt share
    Report(ReportArgs),
    /// Sign the approval of each gated file's change with your SSH key (verified sign-off)
    Approve(ApproveArgs),
    /// Explain a rule, with a bad and a good example
    Explain(ExplainArgs),
    /// List every rule, its level in the current config and its summary
    Rules(RulesArgs),
    /// Write a commented roadlint.toml (with --example a sample roadmap, with --hooks the git hooks)
    Init(InitArgs),
    /// Print the JSON Schema of roadmap files (or of roadlint.toml), for editor completion
    Schema(SchemaArgs),
    /// Print the effective configuration (roadlint.toml and its `extends` presets, merged)
    Config(ConfigArgs),
    /// Language server (LSP over stdio) for editors: diagnostics as you type, hover, quick fixes
    Server(ServerArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

/// Arguments of `approve`.
#[derive(Debug, Args, Clone)]
pub struct ApproveArgs {
    /// Only these gated files [default: every gated file that changed]
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// The role approved [default: the one the key's principal holds]
    #[arg(long, value_enum)]
    pub role: Option<ApproveRole>,
    /// The SSH key to sign with [default: user.signingKey of your global git config]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Approve commit REV's changes (against its first parent) instead of the staged ones
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Use this roadlint.toml instead of the nearest one
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// The role an approval gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ApproveRole {
    /// The product approval.
    Product,
    /// The tech approval.
    Tech,
}

/// Arguments of `server`.
#[derive(Debug, Args, Clone, Default)]
pub struct ServerArgs {
    /// The date the rules judge as of (default: today, UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<crate::calendar::Date>,
}

/// Arguments of `completions`.
#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Flags shared by commands that read the repository.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    /// Use this roadlint.toml instead of the nearest one
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// When to use colors
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// The date the check is made as of (default: today, UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<crate::calendar::Date>,
    /// Print nothing but diagnostics (no summary, no progress)
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not read or write the history cache
    #[arg(long)]
    pub no_cache: bool,
}

fn parse_date(s: &str) -> Result<crate::calendar::Date, String> {
    s.parse()
        .map_err(|e: crate::calendar::BadDate| e.to_string())
}

/// Arguments of `check`.
#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    /// The repository to lint (a directory inside it), or roadmap files: the
    /// whole roadmap is read, and only the diagnostics about these files are
    /// shown and decide the exit code [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Lint the roadmap as it is in the index, not the working tree
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,
    /// Lint the roadmap as it is in commit REV
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Skip history rules (fast path)
    #[arg(long)]
    pub no_history: bool,
    /// Limit the history scanned to commits after DATE or not reachable from REV
    #[arg(long, value_name = "DATE|REV")]
    pub since: Option<String>,
    /// Run only these rules (structural rules always run)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit 1 when there are more than N warnings
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Exit 1 on any warning (the same as --max-warnings 0)
    #[arg(long, conflicts_with = "max_warnings")]
    pub deny_warnings: bool,
    /// Only this `[[roadmap]]`: its diagnostics and exit code
    #[arg(long, value_name = "NAME")]
    pub roadmap: Option<String>,
    /// Verify approvals with this allowed-signers file instead of the one in
    /// the repository (pin the trust root in CI, outside the repository)
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Apply the safe fixes (misspelt keys and values, quotes around numbers
    /// and dates) to the roadmap files in the work tree, then check
    #[arg(long, conflicts_with_all = ["staged", "rev"])]
    pub fix: bool,
    /// Common flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `commit-msg`.
#[derive(Debug, Args, Clone)]
pub struct CommitMsgArgs {
    /// The commit message file git passes to the hook
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Common flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `config`.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigArgs {
    /// A path inside the repository
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// End each line with the file and line that set it (or `default`)
    #[arg(long)]
    pub show_origin: bool,
    /// Read the configuration as it is in the index
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,
    /// Read the configuration as it is in commit REV
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Use this roadlint.toml instead of the nearest one
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Arguments of `schema`.
#[derive(Debug, Args, Clone, Default)]
pub struct SchemaArgs {
    /// The schema of roadlint.toml instead of the roadmap files'
    #[arg(long)]
    pub config: bool,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned terminal table.
    Table,
    /// JSON, the same data as the table.
    Json,
    /// Self-contained HTML page with charts.
    Html,
}

/// Arguments of `report`.
#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// A path inside the repository
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Limit the history scanned
    #[arg(long, value_name = "DATE|REV")]
    pub since: Option<String>,
    /// Every quarter with commits, not only the planned quarters and the
    /// four before the first
    #[arg(long)]
    pub all: bool,
    /// With --format table: one row per roadmap item (status, plan, linked
    /// commits, author-days) instead of one per quarter
    #[arg(long)]
    pub items: bool,
    /// Combine these `report --format json` outputs of several repositories
    /// into the portfolio view, instead of reporting on one repository
    #[arg(long, value_name = "REPORT.json", num_args = 1.., conflicts_with_all = ["path", "all", "since", "items"])]
    pub merge: Vec<PathBuf>,
    /// Common flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `explain`.
#[derive(Debug, Args, Clone)]
pub struct ExplainArgs {
    /// The rule id, e.g. debt-share
    pub rule: String,
}

/// Arguments of `rules`.
#[derive(Debug, Args, Clone)]
pub struct RulesArgs {
    /// A path inside the repository whose config to use
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Use this roadlint.toml
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Arguments of `reference-transaction`: the hook's state argument; the
/// updates (`<old> <new> <ref>` lines) come on standard input.
#[derive(Debug, Args, Clone)]
pub struct ReferenceTransactionArgs {
    /// The transaction's state as git passes it (`prepared`, `committed`, `aborted`); only `prepared` is judged
    #[arg(value_name = "STATE")]
    pub state: String,
    /// The commits the update brings that no ref reached, oldest first, as the installed hook finds them (`git rev-list --reverse TIPS --not --all`); without them roadlint finds them itself
    #[arg(value_name = "NEW")]
    pub new: Vec<String>,
    /// Common flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `init`.
#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    /// Directory to initialise (default .)
    #[arg(value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Also write a small sample roadmap, dated in the current quarter, that passes
    #[arg(long)]
    pub example: bool,
    /// With --example: a two-team example instead, a monorepo holding two
    /// [[roadmap]]s and the company policy as a preset they extend
    #[arg(long, requires = "example")]
    pub monorepo: bool,
    /// Also write the git hooks the sign-off gate needs (pre-commit, commit-msg, reference-transaction, pre-push) into the hooks directory (core.hooksPath honoured), beside any hooks already there (tracked hooks, like husky's, are not edited: the lines to add are printed); an existing roadlint.toml is kept
    #[arg(long)]
    pub hooks: bool,
    /// Overwrite roadlint.toml and the example files when they exist (hooks are never overwritten: --hooks adds roadlint beside what is there)
    #[arg(long)]
    pub force: bool,
    /// The date the example is planned around (default: today, UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<crate::calendar::Date>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn completions_and_man_page_render() {
        let mut cmd = Cli::command();
        let mut out = Vec::new();
        clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, "roadlint", &mut out);
        assert!(String::from_utf8_lossy(&out).contains("commit-msg"));
        let mut man = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut man)
            .unwrap();
        assert!(String::from_utf8_lossy(&man).contains(".TH roadlint"));
    }

    #[test]
    fn check_is_the_default_subcommand() {
        let cli = Cli::try_parse_from(["roadlint", "--format", "json", "some/dir"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.check.format, Some(Format::Json));
        assert_eq!(cli.check.paths, vec![std::path::PathBuf::from("some/dir")]);
        let cli = Cli::try_parse_from(["roadlint", "check", "--today", "2026-01-02"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Check(_))));
        assert!(Cli::try_parse_from(["roadlint", "check", "--today", "2026-02-30"]).is_err());
    }
}
