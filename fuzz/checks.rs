//! The checks behind every fuzz target, shared with `tests/fuzz_regressions.rs`
//! (which includes this file with `#[path]`), so a crash found by the fuzzer
//! fails `cargo test` the same way. Depends on `roadlint`, `serde_json` and std.
//!
//! Each entry point takes arbitrary bytes and panics when an invariant breaks:
//!
//! - [`roadmap`]: bytes → `load` (one or two files) → `lint` → `render` in every
//!   format. Every diagnostic and label span lies inside its file's text, on char
//!   boundaries; the human, short and github renderings hold no control
//!   character (except `\n`, `\t`, and `\r` only in `\r\n`) and no bidi override;
//!   no rendering holds a raw ESC or CSI (U+009B); the JSON rendering parses.
//! - [`commit_message`]: bytes → `MessageFacts::parse` → `Classifier::classify`,
//!   `conventional_type`; the subject holds no `\n`, and a commit diagnostic
//!   carrying it renders without control characters.
//! - [`config`]: bytes → `config::parse`; every diagnostic span lies inside the
//!   text; a clean config then lints the example roadmap with the same output
//!   checks as [`roadmap`].
//! - [`render`]: bytes → a source text (optionally stretched into lines of
//!   100k+ columns) and diagnostics with arbitrary spans and labels → every
//!   format: the human renderer never panics (any span renders) and quotes
//!   no control character, JUnit holds no character XML forbids, JSON and
//!   SARIF parse.
//! - [`lsp`]: bytes → the language server's framing (`server::read_frames`)
//!   and, in memory, its message handling (`server::replay`) on a small
//!   workspace: every malformed frame is answered -32700 or -32600, no
//!   handler panics, the server ends cleanly, and reading the bytes never
//!   yields more frames than there are bytes.
//! - [`merge`]: bytes → one or two (split at the first NUL) JSON reports →
//!   `Portfolio::merge`: a refusal names one of the files and prints (as
//!   the app escapes it) without control characters; a merge holds
//!   only finite numbers and shares within 0–1, its JSON parses, and its
//!   table and HTML hold no control character.
#![allow(dead_code)]

use roadlint::calendar::Date;
use roadlint::cli::Format;
use roadlint::config::Config;
use roadlint::diagnostic::Diagnostic;
use roadlint::history::{conventional_type, Classifier, MessageFacts};
use roadlint::lint::{lint, load};
use roadlint::model::Kind;
use roadlint::output::{render, Output, Style, Summary};
use roadlint::source::{FileId, SourceFile, Sources, Span};
use roadlint::source::{RawFile, Refusal};
use std::collections::HashMap;

/// Every output format, in a fixed order.
pub(crate) const FORMATS: [Format; 6] = [
    Format::Human,
    Format::Short,
    Format::Json,
    Format::Github,
    Format::Sarif,
    Format::Junit,
];

/// Run the check named `target` (a fuzz target's name) on `data`.
pub(crate) fn run(target: &str, data: &[u8]) {
    match target {
        "roadmap" => roadmap(data),
        "commit_message" => commit_message(data),
        "config" => config(data),
        "render" => render_any(data),
        "lsp" => lsp(data),
        "merge" => merge(data),
        other => panic!("unknown fuzz target {other:?}"),
    }
}

/// The dates `lint` runs at, picked by bits 1–2 of the mode byte: mid-quarter,
/// the first and last day of a year, a leap day.
const TODAY: [(i32, u8, u8); 4] = [(2026, 6, 15), (2026, 1, 1), (2025, 12, 31), (2028, 2, 29)];

/// Target `roadmap`. The first byte is a mode byte:
///
/// - bit 0: split the rest at its first NUL byte into two files (cross-file
///   rules: duplicate ids, dangling references, dual ownership, …);
/// - bits 1–2: which `today` to lint at ([`TODAY`]);
/// - bit 3: the second file lives under `roadmap/requests/`;
/// - bit 4: add a refused file (a symlink) as discovery would report it.
///
/// The rest is the file content (any bytes: invalid UTF-8 is a diagnostic).
pub(crate) fn roadmap(data: &[u8]) {
    let (mode, body) = match data.split_first() {
        Some((m, rest)) => (*m, rest),
        None => (0, data),
    };
    let mut raw = Vec::new();
    let second = if mode & 0x08 != 0 {
        "roadmap/requests/b.toml"
    } else {
        "roadmap/b.toml"
    };
    match body.iter().position(|&b| b == 0) {
        Some(at) if mode & 0x01 != 0 => {
            raw.push(file("roadmap/a.toml", &body[..at]));
            raw.push(file(second, &body[at + 1..]));
        }
        _ => raw.push(file("roadmap/a.toml", body)),
    }
    if mode & 0x10 != 0 {
        raw.push(RawFile {
            path: "roadmap/link.toml".into(),
            content: Err(Refusal::Symlink),
        });
    }
    let (y, m, d) = TODAY[usize::from((mode >> 1) & 0x03)];
    let today = Date::new(y, m, d).expect("a valid date");
    let loaded = load(raw, Sources::default());
    let diags = lint(&loaded, &Config::default(), today, None, Vec::new());
    check_diagnostics(&diags, &loaded.sources);
    check_renderings(&diags, &loaded.sources, loaded.files);
}

