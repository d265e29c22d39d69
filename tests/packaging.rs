//! Proofs that roadlint installs without a compiler: the wheel that
//! `packaging/build-wheel` makes installs a working `roadlint` into a fresh
//! virtual environment with no cargo on PATH, the pre-commit hooks install
//! from it offline in seconds, the GitHub Action's script reports and
//! propagates exit codes as a runner needs, and the cargo-binstall template
//! names exactly the archives the release workflow makes.
//!
//! A test that needs an external tool (maturin, pre-commit, python3) skips when
//! the tool is missing, unless `ROADLINT_REQUIRE_EXTERNAL=1` (as in `.ci/run`),
//! where it fails instead (see `common::tool`).

mod common;

use common::{clean_env, code, text, tool, Repo, GOOD_QUARTER, KPIS};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn toml_file(rel: &str) -> toml::Table {
    read(rel)
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `value` at a dotted path of a TOML table, as a string.
fn toml_str<'a>(table: &'a toml::Table, path: &str) -> &'a str {
    let mut keys = path.split('.');
    let first = keys.next().expect("a key");
    let mut v = table.get(first);
    for k in keys {
        v = v.and_then(|x| x.get(k));
    }
    v.and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("no string at {path}"))
}

/// Run a command, panicking when it cannot start.
fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("{cmd:?} did not start: {e}"))
}

/// PATH without any directory that holds `cargo` or `rustc`: what a machine
/// without a Rust toolchain has.
fn path_without_cargo() -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| !d.join("cargo").exists() && !d.join("rustc").exists())
        .collect();
    std::env::join_paths(kept).expect("PATH joins")
}

/// A committed repository whose roadmap passes every rule.
fn good_repo() -> Repo {
    let r = Repo::init();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS)
        .write("roadlint.toml", "[rules]\nkpi-link = \"warn\"\n");
    r.commit("feat: plan", "2026-01-05T10:00:00Z");
    r
}

/// A committed repository whose roadmap breaks `dual-ownership` (an item
/// owned by one person on both sides).
fn bad_repo() -> Repo {
    let r = Repo::init();
    r.write(
        "roadmap/2026-Q1.toml",
        &GOOD_QUARTER.replace("tech_owner = \"sam\"", "tech_owner = \"dana\""),
    )
    .write("roadmap/kpis.toml", KPIS);
    r.commit("feat: plan", "2026-01-05T10:00:00Z");
    r
}

// ---------------------------------------------------------------------------
// Versions and configuration files

#[test]
fn the_placeholder_pins_the_cargo_version() {
    let cargo = toml_file("Cargo.toml");
    assert_eq!(toml_str(&cargo, "package.version"), VERSION);

    let placeholder = toml_file("pyproject.toml");
    let deps = placeholder["project"]["dependencies"]
        .as_array()
        .expect("project.dependencies");
    let deps: Vec<&str> = deps.iter().filter_map(toml::Value::as_str).collect();
    assert_eq!(
        deps,
        [format!("roadlint=={VERSION}")],
        "pyproject.toml must pin the roadlint wheel to Cargo.toml's version"
    );
    // Building the placeholder needs nothing from an index (offline installs).
    let build = &placeholder["build-system"];
    assert_eq!(build["requires"].as_array().map(Vec::len), Some(0));
    let backend = build["build-backend"].as_str().unwrap();
    let backend_dir = build["backend-path"][0].as_str().unwrap();
    assert!(root()
        .join(backend_dir)
        .join(format!("{backend}.py"))
        .is_file());

    // The real wheel: maturin, a binary, the version read from Cargo.toml.
    let wheel = toml_file("packaging/wheel/pyproject.toml");
    assert_eq!(toml_str(&wheel, "project.name"), "roadlint");
    assert_eq!(toml_str(&wheel, "tool.maturin.bindings"), "bin");
    assert!(wheel["project"].get("version").is_none());
    assert_eq!(
        wheel["project"]["dynamic"].as_array().unwrap()[0].as_str(),
        Some("version")
    );
    assert_eq!(
        root()
            .join("packaging/wheel")
            .join(toml_str(&wheel, "tool.maturin.manifest-path"))
            .canonicalize()
            .unwrap(),
        root().join("Cargo.toml").canonicalize().unwrap()
    );
}

#[test]
fn the_release_profile_is_stripped_without_debug_data() {
    let cargo = toml_file("Cargo.toml");
    let release = &cargo["profile"]["release"];
    assert_eq!(release["strip"].as_bool(), Some(true));
    assert_eq!(release["debug"].as_bool(), Some(false));
}

