//! `roadlint server` driven through its message loop, in process: a client
//! on one end of `Connection::memory()`, the server's loop on the other.

mod common;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use roadlint::server::{serve, Options};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

const QUARTER: &str = r#"quarter = "2026-Q1"
capacity = 10

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
title = "Upgrade"
kind = "debt"
effort = 4
product_owner = "dana"
tech_owner = "lee"
depends_on = ["PAY-1"]
"#;

const KPIS: &str = r#"[[kpi]]
id = "retention"
description = "30-day retention"
product_owner = "dana"
tech_owner = "lee"
"#;

/// A roadmap in a plain directory (no history).
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("roadlint.toml"), "").expect("config");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<bool, roadlint::server::ServerError>>>,
    root: PathBuf,
    next: i32,
    notes: Vec<Notification>,
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(root, Options::default())
    }

    fn start_with(root: &Path, options: Options) -> Client {
        let root = std::fs::canonicalize(root).expect("root");
        let (server_end, conn) = Connection::memory();
        let server = std::thread::spawn(move || {
            let r = serve(&server_end, options);
            drop(server_end);
            r
        });
        let mut c = Client {
            conn,
            server: Some(server),
            root,
            next: 1,
            notes: Vec::new(),
        };
        let uri = c.uri("");
        let caps = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": {},
                "initializationOptions": { "today": "2026-02-01" },
            }),
        );
        assert_eq!(caps["serverInfo"]["name"], "roadlint");
        assert_eq!(caps["capabilities"]["textDocumentSync"]["change"], 1);
        c.notify("initialized", json!({}));
        c
    }

    fn uri(&self, rel: &str) -> String {
        lsp_types::Url::from_file_path(self.root.join(rel))
            .expect("uri")
            .to_string()
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.to_string(), params).into())
            .expect("send");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.conn
            .sender
            .send(Request::new(RequestId::from(id), method.to_string(), params).into())
            .expect("send");
        loop {
            match self.recv() {
                Message::Response(r) if r.id == RequestId::from(id) => {
                    assert!(r.error.is_none(), "{method}: {:?}", r.error);
                    return r.result.unwrap_or(Value::Null);
                }
                Message::Notification(n) => self.notes.push(n),
                _ => {}
            }
        }
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("a message from the server")
    }

    /// The next diagnostics published for `rel`.
    fn diagnostics(&mut self, rel: &str) -> Vec<Value> {
        let uri = self.uri(rel);
        let is_ours = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str()
        };
        if let Some(i) = self.notes.iter().position(is_ours) {
            let n = self.notes.remove(i);
            return n.params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            if let Message::Notification(n) = self.recv() {
                if is_ours(&n) {
                    return n.params["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                }
                self.notes.push(n);
            }
        }
    }

    fn open(&self, rel: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": self.uri(rel), "languageId": "toml", "version": 1, "text": text,
            }}),
        );
    }

    fn change(&self, rel: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri(rel), "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// `shutdown`, `exit`, and the server's loop ends cleanly.
    fn finish(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let clean = self
            .server
            .take()
            .expect("server")
            .join()
            .expect("no panic");
        assert!(
            clean.expect("no protocol error"),
            "exit after shutdown is clean"
        );
    }
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().filter_map(|d| d["code"].as_str()).collect()
}

fn text_of(actions: &Value, title_part: &str) -> (Value, String) {
    let action = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains(title_part)))
        .unwrap_or_else(|| panic!("no action `{title_part}` in {actions:#}"));
    let changes = action["edit"]["changes"].as_object().expect("changes");
    assert_eq!(changes.len(), 1);
    let (_, edits) = changes.iter().next().expect("one file");
    let edit = &edits[0];
    (
        edit["range"].clone(),
        edit["newText"].as_str().expect("text").to_string(),
    )
}

