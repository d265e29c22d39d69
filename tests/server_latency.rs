//! How fast the language server answers an edit on a large roadmap, over
//! real stdio with the built binary. Ignored by default (it is a
//! measurement); run it on a release build:
//!
//! ```sh
//! cargo test --release --test server_latency -- --ignored --nocapture
//! ```
//!
//! It writes 50 roadmap files holding 2,000 items (48 quarter files, KPIs,
//! requests), then toggles a capacity breach in one quarter file 100 times:
//! each `didChange` changes that file's diagnostics, so each is answered by
//! one `publishDiagnostics`. It prints the median and the 95th percentile,
//! the server's resident memory once idle, and the JSON-RPC messages of one
//! change.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const QUARTERS: usize = 48;
const ITEMS_PER_QUARTER: usize = 2000 / QUARTERS + 1;

fn quarter_name(n: usize) -> String {
    format!("{}-Q{}", 2014 + n / 4, n % 4 + 1)
}

/// A quarter file: items of every kind, owners, KPIs, dependencies on the
/// previous quarter's items, capacity above the plan.
fn quarter_file(n: usize, items: usize) -> String {
    let mut s = format!(
        "quarter = \"{}\"\ncapacity = {}\n",
        quarter_name(n),
        items * 3
    );
    for i in 0..items {
        let kind = ["feature", "feature", "debt", "platform"][i % 4];
        s.push_str(&format!(
            "\n[[item]]\nid = \"Q{n}-{i}\"\ntitle = \"Work item {i} of quarter {n} for Émile 👩‍💻\"\nkind = \"{kind}\"\neffort = 2\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\nstatus = \"planned\"\n"
        ));
        if kind == "feature" {
            s.push_str(&format!("kpis = [\"kpi-{}\"]\n", i % 20));
        }
        if n > 0 && i % 3 == 0 {
            s.push_str(&format!("depends_on = [\"Q{}-{}\"]\n", n - 1, i));
        }
    }
    s
}

fn write_roadmap(root: &Path) -> usize {
    std::fs::create_dir_all(root.join("roadmap")).unwrap();
    std::fs::write(root.join("roadlint.toml"), "").unwrap();
    let mut items = 0;
    for n in 0..QUARTERS {
        let count = ITEMS_PER_QUARTER.min(2000 - items);
        items += count;
        std::fs::write(
            root.join(format!("roadmap/{}.toml", quarter_name(n))),
            quarter_file(n, count),
        )
        .unwrap();
    }
    let mut kpis = String::new();
    for k in 0..20 {
        kpis.push_str(&format!(
            "[[kpi]]\nid = \"kpi-{k}\"\ndescription = \"metric {k}\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n\n"
        ));
    }
    std::fs::write(root.join("roadmap/kpis.toml"), kpis).unwrap();
    let mut requests = String::new();
    for r in 0..20 {
        requests.push_str(&format!(
            "[[request]]\nid = \"R-{r}\"\ncustomer = \"acme\"\ntitle = \"ask {r}\"\nstatus = \"proposed\"\n\n"
        ));
    }
    std::fs::write(root.join("roadmap/requests.toml"), requests).unwrap();
    items
}

fn send(stdin: &mut ChildStdin, msg: &Value, log: Option<&mut Vec<String>>) {
    let body = msg.to_string();
    if let Some(log) = log {
        log.push(format!("--> {body}"));
    }
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn reader(out: impl Read + Send + 'static) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(out);
        loop {
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    len = n.parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            if tx
                .send((Instant::now(), String::from_utf8(body).unwrap()))
                .is_err()
            {
                return;
            }
        }
    });
    rx
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
}

#[test]
#[ignore = "a measurement: run with --release -- --ignored --nocapture"]
fn did_change_to_publish_latency_on_50_files_and_2000_items() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let items = write_roadmap(&root);
    assert_eq!(items, 2000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_roadlint"))
        .args(["server", "--today", "2026-02-01"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let rx = reader(child.stdout.take().unwrap());
    let root_uri = lsp_types::Url::from_file_path(&root).unwrap();
    let path = format!("roadmap/{}.toml", quarter_name(20));
    let uri = lsp_types::Url::from_file_path(root.join(&path)).unwrap();
    let text = std::fs::read_to_string(root.join(&path)).unwrap();
    let capacity = text.lines().nth(1).unwrap().to_string();
    let breach = text.replacen(&capacity, "capacity = 1", 1);

    let wait_for = |pred: &dyn Fn(&Value) -> bool| -> (Instant, String) {
        loop {
            let (at, body) = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("server answers");
            let v: Value = serde_json::from_str(&body).unwrap();
            if pred(&v) {
                return (at, body);
            }
        }
    };
    let started = Instant::now();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": root_uri, "capabilities": {}}}),
        None,
    );
    wait_for(&|v| v["id"] == 1);
    println!("initialize answered in {:?}", started.elapsed());
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        None,
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "toml", "version": 1, "text": text}}}),
        None,
    );
    std::thread::sleep(Duration::from_millis(500));
    while rx.try_recv().is_ok() {}

    let is_publish = |v: &Value| {
        v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri.as_str()
    };
    let mut times = Vec::new();
    let mut transcript = Vec::new();
    for version in 2..102 {
        let body = if version % 2 == 0 { &breach } else { &text };
        let msg = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": body}]}});
        let log = (version == 2).then_some(&mut transcript);
        let sent = Instant::now();
        send(&mut stdin, &msg, log);
        let (at, reply) = wait_for(&is_publish);
        times.push(at.duration_since(sent));
        if version == 2 {
            transcript.push(format!("<-- {reply}"));
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "didChange -> publishDiagnostics over {} edits: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1])
    );
    std::thread::sleep(Duration::from_millis(1000));
    if let Some(kib) = rss_kib(child.id()) {
        println!("idle RSS after the edits: {:.1} MiB", kib as f64 / 1024.0);
    }
    for line in &transcript {
        let cut: String = line.chars().take(600).collect();
        println!("{cut}{}", if line.len() > cut.len() { " …" } else { "" });
    }
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        None,
    );
    wait_for(&|v| v["id"] == 2);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "exit"}),
        None,
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(ms(times[times.len() / 2]) < 50.0, "median over 50 ms");
}
