//! History rules on real repositories built with pinned dates: plan vs actual,
//! locked-scope sign-off, maturity history, the commit-msg hook through a real
//! `git commit`, and `--staged`, `--rev`, bare repositories and `--since`.

mod common;

use common::{code, text, Repo, GOOD_QUARTER};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

/// (rule, message) of every diagnostic.
fn found(out: &std::process::Output) -> Vec<(String, String)> {
    json(out)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn of_rule(out: &std::process::Output, rule: &str) -> Vec<String> {
    found(out)
        .into_iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, m)| m)
        .collect()
}

#[test]
fn history_debt_share_on_plan_passes() {
    let r = common::fixture("on-plan");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(of_rule(&out, "history-debt-share").is_empty());
    assert!(json(&out)["summary"]["commits_scanned"].as_u64().unwrap() >= 13);
}

#[test]
fn history_debt_share_below_min_and_drift_warn() {
    let r = common::fixture("below-min");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 0, "a warning only: {}", text(&out));
    let msgs = of_rule(&out, "history-debt-share");
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].contains("2026-Q1 landed 4% debt work (0.5 of 12 author-days; 1 of 13 classified commits); the minimum is 15%"),
        "{}",
        msgs[0]
    );
    let d = &json(&out)["diagnostics"][0];
    assert_eq!(d["file"], "roadmap/2026-Q1.toml");
    assert_eq!(d["span"]["line"], 1);

    // 10 debt and 4 feature commits on 10 days: a debt and a feature commit
    // share each of the first 4 days, so by author-days debt is 8 of 10.
    let r = common::fixture("debt-heavy");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    let msgs = of_rule(&out, "history-debt-share");
    assert!(
        msgs[0].contains("landed 80% debt work (8 of 10 author-days; 10 of 14 classified commits), but planned 33%: a drift of +47 points"),
        "{msgs:?}"
    );
}

#[test]
fn too_few_commits_or_an_unfinished_quarter_is_not_judged() {
    let r = common::fixture("too-few");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "9 classified commits < min_commits"
    );
    let r = common::fixture("below-min");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-03-15"]);
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "2026-Q1 has not ended"
    );
}

#[test]
fn item_trailer_classifies_by_the_item_kind() {
    // 12 feat commits, but 4 of them work on the debt item OPS-1.
    let r = common::fixture("item-trailer");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "{}",
        text(&out)
    );
    let report = common::roadlint_in(&r, &["report", "--format", "json", "--today", "2026-05-01"]);
    let q = &json(&report)["quarters"][0];
    assert_eq!(q["commits"]["debt"], 4);
    assert_eq!(q["commits"]["feature"], 12);
}

/// A private copy of the scripted `locked-plan` (2026-Q1 at capacity 40,
/// locked on 2026-01-10) and its quarter file's text, for the tests that
/// commit through git with the hook installed.
fn locked_repo() -> (Repo, String) {
    let r = common::fixture_copy("locked-plan");
    let q = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).unwrap();
    assert_eq!(
        q,
        GOOD_QUARTER.replace("capacity = 20\n", "capacity = 40\nlocked = 2026-01-10\n")
    );
    (r, q)
}

