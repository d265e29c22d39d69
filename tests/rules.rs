//! Every rule's passing and failing cases, as data.
//!
//! A case is a folder `fixtures/rules/<rule>/{pass,fail}/<case>/` holding
//! roadmap files as they sit in a repository (`roadmap/2026-Q1.toml`,
//! `roadmap/kpis.toml`, …) and, when the case needs one, its own
//! `roadlint.toml`. A case about history also holds `history.sh`, a bash
//! script that builds the repository's commits with pinned dates (see
//! [`PRELUDE`] for what it may call). Each case is copied into a sandbox
//! outside any repository and checked by the real binary, as of 2026-06-15:
//!
//! - a `pass` case has no diagnostic of its rule, a `fail` case at least one;
//! - a `fail` case's output, exactly as `roadlint check` prints it, is a
//!   snapshot `tests/snapshots/rules/<rule>@<case>.snap`;
//! - every registered rule has a folder with a failing case, every folder
//!   names a registered rule, and every snapshot belongs to a failing case.
//!
//! `INSTA_UPDATE=always cargo test --test rules` writes new snapshots (then
//! read them); adding a rule's cases needs no change here.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The date every case is checked as of.
const TODAY: &str = "2026-06-15";

/// What a case's `history.sh` runs after: a fresh repository on `main` in
/// the sandbox (the case's other files already copied in), with
/// `commit MESSAGE DATE` (stage everything, commit at that date) and
/// `commits DEBT FEATURE [MONTH]` (that many `fix:` and `feat:` commits, the
/// i-th of each on day 5 + 3i counted from MONTH of 2026, default January).
const PRELUDE: &str = r#"set -euo pipefail
git init -q -b main .
commit() {
  git add -A
  GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 git commit -q --allow-empty -m "$1"
}
commits() {
  local debt=$1 feature=$2 month=${3:-1} i d date
  mkdir -p src
  for ((i = 0; i < (debt > feature ? debt : feature); i++)); do
    d=$((4 + 3 * i))
    date=$(printf '2026-%02d-%02dT10:00:00Z' $((month + d / 28)) $((1 + d % 28)))
    if ((i < debt)); then echo "// fix $i" > src/lib.rs; commit "fix: bug $i" "$date"; fi
    if ((i < feature)); then echo "// feature $i" > src/app.rs; commit "feat(app): feature $i" "$date"; fi
  done
}
"#;

/// Whether a case shows its rule holding or breaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Pass,
    Fail,
}

/// One case folder.
struct Case {
    rule: String,
    expect: Expect,
    name: String,
    dir: PathBuf,
}

impl Case {
    /// `rule/pass/name`, for messages.
    fn label(&self) -> String {
        let kind = match self.expect {
            Expect::Pass => "pass",
            Expect::Fail => "fail",
        };
        format!("{}/{kind}/{}", self.rule, self.name)
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// The sorted names of the folders in `dir`.
fn folders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().expect("file type").is_dir())
        .map(|e| e.file_name().into_string().expect("UTF-8 name"))
        .collect();
    names.sort();
    names
}

/// Every case under `fixtures/rules/`, in order. A rule folder holds only
/// `pass/` and `fail/`.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for rule in folders(&root()) {
        for kind in folders(&root().join(&rule)) {
            let expect = match kind.as_str() {
                "pass" => Expect::Pass,
                "fail" => Expect::Fail,
                other => {
                    panic!("fixtures/rules/{rule}/{other}: a rule folder holds pass/ and fail/")
                }
            };
            for name in folders(&root().join(&rule).join(&kind)) {
                let dir = root().join(&rule).join(&kind).join(&name);
                cases.push(Case {
                    rule: rule.clone(),
                    expect,
                    name,
                    dir,
                });
            }
        }
    }
    cases
}

