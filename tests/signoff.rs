//! The sign-off gate in real git workflows: every bypass and every false
//! block of issue 12, each run both ways — through the hooks `roadlint init
//! --hooks` installs (real `git commit`, `git merge --no-ff`, `git commit
//! --amend`, `git commit -v`), and through `check` on the history that
//! results — asserting that they agree: a commit the hooks accept is never
//! reported by `check`, and one they refuse is reported once it lands
//! another way.

mod common;

use common::{clean_env, code, text, Repo, KPIS};
use std::process::{Command, Output};

/// 2026-Q1, locked on 2026-01-10, owned by dana (product) and lee / sam (tech).
const LOCKED: &str = r#"quarter = "2026-Q1"
capacity = 40
locked = 2026-01-10

[[item]]
id = "PAY-1"
title = "Checkout"
kind = "feature"
effort = 14
product_owner = "dana"
tech_owner = "lee"
kpis = ["conversion"]

[[item]]
id = "PAY-201"
title = "Wallets"
kind = "feature"
effort = 14
product_owner = "dana"
tech_owner = "sam"
kpis = ["conversion"]

[[item]]
id = "OPS-1"
title = "Upgrade the queue"
kind = "debt"
effort = 8
product_owner = "dana"
tech_owner = "sam"
"#;

/// An item to add.
fn item(id: &str, product: &str) -> String {
    format!(
        "\n[[item]]\nid = \"{id}\"\ntitle = \"New\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"{product}\"\ntech_owner = \"lee\"\n"
    )
}

const SIGNED: &str = "\n\nProduct-Approved-By: dana\nTech-Approved-By: lee";

/// The planning date (before the lock) and dates after it.
const PLANNED: &str = "2026-01-05T10:00:00Z";
const AFTER: &str = "2026-02-02T10:00:00Z";
const LATER: &str = "2026-02-03T10:00:00Z";

/// PATH with the roadlint under test first, so the hooks find it.
fn path_with_roadlint() -> std::ffi::OsString {
    let dir = common::bin().parent().expect("bin dir").to_path_buf();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH")
}

/// Run git in `r` at `date`, hooks on (unless `hooks` is false); never panics.
fn git(r: &Repo, args: &[&str], date: &str, hooks: bool) -> Output {
    let mut cmd = Command::new("git");
    clean_env(&mut cmd)
        .env("PATH", path_with_roadlint())
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_EDITOR", "true")
        .current_dir(r.path());
    if !hooks {
        cmd.args(["-c", "core.hooksPath=/dev/null"]);
    }
    cmd.args(args).output().expect("git runs")
}

