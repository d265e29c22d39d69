//! Proofs of two guarantees of SPEC.md §7 on a hostile repository:
//!
//! - no-exec: a "trap" repository names a marker-writing program in every git
//!   setting that can run one (fsmonitor, pager, editor, ssh, hooks, external
//!   diff, textconv, clean/smudge/process filters, gpg, …), routes the roadmap
//!   files through them with `.gitattributes`, and carries executable hooks.
//!   The trap is first shown to fire under `git` itself; then every roadlint
//!   command runs and no marker may appear.
//! - read-only: every file and directory under the work tree and `.git` is
//!   recorded (content, size, mode, mtime, ctime) before and after each
//!   command, and must be identical.

mod common;

use common::{clean_env, code, text, Repo, GOOD_QUARTER};
use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A quarter locked on 2026-01-10 (so history rules read old blobs).
fn locked_quarter() -> String {
    GOOD_QUARTER.replace("capacity = 20\n", "capacity = 20\nlocked = 2026-01-10\n")
}

/// Every setting that names a program git may run. `%s` is replaced by the
/// trap command for that setting.
const TRAP_CONFIG: &[(&str, &str)] = &[
    ("core.fsmonitor", "fsmonitor"),
    ("core.pager", "pager"),
    ("core.editor", "editor"),
    ("core.sshCommand", "sshCommand"),
    ("core.askPass", "askPass"),
    ("core.gitProxy", "gitProxy"),
    ("sequence.editor", "sequenceEditor"),
    ("pager.log", "pagerLog"),
    ("pager.diff", "pagerDiff"),
    ("diff.external", "diffExternal"),
    ("diff.trap.textconv", "textconv"),
    ("diff.trap.command", "diffCommand"),
    ("filter.trap.clean", "clean"),
    ("filter.trap.smudge", "smudge"),
    ("filter.trap.process", "process"),
    ("merge.trap.driver", "mergeDriver"),
    ("gpg.program", "gpg"),
    ("gpg.ssh.program", "gpgSsh"),
    ("gpg.x509.program", "gpgX509"),
    ("credential.helper", "credential"),
    ("uploadpack.packObjectsHook", "packObjectsHook"),
    ("alias.status", "aliasStatus"),
];

/// Hooks installed both in `.git/hooks` and in `core.hooksPath`.
const HOOKS: &[&str] = &[
    "pre-commit",
    "commit-msg",
    "prepare-commit-msg",
    "post-commit",
    "post-checkout",
    "post-index-change",
    "reference-transaction",
    "pre-push",
    "pre-auto-gc",
    "fsmonitor-watchman",
    "post-rewrite",
];

/// A repository armed with traps, the directory where markers appear, and
/// the path of the commit message file `commit-msg` reads.
struct Trap {
    repo: Repo,
    markers: Repo,
    message: PathBuf,
}

impl Trap {
    fn marker_dir(&self) -> PathBuf {
        self.markers.path().join("fired")
    }

    /// The markers written so far (names of the settings that ran).
    fn fired(&self) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.marker_dir())
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    fn clear(&self) {
        let _ = std::fs::remove_dir_all(self.marker_dir());
        std::fs::create_dir_all(self.marker_dir()).expect("marker dir");
    }
}

