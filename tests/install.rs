//! The README's "works today" install path, run as a new user would: every
//! command of every block between `<!-- works-today -->` and
//! `<!-- /works-today -->`, in order, on a fresh clone of this repository
//! (its committed HEAD). The commands are read from README.md, so the README
//! and this test cannot drift apart.
//!
//! Each block is tagged with where it runs: `<!-- run: work -->` (an empty
//! directory, where the clone is made), `<!-- run: clone -->` (the clone),
//! `<!-- run: repo -->` (the user's repository), or `<!-- file: PATH -->` (a
//! file written into the user's repository). Two things are rewritten, and
//! nothing else: the repository's URL becomes the local checkout, and the
//! placeholder commit id becomes the clone's HEAD.
//!
//! The installs go into the test's directory: `cargo install` through
//! `CARGO_INSTALL_ROOT`, pip into a virtual environment first on PATH, the
//! pre-commit framework's environments into `PRE_COMMIT_HOME`. Cargo builds
//! in this run's target directory, so the dependencies already compiled for
//! the release profile are reused.

mod common;

use common::readme::{region_blocks, Block};
use common::{clean_env, code, text, tool};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The URL the README clones, and the placeholder `rev:` it pins.
const URL: &str = "https://github.com/roadlint/roadlint";
const PLACEHOLDER_REV: &str = "0123456789abcdef0123456789abcdef01234567";