/// A repository with the hooks installed and 2026-Q1 planned (and locked
/// from 2026-01-10) on 2026-01-05.
fn locked_repo() -> Repo {
    let r = Repo::init();
    let out = Command::new(common::bin())
        .env("PATH", path_with_roadlint())
        .current_dir(r.path())
        .args(["init", "--hooks"])
        .output()
        .expect("roadlint runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    r.write("roadmap/2026-Q1.toml", LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    commit(&r, "docs: plan 2026-Q1", PLANNED).expect("the plan is accepted");
    r
}

/// What the hooks said when they refused, or Ok.
type Hooked = Result<(), String>;

fn verdict(out: &Output) -> Hooked {
    if out.status.success() {
        Ok(())
    } else {
        Err(text(out))
    }
}

/// `git add -A && git commit -m message` at `date` through the hooks.
fn commit(r: &Repo, message: &str, date: &str) -> Hooked {
    git(r, &["add", "-A"], date, true);
    verdict(&git(r, &["commit", "-q", "-m", message], date, true))
}

/// Land what the hooks refused anyway (hooks off), as someone bypassing
/// them would: the same command again.
fn force(r: &Repo, args: &[&str], date: &str) {
    if args.first() == Some(&"merge") && r.path().join(".git/MERGE_HEAD").exists() {
        git(r, &["merge", "--abort"], date, false);
    }
    let out = git(r, args, date, false);
    assert!(out.status.success(), "{}", text(&out));
}

/// Run git through the hooks, which must let it pass.
fn run(r: &Repo, args: &[&str]) {
    let out = git(r, args, LATER, true);
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

/// Text with the renderer's wrapping and frame undone, for matching.
fn flat(s: &str) -> String {
    s.replace(['│', '×'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn head(r: &Repo) -> String {
    r.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// `check`'s sign-off diagnostics as (rule, message, commit id).
fn checked(r: &Repo) -> Vec<(String, String, String)> {
    checked_by(r, "locked-scope,technology-signoff,waiver")
}

/// `check`'s diagnostics of the `select`ed rules as (rule, message, commit id).
fn checked_by(r: &Repo, select: &str) -> Vec<(String, String, String)> {
    let out = r.roadlint(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-15",
        "--select",
        select,
    ]);
    assert!(code(&out) < 2, "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
                d["commit"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `check`'s sign-off messages about commit `id`.
fn about(r: &Repo, id: &str) -> Vec<String> {
    checked(r)
        .into_iter()
        .filter(|(rule, _, c)| c == id && rule != "waiver")
        .map(|(_, m, _)| m)
        .collect()
}

/// The hooks refused with a message holding `said`; landed anyway, `check`
/// reports the same commit saying it too.
fn refused_both_ways(r: &Repo, hooked: Hooked, args: &[&str], date: &str, said: &str) {
    let refusal = hooked.expect_err("the hooks refuse the commit");
    assert!(flat(&refusal).contains(said), "the hook says: {refusal}");
    force(r, args, date);
    let reported = about(r, &head(r));
    assert!(
        reported.iter().any(|m| m.contains(said)),
        "check must report what the hook refused ({said}): {reported:?}"
    );
}

/// The hooks accepted, and `check` reports nothing about the commit.
fn accepted_both_ways(r: &Repo, hooked: Hooked) {
    if let Err(e) = hooked {
        panic!("the hooks refused an acceptable commit: {e}");
    }
    let reported = about(r, &head(r));
    assert!(
        reported.is_empty(),
        "check disagrees with the hook: {reported:?}"
    );
}

/// Change the quarter file and commit it through the hooks at AFTER.
fn change(r: &Repo, text: &str, message: &str) -> Hooked {
    r.write("roadmap/2026-Q1.toml", text);
    commit(r, message, AFTER)
}

fn commit_args(message: &str) -> Vec<String> {
    vec!["commit".into(), "-q".into(), "-m".into(), message.into()]
}

/// An unsigned change: refused by the hook, reported by check.
fn unsigned_change_is_refused(text: &str, said: &str) {
    let r = locked_repo();
    let hooked = change(&r, text, "feat: change the plan");
    let args = commit_args("feat: change the plan");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused_both_ways(&r, hooked, &args, AFTER, said);
}

// ---------------------------------------------------------------- bypasses

#[test]
fn removing_the_lock_needs_sign_off() {
    unsigned_change_is_refused(
        &LOCKED.replace("locked = 2026-01-10\n", ""),
        "removes the lock",
    );
}

#[test]
fn moving_the_lock_later_needs_sign_off() {
    unsigned_change_is_refused(
        &LOCKED.replace("2026-01-10", "2026-03-01"),
        "moves the lock from 2026-01-10 to 2026-03-01",
    );
}

#[test]
fn dropping_an_item_needs_sign_off() {
    let dropped = LOCKED.replace(
        "title = \"Wallets\"\n",
        "title = \"Wallets\"\nstatus = \"dropped\"\n",
    );
    unsigned_change_is_refused(&dropped, "drops `PAY-201` (14 weeks)");
}

#[test]
fn changing_the_capacity_needs_sign_off() {
    unsigned_change_is_refused(
        &LOCKED.replace("capacity = 40", "capacity = 44"),
        "changes the capacity from 40 to 44",
    );
}

#[test]
fn deleting_the_quarter_file_needs_sign_off() {
    let r = locked_repo();
    std::fs::remove_file(r.path().join("roadmap/2026-Q1.toml")).expect("rm");
    let hooked = commit(&r, "chore: drop the plan", AFTER);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "chore: drop the plan"],
        AFTER,
        "deletes the quarter file",
    );
}

#[test]
fn relabelling_the_locked_file_while_a_new_one_takes_its_name_needs_sign_off() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &LOCKED
            .replace("2026-Q1", "2026-Q2")
            .replace("locked = 2026-01-10\n", ""),
    );
    r.write(
        "roadmap/q1-new.toml",
        "quarter = \"2026-Q1\"\ncapacity = 40\n",
    );
    let hooked = commit(&r, "chore: shuffle", AFTER);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "chore: shuffle"],
        AFTER,
        "removes the lock",
    );
}

#[test]
fn a_branch_made_before_the_lock_and_merged_after_it_needs_sign_off() {
    let r = locked_repo();
    run(&r, &["checkout", "-q", "-b", "early"]);
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    commit(&r, "feat: add B-1", "2026-01-06T10:00:00Z").expect("before the lock: free");
    run(&r, &["checkout", "-q", "main"]);
    let args = ["merge", "--no-ff", "-q", "-m", "Merge early", "early"];
    let hooked = verdict(&git(&r, &args, AFTER, true));
    refused_both_ways(&r, hooked, &args, AFTER, "brings in commit");
}

#[test]
fn an_unsigned_branch_merged_by_an_unsigned_merge_is_refused() {
    let r = locked_repo();
    run(&r, &["checkout", "-q", "-b", "topic"]);
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    run(&r, &["checkout", "-q", "main"]);
    let args = ["merge", "--no-ff", "-q", "-m", "Merge topic", "topic"];
    let hooked = verdict(&git(&r, &args, LATER, true));
    refused_both_ways(&r, hooked, &args, LATER, "adds `B-1`");
}

#[test]
fn an_evil_merge_needs_sign_off_even_when_its_branch_is_signed() {
    let r = locked_repo();
    run(&r, &["checkout", "-q", "-b", "topic"]);
    let with_b = format!("{LOCKED}{}", item("B-1", "dana"));
    r.write("roadmap/2026-Q1.toml", &with_b);
    commit(&r, &format!("feat: add B-1{SIGNED}"), AFTER).expect("signed");
    run(&r, &["checkout", "-q", "main"]);
    let out = git(
        &r,
        &["merge", "--no-ff", "--no-commit", "topic"],
        LATER,
        true,
    );
    assert!(out.status.success(), "{}", text(&out));
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{with_b}{}", item("C-1", "dana")),
    );
    let hooked = commit(&r, "Merge topic", LATER);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "Merge topic"],
        LATER,
        "the merge itself adds `C-1`",
    );
}

#[test]
fn a_commit_cannot_make_its_own_approver() {
    let r = locked_repo();
    let hooked = change(
        &r,
        &format!("{LOCKED}{}", item("M-1", "mallory")),
        "feat: add M-1\n\nProduct-Approved-By: mallory\nTech-Approved-By: lee",
    );
    let args = [
        "commit",
        "-q",
        "-m",
        "feat: add M-1\n\nProduct-Approved-By: mallory\nTech-Approved-By: lee",
    ];
    refused_both_ways(
        &r,
        hooked,
        &args,
        AFTER,
        "`mallory`, who is not a product approver",
    );
}

#[test]
fn an_amend_that_drops_the_trailers_is_refused() {
    let r = locked_repo();
    change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        &format!("feat: add B-1{SIGNED}"),
    )
    .expect("signed");
    let args = ["commit", "-q", "--amend", "-m", "feat: add B-1"];
    let hooked = verdict(&git(&r, &args, LATER, true));
    refused_both_ways(&r, hooked, &args, LATER, "adds `B-1`");
}

#[test]
fn a_no_verify_commit_is_refused_when_it_lands() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    git(&r, &["add", "-A"], AFTER, true);
    let args = ["commit", "-q", "--no-verify", "-m", "feat: add B-1"];
    let hooked = verdict(&git(&r, &args, AFTER, true));
    refused_both_ways(&r, hooked, &args, AFTER, "adds `B-1`");
}

