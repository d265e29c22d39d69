//! Why the repository could not be opened or read: each ends the run with
//! exit code 2. The history layer wraps these in its own `GitError`.

/// Why the repository could not be opened or read. Each ends the run with
/// exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The repository could not be opened.
    #[error("cannot open the repository: {0}")]
    Open(String),
    /// A revision does not name a commit.
    #[error("`{spec}` does not name a commit in this repository")]
    Rev {
        /// The revision given.
        spec: String,
        /// What gix said (for debugging; not shown).
        message: String,
    },
    /// A revision reaches past a shallow clone's boundary.
    #[error("`{spec}` reaches beyond the history of this shallow clone; fetch more with `git fetch --deepen N` or `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0`)")]
    BeyondShallow {
        /// The revision given.
        spec: String,
    },
    /// An object is missing (e.g. a partial clone); roadlint never fetches.
    #[error("object {id}{} is missing from the repository{}; roadlint never fetches objects.\n  fetch it (e.g. `git fetch --refetch`, or clone without --filter), or pass --no-history", path.as_ref().map(|p| format!(" ({p})")).unwrap_or_default(), if *partial { " (a partial clone)" } else { "" })]
    MissingObject {
        /// The object id.
        id: String,
        /// The roadmap path it was read for.
        path: Option<String>,
        /// Whether the repository is a partial clone.
        partial: bool,
    },
    /// The history is longer than the walk limit and no `--since` was given.
    #[error("the history has more than {limit} commits; pass --since DATE|REV to limit the scan, or --no-history")]
    TooManyCommits {
        /// The limit ([`crate::limits::MAX_COMMITS_WALKED`]).
        limit: usize,
    },
    /// Reading the repository failed: what was being read, with the error
    /// of the git layer kept as the source (and shown after the context).
    #[error("cannot read the repository: {context}: {source}; pass --no-history to skip the history rules")]
    Git {
        /// What was being read (`listing refs`, an object id).
        context: String,
        /// The git layer's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// Any other read failure, said in words (no underlying error).
    #[error("cannot read the repository: {0}")]
    Read(String),
}

impl GitError {
    /// A failure of the git layer while reading `context`.
    pub(crate) fn git(
        context: impl std::fmt::Display,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        GitError::Git {
            context: context.to_string(),
            source: Box::new(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GitError;
    use std::error::Error;

    #[test]
    fn a_git_failure_keeps_its_cause_as_the_source() {
        let cause = std::io::Error::other("pack checksum mismatch");
        let e = GitError::git("listing refs", cause);
        assert_eq!(
            e.to_string(),
            "cannot read the repository: listing refs: pack checksum mismatch; pass --no-history to skip the history rules"
        );
        let source = e.source().expect("chained");
        assert_eq!(source.to_string(), "pack checksum mismatch");
    }
}
