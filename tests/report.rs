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

/// The report's fixture repository, scripted by `fixtures/repos/build.sh`
/// from the files under `fixtures/report/`: five quarters of history
/// (`2025-Q4` and `2026-Q4` commits only), three quarter files, requests,
/// technologies and a waiver.
fn fixture_repo() -> PathBuf {
    common::fixture("report-shop")
}

/// The repository's report in `format`, as of [`TODAY`], written to stdout:
/// the default window (the planned quarters and the four before the first).
fn report(repo: &Path, format: &str) -> String {
    report_with(repo, format, &[])
}

/// Render the fixture repository's HTML report into `dir/r.html`.
fn html_report(repo: &Path, dir: &Path) -> (PathBuf, String) {
    let path = dir.join("r.html");
    let path_str = path.to_str().expect("UTF-8 temp path");
    // --all: the page must also draw quarters with commits and no plan.
    let out = common::roadlint_in(
        repo,
        &[
            "report", "--all", "--format", "html", "-o", path_str, "--today", TODAY,
        ],
    );
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
    let html = report(plain.path(), "html");
    assert!(html.contains("No quarters yet"), "{html}");
    assert!(html.contains("id=\"summary-"));
    assert!(html.ends_with("</html>\n"));

    // commits only (no roadmap yet): quarters from Conventional Commits
    let r = common::fixture("report-commits-only");
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
    // The scripted item's id and title are HOSTILE, its override written as
    // the TOML escape `\u202E`.
    let r = common::fixture("report-hostile");
    let file = std::fs::read_to_string(r.join("roadmap/2026-Q1.toml")).expect("plan");
    let id = HOSTILE.replace('\u{202E}', "\\u202E");
    assert!(
        file.contains(&format!("id = \"{id}\"\ntitle = \"{id}\"")),
        "{file}"
    );
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

/// A repository with eleven and a half years of history (a feature and a
/// fix every quarter since 2015) and a roadmap for its last two quarters
/// only: 2026-Q3 (ended as of [`TODAY`]) and 2026-Q4 (in progress, with two
/// fixes so far, one naming the feature item PAY-9 and one the maintenance
/// item OPS-10: a 50% actual debt share, far from the planned 25%, that must
/// not read as a breach).
/// (Scripted by `fixtures/repos/build.sh`, `report-ledger`.)
fn long_history_repo() -> PathBuf {
    common::fixture("report-ledger")
}

/// The report in `format` with `extra` flags; the repository's directory name
/// is replaced by `[repo]` so snapshots do not depend on it.
fn report_with(repo: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", "--format", format, "--today", TODAY];
    args.extend_from_slice(extra);
    let out = common::roadlint_in(repo, &args);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let name = repo
        .file_name()
        .and_then(|n| n.to_str())
        .expect("UTF-8 temp dir name");
    String::from_utf8(out.stdout)
        .expect("UTF-8 report")
        .replace(name, "[repo]")
}

/// The quarter names of a JSON report.
fn quarter_names(json: &serde_json::Value) -> Vec<String> {
    json["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .map(|q| q["quarter"].as_str().expect("quarter name").to_string())
        .collect()
}

#[test]
fn long_history_defaults_to_the_planned_quarters_and_four_before() {
    let repo = long_history_repo();
    let json = report_with(&repo, "json", &[]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(
        quarter_names(&v),
        ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    );
    // SPEC §5 keys of v2, beside v1's
    assert_eq!(v["version"], 1);
    assert_eq!(v["repository"]["name"], "[repo]");
    assert_eq!(v["repository"]["head"], common::rev_parse(&repo, "HEAD"));
    assert_eq!(v["fiscal_year_start"], 1);
    assert!(v["measure"].is_string());
    let q4 = &v["quarters"][5];
    assert_eq!(q4["state"], "in-progress");
    assert_eq!(q4["actual_debt_share"], 0.5, "PAY-9's fix is feature work");
    assert!(q4["effort"]["debt"].is_number() && q4["ignored_commits"] == 0);
    assert_eq!(q4["partial"], false);
    // the unfinished quarter's 100% is never a breach
    let q4_rules: Vec<&str> = q4["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule"))
        .collect();
    assert!(!q4_rules.contains(&"history-debt-share"), "{q4_rules:?}");
    // every item of the roadmap, in SPEC's shape
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    for key in [
        "id",
        "quarter",
        "kind",
        "status",
        "effort",
        "commits",
        "author_days",
        "authors",
        "first_commit",
        "last_commit",
    ] {
        assert!(
            items.iter().all(|i| i.get(key).is_some()),
            "items lack {key}"
        );
    }
    let kpis = v["kpis"].as_array().expect("kpis");
    assert_eq!(
        kpis[0]["items"],
        serde_json::json!(["PAY-7", "PAY-8", "PAY-9"])
    );
    insta::assert_snapshot!("long_history_json", json);
    insta::assert_snapshot!("long_history_table", report_with(&repo, "table", &[]));
}

#[test]
fn all_shows_every_quarter_with_commits() {
    let repo = long_history_repo();
    let v: serde_json::Value =
        serde_json::from_str(&report_with(&repo, "json", &["--all"])).expect("valid JSON");
    let names = quarter_names(&v);
    assert_eq!(names.len(), 48, "2015-Q1 to 2026-Q4");
    assert_eq!(names.first().map(String::as_str), Some("2015-Q1"));
    assert_eq!(v["all"], true);
    insta::assert_snapshot!(
        "long_history_all_table",
        report_with(&repo, "table", &["--all"])
    );
}

#[test]
fn items_view_groups_items_by_quarter_and_flags_contradictions() {
    let repo = long_history_repo();
    let table = report_with(&repo, "table", &["--items"]);
    for id in ["PAY-7", "OPS-9", "PAY-8", "PAY-9", "OPS-10"] {
        assert!(table.contains(id), "{id} missing:\n{table}");
    }
    let q3 = table.find("2026-Q3").expect("Q3 rows");
    let q4 = table.find("2026-Q4").expect("Q4 rows");
    assert!(q3 < q4, "oldest quarter first");
    insta::assert_snapshot!("long_history_items_table", table);
}

#[test]
fn html_report_says_what_the_cards_sum_and_marks_the_open_quarter() {
    let repo = long_history_repo();
    let html = report_with(&repo, "html", &[]);
    assert!(
        html.contains("Totals for <b>2025-Q3 – 2026-Q4</b>, 6 quarters"),
        "{html}"
    );
    assert!(html.contains("class=\"bar actual open\""), "outlined bar");
    assert!(html.contains(">in progress<"), "noted in the chart");
    assert!(html.contains("(in progress, provisional)"));
    assert!(html.contains("id=\"items\"") && html.contains("id=\"kpis\""));
    assert!(html.contains("data-item=\"OPS-10\"") && html.contains("data-kpi=\"p95\""));
    assert!(html.contains("@media print"));
    // the breaches card takes the worst severity's colour: this history
    // has warnings only, so amber, never red
    let card = html
        .split("<div class=\"card ")
        .find(|c| c.contains("Quarters with breaches"))
        .expect("breaches card");
    assert!(card.starts_with("warn\""), "{card}");
}

/// Write `repo`'s JSON report to `dir/name.json`, the repository named
/// `name` (not after its directory).
fn json_report_file(repo: &Path, dir: &Path, name: &str) -> PathBuf {
    let text = report_with(repo, "json", &[]).replace("[repo]", name);
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, text).expect("write report");
    path
}

/// Run `report --merge` of `files` in `dir` with `extra` flags.
fn merge(dir: &Path, files: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = vec!["report".into(), "--merge".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::roadlint_in(dir, &args)
}

/// A small repository whose fiscal year starts in April (scripted).
fn fiscal_april_repo() -> PathBuf {
    common::fixture("report-finance")
}

/// The three repositories' reports: two that merge, one whose fiscal year
/// starts in April.
fn three_reports(dir: &Path) -> [PathBuf; 3] {
    [
        json_report_file(&long_history_repo(), dir, "ledger"),
        json_report_file(&fixture_repo(), dir, "shop"),
        json_report_file(&fiscal_april_repo(), dir, "finance"),
    ]
}

#[test]
fn portfolio_merges_reports_and_refuses_mixed_fiscal_years() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let [ledger, shop, finance] = three_reports(dir);
    let relative = |p: &Path| PathBuf::from(p.file_name().expect("file name"));
    let (ledger, shop, finance) = (relative(&ledger), relative(&shop), relative(&finance));

    let out = merge(dir, &[&ledger, &shop], &["--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let json = String::from_utf8(out.stdout).expect("UTF-8");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let repos: Vec<&str> = v["repositories"]
        .as_array()
        .expect("repositories")
        .iter()
        .map(|r| r["name"].as_str().expect("name"))
        .collect();
    assert_eq!(repos, ["ledger", "shop"]);
    // 2026-Q3 is planned in both: capacities add up (20 + 12)
    let q3 = v["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .find(|q| q["quarter"] == "2026-Q3")
        .expect("2026-Q3");
    assert_eq!(q3["total"]["capacity"], 32.0);
    assert_eq!(q3["repositories"].as_array().map(Vec::len), Some(2));
    insta::assert_snapshot!("portfolio_json", json);

    let out = merge(dir, &[&ledger, &shop], &[]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    insta::assert_snapshot!(
        "portfolio_table",
        String::from_utf8(out.stdout).expect("UTF-8")
    );

    // a report with another fiscal year start is refused, naming the file
    let out = merge(dir, &[&ledger, &shop, &finance], &[]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    insta::assert_snapshot!("portfolio_refused", text(&out));
    // and in JSON the refusal is a JSON document
    let out = merge(dir, &[&ledger, &finance], &["--format", "json"]);
    assert_eq!(code(&out), 2);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON error document");
    assert!(doc["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("finance.json") && m.contains("fiscal_year_start")));
}

#[test]
fn portfolio_refuses_what_is_not_a_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::write(dir.join("list.json"), "[1, 2]").expect("write");
    std::fs::write(dir.join("broken.json"), "{\"version\": ").expect("write");
    for (file, says) in [
        ("list.json", "not a roadlint JSON report"),
        ("broken.json", "not JSON"),
        ("missing.json", "cannot read"),
    ] {
        let out = merge(dir, &[Path::new(file)], &[]);
        assert_eq!(code(&out), 2, "{file}: {}", text(&out));
        let err = text(&out);
        assert!(err.contains(file) && err.contains(says), "{file}: {err}");
    }
}

/// A copy of the page at `page` with a script that writes the bounding box
/// of every x-axis label, per chart, into a `<pre id="label-boxes">` (one
/// line per chart: `id:left,right,top,bottom;…`), read back via
/// `--dump-dom`. The report itself carries no script.
fn with_label_probe(page: &Path) -> PathBuf {
    const PROBE: &str = r#"<script>
(function () {
  var lines = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var boxes = [];
    svg.querySelectorAll('.qlabel').forEach(function (t) {
      var b = t.getBoundingClientRect();
      boxes.push([b.left, b.right, b.top, b.bottom].map(function (v) { return v.toFixed(2); }).join(','));
    });
    lines.push(svg.id + ':' + boxes.join(';'));
  });
  var pre = document.createElement('pre');
  pre.id = 'label-boxes';
  pre.textContent = lines.join('\n');
  document.body.appendChild(pre);
})();
</script>
</body>"#;
    let html = std::fs::read_to_string(page).expect("page");
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html.replacen("</body>", PROBE, 1)).expect("write probe");
    probed
}

/// The label boxes the probe wrote into `dom`, per chart id.
fn label_boxes(dom: &str) -> Vec<(String, Vec<[f64; 4]>)> {
    let start = dom.find("<pre id=\"label-boxes\">").expect("probe ran") + 22;
    let end = start + dom[start..].find("</pre>").expect("probe output ends");
    dom[start..end]
        .lines()
        .map(|line| {
            let (id, boxes) = line.split_once(':').expect("chart id");
            let boxes = boxes
                .split(';')
                .filter(|b| !b.is_empty())
                .map(|b| {
                    let v: Vec<f64> = b.split(',').map(|x| x.parse().expect("number")).collect();
                    [v[0], v[1], v[2], v[3]]
                })
                .collect();
            (id.to_string(), boxes)
        })
        .collect()
}

/// The texts of the x-axis labels in `dom`, in order.
fn qlabels(dom: &str) -> Vec<String> {
    dom.split("class=\"qlabel\"")
        .skip(1)
        .filter_map(|rest| {
            let open = rest.find('>')? + 1;
            let close = rest.find("</text>")?;
            Some(rest[open..close].to_string())
        })
        .collect()
}

/// No two x-axis labels of any chart overlap, and every chart has some.
fn assert_no_label_overlaps(dom: &str) {
    let charts = label_boxes(dom);
    assert!(!charts.is_empty(), "no chart found");
    for (id, boxes) in &charts {
        assert!(!boxes.is_empty(), "{id} has no x-axis label");
        for (i, a) in boxes.iter().enumerate() {
            assert!(a[1] > a[0] && a[3] > a[2], "{id}: label {i} has no size");
            for b in &boxes[i + 1..] {
                let apart = a[1] <= b[0] + 0.5
                    || b[1] <= a[0] + 0.5
                    || a[3] <= b[2] + 0.5
                    || b[3] <= a[2] + 0.5;
                assert!(apart, "{id}: x-axis labels overlap: {a:?} and {b:?}");
            }
        }
    }
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed (apt-get install chromium)"
)]
fn long_history_and_portfolio_pages_keep_their_labels_apart_in_chromium() {
    let Some(bin) = common::tool("chromium") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let repo = long_history_repo();
    let window = [
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
    ];
    let dom_of = |page: &Path, profile: &str, size: &str| {
        let url = format!("file://{}", with_label_probe(page).display());
        let flags = ["--dump-dom".to_string(), format!("--window-size={size}")];
        chromium(&bin, dir, profile, &flags, &url)
    };

    // the default page: every quarter of the window labelled, none overlapping
    let page = dir.join("long.html");
    std::fs::write(&page, report_with(&repo, "html", &[])).expect("write");
    let dom = dom_of(&page, "p-long", "1280,1600");
    assert_no_label_overlaps(&dom);
    let labels = qlabels(&dom);
    for q in window {
        assert!(
            labels.iter().any(|l| l == q),
            "{q} not labelled: {labels:?}"
        );
    }
    // every quarter, on a wide and a narrow screen: labels are thinned, never piled up
    let all = dir.join("all.html");
    std::fs::write(&all, report_with(&repo, "html", &["--all"])).expect("write");
    for (profile, size) in [("p-all", "1280,1600"), ("p-all-narrow", "420,1600")] {
        assert_no_label_overlaps(&dom_of(&all, profile, size));
    }

    // the portfolio page: every repository and every quarter shown
    let [ledger, shop, _] = three_reports(dir);
    let portfolio = dir.join("portfolio.html");
    let out = merge(
        dir,
        &[&ledger, &shop],
        &[
            "--format",
            "html",
            "-o",
            portfolio.to_str().expect("UTF-8 path"),
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let dom = dom_of(&portfolio, "p-portfolio", "1280,1600");
    assert_no_label_overlaps(&dom);
    for name in ["ledger", "shop"] {
        assert!(
            dom.contains(&format!("data-repository=\"{name}\"")),
            "{name} missing"
        );
    }
    let merged: serde_json::Value =
        serde_json::from_slice(&merge(dir, &[&ledger, &shop], &["--format", "json"]).stdout)
            .expect("portfolio JSON");
    for q in merged["quarters"].as_array().expect("quarters") {
        let q = q["quarter"].as_str().expect("name");
        assert!(
            dom.contains(&format!(">{q}</th>")),
            "{q} missing from the portfolio"
        );
    }
}

#[test]
fn merging_500_reports_is_fast() {
    // 500 reports of 8 quarters, made from one real report with the
    // repository renamed; the figure is printed for the record.
    let repo = long_history_repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut v: serde_json::Value = serde_json::from_str(&report_with(
        &repo,
        "json",
        &["--since", "2025-01-01", "--all"],
    ))
    .expect("valid JSON");
    let quarters = v["quarters"].as_array().map(Vec::len).unwrap_or_default();
    assert_eq!(quarters, 8, "2025-Q1 to 2026-Q4");
    let files: Vec<PathBuf> = (0..500)
        .map(|i| {
            v["repository"]["name"] = format!("repo-{i:03}").into();
            let p = dir.join(format!("r{i:03}.json"));
            std::fs::write(&p, serde_json::to_string(&v).expect("JSON")).expect("write");
            p
        })
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let start = Instant::now();
    let out = merge(dir, &refs, &["--format", "json", "-o", "portfolio.json"]);
    let took = start.elapsed();
    assert_eq!(code(&out), 0, "{}", text(&out));
    eprintln!("merged 500 reports of 8 quarters in {took:?}");
    // generous for an unoptimised build on a shared machine; the release
    // figure is in the README
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("portfolio.json")).expect("read"))
            .expect("JSON");
    assert_eq!(p["repositories"].as_array().map(Vec::len), Some(500));
}