#[test]
fn a_signed_rename_does_not_hide_an_earlier_unsigned_add() {
    let r = locked_repo();
    let hooked = change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        "feat: add B-1",
    );
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "feat: add B-1"],
        AFTER,
        "adds `B-1`",
    );
    let breach = head(&r);
    run(&r, &["mv", "roadmap/2026-Q1.toml", "roadmap/q1.toml"]);
    commit(&r, &format!("chore: rename{SIGNED}"), LATER).expect("a rename is no change");
    assert!(about(&r, &head(&r)).is_empty());
    assert!(
        !about(&r, &breach).is_empty(),
        "the unsigned add is still reported"
    );
}

/// A breach landed with hooks off, then laundered by `laundry`: `check`
/// still reports it (history is what the objects say).
fn laundering_does_not_hide(laundry: impl Fn(&Repo, &str)) {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    let breach = head(&r);
    r.write("README.md", "notes\n");
    force(&r, &["add", "-A"], LATER);
    force(&r, &["commit", "-q", "-m", "docs: notes"], LATER);
    laundry(&r, &breach);
    assert!(
        about(&r, &breach).iter().any(|m| m.contains("adds `B-1`")),
        "{:?}",
        checked(&r)
    );
}

#[test]
fn a_replace_ref_with_a_forged_signed_message_is_ignored() {
    laundering_does_not_hide(|r, breach| {
        let tree = format!("{breach}^{{tree}}");
        let parent = format!("{breach}^");
        let forged = r.git_at(
            &[
                "commit-tree",
                &tree,
                "-p",
                &parent,
                "-m",
                &format!("feat: add B-1{SIGNED}"),
            ],
            Some(AFTER),
        );
        run(r, &["replace", breach, forged.trim()]);
    });
}

#[test]
fn a_replace_graft_splicing_out_the_breach_is_ignored() {
    laundering_does_not_hide(|r, breach| {
        let parent = format!("{breach}^");
        run(r, &["replace", "--graft", "HEAD", &parent]);
    });
}

#[test]
fn an_info_grafts_file_is_ignored() {
    laundering_does_not_hide(|r, breach| {
        let head = head(r);
        let parent = r.git(&["rev-parse", &format!("{breach}^")]);
        std::fs::write(
            r.path().join(".git/info/grafts"),
            format!("{head} {}\n", parent.trim()),
        )
        .expect("grafts");
    });
}

// ------------------------------------------------------------ false blocks

#[test]
fn a_signed_branch_merged_with_an_unsigned_merge_is_accepted() {
    let r = locked_repo();
    run(&r, &["checkout", "-q", "-b", "topic"]);
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    commit(&r, &format!("feat: add B-1{SIGNED}"), AFTER).expect("signed");
    run(&r, &["checkout", "-q", "main"]);
    let hooked = verdict(&git(
        &r,
        &["merge", "--no-ff", "-q", "-m", "Merge topic", "topic"],
        LATER,
        true,
    ));
    accepted_both_ways(&r, hooked);
}

#[test]
fn an_unsigned_branch_merged_by_a_signed_merge_is_accepted() {
    let r = locked_repo();
    run(&r, &["checkout", "-q", "-b", "topic"]);
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    run(&r, &["checkout", "-q", "main"]);
    let msg = format!("Merge topic{SIGNED}");
    let hooked = verdict(&git(
        &r,
        &["merge", "--no-ff", "-q", "-m", &msg, "topic"],
        LATER,
        true,
    ));
    accepted_both_ways(&r, hooked);
}

/// Commit with `git commit -v` through an editor that writes a signed
/// message above git's scissors line and diff.
fn verbose_commit(r: &Repo, extra: &[&str]) -> Hooked {
    let editor = r.path().join(".git/editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'feat: add B-1\\n\\nProduct-Approved-By: dana\\nTech-Approved-By: lee\\n' > \"$1.new\"\ncat \"$1\" >> \"$1.new\"\nmv \"$1.new\" \"$1\"\n",
    )
    .expect("editor");
    common::make_executable(&editor);
    git(r, &["add", "-A"], AFTER, true);
    let mut cmd = Command::new("git");
    clean_env(&mut cmd)
        .env("PATH", path_with_roadlint())
        .env("GIT_AUTHOR_DATE", AFTER)
        .env("GIT_COMMITTER_DATE", AFTER)
        .env("GIT_EDITOR", &editor)
        .current_dir(r.path())
        .args(extra)
        .args(["commit", "-q", "-v"]);
    verdict(&cmd.output().expect("git runs"))
}

#[test]
fn git_commit_verbose_with_a_signed_message_is_accepted() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    accepted_both_ways(&r, verbose_commit(&r, &[]));
}

#[test]
fn another_comment_char_is_read_as_git_stores_the_message() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    r.git(&["config", "core.commentChar", ";"]);
    accepted_both_ways(&r, verbose_commit(&r, &[]));
}

#[test]
fn adopting_roadlint_mid_quarter_is_silent() {
    let r = Repo::init();
    let out = Command::new(common::bin())
        .env("PATH", path_with_roadlint())
        .current_dir(r.path())
        .args(["init", "--hooks"])
        .output()
        .expect("roadlint runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    r.write("roadmap/2026-Q1.toml", LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    accepted_both_ways(&r, commit(&r, "docs: adopt roadlint", AFTER));
}

#[test]
fn an_unsigned_pure_rename_is_no_change_and_a_later_unsigned_add_is_refused() {
    let r = locked_repo();
    run(&r, &["mv", "roadmap/2026-Q1.toml", "roadmap/q1.toml"]);
    accepted_both_ways(&r, commit(&r, "chore: rename", AFTER));
    r.write(
        "roadmap/q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    let hooked = commit(&r, "feat: add B-1", LATER);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "feat: add B-1"],
        LATER,
        "adds `B-1`",
    );
}

#[test]
fn a_trailer_in_name_and_email_form_names_the_person() {
    let r = locked_repo();
    let hooked = change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        "feat: add B-1\n\nProduct-Approved-By: Dana <dana@example.com>\nTech-Approved-By: LEE <lee@example.com>",
    );
    accepted_both_ways(&r, hooked);
}

