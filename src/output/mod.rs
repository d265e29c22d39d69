//! Reporters: one file per output format, and the only code that decides how
//! diagnostics look. Each turns the sorted diagnostics into a string; the binary
//! writes it out.

mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod short;

use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::source::{LineCol, Sources};
use std::io::IsTerminal;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets.
    Human,
    /// One line per diagnostic: `path:line:col: severity[rule] message`.
    Short,
    /// Machine-readable JSON.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML.
    Junit,
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Counts shown in summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Error-level diagnostics.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Roadmap files found.
    pub files: usize,
    /// Commits the history scan looked at.
    pub commits_scanned: usize,
}

impl Summary {
    /// Count the diagnostics by severity.
    pub fn new(diags: &[Diagnostic], files: usize, commits_scanned: usize) -> Self {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: diags.len() - errors,
            files,
            commits_scanned,
        }
    }
}

/// Everything a reporter needs.
pub struct Output<'a> {
    /// Sorted, sanitized diagnostics.
    pub diagnostics: &'a [Diagnostic],
    /// The text of every file they point into.
    pub sources: &'a Sources,
    /// Counts.
    pub summary: Summary,
    /// What the human and short formats put before a repository-relative
    /// path so that it opens from the current directory (`""`, `../../`).
    pub path_prefix: &'a str,
    /// Rules that did not run (history rules under `--no-history`, rules
    /// turned off): JUnit marks them skipped, never passed.
    pub skipped: &'a [RuleId],
}

/// How the human formats look.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Whether to use ANSI colors.
    pub color: bool,
    /// Wrap width for the human format.
    pub width: usize,
    /// Leave out the summary line.
    pub quiet: bool,
}

impl Style {
    /// Decide colors from the flag, `NO_COLOR`, `CLICOLOR_FORCE` and whether
    /// standard output is a terminal.
    pub fn detect(choice: ColorChoice, quiet: bool) -> Self {
        let tty = std::io::stdout().is_terminal();
        let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if env("NO_COLOR") {
                    false
                } else if std::env::var("CLICOLOR_FORCE").is_ok_and(|v| v != "0") {
                    true
                } else {
                    tty
                }
            }
        };
        let width = if tty {
            terminal_width().unwrap_or(100)
        } else {
            100
        };
        Style {
            color,
            width,
            quiet,
        }
    }

    /// Plain text at a fixed width: for tests and files.
    pub fn plain() -> Self {
        Style {
            color: false,
            width: 100,
            quiet: false,
        }
    }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
}

/// The start and (exclusive) end position of a diagnostic, if it has a file.
pub fn position(d: &Diagnostic, sources: &Sources) -> Option<(String, LineCol, LineCol)> {
    let file = sources.get(d.file?);
    let span = d.span.unwrap_or_default();
    let (start, end) = file.span_positions(span);
    // A file name is data from the repository too.
    let path = crate::escape::escape_data(&file.path).into_owned();
    Some((path, start, end))
}

/// The document a machine format prints when roadlint could not do its job
/// (exit code 2), so a CI step never uploads an empty file: `None` for the
/// formats meant for people (the error goes to standard error).
pub fn failure(format: Format, message: &str, help: Option<&str>) -> Option<String> {
    let message = crate::escape::escape_data(message);
    let help = help.map(crate::escape::escape_data);
    let help = help.as_deref();
    match format {
        Format::Human | Format::Short => None,
        Format::Json => Some(json::failure(&message, help)),
        Format::Github => Some(github::failure(&message, help)),
        Format::Sarif => Some(sarif::failure(&message, help)),
        Format::Junit => Some(junit::failure(&message, help)),
    }
}

/// Render the diagnostics in `format`.
pub fn render(format: Format, out: &Output<'_>, style: &Style) -> String {
    match format {
        Format::Human => human::render(out, style),
        Format::Short => short::render(out),
        Format::Json => json::render(out),
        Format::Github => github::render(out),
        Format::Sarif => sarif::render(out),
        Format::Junit => junit::render(out),
    }
}