/// Target `commit_message`: the bytes are a raw commit message.
pub(crate) fn commit_message(data: &[u8]) {
    let facts = MessageFacts::parse(data);
    assert!(
        !facts.subject.contains('\n'),
        "subject holds a newline: {:?}",
        facts.subject
    );
    let config = Config::default();
    // Items the trailer may name: one per interesting kind.
    let items: HashMap<String, Kind> = [
        ("RL-1", Kind::Feature),
        ("OPS-7", Kind::Debt),
        ("OPS-8", Kind::Maintenance),
        ("EXP-3", Kind::Experiment),
        ("RES-1", Kind::Research),
    ]
    .into_iter()
    .map(|(id, k)| (id.to_string(), k))
    .collect();
    let classifier = Classifier::new(&config.history, items, vec![Kind::Debt, Kind::Maintenance]);
    let _ = classifier.classify(&facts);
    let bare = Classifier::new(&config.history, HashMap::new(), vec![Kind::Debt]);
    let _ = bare.classify(&facts);
    let _ = conventional_type(&facts.subject);
    let _ = conventional_type(&String::from_utf8_lossy(data));
    for t in &facts.trailers.trailers {
        let _ = facts.trailer(&t.token);
        let _ = facts.trailers.misplaced(&t.token);
    }

    // A history diagnostic quoting this commit renders without raw controls.
    let mut sources = Sources::default();
    let id = sources.add(SourceFile::new("roadmap/a.toml", "quarter = \"2026-Q2\"\n"));
    let d = Diagnostic::new(
        roadlint::rules::locked_scope::ID,
        "scope changed after the lock",
    )
    .at(id, Span::new(0, 7))
    .commit(
        "0123456789abcdef0123456789abcdef01234567",
        facts.subject.clone(),
    )
    .sanitized();
    let diags = vec![d];
    check_diagnostics(&diags, &sources);
    check_renderings(&diags, &sources, 1);
}

/// Target `config`: the bytes are a `roadlint.toml` (lossily decoded, as when
/// it is read from a git tree).
pub(crate) fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::default();
    let id = sources.add(SourceFile::new("roadlint.toml", text.into_owned()));
    let (config, diags) = roadlint::config::parse(id, &sources.get(id).text);
    for d in &diags {
        assert_eq!(d.file, Some(id), "config diagnostic in another file: {d:?}");
    }
    check_diagnostics(&diags, &sources);
    if !diags.is_empty() {
        // The binary renders these and stops (exit 2).
        let diags: Vec<Diagnostic> = diags.into_iter().map(Diagnostic::sanitized).collect();
        check_renderings(&diags, &sources, 0);
        return;
    }
    // A usable config: lint the example roadmap with it.
    let today = Date::new(2026, 2, 1).expect("a valid date");
    let raw: Vec<RawFile> = roadlint::example::files(today)
        .iter()
        .map(|(p, t)| file(p, t.as_bytes()))
        .collect();
    let loaded = load(raw, sources);
    let diags = lint(&loaded, &config, today, None, Vec::new());
    check_diagnostics(&diags, &loaded.sources);
    check_renderings(&diags, &loaded.sources, loaded.files);
}