#[test]
fn an_old_breach_blocks_no_later_commit_and_a_commit_waiver_closes_it() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    let breach = head(&r);
    // Someone else's unrelated roadmap commit passes every hook.
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")).replace("Wallets", "Digital wallets"),
    );
    accepted_both_ways(&r, commit(&r, "docs: wording", LATER));
    assert_eq!(
        about(&r, &breach).len(),
        1,
        "the old breach is CI's to report"
    );
    // The commit waiver signs it off after the fact, and nothing else.
    let waiver = format!(
        "\n[[waiver]]\nrule = \"locked-scope\"\ncommit = \"{}\"\nreason = \"agreed in the planning review\"\napproved_by = [\"dana\", \"lee\"]\n",
        &breach[..12]
    );
    let q = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("read");
    r.write("roadmap/2026-Q1.toml", &format!("{q}{waiver}"));
    let signed = format!("docs: waive the B-1 breach{SIGNED}");
    accepted_both_ways(&r, commit(&r, &signed, LATER));
    assert!(checked(&r).is_empty(), "{:?}", checked(&r));
    // A later unsigned change is still refused: the waiver covers one commit.
    let q = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("read");
    let hooked = change(
        &r,
        &q.replace(
            "effort = 14\nproduct_owner = \"dana\"\ntech_owner = \"lee\"",
            "effort = 15\nproduct_owner = \"dana\"\ntech_owner = \"lee\"",
        ),
        "feat: grow PAY-1",
    );
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "feat: grow PAY-1"],
        AFTER,
        "changes the effort of `PAY-1` from 14 to 15",
    );
}

#[test]
fn a_commit_waiver_naming_no_commit_is_reported() {
    let r = locked_repo();
    let q = format!("{LOCKED}\n[[waiver]]\nrule = \"locked-scope\"\ncommit = \"0123456789ab\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\n");
    r.write("roadmap/2026-Q1.toml", &q);
    commit(&r, &format!("docs: waiver{SIGNED}"), AFTER).expect("a signed waiver");
    let found = checked(&r);
    assert!(
        found.iter().any(|(rule, m, _)| rule == "waiver"
            && m.contains("names commit `0123456789ab`, which is not in the history scanned")),
        "{found:?}"
    );
}

#[test]
fn approver_lists_replace_the_owners() {
    let r = locked_repo();
    r.write(
        "roadlint.toml",
        &format!(
            "{}\n",
            std::fs::read_to_string(r.path().join("roadlint.toml"))
                .expect("config")
                .replace("product_approvers = []", "product_approvers = [\"pat\"]")
        ),
    );
    commit(&r, &format!("chore: approvers{SIGNED}"), PLANNED).expect("config only, signed");
    let hooked = change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        &format!("feat: add B-1{SIGNED}"),
    );
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", &format!("feat: add B-1{SIGNED}")],
        AFTER,
        "`dana`, who is not a product approver (`[signoff] product_approvers`: pat)",
    );
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}{}", item("B-1", "dana"), item("B-2", "dana")),
    );
    accepted_both_ways(
        &r,
        commit(
            &r,
            "feat: add B-2\n\nProduct-Approved-By: pat\nTech-Approved-By: lee",
            LATER,
        ),
    );
}

#[test]
fn a_stage_change_needs_both_sign_offs() {
    let r = locked_repo();
    let tech = "[[technology]]\nname = \"vector-search\"\nstage = \"assess\"\n";
    r.write("roadmap/technology.toml", tech);
    accepted_both_ways(&r, commit(&r, "docs: technologies", PLANNED));
    r.write("roadmap/technology.toml", &tech.replace("assess", "hold"));
    let hooked = commit(&r, "chore: hold vector-search", AFTER);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", "chore: hold vector-search"],
        AFTER,
        "moves `vector-search` from assess to hold",
    );
}

#[test]
fn the_hook_says_where_git_keeps_the_refused_message() {
    let r = locked_repo();
    let refusal = change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        "feat: add B-1",
    )
    .expect_err("refused");
    assert!(refusal.contains("COMMIT_EDITMSG"), "{refusal}");
    assert!(
        flat(&refusal).contains("no `Product-Approved-By` trailer (who could sign: dana)"),
        "{refusal}"
    );
}

#[test]
fn reset_and_fetch_are_never_judged() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    let out = git(&r, &["reset", "-q", "--hard", "HEAD~1"], LATER, true);
    assert!(out.status.success(), "reset is not blocked: {}", text(&out));
    let out = git(&r, &["reset", "-q", "--hard", "HEAD@{1}"], LATER, true);
    assert!(
        out.status.success(),
        "back to a known commit: {}",
        text(&out)
    );
    let other = locked_repo();
    let src = r.path().to_str().expect("utf-8 path");
    let out = git(
        &other,
        &["fetch", "-q", src, "main:refs/remotes/r/main"],
        LATER,
        true,
    );
    assert!(
        out.status.success(),
        "a fetch is not judged: {}",
        text(&out)
    );
}