#[test]
fn a_session_lints_as_you_type_and_answers_hover_and_code_actions() {
    let dir = workspace(&[
        ("roadmap/2026-Q1.toml", QUARTER),
        ("roadmap/kpis.toml", KPIS),
    ]);
    let mut c = Client::start(dir.path());
    let q = "roadmap/2026-Q1.toml";

    // The workspace is linted at start.
    let first = c.diagnostics(q);
    assert_eq!(
        codes(&first),
        ["capacity", "dangling-reference"],
        "{first:#?}"
    );
    let capacity = &first[0];
    assert_eq!(
        capacity["range"]["start"],
        json!({ "line": 1, "character": 11 })
    );
    assert_eq!(capacity["severity"], 1);
    assert_eq!(capacity["source"], "roadlint");
    assert!(capacity.get("codeDescription").is_none());
    assert!(capacity["message"]
        .as_str()
        .unwrap()
        .starts_with("2026-Q1 plans 12 engineer-weeks, over its capacity of 10"));

    // As you type: the breach goes, the other diagnostic stays.
    c.open(q, QUARTER);
    let fixed = QUARTER.replace("effort = 8", "effort = 6");
    c.change(q, 2, &fixed);
    let after = c.diagnostics(q);
    assert_eq!(codes(&after), ["dangling-reference"], "{after:#?}");

    // Code actions on the capacity breach (back again): a waiver skeleton
    // appended to the quarter file, expiring at the quarter's end.
    c.change(q, 3, QUARTER);
    assert_eq!(codes(&c.diagnostics(q)), ["capacity", "dangling-reference"]);
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": c.uri(q) },
            "range": { "start": { "line": 1, "character": 12 }, "end": { "line": 1, "character": 12 } },
            "context": { "diagnostics": [] },
        }),
    );
    let (range, text) = text_of(&actions, "Waive `capacity`");
    assert_eq!(range["start"], json!({ "line": 20, "character": 0 }));
    assert_eq!(
        text,
        "\n[[waiver]]\nrule = \"capacity\"\nreason = \"\"\napproved_by = []\nexpires = 2026-03-31\n"
    );

    // Hover on the diagnostic: the rule's explanation.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": c.uri(q) }, "position": { "line": 1, "character": 12 } }),
    );
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(md.contains("**roadlint(capacity)**"), "{md}");
    assert!(md.contains("## What it checks"), "{md}");

    // Hover on an item id in `depends_on`: the item it names.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": c.uri(q) }, "position": { "line": 19, "character": 16 } }),
    );
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        md.starts_with("item `PAY-1` (roadmap/2026-Q1.toml:4)"),
        "{md}"
    );
    assert!(md.contains("title = \"Checkout\""), "{md}");

    // Nothing to say on a plain line.
    let none = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": c.uri(q) }, "position": { "line": 5, "character": 2 } }),
    );
    assert_eq!(none, Value::Null);
    c.finish();
}

#[test]
fn an_edit_in_kpis_toml_updates_the_quarter_file() {
    let dir = workspace(&[
        ("roadmap/2026-Q1.toml", QUARTER),
        ("roadmap/kpis.toml", KPIS),
    ]);
    let mut c = Client::start(dir.path());
    let q = "roadmap/2026-Q1.toml";
    assert_eq!(codes(&c.diagnostics(q)), ["capacity", "dangling-reference"]);

    // Hover on the KPI id names nothing yet.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": c.uri(q) }, "position": { "line": 10, "character": 11 } }),
    );
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert!(md.contains("no KPI has the id `conversion`"), "{md}");

    // Declare it in the (unsaved) kpis.toml buffer: the quarter file's
    // diagnostic goes.
    c.open("roadmap/kpis.toml", KPIS);
    let more = format!(
        "{KPIS}\n[[kpi]]\nid = \"conversion\"\ndescription = \"paid / visits\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n"
    );
    c.change("roadmap/kpis.toml", 2, &more);
    assert_eq!(codes(&c.diagnostics(q)), ["capacity"]);

    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": c.uri(q) }, "position": { "line": 10, "character": 11 } }),
    );
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        md.starts_with("KPI `conversion` (roadmap/kpis.toml:7)"),
        "{md}"
    );
    assert!(md.contains("description = \"paid / visits\""), "{md}");

    // Fix the capacity too: an empty list for a file that has none left.
    c.open(q, QUARTER);
    c.change(q, 2, &QUARTER.replace("capacity = 10", "capacity = 12"));
    assert_eq!(c.diagnostics(q), Vec::<Value>::new());
    c.finish();
}

#[test]
fn positions_are_utf16_and_did_you_mean_applies() {
    let file = "quarter = \"2026-Q1\"\ncapacity = 10\nitem = [{ id = \"A-1\", title = \"Émile 👩‍💻\", kind = \"feture\", effort = 1, product_owner = \"Émile 👩‍💻\", tech_owner = \"lee\" }]\n";
    let dir = workspace(&[("roadmap/2026-Q1.toml", file)]);
    let mut c = Client::start(dir.path());
    let q = "roadmap/2026-Q1.toml";
    let diags = c.diagnostics(q);
    let schema = diags
        .iter()
        .find(|d| d["code"] == "schema")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    // `kind = "feture"`: the value starts after `Émile 👩‍💻` (10 UTF-8 bytes
    // of emoji, 5 UTF-16 units).
    let line = file.lines().nth(2).expect("line");
    let byte = line.find("\"feture\"").expect("value");
    let utf16 = line[..byte].encode_utf16().count();
    assert_eq!(
        utf16,
        byte - 1 - 6,
        "É is 2 bytes, 👩‍💻 is 11 bytes / 5 units"
    );
    assert_eq!(
        schema["range"],
        json!({ "start": { "line": 2, "character": utf16 }, "end": { "line": 2, "character": utf16 + 8 } })
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": c.uri(q) },
            "range": schema["range"],
            "context": { "diagnostics": [schema] },
        }),
    );
    let (range, text) = text_of(&actions, "Replace with `feature`");
    assert_eq!(range, schema["range"]);
    assert_eq!(text, "\"feature\"");
    // A structural diagnostic gets no waiver.
    assert!(!actions.to_string().contains("Waive `schema`"));
    c.finish();
}