/// Target `render`. Layout: a mode byte, a count byte, then `count` span
/// records of 6 bytes (start: u24, length: u16, label flag: u8), then the
/// text (lossily decoded). Mode bit 0 repeats the text, without its
/// newlines, into one line of at least 70,000 characters (past miette's
/// 65,535-column limit); bit 1 puts the text in `roadlint.toml` (a bad
/// config renders the same way); bit 2 adds a second file that labels point
/// into. Spans are clamped into the text on char boundaries, as rules make
/// them.
pub(crate) fn render_any(data: &[u8]) {
    let (mode, rest) = data.split_first().map_or((0, data), |(m, r)| (*m, r));
    let (count, rest) = rest.split_first().map_or((0, rest), |(c, r)| (*c, r));
    let count = usize::from(count % 16);
    let records = rest.len().min(count * 6);
    let (records, body) = rest.split_at(records);
    let mut text = String::from_utf8_lossy(body).into_owned();
    if mode & 0x01 != 0 {
        let line: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        let line = if line.is_empty() {
            "x".to_string()
        } else {
            line
        };
        let mut long = String::new();
        while long.chars().count() < 70_000 {
            long.push_str(&line);
        }
        text = format!("a = 1\n{long}\nb = 2\n");
    }
    let mut sources = Sources::default();
    let file = if mode & 0x02 != 0 {
        sources.add_config(SourceFile::new("roadlint.toml", text.clone()))
    } else {
        sources.add(SourceFile::new("roadmap/a.toml", text.clone()))
    };
    let other = (mode & 0x04 != 0)
        .then(|| sources.add(SourceFile::new("roadmap/b.toml", format!("{text}\n{text}"))));
    let snap = |t: &str, mut at: usize| {
        at = at.min(t.len());
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut diags = Vec::new();
    let mut primary: Option<Diagnostic> = None;
    for r in records.chunks_exact(6) {
        let start = (usize::from(r[0]) << 16 | usize::from(r[1]) << 8 | usize::from(r[2]))
            .wrapping_mul(if mode & 0x01 != 0 { 3 } else { 1 });
        let len = usize::from(r[3]) << 8 | usize::from(r[4]);
        let target = if r[5] & 0x02 != 0 {
            other.unwrap_or(file)
        } else {
            file
        };
        let t = &sources.get(target).text;
        let span = Span::new(snap(t, start), snap(t, start.saturating_add(len)));
        match (&mut primary, r[5] & 0x01 != 0) {
            (Some(d), true) => {
                let label = roadlint::diagnostic::Label {
                    file: target,
                    span,
                    text: "set here".into(),
                };
                d.labels.push(label);
            }
            _ => {
                if let Some(d) = primary.take() {
                    diags.push(d.sanitized());
                }
                let t = &sources.get(file).text;
                let own = Span::new(snap(t, start), snap(t, start.saturating_add(len)));
                primary = Some(
                    Diagnostic::new(
                        roadlint::diagnostic::RuleId::SCHEMA,
                        "a value is wrong here",
                    )
                    .at(file, own)
                    .help("fix it"),
                );
            }
        }
    }
    if let Some(d) = primary.take() {
        diags.push(d.sanitized());
    }
    check_diagnostics(&diags, &sources);
    check_renderings(&diags, &sources, sources.len());
}

fn file(path: &str, bytes: &[u8]) -> RawFile {
    RawFile {
        path: path.to_string(),
        content: Ok(bytes.to_vec()),
    }
}

/// Every span of every diagnostic lies inside its file, on char boundaries.
pub(crate) fn check_diagnostics(diags: &[Diagnostic], sources: &Sources) {
    for d in diags {
        match (d.file, d.span) {
            (Some(f), Some(span)) => check_span(sources, f, span, d, "primary span"),
            (Some(f), None) => assert!(f.0 < sources.len(), "file id out of range: {d:?}"),
            (None, Some(_)) => panic!("a span without a file: {d:?}"),
            (None, None) => {}
        }
        for l in &d.labels {
            check_span(sources, l.file, l.span, d, "label span");
        }
    }
}

fn check_span(sources: &Sources, file: FileId, span: Span, d: &Diagnostic, what: &str) {
    assert!(
        file.0 < sources.len(),
        "{what}: file id {} out of range ({} files): {d:?}",
        file.0,
        sources.len()
    );
    let text = &sources.get(file).text;
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} outside the text ({} bytes) of {}: {d:?}",
        text.len(),
        sources.get(file).path
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on char boundaries in {}: {d:?}",
        sources.get(file).path
    );
}

/// Render in every format and check what reaches the reader.
pub(crate) fn check_renderings(diags: &[Diagnostic], sources: &Sources, files: usize) {
    let out = Output {
        diagnostics: diags,
        sources,
        summary: Summary::new(diags, files, 0),
        path_prefix: "",
        skipped: &[],
    };
    for format in FORMATS {
        let s = render(format, &out, &Style::plain());
        assert!(
            !s.contains('\u{1b}') && !s.contains('\u{9b}'),
            "raw ESC/CSI in the {format:?} rendering:\n{s}"
        );
        match format {
            Format::Human | Format::Short | Format::Github => no_controls(format, &s),
            Format::Json => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&s) {
                    panic!("the JSON rendering does not parse ({e}):\n{s}");
                }
            }
            Format::Sarif => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&s) {
                    panic!("the SARIF rendering does not parse ({e}):\n{s}");
                }
            }
            Format::Junit => xml_chars(&s),
        }
    }
}

