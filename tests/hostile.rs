//! The hostile-input and fault matrix of SPEC.md §7: one test per case, each
//! pinning the exit code and the diagnostic (or error) text. Every bad input
//! must end in a diagnostic or a clear exit-2 error: never a panic, a hang, a
//! leaked secret or a raw terminal escape.

mod common;

use common::{bin, clean_env, code, require_external, text, Repo, GOOD_QUARTER, KPIS};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Every `check` output format.
const FORMATS: [&str; 6] = ["human", "short", "json", "github", "sarif", "junit"];
/// Every `report` output format.
const REPORT_FORMATS: [&str; 3] = ["table", "json", "html"];

/// Run roadlint in `dir` with extra environment variables and a time limit:
/// a run that does not end in time is a hang and fails the test.
fn run_env(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    common::roadlint_timed(dir, args, envs)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[])
}

/// One diagnostic of `--format json`, flattened for comparison.
#[derive(Debug, Clone, PartialEq)]
struct D {
    rule: String,
    severity: String,
    message: String,
    file: String,
    line: u64,
    column: u64,
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", text(out)))
}

fn diags(out: &Output) -> Vec<D> {
    let v = json(out);
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| D {
            rule: d["rule"].as_str().unwrap_or_default().into(),
            severity: d["severity"].as_str().unwrap_or_default().into(),
            message: d["message"].as_str().unwrap_or_default().into(),
            file: d["file"].as_str().unwrap_or_default().into(),
            line: d["span"]["line"].as_u64().unwrap_or(0),
            column: d["span"]["column"].as_u64().unwrap_or(0),
        })
        .collect()
}

fn d(rule: &str, severity: &str, message: &str, file: &str, line: u64, column: u64) -> D {
    D {
        rule: rule.into(),
        severity: severity.into(),
        message: message.into(),
        file: file.into(),
        line,
        column,
    }
}

/// Lint `file` at `roadmap/2026-Q1.toml` in a plain directory (plan rules only)
/// and return the exit code and the diagnostics of the given rules.
fn lint_one(bytes: &[u8], rules: &[&str]) -> (i32, Vec<D>) {
    let r = Repo::plain();
    r.write_bytes("roadmap/2026-Q1.toml", bytes);
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    let found = diags(&out)
        .into_iter()
        .filter(|d| rules.contains(&d.rule.as_str()))
        .collect();
    (code(&out), found)
}

/// Stdout + stderr as one byte string.
fn all_bytes(out: &Output) -> Vec<u8> {
    let mut b = out.stdout.clone();
    b.extend_from_slice(&out.stderr);
    b
}

/// No terminal control from data: the output is UTF-8, holds no ESC (0x1b),
/// no CSI (U+009B, or a raw 0x9b byte), no BEL and no other control character
/// than newline and tab.
fn assert_no_control(what: &str, out: &Output) {
    let bytes = all_bytes(out);
    assert!(
        !bytes.contains(&0x1b),
        "{what}: raw ESC in output:\n{}",
        text(out)
    );
    let s = std::str::from_utf8(&bytes)
        .unwrap_or_else(|e| panic!("{what}: output is not UTF-8 ({e}): {}", text(out)));
    for c in s.chars() {
        assert!(
            !c.is_control() || c == '\n' || c == '\t',
            "{what}: control character U+{:04X} in output:\n{s}",
            c as u32
        );
    }
}

/// A repository whose plan passes, with commits at pinned dates.
fn planned_repo() -> Repo {
    let r = Repo::init();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    r.commit("feat: plan 2026-Q1", "2026-01-05T10:00:00Z");
    r
}

/// Write a commit object with a hand-made committer line and message (bytes),
/// on top of `parent`, and return its id. Git's own commands refuse odd
/// headers, so the object is written with `hash-object --literally`.
fn craft_commit(r: &Repo, parent: &str, committer_time: &str, message: &[u8]) -> String {
    let tree = r.git(&["rev-parse", &format!("{parent}^{{tree}}")]);
    craft_with_tree(r, tree.trim(), parent, committer_time, message)
}

/// [`craft_commit`] with a given tree.
fn craft_with_tree(
    r: &Repo,
    tree: &str,
    parent: &str,
    committer_time: &str,
    message: &[u8],
) -> String {
    let mut body = format!(
        "tree {tree}\nparent {parent}\nauthor Test <test@example.com> 1767607200 +0000\ncommitter Test <test@example.com> {committer_time}\n\n"
    )
    .into_bytes();
    body.extend_from_slice(message);
    body.push(b'\n');
    let file = r.path().join(".git/crafted-commit");
    std::fs::write(&file, body).expect("write commit");
    let id = r.git(&[
        "hash-object",
        "-t",
        "commit",
        "--literally",
        "-w",
        file.to_str().expect("utf-8 path"),
    ]);
    std::fs::remove_file(&file).expect("cleanup");
    id.trim().to_string()
}

/// Move `main` to `id`.
fn set_main(r: &Repo, id: &str) {
    r.git(&["update-ref", "refs/heads/main", id]);
}

/// Commit counts of `quarter` in `report --format json`.
fn report_counts(v: &Value, quarter: &str) -> Option<(u64, u64, u64)> {
    v["quarters"].as_array()?.iter().find_map(|q| {
        (q["quarter"] == quarter).then(|| {
            let c = &q["commits"];
            (
                c["debt"].as_u64().unwrap_or(0),
                c["feature"].as_u64().unwrap_or(0),
                c["unclassified"].as_u64().unwrap_or(0),
            )
        })
    })
}

// ---------------------------------------------------------------- TOML input

#[test]
fn malformed_toml_is_a_parse_diagnostic_at_the_error() {
    let (c, found) = lint_one(b"quarter = \"2026-Q1\"\ncapacity = \n", &["parse"]);
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: string values must be quoted, expected literal string",
            "roadmap/2026-Q1.toml",
            2,
            12
        )]
    );
}

#[test]
fn duplicate_keys_are_a_parse_diagnostic_at_the_second_key() {
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\nquarter = \"2026-Q2\"\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: duplicate key",
            "roadmap/2026-Q1.toml",
            2,
            1
        )]
    );
}

#[test]
fn february_30_is_an_invalid_date() {
    // toml rejects it while parsing (Feb 2026 has 28 days), so it is `parse`.
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\nlocked = 2026-02-30\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: invalid date, expected day between 01 and 28",
            "roadmap/2026-Q1.toml",
            2,
            10
        )]
    );
}

#[test]
fn month_13_is_an_invalid_date() {
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\nlocked = 2026-13-01\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: invalid date, expected month between 01 and 12",
            "roadmap/2026-Q1.toml",
            2,
            10
        )]
    );
}

#[test]
fn wrong_type_is_a_schema_diagnostic_at_the_value() {
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\ncapacity = \"lots\"\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "schema",
            "error",
            "`capacity` of the file must be a number, found a string",
            "roadmap/2026-Q1.toml",
            2,
            12
        )]
    );
}

#[test]
fn unknown_key_is_a_schema_diagnostic_with_a_suggestion() {
    let r = Repo::plain();
    r.write(
        "roadmap/2026-Q1.toml",
        "quarter = \"2026-Q1\"\ncapacty = 3\n",
    );
    let out = run(r.path(), &["check", "--no-history", "--format", "short"]);
    assert_eq!(code(&out), 1);
    assert!(
        text(&out)
            .contains("roadmap/2026-Q1.toml:2:1: error[schema] unknown key `capacty` in the file"),
        "{}",
        text(&out)
    );
    let human = run(r.path(), &["check", "--no-history"]);
    assert!(
        text(&human).contains("help: did you mean `capacity`?"),
        "{}",
        text(&human)
    );
}

#[test]
fn non_utf8_bytes_point_at_the_first_bad_byte() {
    // Line 3 is `# é` then 0xff: the column counts characters up to the byte.
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\ncapacity = 20\n# \xc3\xa9\xff rest\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid UTF-8 (byte 0xff)",
            "roadmap/2026-Q1.toml",
            3,
            4
        )]
    );
}

#[test]
fn latin1_file_is_reported_not_parsed() {
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\ntitle = \"caf\xe9\"\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid UTF-8 (byte 0xe9)",
            "roadmap/2026-Q1.toml",
            2,
            13
        )]
    );
}