#[test]
fn a_missing_request_field_is_added_empty() {
    let req = "[[request]]\nid = \"R-1\"\ncustomer = \"acme\"\ntitle = \"SSO\"\nstatus = \"accepted\"\nbusiness_commitment = \"Q2\"\ntechnical_feasibility = \"yes\"\nacceptance_criteria = [\"login works\"]\nitem = \"PAY-1\"\n";
    let dir = workspace(&[
        ("roadmap/2026-Q1.toml", QUARTER),
        ("roadmap/requests/r.toml", req),
    ]);
    let mut c = Client::start(dir.path());
    let path = "roadmap/requests/r.toml";
    let diags = c.diagnostics(path);
    assert_eq!(codes(&diags), ["request-fields"], "{diags:#?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": c.uri(path) },
            "range": diags[0]["range"],
            "context": { "diagnostics": [] },
        }),
    );
    let (range, text) = text_of(&actions, "Add `roadmap_impact`");
    assert_eq!(range["start"], json!({ "line": 8, "character": 14 }));
    assert_eq!(text, "\nroadmap_impact = \"\"");
    // The waiver of a quarterless breach goes in a quarterless file.
    let (_, waiver) = text_of(&actions, "Waive `request-fields`");
    assert!(waiver.contains("rule = \"request-fields\""), "{waiver}");
    c.finish();
}

#[test]
fn a_broken_buffer_or_a_foreign_file_never_stops_the_server() {
    let dir = workspace(&[
        ("roadmap/2026-Q1.toml", QUARTER),
        ("roadmap/kpis.toml", KPIS),
    ]);
    let elsewhere = tempfile::tempdir().expect("tempdir");
    std::fs::write(elsewhere.path().join("x.toml"), "[[item\n").expect("write");
    let mut c = Client::start(dir.path());
    let q = "roadmap/2026-Q1.toml";
    assert_eq!(codes(&c.diagnostics(q)), ["capacity", "dangling-reference"]);

    // Malformed TOML, NUL bytes, half a multi-byte character: diagnostics.
    c.open(q, QUARTER);
    c.change(q, 2, "quarter = \"2026-Q1\"\n[[item\nid = \"\u{0}É");
    let broken = c.diagnostics(q);
    assert!(codes(&broken).contains(&"parse"), "{broken:#?}");

    // A file outside the workspace is not linted.
    let foreign = lsp_types::Url::from_file_path(
        std::fs::canonicalize(elsewhere.path())
            .unwrap()
            .join("x.toml"),
    )
    .unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": foreign, "languageId": "toml", "version": 1, "text": "[[item\n" }}),
    );
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": foreign }, "position": { "line": 0, "character": 1 } }),
    );
    assert_eq!(hover, Value::Null);
    assert!(
        !c.notes.iter().any(|n| n.params["uri"] == foreign.as_str()),
        "{:?}",
        c.notes
    );

    // A bad roadlint.toml is reported on itself; the roadmap is still linted.
    c.open("roadlint.toml", "");
    c.change("roadlint.toml", 2, "[rules.capacty]\nlevel = \"warn\"\n");
    let config = c.diagnostics("roadlint.toml");
    assert_eq!(codes(&config), ["config"], "{config:#?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": c.uri("roadlint.toml") },
            "range": config[0]["range"],
            "context": { "diagnostics": [] },
        }),
    );
    let (_, text) = text_of(&actions, "Replace with `capacity`");
    assert_eq!(text, "capacity");

    // Closing standard input ends the server cleanly too.
    let server = c.server.take().expect("server");
    drop(c);
    assert!(server.join().expect("no panic").expect("clean"));
}

