//! Why the history could not be read: each ends the run with exit code 2.

use crate::git::GitError;

/// Why the history could not be read. Each ends the run with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The git layer could not open or read the repository (its message is
    /// this error's, and its source chain is kept).
    #[error(transparent)]
    Repo(#[from] GitError),
    /// `--since` is neither a date nor a revision.
    #[error("--since {value}: {reason}")]
    Since {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A shallow clone hides commits a history rule needs.
    #[error(
        "this is a shallow clone: only {visible} commit{} visible, but the history rules need every commit since {needed}.\n  fetch the full history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout), or pass --no-history to skip the history rules",
        if *visible == 1 { " is" } else { "s are" }
    )]
    Shallow {
        /// Commits the walk could see.
        visible: usize,
        /// The earliest date the rules need.
        needed: String,
    },
    /// Any other read failure, said in words (no underlying error).
    #[error("cannot read the repository: {0}")]
    Read(String),
}

impl HistoryError {
    /// A failure of the git layer while reading `context`.
    pub(crate) fn git(
        context: impl std::fmt::Display,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        HistoryError::Repo(GitError::git(context, source))
    }
}

#[cfg(test)]
mod tests {
    use super::HistoryError;
    use crate::git::GitError;
    use std::error::Error;

    #[test]
    fn a_git_failure_keeps_its_cause_as_the_source() {
        let cause = std::io::Error::other("pack checksum mismatch");
        let e = HistoryError::git("listing refs", cause);
        assert_eq!(
            e.to_string(),
            "cannot read the repository: listing refs: pack checksum mismatch; pass --no-history to skip the history rules"
        );
        let source = e.source().expect("chained");
        assert_eq!(source.to_string(), "pack checksum mismatch");
    }

    #[test]
    fn a_git_layer_error_reads_as_itself_and_keeps_its_chain() {
        let cause = std::io::Error::other("pack checksum mismatch");
        let e = HistoryError::from(GitError::git("an object", cause));
        assert_eq!(
            e.to_string(),
            "cannot read the repository: an object: pack checksum mismatch; pass --no-history to skip the history rules"
        );
        let source = e.source().expect("chained");
        assert_eq!(source.to_string(), "pack checksum mismatch");
    }
}