#[test]
fn init_hooks_honours_core_hooks_path_and_is_rerunnable() {
    let r = Repo::init();
    r.git(&["config", "core.hooksPath", "githooks"]);
    let init = |args: &[&str]| {
        Command::new(common::bin())
            .env("PATH", path_with_roadlint())
            .current_dir(r.path())
            .args(args)
            .output()
            .expect("roadlint runs")
    };
    let out = init(&["init", "--hooks"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let hooks = [
        ("pre-commit", "roadlint check --staged --no-history"),
        ("commit-msg", "roadlint commit-msg"),
        (
            "reference-transaction",
            "roadlint reference-transaction prepared",
        ),
        ("pre-push", "roadlint check"),
    ];
    let mut written = Vec::new();
    for (hook, runs) in hooks {
        let script = std::fs::read_to_string(r.path().join("githooks").join(hook)).expect(hook);
        assert!(script.contains(runs), "{script}");
        written.push(script);
    }
    let out = init(&["init", "--hooks"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    for ((hook, _), before) in hooks.iter().zip(&written) {
        let script = std::fs::read_to_string(r.path().join("githooks").join(hook)).expect(hook);
        assert_eq!(&script, before, "{hook} changed on a second run");
    }
}

// ------------------------------------------- trailers where workflows put them

#[test]
fn several_trailers_of_one_kind_sign_when_any_names_an_approver() {
    let r = locked_repo();
    let hooked = change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        "feat: add B-1\n\nProduct-Approved-By: dana\nTech-Approved-By: mallory\nTech-Approved-By: lee",
    );
    accepted_both_ways(&r, hooked);
}

#[test]
fn a_comment_line_kept_by_commit_m_does_not_break_the_trailer_block() {
    let r = locked_repo();
    let hooked = change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        "feat: add B-1\n\nProduct-Approved-By: dana\n# lee approved in the planning call\nTech-Approved-By: lee",
    );
    accepted_both_ways(&r, hooked);
    // git kept the comment line: `check` read the message as stored.
    let stored = r.git(&["log", "-1", "--format=%B"]);
    assert!(stored.contains("# lee approved"), "{stored}");
}

#[test]
fn a_github_squash_commit_is_signed_by_its_branch_commits_trailers() {
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    git(&r, &["add", "-A"], AFTER, true);
    let tree = git(&r, &["write-tree"], AFTER, true);
    let tree = String::from_utf8_lossy(&tree.stdout).trim().to_string();
    // GitHub's squash-merge message, to the byte: the PR title, each branch
    // commit as a bullet with its body, then the co-author paragraph.
    let message = "Plan: add B-1 (#42)\n\n* feat(roadmap): add B-1\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n\n* fix(roadmap): typo in B-1\n\n---------\n\nCo-authored-by: Kim <kim@example.com>\n";
    let out = git(
        &r,
        &["commit-tree", &tree, "-p", "HEAD", "-m", message],
        AFTER,
        true,
    );
    assert!(out.status.success(), "{}", text(&out));
    let squash = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // Landing it runs the reference-transaction hook.
    let hooked = verdict(&git(
        &r,
        &["update-ref", "refs/heads/main", &squash],
        AFTER,
        true,
    ));
    accepted_both_ways(&r, hooked);
}

#[test]
fn git_merge_squash_reads_the_indented_trailers() {
    let r = locked_repo();
    run(&r, &["checkout", "-q", "-b", "plan"]);
    change(
        &r,
        &format!("{LOCKED}{}", item("B-1", "dana")),
        &format!("feat: add B-1{SIGNED}"),
    )
    .expect("signed");
    run(&r, &["checkout", "-q", "main"]);
    let out = git(&r, &["merge", "--squash", "plan"], LATER, true);
    assert!(out.status.success(), "{}", text(&out));
    let squash_msg = std::fs::read_to_string(r.path().join(".git/SQUASH_MSG")).unwrap();
    assert!(
        squash_msg.contains("    Product-Approved-By: dana"),
        "{squash_msg}"
    );
    let hooked = verdict(&git(&r, &["commit", "-q", "--no-edit"], LATER, true));
    accepted_both_ways(&r, hooked);
}

#[test]
fn a_trailer_among_text_is_refused_saying_where_it_was_found() {
    let r = locked_repo();
    let message = "feat: add B-1\n\nAgreed in the call.\nProduct-Approved-By: dana\nTech-Approved-By: lee\nSee the notes.";
    let hooked = change(&r, &format!("{LOCKED}{}", item("B-1", "dana")), message);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", message],
        AFTER,
        "`Product-Approved-By: dana` on line 4 of the message does not count: its paragraph holds other text",
    );
}

#[test]
fn one_person_spelt_two_ways_cannot_sign_both_sides() {
    let r = locked_repo();
    let plan = LOCKED
        .replace("tech_owner = \"sam\"", "tech_owner = \"STRAUSS\"")
        .replace(
            "product_owner = \"dana\"\ntech_owner = \"lee\"",
            "product_owner = \"Strauß\"\ntech_owner = \"lee\"",
        );
    r.write("roadmap/2026-Q1.toml", &plan);
    force(&r, &["commit", "-q", "-am", "docs: owners"], PLANNED);
    let message = "feat: add B-1\n\nProduct-Approved-By: Strauß\nTech-Approved-By: STRAUSS";
    let hooked = change(&r, &format!("{plan}{}", item("B-1", "dana")), message);
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-m", message],
        AFTER,
        "signed both sides",
    );
}

#[test]
fn a_latin1_message_is_decoded_as_git_does() {
    let r = locked_repo();
    let plan = LOCKED.replace(
        "product_owner = \"dana\"\ntech_owner = \"lee\"",
        "product_owner = \"Émile\"\ntech_owner = \"lee\"",
    );
    r.write("roadmap/2026-Q1.toml", &plan);
    force(&r, &["commit", "-q", "-am", "docs: owners"], PLANNED);
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{plan}{}", item("B-1", "dana")),
    );
    let msg = r.path().join(".git/latin1-msg");
    std::fs::write(
        &msg,
        b"feat: add B-1\n\nProduct-Approved-By: \xc9mile\nTech-Approved-By: lee\n",
    )
    .unwrap();
    let msg = msg.to_string_lossy().into_owned();
    // Through the hooks: the commit-msg hook reads the file in the
    // encoding git was told, as `check` reads the stored commit.
    let hooked = git(
        &r,
        &[
            "-c",
            "i18n.commitEncoding=ISO-8859-1",
            "commit",
            "-q",
            "-a",
            "-F",
            &msg,
        ],
        AFTER,
        true,
    );
    assert!(hooked.status.success(), "{}", text(&hooked));
    let stored = r.git(&["cat-file", "commit", "HEAD"]);
    assert!(stored.contains("encoding ISO-8859-1"), "{stored}");
    let reported = about(&r, &head(&r));
    assert!(reported.is_empty(), "{reported:?}");
}

// ------------------------------------------------ the agreement guards itself

/// `check`'s policy-signoff messages, by commit.
fn policy(r: &Repo) -> Vec<(String, String)> {
    checked_by(r, "policy-signoff")
        .into_iter()
        .filter(|(rule, ..)| rule == "policy-signoff")
        .map(|(_, m, c)| (c, m))
        .collect()
}

