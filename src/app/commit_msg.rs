//! `roadlint commit-msg FILE`: the sign-off gate at commit time.
//!
//! The hook does not judge the commit itself: it hands the commit being made
//! (the index as its tree, HEAD and any `MERGE_HEAD` as its parents, the
//! message as git will store it, the committer time git will record) to the
//! same [`Gate`] the history scan uses, and the facts it yields to the same
//! `locked-scope` and `technology-signoff` rules, levels and waivers that
//! `check` runs. A commit the hook accepts is therefore one `check` accepts
//! too. An amend, a rebase or a `--no-verify` commit is judged when it lands
//! on a branch, by `roadlint reference-transaction`.

use super::advice;
use super::session::{OpenOptions, RunOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::CommitMsgArgs;
use crate::diagnostic::Severity;
use crate::facts::Facts;
use crate::git::{GitRepo, Head};
use crate::history::{self, AgreementAfter, Agreements, MessageFacts, Pending, RoadmapVersion};
use crate::output::{self, Format, Output, Style, Summary};

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
    let Some(git) = session.git.as_deref() else {
        return Outcome::fail("commit-msg runs inside a git repository");
    };
    let message = match read_message(&args.file, &git.comment_prefix()) {
        Ok(m) => m,
        Err(e) => return Outcome::fail(e),
    };
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    let parents = match git.head() {
        Ok(Head::Commit(id)) => std::iter::once(id).chain(git.merge_heads()).collect(),
        Ok(Head::Unborn) => Vec::new(),
        Err(e) => return Outcome::fail(e),
    };
    let now = match args.common.today {
        Some(d) => d.unix_seconds(),
        None => now_seconds(),
    };
    // The commit is judged with the agreement of its first parent (HEAD):
    // the roadmap it would make is read through that agreement's globs, and
    // the index's `roadlint.toml` is what it would change the agreement to.
    let mut agreements =
        Agreements::new(git, &session.config, &session.loaded.sources).verifying(None, None);
    let staged = agreements
        .at(parents.first().copied())
        .and_then(|stood| Ok(git.staged_files(&stood.roadmap)?));
    let staged = match staged {
        Ok(files) => files,
        Err(e) => return Outcome::fail(e),
    };
    let after = RoadmapVersion::from_files(
        staged
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.content.as_deref().ok()?))),
    );
    let pending = Pending {
        id: None,
        time: GitRepo::committer_time_now(now),
        parents,
        message: MessageFacts::parse_encoded(&message, git.commit_encoding().as_deref()),
        after: std::sync::Arc::new(after),
    };
    let after = match session.config.file {
        Some(_) => AgreementAfter::Parsed(std::sync::Arc::new(session.config.clone())),
        None => AgreementAfter::Blob(None),
    };
    let mut facts = Facts::default();
    let stood = agreements
        .judge(&pending, after, &mut facts)
        .and_then(|()| agreements.at(pending.parents.first().copied()));
    let stood = match stood {
        Ok(s) => s,
        Err(e) => return Outcome::fail(e),
    };
    let kept = std::fs::canonicalize(&args.file).unwrap_or_else(|_| args.file.clone());
    let git_dir = git.git_dir();
    let git_dir = std::fs::canonicalize(&git_dir).unwrap_or(git_dir);
    let op = advice::in_progress(&git_dir).unwrap_or(advice::Operation::CommitOrAmend);
    let refused = advice::advice(op, advice::staging_from_env(), &git_dir, &kept);
    gate_outcome(&mut session, &stood, &facts, today, style, &refused)
}

/// Seconds since the epoch, now.
fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Run the sign-off rules on `facts` with the waivers of `check` and the
/// levels of `stood`, the agreement the commits are judged by (a commit
/// cannot turn off the rule that judges it), and turn the result into the
/// hook's outcome: diagnostics on standard error, `refused` after them when
/// any is an error (exit 1).
pub(super) fn gate_outcome(
    session: &mut Session,
    stood: &crate::settings::Config,
    facts: &Facts,
    today: Date,
    style: Style,
    refused: &str,
) -> Outcome {
    let gate = crate::rules::hook_rules();
    for id in &gate {
        match stood.levels.get(id) {
            Some(level) => session.config.levels.insert(*id, level.clone()),
            None => session.config.levels.remove(id),
        };
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
            only: Some(&gate),
            allowed_signers: None,
        },
        Some(facts),
    );
    let out = Output {
        diagnostics: &diags,
        sources: &session.loaded.sources,
        summary: Summary::new(&diags, session.loaded.files, 0),
        path_prefix: "",
        skipped: &[],
    };
    let style = Style {
        quiet: true,
        ..style
    };
    let mut stderr = String::new();
    if !diags.is_empty() {
        stderr = output::render(Format::Human, &out, &style);
    }
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    if failed {
        stderr.push_str(refused);
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
