//! Shared helpers for the end-to-end tests: temporary repositories built with
//! real `git` and pinned dates, and a way to run the `roadlint` binary.
#![allow(dead_code)]

pub(crate) mod readme;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary directory holding a test repository (or a plain directory).
pub(crate) struct Repo {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
}

/// The environment every `git` and `roadlint` call in tests gets: no user or
/// system config, fixed identity.
pub(crate) fn clean_env(cmd: &mut Command) -> &mut Command {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("NO_COLOR", "1")
        .env(
            "ROADLINT_CACHE_DIR",
            std::env::temp_dir().join("roadlint-test-cache"),
        )
}

impl Repo {
    /// An empty directory (not a repository).
    pub(crate) fn plain() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A fresh repository with branch `main`.
    pub(crate) fn init() -> Repo {
        let r = Repo::plain();
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    /// The repository's path.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write a file (creating directories).
    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    /// Write raw bytes.
    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    /// Run git, panicking on failure; returns stdout.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        self.git_at(args, None)
    }

    /// Run git with both dates pinned to `date` (e.g. `2026-01-15T10:00:00Z`).
    pub(crate) fn git_at(&self, args: &[&str], date: Option<&str>) -> String {
        let mut cmd = Command::new("git");
        clean_env(&mut cmd).current_dir(self.path()).args(args);
        if let Some(d) = date {
            cmd.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
        }
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Stage everything and commit with `message` at `date`.
    pub(crate) fn commit(&self, message: &str, date: &str) -> String {
        self.git(&["add", "-A"]);
        self.git_at(
            &["commit", "-q", "--allow-empty", "-m", message],
            Some(date),
        );
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Stage everything and commit with `message` at `date` as the author
    /// `name <email>`.
    pub(crate) fn commit_as(&self, message: &str, date: &str, name: &str, email: &str) -> String {
        self.git(&["add", "-A"]);
        let mut cmd = Command::new("git");
        clean_env(&mut cmd)
            .current_dir(self.path())
            .args(["commit", "-q", "--allow-empty", "-m", message])
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email);
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Run roadlint with `args` in this directory: shorthand for
    /// `roadlint().current_dir(self.path()).args(args).output()`.
    pub(crate) fn roadlint(&self, args: &[&str]) -> Output {
        roadlint().current_dir(self.path()).args(args).output()
    }
}

/// The roadlint binary under test.
pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_roadlint"))
}

/// This run's cargo target directory (the binary under test is in
/// `TARGET/PROFILE/`): tests that build roadlint again (install paths, wheels)
/// build there, reusing the dependencies compiled for the same profile.
pub(crate) fn target_dir() -> PathBuf {
    bin()
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in TARGET/PROFILE/")
        .to_path_buf()
}

/// The variables cargo and rustup need when a test gives a command a HOME of
/// its own ([`clean_env`] clears them): where the user's cargo and rustup
/// live, the toolchain in use, and `ROADLINT_REQUIRE_EXTERNAL` (build.rs
/// reads it, so a build with another value would recompile roadlint).
pub(crate) fn toolchain_env() -> Vec<(&'static str, std::ffi::OsString)> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut out = Vec::new();
    for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        if let Some(v) = std::env::var_os(var) {
            out.push((var, v));
        } else if let Some(h) = &home {
            out.push((var, h.join(default).into_os_string()));
        }
    }
    for var in ["RUSTUP_TOOLCHAIN", "ROADLINT_REQUIRE_EXTERNAL"] {
        if let Some(v) = std::env::var_os(var) {
            out.push((var, v));
        }
    }
    out
}

/// How long one roadlint run may take before the test calls it a hang.
const HANG: std::time::Duration = std::time::Duration::from_secs(60);

/// One run of the roadlint binary: the one way tests run roadlint.
///
/// The run gets [`clean_env`] (no user or system git config, a fixed
/// identity, `NO_COLOR`, a shared test cache), the current directory of the
/// test unless [`Run::current_dir`] says otherwise, an empty stdin unless
/// [`Run::stdin`] gives one, and 60 seconds: a run that does not end in time
/// (a pager or an editor waiting for input, a FIFO opened for reading) fails
/// the test instead of blocking it.
///
/// ```ignore
/// let out = common::roadlint()
///     .current_dir(repo.path())
///     .args(["check", "--today", "2026-06-15"])
///     .env("GITHUB_ACTIONS", "true")
///     .output();
/// assert_eq!(common::code(&out), 1, "{}", common::text(&out));
/// ```
#[must_use = "a run does nothing until `output`"]
pub(crate) struct Run {
    cmd: Command,
    stdin: Vec<u8>,
}

