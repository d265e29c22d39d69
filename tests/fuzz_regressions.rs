//! Replays the fuzz inputs kept in the repository through the same checks as the
//! cargo-fuzz targets (`fuzz/checks.rs`), so `cargo test` re-runs every crash
//! the fuzzer ever found, and the seed corpus too:
//!
//! - `fuzz/regressions/<target>/*`: minimized inputs that once broke an
//!   invariant (one file each, named after what they found);
//! - `fuzz/seeds/<target>/*`: the seed corpus, built from the fixtures.
//!
//! `<target>` is `roadmap`, `commit_message`, `config`, `render`, `lsp` or `merge`. See `fuzz/README.md`.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

const TARGETS: [&str; 6] = [
    "roadmap",
    "commit_message",
    "config",
    "render",
    "lsp",
    "merge",
];

/// Regression inputs whose bug is not fixed yet: `(target, file name)`. Each has
/// an `#[ignore]`d test below; the bulk replay skips them so CI stays green.
/// Remove an entry (and its ignored test) when the bug is fixed.
const KNOWN_UNFIXED: &[(&str, &str)] = &[];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

/// Replay every input of `kind` (each in its own `catch_unwind`, so one report
/// lists every failure) and return how many ran.
fn replay(kind: &str) -> usize {
    let mut failures = Vec::new();
    let mut ran = 0;
    for target in TARGETS {
        for path in inputs(kind, target) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if KNOWN_UNFIXED.contains(&(target, name.as_str())) {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            ran += 1;
            if let Err(e) = std::panic::catch_unwind(|| checks::run(target, &data)) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{kind}/{target}/{name}: {msg}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} {kind} inputs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    ran
}

#[test]
fn every_regression_input_passes() {
    replay("regressions");
}

#[test]
fn every_seed_passes() {
    let ran = replay("seeds");
    assert!(
        ran > 0,
        "no seeds found under {}",
        fuzz_dir().join("seeds").display()
    );
}

#[test]
fn every_known_unfixed_input_exists() {
    for (target, name) in KNOWN_UNFIXED {
        let path = fuzz_dir().join("regressions").join(target).join(name);
        assert!(path.is_file(), "{} is listed but missing", path.display());
    }
}

/// Replay one input by hand (used by the `#[ignore]`d tests of unfixed bugs).
#[allow(dead_code)]
fn replay_one(target: &str, name: &str) {
    let data = std::fs::read(fuzz_dir().join("regressions").join(target).join(name)).unwrap();
    checks::run(target, &data);
}

#[test]
fn the_checks_catch_raw_escapes() {
    // The checks themselves must bite: a rendering with a raw ESC fails.
    let r = std::panic::catch_unwind(|| {
        checks::no_controls(roadlint::cli::Format::Short, "a\u{1b}[2Jb\n")
    });
    assert!(r.is_err());
    checks::no_controls(roadlint::cli::Format::Short, "a\r\nb\tc\n");
}