#[test]
fn turning_the_gate_off_in_the_same_commit_is_reported() {
    let r = locked_repo();
    // `init --hooks` wrote the default agreement with the plan: naming the
    // approvers is a signed change of it.
    r.write(
        "roadlint.toml",
        "[signoff]\nproduct_approvers = [\"dana\"]\n",
    );
    force(&r, &["add", "-A"], PLANNED);
    let signed = format!("chore: name the approvers{SIGNED}");
    force(&r, &["commit", "-q", "-m", &signed], PLANNED);
    // A comment-only edit changes nothing.
    r.write(
        "roadlint.toml",
        "# who signs\n[signoff]\nproduct_approvers = [ \"dana\" ]\n",
    );
    force(
        &r,
        &["commit", "-q", "-am", "docs: comment the agreement"],
        AFTER,
    );
    assert!(policy(&r).is_empty(), "{:?}", policy(&r));

    // The gate switched off, an approver added, and a scope change, together.
    r.write(
        "roadlint.toml",
        "[rules]\nlocked-scope = \"off\"\n[signoff]\nproduct_approvers = [\"dana\", \"mallory\"]\n",
    );
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["commit", "-q", "-am", "chore: relax the gate"], AFTER);
    let found = policy(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, head(&r));
    assert!(
        found[0]
            .1
            .contains("(turns locked-scope off, adds mallory to product_approvers)"),
        "{}",
        found[0].1
    );
    assert!(
        found[0].1.contains("no `Product-Approved-By` trailer"),
        "{}",
        found[0].1
    );
    let out = r.roadlint(&["check", "--today", "2026-06-15"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
}

#[test]
fn a_signed_policy_change_is_accepted_and_deleting_the_file_is_a_change() {
    let r = locked_repo();
    // The plan's commit adopted the default agreement (`init --hooks`).
    assert!(r.path().join("roadlint.toml").is_file());
    r.write("roadlint.toml", "[rules]\nkpi-link = \"error\"\n");
    force(
        &r,
        &[
            "commit",
            "-q",
            "-am",
            &format!("chore: stricter KPI links{SIGNED}"),
        ],
        AFTER,
    );
    assert!(policy(&r).is_empty(), "{:?}", policy(&r));
    force(&r, &["rm", "-q", "roadlint.toml"], LATER);
    force(
        &r,
        &["commit", "-q", "-m", "chore: no more agreement"],
        LATER,
    );
    let found = policy(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains("(deletes roadlint.toml)"),
        "{}",
        found[0].1
    );
}

#[test]
fn an_approver_added_by_a_commit_cannot_sign_it_and_a_later_list_change_does_not_reopen_old_commits(
) {
    let r = locked_repo();
    // Dana (product) and lee (tech) sign the named approvers in.
    r.write(
        "roadlint.toml",
        "[signoff]\nproduct_approvers = [\"dana\"]\ntech_approvers = [\"lee\"]\n",
    );
    let named = format!("chore: name the approvers{SIGNED}");
    force(&r, &["commit", "-q", "-am", &named], PLANNED);
    // Mallory adds herself and signs her own change.
    r.write(
        "roadlint.toml",
        "[signoff]\nproduct_approvers = [\"dana\", \"mallory\"]\ntech_approvers = [\"lee\"]\n",
    );
    force(
        &r,
        &[
            "commit",
            "-q",
            "-am",
            "chore: add an approver\n\nProduct-Approved-By: mallory\nTech-Approved-By: lee",
        ],
        AFTER,
    );
    let found = policy(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains(
            "`mallory`, who is not a product approver (`[signoff] product_approvers`: dana)"
        ),
        "{}",
        found[0].1
    );
    // Dana moves teams: a signed change names kim. The commits dana signed
    // stay clean; only mallory's self-approval is still reported.
    r.write(
        "roadlint.toml",
        "[signoff]\nproduct_approvers = [\"kim\"]\ntech_approvers = [\"lee\"]\n",
    );
    force(
        &r,
        &[
            "commit",
            "-q",
            "-am",
            &format!("chore: kim takes over{SIGNED}"),
        ],
        LATER,
    );
    let found = policy(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("adds mallory"), "{}", found[0].1);
}

#[test]
fn a_backdated_commit_is_judged_as_made_when_its_parent_was() {
    let r = locked_repo();
    // After the lock, an unrelated commit; then a scope change that claims
    // a date before the lock (GIT_COMMITTER_DATE), and another on top.
    r.write("notes.txt", "x");
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "docs: notes"], AFTER);
    r.write("notes.txt", "y");
    force(
        &r,
        &["commit", "-q", "-am", "docs: backdated, no scope change"],
        PLANNED,
    );
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    let hooked = verdict(&git(
        &r,
        &["commit", "-q", "-am", "feat: add B-1"],
        PLANNED,
        true,
    ));
    refused_both_ways(
        &r,
        hooked,
        &["commit", "-q", "-am", "feat: add B-1"],
        PLANNED,
        "adds `B-1`",
    );
    // The history cache remembers the corrected times it worked out, and a
    // warm run (no commit-graph here) dates the commit the same way.
    let warm = about(&r, &head(&r));
    assert!(warm.iter().any(|m| m.contains("adds `B-1`")), "{warm:?}");
    assert_eq!(about(&r, &head(&r)), warm);
}

// ------------------------------------------- history judged as it stood (§9.1)

/// `check`'s locked-scope and policy-signoff messages about the HEAD commit.
fn gate_and_policy_at_head(r: &Repo) -> Vec<String> {
    let id = head(r);
    checked_by(r, "locked-scope,policy-signoff")
        .into_iter()
        .filter(|(_, _, c)| *c == id)
        .map(|(rule, m, _)| format!("{rule}: {m}"))
        .collect()
}