/// Start describing a run of roadlint (see [`Run`]).
pub(crate) fn roadlint() -> Run {
    let mut cmd = Command::new(bin());
    clean_env(&mut cmd);
    Run {
        cmd,
        stdin: Vec::new(),
    }
}

impl Run {
    /// Append one argument.
    pub(crate) fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Run {
        self.cmd.arg(arg);
        self
    }

    /// Append arguments.
    pub(crate) fn args<I, S>(mut self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Run in `dir`.
    pub(crate) fn current_dir(mut self, dir: impl AsRef<Path>) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    /// Set (or override) one environment variable on top of [`clean_env`].
    pub(crate) fn env(
        mut self,
        key: impl AsRef<std::ffi::OsStr>,
        value: impl AsRef<std::ffi::OsStr>,
    ) -> Run {
        self.cmd.env(key, value);
        self
    }

    /// Set (or override) several environment variables.
    pub(crate) fn envs<I, K, V>(mut self, vars: I) -> Run
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<std::ffi::OsStr>,
        V: AsRef<std::ffi::OsStr>,
    {
        self.cmd.envs(vars);
        self
    }

    /// Feed `input` on standard input.
    pub(crate) fn stdin(mut self, input: impl Into<Vec<u8>>) -> Run {
        self.stdin = input.into();
        self
    }

    /// Run to completion: exit status, stdout and stderr. Panics when the
    /// binary cannot start or does not exit normally within 60 seconds (a
    /// hang or a crash by signal).
    pub(crate) fn output(self) -> Output {
        let described = format!("{:?}", self.cmd);
        let out = assert_cmd::Command::from_std(self.cmd)
            .write_stdin(self.stdin)
            .timeout(HANG)
            .output()
            .expect("roadlint runs");
        assert!(
            out.status.code().is_some(),
            "roadlint did not exit normally (hang or crash): {described}: {}",
            text(&out)
        );
        out
    }

    /// The configured command, for the rare test that must drive the
    /// process itself (e.g. close its stdout early).
    pub(crate) fn into_command(self) -> Command {
        self.cmd
    }
}

/// Run roadlint in `dir` with a clean environment: shorthand for
/// `roadlint().current_dir(dir).args(args).output()`.
pub(crate) fn roadlint_in(dir: &Path, args: &[&str]) -> Output {
    roadlint().current_dir(dir).args(args).output()
}

/// Run roadlint in `dir` with extra environment variables: shorthand for
/// `roadlint().current_dir(dir).args(args).envs(envs).output()`.
pub(crate) fn roadlint_timed<K, V>(dir: &Path, args: &[&str], envs: &[(K, V)]) -> Output
where
    K: AsRef<std::ffi::OsStr>,
    V: AsRef<std::ffi::OsStr>,
{
    roadlint()
        .current_dir(dir)
        .args(args)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .output()
}

/// Stdout and stderr together, lossily decoded.
pub(crate) fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The exit code (panics on a signal).
pub(crate) fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

/// Whether tests that need an external tool must fail instead of skipping.
pub(crate) fn require_external() -> bool {
    std::env::var("ROADLINT_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1")
}

/// Find an external tool in `.ci/venv/bin` (where `.ci/run` installs them) or
/// on PATH; None means skip the test, except under ROADLINT_REQUIRE_EXTERNAL=1,
/// where a missing tool fails it.
pub(crate) fn tool(name: &str) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".ci/venv/bin")
        .join(name);
    if venv.is_file() {
        return Some(venv);
    }
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !require_external(),
            "{name} is required (ROADLINT_REQUIRE_EXTERNAL=1) but not installed"
        );
        eprintln!("skipping: {name} is not installed");
    }
    found
}

/// Make a file executable (a script written by a test).
pub(crate) fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A quarter file that passes every plan rule.
pub(crate) const GOOD_QUARTER: &str = r#"quarter = "2026-Q1"
capacity = 20

[[item]]
id = "PAY-1"
title = "Checkout"
kind = "feature"
effort = 8
product_owner = "dana"
tech_owner = "lee"
kpis = ["conversion"]

[[item]]
id = "OPS-1"
title = "Upgrade the queue"
kind = "debt"
effort = 4
product_owner = "dana"
tech_owner = "sam"
"#;

