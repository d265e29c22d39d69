//! SPEC §9.7, bounds on every input: cache and memo files, `report --merge`
//! inputs, language-server messages and buffers, the commit-graph, and
//! bidirectional controls in every human format. Each hostile input is built
//! here, and the outcome (and, where the SPEC promises it, peak memory) is
//! asserted.
#![cfg(unix)]

mod common;

use common::{clean_env, code, text, Repo, GOOD_QUARTER, KPIS};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// 2026-Q1 locked on 2026-01-10, planned on 2026-01-05, then changed without
/// sign-off on 2026-02-02 (a locked-scope breach), then one more commit: a
/// private copy of the scripted `bounds-breached` (the tests write caches
/// and commit-graphs).
fn breached_repo() -> Repo {
    common::fixture_copy("bounds-breached")
}

/// Run roadlint in `dir` with `envs`, within `limit` (a hang fails the
/// test), and return its output with its own peak resident set in KiB
/// (`wait4`'s rusage of this one child).
fn run_peak(dir: &Path, args: &[&str], envs: &[(&str, &Path)], limit: Duration) -> (Output, u64) {
    let mut cmd = Command::new(common::bin());
    clean_env(&mut cmd).current_dir(dir).args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("roadlint runs");
    collect(child, limit)
}

/// Drain `child`'s output, reap it with `wait4` (killing it after `limit`),
/// and return its output and peak RSS in KiB.
fn collect(mut child: std::process::Child, limit: Duration) -> (Output, u64) {
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid out-pointers; `pid` is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4 failed");
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("roadlint did not finish within {limit:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    use std::os::unix::process::ExitStatusExt;
    let output = Output {
        status: std::process::ExitStatus::from_raw(status),
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    };
    (output, usage.ru_maxrss as u64)
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// The cache files (not the secret) in `dir`, sorted.
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| !p.ends_with("secret.rlhk"));
    files.sort();
    files
}

const REPORT: [&str; 3] = ["report", "--format", "json"];

#[test]
fn cache_entries_that_are_not_regular_files_or_too_large_are_ignored_and_rewritten() {
    let r = breached_repo();
    let cache = tempfile::tempdir().expect("tempdir");
    let env = [("ROADLINT_CACHE_DIR", cache.path())];
    let limit = Duration::from_secs(60);
    let plain = run_peak(
        r.path(),
        &[&REPORT[..], &["--no-cache"]].concat(),
        &env,
        limit,
    )
    .0;
    assert_eq!(code(&plain), 0, "{}", text(&plain));
    let cold = run_peak(r.path(), &REPORT, &env, limit).0;
    assert_eq!(cold.stdout, plain.stdout);
    let files = cache_files(cache.path());
    let exts: Vec<_> = files
        .iter()
        .filter_map(|f| f.extension()?.to_str())
        .collect();
    assert_eq!(exts, ["rlhc", "rlhd", "rlhm"]);
    let digest = files[1].clone();
    type Plant = fn(&Path);
    let hostile: [(&str, Plant); 3] = [
        ("a FIFO", mkfifo),
        ("a link to /dev/zero", |p| {
            std::os::unix::fs::symlink("/dev/zero", p).expect("symlink")
        }),
        ("a 3 GiB sparse file", |p| {
            std::fs::File::create(p)
                .and_then(|f| f.set_len(3 << 30))
                .expect("sparse file")
        }),
    ];
    for file in &files {
        for (what, plant) in hostile {
            std::fs::remove_file(file).expect("remove");
            plant(file);
            // Without the digest a warm run must read the other files.
            if file != &digest {
                std::fs::remove_file(&digest).expect("remove the digest");
            }
            let started = Instant::now();
            let (out, kib) = run_peak(r.path(), &REPORT, &env, limit);
            let took = started.elapsed();
            assert_eq!(code(&out), 0, "{file:?} as {what}: {}", text(&out));
            assert_eq!(out.stdout, plain.stdout, "{file:?} as {what}");
            assert!(
                took < Duration::from_secs(20),
                "{file:?} as {what}: {took:?}"
            );
            assert!(kib < 150 * 1024, "{file:?} as {what}: peak {kib} KiB");
            let meta = std::fs::symlink_metadata(file).expect("rewritten");
            assert!(
                meta.is_file() && meta.len() < 1 << 20,
                "{file:?} as {what}: not rewritten as a regular file"
            );
        }
    }
}

