//! What to do after the sign-off gate refused: the operation git was doing,
//! the file that keeps its message, and the command that resumes it with
//! that message. Following the advice literally finishes the operation that
//! was refused and never rewrites another commit.

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
    /// A ref moved to commits made elsewhere (fetch into a branch, reset,
    /// `branch -f`): nothing to resume.
    Update,
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
        Operation::Update => {
            return "roadlint: the ref update was refused (git says \"ref updates aborted by hook\"): it brings commits the sign-off gate refuses; nothing was changed. Land them with the sign-offs (reword them, e.g. with `git rebase -i`), or let CI judge them\n".into()
        }
    };
    format!(
        "roadlint: the {what} was refused; git keeps its message in {file}: add what is missing there (the sign-off trailers), then run\n  {run}\n{}",
        more.lines().map(|l| format!("roadlint: {l}\n")).collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::{advice, Operation, Staging};
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