/// KPIs matching [`GOOD_QUARTER`].
pub(crate) const KPIS: &str = r#"[[kpi]]
id = "conversion"
product_owner = "dana"
tech_owner = "lee"
"#;

/// A shared, read-only repository built by `fixtures/repos/build.sh` (pinned
/// dates) and reused by every test that only reads it: the scenario `name`
/// is built on its first use, by one `bash` run, into a directory under the
/// target directory keyed by the hash of `fixtures/repos/` (and
/// `fixtures/report/`, which it reads), so a later test binary or run reuses
/// it and a change to the script or its files rebuilds. A test that writes
/// (files, the index, commits, caches) takes [`fixture_copy`]. `build.sh`'s
/// header says which scenarios are scripted and which tests keep building
/// their own repository, and why.
pub(crate) fn fixture(name: &str) -> PathBuf {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::sync::{Arc, Mutex, OnceLock};
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    static BUILDS: OnceLock<Mutex<HashMap<String, Arc<OnceLock<()>>>>> = OnceLock::new();
    /// Hash every file under `dir`, in name order, with its name.
    fn hash_tree(dir: &Path, h: &mut impl Hasher) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("fixture directory")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for e in &entries {
            e.file_name().hash(h);
            if e.is_dir() {
                hash_tree(e, h);
            } else {
                std::fs::read(e).expect("fixture file").hash(h);
            }
        }
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let src = fixtures.join("repos");
    let root = ROOT.get_or_init(|| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // build.sh reads fixtures/report too (tests/report.rs's scenarios).
        hash_tree(&src, &mut h);
        hash_tree(&fixtures.join("report"), &mut h);
        let root =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("repos-{:016x}", h.finish()));
        std::fs::create_dir_all(&root).expect("fixture root");
        root
    });
    let repo = root.join(name);
    // One build per scenario in this process, whichever test asks first.
    let once = BUILDS
        .get_or_init(Mutex::default)
        .lock()
        .expect("fixture lock")
        .entry(name.to_string())
        .or_default()
        .clone();
    once.get_or_init(|| {
        if repo.exists() {
            return;
        }
        let tmp = root.join(format!(".{name}.tmp{}", std::process::id()));
        let mut cmd = Command::new("bash");
        // A scenario that extends another copies it from `root` when built.
        clean_env(&mut cmd)
            .env("FIXTURES_BUILT", root)
            .arg(src.join("build.sh"))
            .arg(&tmp)
            .arg(name);
        let out = cmd.output().expect("bash runs");
        assert!(
            out.status.success(),
            "fixtures/repos/build.sh {name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Another test binary may have won the race: keep its copy.
        let _ = std::fs::rename(tmp.join(name), &repo);
        let _ = std::fs::remove_dir_all(&tmp);
    });
    assert!(repo.is_dir(), "no fixture repository `{name}`");
    repo
}

/// The commit `rev` names in the repository at `repo` (`git rev-parse`, which
/// only reads).
pub(crate) fn rev_parse(repo: &Path, rev: &str) -> String {
    let mut git = Command::new("git");
    clean_env(&mut git)
        .current_dir(repo)
        .args(["rev-parse", rev]);
    let out = git.output().expect("git runs");
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A private, writable copy of the shared repository [`fixture`] `name`, for
/// a test that goes on to change files, stage or commit.
pub(crate) fn fixture_copy(name: &str) -> Repo {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("fixture directory") {
            let entry = entry.expect("entry");
            let (src, dst) = (entry.path(), to.join(entry.file_name()));
            if entry.file_type().expect("file type").is_dir() {
                copy(&src, &dst);
            } else {
                std::fs::copy(&src, &dst).expect("copy");
            }
        }
    }
    let r = Repo::plain();
    copy(&fixture(name), r.path());
    r
}

/// A repository whose 2026-Q1 is locked on 2026-01-10, with an unsigned
/// scope change staged (PAY-1's effort from 8 to 12): what the commit-msg
/// hook must refuse without sign-off.
pub(crate) fn staged_locked_change() -> Repo {
    let locked = Repo::init();
    let q = GOOD_QUARTER.replace("capacity = 20\n", "capacity = 40\nlocked = 2026-01-10\n");
    locked
        .write("roadmap/2026-Q1.toml", &q)
        .write("roadmap/kpis.toml", KPIS);
    locked.commit("feat: plan", "2026-01-05T10:00:00Z");
    locked.write(
        "roadmap/2026-Q1.toml",
        &q.replace("effort = 8", "effort = 12"),
    );
    locked.git(&["add", "-A"]);
    locked
}
