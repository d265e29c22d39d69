//! `roadlint commit-msg FILE`: the sign-off gate at commit time.
//!
//! The hook does not judge the commit itself: it works out the facts the
//! history scan will record for this commit (the staged quarters' scope
//! against HEAD's, and the message's trailers) and hands them to the same
//! `locked-scope` rule, levels and waivers that `check` runs. A commit the
//! hook accepts is therefore one `check` accepts too.

use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::CommitMsgArgs;
use crate::diagnostic::{CommitRef, Severity};
use crate::facts::{Facts, LockedChange};
use crate::history::{self, Head, MessageFacts};
use crate::report::{self, Format, Output, Style, Summary};
use crate::rules::locked_scope;

/// The rules the hook runs: the ones that judge a single commit's sign-off.
const GATE: &[crate::diagnostic::RuleId] = &[locked_scope::ID];

/// The message as git will store it: nothing from a scissors line on, no
/// comment lines (git strips them after the hook has run, so a
/// commented-out trailer must not count).
fn as_stored(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    for line in message.split_inclusive(|b| *b == b'\n') {
        let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
        if trimmed.starts_with(b"#") && trimmed.ends_with(b" >8 ------------------------") {
            break;
        }
        if !line.starts_with(b"#") {
            out.extend_from_slice(line);
        }
    }
    out
}

/// `roadlint commit-msg FILE`.
pub fn commit_msg(args: &CommitMsgArgs) -> Outcome {
    let style = Style::detect(args.common.color, args.common.quiet);
    let mut session = match Session::open(&OpenOptions {
        path: None,
        config: args.common.config.as_deref(),
        staged: true,
        rev: None,
        style,
        format: Format::Human,
    }) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let Some(git) = &session.git else {
        return Outcome::fail("commit-msg runs inside a git repository");
    };
    let message = match std::fs::read(&args.file) {
        Ok(m) => as_stored(&m),
        Err(e) => return Outcome::fail(format!("{}: {e}", args.file.display())),
    };
    let msg = MessageFacts::parse(&message);
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let head_files = match git.head() {
        Ok(Head::Commit(id)) => match git
            .tree_of(id)
            .and_then(|t| git.files_in_tree(t, &session.config.roadmap))
        {
            Ok(f) => f,
            Err(e) => return Outcome::fail(e),
        },
        Ok(Head::Unborn) => Vec::new(),
        Err(e) => return Outcome::fail(e),
    };
    let signoff = &session.config.signoff;
    let mut facts = Facts::default();
    for file in &session.loaded.roadmap.files {
        let (Some(_), Some(locked)) = (&file.quarter, &file.locked) else {
            continue;
        };
        if today < locked.value {
            continue;
        }
        let path = &session.loaded.sources.get(file.file).path;
        let before = head_files
            .iter()
            .find(|f| &f.path == path)
            .and_then(|f| f.content.as_ref().ok())
            .map(|b| history::scope_of(b))
            .unwrap_or_default();
        let after = history::scope_of(session.loaded.sources.get(file.file).text.as_bytes());
        let changes = history::diff(&before, &after);
        if changes.is_empty() {
            continue;
        }
        facts.locked_changes.push(LockedChange {
            path: path.clone(),
            commit: CommitRef {
                id: String::new(),
                subject: msg.subject.clone(),
            },
            changes,
            product: msg.trailer(&signoff.product_trailer).map(str::to_string),
            tech: msg.trailer(&signoff.tech_trailer).map(str::to_string),
        });
    }
    let diags = session.judge(
        &RunOptions {
            no_history: false,
            since: None,
            today,
            classify_all: false,
            progress: false,
            cache: false,
            rev: None,
            only: Some(GATE),
        },
        Some(&facts),
    );
    let out = Output {
        diagnostics: &diags,
        sources: &session.loaded.sources,
        summary: Summary::new(&diags, session.loaded.files, 0),
        path_prefix: "",
    };
    let quiet = Style {
        quiet: true,
        ..style
    };
    let mut stderr = String::new();
    if !diags.is_empty() {
        stderr = report::render(Format::Human, &out, &quiet);
    }
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    if failed {
        stderr.push_str(
            "roadlint: the commit was refused; git keeps its message in .git/COMMIT_EDITMSG\n",
        );
    }
    Outcome {
        stdout: String::new(),
        stderr,
        code: u8::from(failed),
    }
}

#[cfg(test)]
mod tests {
    use super::as_stored;

    #[test]
    fn the_message_is_read_as_git_stores_it() {
        let raw = b"feat: x\n\nProduct-Approved-By: dana\n# Tech-Approved-By: lee\n# ------------------------ >8 ------------------------\n+Tech-Approved-By: lee\n";
        assert_eq!(
            as_stored(raw),
            b"feat: x\n\nProduct-Approved-By: dana\n".to_vec()
        );
    }
}
