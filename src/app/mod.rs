//! The composition root: one file per command, each wiring the layers below
//! (discover, model, history, rules, lint, output) for its job and returning
//! an [`Outcome`]. Only `main` prints it.

mod advice;
mod approve;
mod check;
mod commit_msg;
mod config;
mod explain;
mod fix;
mod hook_scripts;
mod init;
mod init_hooks;
mod reference_transaction;
mod report;
mod rules;
mod schema;
mod server;
mod session;

pub use approve::approve;
pub use check::check;
pub use commit_msg::commit_msg;
pub use config::config;
pub use explain::explain;
pub use init::init;
pub use reference_transaction::reference_transaction;
pub use report::report;
pub use rules::rules;
pub use schema::{completions, man, schema};
pub use server::{history_scan, server};

/// How a command ended.
#[derive(Debug)]
pub struct Outcome {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// 0 clean, 1 errors found, 2 could not run.
    pub code: u8,
    /// Why the job could not be done (message, help), for the machine
    /// formats' error documents.
    failure: Option<(String, Option<String>)>,
}

impl Outcome {
    pub(crate) fn ok(stdout: String) -> Self {
        Outcome {
            stdout,
            stderr: String::new(),
            code: 0,
            failure: None,
        }
    }

    /// An outcome with its text and exit code decided by the command.
    pub(crate) fn new(stdout: String, stderr: String, code: u8) -> Self {
        Outcome {
            stdout,
            stderr,
            code,
            failure: None,
        }
    }

    /// This failure (exit code 2) as `format` reports one too: the machine
    /// formats print a document saying so on stdout (see
    /// [`crate::output::failure`]).
    pub(crate) fn in_format(mut self, format: crate::output::Format) -> Self {
        let Some((message, help)) = &self.failure else {
            return self;
        };
        if self.stdout.is_empty() {
            if let Some(doc) = crate::output::failure(format, message, help.as_deref()) {
                self.stdout = doc;
            }
        }
        self
    }

    /// A failure to do the job: exit code 2 with a message on stderr. A
    /// message's first line says what failed; the lines after it, how to get
    /// past it.
    pub fn fail(message: impl std::fmt::Display) -> Self {
        let text = message.to_string();
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default().trim().to_string();
        let rest: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
        let help = (!rest.is_empty()).then(|| rest.join(" "));
        Outcome {
            stdout: String::new(),
            stderr: format!("roadlint: error: {text}\n"),
            code: 2,
            failure: Some((first, help)),
        }
    }

    /// A failure with a help line of its own.
    pub fn fail_with_help(message: impl std::fmt::Display, help: impl std::fmt::Display) -> Self {
        let (message, help) = (message.to_string(), help.to_string());
        Outcome {
            stdout: String::new(),
            stderr: format!("roadlint: error: {message}\n  help: {help}\n"),
            code: 2,
            failure: Some((message, Some(help))),
        }
    }
}
