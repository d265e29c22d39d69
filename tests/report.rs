//! End-to-end tests of `roadlint report`: a fixture repository (the files
//! under `fixtures/report/`, committed quarter by quarter with pinned dates)
//! rendered as a table and JSON (insta snapshots) and as HTML, which Debian's
//! `chromium` loads headless for DOM checks and a screenshot.
//!
//! Without `chromium` on PATH the browser test prints why and passes, unless
//! `ROADLINT_REQUIRE_EXTERNAL=1` asks for every external proof to run.

mod common;

use common::{code, text, Repo};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fixed date every report in this file is made as of.
const TODAY: &str = "2026-11-23";

/// Read a file of `fixtures/report/`.
fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/report")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Copy fixture files into the repository under the same paths.
fn add(repo: &Repo, files: &[&str]) {
    for f in files {
        repo.write(f, &fixture(f));
    }
}

/// Commit `subjects` (empty commits) at the given dates.
fn commits(repo: &Repo, list: &[(&str, &str)]) {
    for (date, subject) in list {
        repo.commit(subject, date);
    }
}

/// The fixture repository: five quarters of history (`2025-Q4` and `2026-Q4`
/// commits only), three quarter files, requests, technologies and a waiver.
fn fixture_repo() -> Repo {
    let r = Repo::init();
    r.write("README.md", "# shop\n");
    commits(
        &r,
        &[
            ("2025-11-03T09:00:00Z", "feat: first storefront"),
            ("2025-11-20T09:00:00Z", "feat(cart): add to cart"),
            ("2025-12-01T09:00:00Z", "fix: typo in the footer"),
        ],
    );
    add(
        &r,
        &[
            "roadlint.toml",
            "roadmap/kpis.toml",
            "roadmap/technology.toml",
            "roadmap/2026-Q1.toml",
        ],
    );
    commits(
        &r,
        &[
            ("2026-01-05T09:00:00Z", "docs(roadmap): plan 2026-Q1"),
            ("2026-01-12T09:00:00Z", "feat(checkout): one-click flow"),
            ("2026-01-19T09:00:00Z", "feat(checkout): saved cards"),
            ("2026-01-26T09:00:00Z", "fix(checkout): rounding of totals"),
            (
                "2026-02-02T09:00:00Z",
                "refactor(jobs): drop the legacy runner",
            ),
            ("2026-02-09T09:00:00Z", "feat(checkout): address book"),
            ("2026-02-16T09:00:00Z", "chore(deps): bump serde"),
            ("2026-02-23T09:00:00Z", "feat(checkout): express pay"),
            ("2026-03-02T09:00:00Z", "fix(jobs): retry on timeout"),
            ("2026-03-09T09:00:00Z", "feat(checkout): receipts"),
            ("2026-03-16T09:00:00Z", "feat!: new checkout API"),
        ],
    );
    add(&r, &["roadmap/2026-Q2.toml", "roadmap/requests/acme.toml"]);
    commits(
        &r,
        &[
            ("2026-04-01T09:00:00Z", "docs(roadmap): plan 2026-Q2"),
            ("2026-04-08T09:00:00Z", "feat(cart): saved carts"),
            ("2026-04-15T09:00:00Z", "feat(cart): share a cart"),
            (
                "2026-04-22T09:00:00Z",
                "feat(search): vector lookup behind a flag",
            ),
            ("2026-04-29T09:00:00Z", "feat(cart): cart reminders"),
            ("2026-05-06T09:00:00Z", "feat(cart): merge carts on login"),
            ("2026-05-13T09:00:00Z", "feat(search): typo tolerance"),
            ("2026-05-20T09:00:00Z", "feat(cart): wishlist"),
            ("2026-05-27T09:00:00Z", "feat(cart): cart API"),
            ("2026-06-03T09:00:00Z", "fix(cart): lost items on logout"),
            ("2026-06-10T09:00:00Z", "feat(search): facets"),
        ],
    );
    add(&r, &["roadmap/2026-Q3.toml"]);
    commits(
        &r,
        &[
            ("2026-07-01T09:00:00Z", "docs(roadmap): plan 2026-Q3"),
            ("2026-07-08T09:00:00Z", "feat(gift): gift cards"),
            (
                "2026-07-22T09:00:00Z",
                "perf(queue): batch acknowledgements",
            ),
            ("2026-08-05T09:00:00Z", "feat(gift): balance page"),
            (
                "2026-08-19T09:00:00Z",
                "perf(queue): managed service client",
            ),
            ("2026-09-02T09:00:00Z", "feat(gift): redeem at checkout"),
            ("2026-09-16T09:00:00Z", "update stuff"),
            ("2026-10-14T09:00:00Z", "feat(gift): gift card emails"),
            ("2026-11-02T09:00:00Z", "test(gift): cover redemption"),
        ],
    );
    r
}