#[test]
fn bom_is_ignored_and_does_not_shift_columns() {
    let mut clean = b"\xef\xbb\xbf".to_vec();
    clean.extend_from_slice(GOOD_QUARTER.as_bytes());
    let r = Repo::plain();
    r.write_bytes("roadmap/2026-Q1.toml", &clean)
        .write("roadmap/kpis.toml", KPIS);
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(diags(&out), []);

    let (c, found) = lint_one(
        b"\xef\xbb\xbfcapacty = 1\nquarter = \"2026-Q1\"\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "schema",
            "error",
            "unknown key `capacty` in the file",
            "roadmap/2026-Q1.toml",
            1,
            1
        )]
    );
    let human = run(r.path(), &["check", "--no-history"]);
    assert!(!String::from_utf8_lossy(&human.stdout).contains('\u{feff}'));
}

#[test]
fn crlf_line_endings_are_accepted() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", &GOOD_QUARTER.replace('\n', "\r\n"))
        .write("roadmap/kpis.toml", &KPIS.replace('\n', "\r\n"));
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));

    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\r\ncapacty = 20\r\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "schema",
            "error",
            "unknown key `capacty` in the file",
            "roadmap/2026-Q1.toml",
            2,
            1
        )]
    );
    r.write(
        "roadmap/2026-Q1.toml",
        "quarter = \"2026-Q1\"\r\ncapacty = 20\r\n",
    );
    let human = run(r.path(), &["check", "--no-history"]);
    assert!(!human.stdout.contains(&b'\r'), "no raw CR is printed");
}

#[test]
fn bare_cr_is_a_parse_diagnostic_and_never_printed_raw() {
    let (c, found) = lint_one(
        b"quarter = \"2026-Q1\"\rcapacty = 20\n",
        &["parse", "schema"],
    );
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: carriage return must be followed by newline, expected newline",
            "roadmap/2026-Q1.toml",
            1,
            21
        )]
    );
    let r = Repo::plain();
    r.write(
        "roadmap/2026-Q1.toml",
        "quarter = \"2026-Q1\"\rcapacty = 20\n",
    );
    for f in FORMATS {
        let out = run(r.path(), &["check", "--no-history", "--format", f]);
        assert_eq!(code(&out), 1, "{f}");
        assert_no_control(f, &out);
    }
}

#[test]
fn a_hundred_thousand_nested_arrays_stop_at_the_depth_limit() {
    let text = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let (c, found) = lint_one(text.as_bytes(), &["parse", "schema"]);
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: cannot recurse further; max recursion depth met",
            "roadmap/2026-Q1.toml",
            1,
            85
        )]
    );
}

#[test]
fn unclosed_deep_nesting_reports_each_error_once() {
    let text = format!("x = {}\n", "[".repeat(100_000));
    let (c, found) = lint_one(text.as_bytes(), &["parse", "schema"]);
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [
            d(
                "parse",
                "error",
                "invalid TOML: cannot recurse further; max recursion depth met",
                "roadmap/2026-Q1.toml",
                1,
                85
            ),
            d(
                "parse",
                "error",
                "invalid TOML: unclosed array, expected `]`",
                "roadmap/2026-Q1.toml",
                1,
                100_005
            ),
        ]
    );
}

#[test]
fn deep_dotted_key_without_span_points_at_line_1() {
    let text = format!(
        "quarter = \"2026-Q1\"\n{} = 1\n",
        vec!["a"; 100_000].join(".")
    );
    let (c, found) = lint_one(text.as_bytes(), &["parse", "schema"]);
    assert_eq!(c, 1);
    assert_eq!(
        found,
        [d(
            "parse",
            "error",
            "invalid TOML: recursion limit",
            "roadmap/2026-Q1.toml",
            1,
            1
        )]
    );
}

#[test]
fn file_over_the_size_cap_is_reported_and_not_parsed() {
    let r = Repo::plain();
    let mut big = b"quarter = \"2026-Q1\"\ncapacty = 1\n".to_vec();
    big.resize(1024 * 1024 + 1, b'#');
    r.write_bytes("roadmap/2026-Q1.toml", &big);
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        diags(&out),
        [d(
            "parse",
            "error",
            "file is too large (1048577 bytes; the limit is 1048576 bytes), not parsed",
            "roadmap/2026-Q1.toml",
            1,
            1
        )]
    );
}

#[test]
fn too_many_entries_in_one_file_are_reported_once() {
    let mut s = String::from("quarter = \"2026-Q1\"\ncapacity = 1\n");
    s.push_str(&"[[item]]\n".repeat(10_001));
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", &s);
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        diags(&out),
        [d(
            "parse",
            "error",
            "too many entries (10001; the limit is 10000 per file), not checked",
            "roadmap/2026-Q1.toml",
            1,
            1
        )]
    );
}

// ------------------------------------------------------ links and special files

/// A plain directory with a good plan plus `roadmap/<name>` linking to `target`.
fn with_link(name: &str, target: &str) -> Repo {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    std::os::unix::fs::symlink(target, r.path().join("roadmap").join(name)).expect("symlink");
    r
}

fn symlink_refused(r: &Repo, name: &str) {
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(
        diags(&out),
        [d(
            "parse",
            "error",
            "symlink not followed",
            &format!("roadmap/{name}"),
            1,
            1
        )]
    );
}

#[test]
fn symlink_to_a_file_outside_the_repository_is_not_followed() {
    let outside = Repo::plain();
    outside.write(
        "secret.toml",
        "quarter = \"2026-Q1\"\nsecret = \"outside-marker-123\"\n",
    );
    let target = outside.path().join("secret.toml");
    let r = with_link("outside.toml", target.to_str().expect("utf-8"));
    symlink_refused(&r, "outside.toml");
    let out = run(r.path(), &["check", "--no-history"]);
    assert!(!text(&out).contains("outside-marker-123"));
}

#[test]
fn symlink_to_proc_self_environ_never_leaks_the_environment() {
    const SECRET: &str = "hunter2-xyz";
    let r = Repo::init();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    std::os::unix::fs::symlink("/proc/self/environ", r.path().join("roadmap/env.toml"))
        .expect("symlink");
    r.write(
        "roadlint.toml",
        "roadmap = [\"roadmap/**/*.toml\", \"env.toml\"]\n",
    );
    std::os::unix::fs::symlink("/proc/self/environ", r.path().join("env.toml")).expect("symlink");
    r.commit("feat: plan", "2026-01-05T10:00:00Z");
    let env = [("ROADLINT_TEST_SECRET", SECRET)];
    let mut outputs = Vec::new();
    for f in FORMATS {
        for extra in [&[][..], &["--staged"][..], &["--rev", "HEAD"][..]] {
            let mut args = vec!["check", "--today", "2026-02-01", "--format", f];
            args.extend_from_slice(extra);
            outputs.push((
                format!("check {f} {extra:?}"),
                run_env(r.path(), &args, &env),
            ));
        }
    }
    for f in REPORT_FORMATS {
        outputs.push((
            format!("report {f}"),
            run_env(
                r.path(),
                &["report", "--today", "2026-02-01", "--format", f],
                &env,
            ),
        ));
    }
    for (what, out) in &outputs {
        let all = String::from_utf8_lossy(&all_bytes(out)).into_owned();
        assert!(
            !all.contains(SECRET),
            "{what} leaked the environment:\n{all}"
        );
        assert!(
            !all.contains("GIT_COMMITTER_NAME"),
            "{what} leaked the environment:\n{all}"
        );
    }
    let out = run_env(
        r.path(),
        &["check", "--no-history", "--format", "json"],
        &env,
    );
    assert_eq!(code(&out), 1);
    assert_eq!(
        diags(&out),
        [
            d("parse", "error", "symlink not followed", "env.toml", 1, 1),
            d(
                "parse",
                "error",
                "symlink not followed",
                "roadmap/env.toml",
                1,
                1
            ),
        ]
    );
    let staged = run_env(
        r.path(),
        &["check", "--no-history", "--staged", "--format", "json"],
        &env,
    );
    assert_eq!(
        diags(&staged),
        diags(&out),
        "the index holds the same links"
    );
}

#[test]
fn symlink_to_dev_zero_is_not_read() {
    let r = with_link("zero.toml", "/dev/zero");
    symlink_refused(&r, "zero.toml");
}

