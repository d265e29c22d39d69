//! CLI behaviour that needs more than "arguments and files in, output and exit
//! code out" (environment, colors, pipes, JSON keys, init's writes). The
//! plain cases are data, in `tests/cmd/` (see `tests/cmd.rs`).

mod common;

use common::{code, text, Repo, GOOD_QUARTER, KPIS};

fn good_repo() -> Repo {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    r
}

/// Q1 with a debt-share breach (2 of 25 engineer-weeks) next to a malformed file.
fn failing_repo() -> Repo {
    let r = Repo::plain();
    r.write(
        "roadmap/2026-Q1.toml",
        &GOOD_QUARTER
            .replace("effort = 8", "effort = 21")
            .replace("effort = 4", "effort = 2")
            .replace("capacity = 20", "capacity = 30"),
    )
    .write("roadmap/kpis.toml", KPIS)
    .write(
        "roadmap/2026-Q2.toml",
        "quarter = \"2026-Q2\"\ncapacity = \n",
    );
    r
}

#[test]
fn a_malformed_file_and_a_breach_elsewhere_are_both_reported() {
    let r = failing_repo();
    let out = r.roadlint(&["check", "--format", "json", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"debt-share"), "{rules:?}");
    assert!(rules.contains(&"parse"), "{rules:?}");
}

#[test]
fn json_output_matches_the_spec_key_for_key() {
    let r = failing_repo();
    let out = r.roadlint(&["check", "--format", "json", "--today", "2026-02-01"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(v["version"], 1);
    let mut top = keys(&v);
    top.sort();
    assert_eq!(top, ["diagnostics", "summary", "version"]);
    let mut summary = keys(&v["summary"]);
    summary.sort();
    assert_eq!(summary, ["commits_scanned", "errors", "files", "warnings"]);
    assert_eq!(v["summary"]["files"], 3);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "debt-share")
        .unwrap();
    let mut dk = keys(d);
    dk.sort();
    assert_eq!(
        dk,
        ["commit", "file", "help", "item", "message", "quarter", "rule", "severity", "span"]
    );
    let mut sk = keys(&d["span"]);
    sk.sort();
    assert_eq!(sk, ["column", "end_column", "end_line", "line"]);
    assert_eq!(d["file"], "roadmap/2026-Q1.toml");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["quarter"], "2026-Q1");
    assert_eq!(d["span"]["line"], 1);
    assert_eq!(d["span"]["column"], 1);
    assert_eq!(d["commit"], serde_json::Value::Null);
    assert_eq!(
        d["message"],
        "2026-Q1 plans 9% of its effort on debt/maintenance; the minimum is 20%"
    );
}

#[test]
fn github_format_is_chosen_on_github_actions() {
    let r = failing_repo();
    let out = common::roadlint()
        .current_dir(r.path())
        .args(["check", "--today", "2026-02-01"])
        .env("GITHUB_ACTIONS", "true")
        .output();
    let s = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        s.lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
        "{s}"
    );
    assert!(s.contains("::error file=roadmap/2026-Q1.toml"), "{s}");
}

#[test]
fn colors_follow_the_flag() {
    let r = failing_repo();
    let plain = r.roadlint(&["check", "--today", "2026-02-01"]);
    assert!(!plain.stdout.contains(&0x1b), "not a terminal: no color");
    let colored = r.roadlint(&["check", "--color", "always", "--today", "2026-02-01"]);
    assert!(colored.stdout.contains(&0x1b));
}

#[test]
fn explain_prints_every_rule_and_refuses_unknown_ones() {
    let rules = roadlint::rules::registry();
    assert!(!rules.is_empty());
    for rule in rules {
        let id = rule.id.as_str();
        let out = common::roadlint().args(["explain", id]).output();
        assert_eq!(code(&out), 0, "{id}");
        let t = text(&out);
        assert!(
            t.contains("## What it checks")
                && t.contains("## Why")
                && t.contains("Bad")
                && t.contains("Good"),
            "{id}: {t}"
        );
    }
    let out = common::roadlint().args(["explain", "debt-shar"]).output();
    assert_eq!(code(&out), 2);
    assert!(text(&out).contains("did you mean `debt-share`?"));
}

#[test]
fn init_writes_a_passing_setup_and_refuses_to_overwrite() {
    let r = Repo::plain();
    let out = r.roadlint(&["init", "--example", "--today", "2027-05-20"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(r.path().join("roadlint.toml").exists());
    assert!(
        r.path().join("roadmap/2027-Q2.toml").exists(),
        "dated in the current quarter"
    );
    let check = r.roadlint(&["check", "--today", "2027-05-20"]);
    assert_eq!(code(&check), 0, "{}", text(&check));
    let again = r.roadlint(&["init"]);
    assert_eq!(code(&again), 2);
    assert!(text(&again).contains("--force"), "{}", text(&again));
    r.write("roadlint.toml", "[rules]\ncapacity = \"off\"\n");
    let forced = r.roadlint(&["init", "--force"]);
    assert_eq!(code(&forced), 0, "{}", text(&forced));
    let config = std::fs::read_to_string(r.path().join("roadlint.toml")).unwrap();
    assert!(
        config.contains("# roadlint configuration"),
        "rewritten with the defaults"
    );
    assert!(!config.contains("capacity = \"off\""), "{config}");
    assert!(text(&again).contains("already exists"));
}

#[test]
fn schema_is_draft07_json() {
    let out = common::roadlint().arg("schema").output();
    assert_eq!(code(&out), 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(v["properties"]["item"].is_object());
}

#[test]
fn not_a_repository_runs_plan_rules_with_one_history_warning() {
    let r = good_repo();
    let out = r.roadlint(&["check", "--format", "json", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["diagnostics"][0]["rule"], "history");
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not a git repository"));
    // --no-history skips quietly
    let out = r.roadlint(&[
        "check",
        "--no-history",
        "--format",
        "json",
        "--today",
        "2026-02-01",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["warnings"], 0);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let r = Repo::plain();
    let mut big = String::from("quarter = \"2026-Q1\"\ncapacity = 100000\n");
    for i in 0..3000 {
        big.push_str(&format!(
            "[[item]]\nid = \"X-{i}\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 1\n"
        ));
    }
    r.write("roadmap/2026-Q1.toml", &big);
    let mut cmd = common::roadlint()
        .current_dir(r.path())
        .args([
            "check",
            "--no-history",
            "--format",
            "short",
            "--today",
            "2026-02-01",
        ])
        .into_command();
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "nothing on stderr: {err}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the lint result still decides the exit code"
    );
}

#[test]
fn a_named_file_that_is_not_a_roadmap_file_is_not_counted_as_one() {
    // the passing plan and a package.json, uncommitted
    let r = common::fixture("with-package-json");
    let out = common::roadlint_in(
        &r,
        &[
            "check",
            "--no-history",
            "--today",
            "2026-02-01",
            "package.json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("not a roadmap file"), "{}", text(&out));
    assert!(!text(&out).contains("1 roadmap file"), "{}", text(&out));
    assert!(text(&out).contains("0 roadmap files"), "{}", text(&out));
}