#[test]
fn locked_scope_rules() {
    // before the lock a re-estimate, after it status and wording only: free
    let r = common::fixture("locked-retitled");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    assert!(of_rule(&out, "locked-scope").is_empty(), "{}", text(&out));

    // a signed scope change: passes
    let r = common::fixture("locked-signed");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    assert!(of_rule(&out, "locked-scope").is_empty(), "{}", text(&out));

    // one person signing twice (HEAD~1) and no trailers at all (HEAD): fail
    let r = common::fixture("locked-breached");
    let sam = common::rev_parse(&r, "HEAD~1");
    let bare = common::rev_parse(&r, "HEAD");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    let locked: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "locked-scope")
        .collect();
    assert_eq!(locked.len(), 2, "{locked:#?}");
    let by_commit = |id: &str| {
        locked
            .iter()
            .find(|d| d["commit"] == id)
            .copied()
            .unwrap_or_else(|| panic!("no diagnostic for {id}"))
    };
    let twice = by_commit(&sam);
    assert!(
        twice["message"]
            .as_str()
            .unwrap()
            .contains("`dana` signed both sides"),
        "{twice}"
    );
    assert!(twice["message"]
        .as_str()
        .unwrap()
        .contains("`Tech-Approved-By` names `dana`, who is not a tech approver"));
    assert_eq!(twice["item"], "PAY-2");
    let unsigned = by_commit(&bare);
    assert!(
        unsigned["message"]
            .as_str()
            .unwrap()
            .contains("changes the effort of `PAY-2` from 2 to 3"),
        "{unsigned}"
    );
    assert!(unsigned["message"]
        .as_str()
        .unwrap()
        .contains("no `Product-Approved-By` trailer (who could sign: dana"));
    // points at PAY-2 in today's file
    let line = unsigned["span"]["line"].as_u64().unwrap() as usize;
    let today = std::fs::read_to_string(r.join("roadmap/2026-Q1.toml")).unwrap();
    assert!(today.lines().nth(line - 1).unwrap().contains("PAY-2"));
}

#[test]
fn locked_scope_commit_on_the_lock_date_counts() {
    let r = common::fixture("locked-on-lock-date");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    assert_eq!(of_rule(&out, "locked-scope").len(), 1, "{}", text(&out));
}

#[test]
fn maturity_history_flags_a_skipped_stage() {
    // `v` goes from assess straight to adopt, signed off (technology-signoff
    // is satisfied): the skip, HEAD, is the breach.
    let r = common::fixture("skipped-stage");
    let skip = common::rev_parse(&r, "HEAD");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    let msgs = of_rule(&out, "maturity-pipeline");
    assert_eq!(msgs.len(), 1, "{}", text(&out));
    assert!(
        msgs[0].contains("moved from assess to adopt"),
        "{}",
        msgs[0]
    );
    let v = json(&out);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "maturity-pipeline")
        .unwrap()
        .clone();
    assert_eq!(d["commit"], skip.as_str());

    // one step at a time passes
    let r = common::fixture("stepwise-stage");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    assert!(
        of_rule(&out, "maturity-pipeline").is_empty(),
        "{}",
        text(&out)
    );
}