#[test]
fn symlink_loop_is_reported() {
    let r = with_link("loop1.toml", "loop2.toml");
    std::os::unix::fs::symlink("loop1.toml", r.path().join("roadmap/loop2.toml")).expect("symlink");
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        diags(&out),
        [
            d(
                "parse",
                "error",
                "symlink not followed",
                "roadmap/loop1.toml",
                1,
                1
            ),
            d(
                "parse",
                "error",
                "symlink not followed",
                "roadmap/loop2.toml",
                1,
                1
            ),
        ]
    );
}

#[test]
fn symlinked_roadmap_directory_loop_is_reported() {
    let r = Repo::plain();
    std::os::unix::fs::symlink(".", r.path().join("roadmap")).expect("symlink");
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        diags(&out),
        [d("parse", "error", "symlink not followed", "roadmap", 1, 1)]
    );
}

#[test]
fn dangling_symlink_is_reported() {
    let r = with_link("dangling.toml", "does-not-exist.toml");
    symlink_refused(&r, "dangling.toml");
}

#[test]
fn fifo_is_skipped_without_hanging() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    let fifo = r.path().join("roadmap/fifo.toml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = run(r.path(), &["check", "--no-history", "--format", "json"]);
    assert_eq!(code(&out), 0, "a skipped FIFO is a warning: {}", text(&out));
    assert_eq!(
        diags(&out),
        [d(
            "parse",
            "warning",
            "skipped: a FIFO is not a regular file",
            "roadmap/fifo.toml",
            1,
            1
        )]
    );
    // A FIFO given as the configuration is refused, not opened for reading.
    let out = run(
        r.path(),
        &["check", "--no-history", "--config", "roadmap/fifo.toml"],
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains(
            "roadlint: error: roadmap/fifo.toml: a FIFO is not a regular file, not read; the configuration must be a regular file inside the repository"
        ),
        "{}",
        text(&out)
    );
}

/// Run roadlint as a user who cannot read what mode 000 hides, or say why not.
fn run_unprivileged(r: &Repo, args: &[&str]) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some(run(r.path(), args));
    }
    let mode = |p: &Path, m: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
    };
    mode(r.path(), 0o755);
    let setpriv = |extra: &[&str]| {
        let mut cmd = Command::new("setpriv");
        clean_env(&mut cmd)
            .current_dir(r.path())
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(bin())
            .args(extra);
        cmd.output()
    };
    match setpriv(&["--version"]) {
        Ok(o) if o.status.success() => {}
        other => {
            let why = format!("cannot run roadlint as uid 65534 with setpriv ({other:?})");
            assert!(!require_external(), "{why}");
            eprintln!("skipped: {why}");
            return None;
        }
    }
    Some(setpriv(args).expect("setpriv runs"))
}

#[test]
#[cfg_attr(missing_setpriv, ignore = "setpriv is not installed (util-linux)")]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    r.write("roadmap/2026-Q2.toml", "quarter = \"2026-Q2\"\n");
    let locked = r.path().join("roadmap/2026-Q2.toml");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let Some(out) = run_unprivileged(&r, &["check", "--no-history", "--format", "json"]) else {
        return;
    };
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(
        diags(&out),
        [d(
            "parse",
            "error",
            "cannot read the file: Permission denied (os error 13)",
            "roadmap/2026-Q2.toml",
            1,
            1
        )]
    );
}

#[test]
#[cfg_attr(missing_setpriv, ignore = "setpriv is not installed (util-linux)")]
fn unreadable_roadmap_directory_is_reported_not_passed() {
    use std::os::unix::fs::PermissionsExt;
    let r = Repo::plain();
    r.write(
        "roadmap/2026-Q1.toml",
        "quarter = \"2026-Q1\"\ncapacty = 1\n",
    );
    let dir = r.path().join("roadmap");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let out = run_unprivileged(&r, &["check", "--no-history", "--format", "json"]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let Some(out) = out else { return };
    assert_eq!(code(&out), 1, "{}", text(&out));
    let found = diags(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].rule.as_str(), found[0].file.as_str()),
        ("parse", "roadmap")
    );
    assert!(
        found[0].message.starts_with("cannot read the file: "),
        "{found:?}"
    );
    assert!(found[0].message.contains("Permission denied"), "{found:?}");
}

// ---------------------------------------------------------- repository shapes

