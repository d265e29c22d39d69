//! The hooks `roadlint init --hooks` installs, in real git workflows (issue
//! 25, SPEC §9.5): beside the pre-commit framework's and husky's hooks,
//! idempotent, from a subdirectory; without roadlint on PATH; starting no
//! roadlint process for updates that judge nothing; finding any staged TOML
//! name; and advice that, followed literally, finishes the refused
//! operation without rewriting another commit.

mod common;

use common::{clean_env, text, Repo, KPIS};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2026-Q1, locked on 2026-01-10, owned by dana (product) and lee (tech).
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
id = "OPS-1"
title = "Upgrade the queue"
kind = "debt"
effort = 8
product_owner = "dana"
tech_owner = "lee"
"#;

const PLANNED: &str = "2026-01-05T10:00:00Z";
const AFTER: &str = "2026-02-02T10:00:00Z";
const TRAILERS: &str = "\n\nProduct-Approved-By: dana\nTech-Approved-By: lee\n";
/// The marker line every roadlint block starts with.
const BEGIN: &str = "# >>> roadlint: added by `roadlint init --hooks`";

/// A directory holding the roadlint under test, alone.
fn roadlint_dir() -> PathBuf {
    common::bin().parent().expect("bin dir").to_path_buf()
}

/// The PATH of the test run without any directory that holds a `roadlint`.
fn path_without_roadlint() -> Vec<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("roadlint").exists())
        .collect()
}

/// PATH with `first` before the PATH without roadlint.
fn path_with(first: &[PathBuf]) -> std::ffi::OsString {
    let mut all = first.to_vec();
    all.extend(path_without_roadlint());
    std::env::join_paths(all).expect("PATH")
}

/// Run git in `dir` with `path` as PATH at `date`, the editor a no-op.
fn git_in(dir: &Path, path: &std::ffi::OsStr, args: &[&str], date: &str) -> Output {
    let mut cmd = Command::new("git");
    clean_env(&mut cmd)
        .env("PATH", path)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_EDITOR", "true")
        .current_dir(dir)
        .args(args);
    cmd.output().expect("git runs")
}

/// Run git through the hooks with roadlint on PATH.
fn git(r: &Repo, args: &[&str], date: &str) -> Output {
    git_in(r.path(), &path_with(&[roadlint_dir()]), args, date)
}

/// The same, asserting success.
fn ok(r: &Repo, args: &[&str], date: &str) -> String {
    let out = git(r, args, date);
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
    text(&out)
}

