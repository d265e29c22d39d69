//! `maturity-pipeline` before the commit, on real repositories with pinned
//! dates: a stage skipped in the work tree or the index is reported against
//! HEAD's stage (under `--no-history` too, so the pre-commit hook catches
//! it), and once committed it is reported once, by the history part.

mod common;

use common::{code, make_executable, text, Repo};

fn technology(stage: &str) -> String {
    format!("[[technology]]\nname = \"v\"\nstage = \"{stage}\"\ncriteria = [\"p95\"]\nexperiment = \"EXP-1\"\n")
}

/// A repository whose technology `v` is at `assess` at HEAD (built once by
/// `fixtures/repos/build.sh`; each test gets its own copy).
fn assessed() -> Repo {
    common::fixture_copy("assessed")
}

/// The messages of `maturity-pipeline` in a JSON run.
fn maturity(out: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "maturity-pipeline")
        .map(|d| d["message"].as_str().expect("message").to_string())
        .collect()
}

fn check(r: &Repo, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--format", "json", "--today", "2026-02-01"];
    args.extend_from_slice(extra);
    r.roadlint(&args)
}

const SKIP: &str = "technology `v` moves from assess (at HEAD) to adopt, skipping trial";

#[test]
fn a_skip_in_the_work_tree_or_the_index_is_reported_before_the_commit() {
    let r = assessed();
    r.write("roadmap/technology.toml", &technology("adopt"));

    // The work tree, with and without history.
    for extra in [&["--no-history"][..], &[][..]] {
        let out = check(&r, extra);
        assert_eq!(maturity(&out), [SKIP], "{extra:?}: {}", text(&out));
        assert_eq!(code(&out), 1);
    }
    // The index still holds HEAD's stage: nothing to judge yet.
    let staged = ["--staged", "--no-history"];
    assert!(maturity(&check(&r, &staged)).is_empty());
    r.git(&["add", "roadmap/technology.toml"]);
    assert_eq!(maturity(&check(&r, &staged)), [SKIP]);

    // One step at a time passes.
    r.write("roadmap/technology.toml", &technology("trial"));
    r.git(&["add", "roadmap/technology.toml"]);
    assert!(maturity(&check(&r, &staged)).is_empty());
    assert!(maturity(&check(&r, &[])).is_empty());
}

#[test]
fn the_pre_commit_hook_refuses_the_skip_and_history_reports_it_once_committed() {
    let r = assessed();
    let hook = r.path().join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().expect("hooks")).expect("mkdir");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nexec '{}' check --staged --no-history --today 2026-02-01\n",
            common::bin().display()
        ),
    )
    .expect("hook");
    make_executable(&hook);

    r.write("roadmap/technology.toml", &technology("adopt"));
    r.git(&["add", "-A"]);
    let mut cmd = std::process::Command::new("git");
    common::clean_env(&mut cmd)
        .current_dir(r.path())
        .env("GIT_AUTHOR_DATE", "2026-01-05T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-05T09:00:00Z")
        .args(["commit", "-q", "-m", "feat(tech): adopt v"]);
    let out = cmd.output().expect("git runs");
    assert!(!out.status.success(), "the hook lets the skip through");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("skipping trial"), "{said}");

    // Committed anyway: the step is now history's to report, once.
    r.git_at(
        &["commit", "-q", "--no-verify", "-m", "feat(tech): adopt v"],
        Some("2026-01-05T09:00:00Z"),
    );
    let out = check(&r, &[]);
    let found = maturity(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("moved from assess to adopt in commit"),
        "{}",
        found[0]
    );
    assert!(maturity(&check(&r, &["--no-history"])).is_empty());
}

#[test]
fn new_technologies_start_at_assess_unless_their_file_is_new() {
    let r = assessed();
    let w = "[[technology]]\nname = \"w\"\nstage = \"trial\"\nexperiment = \"EXP-1\"\n";
    r.write(
        "roadmap/technology.toml",
        &(technology("assess") + "\n" + w),
    );
    let found = maturity(&check(&r, &["--no-history"]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("technology `w` enters the pipeline at trial, skipping assess"),
        "{}",
        found[0]
    );
    // A technology that moves to a new file is judged from its stage at HEAD.
    r.write("roadmap/technology.toml", "");
    r.write("roadmap/radar.toml", &technology("assess"));
    assert!(maturity(&check(&r, &["--no-history"])).is_empty());
    r.write("roadmap/radar.toml", &technology("adopt"));
    assert_eq!(maturity(&check(&r, &["--no-history"])), [SKIP]);
    // A new file may start a technology anywhere (as its first commit may).
    r.write("roadmap/radar.toml", &(technology("assess") + "\n" + w));
    r.write("roadmap/technology.toml", &technology("assess"));
    let found = maturity(&check(&r, &["--no-history"]));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_head_file_that_cannot_be_read_is_no_starting_point() {
    // Over the 1 MiB cap at HEAD: refused, so its technologies are unknown.
    let r = common::fixture_copy("assessed-huge");
    // Trimming the file is not a technology entering at trial.
    r.write("roadmap/technology.toml", &technology("trial"));
    let out = check(&r, &["--no-history"]);
    assert!(maturity(&out).is_empty(), "{}", text(&out));
}

#[test]
fn head_is_read_from_the_commit_graph_too() {
    let r = assessed();
    r.git(&["commit-graph", "write", "--reachable"]);
    r.write("roadmap/technology.toml", &technology("adopt"));
    assert_eq!(maturity(&check(&r, &["--no-history"])), [SKIP]);
}

#[test]
fn a_skip_made_while_the_agreement_had_the_rule_off_is_not_judged() {
    let r = assessed();
    // Signed: the agreement turns maturity-pipeline off.
    r.write("roadlint.toml", "[rules]\nmaturity-pipeline = \"off\"\n");
    r.commit(
        "chore: adopt roadlint without the pipeline",
        "2026-01-03T09:00:00Z",
    );
    r.write(
        "roadlint.toml",
        "[rules]\nmaturity-pipeline = \"off\"\n# later\n",
    );
    r.commit("docs: note", "2026-01-03T10:00:00Z");
    // A skip while it was off.
    r.write("roadmap/technology.toml", &technology("adopt"));
    r.commit("feat(tech): adopt v", "2026-01-04T09:00:00Z");
    // The rule is on again (signed by the owners, as policy-signoff asks).
    r.write("roadlint.toml", "# the pipeline holds again\n");
    r.commit(
        "chore: the pipeline holds\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        "2026-01-05T09:00:00Z",
    );
    let out = check(&r, &["--select", "maturity-pipeline"]);
    assert!(maturity(&out).is_empty(), "{}", text(&out));
    // The same skip made while the rule was on is reported.
    let r = assessed();
    r.write("roadmap/technology.toml", &technology("adopt"));
    r.commit("feat(tech): adopt v", "2026-01-04T09:00:00Z");
    let found = maturity(&check(&r, &["--select", "maturity-pipeline"]));
    assert_eq!(found.len(), 1, "{found:?}");
}
