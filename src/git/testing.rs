//! Test helpers for the git layer and the history above it.

use std::path::Path;
use std::process::Command;

/// Run git in `dir` at `date` (a clean configuration), asserting success;
/// its output, trimmed.
pub(crate) fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The repository at `dir`, and its history walked from `HEAD` (followed
/// by no one).
pub(crate) fn opened_and_walked(
    dir: &Path,
) -> (Box<super::GitRepo>, Vec<super::commit::WalkedCommit>) {
    let Ok(super::Opened::Repo(repo)) = super::GitRepo::open(dir) else {
        panic!("the repository opens");
    };
    let tip = repo.resolve("HEAD").expect("HEAD");
    let none: Option<&fn(&[u8])> = None;
    let followers = super::walk::Followers::none();
    let (walked, _, _) =
        super::walk::walk_following(&repo, tip, None, true, none, followers).expect("walk");
    (repo, walked.commits.to_vec())
}

/// What the walk hands a follower for each of `commits` (see
/// [`super::walk::Steps`]).
pub(crate) fn root_steps(
    repo: &super::GitRepo,
    commits: &[&super::commit::WalkedCommit],
) -> Vec<super::walk::RootStep> {
    let step = |c: &&super::commit::WalkedCommit| super::walk::RootStep {
        id: c.id,
        tree: repo.tree_of(c.id).expect("tree"),
        parent: c.first_parent,
        merge: c.parents > 1,
    };
    commits.iter().map(step).collect()
}

/// A raw (sha1) tree of `entries` (mode, name, id byte repeated), in the
/// order given: git's order or, to test refusals, not.
pub(crate) fn raw_tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (mode, name, id) in entries {
        out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        out.extend_from_slice(&[*id; 20]);
    }
    out
}
