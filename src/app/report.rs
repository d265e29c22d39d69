//! `roadlint report`: the per-quarter plan-vs-actual dashboard.

use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::{ReportArgs, ReportFormat};
use crate::git::Head;
use crate::output::{Format, Style};
use crate::report::portfolio::Portfolio;
use crate::report::{self, Dashboard, Repository};

/// `roadlint report`: classifies every quarter's commits in the same single
/// history pass `check` makes, then lays the dashboard out.
pub fn report(args: &ReportArgs) -> Outcome {
    if !args.merge.is_empty() {
        return merge(args);
    }
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
        allowed_signers: None,
    }) {
        Ok(r) => r,
        Err(o) => return failed(o),
    };
    let repository = Repository {
        name: session
            .root
            .file_name()
            .map(|n| crate::escape::escape_data(&n.to_string_lossy()).into_owned())
            .unwrap_or_default(),
        head: session.git.as_ref().and_then(|g| match g.head() {
            Ok(Head::Commit(id)) => Some(id.to_string()),
            _ => None,
        }),
    };
    let board = Dashboard::build(
        &session.loaded,
        &session.config,
        facts.as_ref(),
        &diags,
        today,
        args.all,
        repository,
    );
    let color = style.color && args.output.is_none();
    let text = match args.format {
        ReportFormat::Table if args.items => report::table::render_items(&board, color),
        ReportFormat::Table => report::table::render(&board, color),
        ReportFormat::Json => report::json::render(&board),
        ReportFormat::Html => report::html::render(&board),
    };
    write(args, text)
}

/// Print `text`, or write it to `-o FILE`.
fn write(args: &ReportArgs, text: String) -> Outcome {
    match &args.output {
        None => Outcome::ok(text),
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => Outcome::ok(String::new()),
            Err(e) => Outcome::fail(format!("{}: {e}", path.display())),
        },
    }
}

/// `roadlint report --merge A.json B.json …`: the portfolio view. Any file
/// that is not a report, or whose numbers would not add up with the others',
/// ends the run with exit 2, naming the file.
fn merge(args: &ReportArgs) -> Outcome {
    let failed = |o: Outcome| match args.format {
        ReportFormat::Json => o.in_format(Format::Json),
        _ => o,
    };
    let mut texts = Vec::with_capacity(args.merge.len());
    for path in &args.merge {
        let read = crate::bounded::read_capped(path, crate::limits::MAX_MERGE_BYTES, true)
            .and_then(|b| {
                String::from_utf8(b).map_err(|e| {
                    crate::bounded::BoundedError::Io(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("not UTF-8 ({e})"),
                    ))
                })
            });
        match read {
            Ok(t) => texts.push((path.display().to_string(), t)),
            Err(e) => {
                return failed(Outcome::fail_with_help(
                    format!("{}: cannot read the report: {e}", path.display()),
                    "give the files `roadlint report --format json` writes",
                ))
            }
        }
    }
    let portfolio = match Portfolio::merge(texts.iter().map(|(f, t)| (f.as_str(), t.as_str()))) {
        Ok(p) => p,
        Err(e) => {
            return failed(Outcome::fail_with_help(
                crate::escape::escape_data(&e.to_string()),
                e.help,
            ))
        }
    };
    let text = match args.format {
        ReportFormat::Table => portfolio.table(),
        ReportFormat::Json => portfolio.json(),
        ReportFormat::Html => report::html::portfolio::render(&portfolio),
    };
    write(args, text)
}
