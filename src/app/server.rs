//! `roadlint server`: the language server, with the history scanned the way
//! `check` scans it (the same session, the same cache), as of the files on
//! disk at the last save.

use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::output::{Format, Style};
use crate::server::{self, HistoryScan, Options};
use std::path::Path;
use std::sync::Arc;

/// `roadlint server`: serve LSP on stdin/stdout until the client exits.
pub fn server(args: &crate::cli::ServerArgs) -> Outcome {
    let options = Options {
        today: args.today,
        history: Some(history_scan(true)),
    };
    match server::serve_stdio(options) {
        Ok(true) => Outcome::ok(String::new()),
        // `exit` without `shutdown`: the protocol asks for exit code 1.
        Ok(false) => Outcome::new(String::new(), String::new(), 1),
        Err(e) => Outcome::fail(e),
    }
}

/// The history facts of the repository at a path, as `check` finds them
/// (with the history cache when `cache`).
pub fn history_scan(cache: bool) -> HistoryScan {
    Arc::new(move |root: &Path, today: Date| {
        let style = Style {
            color: false,
            width: 80,
            quiet: true,
        };
        let mut session = Session::open(&OpenOptions {
            path: Some(root),
            config: None,
            staged: false,
            rev: None,
            style,
            format: Format::Short,
        })
        .map_err(|o| o.stderr.trim().to_string())?;
        let (facts, _) = session
            .run(&RunOptions {
                no_history: false,
                since: None,
                today,
                classify_all: false,
                progress: false,
                cache,
                rev: None,
                only: None,
                allowed_signers: None,
            })
            .map_err(|o| o.stderr.trim().to_string())?;
        Ok(facts)
    })
}