#[test]
fn a_rule_turned_off_still_judges_the_commit_that_turns_it_off() {
    let r = locked_repo();
    // Unsigned: the gate off and a scope change in one commit. The hook
    // judges it with the parent's agreement (locked-scope on) and refuses
    // both; once it lands, today's agreement has locked-scope off, so
    // check reports the change of the agreement.
    r.write("roadlint.toml", "[rules]\nlocked-scope = \"off\"\n");
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    let refusal = commit(&r, "chore: relax the gate", AFTER).expect_err("refused");
    let said = flat(&refusal);
    assert!(said.contains("adds `B-1`"), "{said}");
    assert!(said.contains("turns locked-scope off"), "{said}");
    force(&r, &["commit", "-q", "-m", "chore: relax the gate"], AFTER);
    let found = gate_and_policy_at_head(&r).join("\n");
    assert!(
        found.contains("policy-signoff: ") && found.contains("turns locked-scope off"),
        "{found}"
    );

    // Signed, the same change is accepted both ways, and from then on the
    // gate is off: a later unsigned scope change is not judged.
    let r = locked_repo();
    r.write("roadlint.toml", "[rules]\nlocked-scope = \"off\"\n");
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    let signed = format!("chore: relax the gate{SIGNED}");
    commit(&r, &signed, AFTER).expect("a signed change of the agreement is accepted");
    assert!(gate_and_policy_at_head(&r).is_empty());
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}{}", item("B-1", "dana"), item("B-2", "dana")),
    );
    commit(&r, "feat: add B-2", LATER).expect("the gate is off now");
    assert!(gate_and_policy_at_head(&r).is_empty());
}

#[test]
fn a_later_approver_list_never_reopens_a_correctly_signed_scope_change() {
    let r = locked_repo();
    // The owners sign a scope change after the lock.
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    commit(&r, &format!("feat: add B-1{SIGNED}"), AFTER).expect("signed by the owners");
    let signed_by_dana = head(&r);
    // Dana moves teams: the owners name kim as the product approver.
    r.write(
        "roadlint.toml",
        "[signoff]\nproduct_approvers = [\"kim\"]\n",
    );
    commit(&r, &format!("chore: kim signs for product{SIGNED}"), LATER)
        .expect("the owners sign the new list in");
    let reported = about(&r, &signed_by_dana);
    assert!(reported.is_empty(), "{reported:?}");
    // From now on kim signs, and dana no longer can.
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}{}", item("B-1", "dana"), item("B-2", "dana")),
    );
    let refusal = commit(&r, &format!("feat: add B-2{SIGNED}"), LATER).expect_err("dana left");
    assert!(
        flat(&refusal).contains("`dana`, who is not a product approver"),
        "{refusal}"
    );
    let kim = "feat: add B-2\n\nProduct-Approved-By: kim\nTech-Approved-By: lee";
    commit(&r, kim, LATER).expect("kim signs");
    assert!(gate_and_policy_at_head(&r).is_empty());
}

#[test]
fn moving_the_roadmap_with_its_globs_does_not_hide_an_unsigned_scope_change() {
    let r = locked_repo();
    // `git mv roadmap plan`, the globs follow, and an unsigned item rides along.
    git(&r, &["mv", "roadmap", "plan"], AFTER, false);
    r.write("roadlint.toml", "roadmap = [\"plan/**/*.toml\"]\n");
    r.write(
        "plan/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    let refusal = commit(&r, "refactor: move the plan", AFTER).expect_err("refused");
    let said = flat(&refusal);
    assert!(said.contains("changes the roadmap globs"), "{said}");
    force(
        &r,
        &["commit", "-q", "-m", "refactor: move the plan"],
        AFTER,
    );
    let found = gate_and_policy_at_head(&r).join("\n");
    assert!(
        found.contains("locked-scope: ") && found.contains("changes the roadmap globs"),
        "{found}"
    );
    // Signed by the owners, the same move is accepted both ways.
    let r = locked_repo();
    git(&r, &["mv", "roadmap", "plan"], AFTER, false);
    r.write("roadlint.toml", "roadmap = [\"plan/**/*.toml\"]\n");
    commit(&r, &format!("refactor: move the plan{SIGNED}"), AFTER).expect("signed move");
    assert!(gate_and_policy_at_head(&r).is_empty());
    // The moved quarter is still locked and followed under its new globs.
    r.write(
        "plan/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    let refusal = commit(&r, "feat: add B-1", LATER).expect_err("still locked");
    assert!(flat(&refusal).contains("adds `B-1`"), "{refusal}");
}

#[test]
fn narrowing_the_globs_to_leave_a_locked_quarter_out_needs_sign_off() {
    let r = locked_repo();
    r.write("roadlint.toml", "roadmap = [\"roadmap/kpis.toml\"]\n");
    let refusal = commit(&r, "chore: fewer files", AFTER).expect_err("refused");
    let said =
        "takes locked 2026-Q1 out of the roadmap (the new globs do not match roadmap/2026-Q1.toml)";
    assert!(
        flat(&refusal).contains("changes the roadmap globs"),
        "{refusal}"
    );
    assert!(flat(&refusal).contains(said), "{refusal}");
    force(&r, &["commit", "-q", "-m", "chore: fewer files"], AFTER);
    let found = gate_and_policy_at_head(&r).join("\n");
    assert!(
        found.contains("policy-signoff: ") && found.contains(said),
        "{found}"
    );
}

// ------------------------------------- waivers are signed like their change

/// A commit waiver of `id` approved by `approvers`.
fn commit_waiver(id: &str, approvers: &str) -> String {
    format!(
        "\n[[waiver]]\nrule = \"locked-scope\"\ncommit = \"{}\"\nreason = \"agreed later\"\napproved_by = [{approvers}]\n",
        &id[..12]
    )
}

#[test]
fn a_breaching_commit_cannot_waive_itself_and_an_unsigned_waiver_waives_nothing() {
    let r = locked_repo();
    // The breach and a quarter-wide waiver naming the owners, in one
    // unsigned commit: the hook refuses both, and check keeps the breach.
    let quarter_wide = "\n[[waiver]]\nrule = \"locked-scope\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-12-31\n";
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}{quarter_wide}", item("B-1", "dana")),
    );
    let refusal = commit(&r, "feat: add B-1", AFTER).expect_err("refused");
    let said = flat(&refusal);
    assert!(
        said.contains("adds a waiver of locked-scope in 2026-Q1"),
        "{said}"
    );
    assert!(said.contains("adds `B-1`"), "{said}");
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    let found = gate_and_policy_at_head(&r).join("\n");
    assert!(
        found.contains("locked-scope: ") && found.contains("policy-signoff: "),
        "{found}"
    );
    let waiver = checked(&r)
        .into_iter()
        .find(|(rule, ..)| rule == "waiver")
        .expect("the waiver is reported");
    assert!(
        waiver.1.contains("takes effect only from a signed commit"),
        "{waiver:?}"
    );

    // An unsigned commit adding a commit waiver for an earlier breach:
    // refused, and the breach stays reported.
    let r = locked_repo();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    let breach = head(&r);
    let q = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("read");
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{q}{}", commit_waiver(&breach, "\"dana\", \"lee\"")),
    );
    let refusal = commit(&r, "docs: waive it", LATER).expect_err("unsigned waiver");
    assert!(
        flat(&refusal).contains(&format!(
            "adds a waiver of locked-scope for commit {}",
            &breach[..12]
        )),
        "{refusal}"
    );
    force(&r, &["commit", "-q", "-m", "docs: waive it"], LATER);
    assert_eq!(about(&r, &breach).len(), 1, "the breach is still reported");
}

