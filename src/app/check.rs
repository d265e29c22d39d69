//! `roadlint check`: lint the roadmap and its history.

use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::CheckArgs;
use crate::diagnostic::{RuleId, Severity};
use crate::report::{self, Format, Output, Style, Summary};
use crate::rules;

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
    let mut session = match Session::open(&OpenOptions {
        path: args.path.as_deref(),
        config: args.common.config.as_deref(),
        staged: args.staged,
        rev: args.rev.as_deref(),
        style,
        format,
    }) {
        Ok(s) => s,
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
        only: None,
    }) {
        Ok(r) => r,
        Err(o) => return o.in_format(format),
    };
    let summary = Summary::new(
        &diags,
        session.loaded.files,
        facts.as_ref().map_or(0, |f| f.commits_scanned),
    );
    let skipped: Vec<RuleId> = rules::registry()
        .iter()
        .filter(|r| (args.no_history && r.needs_history()) || !session.config.enabled(r.id))
        .map(|r| r.id)
        .collect();
    let out = Output {
        diagnostics: &diags,
        sources: &session.loaded.sources,
        summary,
        skipped: &skipped,
    };
    Outcome {
        stdout: report::render(format, &out, &style),
        stderr: String::new(),
        code: u8::from(diags.iter().any(|d| d.severity == Severity::Error)),
    }
}