/// `rust-version` is true of the locked dependency tree: no dependency
/// declares a newer one. (roadlint's own use of the standard library is
/// checked by clippy's `incompatible_msrv` lint, which reads the same field.)
#[test]
fn rust_version_covers_every_locked_dependency() {
    let cargo = toml_file("Cargo.toml");
    let ours = toml_str(&cargo, "package.rust-version");
    // "1.89" and "1.89.0" are the same version.
    let parse = |v: &str| -> [u32; 3] {
        let mut parts = v.split('.').map(|n| n.parse::<u32>().unwrap());
        [0; 3].map(|_| parts.next().unwrap_or(0))
    };
    let out = run(Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(root()));
    assert_eq!(code(&out), 0, "{}", text(&out));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let resolved: Vec<&str> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    let newer: Vec<String> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| resolved.contains(&p["id"].as_str().unwrap()))
        .filter_map(|p| {
            let theirs = p["rust_version"].as_str()?;
            (parse(theirs) > parse(ours))
                .then(|| format!("{} {} needs {theirs}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "rust-version {ours} is too old: {newer:#?}"
    );
}

#[test]
fn the_release_tag_must_equal_the_cargo_version() {
    let script = root().join("packaging/check-version");
    let ok = run(Command::new("bash").arg(&script).arg(format!("v{VERSION}")));
    assert_eq!(code(&ok), 0, "{}", text(&ok));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), VERSION);
    let bad = run(Command::new("bash").arg(&script).arg("v999.0.0"));
    assert_eq!(code(&bad), 1, "{}", text(&bad));
    assert!(text(&bad).contains(&format!("expected v{VERSION}")));
}

/// The hooks of `.pre-commit-hooks.yaml` as `id -> {key -> value}` (one
/// `key: value` per line, as the file is written).
fn hooks() -> BTreeMap<String, BTreeMap<String, String>> {
    let mut hooks = BTreeMap::new();
    let mut current: Option<(String, BTreeMap<String, String>)> = None;
    for line in read(".pre-commit-hooks.yaml").lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(id) = line.strip_prefix("- id:") {
            if let Some((id, keys)) = current.take() {
                hooks.insert(id, keys);
            }
            current = Some((id.trim().to_string(), BTreeMap::new()));
        } else if let (Some((_, keys)), Some((k, v))) = (current.as_mut(), line.split_once(':')) {
            keys.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    if let Some((id, keys)) = current {
        hooks.insert(id, keys);
    }
    hooks
}

#[test]
fn every_hook_comes_prebuilt_and_from_source() {
    let hooks = hooks();
    assert_eq!(hooks.len(), 6, "{hooks:#?}");
    for id in ["roadlint", "roadlint-commit-msg", "roadlint-history"] {
        let bin = &hooks[id];
        let src = &hooks[&format!("{id}-src")];
        assert_eq!(bin["language"], "python", "{id}");
        assert_eq!(src["language"], "rust", "{id}-src");
        for key in ["entry", "stages", "files", "pass_filenames", "always_run"] {
            assert_eq!(
                bin.get(key),
                src.get(key),
                "{id} and {id}-src differ on {key}"
            );
        }
    }
    assert_eq!(
        hooks["roadlint"]["entry"], "roadlint check --staged --no-history",
        "the pre-commit stage judges the staged plan, never old history"
    );
    assert_eq!(hooks["roadlint-history"]["entry"], "roadlint check");
    assert_eq!(hooks["roadlint"]["stages"], "[pre-commit]");
    assert_eq!(hooks["roadlint-commit-msg"]["entry"], "roadlint commit-msg");
    assert_eq!(hooks["roadlint-commit-msg"]["stages"], "[commit-msg]");
    assert_eq!(hooks["roadlint-history"]["stages"], "[pre-push, manual]");
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn the_roadlint_hook_fires_for_any_toml_file() {
    let Some(python) = tool("python3") else {
        return;
    };
    let hooks = hooks();
    let files = hooks["roadlint"]["files"].trim_matches('\'').to_string();
    // pre-commit matches `files` with Python's re.search on the staged paths.
    let probe = "import re, sys\n\
                 pattern = re.compile(sys.argv[1])\n\
                 for path in sys.argv[2:]:\n    print(path, bool(pattern.search(path)))\n";
    let paths = [
        ("roadmap/2026-Q1.toml", true),
        ("plans/q1.toml", true),
        ("roadlint.toml", true),
        ("sub/dir/roadlint.toml", true),
        ("2026-Q1.toml", true),
        ("src/main.rs", false),
        ("README.md", false),
        ("roadmap/notes.toml.bak", false),
    ];
    let out = run(Command::new(python)
        .args(["-c", probe, &files])
        .args(paths.iter().map(|(p, _)| p)));
    assert_eq!(code(&out), 0, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for ((path, expect), line) in paths.iter().zip(stdout.lines()) {
        assert_eq!(
            line,
            format!("{path} {}", if *expect { "True" } else { "False" })
        );
    }
}

// ---------------------------------------------------------------------------
// cargo-binstall and the release workflow

/// The build matrix of the release workflow: one `- { key: value, ... }` line
/// per entry.
fn release_matrix() -> Vec<BTreeMap<String, String>> {
    let workflow = read(".github/workflows/release.yml");
    workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- {"))
        .map(|l| {
            l.trim_end()
                .trim_end_matches('}')
                .split(',')
                .filter_map(|kv| kv.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
                .collect()
        })
        .collect()
}

/// Expand a cargo-binstall template (`{ key }` placeholders).
fn expand(template: &str, vars: &BTreeMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closing brace") + start;
        let key = rest[start + 1..end].trim();
        out.push_str(
            vars.get(key)
                .unwrap_or_else(|| panic!("unknown placeholder {key} in {template}")),
        );
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn binstall_names_the_archives_the_release_workflow_makes() {
    let Some(python) = tool("python3") else {
        return;
    };
    let cargo = toml_file("Cargo.toml");
    let repo = toml_str(&cargo, "package.repository");
    let binstall = cargo["package"]["metadata"]["binstall"]
        .as_table()
        .expect("[package.metadata.binstall]");
    let pkg_url = binstall["pkg-url"].as_str().unwrap();
    let bin_dir = binstall["bin-dir"].as_str().unwrap();

    let workflow = read(".github/workflows/release.yml");
    // The workflow archives with packaging/archive and releases under `v<version>`.
    assert!(workflow.contains(r#"packaging/archive "$bin" "${{ matrix.target }}""#));
    assert!(workflow.contains("tag_name: v${{ needs.version.outputs.version }}"));
    assert!(workflow.contains("tags: [\"v*\"]"));

    let matrix = release_matrix();
    let targets: Vec<&str> = matrix.iter().map(|e| e["target"].as_str()).collect();
    for wanted in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            targets.contains(&wanted),
            "{wanted} missing from {targets:?}"
        );
    }

    let work = tempfile::tempdir().unwrap();
    for target in targets {
        let windows = target.contains("windows");
        let fmt = binstall
            .get("overrides")
            .and_then(|o| o.get(target))
            .and_then(|o| o.get("pkg-fmt"))
            .or_else(|| binstall.get("pkg-fmt"))
            .and_then(toml::Value::as_str)
            .unwrap();
        let suffix = match fmt {
            "tgz" => ".tar.gz",
            "zip" => ".zip",
            other => panic!("unexpected pkg-fmt {other}"),
        };
        let exe = if windows { ".exe" } else { "" };
        let vars: BTreeMap<&str, String> = [
            ("repo", repo.to_string()),
            ("name", "roadlint".to_string()),
            ("version", VERSION.to_string()),
            ("target", target.to_string()),
            ("archive-suffix", suffix.to_string()),
            ("archive-format", fmt.to_string()),
            ("binary-ext", exe.to_string()),
            ("bin", "roadlint".to_string()),
        ]
        .into_iter()
        .collect();
        let url = expand(pkg_url, &vars);
        let (release, file) = url.rsplit_once('/').unwrap();
        assert_eq!(release, format!("{repo}/releases/download/v{VERSION}"));

        // What the workflow makes for this target.
        let binary = work.path().join(format!("roadlint{exe}"));
        std::fs::write(&binary, format!("binary for {target}")).unwrap();
        let out_dir = work.path().join(target);
        let out = run(Command::new("bash")
            .arg(root().join("packaging/archive"))
            .arg(&binary)
            .arg(target)
            .arg(&out_dir));
        assert_eq!(code(&out), 0, "{}", text(&out));
        let made = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        assert_eq!(
            made.file_name().unwrap().to_str().unwrap(),
            file,
            "{target}: binstall would download {url}"
        );

        // The binary is where bin-dir says.
        let listing = if windows {
            run(Command::new(&python)
                .args(["-m", "zipfile", "-l"])
                .arg(&made))
        } else {
            run(Command::new("tar").arg("-tzf").arg(&made))
        };
        assert_eq!(code(&listing), 0, "{}", text(&listing));
        let in_archive = expand(bin_dir, &vars);
        assert!(
            String::from_utf8_lossy(&listing.stdout).contains(&in_archive),
            "{target}: {in_archive} not in {}",
            text(&listing)
        );
    }
}

// ---------------------------------------------------------------------------
// The GitHub Action's script

/// A runner's environment for `packaging/action.sh`, in `dir`.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for f in ["output", "summary", "path"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("temp")).unwrap();
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        Runner { dir }
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// Run the action script in `workspace` with `inputs` (INPUT_* variables)
    /// and `path` as PATH.
    fn run(&self, workspace: &Path, inputs: &[(&str, &str)], path: &OsString) -> Output {
        let mut cmd = Command::new("bash");
        clean_env(&mut cmd)
            .arg(root().join("packaging/action.sh"))
            .current_dir(workspace)
            .env("PATH", path)
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_OUTPUT", self.dir.path().join("output"))
            .env("GITHUB_STEP_SUMMARY", self.dir.path().join("summary"))
            .env("GITHUB_PATH", self.dir.path().join("path"))
            .env("RUNNER_TEMP", self.dir.path().join("temp"));
        for (k, v) in inputs {
            cmd.env(format!("INPUT_{}", k.to_uppercase()), v);
        }
        let out = assert_cmd::Command::from_std(cmd)
            .timeout(Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some(),
            "action.sh hung: {}",
            text(&out)
        );
        out
    }

    /// `bin/` (where a roadlint may be put) in front of the test's PATH.
    fn path(&self) -> OsString {
        let mut dirs = vec![self.dir.path().join("bin")];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).unwrap()
    }
}

/// A fake roadlint: logs its arguments, prints something per format and exits
/// with the code in the file `exit` beside it.
const FAKE_ROADLINT: &str = r#"#!/usr/bin/env bash
here=$(dirname "$0")
echo "$*" >>"$here/calls"
if [ "$1" = --version ]; then echo "roadlint @VERSION@"; exit 0; fi
format=
while [ $# -gt 0 ]; do
  if [ "$1" = --format ]; then format=$2; fi
  shift
done
case $format in
  human) echo "fake human report" ;;
  github) echo "::error file=roadmap/2026-Q1.toml,line=1::fake annotation" ;;
  sarif) echo '{"version": "2.1.0", "runs": []}' ;;
esac
exit "$(cat "$here/exit")"
"#;

#[test]
fn the_action_script_reports_and_propagates_the_exit_code() {
    let runner = Runner::new();
    let bin = runner.dir.path().join("bin");
    let fake = bin.join("roadlint");
    std::fs::write(&fake, FAKE_ROADLINT.replace("@VERSION@", VERSION)).unwrap();
    common::make_executable(&fake);
    let workspace = tempfile::tempdir().unwrap();

    for exit in [0, 1, 2] {
        std::fs::write(bin.join("exit"), exit.to_string()).unwrap();
        for f in ["output", "summary"] {
            std::fs::write(runner.dir.path().join(f), "").unwrap();
        }
        std::fs::write(bin.join("calls"), "").unwrap();
        let sarif = format!("reports/roadlint-{exit}.sarif");
        let out = runner.run(
            workspace.path(),
            &[
                ("sarif", &sarif),
                ("args", "--deny-warnings\n --since  2026-01-01"),
            ],
            &runner.path(),
        );
        let t = text(&out);
        assert_eq!(code(&out), exit, "the step's exit code is roadlint's: {t}");
        assert!(
            t.contains(&format!("roadlint {VERSION} is already installed")),
            "{t}"
        );
        assert!(
            t.contains("fake human report"),
            "the full report is in the log: {t}"
        );
        assert!(
            t.contains("::error file=roadmap/2026-Q1.toml"),
            "annotations: {t}"
        );
        let written = std::fs::read_to_string(workspace.path().join(&sarif))
            .expect("SARIF written whatever the exit code");
        assert!(written.contains("2.1.0"));
        let output = runner.file("output");
        assert!(output.contains(&format!("exit-code={exit}\n")), "{output}");
        assert!(output.contains(&format!("sarif={sarif}\n")), "{output}");
        let summary = runner.file("summary");
        assert!(summary.contains("fake human report"), "{summary}");
        assert!(
            summary.contains(&format!("roadlint {VERSION}")),
            "{summary}"
        );
        let calls = std::fs::read_to_string(bin.join("calls")).unwrap();
        for format in ["human --color never", "github", "sarif"] {
            assert!(
                calls.contains(&format!(
                    "check --format {format} --deny-warnings --since 2026-01-01\n"
                )),
                "{calls}"
            );
        }
    }

    // Without a SARIF input no file is written.
    std::fs::write(bin.join("exit"), "0").unwrap();
    std::fs::write(bin.join("calls"), "").unwrap();
    std::fs::write(runner.dir.path().join("output"), "").unwrap();
    let out = runner.run(workspace.path(), &[], &runner.path());
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(runner.file("output").contains("sarif=\n"));
    let calls = std::fs::read_to_string(bin.join("calls")).unwrap();
    assert!(calls.lines().all(|l| !l.contains("sarif")), "{calls}");
}

#[test]
fn the_action_script_with_the_real_roadlint_writes_sarif_even_on_failure() {
    let runner = Runner::new();
    let link = runner.dir.path().join("bin/roadlint");
    std::os::unix::fs::symlink(common::bin(), &link).unwrap();

    // Error-level diagnostics: exit 1, annotations and SARIF results.
    let bad = bad_repo();
    let out = runner.run(bad.path(), &[("sarif", "roadlint.sarif")], &runner.path());
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("::error file=roadmap/2026-Q1.toml"), "{t}");
    assert!(t.contains("dual-ownership"), "{t}");
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bad.path().join("roadlint.sarif")).unwrap()).unwrap();
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ruleId"] == "dual-ownership"));

    // roadlint cannot do its job (a bad roadlint.toml): exit 2, and the SARIF
    // says so.
    let empty = good_repo();
    empty.write("roadlint.toml", "[rules]\nno-such-rule = \"error\"\n");
    let out = runner.run(
        empty.path(),
        &[("sarif", "out/roadlint.sarif")],
        &runner.path(),
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(empty.path().join("out/roadlint.sarif")).unwrap())
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert!(runner.file("output").contains("exit-code=2\n"));

    // A clean roadmap passes.
    let good = good_repo();
    let out = runner.run(good.path(), &[], &runner.path());
    assert_eq!(code(&out), 0, "{}", text(&out));
}

