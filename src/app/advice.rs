//! What to do after the sign-off gate refused: the operation git was doing,
//! the file that keeps its message, and the command that resumes it with
//! that message. Following the advice literally finishes the operation that
//! was refused and never rewrites another commit.

use crate::git::ObjectId;
use std::path::{Path, PathBuf};

/// The operation git was doing when the gate refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// A new commit on HEAD.
    Commit,
    /// A commit the commit-msg hook cannot tell from an amend.
    CommitOrAmend,
    /// `git commit --amend`.
    Amend,
    /// A merge being concluded.
    Merge,
    /// A revert.
    Revert,
    /// A cherry-pick.
    CherryPick,
    /// A step of a rebase.
    Rebase,
    /// A fast-forward to the commit (`git merge`, `git pull`): git has
    /// already checked its files out when the hook refuses the ref update.
    FastForward(ObjectId),
    /// A ref moved to the commit, made elsewhere (`reset`, `checkout -B`,
    /// `branch -f`, `update-ref`): nothing to resume; the command may have
    /// checked its files out before the ref update was refused.
    Update(ObjectId),
}

/// How the refused commit took the changes (the commit-msg hook knows it
/// from `GIT_INDEX_FILE`): a refused `-a` or `-- FILES` commit leaves them
/// unstaged again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Staging {
    /// The index as it was: the changes stay staged.
    Index,
    /// `git commit -a`.
    All,
    /// `git commit FILES`.
    Files,
    /// Not known (a ref update).
    Unknown,
}

/// The operation the state files of `git_dir` show in progress, if any.
pub(crate) fn in_progress(git_dir: &Path) -> Option<Operation> {
    let has = |name: &str| std::fs::symlink_metadata(git_dir.join(name)).is_ok();
    if has("rebase-merge") || has("rebase-apply") {
        Some(Operation::Rebase)
    } else if has("MERGE_HEAD") {
        Some(Operation::Merge)
    } else if has("CHERRY_PICK_HEAD") {
        Some(Operation::CherryPick)
    } else if has("REVERT_HEAD") {
        Some(Operation::Revert)
    } else {
        None
    }
}

/// Whether `MERGE_MSG` holds a revert's message (`Revert "…"`, `Reapply "…"`).
pub(crate) fn merge_msg_is_revert(git_dir: &Path) -> bool {
    use std::io::Read;
    let path = git_dir.join("MERGE_MSG");
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 16];
    let Ok(n) = std::fs::File::open(&path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let head = &head[..n];
    head.starts_with(b"Revert ") || head.starts_with(b"Reapply ")
}

/// Whether git runs the hook for `git merge` or `git pull` (they set
/// `GIT_REFLOG_ACTION` to `merge …` / `pull …` for their ref updates;
/// `commit`, `reset`, `checkout`, `branch`, `update-ref`, `cherry-pick`,
/// `revert` and `rebase` leave it unset, git 2.47): a new HEAD that is no
/// merge commit is then a fast-forward.
pub(crate) fn merge_or_pull() -> bool {
    let Some(action) = std::env::var_os("GIT_REFLOG_ACTION") else {
        return false;
    };
    let action = action.to_string_lossy();
    let verb = action.split_whitespace().next().unwrap_or("");
    verb == "merge" || verb == "pull"
}

/// The most of `COMMIT_EDITMSG` read (a message over it is not compared).
const MAX_MESSAGE: u64 = 4 << 20;

/// Whether `git commit` made `message` (the raw message of the new commit):
/// `git commit` writes the message to `COMMIT_EDITMSG` before it creates
/// the commit, whatever the message came from (`-m`, `-F`, `-C`, `--amend
/// --no-edit`, the editor), and reads it back after the hooks; the commit
/// holds it cleaned up. Both are compared cleaned up the same way (see
/// [`cleaned`]), so a stale `COMMIT_EDITMSG` (of an earlier commit) tells a
/// `reset`, an `update-ref` or a fast-forward to a commit made elsewhere
/// from a commit made here, unless that commit's message is the same.
pub(crate) fn made_by_commit(git_dir: &Path, message: &[u8]) -> bool {
    use std::io::Read;
    let path = git_dir.join("COMMIT_EDITMSG");
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut kept = Vec::new();
    let Ok(n) =
        std::fs::File::open(&path).and_then(|f| f.take(MAX_MESSAGE + 1).read_to_end(&mut kept))
    else {
        return false;
    };
    n as u64 <= MAX_MESSAGE && cleaned(&kept) == cleaned(message)
}

