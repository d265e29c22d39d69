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

    /// This failure (exit code 2) as `format` reports one too: the machine
    /// formats print a document saying so on stdout (see
    /// [`crate::report::failure`]); the message is the `roadlint: error:`
    /// line on stderr and the lines after it are its help.
    pub(crate) fn in_format(mut self, format: crate::report::Format) -> Self {
        if self.code != 2 || !self.stdout.is_empty() {
            return self;
        }
        let Some(at) = self.stderr.rfind("roadlint: error: ") else {
            return self;
        };
        let rest = &self.stderr[at + "roadlint: error: ".len()..];
        let mut lines = rest.lines();
        let message = lines.next().unwrap_or_default().trim();
        let help: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
        let help = (!help.is_empty()).then(|| help.join(" "));
        if let Some(doc) = crate::report::failure(format, message, help.as_deref()) {
            self.stdout = doc;
        }
        self
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