/// Before a release, no index has a wheel of this version: the action then
/// builds roadlint from its own checkout (`GITHUB_ACTION_PATH`) and runs it.
/// Here the index is empty (`PIP_NO_INDEX`, no links), so maturin cannot be
/// installed either and the action takes its last way, `cargo install
/// --path`, in this run's target directory (the release build is shared with
/// the wheel test's).
#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn the_action_builds_from_its_checkout_when_no_wheel_is_published() {
    if tool("python3").is_none() {
        return;
    }
    let runner = Runner::new();
    let empty_index = runner.dir.path().join("no-wheels");
    std::fs::create_dir(&empty_index).unwrap();
    let mut path: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    path.retain(|d| !d.join("roadlint").exists());
    let bad = bad_repo();
    let mut cmd = Command::new("bash");
    clean_env(&mut cmd)
        .arg(root().join("packaging/action.sh"))
        .current_dir(bad.path())
        .env("PATH", std::env::join_paths(path).unwrap())
        .envs(common::toolchain_env())
        .env("CARGO_TARGET_DIR", common::target_dir())
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", &empty_index)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_WORKSPACE", bad.path())
        .env("GITHUB_OUTPUT", runner.dir.path().join("output"))
        .env("GITHUB_STEP_SUMMARY", runner.dir.path().join("summary"))
        .env("GITHUB_PATH", runner.dir.path().join("path"))
        .env("RUNNER_TEMP", runner.dir.path().join("temp"));
    let started = Instant::now();
    let out = assert_cmd::Command::from_std(cmd)
        .timeout(Duration::from_secs(40 * 60))
        .output()
        .unwrap();
    let t = text(&out);
    eprintln!("the action built roadlint in {:.1?}", started.elapsed());
    assert!(
        t.contains(&format!(
            "roadlint {VERSION} has no published wheel: building it from the action's checkout"
        )),
        "{t}"
    );
    assert!(t.contains(&format!("installed roadlint {VERSION}")), "{t}");
    assert_eq!(code(&out), 1, "the bad roadmap fails the step: {t}");
    assert!(t.contains("dual-ownership"), "{t}");
    let added = runner.file("path");
    assert!(
        Path::new(added.trim()).join("roadlint").is_file(),
        "GITHUB_PATH gets the built roadlint: {added}"
    );
    assert!(runner.file("output").contains("exit-code=1\n"));
}