/// A message as `git commit`'s cleanup leaves it, whatever the mode and
/// comment string: cut at a scissors line, without the lines that start
/// with ASCII punctuation (every `core.commentChar=auto` pick, `#`, and a
/// `core.commentString` such as `//`), trailing white space,
/// and leading, trailing and repeated blank lines. Applied to both sides of
/// a comparison, so dropping a line the commit kept (`--cleanup=verbatim`)
/// drops it from both.
fn cleaned(message: &[u8]) -> Vec<&[u8]> {
    const SCISSORS: &[u8] = b" ------------------------ >8 ------------------------";
    let mut lines: Vec<&[u8]> = Vec::new();
    for line in message.split(|b| *b == b'\n') {
        if line.trim_ascii_end().ends_with(SCISSORS) {
            break;
        }
        if line.first().is_some_and(u8::is_ascii_punctuation) {
            continue;
        }
        let line = line.trim_ascii_end();
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// How the commit-msg hook's commit stages its changes, from `GIT_INDEX_FILE`.
pub(crate) fn staging_from_env() -> Staging {
    let Some(index) = std::env::var_os("GIT_INDEX_FILE") else {
        return Staging::Index;
    };
    let name = Path::new(&index)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == "index.lock" {
        Staging::All
    } else if name.starts_with("next-index") {
        Staging::Files
    } else {
        Staging::Index
    }
}

/// A path as a shell word: quoted when it holds anything but plain characters.
fn shell_word(path: &Path) -> String {
    let s = path.to_string_lossy();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@".contains(c))
    {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The advice after a refusal of `op`: `message` is the file git kept the
/// commit's message in (used for a plain commit or an amend); during a
/// merge, a revert, a cherry-pick or a rebase, the message is in MERGE_MSG.
pub(crate) fn advice(op: Operation, staging: Staging, git_dir: &Path, message: &Path) -> String {
    let merge_msg = git_dir.join("MERGE_MSG");
    let kept: PathBuf = match op {
        Operation::Merge | Operation::Revert | Operation::CherryPick => merge_msg,
        Operation::Rebase if merge_msg.exists() => merge_msg,
        _ => message.to_path_buf(),
    };
    let file = shell_word(&kept);
    let commit = |extra: &str| format!("git commit{extra} --cleanup=strip -F {file}");
    let (what, run, more): (&str, String, String) = match op {
        Operation::Commit | Operation::CommitOrAmend => {
            let run = match staging {
                Staging::All => commit(" -a"),
                _ => commit(""),
            };
            let mut more = match staging {
                Staging::Files => "name the files you committed again, after the message: `… -- FILE…`\n".to_string(),
                Staging::Unknown => format!("if you committed with -a, add -a (`{}`); if you named files, name them again\n", commit(" -a")),
                _ => String::new(),
            };
            if op == Operation::CommitOrAmend {
                more.push_str(&format!(
                    "if this was `git commit --amend`, run `{}` instead\n",
                    commit(" --amend")
                ));
            }
            ("commit", run, more)
        }
        Operation::Amend => ("amend", commit(" --amend"), String::new()),
        Operation::Merge => ("merge", commit(""), "or give the merge up: `git merge --abort`\n".into()),
        Operation::Revert => ("revert", commit(""), "or give the revert up: `git revert --abort` (if it says no revert is in progress: `git reset --merge`)\n".into()),
        Operation::CherryPick => ("cherry-pick", commit(""), "or give it up: `git cherry-pick --abort`\n".into()),
        Operation::Rebase => (
            "rebase step",
            format!("{} && git rebase --continue", commit("")),
            "or give the rebase up: `git rebase --abort`\n".into(),
        ),
        Operation::FastForward(to) | Operation::Update(to) => return refused_update(op, to),
    };
    format!(
        "roadlint: the {what} was refused; git keeps its message in {file}: add what is missing there (the sign-off trailers), then run\n  {run}\n{}",
        more.lines().map(|l| format!("roadlint: {l}\n")).collect::<String>()
    )
}

/// The command that puts the work tree and the index back to HEAD's after
/// a refused update to `to` checked `to`'s files out: a two-way merge from
/// `to`'s tree to HEAD's, which keeps the user's own changes (staged or not)
/// to files `to` does not change, and changes nothing where the work tree
/// and the index do not hold `to`'s files (`git reset --merge` would drop
/// staged changes; `git reset --keep` would leave `to`'s files).
fn put_back(to: ObjectId) -> String {
    format!("git read-tree -m -u {to} HEAD")
}

/// The advice after a refused fast-forward or ref update to `to`: what
/// moved (no ref; maybe the work tree and the index) and how to undo it.
fn refused_update(op: Operation, to: ObjectId) -> String {
    let full = to.to_string();
    let short = &full[..full.len().min(12)];
    let tail = "roadlint: land the commits with the sign-offs (reword them, e.g. with `git rebase -i`), or let CI judge them\n";
    if let Operation::FastForward(_) = op {
        return format!(
            "roadlint: the fast-forward to {short} was refused (git says \"ref updates aborted by hook\"): it brings commits the sign-off gate refuses. HEAD did not move, but git has already checked {short}'s files out into the work tree and the index; to put them back to HEAD's (your own changes are kept), run\n  {}\n{tail}",
            put_back(to)
        );
    }
    format!(
        "roadlint: the ref update to {short} was refused (git says \"ref updates aborted by hook\"): it brings commits the sign-off gate refuses; HEAD and the branches did not move. If the command had already checked {short}'s files out (`git reset --hard`, `git checkout -B`), put the work tree and the index back to HEAD's (your own changes are kept; where git changed nothing, this changes nothing) with\n  {}\nroadlint: after `git reset --mixed`, which moved only the index (the command above then says \"not uptodate\" and changes nothing), run `git reset -q` instead\n{tail}",
        put_back(to)
    )
}

#[cfg(test)]
mod tests {
    use super::{advice, cleaned, Operation, Staging};

    #[test]
    fn a_kept_message_compares_cleaned_up_like_the_commit() {
        let edited = b"\nfeat: grow  \n\n\n\nbody\n# Please enter the commit message\n; auto comment\n// a comment string\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n";
        assert_eq!(cleaned(edited), cleaned(b"feat: grow\n\nbody\n"));
        assert_eq!(cleaned(b"feat: grow\n"), cleaned(b"feat: grow"));
        assert_ne!(cleaned(b"feat: grow\n"), cleaned(b"feat: grow more\n"));
        assert_ne!(cleaned(b"a\n\nb\n"), cleaned(b"a\nb\n"));
    }
    use std::path::Path;

    #[test]
    fn each_operation_names_its_file_and_command() {
        let dir = Path::new("/r/.git");
        let msg = dir.join("COMMIT_EDITMSG");
        let a = advice(Operation::Amend, Staging::Unknown, dir, &msg);
        assert!(
            a.contains("git commit --amend --cleanup=strip -F /r/.git/COMMIT_EDITMSG\n"),
            "{a}"
        );
        let m = advice(Operation::Merge, Staging::Index, dir, &msg);
        assert!(
            m.contains("git commit --cleanup=strip -F /r/.git/MERGE_MSG\n"),
            "{m}"
        );
        let c = advice(Operation::Commit, Staging::All, dir, &msg);
        assert!(
            c.contains("  git commit -a --cleanup=strip -F /r/.git/COMMIT_EDITMSG\n"),
            "{c}"
        );
        assert!(!c.contains("--amend"), "{c}");
        let odd = advice(
            Operation::Commit,
            Staging::Index,
            Path::new("/a b"),
            Path::new("/a b/it's"),
        );
        assert!(odd.contains("-F '/a b/it'\\''s'"), "{odd}");
    }
}