#[test]
fn merges_are_excluded_unless_configured() {
    // on-plan's 4 fixes and a branch merged by a `fix` merge commit
    let r = common::fixture("merged");
    let report = common::roadlint_in(&r, &["report", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(json(&report)["quarters"][0]["commits"]["debt"], 4);
    // the same with `[history] include_merges = true`
    let r = common::fixture("merged-counted");
    let report = common::roadlint_in(&r, &["report", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(json(&report)["quarters"][0]["commits"]["debt"], 5);
}

#[test]
fn since_limits_the_walk() {
    let r = common::fixture("on-plan");
    let all = json(&common::roadlint_in(
        &r,
        &["report", "--format", "json", "--today", "2026-05-01"],
    ))["commits_scanned"]
        .as_u64()
        .unwrap();
    let some = json(&common::roadlint_in(
        &r,
        &[
            "report",
            "--format",
            "json",
            "--today",
            "2026-05-01",
            "--since",
            "2026-01-08",
        ],
    ))["commits_scanned"]
        .as_u64()
        .unwrap();
    assert!(some < all && some > 0, "{some} of {all}");
    let by_rev = json(&common::roadlint_in(
        &r,
        &[
            "report",
            "--format",
            "json",
            "--today",
            "2026-05-01",
            "--since",
            "HEAD~2",
        ],
    ))["commits_scanned"]
        .as_u64()
        .unwrap();
    assert_eq!(by_rev, 2, "the two commits after HEAD~2");
}

/// `--since` says what is wrong with it, in the product's words.
#[test]
fn since_errors_name_what_was_wrong() {
    let r = common::fixture("on-plan");
    let run = |since: &str| {
        common::roadlint_in(&r, &["check", "--since", since, "--today", "2026-05-01"])
    };
    let one = run("HEAD~1");
    assert_eq!(code(&one), 0, "{}", text(&one));
    assert!(text(&one).contains("1 commit scanned"), "{}", text(&one));
    for (since, says) in [
        ("2026-13-01", "--since 2026-13-01: "),
        (
            "no-such-branch",
            "neither a date (YYYY-MM-DD) nor a revision",
        ),
    ] {
        let out = run(since);
        assert_eq!(code(&out), 2, "{since}: {}", text(&out));
        assert!(text(&out).contains(says), "{since}: {}", text(&out));
        assert!(!text(&out).contains("delegate"), "{}", text(&out));
    }
    assert!(!text(&run("2026-13-01")).contains("does not name a commit"));

    // Beyond a shallow boundary: said so, without gix's internals.
    let dir = tempfile::tempdir().unwrap();
    let shallow = dir.path().join("shallow");
    let mut git = std::process::Command::new("git");
    common::clean_env(&mut git).args([
        "clone",
        "-q",
        "--depth",
        "2",
        &format!("file://{}", r.display()),
        &shallow.display().to_string(),
    ]);
    assert!(git.status().unwrap().success());
    let out = common::roadlint_in(
        &shallow,
        &["check", "--since", "HEAD~10", "--today", "2026-05-01"],
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("beyond the history of this shallow clone"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("delegate"), "{}", text(&out));
}

#[test]
fn staged_and_rev_lint_other_versions_of_the_roadmap() {
    let run = |r: &std::path::Path, args: &[&str]| code(&common::roadlint_in(r, args));
    // working tree breaks dual ownership; the index and HEAD are clean
    let r = common::fixture("dual-owner-unstaged");
    assert_eq!(
        run(&r, &["check", "--no-history", "--today", "2026-02-01"]),
        1
    );
    assert_eq!(
        run(
            &r,
            &["check", "--staged", "--no-history", "--today", "2026-02-01"]
        ),
        0
    );
    // the same change staged
    let r = common::fixture("dual-owner-staged");
    assert_eq!(
        run(
            &r,
            &["check", "--staged", "--no-history", "--today", "2026-02-01"]
        ),
        1
    );
    assert_eq!(
        run(
            &r,
            &[
                "check",
                "--rev",
                "HEAD",
                "--no-history",
                "--today",
                "2026-02-01"
            ]
        ),
        0
    );
    let out = common::roadlint_in(&r, &["check", "--rev", "nope", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out).contains("`nope` does not name a commit"),
        "{}",
        text(&out)
    );
}

#[test]
fn bare_repository_lints_head() {
    let r = common::fixture("below-min");
    let bare = tempfile::tempdir().unwrap();
    let dest = bare.path().join("r.git");
    let mut git = std::process::Command::new("git");
    common::clean_env(&mut git).args([
        "clone",
        "-q",
        "--bare",
        r.to_str().unwrap(),
        dest.to_str().unwrap(),
    ]);
    assert!(git.status().unwrap().success());
    let out = common::roadlint_in(
        &dest,
        &["check", "--format", "json", "--today", "2026-05-01"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["files"], 2);
    assert_eq!(of_rule(&out, "history-debt-share").len(), 1);
}

#[test]
fn unborn_head_skips_history_with_one_warning() {
    let r = common::fixture("unborn");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let msgs = of_rule(&out, "history");
    assert_eq!(
        msgs,
        vec!["no commits yet: history rules skipped".to_string()]
    );
}

/// Install roadlint as the repository's commit-msg hook.
fn install_hook(r: &Repo) {
    let hook = r.path().join(".git/hooks/commit-msg");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nexec '{}' commit-msg --today 2026-02-01 \"$1\"\n",
            common::bin().display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn try_commit(r: &Repo, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new("git");
    common::clean_env(&mut cmd)
        .current_dir(r.path())
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-02-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-02-01T10:00:00Z");
    cmd.output().unwrap()
}

#[test]
fn commit_msg_hook_through_real_git_commit() {
    let (r, q) = locked_repo();
    install_hook(&r);
    // status-only change: free
    r.write(
        "roadmap/2026-Q1.toml",
        &q.replace(
            "title = \"Checkout\"",
            "title = \"Checkout\"\nstatus = \"done\"",
        ),
    );
    r.git(&["add", "-A"]);
    let out = try_commit(&r, &["commit", "-q", "-m", "chore: mark PAY-1 done"]);
    assert!(out.status.success(), "{}", text(&out));

    // unsigned scope change: refused, with git commit -a (GIT_INDEX_FILE is set by git)
    let current = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).unwrap();
    r.write(
        "roadmap/2026-Q1.toml",
        &current.replace("effort = 8", "effort = 10"),
    );
    let out = try_commit(&r, &["commit", "-q", "-a", "-m", "feat: grow PAY-1"]);
    assert!(!out.status.success(), "must be refused");
    let t = text(&out);
    assert!(
        t.contains(
            "changes the scope of locked 2026-Q1 (changes the effort of `PAY-1` from 8 to 10)"
        ),
        "{t}"
    );
    assert!(t.contains("no `Product-Approved-By` trailer"), "{t}");

    // signed by one person twice: refused
    let out = try_commit(
        &r,
        &[
            "commit",
            "-q",
            "-a",
            "-m",
            "feat: grow PAY-1\n\nProduct-Approved-By: dana\nTech-Approved-By: dana",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("nobody approves alone"),
        "{}",
        text(&out)
    );

    // a commented-out trailer does not count
    let out = try_commit(
        &r,
        &[
            "commit",
            "-q",
            "-a",
            "--cleanup=strip",
            "-m",
            "feat: grow PAY-1\n\n# Product-Approved-By: dana\nTech-Approved-By: lee",
        ],
    );
    assert!(!out.status.success());

    // signed properly, staged with git add + git commit: accepted
    r.git(&["add", "-A"]);
    let out = try_commit(
        &r,
        &[
            "commit",
            "-q",
            "-m",
            "feat: grow PAY-1\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    // and the history agrees
    let check = r.roadlint(&["check", "--format", "json", "--today", "2026-02-02"]);
    assert!(
        of_rule(&check, "locked-scope").is_empty(),
        "{}",
        text(&check)
    );
}

#[test]
fn commit_msg_without_staged_roadmap_changes_exits_0() {
    // the locked plan, code staged, `feat: code` in .git/COMMIT_EDITMSG
    let r = common::fixture("locked-staged-code");
    let out = common::roadlint_in(
        &r,
        &["commit-msg", ".git/COMMIT_EDITMSG", "--today", "2026-02-01"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn report_includes_quarters_without_a_roadmap_file() {
    // on-plan's history, then one fix in 2026-Q2
    let r = common::fixture("later-fix");
    // Not in the default window (planned quarters and the four before).
    let window = json(&common::roadlint_in(
        &r,
        &["report", "--format", "json", "--today", "2026-05-01"],
    ));
    let names: Vec<&str> = window["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["quarter"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["2026-Q1"]);
    let v = json(&common::roadlint_in(
        &r,
        &[
            "report",
            "--all",
            "--format",
            "json",
            "--today",
            "2026-05-01",
        ],
    ));
    let q2 = v["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["quarter"] == "2026-Q2")
        .unwrap();
    assert_eq!(q2["capacity"], serde_json::Value::Null);
    assert_eq!(q2["planned_effort"], serde_json::Value::Null);
    assert_eq!(q2["planned_debt_share"], serde_json::Value::Null);
    assert_eq!(q2["commits"]["debt"], 1);
    assert_eq!(q2["actual_debt_share"], 1.0);
    let q1 = &v["quarters"][0];
    assert_eq!(q1["capacity"], 20);
    assert_eq!(q1["planned_effort"], 12);
}

#[test]
fn human_output_of_a_history_diagnostic() {
    // the locked plan, then PAY-1 grown from 8 to 30 unsigned
    let r = common::fixture("locked-grown");
    let out = common::roadlint_in(&r, &["check", "--color", "never", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("human_locked_scope", String::from_utf8_lossy(&out.stdout));
}

/// The commit-msg hook runs the `locked-scope` rule itself, so the level set in
/// `roadlint.toml` applies: off lets the commit through silently, warn prints
/// the finding and lets it through, as `check --staged` would.
#[test]
fn commit_msg_honours_the_configured_level_of_locked_scope() {
    for (level, refused) in [("error", true), ("warn", false), ("off", false)] {
        // the locked plan, roadlint.toml setting `level`, PAY-1 grown from
        // 8 to 10 staged and `feat: grow PAY-1` in .git/COMMIT_EDITMSG
        let r = common::fixture(&format!("locked-staged-{level}"));
        let hook = common::roadlint_in(
            &r,
            &["commit-msg", ".git/COMMIT_EDITMSG", "--today", "2026-02-01"],
        );
        let staged = common::roadlint_in(
            &r,
            &["check", "--staged", "--no-history", "--today", "2026-02-01"],
        );
        assert_eq!(code(&hook), i32::from(refused), "{level}: {}", text(&hook));
        assert_eq!(code(&staged), 0, "{level}: {}", text(&staged));
        let said = text(&hook);
        match level {
            "off" => assert!(!said.contains("locked-scope"), "{said}"),
            _ => assert!(
                said.contains("changes the scope of locked 2026-Q1"),
                "{level}: {said}"
            ),
        }
        if level == "warn" {
            assert!(said.contains('⚠') || said.contains("warning"), "{said}");
        }
    }
}

/// `maturity-pipeline` needs history: under `--no-history` its waiver cannot
/// be judged, so it is not reported as suppressing nothing; with history the
/// waiver suppresses the real finding and stays silent too.
#[test]
fn a_maturity_waiver_is_not_stale_under_no_history() {
    // skipped-stage with the experiment flagged and the finding waived
    // (fixtures/repos/experiment-waived.toml)
    let r = common::fixture("skipped-stage-waived");
    for extra in [&["--no-history"][..], &[][..]] {
        let mut args = vec!["check", "--format", "json", "--today", "2026-02-01"];
        args.extend_from_slice(extra);
        let out = common::roadlint_in(&r, &args);
        assert_eq!(code(&out), 0, "{extra:?}: {}", text(&out));
        assert!(
            of_rule(&out, "waiver").is_empty(),
            "{extra:?}: {}",
            text(&out)
        );
        assert!(
            of_rule(&out, "maturity-pipeline").is_empty(),
            "{extra:?}: {}",
            text(&out)
        );
    }
}

/// A waiver that held through its quarter's last day keeps the closed
/// quarter closed after it expires: no finding, no expiry report.
#[test]
fn a_closed_quarter_stays_closed_after_its_waiver_expires() {
    // below-min's history, then 2026-Q1 waived until 2026-03-31
    let r = common::fixture("waived-through-quarter");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-09-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "{}",
        text(&out)
    );
    assert!(of_rule(&out, "waiver").is_empty(), "{}", text(&out));

    // One that lapsed while the quarter was still live (2026-03-15) bites.
    let r = common::fixture("waiver-lapsed");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-09-01"]);
    assert_eq!(
        of_rule(&out, "history-debt-share").len(),
        1,
        "{}",
        text(&out)
    );
    assert!(of_rule(&out, "waiver")[0].contains("expired on 2026-03-15"));
}

/// A quarter that starts before `--since` or `[history] since` was seen in
/// part only: never judged, and marked partial in the report.
#[test]
fn a_partial_quarter_is_never_judged() {
    let r = common::fixture("below-min");
    let judged = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(
        of_rule(&judged, "history-debt-share").len(),
        1,
        "{}",
        text(&judged)
    );
    let since = [
        "check",
        "--format",
        "json",
        "--today",
        "2026-05-01",
        "--since",
        "2026-02-15",
    ];
    let partial = common::roadlint_in(&r, &since);
    assert!(
        of_rule(&partial, "history-debt-share").is_empty(),
        "{}",
        text(&partial)
    );
    let report = common::roadlint_in(
        &r,
        &[
            "report",
            "--format",
            "json",
            "--today",
            "2026-05-01",
            "--since",
            "2026-02-15",
        ],
    );
    let q = &json(&report)["quarters"][0];
    assert_eq!(q["quarter"], "2026-Q1");
    assert_eq!(q["partial"], true);
    assert_eq!(q["judged"], false);

    // The same from the configuration: the adoption day.
    let copy = tempfile::tempdir().unwrap();
    let mut git = std::process::Command::new("git");
    common::clean_env(&mut git)
        .args(["clone", "-q", &r.display().to_string()])
        .arg(copy.path());
    assert!(git.status().unwrap().success());
    std::fs::write(
        copy.path().join("roadlint.toml"),
        "[history]\nsince = 2026-02-15\n",
    )
    .unwrap();
    let out = common::roadlint_in(
        copy.path(),
        &["check", "--format", "json", "--today", "2026-05-01"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "{}",
        text(&out)
    );
    let since_start = common::roadlint_in(
        copy.path(),
        &[
            "check",
            "--format",
            "json",
            "--today",
            "2026-05-01",
            "--since",
            "2026-01-01",
        ],
    );
    assert_eq!(
        of_rule(&since_start, "history-debt-share").len(),
        1,
        "--since overrides [history] since: {}",
        text(&since_start)
    );
}

/// `git commit -v` puts a scissors line and the diff into the message file,
/// and `core.commentChar` may be any character: a correctly signed commit
/// passes the hook either way, and `check` agrees afterwards.
#[test]
fn a_signed_commit_with_verbose_diff_and_another_comment_char_passes() {
    // `#`, `;` in the repository's config, and `;` on git's command line
    // (`git -c core.commentChar=;`, which reaches hooks in the environment).
    for (comment, on_command_line) in [("#", false), (";", false), (";", true)] {
        let (r, q) = locked_repo();
        install_hook(&r);
        if !on_command_line {
            r.git(&["config", "core.commentChar", comment]);
        }
        let editor = r.path().join(".git/editor.sh");
        std::fs::write(
            &editor,
            "#!/bin/sh\n{ printf 'feat: grow PAY-1\\n\\nProduct-Approved-By: Dana <dana@example.com>\\nTech-Approved-By: lee\\n'; cat \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\"\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        r.write(
            "roadmap/2026-Q1.toml",
            &q.replace("effort = 8", "effort = 10"),
        );
        let mut cmd = std::process::Command::new("git");
        common::clean_env(&mut cmd)
            .current_dir(r.path())
            .args(if on_command_line {
                &["-c", "core.commentChar=;", "commit", "-q", "-a", "-v"][..]
            } else {
                &["commit", "-q", "-a", "-v"][..]
            })
            .env("GIT_EDITOR", &editor)
            .env("GIT_AUTHOR_DATE", "2026-02-01T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-02-01T10:00:00Z");
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "commentChar {comment}: {}",
            text(&out)
        );
        let check = r.roadlint(&["check", "--format", "json", "--today", "2026-02-02"]);
        assert!(
            of_rule(&check, "locked-scope").is_empty(),
            "commentChar {comment}: {}",
            text(&check)
        );
    }
}

#[test]
fn bots_count_nowhere() {
    // 2026-Q1 planned at 33% debt with 4 `fix` and 8 `feat` commits by
    // people, each on its own day (on plan), then 30 bumps by renovate[bot]
    // and a release by Release Bot
    let r = common::fixture("bots");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "{}",
        text(&out)
    );
    let report = json(&common::roadlint_in(
        &r,
        &["report", "--format", "json", "--today", "2026-05-01"],
    ));
    let q = &report["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["quarter"] == "2026-Q1")
        .unwrap();
    assert_eq!(q["commits"]["debt"], 4, "{q}");
    assert_eq!(q["ignored_commits"], 31, "{q}");

    // Without the default patterns the bots' chores swamp the quarter.
    let r = common::fixture("bots-counted"); // `[history] ignore_authors = []`
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    let msgs = of_rule(&out, "history-debt-share");
    assert_eq!(msgs.len(), 1, "{}", text(&out));
    assert!(msgs[0].contains("35 of 43 classified commits"), "{msgs:?}");
}

#[test]
fn git_reverts_count_as_debt() {
    // the plan, 8 `feat` commits in February, 4 git reverts in March
    let r = common::fixture("reverts");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "4 of 12 are reverts: {}",
        text(&out)
    );
    let report = json(&common::roadlint_in(
        &r,
        &["report", "--format", "json", "--today", "2026-05-01"],
    ));
    assert_eq!(report["quarters"][0]["commits"]["debt"], 4);
}

#[test]
fn an_item_id_in_the_subject_links_the_commit() {
    // 12 feat commits, 4 of which name the debt item OPS-1 in their subject,
    // and a fix whose trailer names the unknown PAY-404.
    let r = common::fixture("item-in-subject");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert!(
        of_rule(&out, "history-debt-share").is_empty(),
        "{}",
        text(&out)
    );
    let report = json(&common::roadlint_in(
        &r,
        &["report", "--format", "json", "--today", "2026-05-01"],
    ));
    assert_eq!(
        report["quarters"][0]["commits"]["debt"], 5,
        "4 linked to OPS-1 and one fix"
    );
    let item = |id: &str| {
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(item("OPS-1")["commits"], 4);
    assert_eq!(item("PAY-1")["commits"], 0, "PAY-10 is another word");
    assert_eq!(report["unknown_items"]["PAY-404"], 1, "{report}");
}

#[test]
fn a_burst_of_small_commits_weighs_one_author_day() {
    // on plan by people, then one afternoon of 20 one-line bumps by one person
    let r = common::fixture("burst");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    let msgs = of_rule(&out, "history-debt-share");
    assert!(msgs.is_empty(), "5 of 13 author-days is on plan: {msgs:?}");
    let r = common::fixture("burst-by-commits"); // `[history] measure = "commits"`
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    let msgs = of_rule(&out, "history-debt-share");
    assert_eq!(msgs.len(), 1, "24 of 32 commits: {}", text(&out));
    assert!(
        msgs[0].contains("landed 75% debt work (24 of 32 classified commits)"),
        "{msgs:?}"
    );
    let r = common::fixture("burst-by-hours"); // `[history] measure = "hours"`
    let out = common::roadlint_in(&r, &["check"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("`measure` must be \"author-days\" or \"commits\""),
        "{}",
        text(&out)
    );
}

#[test]
fn each_item_shows_its_linked_commits_authors_and_dates() {
    // PAY-1's commits: Dana twice on 2026-01-12 (the email's case differing),
    // Lee on 2026-02-27
    let r = common::fixture("item-authors");
    let report = json(&common::roadlint_in(
        &r,
        &["report", "--format", "json", "--today", "2026-05-01"],
    ));
    let pay = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "PAY-1")
        .cloned()
        .unwrap();
    assert_eq!(pay["commits"], 3, "{pay}");
    assert_eq!(pay["author_days"], 2.0, "Dana's day and Lee's day");
    assert_eq!(pay["authors"], 2, "the email is case-folded");
    assert_eq!(pay["first_commit"], "2026-01-12");
    assert_eq!(pay["last_commit"], "2026-02-27");
    let ops = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "OPS-1")
        .cloned()
        .unwrap();
    assert_eq!(ops["commits"], 0);
    assert!(ops["first_commit"].is_null());
}

#[test]
fn a_since_later_than_today_is_a_config_warning_at_its_line() {
    // 2 fix and 2 feat commits, then roadlint.toml's `[history] since =
    // 2027-01-01` committed, on line 3
    let r = common::fixture("since-next-year");
    let out = common::roadlint_in(&r, &["check", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 0, "a warning only: {}", text(&out));
    let all = json(&out);
    let d = all["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "config")
        .unwrap_or_else(|| panic!("no config warning: {all}"));
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        d["message"],
        "`[history] since = 2027-01-01` is later than today (2026-05-01): no history would be judged"
    );
    assert_eq!(d["span"]["line"], 3, "{d}");
    // An explicit `--since` is the user's own choice: no warning.
    let out = common::roadlint_in(
        &r,
        &[
            "check",
            "--format",
            "json",
            "--today",
            "2026-05-01",
            "--since",
            "2026-01-01",
        ],
    );
    assert!(of_rule(&out, "config").is_empty(), "{}", text(&out));
}
