//! `roadlint report`: the per-quarter plan-vs-actual dashboard.

use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::{ReportArgs, ReportFormat};
use crate::dashboard::{self, Dashboard};
use crate::report::{Format, Style};

/// `roadlint report`: classifies every quarter's commits in the same single
/// history pass `check` makes, then lays the dashboard out.
pub fn report(args: &ReportArgs) -> Outcome {
    // A failure prints a JSON document when JSON was asked for, as `check` does.
    let failed = |o: Outcome| match args.format {
        ReportFormat::Json => o.in_format(Format::Json),
        _ => o,
    };
    let style = Style::detect(args.common.color, args.common.quiet);
    let mut session = match Session::open(&OpenOptions {
        path: args.path.as_deref(),
        config: args.common.config.as_deref(),
        staged: false,
        rev: None,
        style,
        format: match args.format {
            ReportFormat::Json => Format::Json,
            _ => Format::Human,
        },
    }) {
        Ok(s) => s,
        Err(o) => return failed(o),
    };
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let (facts, diags) = match session.run(&RunOptions {
        no_history: false,
        since: args.since.as_deref(),
        today,
        classify_all: true,
        progress: !args.common.quiet,
        cache: !args.common.no_cache,
        rev: None,
        only: None,
    }) {
        Ok(r) => r,
        Err(o) => return failed(o),
    };
    let board = Dashboard::build(
        &session.loaded,
        &session.config,
        facts.as_ref(),
        &diags,
        today,
        args.all,
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
