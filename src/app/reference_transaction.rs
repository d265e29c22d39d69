//! `roadlint reference-transaction STATE`: the sign-off gate when a commit
//! lands on a branch.
//!
//! git runs the `reference-transaction` hook for every ref update (git 2.28
//! or later); at the `prepared` state a non-zero exit aborts the update. This
//! is where an amend, a rebase, a cherry-pick or a `--no-verify` commit is
//! judged: each commit the update brings onto a branch (or a detached HEAD)
//! that no ref reached before goes through the same [`Gate`] and rules as
//! `check`. Updates of other refs (remote-tracking refs from a fetch, tags,
//! the stash) and moves to commits already known (`reset`, checkout) pass
//! silently and at once. The installed hook (see `hook_scripts`) decides
//! most of that in the shell and starts roadlint only for new commits that
//! change a roadmap path, passing them as `NEW` so nothing walks history.

use super::advice;
use super::commit_msg::gate_outcome;
use super::session::{OpenOptions, Session};
use super::Outcome;
use crate::calendar::Date;
use crate::cli::ReferenceTransactionArgs;
use crate::facts::Facts;
use crate::git::{GitRepo, ObjectId, Opened};
use crate::history::{AgreementAfter, Agreements};
use crate::output::{Format, Style};
use std::io::BufRead;

/// Lines of standard input read (one per ref updated).
const MAX_LINES: usize = 100_000;