/// Copy `from` into `to`, leaving out the history script.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("case folder") {
        let entry = entry.expect("entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&dst).expect("mkdir");
            copy_tree(&src, &dst);
        } else if entry.file_name() != "history.sh" {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// The case laid out in a fresh sandbox, its history built when it has one.
fn sandbox(case: &Case) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&case.dir, dir.path());
    let script = case.dir.join("history.sh");
    if script.is_file() {
        let mut cmd = std::process::Command::new("bash");
        common::clean_env(&mut cmd)
            .current_dir(dir.path())
            .arg("-c")
            .arg(format!("{PRELUDE}\n. \"$1\""))
            .arg("history.sh")
            .arg(&script);
        let out = cmd.output().expect("bash runs");
        assert!(
            out.status.success(),
            "{}: history.sh failed: {}",
            case.label(),
            common::text(&out)
        );
    }
    dir
}

/// `roadlint check` on the sandbox in `format`; without history unless the
/// case built one.
fn check(case: &Case, dir: &Path, format: &str) -> std::process::Output {
    let history = case.dir.join("history.sh").is_file();
    common::roadlint()
        .current_dir(dir)
        .args(["check", "--quiet", "--no-cache", "--today", TODAY])
        .args(["--format", format])
        .args((!history).then_some("--no-history"))
        .env("COLUMNS", "100")
        .output()
}

/// The rule of every diagnostic in a JSON output.
fn rules_reported(out: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}", common::text(out)));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// The snapshot's name: rule and case.
fn snapshot_name(case: &Case) -> String {
    format!("{}@{}", case.rule, case.name)
}

/// Run one case; Err says what is wrong with it.
fn run(case: &Case) -> Result<(), String> {
    let dir = sandbox(case);
    let json = check(case, dir.path(), "json");
    let code = common::code(&json);
    if code == 2 {
        return Err(format!("exit 2: {}", common::text(&json)));
    }
    let reported = rules_reported(&json);
    let fired = reported.iter().filter(|r| **r == case.rule).count();
    match case.expect {
        Expect::Pass if fired > 0 => {
            return Err(format!("{fired} diagnostic(s) of its rule: {reported:?}"))
        }
        Expect::Fail if fired == 0 => {
            return Err(format!("no diagnostic of its rule, only {reported:?}"))
        }
        Expect::Pass => return Ok(()),
        Expect::Fail => {}
    }
    let human = check(case, dir.path(), "human");
    if !human.stderr.is_empty() {
        return Err(format!(
            "stderr: {}",
            String::from_utf8_lossy(&human.stderr)
        ));
    }
    let printed = String::from_utf8(human.stdout).map_err(|e| format!("stdout: {e}"))?;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/rules");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("roadlint check on fixtures/rules/{}", case.label()));
    settings.bind(|| {
        std::panic::catch_unwind(|| insta::assert_snapshot!(snapshot_name(case), printed))
            .map_err(|_| "the output differs from its snapshot (see above)".to_string())
    })
}

#[test]
fn every_case_holds_and_every_failing_case_matches_its_snapshot() {
    let cases = cases();
    assert!(!cases.is_empty(), "no case under fixtures/rules");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run(c).err().map(|e| format!("{}: {e}", c.label())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_registered_rule_has_a_failing_case_and_every_folder_a_rule() {
    let cases = cases();
    let failing: BTreeSet<&str> = cases
        .iter()
        .filter(|c| c.expect == Expect::Fail)
        .map(|c| c.rule.as_str())
        .collect();
    let missing: Vec<&str> = roadlint::rules::registry()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !failing.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules with no failing case: {missing:?}"
    );
    for rule in folders(&root()) {
        assert!(
            roadlint::rules::find(&rule).is_some(),
            "fixtures/rules/{rule} names no registered rule"
        );
    }
}

#[test]
fn every_snapshot_belongs_to_a_failing_case() {
    let names: BTreeSet<String> = cases()
        .iter()
        .filter(|c| c.expect == Expect::Fail)
        .map(|c| format!("{}.snap", snapshot_name(c)))
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/rules");
    for entry in std::fs::read_dir(&dir).expect("tests/snapshots/rules") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("UTF-8");
        if name.ends_with(".snap") {
            assert!(
                names.contains(&name),
                "tests/snapshots/rules/{name} has no case"
            );
        }
    }
}
