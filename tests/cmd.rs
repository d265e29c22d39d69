//! CLI cases as data: each `tests/cmd/NAME.toml` names the arguments and the
//! exit code, `NAME.in/` holds the files (copied to a sandbox outside any git
//! repository), and `NAME.stdout` / `NAME.stderr` the expected output.
//! `TRYCMD=overwrite cargo test --test cmd` rewrites the expectations.

#[test]
fn cli_cases() {
    let cache = std::env::temp_dir().join("roadlint-test-cache");
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("ROADLINT_CACHE_DIR", cache.display().to_string())
        .env("COLUMNS", "100")
        .case("tests/cmd/*.toml");
}
