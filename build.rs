//! Marks the end-to-end tests whose external tool is missing as ignored, so
//! `cargo test` shows them as skipped (with the reason) instead of as
//! passing. Under `ROADLINT_REQUIRE_EXTERNAL=1` (CI) nothing is ignored: a
//! missing tool then fails its test.

use std::path::{Path, PathBuf};

/// The tools the tests in `tests/` run, each with the cfg set when absent.
const TOOLS: &[(&str, &str)] = &[
    ("chromium", "missing_chromium"),
    ("pre-commit", "missing_pre_commit"),
    ("taplo", "missing_taplo"),
    ("python3", "missing_python3"),
    ("maturin", "missing_maturin"),
    ("setpriv", "missing_setpriv"),
    ("nvim", "missing_nvim"),
];

fn found(name: &str, venv: &Path) -> bool {
    if venv.join(name).is_file() {
        return true;
    }
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d: PathBuf| d.join(name).is_file()))
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=ROADLINT_REQUIRE_EXTERNAL");
    let required = std::env::var("ROADLINT_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1");
    let venv =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join(".ci/venv/bin");
    for (tool, cfg) in TOOLS {
        println!("cargo:rustc-check-cfg=cfg({cfg})");
        if !required && !found(tool, &venv) {
            println!("cargo:rustc-cfg={cfg}");
        }
    }
}
