//! Proofs against the real tools roadlint plugs into: the SARIF 2.1.0 schema,
//! taplo (the editor toolkit behind Even Better TOML) with `roadlint schema`,
//! and the pre-commit framework building the `-src` hooks of
//! `.pre-commit-hooks.yaml` (`language: rust`; the default ids install the
//! wheel and are proven in tests/packaging.rs).
//!
//! A test that needs an external tool skips when the tool is missing, unless
//! `ROADLINT_REQUIRE_EXTERNAL=1` (as in `.ci/run`), where it fails instead.

mod common;

use common::{code, text, tool, Repo};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository with a plan breach and a history breach (an unsigned change to
/// a locked quarter), so every output format carries a commit id: the
/// scripted `breaching` (read-only) and its HEAD, the breaching commit.
fn breaching_repo() -> (PathBuf, String) {
    let r = common::fixture("breaching");
    let id = common::rev_parse(&r, "HEAD");
    (r, id)
}

fn fix_language_patterns(v: &mut serde_json::Value) -> usize {
    const BAD: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        serde_json::Value::Object(map) => {
            let mut n = 0;
            for (k, child) in map.iter_mut() {
                if k == "pattern" && child == BAD {
                    *child = serde_json::Value::String(BAD.replace("]?$", "?$"));
                    n += 1;
                } else {
                    n += fix_language_patterns(child);
                }
            }
            n
        }
        serde_json::Value::Array(a) => a.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let (r, commit) = breaching_repo();
    let out = common::roadlint_in(&r, &["check", "--format", "sarif", "--today", "2026-06-01"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    // The official schema's `language` patterns (a property roadlint does not
    // emit) have a stray `]` the regex engine refuses; drop that character in
    // memory so the rest of the schema compiles and is enforced unchanged.
    let mut schema = schema;
    assert_eq!(fix_language_patterns(&mut schema), 2);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");

    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "locked-scope" && r["shortDescription"]["text"].is_string()));
    assert!(rules.iter().all(|r| r["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .contains("## Why")));
    let results = run["results"].as_array().unwrap();
    let locked = results
        .iter()
        .find(|r| r["ruleId"] == "locked-scope")
        .expect("a locked-scope result");
    assert_eq!(locked["level"], "error");
    assert_eq!(locked["properties"]["commit"], commit.as_str());
    let loc = &locked["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "roadmap/2026-Q1.toml");
    assert!(loc["region"]["startLine"].as_i64().unwrap() >= 1);
}

#[test]
fn junit_output_has_a_case_per_rule_and_file() {
    let (r, commit) = breaching_repo();
    let out = common::roadlint_in(&r, &["check", "--format", "junit", "--today", "2026-06-01"]);
    assert_eq!(code(&out), 1);
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains("<testsuite name=\"roadmap/2026-Q1.toml\""),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"locked-scope\" classname=\"roadmap/2026-Q1.toml\""),
        "{xml}"
    );
    assert!(xml.contains("<failure"), "{xml}");
    assert!(
        xml.contains(&commit),
        "the commit id is in the failure text"
    );
    assert!(
        xml.contains("<testcase name=\"dual-ownership\" classname=\"roadmap/kpis.toml\""),
        "{xml}"
    );
}

#[test]
fn every_format_carries_the_history_commit() {
    let (r, commit) = breaching_repo();
    for format in ["human", "short", "json", "github", "sarif", "junit"] {
        let out = common::roadlint_in(&r, &["check", "--format", format, "--today", "2026-06-01"]);
        assert_eq!(code(&out), 1, "{format}");
        let t = text(&out);
        assert!(t.contains(&commit[..10]), "{format} lacks the commit: {t}");
    }
}

#[test]
#[cfg_attr(missing_taplo, ignore = "taplo is not installed (pip install taplo)")]
fn taplo_validates_fixtures_with_the_roadlint_schema() {
    let Some(taplo) = tool("taplo") else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("roadlint.schema.json");
    let out = common::roadlint()
        .current_dir(dir.path())
        .arg("schema")
        .output();
    std::fs::write(&schema, &out.stdout).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schema");
    let mut checked = 0;
    for (kind, expect_ok) in [("pass", true), ("fail", false)] {
        for entry in std::fs::read_dir(fixtures.join(kind)).unwrap() {
            let path = entry.unwrap().path();
            let out = Command::new(&taplo)
                .args(["lint", "--no-auto-config", "--schema"])
                .arg(format!("file://{}", schema.display()))
                .arg(&path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert_eq!(
                out.status.success(),
                expect_ok,
                "taplo on {}: {}",
                path.display(),
                text(&out)
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "fixtures found: {checked}");
}

#[test]
fn roadlint_rejects_what_the_schema_rejects() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schema");
    for entry in std::fs::read_dir(fixtures.join("fail")).unwrap() {
        let path = entry.unwrap().path();
        let r = Repo::plain();
        r.write("roadmap/x.toml", &std::fs::read_to_string(&path).unwrap());
        let out = r.roadlint(&[
            "check",
            "--no-history",
            "--format",
            "short",
            "--today",
            "2026-02-01",
        ]);
        assert_eq!(code(&out), 1, "{}: {}", path.display(), text(&out));
        assert!(
            text(&out).contains("error[schema]"),
            "{}: {}",
            path.display(),
            text(&out)
        );
    }
}

/// Run pre-commit with the real environment (cargo must find its toolchain),
/// a private cache, and a fixed git identity.
fn pre_commit(exe: &Path, repo: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(exe)
        .current_dir(repo)
        .args(args)
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("NO_COLOR", "1")
        // try-repo installs the hook into a fresh temporary store each time
        // (`cargo install`, release): share one target directory so only the
        // first call compiles, and skip optimisation, which the proof does not need.
        .env("CARGO_TARGET_DIR", home.join("cargo-target"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .output()
        .expect("pre-commit runs")
}

#[test]
#[cfg_attr(
    missing_pre_commit,
    ignore = "pre-commit is not installed (pip install pre-commit)"
)]
fn pre_commit_framework_builds_and_runs_the_src_hooks() {
    let Some(exe) = tool("pre-commit") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    // try-repo on a clean clone of the committed tree: every call then uses the
    // same revision, so pre-commit builds the hook (`cargo install`) only once.
    let snapshot = home.path().join("roadlint");
    let status = Command::new("git")
        .args(["clone", "-q", "--no-hardlinks"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg(&snapshot)
        .status()
        .unwrap();
    assert!(status.success());
    let this_repo = snapshot.to_str().unwrap();

    // A failing roadmap: the hook fails and shows the diagnostic. (Copies:
    // the test commits, and pre-commit may stash and restore.)
    let bad = common::fixture_copy("breaching");
    let out = pre_commit(
        &exe,
        bad.path(),
        home.path(),
        &["try-repo", this_repo, "roadlint-src", "--all-files"],
    );
    let t = text(&out);
    assert!(!out.status.success(), "the hook must fail: {t}");
    assert!(t.contains("capacity"), "the plan diagnostic is shown: {t}");
    assert!(
        !t.contains("locked-scope"),
        "the pre-commit hook judges the staged plan, not the history: {t}"
    );

    // A breach in old history never blocks an unrelated commit: the plan is
    // fixed (by another unsigned change), the pre-commit hook passes, and the
    // full check of the pre-push / manual hook still reports the history.
    let q = std::fs::read_to_string(bad.path().join("roadmap/2026-Q1.toml")).unwrap();
    bad.write(
        "roadmap/2026-Q1.toml",
        &q.replace("effort = 30", "effort = 8"),
    );
    bad.commit("fix: shrink checkout back", "2026-01-21T10:00:00Z");
    let out = pre_commit(
        &exe,
        bad.path(),
        home.path(),
        &["try-repo", this_repo, "roadlint-src", "--all-files"],
    );
    assert!(
        out.status.success(),
        "old history does not block: {}",
        text(&out)
    );
    let out = pre_commit(
        &exe,
        bad.path(),
        home.path(),
        &[
            "try-repo",
            this_repo,
            "roadlint-history-src",
            "--all-files",
            "--hook-stage",
            "manual",
        ],
    );
    assert!(
        !out.status.success(),
        "the full check reports it: {}",
        text(&out)
    );
    assert!(text(&out).contains("locked-scope"), "{}", text(&out));

    // A passing roadmap: exit 0.
    let good = common::fixture_copy("passing-plan");
    let out = pre_commit(
        &exe,
        good.path(),
        home.path(),
        &["try-repo", this_repo, "roadlint-src", "--all-files"],
    );
    assert!(
        out.status.success(),
        "a clean roadmap passes: {}",
        text(&out)
    );

    // The commit-msg hook: a staged change to a locked quarter's scope needs sign-off.
    let locked = common::staged_locked_change();
    let msg = locked.path().join("MSG");
    std::fs::write(&msg, "feat: grow checkout\n").unwrap();
    let args = [
        "try-repo",
        this_repo,
        "roadlint-commit-msg-src",
        "--hook-stage",
        "commit-msg",
        "--commit-msg-filename",
        "MSG",
    ];
    let out = pre_commit(&exe, locked.path(), home.path(), &args);
    assert!(
        !out.status.success(),
        "unsigned scope change is refused: {}",
        text(&out)
    );
    assert!(text(&out).contains("Product-Approved-By"), "{}", text(&out));
    std::fs::write(
        &msg,
        "feat: grow checkout\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n",
    )
    .unwrap();
    let out = pre_commit(&exe, locked.path(), home.path(), &args);
    assert!(
        out.status.success(),
        "signed scope change passes: {}",
        text(&out)
    );
}