#[test]
fn cache_file_names_cannot_be_told_in_advance() {
    let r = breached_repo();
    let names = |dir: &Path| -> Vec<String> {
        let out = run_peak(
            r.path(),
            &REPORT,
            &[("ROADLINT_CACHE_DIR", dir)],
            Duration::from_secs(60),
        )
        .0;
        assert_eq!(code(&out), 0, "{}", text(&out));
        cache_files(dir)
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (names(a.path()), names(b.path()));
    assert_eq!(first.len(), 3);
    assert!(
        first.iter().all(|n| !second.contains(n)),
        "the same repository got the same names in two cache directories: {first:?}"
    );
    use std::os::unix::fs::PermissionsExt;
    let secret = a.path().join("secret.rlhk");
    let mode = std::fs::metadata(&secret)
        .expect("secret")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "the secret is readable by others: {mode:o}"
    );
    // A secret others may read is not trusted: a new one replaces it, and
    // with it every name.
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&secret).unwrap();
    let third = names(a.path());
    assert_ne!(std::fs::read(&secret).unwrap(), before);
    assert!(third.iter().any(|n| !first.contains(n)), "{third:?}");
    // A cache directory made by roadlint is this user's alone.
    let made = a.path().join("new/deeper");
    names(&made);
    let mode = std::fs::metadata(&made).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
}

/// A JSON report of `r`.
fn report_of(r: &Repo) -> Value {
    let out = r.roadlint(&REPORT);
    assert_eq!(code(&out), 0, "{}", text(&out));
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

#[test]
fn merge_inputs_are_regular_files_within_the_cap() {
    let r = breached_repo();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, report_of(&r).to_string()).unwrap();
    let fifo = dir.path().join("fifo.json");
    mkfifo(&fifo);
    let zero = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let huge = dir.path().join("huge.json");
    {
        // 65 MiB of real JSON whitespace: too large before a byte is parsed.
        let mut f = std::fs::File::create(&huge).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..65 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"{}").unwrap();
    }
    let sparse = dir.path().join("sparse.json");
    std::fs::File::create(&sparse)
        .and_then(|f| f.set_len(1 << 30))
        .unwrap();
    for (bad, said) in [
        (&fifo, "not a regular file"),
        (&zero, "not a regular file"),
        (&huge, "too large"),
        (&sparse, "too large"),
    ] {
        let args = [
            "report",
            "--merge",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ];
        let (out, kib) = run_peak(dir.path(), &args, &[], Duration::from_secs(30));
        assert_eq!(code(&out), 2, "{bad:?}: {}", text(&out));
        let t = text(&out);
        assert!(
            t.contains(bad.to_str().unwrap()) && t.contains(said),
            "{bad:?}: {t}"
        );
        assert!(kib < 64 * 1024, "{bad:?}: peak {kib} KiB");
    }
}

#[test]
fn merge_refuses_numbers_a_report_cannot_hold_naming_the_file() {
    let r = breached_repo();
    let base = report_of(&r);
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, base.to_string()).unwrap();
    let ok = common::roadlint_in(dir.path(), &["report", "--merge", "good.json", "good.json"]);
    assert_eq!(code(&ok), 0, "{}", text(&ok));
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit, &str); 6] = [
        (
            "negative.json",
            |v| v["quarters"][0]["effort"]["debt"] = json!(-3.0),
            "effort.debt is -3",
        ),
        (
            "share.json",
            |v| v["quarters"][0]["planned_debt_share"] = json!(7.5),
            "planned_debt_share is 7.5",
        ),
        (
            "neg-share.json",
            |v| v["quarters"][0]["planned_debt_share"] = json!(-0.1),
            "a share outside 0–1",
        ),
        (
            "capacity.json",
            |v| v["quarters"][0]["capacity"] = json!(-1),
            "capacity is -1",
        ),
        (
            "huge.json",
            |v| v["quarters"][0]["effort"]["feature"] = json!(1e300),
            "effort.feature",
        ),
        (
            "threshold.json",
            |v| v["thresholds"]["debt_share_max"] = json!(2),
            "debt_share_max is 2",
        ),
    ];
    for (name, edit, said) in cases {
        let mut v = base.clone();
        edit(&mut v);
        std::fs::write(dir.path().join(name), v.to_string()).unwrap();
        let out = common::roadlint_in(dir.path(), &["report", "--merge", "good.json", name]);
        assert_eq!(code(&out), 2, "{name}: {}", text(&out));
        let t = text(&out);
        assert!(t.contains(name) && t.contains(said), "{name}: {t}");
    }
    // JSON cannot spell infinity; a number beyond f64 is not a report either.
    let inf = base
        .to_string()
        .replacen("\"debt\":", "\"debt\":1e999,\"x\":", 1);
    std::fs::write(dir.path().join("inf.json"), inf).unwrap();
    let out = common::roadlint_in(dir.path(), &["report", "--merge", "good.json", "inf.json"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("inf.json"), "{}", text(&out));
}