/// The repository's report in `format`, as of [`TODAY`], written to stdout:
/// the default window (the planned quarters and the four before the first).
fn report(repo: &Repo, format: &str) -> String {
    let out = repo.roadlint(&["report", "--format", format, "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// Render the fixture repository's HTML report into `dir/r.html`.
fn html_report(repo: &Repo, dir: &Path) -> (PathBuf, String) {
    let path = dir.join("r.html");
    let path_str = path.to_str().expect("UTF-8 temp path");
    // --all: the page must also draw quarters with commits and no plan.
    let out = repo.roadlint(&[
        "report", "--all", "--format", "html", "-o", path_str, "--today", TODAY,
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(out.stdout.is_empty(), "-o writes the file, not stdout");
    let html = std::fs::read_to_string(&path).expect("report written");
    (path, html)
}

#[test]
fn table_report_snapshot() {
    let repo = fixture_repo();
    insta::assert_snapshot!("table", report(&repo, "table"));
}

#[test]
fn json_report_snapshot() {
    let repo = fixture_repo();
    let json = report(&repo, "json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    // SPEC §5: plan fields are null for a quarter with commits only.
    let q = &v["quarters"][0];
    assert_eq!(q["quarter"], "2025-Q4");
    assert!(q["capacity"].is_null() && q["planned_effort"].is_null());
    assert!(q["planned_debt_share"].is_null());
    insta::assert_snapshot!("json", json);
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let repo = fixture_repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_, html) = html_report(&repo, tmp.path());
    assert!(html.starts_with("<!doctype html>"));
    for q in ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] {
        assert!(html.contains(q), "{q} missing");
    }
    // self-contained: no script, no external resource of any kind
    let lower = html.to_lowercase();
    for bad in [
        "<script", "<link", "<img", "@import", "url(", "src=", "http://", "https://",
    ] {
        assert!(!lower.contains(bad), "found {bad:?}");
    }
    // both charts, titled and labelled
    for id in ["effort-chart", "debt-chart", "threshold-line", "debt-band"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "#{id} missing");
    }
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("aria-label=\"Planned effort by kind per quarter\""));
    assert!(html.contains("aria-label=\"Planned vs actual debt share per quarter\""));
    assert_eq!(
        html.matches("<title id=").count(),
        2,
        "each chart has a <title>"
    );
    assert!(html.contains("prefers-color-scheme: dark"));
    // breaches link to file and line, relative to the repository root
    assert!(html.contains("href=\"./roadmap/2026-Q3.toml#L"), "{html}");
    assert!(html.contains("roadmap/2026-Q3.toml:"));
    // repository text is escaped: markup stays text, controls become visible
    assert!(!html.contains("<b>crunch</b>") && html.contains("&lt;b&gt;crunch&lt;/b&gt;"));
    assert!(html.contains("Acme &lt;Corp&gt; &amp; Sons \\u{7}"));
    assert!(html.contains("\\u{1b}[31mno"));
    assert!(
        !html.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the page"
    );
    // the gaps, technologies and waivers are shown
    assert!(html.contains("REQ-1") && html.contains("lacks roadmap_impact"));
    assert!(html.contains("vector-search") && html.contains("managed-queue"));
    assert!(html.contains("expired"));
}

#[test]
fn html_report_renders_without_roadmap_or_history() {
    // not a repository, no roadmap: empty states, no panic
    let plain = Repo::plain();
    let html = report(&plain, "html");
    assert!(html.contains("No quarters yet"), "{html}");
    assert!(html.contains("id=\"summary-"));
    assert!(html.ends_with("</html>\n"));

    // commits only (no roadmap yet): quarters from Conventional Commits
    let r = Repo::init();
    commits(
        &r,
        &[
            ("2026-01-10T09:00:00Z", "feat: a"),
            ("2026-01-11T09:00:00Z", "fix: b"),
            ("2026-05-10T09:00:00Z", "feat: c"),
        ],
    );
    let html = report(&r, "html");
    assert!(html.contains("2026-Q1") && html.contains("2026-Q2"));
    assert!(html.contains("commits only") && html.contains("no plan"));
    assert!(html.contains("id=\"threshold-line\""));
}

#[test]
fn html_report_shows_hostile_item_text_escaped_and_visible() {
    // A title (and id) that would be markup, with a bidi override that would
    // reorder what a reader sees. The page shows ids in diagnostics; whatever
    // repository text it shows must stay text, its controls made visible.
    const HOSTILE: &str = "<img src=x onerror=alert(1)>\u{202E}evil";
    let toml_str = |s: &str| s.replace('\u{202E}', "\\u202E");
    let r = Repo::init();
    r.write(
        "roadmap/2026-Q1.toml",
        &format!(
            "quarter = \"2026-Q1\"\ncapacity = 10\n\n[[item]]\nid = \"{id}\"\ntitle = \"{id}\"\n\
             kind = \"debt\"\neffort = 3\nproduct_owner = \"dana\"\n",
            id = toml_str(HOSTILE)
        ),
    );
    r.commit("docs(roadmap): plan 2026-Q1", "2026-01-05T09:00:00Z");
    let html = report(&r, "html");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;\\u{202e}evil"),
        "hostile id not shown escaped: {html}"
    );
    assert!(!html.to_lowercase().contains("<img"), "data became markup");
    assert!(
        !html.contains('\u{202E}'),
        "a raw bidi override reached the page"
    );
}

/// Run headless chromium on `url` with `extra` flags; returns stdout. Each
/// run gets its own profile directory under `dir`, and is killed after two
/// minutes so a stuck browser fails the test instead of hanging it.
fn chromium(bin: &Path, dir: &Path, profile: &str, extra: &[String], url: &str) -> String {
    let profile = dir.join(profile);
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .env("HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // drain the pipes on threads so a chatty browser cannot block on them
    let mut stdout = child.stdout.take().expect("stdout piped");
    let mut stderr = child.stderr.take().expect("stderr piped");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for chromium") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = out_t.join().unwrap_or_default();
    let err = err_t.join().unwrap_or_default();
    assert!(status.success(), "chromium failed ({status}): {err}");
    out
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed (apt-get install chromium)"
)]
fn html_report_renders_in_chromium() {
    let Some(bin) = common::tool("chromium") else {
        return;
    };
    let repo = fixture_repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let (page, _) = html_report(&repo, dir);
    let url = format!("file://{}", page.display());

    // the DOM as the browser built it
    let dom = chromium(&bin, dir, "p-dom", &["--dump-dom".to_string()], &url);
    for q in ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] {
        assert!(
            dom.contains(&format!(">{q}<")),
            "quarter label {q} missing from the DOM"
        );
    }
    assert!(
        dom.contains("class=\"threshold-line\""),
        "threshold line missing"
    );
    assert!(dom.contains("id=\"threshold-line\""));
    assert!(dom.contains("id=\"effort-chart\"") && dom.contains("id=\"debt-chart\""));
    assert!(dom.contains("id=\"breaches\""));
    assert!(!dom.contains("<b>crunch</b>"), "data became markup");

    // a screenshot of the report, and one of a blank page for comparison
    let shot = dir.join("shot.png");
    chromium(
        &bin,
        dir,
        "p-shot",
        &[format!("--screenshot={}", shot.display())],
        &url,
    );
    let blank_page = dir.join("blank.html");
    std::fs::write(&blank_page, "<!doctype html><html><body></body></html>\n").expect("write");
    let blank = dir.join("blank.png");
    chromium(
        &bin,
        dir,
        "p-blank",
        &[format!("--screenshot={}", blank.display())],
        &format!("file://{}", blank_page.display()),
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    let blank_png = std::fs::read(&blank).expect("blank screenshot written");
    assert_eq!(png_size(&png), (1280, 1600));
    assert_eq!(png_size(&blank_png), (1280, 1600));
    // A one-color page compresses to almost nothing; charts, tables and text
    // do not. The compressed size is a cheap, decoder-free proof of content.
    assert!(
        png.len() > 40 * 1024 && png.len() > 5 * blank_png.len(),
        "screenshot looks blank: {} bytes (blank page: {} bytes)",
        png.len(),
        blank_png.len()
    );
}