fn executable(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Build the trap repository: a private copy of the scripted `trap-history`
/// (a history with a locked quarter and a technology file routed through
/// `.gitattributes` to the trap filter and drivers, a staged change and an
/// unstaged one on top, a message in `.git/COMMIT_EDITMSG`), then the traps.
fn trap_repo() -> Trap {
    let markers = Repo::plain();
    let r = common::fixture_copy("trap-history");
    let message = r.path().join(".git/COMMIT_EDITMSG");
    for (rev, effort) in [("HEAD:", 5), (":", 6)] {
        let staged = r.git(&["show", &format!("{rev}roadmap/2026-Q1.toml")]);
        assert_eq!(
            staged,
            locked_quarter().replace("effort = 4", &format!("effort = {effort}")),
            "{rev}"
        );
    }
    let tree = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("quarter");
    assert_eq!(tree, locked_quarter().replace("effort = 4", "effort = 7"));

    // Arm the traps.
    let script = markers.path().join("trap.sh");
    executable(
        &script,
        &format!(
            "#!/bin/sh\nmkdir -p '{dir}'\ntouch '{dir}'/\"$1\"\ncat >/dev/null 2>&1 </dev/null\nexit 0\n",
            dir = markers.path().join("fired").display()
        ),
    );
    let hooks_path = markers.path().join("hooks");
    std::fs::create_dir_all(&hooks_path).expect("hooks dir");
    for hook in HOOKS {
        for (dir, tag) in [
            (hooks_path.clone(), "hooksPath"),
            (r.path().join(".git/hooks"), "gitHooks"),
        ] {
            executable(
                &dir.join(hook),
                &format!("#!/bin/sh\nexec '{}' '{tag}-{hook}'\n", script.display()),
            );
        }
    }
    for (key, tag) in TRAP_CONFIG {
        let value = if *key == "alias.status" {
            format!("!{} {tag}", script.display())
        } else {
            format!("{} {tag}", script.display())
        };
        r.git(&["config", key, &value]);
    }
    r.git(&["config", "filter.trap.required", "true"]);
    r.git(&[
        "config",
        "core.hooksPath",
        hooks_path.to_str().expect("utf-8"),
    ]);
    // the same traps in an included file, which must not be followed either
    let include = markers.path().join("included.config");
    std::fs::write(
        &include,
        format!(
            "[core]\n\tfsmonitor = {} includedFsmonitor\n",
            script.display()
        ),
    )
    .expect("write include");
    r.git(&["config", "include.path", include.to_str().expect("utf-8")]);

    let trap = Trap {
        repo: r,
        markers,
        message,
    };
    trap.clear();
    trap
}

/// Environment variables that would name programs too.
fn trap_env(t: &Trap) -> Vec<(String, String)> {
    let script = t.markers.path().join("trap.sh");
    [
        "GIT_PAGER",
        "PAGER",
        "GIT_EDITOR",
        "EDITOR",
        "VISUAL",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_EXTERNAL_DIFF",
    ]
    .iter()
    .map(|k| (k.to_string(), format!("{} env-{k}", script.display())))
    .collect()
}

/// Every roadlint command the guarantees cover, with the exit code expected
/// on the trap repository.
fn commands(t: &Trap) -> Vec<(Vec<String>, i32)> {
    let msg = t.message.to_str().expect("utf-8").to_string();
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        (v(&["check", "--today", "2026-05-01"]), 1),
        (
            v(&["check", "--today", "2026-05-01", "--format", "json"]),
            1,
        ),
        (v(&["check", "--staged", "--today", "2026-05-01"]), 1),
        (v(&["check", "--rev", "HEAD~1", "--today", "2026-05-01"]), 0),
        (v(&["report", "--today", "2026-05-01"]), 0),
        (
            v(&["report", "--today", "2026-05-01", "--format", "html"]),
            0,
        ),
        (
            vec![
                "commit-msg".into(),
                msg.clone(),
                "--today".into(),
                "2026-05-01".into(),
            ],
            0,
        ),
        (v(&["explain", "locked-scope"]), 0),
        (v(&["rules"]), 0),
        (v(&["schema"]), 0),
    ]
}

#[test]
fn the_trap_fires_under_git() {
    // The traps are real: git itself runs them.
    let t = trap_repo();
    let mut cmd = Command::new("git");
    clean_env(&mut cmd).current_dir(t.repo.path()).args([
        "-c",
        "core.fsmonitor=",
        "diff",
        "--cached",
        "--ext-diff",
    ]);
    let _ = cmd.output().expect("git runs");
    let mut cmd = Command::new("git");
    clean_env(&mut cmd)
        .current_dir(t.repo.path())
        .args(["status", "--short"]);
    let _ = cmd.output().expect("git runs");
    let fired = t.fired();
    // the included file's fsmonitor wins (it is read last)
    assert!(
        fired.contains(&"includedFsmonitor".to_string()),
        "{fired:?}"
    );
    assert!(
        fired.iter().any(|f| [
            "process",
            "clean",
            "textconv",
            "diffExternal",
            "diffCommand"
        ]
        .contains(&f.as_str())),
        "{fired:?}"
    );
}