/// The offsets of a commit-graph's chunks, by id.
fn chunks(graph: &[u8]) -> std::collections::HashMap<[u8; 4], usize> {
    let n = graph[6] as usize;
    (0..n)
        .map(|i| {
            let e = &graph[8 + 12 * i..8 + 12 * (i + 1)];
            let id: [u8; 4] = e[..4].try_into().unwrap();
            (
                id,
                u64::from_be_bytes(e[4..12].try_into().unwrap()) as usize,
            )
        })
        .collect()
}

#[test]
fn a_commit_graph_whose_checksum_does_not_verify_is_not_used() {
    let r = breached_repo();
    let check = [
        "check",
        "--today",
        "2026-03-01",
        "--format",
        "json",
        "--no-cache",
    ];
    let truth = r.roadlint(&check);
    assert!(
        String::from_utf8_lossy(&truth.stdout).contains("locked-scope"),
        "{}",
        text(&truth)
    );
    r.git(&["commit-graph", "write", "--reachable", "--no-changed-paths"]);
    let file = r.path().join(".git/objects/info/commit-graph");
    let mut graph = std::fs::read(&file).expect("a commit-graph");
    assert_eq!(&graph[..4], b"CGPH");
    // Forge it: the breaching commit gets its parent's root tree, so that a
    // walk trusting the graph sees no change to the locked file.
    let breach = r.git(&["rev-parse", "HEAD~1"]);
    let parent = r.git(&["rev-parse", "HEAD~2"]);
    let c = chunks(&graph);
    let (oidl, cdat) = (c[b"OIDL"], c[b"CDAT"]);
    let n = (cdat - oidl) / 20;
    let pos = |hex: &str| {
        let id: Vec<u8> = (0..20)
            .map(|i| u8::from_str_radix(&hex.trim()[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        (0..n)
            .find(|i| graph[oidl + 20 * i..oidl + 20 * (i + 1)] == id[..])
            .expect("commit in the graph")
    };
    let (b, p) = (pos(&breach), pos(&parent));
    let tree: Vec<u8> = graph[cdat + 36 * p..cdat + 36 * p + 20].to_vec();
    graph[cdat + 36 * b..cdat + 36 * b + 20].copy_from_slice(&tree);
    std::fs::write(&file, &graph).unwrap();
    let forged = r.roadlint(&check);
    assert_eq!(
        String::from_utf8_lossy(&forged.stdout),
        String::from_utf8_lossy(&truth.stdout),
        "a forged commit-graph changed the verdict: {}",
        text(&forged)
    );
    assert_eq!(code(&forged), code(&truth));
    // A sound graph is used, and gives the same verdict.
    std::fs::remove_file(&file).unwrap();
    r.git(&["commit-graph", "write", "--reachable"]);
    let sound = r.roadlint(&check);
    assert_eq!(sound.stdout, truth.stdout);
}

#[test]
fn the_arabic_letter_mark_and_every_bidi_control_are_escaped_in_human_formats() {
    let r = Repo::init();
    let bidi = "\u{61c}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}";
    let q = GOOD_QUARTER.replace(
        "title = \"Checkout\"",
        &format!("title = \"Check{bidi}out\""),
    );
    // an unknown key, so that a diagnostic quotes the line
    let q = q.replace(
        "effort = 4\n",
        &format!("effort = 4\nnotes = \"x{bidi}\"\n"),
    );
    r.write("roadmap/2026-Q1.toml", &q).write(
        "roadmap/kpis.toml",
        &KPIS.replace("conversion", &format!("conv{bidi}ersion")),
    );
    r.commit(
        &format!("feat(PAY-1): subject {bidi} end"),
        "2026-01-05T10:00:00Z",
    );
    let mut shown = 0;
    for args in [
        &["check", "--today", "2026-03-01", "--format", "human"][..],
        &["check", "--today", "2026-03-01", "--format", "github"][..],
        &["report", "--format", "html"][..],
        &["report", "--format", "table"][..],
    ] {
        let out = r.roadlint(args);
        let t = text(&out);
        for c in bidi.chars() {
            assert!(!t.contains(c), "{args:?}: {c:?} reached the output raw");
        }
        if t.contains("\\u{61c}") {
            shown += 1;
        }
    }
    assert!(shown >= 2, "the escapes are visible in the outputs");
}

/// A language-server client on a real `roadlint server` over stdio.
struct Lsp {
    child: Option<std::process::Child>,
    input: std::process::ChildStdin,
    messages: std::sync::mpsc::Receiver<Value>,
}

impl Lsp {
    fn start(root: &Path) -> Lsp {
        let mut cmd = Command::new(common::bin());
        clean_env(&mut cmd).current_dir(root).arg("server");
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("roadlint server runs");
        let input = child.stdin.take().expect("stdin");
        let mut output = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if output.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    length = v.parse().expect("a length");
                }
            }
            let mut body = vec![0; length];
            if output.read_exact(&mut body).is_err() {
                return;
            }
            let _ = tx.send(serde_json::from_slice(&body).expect("the server writes JSON"));
        });
        Lsp {
            child: Some(child),
            input,
            messages,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).expect("write");
        self.input.flush().expect("flush");
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// The first message from the server that `want` accepts.
    fn wait(&self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(v) if want(&v) => return v,
                Ok(_) => {}
                Err(e) => panic!("no {what} from the server: {e}"),
            }
        }
    }
}