/// Run git with the hooks off (someone bypassing them).
fn git_off(r: &Repo, args: &[&str], date: &str) {
    let mut all = vec!["-c", "core.hooksPath=/dev/null"];
    all.extend_from_slice(args);
    let out = git(r, &all, date);
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

/// `roadlint init --hooks` in `dir`, which must succeed; its output.
fn init_hooks(dir: &Path) -> String {
    let out = Command::new(common::bin())
        .env("PATH", path_with(&[roadlint_dir()]))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .current_dir(dir)
        .args(["init", "--hooks"])
        .output()
        .expect("roadlint runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    text(&out)
}

/// A repository with the hooks installed and 2026-Q1 planned (locked from
/// 2026-01-10) on 2026-01-05.
fn locked_repo() -> Repo {
    let r = Repo::init();
    init_hooks(r.path());
    r.write("roadmap/2026-Q1.toml", LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    ok(&r, &["add", "-A"], PLANNED);
    ok(&r, &["commit", "-q", "-m", "docs: plan 2026-Q1"], PLANNED);
    r
}

/// The locked plan with PAY-1's effort changed (a scope change).
fn grown(effort: u32) -> String {
    LOCKED.replacen("effort = 14", &format!("effort = {effort}"), 1)
}

fn head(r: &Repo, rev: &str) -> String {
    r.git(&["rev-parse", rev]).trim().to_string()
}

/// A hook file's bytes.
fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `text` without the roadlint block (from its marker to its end marker).
fn without_block(text: &str) -> String {
    let start = text.find(BEGIN).expect("the block is there");
    let end_marker = "# <<< roadlint <<<\n";
    let end = text[start..].find(end_marker).expect("the block ends") + start + end_marker.len();
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn init_adds_one_block_to_an_existing_hook_keeps_the_rest_and_is_idempotent() {
    let r = Repo::init();
    let hook = r.path().join(".git/hooks/pre-commit");
    let own = "#!/bin/bash\n# the team's own hook\n\nset -e\ntouch .git/own-hook-ran\nexit 0\n";
    r.write(".git/hooks/pre-commit", own);
    common::make_executable(&hook);
    let said = init_hooks(r.path());
    assert!(said.contains("added roadlint to"), "{said}");
    let after = String::from_utf8(read(&hook)).expect("utf-8");
    assert_eq!(after.matches(BEGIN).count(), 1, "{after}");
    assert_eq!(without_block(&after), own, "the rest is kept byte for byte");
    assert!(
        after.find(BEGIN) < after.find("set -e"),
        "the block runs before the hook's first command: {after}"
    );
    let hooks: Vec<_> = [
        "pre-commit",
        "commit-msg",
        "reference-transaction",
        "pre-push",
    ]
    .iter()
    .map(|h| read(&r.path().join(".git/hooks").join(h)))
    .collect();
    let config = read(&r.path().join("roadlint.toml"));
    // Again, from a subdirectory: nothing changes, no second roadlint.toml.
    std::fs::create_dir_all(r.path().join("src/deep")).expect("mkdir");
    let again = init_hooks(&r.path().join("src/deep"));
    assert!(again.contains("unchanged"), "{again}");
    for (i, h) in [
        "pre-commit",
        "commit-msg",
        "reference-transaction",
        "pre-push",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(
            read(&r.path().join(".git/hooks").join(h)),
            hooks[i],
            "{h} changed"
        );
    }
    assert_eq!(read(&r.path().join("roadlint.toml")), config);
    assert!(!r.path().join("src/deep/roadlint.toml").exists());
    assert!(!r.path().join("src/roadlint.toml").exists());
    // Both run: the team's hook and roadlint's (which refuses a bad plan).
    r.write("roadmap/2026-Q1.toml", LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    ok(&r, &["add", "-A"], PLANNED);
    ok(&r, &["commit", "-q", "-m", "docs: plan"], PLANNED);
    assert!(r.path().join(".git/own-hook-ran").exists());
    r.write(
        "roadmap/2026-Q1.toml",
        &LOCKED.replace("capacity = 40", "capacity = 4"),
    );
    ok(&r, &["add", "-A"], PLANNED);
    let out = git(&r, &["commit", "-q", "-m", "docs: shrink"], PLANNED);
    assert!(
        !out.status.success(),
        "the plan's capacity error is refused"
    );
    assert!(text(&out).contains("capacity"), "{}", text(&out));
}

#[test]
fn init_from_a_subdirectory_writes_the_config_at_the_root() {
    let r = Repo::init();
    std::fs::create_dir_all(r.path().join("src")).expect("mkdir");
    init_hooks(&r.path().join("src"));
    assert!(r.path().join("roadlint.toml").exists());
    assert!(!r.path().join("src/roadlint.toml").exists());
    assert!(r.path().join(".git/hooks/reference-transaction").exists());
}

#[test]
fn init_from_a_linked_worktree_uses_the_shared_hooks_and_the_worktree_config() {
    let r = locked_repo();
    r.write("roadlint.toml", "roadmap = [\"roadmap/**/*.toml\"]\n");
    ok(&r, &["add", "-A"], PLANNED);
    ok(&r, &["commit", "-q", "-m", "chore: config"], PLANNED);
    let hooks = read(&r.path().join(".git/hooks/commit-msg"));
    let wt = r.path().join("wt");
    ok(
        &r,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "other",
            wt.to_str().expect("utf-8"),
        ],
        AFTER,
    );
    std::fs::create_dir_all(wt.join("roadmap/x")).expect("mkdir");
    let said = init_hooks(&wt.join("roadmap/x"));
    assert!(!said.contains("wrote"), "nothing new is written: {said}");
    assert_eq!(read(&r.path().join(".git/hooks/commit-msg")), hooks);
    assert!(!wt.join("roadmap/x/roadlint.toml").exists());
}

#[test]
fn tracked_husky_hooks_are_not_edited_and_the_lines_are_printed() {
    let r = Repo::init();
    let own = "npx --no -- commitlint --edit \"$1\"\n";
    r.write(".husky/commit-msg", own)
        .write(".husky/pre-commit", "npx lint-staged\n");
    r.git(&["add", "-A"]);
    r.git_at(&["commit", "-q", "-m", "chore: husky"], Some(PLANNED));
    r.git(&["config", "core.hooksPath", ".husky"]);
    let said = init_hooks(r.path());
    assert_eq!(read(&r.path().join(".husky/commit-msg")), own.as_bytes());
    assert!(!r.path().join(".husky/reference-transaction").exists());
    assert!(said.contains("not edited"), "{said}");
    assert!(said.contains(".husky/commit-msg"), "{said}");
    assert!(said.contains(BEGIN), "the lines to add are printed: {said}");
    assert!(r
        .git(&["status", "--porcelain"])
        .lines()
        .all(|l| !l.contains(".husky")));
}

#[test]
fn a_staged_toml_with_any_name_is_checked_by_the_pre_commit_hook() {
    let r = locked_repo();
    let bad = LOCKED
        .replace("2026-Q1", "2026-Q2")
        .replace("capacity = 40", "capacity = 4");
    for name in [
        "roadmap/équipe-2026-Q2.toml",
        "roadmap/a \"quoted\" name.toml",
    ] {
        r.write(name, &bad);
        ok(&r, &["add", "-A"], PLANNED);
        let out = git(&r, &["commit", "-q", "-m", "docs: plan Q2"], PLANNED);
        assert!(!out.status.success(), "{name} passed the pre-commit hook");
        assert!(text(&out).contains("capacity"), "{}", text(&out));
        ok(&r, &["rm", "-q", "--cached", name], PLANNED);
        std::fs::remove_file(r.path().join(name)).expect("rm");
    }
}

/// A directory with a `roadlint` that logs each run to `log` and runs the
/// real one.
fn counting_roadlint(dir: &Path, log: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let wrapper = bin.join("roadlint");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$*\" >>'{}'\nexec '{}' \"$@\"\n",
            log.display(),
            common::bin().display()
        ),
    )
    .expect("write");
    common::make_executable(&wrapper);
    bin
}

#[test]
fn updates_that_judge_nothing_start_no_roadlint_process() {
    let r = locked_repo();
    let remote = Repo::init();
    remote.write("README", "x\n");
    remote.commit("docs: readme", PLANNED);
    remote.write("README", "y\n");
    remote.commit("docs: more", PLANNED);
    let scratch = tempfile::tempdir().expect("tempdir");
    let log = scratch.path().join("runs.log");
    let bin = counting_roadlint(scratch.path(), &log);
    let path = path_with(&[bin]);
    let run = |args: &[&str]| {
        let out = git_in(r.path(), &path, args, AFTER);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    run(&[
        "remote",
        "add",
        "origin",
        remote.path().to_str().expect("utf-8"),
    ]);
    run(&["fetch", "-q", "origin"]);
    run(&["tag", "v1"]);
    run(&["tag", "-a", "-m", "release", "v2"]);
    run(&["notes", "add", "-m", "a note"]);
    run(&["branch", "topic"]);
    run(&["checkout", "-q", "-b", "work"]);
    run(&["reset", "-q", "--hard", "HEAD"]);
    r.write("notes.txt", "stash me\n");
    run(&["add", "notes.txt"]);
    run(&["stash", "-q"]);
    run(&["stash", "drop", "-q"]);
    r.write("src/lib.rs", "// code\n");
    run(&["add", "-A"]);
    run(&["commit", "-q", "-m", "feat: code"]);
    run(&["commit", "-q", "--amend", "-m", "feat: some code"]);
    run(&["branch", "-D", "topic"]);
    let runs = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(runs, "", "roadlint ran for updates that judge nothing");
    // The wrapper counts: a roadmap change does start roadlint.
    r.write("roadmap/2026-Q1.toml", &grown(15));
    run(&["add", "-A"]);
    let mut args = vec!["commit", "-q", "-m"];
    let msg = format!("feat: grow{TRAILERS}");
    args.push(&msg);
    run(&args);
    let runs = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(runs.contains("commit-msg"), "{runs}");
    assert!(runs.contains("reference-transaction prepared"), "{runs}");
}

#[test]
fn without_roadlint_on_path_git_goes_on_with_one_warning_where_it_matters() {
    let r = locked_repo();
    let remote = Repo::init();
    remote.write("README", "x\n");
    remote.commit("docs: readme", PLANNED);
    let path = path_with(&[]);
    let run = |args: &[&str]| -> String {
        let out = git_in(r.path(), &path, args, AFTER);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let quiet = |args: &[&str]| {
        let err = run(args);
        assert!(
            !err.contains("roadlint"),
            "git {args:?} spoke of roadlint: {err}"
        );
    };
    quiet(&[
        "remote",
        "add",
        "origin",
        remote.path().to_str().expect("utf-8"),
    ]);
    quiet(&["fetch", "-q", "origin"]);
    quiet(&["branch", "topic"]);
    quiet(&["checkout", "-q", "-b", "work"]);
    quiet(&["reset", "-q", "--hard", "HEAD"]);
    quiet(&["tag", "v1"]);
    r.write("src/lib.rs", "// code\n");
    quiet(&["add", "-A"]);
    quiet(&["commit", "-q", "-m", "feat: code"]);
    // A roadmap commit: one warning of at most two lines, and it lands.
    r.write("roadmap/2026-Q1.toml", &grown(16));
    quiet(&["add", "-A"]);
    let before = head(&r, "HEAD");
    let err = run(&["commit", "-q", "-m", "feat: grow"]);
    let lines: Vec<_> = err.lines().filter(|l| l.contains("roadlint")).collect();
    assert!(!lines.is_empty() && lines.len() <= 2, "{err}");
    assert!(err.contains("not found"), "{err}");
    assert_eq!(head(&r, "HEAD~1"), before);
    // With roadlint.requireHooks: unrelated work goes on, the roadmap is refused.
    quiet(&["config", "roadlint.requireHooks", "true"]);
    quiet(&["branch", "topic2"]);
    quiet(&["checkout", "-q", "-b", "work2"]);
    quiet(&["fetch", "-q", "origin"]);
    quiet(&["reset", "-q", "--hard", "HEAD"]);
    quiet(&["tag", "v2"]);
    r.write("src/lib.rs", "// more code\n");
    quiet(&["add", "-A"]);
    quiet(&["commit", "-q", "-m", "feat: more code"]);
    r.write("roadmap/2026-Q1.toml", &grown(17));
    quiet(&["add", "-A"]);
    let before = head(&r, "HEAD");
    let out = git_in(
        r.path(),
        &path,
        &["commit", "-q", "-m", "feat: grow more"],
        AFTER,
    );
    assert!(
        !out.status.success(),
        "a roadmap commit without roadlint is refused"
    );
    assert!(text(&out).contains("roadlint: not found"), "{}", text(&out));
    assert!(text(&out).contains("requireHooks"), "{}", text(&out));
    assert_eq!(head(&r, "HEAD"), before);
    // A branch update bringing a roadmap commit is refused too, with --no-verify.
    let out = git_in(
        r.path(),
        &path,
        &["commit", "-q", "--no-verify", "-m", "feat: grow more"],
        AFTER,
    );
    assert!(
        !out.status.success(),
        "the ref update is refused: {}",
        text(&out)
    );
}

/// The refusal's advice: the file it says keeps the message, and the command.
fn advice(refusal: &str) -> (PathBuf, String) {
    let file = refusal
        .split("git keeps its message in ")
        .nth(1)
        .and_then(|s| s.split(": add what is missing").next())
        .unwrap_or_else(|| panic!("no message file in: {refusal}"));
    let mut lines = refusal.lines().skip_while(|l| !l.ends_with("then run"));
    lines.next();
    let command = lines
        .next()
        .unwrap_or_else(|| panic!("no command in: {refusal}"))
        .trim()
        .to_string();
    (PathBuf::from(file.trim_matches('\'')), command)
}

/// Add the trailers to the file the advice names and run its command
/// literally (with sh), which must succeed.
fn follow(r: &Repo, refusal: &str) {
    let (file, command) = advice(refusal);
    let mut msg = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (advice: {refusal})", file.display()));
    msg.push_str(TRAILERS);
    std::fs::write(&file, msg).expect("write the message");
    let mut cmd = Command::new("sh");
    clean_env(&mut cmd)
        .env("PATH", path_with(&[roadlint_dir()]))
        .env("GIT_AUTHOR_DATE", AFTER)
        .env("GIT_COMMITTER_DATE", AFTER)
        .env("GIT_EDITOR", "true")
        .current_dir(r.path())
        .args(["-c", &command]);
    let out = cmd.output().expect("sh runs");
    assert!(
        out.status.success(),
        "following `{command}` failed: {}\nthe advice was: {refusal}",
        text(&out)
    );
}

/// The refusal of `args`, which the hooks must refuse.
fn refused(r: &Repo, args: &[&str]) -> String {
    let out = git(r, args, AFTER);
    assert!(!out.status.success(), "git {args:?} was accepted");
    let t = text(&out);
    assert!(t.contains("roadlint: the "), "{t}");
    t
}

/// HEAD's message.
fn message(r: &Repo) -> String {
    r.git(&["log", "-1", "--format=%B"])
}

/// Nothing in progress, nothing staged.
fn settled(r: &Repo) {
    for f in [
        "MERGE_HEAD",
        "CHERRY_PICK_HEAD",
        "REVERT_HEAD",
        "rebase-merge",
        "MERGE_MSG",
    ] {
        assert!(!r.path().join(".git").join(f).exists(), "{f} is left");
    }
    assert_eq!(
        r.git(&["status", "--porcelain", "--untracked-files=no"]),
        ""
    );
}

/// An unsigned scope change on branch `side` (hooks off), back on main.
fn unsigned_side(r: &Repo) -> String {
    ok(r, &["checkout", "-q", "-b", "side"], AFTER);
    r.write("roadmap/2026-Q1.toml", &grown(20));
    git_off(
        r,
        &["commit", "-q", "-a", "-m", "feat: grow on side"],
        AFTER,
    );
    let tip = head(r, "HEAD");
    ok(r, &["checkout", "-q", "main"], AFTER);
    tip
}

#[test]
fn advice_after_a_refused_commit_resumes_it() {
    let r = locked_repo();
    let before = head(&r, "HEAD");
    r.write("roadmap/2026-Q1.toml", &grown(20));
    ok(&r, &["add", "-A"], AFTER);
    let said = refused(&r, &["commit", "-q", "-m", "feat: grow"]);
    assert!(!advice(&said).1.contains("--amend"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), before, "no other commit is rewritten");
    assert!(message(&r).contains("Product-Approved-By: dana"));
    settled(&r);
}

#[test]
fn advice_after_a_refused_commit_all_resumes_it() {
    let r = locked_repo();
    let before = head(&r, "HEAD");
    r.write("roadmap/2026-Q1.toml", &grown(21));
    let said = refused(&r, &["commit", "-q", "-a", "-m", "feat: grow"]);
    assert!(advice(&said).1.contains(" -a "), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), before);
    assert!(message(&r).contains("Tech-Approved-By: lee"));
    settled(&r);
}

#[test]
fn advice_after_a_refused_no_verify_commit_never_amends_the_previous_one() {
    let r = locked_repo();
    r.write("README", "x\n");
    ok(&r, &["add", "-A"], AFTER);
    ok(&r, &["commit", "-q", "-m", "docs: readme"], AFTER);
    let before = head(&r, "HEAD");
    r.write("roadmap/2026-Q1.toml", &grown(22));
    ok(&r, &["add", "-A"], AFTER);
    let said = refused(&r, &["commit", "-q", "--no-verify", "-m", "feat: grow"]);
    assert!(!advice(&said).1.contains("--amend"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), before, "the previous commit is kept");
    assert!(message(&r).starts_with("feat: grow"), "{}", message(&r));
    settled(&r);
}

/// Commit a signed-off growth (`grown(n)`), then amend it with `amend`
/// (arguments after `commit -q`, the message `reworded` last): refused, the
/// advice amends, and following it keeps the commit's parent.
fn refused_amend_is_amended(n: u32, amend: &[&str], reworded: &str) {
    let r = locked_repo();
    let base = head(&r, "HEAD");
    r.write("roadmap/2026-Q1.toml", &grown(n));
    ok(&r, &["add", "-A"], AFTER);
    ok(
        &r,
        &["commit", "-q", "-m", &format!("feat: grow{TRAILERS}")],
        AFTER,
    );
    let mut args = vec!["commit", "-q"];
    args.extend(amend);
    args.extend(["-m", reworded]);
    let said = refused(&r, &args);
    assert!(advice(&said).1.contains("--amend"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), base);
    assert!(message(&r).starts_with(reworded), "{}", message(&r));
    settled(&r);
}

#[test]
fn advice_after_a_refused_amend_amends() {
    refused_amend_is_amended(23, &["--amend"], "feat: grow, reworded");
}

#[test]
fn advice_after_a_refused_merge_concludes_it() {
    let r = locked_repo();
    let side = unsigned_side(&r);
    let before = head(&r, "HEAD");
    let said = refused(&r, &["merge", "-q", "--no-ff", "side", "-m", "Merge side"]);
    assert!(advice(&said).0.ends_with("MERGE_MSG"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD^1"), before);
    assert_eq!(head(&r, "HEAD^2"), side);
    settled(&r);
}

#[test]
fn advice_after_a_refused_cherry_pick_concludes_it() {
    let r = locked_repo();
    unsigned_side(&r);
    // main moves on, so the pick is a new commit (not side's own, which a
    // ref already reaches).
    r.write("README", "x\n");
    ok(&r, &["add", "-A"], AFTER);
    ok(&r, &["commit", "-q", "-m", "docs: readme"], AFTER);
    let before = head(&r, "HEAD");
    let said = refused(&r, &["cherry-pick", "side"]);
    assert!(advice(&said).0.ends_with("MERGE_MSG"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), before);
    assert!(
        message(&r).starts_with("feat: grow on side"),
        "{}",
        message(&r)
    );
    settled(&r);
}

#[test]
fn advice_after_a_refused_revert_concludes_it() {
    let r = locked_repo();
    r.write("roadmap/2026-Q1.toml", &grown(24));
    ok(&r, &["add", "-A"], AFTER);
    ok(
        &r,
        &["commit", "-q", "-m", &format!("feat: grow{TRAILERS}")],
        AFTER,
    );
    let signed = head(&r, "HEAD");
    let said = refused(&r, &["revert", "--no-edit", "HEAD"]);
    assert!(advice(&said).0.ends_with("MERGE_MSG"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), signed);
    assert!(message(&r).starts_with("Revert"), "{}", message(&r));
    settled(&r);
}

#[test]
fn advice_after_a_refused_rebase_step_continues_the_rebase() {
    let r = locked_repo();
    unsigned_side(&r);
    r.write("README", "x\n");
    ok(&r, &["add", "-A"], AFTER);
    ok(&r, &["commit", "-q", "-m", "docs: readme"], AFTER);
    let main = head(&r, "HEAD");
    ok(&r, &["checkout", "-q", "side"], AFTER);
    let said = refused(&r, &["rebase", "main"]);
    assert!(advice(&said).1.contains("git rebase --continue"), "{said}");
    follow(&r, &said);
    assert_eq!(r.git(&["symbolic-ref", "HEAD"]).trim(), "refs/heads/side");
    assert_eq!(head(&r, "HEAD~1"), main);
    assert!(
        message(&r).starts_with("feat: grow on side"),
        "{}",
        message(&r)
    );
    assert!(message(&r).contains("Product-Approved-By: dana"));
    settled(&r);
}

/// An unsigned scope change made as a commit of `parent` by `commit-tree`
/// (no hook, no ref, no COMMIT_EDITMSG: a commit made elsewhere), the work
/// tree and the index left at HEAD.
fn made_elsewhere(r: &Repo, parent: &str, effort: u32) -> String {
    r.write("roadmap/2026-Q1.toml", &grown(effort))
        .write("elsewhere.txt", "a file the commit adds\n");
    git_off(r, &["add", "-A"], AFTER);
    let tree = r.git(&["write-tree"]).trim().to_string();
    let id = r
        .git_at(
            &[
                "commit-tree",
                "-p",
                parent,
                "-m",
                "feat: grow elsewhere",
                &tree,
            ],
            Some(AFTER),
        )
        .trim()
        .to_string();
    git_off(r, &["reset", "-q", "--hard", "HEAD"], AFTER);
    assert!(!r.path().join("elsewhere.txt").exists());
    id
}

/// The command the advice after a refused ref update gives (its indented
/// line), run literally with sh, which must succeed.
fn follow_update(r: &Repo, refusal: &str) -> String {
    let command = refusal
        .lines()
        .find(|l| l.starts_with("  git "))
        .unwrap_or_else(|| panic!("no command in: {refusal}"))
        .trim()
        .to_string();
    let mut cmd = Command::new("sh");
    clean_env(&mut cmd)
        .env("PATH", path_with(&[roadlint_dir()]))
        .current_dir(r.path())
        .args(["-c", &command]);
    let out = cmd.output().expect("sh runs");
    assert!(
        out.status.success(),
        "following `{command}` failed: {}\nthe advice was: {refusal}",
        text(&out)
    );
    command
}

/// The advice after a refused update never offers to conclude a commit.
fn no_commit_advice(said: &str) {
    for wrong in [
        "COMMIT_EDITMSG",
        "git commit",
        "--amend",
        "nothing was changed",
    ] {
        assert!(!said.contains(wrong), "`{wrong}` in: {said}");
    }
}

#[test]
fn advice_after_a_refused_fast_forward_puts_the_work_tree_back() {
    let r = locked_repo();
    r.write("README", "x\n");
    ok(&r, &["add", "-A"], AFTER);
    ok(&r, &["commit", "-q", "-m", "docs: readme"], AFTER);
    let before = head(&r, "HEAD");
    let new = made_elsewhere(&r, "HEAD", 25);
    // The user's own work: a staged new file and an unstaged change, both
    // to files the fast-forward does not touch.
    r.write("NOTES", "mine, staged\n");
    git_off(&r, &["add", "NOTES"], AFTER);
    r.write("README", "mine, not staged\n");
    let said = refused(&r, &["merge", "--ff-only", &new]);
    assert!(said.contains("fast-forward"), "{said}");
    no_commit_advice(&said);
    // git has checked the new commit out before the hook refused.
    assert!(r.path().join("elsewhere.txt").exists(), "{said}");
    follow_update(&r, &said);
    assert_eq!(head(&r, "HEAD"), before);
    assert_eq!(
        r.git(&["status", "--porcelain"]),
        "A  NOTES\n M README\n",
        "back to HEAD, the user's changes kept"
    );
    assert_eq!(
        std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("roadmap"),
        LOCKED
    );
    assert_eq!(
        std::fs::read_to_string(r.path().join("README")).expect("README"),
        "mine, not staged\n"
    );
    // The same through `git pull --ff-only` (of the repository itself).
    let said = refused(
        &r,
        &[
            "pull",
            "-q",
            "--ff-only",
            &r.path().display().to_string(),
            &new,
        ],
    );
    assert!(said.contains("fast-forward"), "{said}");
    no_commit_advice(&said);
    follow_update(&r, &said);
    assert_eq!(head(&r, "HEAD"), before);
    assert_eq!(r.git(&["status", "--porcelain"]), "A  NOTES\n M README\n");
}

#[test]
fn advice_after_a_refused_reset_or_update_ref_is_true_and_puts_things_back() {
    let r = locked_repo();
    r.write("README", "x\n");
    ok(&r, &["add", "-A"], AFTER);
    ok(&r, &["commit", "-q", "-m", "docs: readme"], AFTER);
    let before = head(&r, "HEAD");
    let child = made_elsewhere(&r, "HEAD", 26);
    let sibling = made_elsewhere(&r, "HEAD~1", 27);
    // A child of HEAD and a commit beside it, neither made by `git commit`.
    for (args, moved_files) in [
        (vec!["reset", "-q", "--hard", child.as_str()], true),
        (vec!["checkout", "-q", "-B", "main", child.as_str()], true),
        (vec!["update-ref", "HEAD", child.as_str()], false),
        (vec!["reset", "-q", "--soft", child.as_str()], false),
        (vec!["branch", "-f", "other", child.as_str()], false),
        (vec!["reset", "-q", "--hard", sibling.as_str()], true),
    ] {
        let said = refused(&r, &args);
        assert!(said.contains("the ref update to "), "{args:?}: {said}");
        no_commit_advice(&said);
        assert_eq!(
            r.path().join("elsewhere.txt").exists(),
            moved_files,
            "{args:?}"
        );
        follow_update(&r, &said);
        assert_eq!(head(&r, "HEAD"), before, "{args:?}");
        settled(&r);
        assert!(!r.path().join("elsewhere.txt").exists(), "{args:?}");
    }
    // `reset --mixed` moved only the index: the command changes nothing and
    // says so; `git reset -q`, as the advice says next, puts it back.
    let said = refused(&r, &["reset", "-q", child.as_str()]);
    assert!(said.contains("git reset -q"), "{said}");
    let staged = r.git(&["status", "--porcelain"]);
    assert!(
        staged.contains("A  elsewhere.txt") || staged.contains("AD elsewhere.txt"),
        "{staged}"
    );
    let read_tree = format!("git read-tree -m -u {child} HEAD");
    assert!(said.contains(&read_tree), "{said}");
    let args: Vec<&str> = read_tree.split(' ').skip(1).collect();
    assert!(!git(&r, &args, AFTER).status.success(), "{said}");
    assert_eq!(r.git(&["status", "--porcelain"]), staged, "nothing changed");
    ok(&r, &["reset", "-q"], AFTER);
    settled(&r);
}

#[test]
fn advice_after_a_refused_no_verify_amend_amends() {
    refused_amend_is_amended(28, &["--no-verify", "--amend"], "feat: grow, unsigned");
}

/// `pre-commit install` for the pre-commit and commit-msg hooks in `r`, with
/// the framework's home in `home`.
fn pre_commit_install(exe: &Path, r: &Repo, home: &Path) {
    let out = Command::new(exe)
        .current_dir(r.path())
        .args([
            "install",
            "--hook-type",
            "pre-commit",
            "--hook-type",
            "commit-msg",
        ])
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("pre-commit runs");
    assert!(out.status.success(), "{}", text(&out));
}

/// A repository whose `.pre-commit-config.yaml` has one hook that marks
/// `.git/framework-ran`.
fn framework_repo() -> Repo {
    let r = Repo::init();
    r.write(
        ".pre-commit-config.yaml",
        "repos:\n- repo: local\n  hooks:\n  - id: mark\n    name: mark\n    entry: sh -c 'touch .git/framework-ran'\n    language: system\n    always_run: true\n    pass_filenames: false\n",
    );
    r.git(&["add", "-A"]);
    r.git_at(&["commit", "-q", "-m", "chore: pre-commit"], Some(PLANNED));
    r
}

/// Commit the staged roadmap through both frameworks' hooks, with a roadlint
/// that logs its runs to `log`; the git output.
fn commit_through_both(r: &Repo, exe: &Path, home: &Path, log: &Path, msg: &str) -> Output {
    let scratch = log.parent().expect("log dir");
    let bin = counting_roadlint(scratch, log);
    let mut cmd = Command::new("git");
    clean_env(&mut cmd)
        .env(
            "PATH",
            path_with(&[bin, exe.parent().expect("bin").to_path_buf()]),
        )
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_AUTHOR_DATE", PLANNED)
        .env("GIT_COMMITTER_DATE", PLANNED)
        .current_dir(r.path())
        .args(["commit", "-q", "-m", msg]);
    cmd.output().expect("git runs")
}

/// Commit the locked plan through both frameworks' hooks; the log of the
/// roadlint runs (inside the repository's git directory).
fn plan_through_both(r: &Repo, exe: &Path, home: &Path) -> PathBuf {
    r.write("roadmap/2026-Q1.toml", LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    ok(r, &["add", "-A"], PLANNED);
    let log = r.path().join(".git/roadlint-test/runs.log");
    std::fs::create_dir_all(log.parent().expect("dir")).expect("mkdir");
    let out = commit_through_both(r, exe, home, &log, "docs: plan");
    assert!(out.status.success(), "{}", text(&out));
    assert!(r.path().join(".git/framework-ran").exists());
    log
}

/// How many logged roadlint runs start with `what`.
fn runs_of(log: &Path, what: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with(what))
        .count()
}

#[test]
fn beside_the_pre_commit_framework_the_gate_lives_in_its_legacy_hooks_and_runs_once() {
    let Some(exe) = common::tool("pre-commit") else {
        return;
    };
    let r = framework_repo();
    let home = tempfile::tempdir().expect("tempdir");
    pre_commit_install(&exe, &r, home.path());
    let hook = r.path().join(".git/hooks/pre-commit");
    let legacy = r.path().join(".git/hooks/pre-commit.legacy");
    let theirs = read(&hook);
    let said = init_hooks(r.path());
    assert!(said.contains("pre-commit.legacy"), "{said}");
    assert_eq!(read(&hook), theirs, "the framework's script is not edited");
    let ours = String::from_utf8(read(&legacy)).expect("utf-8");
    assert!(ours.contains(BEGIN), "{ours}");
    let said = init_hooks(r.path());
    assert!(said.contains("unchanged"), "{said}");
    assert_eq!(read(&legacy), ours.as_bytes(), "idempotent");
    // `pre-commit install` again rewrites its script and keeps the gate.
    pre_commit_install(&exe, &r, home.path());
    assert_eq!(read(&legacy), ours.as_bytes());

    let log = plan_through_both(&r, &exe, home.path());
    assert_eq!(runs_of(&log, "check --staged"), 1, "the gate runs once");
    assert_eq!(runs_of(&log, "commit-msg"), 1, "the gate runs once");
    r.write(
        "roadmap/2026-Q1.toml",
        &LOCKED.replace("capacity = 40", "capacity = 4"),
    );
    ok(&r, &["add", "-A"], PLANNED);
    let out = commit_through_both(&r, &exe, home.path(), &log, "docs: shrink");
    assert!(
        !out.status.success(),
        "the legacy hook refused the capacity error"
    );
    assert!(text(&out).contains("capacity"), "{}", text(&out));
}

#[test]
fn init_before_the_pre_commit_framework_and_again_after_it_runs_the_gate_once() {
    let Some(exe) = common::tool("pre-commit") else {
        return;
    };
    let r = framework_repo();
    let home = tempfile::tempdir().expect("tempdir");
    init_hooks(r.path());
    // The framework moves roadlint's hook to pre-commit.legacy.
    pre_commit_install(&exe, &r, home.path());
    let hook = r.path().join(".git/hooks/pre-commit");
    let legacy = r.path().join(".git/hooks/pre-commit.legacy");
    let theirs = read(&hook);
    let ours = read(&legacy);
    let said = init_hooks(r.path());
    assert!(said.contains("unchanged"), "{said}");
    assert_eq!(read(&hook), theirs);
    assert_eq!(read(&legacy), ours);

    // A block an older roadlint put into the framework's script moves out.
    let hooks_of = |name: &str| {
        let body = String::from_utf8(read(&r.path().join(".git/hooks").join(name))).expect("utf-8");
        body.matches(BEGIN).count()
    };
    let mut inside = String::from_utf8(theirs.clone()).expect("utf-8");
    let at = inside.find("\n\n").expect("a blank line") + 1;
    let block_text = {
        let all = String::from_utf8(ours.clone()).expect("utf-8");
        let start = all.find(BEGIN).expect("block");
        all[start..].to_string()
    };
    // (The fresh hook is the `#!` line, one comment, then the block.)
    inside.insert_str(at, &block_text);
    std::fs::write(&hook, &inside).expect("write");
    assert_eq!(hooks_of("pre-commit"), 1);
    let said = init_hooks(r.path());
    assert!(said.contains("moved roadlint's block out of"), "{said}");
    assert_eq!(
        read(&hook),
        theirs,
        "the framework's script is as it wrote it"
    );
    assert_eq!(hooks_of("pre-commit.legacy"), 1);

    let log = plan_through_both(&r, &exe, home.path());
    assert_eq!(runs_of(&log, "check --staged"), 1, "the gate runs once");
    assert_eq!(runs_of(&log, "commit-msg"), 1, "the gate runs once");
}

#[test]
fn where_the_framework_runs_roadlint_itself_init_leaves_that_hook_to_it() {
    let Some(exe) = common::tool("pre-commit") else {
        return;
    };
    let r = Repo::init();
    r.write(
        ".pre-commit-config.yaml",
        "repos:\n- repo: local\n  hooks:\n  - id: roadlint\n    name: roadlint\n    entry: roadlint check --staged --no-history\n    language: system\n    files: '\\.toml$'\n    pass_filenames: false\n",
    );
    r.git(&["add", "-A"]);
    r.git_at(&["commit", "-q", "-m", "chore: pre-commit"], Some(PLANNED));
    let home = tempfile::tempdir().expect("tempdir");
    init_hooks(r.path());
    pre_commit_install(&exe, &r, home.path());
    let hooks = r.path().join(".git/hooks");
    assert!(
        hooks.join("pre-commit.legacy").exists(),
        "the framework kept ours"
    );
    let said = init_hooks(r.path());
    assert!(
        said.contains("`roadlint` in .pre-commit-config.yaml"),
        "{said}"
    );
    assert!(!hooks.join("pre-commit.legacy").exists(), "{said}");
    // commit-msg: the framework runs no roadlint there, so the gate stays in
    // its .legacy hook.
    let legacy = String::from_utf8(read(&hooks.join("commit-msg.legacy"))).expect("utf-8");
    assert!(legacy.contains(BEGIN), "{legacy}");

    r.write("roadmap/2026-Q1.toml", LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    ok(&r, &["add", "-A"], PLANNED);
    let scratch = tempfile::tempdir().expect("tempdir");
    let log = scratch.path().join("runs.log");
    let out = commit_through_both(&r, &exe, home.path(), &log, "docs: plan");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        runs_of(&log, "check --staged"),
        1,
        "the framework's run only"
    );
    assert_eq!(runs_of(&log, "commit-msg"), 1);
}

/// Run git in `r` with `path` as PATH after the plan, asserting success.
fn run_ok(r: &Repo, path: &std::ffi::OsStr, args: &[&str]) {
    let out = git_in(r.path(), path, args, AFTER);
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

#[test]
fn the_cached_pathspecs_follow_roadlint_toml() {
    let r = locked_repo();
    let scratch = tempfile::tempdir().expect("tempdir");
    let log = scratch.path().join("runs.log");
    let path = path_with(&[counting_roadlint(scratch.path(), &log)]);
    let runs = || std::fs::read_to_string(&log).unwrap_or_default();
    let cache = r.path().join(".git/roadlint-pathspecs");
    r.write("src/a.rs", "// a\n");
    run_ok(&r, &path, &["add", "-A"]);
    run_ok(&r, &path, &["commit", "-q", "-m", "feat: a"]);
    assert!(cache.is_file(), "the hooks cache their pathspecs in .git");
    assert_eq!(runs(), "");
    // roadlint.toml rewritten at once (within the cache's clock tick): a
    // file under the new glob is judged at the next commit.
    let config = std::fs::read_to_string(r.path().join("roadlint.toml")).expect("config");
    let moved = config.replacen("roadmap/**/*.toml", "plans/**/*.toml", 1);
    assert_ne!(moved, config, "the config names the roadmap glob");
    r.write("roadlint.toml", &moved)
        .write("plans/kpis.toml", KPIS);
    run_ok(&r, &path, &["add", "plans"]);
    let _ = git_in(
        r.path(),
        &path,
        &["commit", "-q", "-m", "docs: plans"],
        AFTER,
    );
    assert!(runs().contains("check --staged"), "{}", runs());
    run_ok(&r, &path, &["reset", "-q", "--hard", "HEAD"]);
    std::fs::remove_file(&log).ok();
    // An older roadlint.toml renamed into place (its time kept, older than
    // the cache) is read again too; here through a --no-verify commit.
    let older = r.path().join("roadlint.toml.new");
    std::fs::write(&older, &moved).expect("write");
    let old_time =
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    std::fs::File::options()
        .write(true)
        .open(&older)
        .and_then(|f| f.set_modified(old_time))
        .expect("set the time");
    r.write("src/b.rs", "// b\n");
    run_ok(&r, &path, &["add", "src"]);
    run_ok(&r, &path, &["commit", "-q", "-m", "feat: b"]);
    assert_eq!(runs(), "", "the cache was refilled from the current config");
    std::fs::rename(&older, r.path().join("roadlint.toml")).expect("rename");
    r.write("plans/more.toml", KPIS);
    run_ok(&r, &path, &["add", "plans"]);
    let _ = git_in(
        r.path(),
        &path,
        &["commit", "-q", "--no-verify", "-m", "docs: plans"],
        AFTER,
    );
    assert!(
        runs().contains("reference-transaction prepared"),
        "{}",
        runs()
    );
}

#[test]
fn a_roadmap_staged_by_the_rest_of_the_pre_commit_hook_is_judged_at_commit_msg() {
    let r = locked_repo();
    let scratch = tempfile::tempdir().expect("tempdir");
    let log = scratch.path().join("runs.log");
    let path = path_with(&[counting_roadlint(scratch.path(), &log)]);
    let hook = r.path().join(".git/hooks/pre-commit");
    let mut script = std::fs::read_to_string(&hook).expect("hook");
    script.push_str("git add roadmap/2026-Q1.toml\n");
    std::fs::write(&hook, script).expect("write");
    // The roadlint block finds only code staged; the hook's own line then
    // stages a scope change, which commit-msg must still judge.
    r.write("src/a.rs", "// a\n")
        .write("roadmap/2026-Q1.toml", &grown(20));
    run_ok(&r, &path, &["add", "src"]);
    let before = head(&r, "HEAD");
    let out = git_in(r.path(), &path, &["commit", "-q", "-m", "feat: a"], AFTER);
    assert!(!out.status.success(), "{}", text(&out));
    let runs = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(runs.contains("commit-msg"), "{runs}");
    assert_eq!(head(&r, "HEAD"), before);
}

#[test]
fn a_block_run_from_another_file_still_judges() {
    // The block sourced by a hook that is another file still judges.
    let r = locked_repo();
    let hooks = r.path().join(".git/hooks");
    std::fs::rename(
        hooks.join("reference-transaction"),
        r.path().join(".git/rt-block"),
    )
    .expect("move the hook");
    std::fs::write(
        hooks.join("reference-transaction"),
        "#!/bin/sh\n. ./.git/rt-block\n",
    )
    .expect("write the hook");
    let mut perms = std::fs::metadata(hooks.join("reference-transaction"))
        .expect("hook")
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(hooks.join("reference-transaction"), perms).expect("chmod");
    r.write("roadmap/2026-Q1.toml", &grown(32));
    ok(&r, &["add", "-A"], AFTER);
    let said = refused(&r, &["commit", "-q", "--no-verify", "-m", "feat: grow"]);
    assert!(said.contains("roadlint: the commit was refused"), "{said}");
}

#[test]
fn advice_after_a_refused_no_verify_commit_through_the_editor_is_a_commit() {
    // COMMIT_EDITMSG holds the editor's comment lines (here with a comment
    // string of two characters); the commit holds the message without them.
    let r = locked_repo();
    let before = head(&r, "HEAD");
    r.write("roadmap/2026-Q1.toml", &grown(18));
    ok(&r, &["add", "-A"], AFTER);
    let said = refused(
        &r,
        &[
            "-c",
            "core.commentString=//",
            "commit",
            "-q",
            "--no-verify",
            "-e",
            "-m",
            "feat: grow",
        ],
    );
    let kept = std::fs::read_to_string(r.path().join(".git/COMMIT_EDITMSG")).expect("kept");
    assert!(kept.contains("\n// "), "{kept}");
    assert!(said.contains("roadlint: the commit was refused"), "{said}");
    assert!(!said.contains("read-tree"), "{said}");
    follow(&r, &said);
    assert_eq!(head(&r, "HEAD~1"), before);
    assert!(message(&r).starts_with("feat: grow"), "{}", message(&r));
    settled(&r);
}