#[test]
fn no_program_named_by_the_repository_ever_runs() {
    let t = trap_repo();
    let env = trap_env(&t);
    for (args, expected) in commands(&t) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = common::roadlint()
            .current_dir(t.repo.path())
            .args(&args)
            .envs(env.clone())
            .output();
        assert_eq!(code(&out), expected, "{args:?}: {}", text(&out));
        assert_eq!(
            t.fired(),
            Vec::<String>::new(),
            "{args:?} ran a trap: {}",
            text(&out)
        );
        // the pager/editor would have printed nothing; a marker is the only sign
    }
    // from a subdirectory too (discovery walks up)
    let sub = t.repo.path().join("roadmap");
    let out = common::roadlint()
        .current_dir(&sub)
        .args(["check", "--today", "2026-05-01"])
        .envs(env)
        .output();
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(t.fired(), Vec::<String>::new());
}

/// What is recorded of one path.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    kind: &'static str,
    mode: u32,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    content: Vec<u8>,
}

/// Every path under `root` (including `.git`), with content, size, mode and times.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let e = e.expect("walk");
        let m = e.path().symlink_metadata().expect("metadata");
        let (kind, content) = if m.file_type().is_symlink() {
            (
                "link",
                std::fs::read_link(e.path())
                    .expect("readlink")
                    .into_os_string()
                    .into_encoded_bytes(),
            )
        } else if m.is_file() {
            ("file", std::fs::read(e.path()).expect("read"))
        } else {
            ("dir", Vec::new())
        };
        out.insert(
            e.path().strip_prefix(root).expect("inside").to_path_buf(),
            Entry {
                kind,
                mode: m.mode(),
                size: m.size(),
                mtime: (m.mtime(), m.mtime_nsec()),
                ctime: (m.ctime(), m.ctime_nsec()),
                content,
            },
        );
    }
    out
}

fn assert_same(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>, what: &str) {
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "{what} touched the repository: added {added:?}, removed {removed:?}, changed {changed:?}"
    );
}

#[test]
fn commands_never_write_to_the_repository() {
    let t = trap_repo();
    let root = t.repo.path();
    let before = snapshot(root);
    assert!(
        before.keys().any(|p| p.starts_with(".git/objects")),
        "the snapshot covers .git"
    );
    for (args, expected) in commands(&t) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = common::roadlint().current_dir(root).args(&args).output();
        assert_eq!(code(&out), expected, "{args:?}: {}", text(&out));
        assert_same(&before, &snapshot(root), &format!("{args:?}"));
    }
    // A second run may use the history cache: still nothing in the repository.
    let out = common::roadlint()
        .current_dir(root)
        .args(["check", "--today", "2026-05-01"])
        .output();
    assert_eq!(code(&out), 1);
    assert_same(&before, &snapshot(root), "a cached re-run");
    assert_eq!(t.fired(), Vec::<String>::new());
}

#[test]
fn a_plain_repository_is_not_written_either() {
    // Without traps, with a default cache location under HOME inside nothing
    // of the repository: the commands still leave every byte in place.
    let r = common::fixture_copy("locked");
    assert_eq!(
        std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("quarter"),
        locked_quarter(),
        "fixtures/repos/build.sh builds the quarter this test means"
    );
    let home = Repo::plain();
    let env = vec![
        ("HOME".to_string(), home.path().display().to_string()),
        ("ROADLINT_CACHE_DIR".to_string(), String::new()),
    ];
    let before = snapshot(r.path());
    for args in [
        &["check", "--today", "2026-05-01"][..],
        &["check", "--staged", "--today", "2026-05-01"][..],
        &["report", "--today", "2026-05-01"][..],
        &["rules"][..],
        &["schema"][..],
        &["explain", "capacity"][..],
    ] {
        let out = common::roadlint()
            .current_dir(r.path())
            .args(args)
            .envs(env.clone())
            .output();
        assert!(code(&out) < 2, "{args:?}: {}", text(&out));
        assert_same(&before, &snapshot(r.path()), &format!("{args:?}"));
    }
}