#[test]
fn the_language_server_answers_malformed_messages_and_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("roadlint.toml"), "").unwrap();
    std::fs::create_dir(root.join("roadmap")).unwrap();
    std::fs::write(root.join("roadmap/2026-Q1.toml"), GOOD_QUARTER).unwrap();
    let uri = |rel: &str| format!("file://{}/{rel}", root.display());
    let mut s = Lsp::start(&root);
    s.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"rootUri": uri(""), "capabilities": {}}}));
    s.wait("initialize result", |v| {
        v["id"] == 1 && v.get("result").is_some()
    });
    s.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let error = |code: i64| move |v: &Value| v["error"]["code"] == code;
    s.raw(b"Content-Length: 8\r\n\r\nnot json");
    let e = s.wait("-32700 for a body that is not JSON", error(-32700));
    assert_eq!(e["id"], Value::Null);
    s.raw(b"Content-Length: twelve\r\n\r\n");
    s.wait("-32700 for a bad Content-Length", error(-32700));
    s.send(json!({"jsonrpc": "2.0", "id": 5, "method": 7}));
    let e = s.wait("-32600 for JSON that is no message", error(-32600));
    assert_eq!(e["id"], 5);
    // A buffer that is not valid UTF-16: a lone surrogate, written raw.
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{}","languageId":"toml","version":1,"text":"quarter = \"2026-Q1\"\ncapacity = 20\n# \ud83d lone\n[[item]]\nid = \"PAY-1\"\n"}}}}}}"#,
        uri("roadmap/2026-Q1.toml")
    );
    s.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let published = |path: &'static str| {
        let u = uri(path);
        move |v: &Value| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == u.as_str()
        }
    };
    s.wait(
        "diagnostics of the buffer with a lone surrogate",
        published("roadmap/2026-Q1.toml"),
    );
    // A 12 MB buffer: too large, not parsed.
    let big = "# padding\n".repeat(1_200_000);
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri("roadmap/big.toml"), "languageId": "toml", "version": 1, "text": big}}}),
    );
    let d = s.wait(
        "diagnostics of the huge buffer",
        published("roadmap/big.toml"),
    );
    assert!(d.to_string().contains("too large"), "{d}");
    // Still serving: a request is answered, and the server shuts down cleanly.
    s.send(json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri("roadmap/2026-Q1.toml")}, "position": {"line": 0, "character": 1}}}));
    s.wait("the hover answer", |v| v["id"] == 9);
    s.send(json!({"jsonrpc": "2.0", "id": 10, "method": "shutdown"}));
    s.wait("the shutdown answer", |v| v["id"] == 10);
    s.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    // Reaped below with wait4, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = s.child.take().expect("child");
    let pid = child.id() as libc::pid_t;
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    let start = Instant::now();
    loop {
        // SAFETY: valid out-pointers; `pid` is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server did not exit"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{status}"
    );
    let kib = usage.ru_maxrss;
    assert!(kib < 200 * 1024, "peak {kib} KiB for a 12 MB buffer");
}
