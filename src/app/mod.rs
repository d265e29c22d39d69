//! The composition root: one file per command, each wiring the layers below
//! (discover, model, history, rules, lint, output) for its job and returning
//! an [`Outcome`]. Only `main` prints it.

mod check;
mod commit_msg;
mod explain;
mod init;
mod report;
mod rules;
mod schema;
mod server;
mod session;

pub use check::check;
pub use commit_msg::commit_msg;
pub use explain::explain;
pub use init::init;
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
}

impl Outcome {
    pub(crate) fn ok(stdout: String) -> Self {
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