/// Only characters XML 1.0 allows (the JUnit rendering is well-formed
/// whatever the data).
pub(crate) fn xml_chars(s: &str) {
    for c in s.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}';
        assert!(ok, "U+{:04X} in the JUnit rendering:\n{s}", c as u32);
    }
}

/// No control character except `\n`, `\t` and the `\r` of `\r\n`; no bidi
/// override or isolate (Trojan Source).
pub(crate) fn no_controls(format: Format, s: &str) {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let bad = match c {
            '\n' | '\t' => false,
            '\r' => chars.peek().map(|&(_, n)| n) != Some('\n'),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => true,
            '\u{061C}' => true,
            c => c.is_control(),
        };
        if bad {
            let from = s[..i].rfind('\n').map_or(0, |n| n + 1);
            let to = s[i..].find('\n').map_or(s.len(), |n| i + n);
            panic!(
                "raw {:?} (U+{:04X}) at byte {i} of the {format:?} rendering, in line {:?}",
                c,
                c as u32,
                &s[from..to]
            );
        }
    }
}

/// The workspace the `lsp` target's server serves: made once per process.
fn lsp_workspace() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("roadlint-fuzz-lsp-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("roadmap")).expect("workspace");
        std::fs::write(dir.join("roadlint.toml"), "").expect("config");
        std::fs::write(
            dir.join("roadmap/2026-Q1.toml"),
            "quarter = \"2026-Q1\"\ncapacity = 10\n\n[[item]]\nid = \"PAY-1\"\ntitle = \"T\"\nkind = \"feature\"\neffort = 4\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n",
        )
        .expect("roadmap");
        std::fs::canonicalize(&dir).expect("canonical")
    })
}

/// Target `lsp`: see the module docs.
pub(crate) fn lsp(data: &[u8]) {
    let frames = roadlint::server::read_frames(data);
    assert!(frames.len() <= data.len(), "more frames than bytes");
    for f in &frames {
        if let Err(answer) = f {
            let code = answer["error"]["code"].as_i64();
            assert!(
                matches!(code, Some(-32700 | -32600)),
                "a malformed frame answered {answer}"
            );
            assert_eq!(answer["jsonrpc"], "2.0");
            assert!(
                answer["id"].is_null() || answer["id"].is_number() || answer["id"].is_string(),
                "{answer}"
            );
        }
    }
    let options = roadlint::server::Options {
        today: Some(Date::new(2026, 2, 1).expect("a date")),
        history: None,
    };
    let (clean, answers) =
        roadlint::server::replay(data, lsp_workspace(), options).expect("the server starts");
    let _ = clean;
    for a in &answers {
        let text = a.to_string();
        assert!(
            !text.contains("internal error while handling a message"),
            "a handler panicked: {text}"
        );
    }
}

/// Target `merge`: see the module docs.
pub(crate) fn merge(data: &[u8]) {
    use roadlint::report::portfolio::Portfolio;
    let text = String::from_utf8_lossy(data);
    let (a, b) = match text.split_once('\0') {
        Some((a, b)) => (a, b),
        None => (&*text, &*text),
    };
    match Portfolio::merge([("a.json", a), ("b.json", b)]) {
        Err(e) => {
            assert!(e.file == "a.json" || e.file == "b.json", "{}", e.file);
            // The message may quote the input (serde's errors do); the app
            // prints it through `escape_data`, which must leave nothing raw.
            no_controls(
                Format::Human,
                &roadlint::escape::escape_data(&e.to_string()),
            );
        }
        Ok(p) => {
            let json: serde_json::Value =
                serde_json::from_str(&p.json()).expect("the merged JSON parses");
            numbers_hold(&json, "");
            no_controls(Format::Human, &p.table());
            let html = roadlint::report::html::portfolio::render(&p);
            assert!(
                !html.chars().any(roadlint::escape::is_dangerous),
                "a control in the HTML"
            );
        }
    }
}

/// Every number in `v` is finite, and every share lies within 0–1.
fn numbers_hold(v: &serde_json::Value, key: &str) {
    match v {
        serde_json::Value::Number(n) => {
            let x = n.as_f64().expect("a number");
            assert!(x.is_finite(), "{key} = {x}");
            if key.ends_with("share") {
                assert!((0.0..=1.0).contains(&x), "{key} = {x}");
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| numbers_hold(x, key)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| numbers_hold(x, k)),
        _ => {}
    }
}