// ---------------------------------------------------------------------------
// The wheel, end to end

/// Run pre-commit offline: pip may only use the wheels in `wheels`.
fn pre_commit_offline(
    exe: &Path,
    repo: &Path,
    home: &Path,
    wheels: &Path,
    args: &[&str],
) -> Output {
    let mut cmd = Command::new(exe);
    clean_env(&mut cmd)
        .current_dir(repo)
        .args(args)
        .env("PATH", path_without_cargo())
        .env("HOME", home)
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        .env("PIP_FIND_LINKS", wheels)
        .env("PIP_NO_INDEX", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("VIRTUALENV_NO_PERIODIC_UPDATE", "1");
    run(&mut cmd)
}

#[test]
#[cfg_attr(
    any(missing_maturin, missing_python3, missing_pre_commit),
    ignore = "needs maturin, python3 and pre-commit (pip install maturin pre-commit)"
)]
fn the_wheel_installs_and_runs_without_a_rust_toolchain() {
    let (Some(maturin), Some(python), Some(pre_commit)) =
        (tool("maturin"), tool("python3"), tool("pre-commit"))
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let wheels = work.path().join("wheels");

    // Build with the caller's environment: the same target directory, release
    // profile and PATH (build.rs reruns when PATH changes) as `cargo run
    // --release`, which then reuses the binary. maturin's folder joins PATH
    // only when it is not there yet.
    let started = Instant::now();
    let mut build = Command::new("bash");
    build.arg(root().join("packaging/build-wheel")).arg(&wheels);
    let path = std::env::var_os("PATH").unwrap_or_default();
    let maturin_dir = maturin.parent().unwrap().to_path_buf();
    if !std::env::split_paths(&path).any(|d| d == maturin_dir) {
        let mut dirs = vec![maturin_dir];
        dirs.extend(std::env::split_paths(&path));
        build.env("PATH", std::env::join_paths(dirs).unwrap());
    }
    let out = run(&mut build);
    assert_eq!(code(&out), 0, "build-wheel failed: {}", text(&out));
    eprintln!("wheel built in {:.1?}", started.elapsed());
    let wheel: Vec<PathBuf> = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    assert_eq!(wheel.len(), 1, "{wheel:?}");
    let name = wheel[0].file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with(&format!("roadlint-{VERSION}-py3-none-")),
        "{name}"
    );
    eprintln!(
        "{name}: {} bytes",
        std::fs::metadata(&wheel[0]).unwrap().len()
    );

    // A fresh virtual environment, no cargo on PATH, no index.
    let venv = work.path().join("venv");
    let out = run(Command::new(&python).arg("-m").arg("venv").arg(&venv));
    assert_eq!(code(&out), 0, "{}", text(&out));
    let vbin = venv.join("bin");
    let started = Instant::now();
    let out = run(Command::new(vbin.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg("--find-links")
        .arg(&wheels)
        .arg("roadlint")
        .env("PATH", path_without_cargo()));
    assert_eq!(code(&out), 0, "pip install: {}", text(&out));
    eprintln!("pip install of the wheel: {:.1?}", started.elapsed());

    let mut path = vec![vbin.clone()];
    path.extend(std::env::split_paths(&path_without_cargo()));
    let path = std::env::join_paths(path).unwrap();
    let roadlint = |dir: &Path, args: &[&str]| {
        let mut cmd = Command::new("roadlint");
        clean_env(&mut cmd)
            .current_dir(dir)
            .args(args)
            .env("PATH", &path);
        run(&mut cmd)
    };
    let dir = tempfile::tempdir().unwrap();
    let out = roadlint(dir.path(), &["--version"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("roadlint {VERSION}")
    );
    let good = good_repo();
    let out = roadlint(good.path(), &["check"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let bad = bad_repo();
    let out = roadlint(bad.path(), &["check"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("dual-ownership"), "{}", text(&out));

    // The pre-commit hook, as a user installs it: the default (binary) id,
    // offline, from a clone of the committed tree (try-repo uses HEAD).
    let home = work.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let snapshot = work.path().join("roadlint");
    let status = Command::new("git")
        .args(["clone", "-q", "--no-hardlinks"])
        .arg(root())
        .arg(&snapshot)
        .status()
        .unwrap();
    assert!(status.success());
    let this_repo = snapshot.to_str().unwrap();
    let started = Instant::now();
    let out = pre_commit_offline(
        &pre_commit,
        good.path(),
        &home,
        &wheels,
        &["try-repo", this_repo, "roadlint", "--all-files"],
    );
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "a clean roadmap passes: {}",
        text(&out)
    );
    eprintln!("pre-commit try-repo roadlint (install + run, from the wheel): {took:.1?}");
    let out = pre_commit_offline(
        &pre_commit,
        bad.path(),
        &home,
        &wheels,
        &["try-repo", this_repo, "roadlint", "--all-files"],
    );
    let t = text(&out);
    assert!(!out.status.success(), "the hook must fail: {t}");
    assert!(t.contains("dual-ownership"), "the diagnostic is shown: {t}");

    // The commit-msg hook from the wheel: an unsigned change to a locked
    // quarter's scope is refused, a signed one passes.
    let locked = common::staged_locked_change();
    let msg = locked.path().join("MSG");
    let args = [
        "try-repo",
        this_repo,
        "roadlint-commit-msg",
        "--hook-stage",
        "commit-msg",
        "--commit-msg-filename",
        "MSG",
    ];
    std::fs::write(&msg, "feat: grow checkout\n").unwrap();
    let out = pre_commit_offline(&pre_commit, locked.path(), &home, &wheels, &args);
    assert!(!out.status.success(), "unsigned: {}", text(&out));
    assert!(text(&out).contains("Product-Approved-By"), "{}", text(&out));
    std::fs::write(
        &msg,
        "feat: grow checkout\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n",
    )
    .unwrap();
    let out = pre_commit_offline(&pre_commit, locked.path(), &home, &wheels, &args);
    assert!(out.status.success(), "signed: {}", text(&out));

    // The GitHub Action installs the wheel itself when roadlint is not on PATH.
    let runner = Runner::new();
    let mut cmd_path = std::env::split_paths(&path_without_cargo()).collect::<Vec<_>>();
    cmd_path.retain(|d| !d.join("roadlint").exists());
    let cmd_path = std::env::join_paths(cmd_path).unwrap();
    let out = {
        let mut cmd = Command::new("bash");
        clean_env(&mut cmd)
            .arg(root().join("packaging/action.sh"))
            .current_dir(bad.path())
            .env("PATH", &cmd_path)
            .env("PIP_FIND_LINKS", &wheels)
            .env("PIP_NO_INDEX", "1")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", bad.path())
            .env("GITHUB_OUTPUT", runner.dir.path().join("output"))
            .env("GITHUB_STEP_SUMMARY", runner.dir.path().join("summary"))
            .env("GITHUB_PATH", runner.dir.path().join("path"))
            .env("RUNNER_TEMP", runner.dir.path().join("temp"))
            .env("INPUT_VERSION", VERSION)
            .env("INPUT_SARIF", "roadlint.sarif");
        run(&mut cmd)
    };
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains(&format!("installed roadlint {VERSION}")), "{t}");
    assert!(bad.path().join("roadlint.sarif").is_file());
    let added = runner.file("path");
    assert!(
        Path::new(added.trim()).join("roadlint").is_file(),
        "GITHUB_PATH gets the venv: {added}"
    );
}

// ---------------------------------------------------------------------------
// The release workflow's wheel build

/// The `run:` script of the build job's step named `name` in the release
/// workflow, dedented.
fn release_step_script(name: &str) -> String {
    let workflow = read(".github/workflows/release.yml");
    let lines: Vec<&str> = workflow.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step `{name}` in release.yml"));
    let run = (start + 1..lines.len())
        .find(|&i| lines[i].trim() == "run: |")
        .unwrap_or_else(|| panic!("step `{name}` has no `run: |`"));
    let indent = |l: &str| l.len() - l.trim_start().len();
    let base = indent(lines[run]);
    let body: Vec<&str> = lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > base)
        .copied()
        .collect();
    let strip = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    body.iter()
        .map(|l| format!("{}\n", l.get(strip..).unwrap_or("")))
        .collect()
}

/// The policy `auditwheel show` finds a wheel consistent with.
fn auditwheel_policy(auditwheel: &Path, wheel: &Path) -> String {
    let out = run(Command::new(auditwheel).arg("show").arg(wheel));
    let t = text(&out);
    assert_eq!(code(&out), 0, "auditwheel show: {t}");
    let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let marker = "is consistent with the following platform tag: \"";
    let at = flat
        .find(marker)
        .unwrap_or_else(|| panic!("auditwheel show: {t}"))
        + marker.len();
    flat[at..].split('"').next().unwrap_or_default().to_string()
}

/// The release workflow's build step, run here as a runner runs it (in a
/// fresh checkout, the step's own script with the matrix values) for the
/// Linux targets this machine can link: x86_64 glibc and musl. Each makes one
/// wheel that `auditwheel show` finds consistent with manylinux_2_17
/// (manylinux2014) or musllinux_1_2, not the build machine's newer glibc,
/// and whose binary runs.
#[test]
#[cfg_attr(
    any(missing_maturin, missing_python3),
    ignore = "needs maturin, ziglang and auditwheel (pip install maturin ziglang auditwheel)"
)]
fn the_release_build_step_makes_manylinux2014_and_musllinux_wheels() {
    let (Some(maturin), Some(auditwheel), Some(_zig)) =
        (tool("maturin"), tool("auditwheel"), tool("python-zig"))
    else {
        return;
    };
    let script = release_step_script("Build the wheel");
    assert!(script.contains("packaging/release-wheel"), "{script}");
    let matrix = release_matrix();
    let work = tempfile::tempdir().unwrap();
    let checkout = work.path().join("checkout");
    let status = Command::new("git")
        .args(["clone", "-q", "--no-hardlinks"])
        .arg(root())
        .arg(&checkout)
        .status()
        .unwrap();
    assert!(status.success());
    // `python` and the tools from the venv the tests use; pip may not reach
    // an index, so the step's `pip install` is satisfied by what is there.
    let mut path = vec![maturin.parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path = std::env::join_paths(path).unwrap();
    let target_dir = common::bin()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();

    for (target, policy) in [
        ("x86_64-unknown-linux-gnu", "manylinux_2_17"),
        ("x86_64-unknown-linux-musl", "musllinux_1_2"),
    ] {
        let entry = matrix
            .iter()
            .find(|e| e["target"] == target)
            .unwrap_or_else(|| panic!("{target} missing from the release matrix"));
        assert_eq!(entry["platform"], policy, "{target}");
        let step = script
            .replace("${{ matrix.target }}", target)
            .replace("${{ matrix.platform }}", policy);
        let _ = std::fs::remove_dir_all(checkout.join("wheels"));
        let started = Instant::now();
        let mut cmd = Command::new("bash");
        cmd.args(["-euo", "pipefail", "-c", &step])
            .current_dir(&checkout)
            .env("PATH", &path)
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env("PIP_NO_INDEX", "1");
        let out = run(&mut cmd);
        let t = text(&out);
        assert_eq!(code(&out), 0, "the build step for {target}: {t}");
        eprintln!("release build step for {target}: {:.1?}", started.elapsed());
        let wheels: Vec<PathBuf> = std::fs::read_dir(checkout.join("wheels"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(wheels.len(), 1, "{wheels:?}");
        let name = wheels[0].file_name().unwrap().to_str().unwrap();
        // maturin names both spellings of the policy, e.g.
        // `manylinux2014_x86_64.manylinux_2_17_x86_64`.
        assert!(
            name.starts_with(&format!("roadlint-{VERSION}-py3-none-"))
                && name.contains(&format!("{policy}_x86_64")),
            "{name}"
        );
        let found = auditwheel_policy(&auditwheel, &wheels[0]);
        eprintln!("{name}: auditwheel show: {found}");
        assert_eq!(found, format!("{policy}_x86_64"), "{name}");

        // The binary in the wheel runs here (a static musl binary runs on
        // glibc too).
        let unpacked = work.path().join(target);
        let out = run(Command::new(tool("python3").unwrap())
            .args(["-m", "zipfile", "-e"])
            .arg(&wheels[0])
            .arg(&unpacked));
        assert_eq!(code(&out), 0, "{}", text(&out));
        let bin = unpacked
            .join(format!("roadlint-{VERSION}.data"))
            .join("scripts/roadlint");
        common::make_executable(&bin);
        let out = run(Command::new(&bin).arg("--version"));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("roadlint {VERSION}"),
            "{}",
            text(&out)
        );
    }
}