/// How long one block may take (a release build on a loaded two-core
/// machine, or the pre-commit framework's `cargo install`, included).
const BLOCK_TIMEOUT: Duration = Duration::from_secs(40 * 60);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shell session a new user has: PATH with the install locations first,
/// a HOME of their own, the test's git identity.
struct User {
    work: PathBuf,
    path: OsString,
    envs: Vec<(&'static str, OsString)>,
}

impl User {
    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        clean_env(&mut cmd)
            .current_dir(dir)
            .env("PATH", &self.path)
            .envs(self.envs.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Run one README block's text with bash, stopping at the first failing
    /// command; print what it printed.
    fn run_block(&self, block: &Block, dir: &Path, script: &str) -> Output {
        let started = Instant::now();
        let mut cmd = self.command("bash", dir);
        cmd.args(["-euo", "pipefail", "-c", script]);
        let out = assert_cmd::Command::from_std(cmd)
            .timeout(BLOCK_TIMEOUT)
            .output()
            .expect("bash starts");
        eprintln!(
            "README.md:{} ({}) in {:.1?}:\n{script}{}",
            block.line,
            block.tag,
            started.elapsed(),
            text(&out)
        );
        out
    }

    fn git(&self, dir: &Path, args: &[&str]) -> Output {
        let out = self
            .command("git", dir)
            .args(args)
            .output()
            .expect("git starts");
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        out
    }
}

/// A block's text with the two rewrites: the URL and the placeholder rev.
fn localise(body: &str, clone_of: &Path, rev: &str) -> String {
    body.replace(URL, &clone_of.display().to_string())
        .replace(PLACEHOLDER_REV, rev)
}

#[test]
#[cfg_attr(
    any(missing_maturin, missing_python3, missing_pre_commit),
    ignore = "needs maturin, python3 and pre-commit (pip install maturin pre-commit)"
)]
fn the_readme_install_path_works_on_a_fresh_clone() {
    let (Some(maturin), Some(python), Some(pre_commit)) =
        (tool("maturin"), tool("python3"), tool("pre-commit"))
    else {
        return;
    };
    let readme = common::readme::text();
    let blocks = region_blocks(&readme, "works-today");
    let tags: Vec<&str> = blocks.iter().map(|b| b.tag.as_str()).collect();
    for b in &blocks {
        assert!(
            b.tag.starts_with("run: ") || b.tag.starts_with("file: "),
            "README.md:{}: a works-today block needs `<!-- run: work|clone|repo -->` or \
             `<!-- file: PATH -->` before it, found `{}`",
            b.line,
            b.tag
        );
    }
    // The path the issue promises: cargo from a clone, the local wheel, the
    // pre-commit framework pinned to a commit with the `-src` ids.
    let all: String = blocks.iter().map(|b| b.body.as_str()).collect();
    for needed in [
        "git clone ",
        "cargo install --path . --locked",
        "packaging/build-wheel dist",
        "pip install dist/roadlint-",
        "roadlint init --hooks",
        "id: roadlint-src",
        "id: roadlint-commit-msg-src",
        "pre-commit install",
    ] {
        assert!(
            all.contains(needed),
            "the works-today path lacks `{needed}`: {tags:?}"
        );
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let work = std::fs::canonicalize(dir.path()).expect("canonical");
    let venv = work.join("venv");
    let out = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .expect("python3 starts");
    assert!(out.status.success(), "{}", text(&out));
    let cargo_root = work.join("cargo");
    let home = work.join("home");
    std::fs::create_dir(&home).expect("home");
    let mut path = vec![
        venv.join("bin"),
        cargo_root.join("bin"),
        maturin.parent().expect("dir").to_path_buf(),
        pre_commit.parent().expect("dir").to_path_buf(),
    ];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    path.retain(|d| !d.join("roadlint").exists() || d.starts_with(&work));
    let mut envs = common::toolchain_env();
    envs.extend([
        ("HOME", home.clone().into_os_string()),
        ("CARGO_INSTALL_ROOT", cargo_root.clone().into_os_string()),
        ("CARGO_TARGET_DIR", common::target_dir().into_os_string()),
        ("CARGO_TERM_COLOR", "never".into()),
        ("PRE_COMMIT_HOME", work.join("pre-commit").into_os_string()),
        ("PIP_NO_INDEX", "1".into()),
        ("PIP_DISABLE_PIP_VERSION_CHECK", "1".into()),
        ("GIT_AUTHOR_DATE", "2026-01-05T10:00:00Z".into()),
        ("GIT_COMMITTER_DATE", "2026-01-05T10:00:00Z".into()),
    ]);
    let user = User {
        work: work.clone(),
        path: std::env::join_paths(path).expect("PATH"),
        envs,
    };

    // The user's repository, with one commit of its own.
    let repo = work.join("repo");
    std::fs::create_dir(&repo).expect("repo");
    user.git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README.md"), "# shop\n").expect("write");
    user.git(&repo, &["add", "-A"]);
    user.git(&repo, &["commit", "-q", "-m", "docs: start"]);

    // The clone the README makes is of this repository's HEAD, through a
    // link named like the published repository (so `cd roadlint` finds it);
    // its HEAD is the commit the pre-commit config pins.
    let upstream = work.join("upstream/roadlint");
    std::fs::create_dir(work.join("upstream")).expect("upstream");
    std::os::unix::fs::symlink(root(), &upstream).expect("link");
    let clone = user.work.join("roadlint");
    let mut rev = String::new();
    for block in &blocks {
        if rev.is_empty() && clone.join(".git").is_dir() {
            let out = user.git(&clone, &["rev-parse", "HEAD"]);
            rev = String::from_utf8_lossy(&out.stdout).trim().to_string();
        }
        let body = localise(&block.body, &upstream, &rev);
        if let Some(file) = block.tag.strip_prefix("file: ") {
            assert!(!rev.is_empty(), "README.md:{}: no clone yet", block.line);
            assert!(!body.contains(PLACEHOLDER_REV));
            std::fs::write(repo.join(file.trim()), &body).expect("write the file");
            continue;
        }
        let place = block
            .tag
            .strip_prefix("run: ")
            .expect("checked above")
            .split(':')
            .next()
            .unwrap_or_default()
            .trim();
        let dir = match place {
            "work" => user.work.clone(),
            "clone" => clone.clone(),
            "repo" => repo.clone(),
            other => panic!("README.md:{}: unknown place `{other}`", block.line),
        };
        let out = user.run_block(block, &dir, &body);
        assert_eq!(
            code(&out),
            0,
            "README.md:{}: a works-today command failed: {}",
            block.line,
            text(&out)
        );
    }

    // Both installs work on their own.
    let version = format!("roadlint {}", env!("CARGO_PKG_VERSION"));
    for bin in [cargo_root.join("bin/roadlint"), venv.join("bin/roadlint")] {
        let out = Command::new(&bin)
            .arg("--version")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), version);
    }
    // The user's repository has the configuration, the roadmap and the gate
    // beside the framework's hooks.
    assert!(repo.join("roadlint.toml").is_file());
    assert!(repo.join("roadmap").is_dir());
    let hooks = repo.join(".git/hooks");
    for hook in ["pre-commit", "commit-msg"] {
        let body = std::fs::read_to_string(hooks.join(hook)).expect("hook");
        assert!(
            body.contains("File generated by pre-commit"),
            "{hook}: the framework's: {body}"
        );
        assert!(
            !body.contains(">>> roadlint"),
            "{hook}: the framework runs roadlint there; no second gate: {body}"
        );
        assert!(
            !hooks.join(format!("{hook}.legacy")).exists(),
            "{hook}: no second gate in the hook the framework runs first"
        );
    }
    assert!(hooks.join("reference-transaction").is_file());

    // A commit of the sample roadmap goes through every hook (the framework
    // builds its `-src` environment on first use) and passes.
    user.git(&repo, &["add", "-A"]);
    let out = user
        .command("git", &repo)
        .args(["commit", "-m", "docs: the roadmap"])
        .output()
        .expect("git commit");
    let t = text(&out);
    assert!(out.status.success(), "the sample roadmap commits: {t}");
    assert!(
        t.contains("roadlint") && t.contains("Passed"),
        "the framework ran roadlint-src: {t}"
    );

    // The framework's hook refuses a roadmap that breaks a rule.
    let quarter = std::fs::read_dir(repo.join("roadmap"))
        .expect("roadmap")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.lines().any(|l| l.starts_with("capacity")))
        })
        .expect("a quarter file in the sample");
    let plan = std::fs::read_to_string(&quarter).expect("quarter");
    let broken: String = plan
        .lines()
        .map(|l| {
            if l.starts_with("capacity") {
                "capacity = 1\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(broken, plan, "the sample quarter has a capacity line");
    std::fs::write(&quarter, broken).expect("write");
    user.git(&repo, &["add", "-A"]);
    let out = user
        .command("pre-commit", &repo)
        .args(["run", "roadlint-src"])
        .output()
        .expect("pre-commit run");
    let t = text(&out);
    assert!(!out.status.success(), "a breach fails the hook: {t}");
    assert!(t.contains("capacity"), "{t}");
}