#[test]
fn a_waiver_must_name_the_two_people_who_signed_it_as_approvers_stood() {
    let r = locked_repo();
    // The approvers are kim (product) and lee (tech), signed in by the owners.
    r.write(
        "roadlint.toml",
        "[signoff]\nproduct_approvers = [\"kim\"]\ntech_approvers = [\"lee\"]\n",
    );
    commit(&r, &format!("chore: name the approvers{SIGNED}"), PLANNED).expect("signed");
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    force(&r, &["add", "-A"], AFTER);
    force(&r, &["commit", "-q", "-m", "feat: add B-1"], AFTER);
    let breach = head(&r);
    // Signed by kim and lee, but the waiver names dana (no approver).
    let q = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("read");
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{q}{}", commit_waiver(&breach, "\"dana\", \"lee\"")),
    );
    let kim = "docs: waive it\n\nProduct-Approved-By: kim\nTech-Approved-By: lee";
    commit(&r, kim, LATER).expect("the commit itself is signed off");
    assert_eq!(about(&r, &breach).len(), 1, "dana's waiver waives nothing");
    let waiver = checked(&r)
        .into_iter()
        .find(|(rule, ..)| rule == "waiver")
        .expect("reported");
    assert!(
        waiver
            .1
            .contains("does not name the two people who signed the commit"),
        "{waiver:?}"
    );
    // Naming kim and lee, signed by them: the breach is waived.
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{q}{}", commit_waiver(&breach, "\"kim\", \"lee\"")),
    );
    commit(&r, kim, LATER).expect("signed");
    assert!(about(&r, &breach).is_empty(), "{:?}", about(&r, &breach));
    assert!(checked(&r).is_empty(), "{:?}", checked(&r));
}

#[test]
fn a_greek_owner_signs_in_capitals_and_look_alikes_of_any_script_are_warned() {
    let r = locked_repo();
    // Οδυσσέας ends in a final sigma; written in capitals it is one name.
    let plan = LOCKED.replace(
        "product_owner = \"dana\"\ntech_owner = \"lee\"",
        "product_owner = \"Οδυσσέας\"\ntech_owner = \"lee\"",
    );
    r.write("roadmap/2026-Q1.toml", &plan);
    force(&r, &["commit", "-q", "-am", "docs: owners"], PLANNED);
    let message = "feat: add B-1\n\nProduct-Approved-By: ΟΔΥΣΣΈΑΣ\nTech-Approved-By: lee";
    accepted_both_ways(
        &r,
        change(&r, &format!("{plan}{}", item("B-1", "dana")), message),
    );
    // A Cherokee Ꮮee and an Armenian օmar beside lee and omar: warned.
    let look_alikes = format!(
        "{plan}{}{}{}",
        item("B-1", "dana"),
        item("B-2", "omar").replace("tech_owner = \"lee\"", "tech_owner = \"Ꮮee\""),
        item("B-3", "օmar"),
    );
    r.write("roadmap/2026-Q1.toml", &look_alikes);
    let out = r.roadlint(&[
        "check",
        "--no-history",
        "--format",
        "json",
        "--today",
        "2026-06-15",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let warned: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "schema" && d["severity"] == "warning")
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect();
    // Each is one warning: its mixed scripts, the look-alike letter named.
    for (spelling, script) in [("Ꮮee", "Cherokee"), ("օmar", "Armenian")] {
        assert!(
            warned.iter().any(|m| m.contains(&format!(
                "\"{spelling}\", which mixes {script} and Latin letters"
            ))),
            "{spelling}: {warned:?}"
        );
    }
}

#[test]
fn a_commit_before_the_since_of_its_parents_agreement_is_not_judged() {
    let r = locked_repo();
    // The owners agree to judge history from March on.
    r.write("roadlint.toml", "[history]\nsince = 2026-03-01\n");
    commit(&r, &format!("chore: judge from March{SIGNED}"), PLANNED).expect("signed");
    // A February scope change: that agreement does not judge it, in the
    // hook or in check, even after `since` is removed again.
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}", item("B-1", "dana")),
    );
    commit(&r, "feat: add B-1", AFTER).expect("before the agreed start");
    let february = head(&r);
    r.write("roadlint.toml", "# all history\n");
    commit(&r, &format!("chore: judge all history{SIGNED}"), LATER).expect("signed");
    assert!(
        about(&r, &february).is_empty(),
        "{:?}",
        about(&r, &february)
    );
    // A scope change made under the new agreement is judged again.
    r.write(
        "roadmap/2026-Q1.toml",
        &format!("{LOCKED}{}{}", item("B-1", "dana"), item("B-2", "dana")),
    );
    let refusal = commit(&r, "feat: add B-2", LATER).expect_err("judged");
    assert!(flat(&refusal).contains("adds `B-2`"), "{refusal}");
}
