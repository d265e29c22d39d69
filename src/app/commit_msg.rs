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
/// commented-out trailer must not count). The plain statement of the rule
/// that [`read_message`] applies line by line; tests hold them equal.
#[cfg(test)]
fn as_stored(message: &[u8], comment: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    for line in message.split_inclusive(|b| *b == b'\n') {
        let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
        if trimmed.starts_with(comment) && trimmed.ends_with(b" >8 ------------------------") {
            break;
        }
        if !line.starts_with(comment) {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Read up to `cap` bytes of the next line of `r` into `line` (with its
/// `\n`), skipping the rest of a longer line: whether it was cut, or `None`
/// at the end of the input.
fn read_line_capped(
    r: &mut impl std::io::BufRead,
    line: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<Option<bool>> {
    line.clear();
    let mut cut = false;
    let mut any = false;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(any.then_some(cut));
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let room = cap.saturating_sub(line.len());
        cut |= chunk.len() > room;
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        r.consume(n);
        if done {
            return Ok(Some(cut));
        }
    }
}

/// The message file as git will store it (see [`as_stored`]), read within
/// bounded memory: a message over [`MAX_MESSAGE_BYTES`] is reduced to its
/// subject and last paragraph as history reads it, never held whole. A FIFO
/// or device is refused, not waited on.
fn read_message(path: &std::path::Path, comment: &[u8]) -> Result<Vec<u8>, String> {
    use crate::limits::MAX_MESSAGE_BYTES;
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| fail(&e))?;
    let meta = file.metadata().map_err(|e| fail(&e))?;
    if !meta.is_file() {
        return Err(fail(&"not a regular file; the message is not read"));
    }
    let mut reader = std::io::BufReader::new(file);
    let mut whole = Some(Vec::new());
    let mut reducer = history::Reducer::default();
    let mut line = Vec::new();
    while let Some(cut) =
        read_line_capped(&mut reader, &mut line, MAX_MESSAGE_BYTES + 1).map_err(|e| fail(&e))?
    {
        let trimmed = line.strip_suffix(b"\n").unwrap_or(&line);
        if !cut
            && trimmed.starts_with(comment)
            && trimmed.ends_with(b" >8 ------------------------")
        {
            break;
        }
        if line.starts_with(comment) {
            continue;
        }
        reducer.push(&line, cut);
        if let Some(w) = &mut whole {
            if cut || w.len() + line.len() > MAX_MESSAGE_BYTES {
                whole = None;
            } else {
                w.extend_from_slice(&line);
            }
        }
    }
    Ok(whole.unwrap_or_else(|| reducer.finish()))
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
    let message = match read_message(&args.file, &git.comment_prefix()) {
        Ok(m) => m,
        Err(e) => return Outcome::fail(e),
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
        skipped: &[],
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
    Outcome::new(String::new(), stderr, u8::from(failed))
}

#[cfg(test)]
mod tests {
    use super::{as_stored, read_message};

    #[test]
    fn a_message_file_is_read_as_stored_within_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let small = b"feat: x\n\nProduct-Approved-By: dana\n# Tech-Approved-By: lee\n# ------------------------ >8 ------------------------\n+Tech-Approved-By: lee\n";
        let p = dir.path().join("MSG");
        std::fs::write(&p, small).unwrap();
        assert_eq!(read_message(&p, b"#").unwrap(), as_stored(small, b"#"));
        let mut big = b"feat: x\n\n".to_vec();
        big.resize(3 << 20, b'a');
        big.extend_from_slice(b"\n\n# comment\nProduct-Approved-By: dana\n");
        std::fs::write(&p, &big).unwrap();
        assert_eq!(
            read_message(&p, b"#").unwrap(),
            b"feat: x\n\nProduct-Approved-By: dana\n".to_vec()
        );
    }

    #[test]
    fn the_message_is_read_as_git_stores_it() {
        let raw = b"feat: x\n\nProduct-Approved-By: dana\n# Tech-Approved-By: lee\n# ------------------------ >8 ------------------------\n+Tech-Approved-By: lee\n";
        assert_eq!(
            as_stored(raw, b"#"),
            b"feat: x\n\nProduct-Approved-By: dana\n".to_vec()
        );
        // core.commentChar = ; (git commit -v then writes a `;` scissors line)
        let raw = b"feat: x\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n; Please enter the message\n; ------------------------ >8 ------------------------\ndiff\n";
        assert_eq!(
            as_stored(raw, b";"),
            b"feat: x\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n".to_vec()
        );
    }
}