#[test]
fn history_diagnostics_come_from_the_last_save_and_stay_while_typing() {
    // The plan locked on 2026-01-10, then PAY-1 grown unsigned (8 to 10).
    let r = common::fixture("server-locked-grown");
    let q = common::GOOD_QUARTER.replace("capacity = 20\n", "capacity = 40\nlocked = 2026-01-10\n");
    let grown = q.replace("effort = 8", "effort = 10");
    assert_eq!(
        std::fs::read_to_string(r.join("roadmap/2026-Q1.toml")).unwrap(),
        grown
    );
    let before = std::fs::read_dir(r.join(".git")).unwrap().count();

    let options = Options {
        today: "2026-02-01".parse().ok(),
        history: Some(roadlint::app::history_scan(false)),
    };
    let mut c = Client::start_with(&r, options);
    let path = "roadmap/2026-Q1.toml";
    // The scan runs in the background: its diagnostic follows the plan's.
    let mut diags = c.diagnostics(path);
    if diags.is_empty() {
        diags = c.diagnostics(path);
    }
    assert_eq!(codes(&diags), ["locked-scope"], "{diags:#?}");

    // Typing reuses the scanned history: the breach stays, a new one joins.
    c.open(path, &grown);
    c.change(path, 2, &grown.replace("capacity = 40", "capacity = 10"));
    let diags = c.diagnostics(path);
    assert_eq!(codes(&diags), ["capacity", "locked-scope"], "{diags:#?}");
    c.finish();
    assert_eq!(std::fs::read_dir(r.join(".git")).unwrap().count(), before);
}

#[test]
fn the_config_line_that_set_a_limit_is_related_information() {
    let dir = workspace(&[
        ("roadmap/2026-Q1.toml", QUARTER),
        ("roadmap/kpis.toml", KPIS),
    ]);
    std::fs::write(
        dir.path().join("roadlint.toml"),
        "# limits\n[rules.debt-share]\nmin = 0.5\nmax = 0.9\n",
    )
    .expect("config");
    let mut c = Client::start(dir.path());
    let diags = c.diagnostics("roadmap/2026-Q1.toml");
    let share = diags
        .iter()
        .find(|d| d["code"] == "debt-share")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let related = &share["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], c.uri("roadlint.toml").as_str());
    assert_eq!(
        related["location"]["range"]["start"],
        json!({ "line": 2, "character": 6 })
    );
    assert_eq!(related["message"], "minimum set here");
    c.finish();
}

#[test]
fn a_stage_skipped_in_the_buffer_is_reported_against_head() {
    let tech = |stage: &str| {
        format!("[[technology]]\nname = \"v\"\nstage = \"{stage}\"\ncriteria = [\"p95\"]\nexperiment = \"EXP-1\"\n")
    };
    // `v` at assess at HEAD, with its experiment.
    let r = common::fixture("server-assessed");
    assert_eq!(
        std::fs::read_to_string(r.join("roadmap/technology.toml")).unwrap(),
        tech("assess")
    );
    // No history scan: the step from HEAD is a plan check.
    let mut c = Client::start(&r);
    let path = "roadmap/technology.toml";
    c.open(path, &tech("assess"));
    c.change(path, 2, &tech("adopt"));
    let diags = c.diagnostics(path);
    assert_eq!(codes(&diags), ["maturity-pipeline"], "{diags:#?}");
    assert!(diags[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("from assess (at HEAD) to adopt")));
    c.change(path, 3, &tech("trial"));
    assert!(c.diagnostics(path).is_empty());
    c.finish();
}

#[test]
fn a_preset_sets_the_limit_and_a_buffer_is_diagnosed_as_its_roadmap() {
    let dir = workspace(&[
        ("roadmap/2026-Q1.toml", QUARTER),
        ("roadmap/kpis.toml", KPIS),
    ]);
    std::fs::create_dir_all(dir.path().join("policy")).expect("mkdir");
    std::fs::write(
        dir.path().join("policy/org.toml"),
        "# the org's limits\n[rules.debt-share]\nmin = 0.5\nmax = 0.9\n",
    )
    .expect("preset");
    std::fs::write(
        dir.path().join("roadlint.toml"),
        "extends = [\"policy/org.toml\"]\n[[roadmap]]\nname = \"core\"\nfiles = [\"roadmap/**/*.toml\"]\n",
    )
    .expect("config");
    let mut c = Client::start(dir.path());
    let diags = c.diagnostics("roadmap/2026-Q1.toml");
    let share = diags
        .iter()
        .find(|d| d["code"] == "debt-share")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(
        share["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("[core] "),
        "{share:#}"
    );
    let related = &share["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        c.uri("policy/org.toml").as_str()
    );
    assert_eq!(
        related["location"]["range"]["start"],
        json!({ "line": 2, "character": 6 })
    );
    c.finish();
}