#[test]
fn not_a_repository_runs_plan_rules_and_warns_once() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    let out = run(r.path(), &["check", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t = text(&out);
    assert_eq!(
        t.matches("not a git repository: history rules skipped")
            .count(),
        1,
        "{t}"
    );
    assert!(t.contains("! 1 warning in 2 roadmap files"), "{t}");
    r.write(
        "roadmap/2026-Q1.toml",
        &GOOD_QUARTER.replace("tech_owner = \"sam\"", "tech_owner = \"dana\""),
    );
    let out = run(
        r.path(),
        &["check", "--today", "2026-05-01", "--format", "short"],
    );
    assert_eq!(code(&out), 1, "plan rules still run: {}", text(&out));
}

#[test]
fn unborn_head_runs_plan_rules_and_says_no_commits_yet() {
    let r = Repo::init();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    let out = run(r.path(), &["check", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t = text(&out);
    assert_eq!(
        t.matches("no commits yet: history rules skipped").count(),
        1,
        "{t}"
    );
    // Nothing staged yet: no roadmap file in the index is exit 2, never a pass.
    let out = run(r.path(), &["check", "--staged"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("no roadmap file matches"),
        "{}",
        text(&out)
    );
    r.git(&["add", "-A"]);
    for args in [&["check", "--staged"][..], &["report"][..]] {
        let out = run(r.path(), args);
        assert_eq!(code(&out), 0, "{args:?}: {}", text(&out));
    }
}

#[test]
fn detached_head_works() {
    let r = planned_repo();
    r.commit("fix: one", "2026-02-01T10:00:00Z");
    r.git(&["checkout", "-q", "--detach", "HEAD"]);
    let out = run(
        r.path(),
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 2);
    assert_eq!(diags(&out), []);
}

#[test]
fn bare_repository_reads_the_roadmap_from_head() {
    let src = planned_repo();
    src.write(
        "roadmap/2026-Q1.toml",
        &format!("{GOOD_QUARTER}bogus = 1\n"),
    );
    src.commit("fix: break the plan", "2026-02-01T10:00:00Z");
    let holder = Repo::plain();
    holder.git(&[
        "clone",
        "-q",
        "--bare",
        src.path().to_str().expect("utf-8"),
        "bare.git",
    ]);
    let bare = holder.path().join("bare.git");
    let out = run(
        &bare,
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 2);
    assert_eq!(
        diags(&out),
        [d(
            "schema",
            "error",
            "unknown key `bogus` in item `OPS-1`",
            "roadmap/2026-Q1.toml",
            20,
            1
        )]
    );
}

#[test]
fn linked_worktree_reads_its_own_files() {
    let r = planned_repo();
    let holder = Repo::plain();
    let wt = holder.path().join("wt");
    r.git(&["worktree", "add", "-q", wt.to_str().expect("utf-8")]);
    std::fs::write(wt.join("roadmap/kpis.toml"), format!("{KPIS}capacty = 1\n")).expect("write");
    let out = run(&wt, &["check", "--today", "2026-05-01", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 1);
    assert_eq!(
        diags(&out),
        [d(
            "schema",
            "error",
            "unknown key `capacty` in a KPI",
            "roadmap/kpis.toml",
            5,
            1
        )]
    );
    let main = run(
        r.path(),
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(
        code(&main),
        0,
        "the main work tree is untouched: {}",
        text(&main)
    );
}

#[test]
fn inside_a_submodule_lints_the_submodule() {
    let sub = Repo::init();
    sub.write(
        "roadmap/2026-Q1.toml",
        "quarter = \"2026-Q1\"\ncapacty = 1\n",
    );
    sub.commit("feat: sub plan", "2026-01-05T10:00:00Z");
    let sup = Repo::init();
    sup.write("roadmap/2026-Q2.toml", "quarter = \"2026-Q2\"\nfoo = 1\n");
    sup.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.path().to_str().expect("utf-8"),
        "sub",
    ]);
    sup.commit("feat: add the submodule", "2026-01-06T10:00:00Z");
    let inside = sup.path().join("sub");
    let out = run(
        &inside,
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 1);
    assert_eq!(
        diags(&out),
        [d(
            "schema",
            "error",
            "unknown key `capacty` in the file",
            "roadmap/2026-Q1.toml",
            2,
            1
        )]
    );
    let outer = run(
        sup.path(),
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(
        diags(&outer),
        [d(
            "schema",
            "error",
            "unknown key `foo` in the file",
            "roadmap/2026-Q2.toml",
            2,
            1
        )]
    );
}

#[test]
fn shallow_clone_hiding_needed_history_fails_with_the_fix() {
    let src = planned_repo();
    for day in 1..=5 {
        src.commit(&format!("fix: {day}"), &format!("2026-02-0{day}T10:00:00Z"));
    }
    let holder = Repo::plain();
    let url = format!("file://{}", src.path().display());
    holder.git(&["clone", "-q", "--depth", "1", &url, "shallow"]);
    let shallow = holder.path().join("shallow");
    let out = run(&shallow, &["check", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("this is a shallow clone: only 1 commit is visible"),
        "{t}"
    );
    assert!(t.contains("every commit since 2026-01-01"), "{t}");
    assert!(t.contains("git fetch --unshallow"), "{t}");
    assert!(t.contains("fetch-depth: 0"), "{t}");
    let out = run(
        &shallow,
        &["check", "--today", "2026-05-01", "--no-history"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    // Before the quarter ends no history rule needs the hidden commits.
    let out = run(&shallow, &["check", "--today", "2026-03-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

/// Every path under `dir`, for "nothing was added" comparisons.
fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn partial_clone_missing_blob_fails_naming_it_and_never_fetches() {
    let src = Repo::init();
    let locked = GOOD_QUARTER.replace("capacity = 20\n", "capacity = 20\nlocked = 2026-01-10\n");
    src.write("roadmap/2026-Q1.toml", &locked)
        .write("roadmap/kpis.toml", KPIS);
    src.commit("feat: plan 2026-Q1", "2026-01-05T10:00:00Z");
    let old_blob = src
        .git(&["rev-parse", "HEAD:roadmap/2026-Q1.toml"])
        .trim()
        .to_string();
    src.write(
        "roadmap/2026-Q1.toml",
        &locked.replace("effort = 4", "effort = 5"),
    );
    src.commit("feat: grow OPS-1", "2026-02-05T10:00:00Z");
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    let holder = Repo::plain();
    let url = format!("file://{}", src.path().display());
    holder.git(&["clone", "-q", "--filter=blob:none", &url, "partial"]);
    let partial = holder.path().join("partial");
    let before = listing(&partial.join(".git/objects"));
    let out = run(&partial, &["check", "--today", "2026-05-01"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains(&format!(
            "roadlint: error: object {old_blob} (roadmap/2026-Q1.toml) is missing from the repository (a partial clone); roadlint never fetches objects."
        )),
        "{t}"
    );
    assert_eq!(
        listing(&partial.join(".git/objects")),
        before,
        "nothing was fetched"
    );
    let out = run(
        &partial,
        &["check", "--today", "2026-05-01", "--no-history"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
}

// ------------------------------------------------------------------ odd commits

#[test]
fn far_future_commit_date_neither_crashes_nor_hides_its_ancestors() {
    let r = planned_repo();
    for day in 1..=3 {
        r.commit(&format!("fix: {day}"), &format!("2026-02-0{day}T10:00:00Z"));
    }
    let head = r.git(&["rev-parse", "HEAD"]);
    let future = craft_commit(
        &r,
        head.trim(),
        "99999999999 +0000",
        b"feat: from the year 5138",
    );
    set_main(&r, &future);
    let out = run(
        r.path(),
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 5);
    let out = run(
        r.path(),
        &[
            "report",
            "--all",
            "--today",
            "2026-05-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let v = json(&out);
    // `feat: plan 2026-Q1` changes only the roadmap: a planning commit.
    assert_eq!(report_counts(&v, "2026-Q1"), Some((3, 0, 0)), "{v}");
    assert_eq!(v["quarters"][0]["planning_commits"], 1, "{v}");
    assert_eq!(report_counts(&v, "5138-Q4"), Some((0, 1, 0)), "{v}");
    let out = run(
        r.path(),
        &[
            "check",
            "--today",
            "2026-05-01",
            "--since",
            "2026-01-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        json(&out)["summary"]["commits_scanned"],
        5,
        "{}",
        text(&out)
    );
}

#[test]
fn committer_time_zone_offsets_are_converted_to_utc() {
    let r = planned_repo();
    let head = r.git(&["rev-parse", "HEAD"]);
    // 2026-04-01T02:00:00Z: still March 31st at -0700, but Q2 in UTC.
    let west = craft_commit(
        &r,
        head.trim(),
        "1775008800 -0700",
        b"fix: late on March 31st, west coast",
    );
    set_main(&r, &west);
    let out = run(
        r.path(),
        &[
            "report",
            "--all",
            "--today",
            "2026-07-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let v = json(&out);
    assert_eq!(report_counts(&v, "2026-Q2"), Some((1, 0, 0)), "{v}");
    // `feat: plan 2026-Q1` changes only the roadmap: a planning commit.
    assert_eq!(report_counts(&v, "2026-Q1"), Some((0, 0, 0)), "{v}");
}

#[test]
fn odd_but_readable_commit_times_are_counted() {
    // An out-of-range zone, no zone, a negative time and an overflowing time:
    // gix reads each, so every commit lands in some quarter.
    let r = planned_repo();
    let mut tip = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    for (i, time) in [
        "1770000000 +99999",
        "1770000002",
        "-5 +0000",
        "18446744073709551617 +0000",
    ]
    .iter()
    .enumerate()
    {
        tip = craft_commit(&r, &tip, time, format!("fix: odd time {i}").as_bytes());
    }
    set_main(&r, &tip);
    let out = run(
        r.path(),
        &["check", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 5);
    let out = run(
        r.path(),
        &[
            "report",
            "--all",
            "--today",
            "2026-05-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let v = json(&out);
    let total: u64 = v["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .map(|q| {
            ["debt", "feature", "unclassified"]
                .iter()
                .map(|k| q["commits"][k].as_u64().unwrap_or(0))
                .sum::<u64>()
                + q["planning_commits"].as_u64().unwrap_or(0)
        })
        .sum();
    assert_eq!(total, 5, "every commit lands in some quarter: {v}");
}

#[test]
fn undecodable_commit_time_zones_fail_with_exit_2_naming_the_commit() {
    for zone in ["1770000001 garbage", "1770000003 -07:00"] {
        let r = planned_repo();
        let head = r.git(&["rev-parse", "HEAD"]);
        let bad = craft_commit(&r, head.trim(), zone, b"fix: unreadable zone");
        set_main(&r, &bad);
        for args in [
            &["check", "--today", "2026-05-01"][..],
            &["report", "--today", "2026-05-01"][..],
        ] {
            let out = run(r.path(), args);
            assert_eq!(code(&out), 2, "{zone} {args:?}: {}", text(&out));
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                format!("roadlint: error: cannot read the repository: {bad}: A commit could not be decoded during traversal; pass --no-history to skip the history rules\n"),
                "{zone}"
            );
        }
        let out = run(
            r.path(),
            &["check", "--today", "2026-05-01", "--no-history"],
        );
        assert_eq!(code(&out), 0, "{zone}: {}", text(&out));
    }
}

#[test]
fn latin1_and_invalid_utf8_messages_are_classified_and_printed_safely() {
    let r = Repo::init();
    let locked = GOOD_QUARTER.replace("capacity = 20\n", "capacity = 20\nlocked = 2026-01-10\n");
    r.write("roadmap/2026-Q1.toml", &locked)
        .write("roadmap/kpis.toml", KPIS);
    r.commit("feat: plan", "2026-01-05T10:00:00Z");
    let base = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    let latin1 = craft_commit(&r, &base, "1770000000 +0000", b"fix: caf\xe9 cr\xe8me");
    let invalid = craft_commit(
        &r,
        &latin1,
        "1770000001 +0000",
        b"feat: \xff\xfe\xc3 broken",
    );
    set_main(&r, &invalid);
    // a locked-scope breach by a commit with a Latin-1 subject
    r.write(
        "roadmap/2026-Q1.toml",
        &locked.replace("effort = 4", "effort = 5"),
    );
    r.git(&["add", "-A"]);
    let tree = r.git(&["write-tree"]);
    let scope = craft_with_tree(
        &r,
        tree.trim(),
        &invalid,
        "1770100000 +0000",
        b"fix: \xe9t\xe9 scope",
    );
    set_main(&r, &scope);

    let out = run(
        r.path(),
        &["report", "--today", "2026-05-01", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(
        // The plan and the scope change touch only the roadmap: planning
        // commits; the two crafted commits change nothing and count.
        report_counts(&json(&out), "2026-Q1"),
        Some((1, 1, 0)),
        "{}",
        text(&out)
    );
    for f in FORMATS {
        let out = run(r.path(), &["check", "--today", "2026-05-01", "--format", f]);
        assert_eq!(code(&out), 1, "{f}: {}", text(&out));
        assert_no_control(f, &out);
        assert!(text(&out).contains("locked-scope"), "{f}: {}", text(&out));
    }
    let human = run(r.path(), &["check", "--today", "2026-05-01"]);
    assert!(
        text(&human).contains("fix: \u{fffd}t\u{fffd} scope"),
        "{}",
        text(&human)
    );
}

// ----------------------------------------------------------- escape sequences

/// A quarter whose values carry terminal escapes (TOML `\u001b` escapes become
/// real ESC characters once parsed) and break two rules that quote them.
const ESCAPING_QUARTER: &str = r#"quarter = "2026-Q1"
capacity = 20
locked = 2026-01-10

[[item]]
id = "OPS-1\u001b[31m"
title = "t\u001b]0;pwned\u0007 \u009b2J"
kind = "debt"
effort = 4
product_owner = "dana\u001b[2J"
tech_owner = "dana\u001b[2J"
kpis = ["conv\u001b]8;;http://evil\u0007"]
"#;

#[test]
fn escape_sequences_in_toml_values_never_reach_the_output() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", ESCAPING_QUARTER);
    for f in FORMATS {
        let out = run(r.path(), &["check", "--no-history", "--format", f]);
        assert_eq!(code(&out), 1, "{f}: {}", text(&out));
        assert_no_control(f, &out);
    }
    for f in REPORT_FORMATS {
        let out = run(
            r.path(),
            &["report", "--format", f, "--today", "2026-05-01"],
        );
        assert_no_control(&format!("report {f}"), &out);
    }
    let human = run(r.path(), &["check", "--no-history"]);
    let t = text(&human);
    // An owner holding a control character is a schema error that shows
    // the character as a code point (and leaves dual-ownership out).
    assert!(
        t.contains("`product_owner` of item `OPS-1\\u{1b}[31m` is \"dana<U+001B>[2J\""),
        "{t}"
    );
}

#[test]
fn escape_sequences_in_commit_subjects_never_reach_the_output() {
    let r = Repo::init();
    r.write("roadmap/2026-Q1.toml", ESCAPING_QUARTER);
    r.commit("feat: plan", "2026-01-05T10:00:00Z");
    r.write(
        "roadmap/2026-Q1.toml",
        &ESCAPING_QUARTER.replace("effort = 4", "effort = 5"),
    );
    r.commit(
        "fix: \u{1b}]8;;http://evil\u{7}bump\u{1b}[0m \u{9b}2J \u{1b}P+q\u{1b}\\",
        "2026-02-05T10:00:00Z",
    );
    for f in FORMATS {
        let out = run(r.path(), &["check", "--today", "2026-05-01", "--format", f]);
        assert_eq!(code(&out), 1, "{f}: {}", text(&out));
        assert_no_control(f, &out);
        assert!(text(&out).contains("locked-scope"), "{f}: {}", text(&out));
    }
    for f in REPORT_FORMATS {
        let out = run(
            r.path(),
            &["report", "--today", "2026-05-01", "--format", f],
        );
        assert_no_control(&format!("report {f}"), &out);
    }
    let human = run(r.path(), &["check", "--today", "2026-05-01"]);
    assert!(
        text(&human).contains("fix: \\u{1b}]8;;http://evil\\u{7}bump\\u{1b}[0m \\u{9b}2J"),
        "{}",
        text(&human)
    );
}

#[test]
fn escape_sequences_in_file_names_never_reach_the_output() {
    let r = Repo::plain();
    r.write(
        "roadmap/a\u{1b}[31mb\u{9b}c.toml",
        "quarter = \"2026-Q1\"\ncapacty = 1\n",
    );
    for f in FORMATS {
        let out = run(r.path(), &["check", "--no-history", "--format", f]);
        assert_eq!(code(&out), 1, "{f}");
        assert_no_control(f, &out);
    }
}

// ------------------------------------------------------ configuration and CLI

#[test]
fn bad_config_exits_2_pointing_into_roadlint_toml() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    let cases = [
        (
            "[rules]\ndebt-shar = \"error\"\n",
            "roadlint.toml:2:1: error[config] unknown rule `debt-shar`",
        ),
        (
            "[rules]\ncapacity = \"loud\"\n",
            "roadlint.toml:2:12: error[config] `loud` is not a level",
        ),
        (
            "[rules]\ndebt-share = { level = \"error\", min = 1.5 }\n",
            "roadlint.toml:2:39: error[config] `min` of this rule must be a share from 0.0 to 1.0",
        ),
        (
            "roadmap = [\n",
            "roadlint.toml:1:12: error[config] invalid TOML: unclosed array, expected `]`",
        ),
    ];
    for (config, expected) in cases {
        r.write("roadlint.toml", config);
        for format in ["short", "json"] {
            let out = run(r.path(), &["check", "--no-history", "--format", format]);
            assert_eq!(code(&out), 2, "{config}: {}", text(&out));
            let t = text(&out);
            assert!(
                t.contains(
                    "roadlint: error: the configuration is invalid; fix roadlint.toml first"
                ),
                "{t}"
            );
            if format == "short" {
                assert!(t.contains(expected), "{config}: {t}");
            }
        }
        for cmd in [&["report"][..], &["rules"][..]] {
            let out = run(r.path(), cmd);
            assert_eq!(code(&out), 2, "{cmd:?} with {config}: {}", text(&out));
        }
    }
}

#[test]
fn unknown_cli_values_exit_2() {
    let r = Repo::plain();
    let cases: [(&[&str], &str); 7] = [
        (
            &["check", "--format", "xml"],
            "invalid value 'xml' for '--format <FORMAT>'",
        ),
        (
            &["report", "--format", "pdf"],
            "invalid value 'pdf' for '--format <FORMAT>'",
        ),
        (
            &["check", "--color", "sometimes"],
            "invalid value 'sometimes' for '--color <WHEN>'",
        ),
        (
            &["check", "--today", "2026-13-01"],
            "invalid value '2026-13-01' for '--today <YYYY-MM-DD>'",
        ),
        (
            &["--frobnicate"],
            "unexpected argument '--frobnicate' found",
        ),
        (
            &["explain", "no-such-rule"],
            "roadlint: error: unknown rule `no-such-rule`",
        ),
        (
            &["check", "--rev", "HEAD"],
            "roadlint: error: --staged and --rev need a git repository",
        ),
    ];
    for (args, expected) in cases {
        let out = run(r.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
        assert!(text(&out).contains(expected), "{args:?}: {}", text(&out));
    }
    let repo = planned_repo();
    let out = run(repo.path(), &["check", "--rev", "no-such-rev"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("`no-such-rev` does not name a commit"),
        "{}",
        text(&out)
    );
    let out = run(repo.path(), &["check", "--since", "no-such-rev"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = run(repo.path(), &["explain", "\u{1b}[31mx"]);
    assert_eq!(code(&out), 2);
    assert_no_control("explain", &out);
}

// ------------------------------------------------- containment and bounds (RL-13)

/// A value planted outside the repository: it must never appear in any output.
const SECRET: &str = "roadlint-secret-7f3a9c";

/// A folder holding `outside/secret.toml` (a roadmap file that, if read, would
/// be quoted: its kind is wrong and its id is the secret) and a repository
/// `repo/` with a passing plan. Returns the holder and the repository path.
fn repo_beside_a_secret() -> (Repo, std::path::PathBuf) {
    let holder = Repo::plain();
    holder.write(
        "outside/secret.toml",
        &format!("quarter = \"2026-Q1\"\n\n[[item]]\nid = \"{SECRET}\"\ntitle = \"{SECRET}\"\nkind = \"{SECRET}\"\neffort = 1\n"),
    );
    holder.write(
        "outside/roadmap/secret.toml",
        &format!("[[kpi]]\nid = \"{SECRET}\"\nkind = \"{SECRET}\"\n"),
    );
    let repo = holder.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let r = Repo::plain();
    r.git(&["init", "-q", "-b", "main", repo.to_str().unwrap()]);
    std::fs::create_dir_all(repo.join("roadmap")).unwrap();
    std::fs::write(repo.join("roadmap/2026-Q1.toml"), GOOD_QUARTER).unwrap();
    std::fs::write(repo.join("roadmap/kpis.toml"), KPIS).unwrap();
    (holder, repo)
}

/// Run `args` in every `check` format and return each output.
fn every_format(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Vec<(&'static str, Output)> {
    FORMATS
        .iter()
        .map(|f| {
            let mut a = args.to_vec();
            a.extend(["--format", f]);
            (*f, run_env(dir, &a, envs))
        })
        .collect()
}

fn assert_no_secret(what: &str, out: &Output) {
    assert!(
        !String::from_utf8_lossy(&all_bytes(out)).contains(SECRET),
        "{what}: the secret leaked:\n{}",
        text(out)
    );
}

/// Every file under `dir` with its kind, size and a hash of its bytes.
fn fingerprint(dir: &Path) -> Vec<(String, u64, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out: Vec<(String, u64, u64)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            let m = e.path().symlink_metadata().unwrap();
            if m.is_file() {
                std::fs::read(e.path()).unwrap_or_default().hash(&mut h);
            }
            (e.path().display().to_string(), m.len(), h.finish())
        })
        .collect();
    out.sort();
    out
}

/// A machine-format document of an exit-2 run: valid, and saying so.
fn assert_failure_document(format: &str, out: &Output, needle: &str) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    match format {
        "json" => {
            let v = json(out);
            assert_eq!(v["version"], 1, "{stdout}");
            let m = v["error"]["message"].as_str().expect("error.message");
            assert!(m.contains(needle), "{m}");
            assert!(v["error"].get("help").is_some(), "{stdout}");
        }
        "sarif" => {
            let v = json(out);
            validate_sarif(&v);
            let inv = &v["runs"][0]["invocations"][0];
            assert_eq!(inv["executionSuccessful"], false, "{stdout}");
            let n = inv["toolExecutionNotifications"][0]["message"]["text"]
                .as_str()
                .expect("a notification");
            assert!(n.contains(needle), "{n}");
        }
        "junit" => {
            let doc = parse_xml(&stdout);
            assert!(doc.contains("<error"), "{stdout}");
            assert!(stdout.contains(needle), "{stdout}");
        }
        "github" => {
            assert!(stdout.starts_with("::error "), "{stdout}");
            assert_eq!(stdout.lines().count(), 1, "{stdout}");
            assert!(stdout.contains(needle), "{stdout}");
        }
        _ => assert!(out.stdout.is_empty() || format == "human", "{stdout}"),
    }
}

/// Parse `xml` with a real XML parser (panicking when it is not well-formed)
/// and hand it back.
fn parse_xml(xml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                let _ = t.decode().expect("text decodes");
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML ({e}):\n{xml}"),
        }
    }
    assert_eq!(depth, 0, "unbalanced XML:\n{xml}");
    for c in xml.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}';
        assert!(ok, "U+{:04X}, a character XML forbids:\n{xml}", c as u32);
    }
    xml.to_string()
}

/// Validate a SARIF log against the vendored official schema.
fn validate_sarif(v: &Value) {
    let mut schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    fn fix(v: &mut Value) {
        const BAD: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "pattern" && child == BAD {
                        *child = Value::String(BAD.replace("]?$", "?$"));
                    } else {
                        fix(child);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(fix),
            _ => {}
        }
    }
    fix(&mut schema);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
}

/// Run roadlint and measure its peak resident memory (KiB).
///
/// Linux hands a child the high-water mark of the process it was forked from
/// (it survives `execve`), so a child of this test process, which may hold
/// hundreds of MiB of test data, would report at least that. The run is
/// therefore made by a fresh copy of this test binary ([`measure_helper`]),
/// small when it forks: it runs roadlint, waits, and reports
/// `getrusage(RUSAGE_CHILDREN)`, roadlint's own peak.
fn run_measured(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> (Output, u64) {
    let out_dir = tempfile::tempdir().unwrap();
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "measure_helper",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("ROADLINT_MEASURE_DIR", dir)
        .env("ROADLINT_MEASURE_OUT", out_dir.path())
        .env("ROADLINT_MEASURE_ARGS", args.join("\u{1f}"))
        .env(
            "ROADLINT_MEASURE_ENV",
            envs.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\u{1f}"),
        )
        .stdout(std::process::Stdio::null())
        .status()
        .expect("the helper runs");
    assert!(status.success(), "the measuring helper failed");
    let read = |n: &str| std::fs::read(out_dir.path().join(n)).expect("helper output");
    let code: i32 = String::from_utf8(read("code")).unwrap().parse().unwrap();
    let kib: u64 = String::from_utf8(read("maxrss")).unwrap().parse().unwrap();
    use std::os::unix::process::ExitStatusExt;
    let out = Output {
        status: std::process::ExitStatus::from_raw(code << 8),
        stdout: read("stdout"),
        stderr: read("stderr"),
    };
    (out, kib)
}

/// Not a case of its own: the measuring parent of [`run_measured`], which
/// starts this binary with `ROADLINT_MEASURE_*` set. Otherwise it does nothing.
#[test]
fn measure_helper() {
    let Some(out) = std::env::var_os("ROADLINT_MEASURE_OUT") else {
        return;
    };
    let out = std::path::PathBuf::from(out);
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let args_var = var("ROADLINT_MEASURE_ARGS");
    let args: Vec<&str> = args_var.split('\u{1f}').filter(|a| !a.is_empty()).collect();
    let env_var = var("ROADLINT_MEASURE_ENV");
    let mut cmd = Command::new(bin());
    clean_env(&mut cmd)
        .current_dir(var("ROADLINT_MEASURE_DIR"))
        .args(&args);
    for kv in env_var.split('\u{1f}').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap();
        cmd.env(k, v);
    }
    let result = cmd.output().expect("roadlint runs");
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid out-pointer for getrusage.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    std::fs::write(out.join("stdout"), &result.stdout).unwrap();
    std::fs::write(out.join("stderr"), &result.stderr).unwrap();
    std::fs::write(
        out.join("code"),
        result.status.code().unwrap_or(-1).to_string(),
    )
    .unwrap();
    std::fs::write(out.join("maxrss"), usage.ru_maxrss.to_string()).unwrap();
}

#[test]
fn roadmap_globs_that_could_leave_the_repository_are_config_errors() {
    let (holder, repo) = repo_beside_a_secret();
    let outside = holder.path().join("outside");
    let absolute = format!("{}/*.toml", outside.display());
    let cases = [
        ("../outside/*.toml", "it has a `..` component"),
        ("roadmap/../../outside/*.toml", "it has a `..` component"),
        ("../**/*.toml", "it has a `..` component"),
        (absolute.as_str(), "it is an absolute path"),
    ];
    for (glob, why) in cases {
        std::fs::write(
            repo.join("roadlint.toml"),
            format!("roadmap = [\"{glob}\"]\n"),
        )
        .unwrap();
        let expected = format!(
            "roadlint.toml:1:12: error[config] this glob could match files outside the repository: {why}"
        );
        for (f, out) in every_format(&repo, &["check"], &[]) {
            assert_eq!(code(&out), 2, "{glob} {f}: {}", text(&out));
            assert_no_secret(&format!("{glob} {f}"), &out);
            assert!(
                text(&out).contains(
                    "roadlint: error: the configuration is invalid; fix roadlint.toml first"
                ),
                "{glob} {f}: {}",
                text(&out)
            );
            if f == "short" {
                assert!(text(&out).contains(&expected), "{glob}: {}", text(&out));
            }
            assert_failure_document(
                f,
                &out,
                "this glob could match files outside the repository",
            );
        }
    }
}

#[test]
fn core_worktree_pointing_elsewhere_is_refused() {
    let (holder, repo) = repo_beside_a_secret();
    let r = Repo::plain();
    let _ = r;
    let outside = holder.path().join("outside");
    std::process::Command::new("git")
        .args(["config", "-f"])
        .arg(repo.join(".git/config"))
        .args(["core.worktree", outside.to_str().unwrap()])
        .status()
        .unwrap();
    for (f, out) in every_format(&repo, &["check", "--no-history"], &[]) {
        assert_eq!(code(&out), 2, "{f}: {}", text(&out));
        assert_no_secret(f, &out);
        assert!(
            text(&out).contains(&format!(
                "roadlint: error: cannot open the repository: core.worktree points the work tree at {}, which does not hold this repository's .git",
                outside.display()
            )),
            "{f}: {}",
            text(&out)
        );
        assert_failure_document(f, &out, "core.worktree points the work tree at");
    }
}

#[test]
fn a_symlinked_roadlint_toml_is_reported_not_followed() {
    let (holder, repo) = repo_beside_a_secret();
    std::fs::write(
        holder.path().join("outside/roadlint.toml"),
        format!("roadmap = [\"{SECRET}/*.toml\"]\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        holder.path().join("outside/roadlint.toml"),
        repo.join("roadlint.toml"),
    )
    .unwrap();
    for (f, out) in every_format(&repo, &["check", "--no-history"], &[]) {
        assert_eq!(code(&out), 2, "{f}: {}", text(&out));
        assert_no_secret(f, &out);
        assert!(
            text(&out).contains("roadlint: error: roadlint.toml: symlink not followed; the configuration must be a regular file inside the repository"),
            "{f}: {}",
            text(&out)
        );
        assert_failure_document(f, &out, "symlink not followed");
    }
}

#[test]
fn a_dot_git_file_pointing_at_a_missing_directory_exits_2() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS)
        .write(".git", "gitdir: /nonexistent/roadlint/moved.git\n");
    let out = run(r.path(), &["check"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "roadlint: error: cannot open the repository: {}/.git points at /nonexistent/roadlint/moved.git, which is not a git directory",
            std::fs::canonicalize(r.path()).unwrap().display()
        )),
        "{}",
        text(&out)
    );
}

#[test]
fn a_sparse_index_is_expanded_not_read_as_empty() {
    let r = planned_repo();
    r.write("src/main.txt", "x\n");
    r.commit("chore: code", "2026-01-06T10:00:00Z");
    r.git(&["sparse-checkout", "set", "--cone", "--sparse-index", "src"]);
    assert!(
        !r.path().join("roadmap").exists(),
        "roadmap/ is outside the cone"
    );
    let listing = r.git(&["ls-files", "--sparse"]);
    assert!(
        listing.lines().any(|l| l == "roadmap/"),
        "a collapsed folder: {listing}"
    );
    let out = run(r.path(), &["check", "--staged", "--no-history"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("no problems in 2 roadmap files"),
        "{}",
        text(&out)
    );
    // A broken plan in the collapsed folder is found, not skipped.
    r.git(&["sparse-checkout", "disable"]);
    r.write(
        "roadmap/2026-Q1.toml",
        &GOOD_QUARTER.replace("kind = \"debt\"", "kind = \"dept\""),
    );
    r.commit("feat: typo", "2026-01-07T10:00:00Z");
    r.git(&["sparse-checkout", "set", "--cone", "--sparse-index", "src"]);
    let out = run(
        r.path(),
        &["check", "--staged", "--no-history", "--format", "short"],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("roadmap/2026-Q1.toml:"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_diagnostic_on_column_100000_renders_a_cut_of_its_line() {
    let mut line = String::from("x = [");
    while line.len() < 99_990 {
        line.push_str("1, ");
    }
    line.push_str("@]\n");
    let file = format!("quarter = \"2026-Q1\"\n{line}");
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", &file)
        .write("roadmap/kpis.toml", KPIS);
    let col = line.find('@').unwrap() + 1;
    for (f, out) in every_format(r.path(), &["check", "--no-history"], &[]) {
        assert_eq!(code(&out), 1, "{f}: {}", text(&out));
        assert!(!text(&out).contains("panicked"), "{f}: {}", text(&out));
        if f == "human" {
            let t = text(&out);
            assert!(
                t.contains(&format!("[roadmap/2026-Q1.toml:2:{col}]")),
                "{t}"
            );
            assert!(t.contains("2 │ …, 1, 1, ") && t.contains(" 1, @]"), "{t}");
            assert!(
                t.lines().all(|l| l.chars().count() < 400),
                "a cut line: {t}"
            );
        }
    }
    // roadlint.toml goes through the same renderer.
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS)
        .write(
            "roadlint.toml",
            &format!("roadmap = {}\n", "[".repeat(100_000)),
        );
    let out = run(r.path(), &["check", "--no-history"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(!t.contains("panicked"), "{t}");
    assert!(t.contains("roadlint(config)"), "{t}");
    assert!(
        t.contains("roadlint: error: the configuration is invalid; fix roadlint.toml first"),
        "{t}"
    );
}

#[test]
fn a_50_mb_commit_message_is_read_in_bounded_memory() {
    let r = planned_repo();
    let mut msg = String::from("fix: a very long message\n\n");
    while msg.len() < 50 << 20 {
        msg.push_str("a\n");
    }
    msg.push_str("\nRoadmap-Item: OPS-1\n");
    r.write_bytes("../msg.txt", msg.as_bytes());
    let msg_file = r.path().join("../msg.txt");
    r.write("src/a.txt", "a\n");
    r.git(&["add", "-A"]);
    r.git_at(
        &["commit", "-q", "-F", msg_file.to_str().unwrap()],
        Some("2026-02-01T10:00:00Z"),
    );
    let (out, kib) = run_measured(
        r.path(),
        &[
            "check",
            "--today",
            "2026-05-01",
            "--no-cache",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(json(&out)["summary"]["commits_scanned"], 2);
    eprintln!("check with a 50 MB message: peak {} MiB", kib / 1024);
    assert!(kib < 160 * 1024, "peak RSS {kib} KiB");
    // The commit-msg hook reads such a file within the same bounds.
    let (out, kib) = run_measured(r.path(), &["commit-msg", msg_file.to_str().unwrap()], &[]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    eprintln!("commit-msg with a 50 MB message: peak {} MiB", kib / 1024);
    assert!(kib < 160 * 1024, "peak RSS {kib} KiB");
}

#[test]
fn a_256_mib_quarantined_blob_is_not_inflated() {
    // The pushed objects live in `src`'s object folder; the receiving bare
    // repository has none of them, as in a pre-receive hook.
    let src = Repo::init();
    src.write("roadmap/kpis.toml", KPIS);
    let big = src.path().join("roadmap/2026-Q1.toml");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(256 << 20).unwrap();
    drop(f);
    let tip = src.commit("feat: a huge plan", "2026-01-05T10:00:00Z");
    std::fs::remove_file(&big).unwrap();
    let server = Repo::plain();
    server.git(&["init", "-q", "--bare", "-b", "main", "server.git"]);
    let git_dir = server.path().join("server.git");
    let quarantine = src.path().join(".git/objects");
    let envs = [
        ("GIT_DIR", git_dir.to_str().unwrap()),
        ("GIT_QUARANTINE_PATH", quarantine.to_str().unwrap()),
    ];
    let (out, kib) = run_measured(
        &git_dir,
        &["check", "--rev", &tip, "--no-history", "--format", "json"],
        &envs,
    );
    eprintln!("quarantined 256 MiB blob: peak {} MiB", kib / 1024);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(
        diags(&out),
        [d(
            "parse",
            "error",
            &format!(
                "file is too large ({} bytes; the limit is 1048576 bytes), not parsed",
                256u64 << 20
            ),
            "roadmap/2026-Q1.toml",
            1,
            1
        )]
    );
    assert!(kib < 160 * 1024, "peak RSS {kib} KiB");
}

#[test]
fn huge_efforts_and_non_finite_numbers_are_schema_errors() {
    let file = GOOD_QUARTER
        .replace("capacity = 20", "capacity = 20\n")
        .replace("effort = 8", "effort = 1e308")
        .replace("effort = 4", "effort = 1e308")
        + "\n[[item]]\nid = \"OPS-2\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 1e308\nproduct_owner = \"dana\"\ntech_owner = \"sam\"\n";
    let (c, found) = lint_one(file.as_bytes(), &["schema", "debt-share", "capacity"]);
    assert_eq!(c, 1);
    let msgs: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        msgs.iter()
            .all(|m| m.ends_with("must be a number of engineer-weeks > 0 and at most 10,000")),
        "{msgs:#?}"
    );
    for (value, key) in [
        ("inf", "capacity"),
        ("nan", "capacity"),
        ("10001", "capacity"),
        ("-inf", "effort"),
    ] {
        let file = if key == "capacity" {
            GOOD_QUARTER.replace("capacity = 20", &format!("capacity = {value}"))
        } else {
            GOOD_QUARTER.replace("effort = 8", &format!("effort = {value}"))
        };
        let (c, found) = lint_one(file.as_bytes(), &["schema"]);
        assert_eq!(c, 1, "{value}");
        assert_eq!(found.len(), 1, "{value}: {found:#?}");
        assert!(
            found[0].message.contains("at most 10,000") || found[0].message.contains("to 10,000"),
            "{found:#?}"
        );
    }
}

#[test]
fn years_are_four_digits_and_never_signed() {
    let one = GOOD_QUARTER
        .replace("2026-Q1", "0001-Q1")
        .replace("capacity = 20", "capacity = 1");
    let (c, found) = lint_one(one.as_bytes(), &["capacity"]);
    assert_eq!(c, 1);
    assert!(found[0].message.contains("0001-Q1"), "{found:#?}");
    for bad in ["+001-Q1", "-001-Q1", "0000-Q1"] {
        let file = GOOD_QUARTER.replace("2026-Q1", bad);
        let (c, found) = lint_one(file.as_bytes(), &["schema"]);
        assert_eq!(c, 1, "{bad}");
        assert!(
            found
                .iter()
                .any(|d| d.message.contains(&format!("`{bad}` is not a quarter"))),
            "{bad}: {found:#?}"
        );
    }
    let r = planned_repo();
    for args in [
        &["check", "--today", "+026-01-01"][..],
        &["check", "--today=-026-01-01"][..],
    ] {
        let out = run(r.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("is not a date of the form YYYY-MM-DD"),
            "{}",
            text(&out)
        );
    }
    let out = run(r.path(), &["check", "--since", "+026-01-01"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
}

#[test]
fn a_cache_directory_inside_the_repository_is_not_used() {
    let r = planned_repo();
    r.write("sub/keep.txt", "x\n");
    r.commit("chore: sub", "2026-01-06T10:00:00Z");
    for (dir, cache) in [
        (r.path().to_path_buf(), "rl-cache"),
        (r.path().join("sub"), "../.git/rl-cache"),
    ] {
        let before = fingerprint(r.path());
        let out = run_env(
            &dir,
            &["check", "--today", "2026-05-01", "--format", "json"],
            &[("ROADLINT_CACHE_DIR", cache)],
        );
        assert_eq!(code(&out), 0, "{cache}: {}", text(&out));
        let notes: Vec<D> = diags(&out)
            .into_iter()
            .filter(|d| d.rule == "history")
            .collect();
        assert_eq!(notes.len(), 1, "{cache}: {notes:#?}");
        assert!(
            notes[0]
                .message
                .contains("lies inside the repository: not used, the history is scanned uncached"),
            "{notes:#?}"
        );
        assert_eq!(
            fingerprint(r.path()),
            before,
            "{cache}: the repository was written"
        );
    }
}

#[test]
fn junit_and_sarif_hold_any_data() {
    let r = Repo::plain();
    let quarter = GOOD_QUARTER
        .replace("id = \"PAY-1\"", "id = \"PAY-\\uFFFF\\uFFFE\"")
        .replace("id = \"OPS-1\"", "id = \"PAY-\\uFFFF\\uFFFE\"")
        .replace("tech_owner = \"lee\"", "tech_owner = \"\\uFFFF\"")
        .replace("capacity = 20", "capacity = 2");
    r.write("roadmap/100% plan #1.toml", &quarter)
        .write("roadmap/kpis.toml", KPIS);
    let out = run(r.path(), &["check", "--no-history", "--format", "junit"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let xml = parse_xml(&String::from_utf8(out.stdout.clone()).unwrap());
    assert!(xml.contains("\\u{ffff}"), "{xml}");
    let out = run(r.path(), &["check", "--no-history", "--format", "sarif"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let v = json(&out);
    validate_sarif(&v);
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains(&"roadmap/100%25%20plan%20%231.toml"),
        "{uris:?}"
    );
}

#[test]
fn junit_marks_rules_that_did_not_run_as_skipped() {
    let r = planned_repo();
    let out = run(r.path(), &["check", "--no-history", "--format", "junit"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let xml = parse_xml(&String::from_utf8(out.stdout.clone()).unwrap());
    // Every registered rule is a test case; those that read history are
    // skipped under --no-history (the registry says which).
    let rules = roadlint::rules::registry();
    let history: Vec<&str> = rules
        .iter()
        .filter(|r| r.needs_history())
        .map(|r| r.id.as_str())
        .collect();
    let suite = format!(
        "<testsuite name=\"roadmap/2026-Q1.toml\" tests=\"{}\" skipped=\"{}\"",
        rules.len(),
        history.len()
    );
    assert!(xml.contains(&suite), "{suite}: {xml}");
    for rule in history {
        let at = xml
            .find(&format!("<testcase name=\"{rule}\""))
            .unwrap_or_else(|| panic!("{rule}: {xml}"));
        let case = &xml[at..];
        let end = case
            .find("</testcase>")
            .map_or(case.find("/>").unwrap(), |e| e);
        assert!(case[..end].contains("<skipped"), "{rule}: {}", &case[..end]);
    }
    let at = xml.find("<testcase name=\"capacity\"").unwrap();
    assert!(!xml[at..at + 200].contains("<skipped"), "{xml}");
}

#[test]
fn exit_2_prints_a_document_in_every_machine_format() {
    let r = Repo::plain();
    r.write("roadmap/2026-Q1.toml", GOOD_QUARTER)
        .write("roadmap/kpis.toml", KPIS)
        .write("roadlint.toml", "[rules]\ndebt-shar = \"error\"\n");
    for (f, out) in every_format(r.path(), &["check", "--no-history"], &[]) {
        assert_eq!(code(&out), 2, "{f}: {}", text(&out));
        assert_failure_document(f, &out, "unknown rule `debt-shar`");
    }
    // A failure after the configuration: a shallow clone hiding history.
    let src = planned_repo();
    src.write(
        "roadmap/2026-Q1.toml",
        &GOOD_QUARTER.replace("effort = 4", "effort = 5"),
    );
    src.commit("fix: grow", "2026-02-05T10:00:00Z");
    let holder = Repo::plain();
    let url = format!("file://{}", src.path().display());
    holder.git(&["clone", "-q", "--depth", "1", &url, "shallow"]);
    let shallow = holder.path().join("shallow");
    for (f, out) in every_format(&shallow, &["check", "--today", "2026-05-01"], &[]) {
        assert_eq!(code(&out), 2, "{f}: {}", text(&out));
        assert_failure_document(f, &out, "this is a shallow clone");
    }
}

#[test]
fn fifos_in_the_git_directory_are_refused_not_waited_on() {
    for file in [
        "objects/info/alternates",
        "objects/info/commit-graph",
        "HEAD",
        "refs/heads/main",
    ] {
        let r = planned_repo();
        let path = r.path().join(".git").join(file);
        let _ = std::fs::remove_file(&path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let out = run(r.path(), &["check", "--today", "2026-05-01"]);
        assert_eq!(code(&out), 2, "{file}: {}", text(&out));
        let canonical = std::fs::canonicalize(r.path()).unwrap();
        assert!(
            text(&out).contains(&format!(
                "{}/.git/{file} is a FIFO, not a regular file; roadlint does not open it",
                canonical.display()
            )) || text(&out).contains(&format!(
                "{}/.git/{file} is a FIFO, not a regular file; roadlint does not open it",
                r.path().display()
            )),
            "{file}: {}",
            text(&out)
        );
    }
}
