//! The history cache and the parallel walk never change an answer: on a
//! generated repository, `report --format json` and `check --format json` print
//! byte-identical output cold, warm, with `--no-cache`, after new commits, after
//! rewritten history, after a config change (classes and the sign-off gate's
//! findings are remembered per question), and with a corrupt cache file.

mod common;

use common::{clean_env, code, require_external, Repo};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A ~300-commit repository from the benchmark generator, or `None` (skip)
/// when python3 is not available.
fn generated(extra: &[&str]) -> Option<Repo> {
    let r = Repo::plain();
    let out = r.path().join("repo");
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_repo.py");
    let mut cmd = Command::new("python3");
    clean_env(&mut cmd)
        .arg(gen)
        .args([
            "--out",
            out.to_str()?,
            "--commits",
            "300",
            "--roadmap-files",
            "12",
            "--seed",
            "7",
        ])
        .args(extra);
    match cmd.output() {
        Ok(o) if o.status.success() => Some(r),
        Ok(o) => panic!("gen_repo.py failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) if !require_external() => None,
        Err(e) => panic!("python3 is required: {e}"),
    }
}

/// Runs of roadlint in one repository with one cache directory.
struct Runner {
    repo: PathBuf,
    cache: tempfile::TempDir,
}

impl Runner {
    fn new(r: &Repo) -> Runner {
        Runner {
            repo: r.path().join("repo"),
            cache: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// (exit code, stdout) of `roadlint ARGS`.
    fn run(&self, args: &[&str]) -> (i32, String) {
        let out = common::roadlint()
            .env("ROADLINT_CACHE_DIR", self.cache.path())
            .current_dir(&self.repo)
            .args(args)
            .arg("--quiet")
            .output();
        assert!(
            code(&out) < 2,
            "roadlint {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            code(&out),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    }

    fn git(&self, args: &[&str], date: &str) -> String {
        let mut cmd = Command::new("git");
        clean_env(&mut cmd)
            .current_dir(&self.repo)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .args(args);
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn cache_files(&self) -> Vec<PathBuf> {
        // The cache files, not the secret their names are made with.
        std::fs::read_dir(self.cache.path())
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| !p.ends_with("secret.rlhk"))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every command gives the same answer cold (cache written), warm (cache
    /// read) and with `--no-cache`.
    fn assert_consistent(&self, what: &str) {
        for cmd in COMMANDS {
            let plain = self.run(&[cmd, &["--no-cache"]].concat());
            let first = self.run(cmd);
            let second = self.run(cmd);
            assert_eq!(
                first, plain,
                "{what}: {cmd:?} with the cache differs from --no-cache"
            );
            assert_eq!(
                second, plain,
                "{what}: {cmd:?} warm differs from --no-cache"
            );
        }
    }
}

const COMMANDS: [&[&str]; 2] = [
    &["report", "--format", "json"],
    &["check", "--format", "json", "--today", "2026-06-01"],
];

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn cold_warm_and_no_cache_agree() {
    let Some(r) = generated(&[]) else { return };
    let run = Runner::new(&r);
    for cmd in COMMANDS {
        let cold = run.run(cmd);
        assert!(!run.cache_files().is_empty(), "a cache file was written");
        let warm = run.run(cmd);
        let plain = run.run(&[cmd, &["--no-cache"]].concat());
        assert_eq!(cold, plain, "{cmd:?}: cold vs --no-cache");
        assert_eq!(warm, plain, "{cmd:?}: warm vs --no-cache");
        assert!(plain.1.contains("\"version\""), "{}", plain.1);
    }
    // history-debt-share and locked-scope findings are really there
    let (status, check) = run.run(COMMANDS[1]);
    assert_eq!(
        status, 1,
        "the generated repository has deliberate breaches"
    );
    assert!(check.contains("locked-scope"), "{check}");
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn commit_graph_and_merges_agree() {
    let Some(r) = generated(&["--merges", "--commit-graph"]) else {
        return;
    };
    Runner::new(&r).assert_consistent("commit-graph + merges");
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn the_walk_with_and_without_a_commit_graph_agrees() {
    let Some(r) = generated(&["--merges", "--commit-graph"]) else {
        return;
    };
    let run = Runner::new(&r);
    let with_graph: Vec<_> = COMMANDS
        .iter()
        .map(|cmd| run.run(&[*cmd, &["--no-cache"]].concat()))
        .collect();
    let info = run.repo.join(".git/objects/info");
    let mut removed = 0;
    for entry in std::fs::read_dir(&info).expect("objects/info") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("commit-graph"))
        {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).expect("remove the graph chain");
            } else {
                std::fs::remove_file(&path).expect("remove the graph");
            }
            removed += 1;
        }
    }
    assert!(removed > 0, "the generator wrote a commit-graph");
    // Without a graph the walk reads every commit and classifies it on the
    // way (one inflate per commit); the answers must not change.
    for (cmd, expected) in COMMANDS.iter().zip(&with_graph) {
        assert_eq!(
            &run.run(&[*cmd, &["--no-cache"]].concat()),
            expected,
            "{cmd:?}"
        );
        assert_eq!(&run.run(cmd), expected, "{cmd:?} (cache cold)");
        assert_eq!(&run.run(cmd), expected, "{cmd:?} (cache warm)");
    }
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn new_and_rewritten_commits_are_seen() {
    let Some(r) = generated(&[]) else { return };
    let run = Runner::new(&r);
    run.assert_consistent("initial");
    // new commits on top: only they are decoded, the answer stays exact
    for (i, msg) in ["fix: a", "feat: b", "refactor: c"].iter().enumerate() {
        let date = format!("2025-12-2{i}T10:00:00Z");
        run.git(&["commit", "-q", "--allow-empty", "-m", msg], &date);
    }
    run.assert_consistent("after new commits");
    // rewritten history: drop commits and make different ones with the same subjects
    run.git(&["reset", "-q", "--hard", "HEAD~5"], "2025-12-30T10:00:00Z");
    for msg in ["feat: a", "docs: b"] {
        run.git(
            &["commit", "-q", "--allow-empty", "-m", msg],
            "2025-12-30T11:00:00Z",
        );
    }
    run.assert_consistent("after a rewrite");
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn a_config_change_never_serves_stale_classes() {
    let Some(r) = generated(&[]) else { return };
    let run = Runner::new(&r);
    run.assert_consistent("default config");
    let config = run.repo.join("roadlint.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let edited = text
        .replace(
            "debt_types    = [\"fix\", \"refactor\", \"perf\", \"chore\", \"build\", \"ci\", \"test\", \"revert\"]",
            "debt_types    = [\"fix\", \"docs\"]",
        )
        .replace("feature_types = [\"feat\"]", "feature_types = [\"feat\", \"perf\"]");
    assert_ne!(
        edited, text,
        "the generator's config has the default [history] lists"
    );
    std::fs::write(&config, &edited).expect("write config");
    run.assert_consistent("changed [history] types");
    let renamed = edited.replace(
        "item_trailer  = \"Roadmap-Item\"",
        "item_trailer  = \"Refs\"",
    );
    assert_ne!(renamed, edited);
    std::fs::write(&config, &renamed).expect("write config");
    run.assert_consistent("changed item trailer");
    // The sign-off gate's findings are remembered per question too.
    let signoff = renamed.replace(
        "product_trailer = \"Product-Approved-By\"",
        "product_trailer = \"Product-OK\"",
    );
    assert_ne!(
        signoff, renamed,
        "the generator's config names its trailers"
    );
    std::fs::write(&config, signoff).expect("write config");
    run.assert_consistent("changed sign-off trailer");
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn a_corrupt_cache_is_ignored() {
    let Some(r) = generated(&[]) else { return };
    let run = Runner::new(&r);
    let plain = run.run(&[COMMANDS[0], &["--no-cache"]].concat());
    run.run(COMMANDS[0]);
    let mut files = run.cache_files();
    files.sort();
    let extensions: Vec<_> = files
        .iter()
        .filter_map(|f| f.extension()?.to_str())
        .collect();
    assert_eq!(
        extensions,
        ["rlhc", "rlhd", "rlhm"],
        "the cache, its digest and the remembered answers"
    );
    for file in &files {
        let bytes = std::fs::read(file).expect("cache file");
        let variants: Vec<Vec<u8>> = vec![
            bytes[..bytes.len() / 2].to_vec(),
            Vec::new(),
            b"garbage".to_vec(),
            {
                let mut b = bytes.clone();
                let mid = b.len() / 3;
                b[mid] ^= 0x55;
                b
            },
            {
                let mut b = bytes.clone();
                b.extend_from_slice(b"trailing");
                b
            },
        ];
        for (i, v) in variants.into_iter().enumerate() {
            std::fs::write(file, v).expect("write");
            // Without a digest, a warm run must read the cache file itself.
            let digest = files[0].with_extension("rlhd");
            if file != &digest {
                std::fs::remove_file(&digest).expect("remove the digest");
            }
            assert_eq!(run.run(COMMANDS[0]), plain, "{file:?}: corrupt variant {i}");
            assert_eq!(
                run.run(COMMANDS[0]),
                plain,
                "{file:?}: rewritten after variant {i}"
            );
            assert_eq!(
                std::fs::read(file).expect("rewritten"),
                bytes,
                "{file:?}: not rewritten after variant {i}"
            );
        }
    }
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn no_cache_neither_reads_nor_writes_and_the_repo_stays_clean() {
    let Some(r) = generated(&[]) else { return };
    let run = Runner::new(&r);
    run.run(&[COMMANDS[0], &["--no-cache"]].concat());
    assert!(
        run.cache_files().is_empty(),
        "--no-cache wrote {:?}",
        run.cache_files()
    );
    // a cache directory inside the repository is refused
    let inside = run.repo.join(".roadlint-cache");
    let out = common::roadlint()
        .env("ROADLINT_CACHE_DIR", &inside)
        .current_dir(&run.repo)
        .args(["report", "--format", "json", "--quiet"])
        .output();
    assert_eq!(code(&out), 0);
    assert!(
        !inside.exists(),
        "the cache was written inside the repository"
    );
    let status = run.git(&["status", "--porcelain"], "2025-12-30T10:00:00Z");
    assert!(status.is_empty(), "{status}");
    // an unwritable cache directory never fails the run
    let out = common::roadlint()
        .env("ROADLINT_CACHE_DIR", "/proc/roadlint-cannot-write-here")
        .current_dir(&run.repo)
        .args(["report", "--format", "json", "--quiet"])
        .output();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn a_warm_run_on_the_same_tip_reads_only_the_digest() {
    let Some(r) = generated(&[]) else { return };
    let run = Runner::new(&r);
    let cold = run.run(COMMANDS[0]);
    let mut files = run.cache_files();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    // Another question of the same tip (a `check` judging fewer quarters)
    // is answered from the per-commit cache, and remembered beside the first.
    let checked = run.run(COMMANDS[1]);
    assert_eq!(checked, run.run(&[COMMANDS[1], &["--no-cache"]].concat()));
    // Without the remembered answers, a warm run reads the per-commit cache
    // again and remembers them anew.
    std::fs::remove_file(&files[2]).expect("remove the answers");
    assert_eq!(run.run(COMMANDS[0]), cold);
    assert_eq!(run.run(COMMANDS[1]), checked);
    assert!(files[2].exists(), "the answers are remembered again");
    // The per-commit file is only needed when the tip moves or a new question
    // is asked: without it, a warm run still answers (from the digest and the
    // remembered answer) and does not rebuild it.
    std::fs::remove_file(&files[0]).expect("remove the cache file");
    assert_eq!(run.run(COMMANDS[0]), cold);
    assert_eq!(run.run(COMMANDS[1]), checked);
    assert!(!files[0].exists(), "the warm run rebuilt the cache file");
    // A new commit moves the tip: the digest no longer applies, the history
    // is read again, and all three files come back.
    run.git(
        &["commit", "--allow-empty", "-m", "feat: one more"],
        "2025-12-30T10:00:00Z",
    );
    let moved = run.run(COMMANDS[0]);
    assert_eq!(moved, run.run(&[COMMANDS[0], &["--no-cache"]].concat()));
    assert!(files.iter().all(|f| f.exists()));
}

#[test]
#[cfg_attr(missing_python3, ignore = "python3 is not installed")]
fn a_warm_run_over_merges_reads_only_the_digest() {
    // The sign-off gate judges merges too: the digest records which of them
    // changed the roadmap, so a warm `check` needs the per-commit file no
    // more than on a history without merges.
    // The generator lays out merges only in histories over 400 commits.
    let Some(r) = generated(&["--merges", "--commit-graph", "--commits", "600"]) else {
        return;
    };
    let run = Runner::new(&r);
    let merges = run.git(
        &["rev-list", "--merges", "--count", "HEAD"],
        "2026-01-01T00:00:00Z",
    );
    assert!(
        merges.trim().parse::<u32>().expect("a count") > 0,
        "{merges}"
    );
    let answers: Vec<(i32, String)> = COMMANDS.iter().map(|c| run.run(c)).collect();
    let mut files = run.cache_files();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    std::fs::remove_file(&files[0]).expect("remove the cache file");
    for (cmd, answer) in COMMANDS.iter().zip(&answers) {
        assert_eq!(&run.run(cmd), answer, "{cmd:?} from the digest");
        assert_eq!(&run.run(&[cmd, &["--no-cache"][..]].concat()), answer);
    }
    assert!(!files[0].exists(), "a warm run read the history again");
    assert_eq!(answers[1].0, 1, "the locked-scope breaches are found");
}
