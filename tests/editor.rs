//! `roadlint server` in a real editor: headless Neovim, set up with the
//! README's Neovim 0.7 block (read from README.md, so the README shows what
//! is tested), attaches the server to a quarter file, sees a capacity breach
//! at the right line, and sees it go when the buffer (unsaved) is fixed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file under `dir` with its bytes, to prove nothing was written.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
#[cfg_attr(
    missing_nvim,
    ignore = "nvim is not installed (apt-get install neovim)"
)]
fn neovim_shows_a_capacity_breach_and_its_fix() {
    let Some(nvim) = common::tool("nvim") else {
        return;
    };
    let repo = tempfile::tempdir().expect("tempdir");
    let root = std::fs::canonicalize(repo.path()).expect("root");
    std::fs::create_dir_all(root.join("roadmap")).expect("mkdir");
    std::fs::write(root.join("roadlint.toml"), "").expect("config");
    std::fs::write(
        root.join("roadmap/2026-Q1.toml"),
        "quarter = \"2026-Q1\"\ncapacity = 10\n\n[[item]]\nid = \"OPS-1\"\ntitle = \"Upgrade for Émile 👩‍💻\"\nkind = \"debt\"\neffort = 14\nproduct_owner = \"Émile 👩‍💻\"\ntech_owner = \"lee\"\n",
    )
    .expect("quarter");
    let before = snapshot(&root);
    let scratch = tempfile::tempdir().expect("tempdir");
    let out = scratch.path().join("out.txt");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editor/nvim.lua");
    // The README's setup, run as written: `roadlint` on PATH is the binary
    // under test, judging as of a fixed day.
    let setup = common::readme::block(&common::readme::text(), "nvim-0.7");
    assert_eq!(setup.lang, "lua");
    let snippet = scratch.path().join("roadlint.lua");
    std::fs::write(&snippet, &setup.body).expect("snippet");
    let bin_dir = scratch.path().join("bin");
    std::fs::create_dir(&bin_dir).expect("bin dir");
    let wrapper = bin_dir.join("roadlint");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec '{}' \"$@\" --today 2026-02-01\n",
            common::bin().display()
        ),
    )
    .expect("wrapper");
    common::make_executable(&wrapper);
    let mut path = vec![bin_dir];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .env("RL_ROOT", &root)
        .env("RL_SNIPPET", &snippet)
        .env("PATH", std::env::join_paths(path).expect("PATH"))
        .env("RL_OUT", &out)
        .env("HOME", scratch.path())
        .env("XDG_STATE_HOME", scratch.path())
        .env("XDG_DATA_HOME", scratch.path())
        .env("XDG_CACHE_HOME", scratch.path())
        .env("ROADLINT_CACHE_DIR", scratch.path().join("cache"))
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("nvim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let seen = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim failed ({status}):\n{seen}");
    assert!(seen.contains("breach line=2 col=11 severity=1"), "{seen}");
    assert!(seen.contains("fixed"), "{seen}");
    assert_eq!(
        snapshot(&root),
        before,
        "the server wrote into the repository"
    );
}