/// The commits the update on standard input moves branches (or HEAD) to,
/// and the commit HEAD itself moves to, if it moves.
fn updated_tips(input: impl BufRead) -> (Vec<ObjectId>, Option<ObjectId>) {
    let mut tips = Vec::new();
    let mut head = None;
    for line in input.lines().take(MAX_LINES).map_while(Result::ok) {
        let mut parts = line.split_whitespace();
        let (Some(_old), Some(new), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if name != "HEAD" && !name.starts_with("refs/heads/") {
            continue;
        }
        let Ok(id) = ObjectId::from_hex(new.as_bytes()) else {
            continue;
        };
        if id.is_null() {
            continue;
        }
        if name == "HEAD" {
            head = Some(id);
        }
        if !tips.contains(&id) {
            tips.push(id);
        }
    }
    (tips, head)
}

/// What git was doing when the update to `tip` (HEAD's new commit `head`,
/// if HEAD moves) brought commits the gate refuses: an operation in
/// progress; else a merge commit; else, for `git merge` or `git pull`, a
/// fast-forward; else, when the new HEAD's message is the one `git commit`
/// kept, a commit (a child of HEAD) or an amend (a sibling), or a revert or
/// a cherry-pick (the sequencer keeps its message in MERGE_MSG); else a
/// plain ref update (`reset`, `update-ref`, `checkout -B`, `branch -f`).
fn operation(git: &GitRepo, tip: ObjectId, head: Option<ObjectId>) -> advice::Operation {
    use advice::Operation;
    let git_dir = git.git_dir();
    if let Some(op) = advice::in_progress(&git_dir) {
        return op;
    }
    let Some(new) = head else {
        return Operation::Update(tip);
    };
    let parents = git.parents_of(new);
    let now = match git.head() {
        Ok(crate::git::Head::Commit(id)) => Some(id),
        _ => None,
    };
    let child = match now {
        Some(id) => parents.first() == Some(&id),
        None => parents.is_empty(),
    };
    if child && parents.len() > 1 {
        return Operation::Merge;
    }
    if advice::merge_or_pull() {
        return Operation::FastForward(new);
    }
    let sibling = !child && now.is_some_and(|id| git.parents_of(id) == parents);
    if !child && !sibling {
        return Operation::Update(new);
    }
    if child && git_dir.join("MERGE_MSG").exists() {
        // The sequencer writes its message there before committing, and the
        // state file (REVERT_HEAD, CHERRY_PICK_HEAD) only after a failure.
        return if advice::merge_msg_is_revert(&git_dir) {
            Operation::Revert
        } else {
            Operation::CherryPick
        };
    }
    let made_here = crate::git::paths::raw_commit_message(git, new)
        .is_ok_and(|m| advice::made_by_commit(&git_dir, &m));
    match (made_here, child) {
        (true, true) => Operation::Commit,
        (true, false) => Operation::Amend,
        (false, _) => Operation::Update(new),
    }
}

/// The commit ids the hook passed (hex), or exit 2 naming a bad one.
fn parse_ids(ids: &[String]) -> Result<Vec<ObjectId>, Outcome> {
    ids.iter()
        .map(|s| {
            ObjectId::from_hex(s.as_bytes()).map_err(|_| {
                Outcome::fail(format!(
                    "`{}` is not a commit id",
                    crate::escape::escape_data(s)
                ))
            })
        })
        .collect()
}

/// `roadlint reference-transaction STATE [NEW...]`, with the updates on
/// standard input.
pub fn reference_transaction(args: &ReferenceTransactionArgs) -> Outcome {
    let (tips, head) = updated_tips(std::io::stdin().lock());
    if args.state != "prepared" || tips.is_empty() {
        return Outcome::ok(String::new());
    }
    let git = match GitRepo::open(std::path::Path::new(".")) {
        Ok(Opened::Repo(g)) => g,
        Ok(Opened::NotARepo) => return Outcome::ok(String::new()),
        Err(e) => return Outcome::fail(e),
    };
    let new = if args.new.is_empty() {
        match git.new_commits(&tips) {
            Ok(n) => n,
            Err(e) => return Outcome::fail(e),
        }
    } else {
        match parse_ids(&args.new) {
            Ok(n) => n,
            Err(o) => return o,
        }
    };
    if new.is_empty() {
        return Outcome::ok(String::new());
    }
    let op = operation(&git, tips[0], head);
    let git_dir = git.git_dir();
    let git_dir = std::fs::canonicalize(&git_dir).unwrap_or(git_dir);
    drop(git);
    let style = Style::detect(args.common.color, args.common.quiet);
    let tip = tips[0].to_string();
    let mut session = match Session::open(&OpenOptions {
        path: None,
        config: args.common.config.as_deref(),
        staged: false,
        rev: Some(&tip),
        style,
        format: Format::Human,
    }) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let Some(git) = session.git.as_deref() else {
        return Outcome::ok(String::new());
    };
    let mut facts = Facts::default();
    // Each new commit is judged with the agreement of its first parent.
    let mut agreements = Agreements::new(git, &session.config, &session.loaded.sources)
        .verifying(None, Some(tips[0]));
    let judged = new.iter().try_for_each(|id| {
        let after = AgreementAfter::Blob(agreements.blob_in(*id)?);
        let pending = agreements
            .gate_after(git.parents_of(*id).first().copied())?
            .pending(*id)?;
        agreements.judge(&pending, after, &mut facts)
    });
    // Reported with the levels of the agreement the first new commit was
    // made under.
    let stood = judged.and_then(|()| agreements.at(git.parents_of(new[0]).first().copied()));
    let stood = match stood {
        Ok(s) => s,
        Err(e) => return Outcome::fail(e),
    };
    drop(agreements);
    if facts.locked_changes.is_empty()
        && facts.tech_changes.is_empty()
        && facts.policy_changes.is_empty()
    {
        return Outcome::ok(String::new());
    }
    let kept = git_dir.join("COMMIT_EDITMSG");
    let refused = advice::advice(op, advice::Staging::Unknown, &git_dir, &kept);
    let today = args.common.today.unwrap_or_else(Date::today_utc);
    gate_outcome(&mut session, &stood, &facts, today, style, &refused)
}

#[cfg(test)]
mod tests {
    use super::updated_tips;

    #[test]
    fn only_branches_and_head_moving_to_a_commit_count() {
        let a = "1111111111111111111111111111111111111111";
        let z = "0000000000000000000000000000000000000000";
        let input = format!(
            "{z} {a} refs/heads/main\n{z} {a} HEAD\n{z} {a} refs/remotes/origin/main\n{a} {z} refs/heads/gone\nnonsense\n"
        );
        let (tips, head) = updated_tips(input.as_bytes());
        assert_eq!(head.map(|h| h.to_string()).as_deref(), Some(a));
        assert_eq!(tips.len(), 1);
        assert_eq!(tips[0].to_string(), a);
        let fetch = format!("{z} {a} refs/remotes/origin/main\n{z} {a} refs/tags/v1\n");
        assert!(updated_tips(fetch.as_bytes()).0.is_empty());
    }
}
