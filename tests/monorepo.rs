//! Several teams' roadmaps in one repository (SPEC §9.8): each `[[roadmap]]`
//! is linted on its own (two may plan the same quarter), ids stay unique
//! across them, every format names the roadmap, `check --roadmap NAME`
//! limits a run, and a team's locked quarter is signed by its own approvers.

mod common;

use common::{code, text, Repo};

const CONFIG: &str = r#"[[roadmap]]
name = "payments"
files = ["services/payments/roadmap/**/*.toml"]
code = ["services/payments/**", "shared/**"]
[roadmap.signoff]
product_approvers = ["dana"]
tech_approvers = ["lee"]

[[roadmap]]
name = "search"
files = ["services/search/roadmap/**/*.toml"]
code = ["services/search/**", "shared/**"]
[roadmap.signoff]
product_approvers = ["sam"]
tech_approvers = ["kim"]

[[roadmap]]
name = "platform"
files = ["platform/roadmap/**/*.toml"]
code = ["platform/**", "shared/**"]

[rules]
debt-share = "off"
kpi-link = "off"
"#;

/// A quarter file of one team: `ids` are debt items of 2 weeks each.
fn quarter(locked: bool, owners: (&str, &str), ids: &[&str]) -> String {
    let mut s = String::from("quarter = \"2026-Q1\"\ncapacity = 20\n");
    if locked {
        s.push_str("locked = 2026-01-10\n");
    }
    for id in ids {
        s.push_str(&format!(
            "\n[[item]]\nid = \"{id}\"\ntitle = \"Work\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"{}\"\ntech_owner = \"{}\"\n",
            owners.0, owners.1
        ));
    }
    s
}

const PAY: &str = "services/payments/roadmap/2026-Q1.toml";
const SEARCH: &str = "services/search/roadmap/2026-Q1.toml";
const PLATFORM: &str = "platform/roadmap/2026-Q1.toml";

fn monorepo() -> Repo {
    let r = Repo::init();
    r.write("roadlint.toml", CONFIG);
    r.write(PAY, &quarter(true, ("dana", "lee"), &["PAY-1"]));
    r.write(SEARCH, &quarter(false, ("sam", "kim"), &["SRCH-1"]));
    r.write(PLATFORM, &quarter(false, ("pat", "ola"), &["PLAT-1"]));
    r.commit("docs: plan 2026-Q1 for three teams", "2026-01-05T10:00:00Z");
    r
}

fn json(r: &Repo, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["check", "--format", "json", "--today", "2026-03-01"];
    args.extend_from_slice(extra);
    let out = r.roadlint(&args);
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    (
        code(&out),
        doc["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

#[test]
fn three_roadmaps_may_plan_the_same_quarter() {
    let r = monorepo();
    let out = r.roadlint(&["check", "--today", "2026-03-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn ids_are_unique_across_roadmaps_and_every_format_names_the_roadmap() {
    let r = monorepo();
    r.write(
        SEARCH,
        &quarter(false, ("sam", "kim"), &["SRCH-1", "PAY-1"]),
    );
    r.write(
        PLATFORM,
        &quarter(false, ("pat", "ola"), &["PLAT-1"]).replace("capacity = 20", "capacity = 1"),
    );
    let (exit, diags) = json(&r, &["--no-history"]);
    assert_eq!(exit, 1);
    let dup: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["rule"] == "duplicate-id")
        .collect();
    assert_eq!(dup.len(), 1, "{diags:?}");
    assert_eq!(dup[0]["roadmap"], "search");
    assert_eq!(dup[0]["file"], SEARCH);
    assert!(dup[0]["message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("item `PAY-1`"));
    let cap: Vec<&serde_json::Value> = diags.iter().filter(|d| d["rule"] == "capacity").collect();
    assert_eq!(cap.len(), 1, "{diags:?}");
    assert_eq!(cap[0]["roadmap"], "platform");
    // The duplicate names both files.
    let out = r.roadlint(&["check", "--no-history", "--today", "2026-03-01"]);
    let human = text(&out);
    assert!(
        human.contains("[search] item `PAY-1` is declared more than once"),
        "{human}"
    );
    assert!(human.contains(PAY) && human.contains(SEARCH), "{human}");
    assert!(human.contains("[platform] 2026-Q1 plans"), "{human}");
    let short = text(&r.roadlint(&[
        "check",
        "--no-history",
        "--format",
        "short",
        "--today",
        "2026-03-01",
    ]));
    assert!(
        short.contains("error[duplicate-id] [search] item `PAY-1`"),
        "{short}"
    );
    let github = text(&r.roadlint(&[
        "check",
        "--no-history",
        "--format",
        "github",
        "--today",
        "2026-03-01",
    ]));
    assert!(github.contains("::[search] item `PAY-1`"), "{github}");
    let junit = text(&r.roadlint(&[
        "check",
        "--no-history",
        "--format",
        "junit",
        "--today",
        "2026-03-01",
    ]));
    assert!(junit.contains("[platform] 2026-Q1 plans"), "{junit}");
    let sarif: serde_json::Value = serde_json::from_slice(
        &r.roadlint(&[
            "check",
            "--no-history",
            "--format",
            "sarif",
            "--today",
            "2026-03-01",
        ])
        .stdout,
    )
    .expect("sarif");
    let roadmaps: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["properties"]["roadmap"].as_str())
        .collect();
    assert_eq!(roadmaps.len(), 2, "{sarif}");
    assert!(roadmaps.contains(&"search") && roadmaps.contains(&"platform"));

    // --roadmap limits the diagnostics and the exit code.
    let (exit, diags) = json(&r, &["--no-history", "--roadmap", "payments"]);
    assert_eq!((exit, diags.len()), (0, 0), "{diags:?}");
    let (exit, diags) = json(&r, &["--no-history", "--roadmap", "platform"]);
    assert_eq!(exit, 1);
    assert!(
        diags.iter().all(|d| d["roadmap"] == "platform"),
        "{diags:?}"
    );
    let out = r.roadlint(&["check", "--no-history", "--roadmap", "billing"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out).contains("no roadmap is named `billing`")
            && text(&out).contains("the roadmaps are: payments, search, platform"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_locked_quarter_is_signed_by_its_own_teams_approvers() {
    let r = monorepo();
    // Search's approvers sign a scope change of payments' locked quarter.
    r.write(PAY, &quarter(true, ("dana", "lee"), &["PAY-1", "PAY-2"]));
    let foreign = r.commit(
        "feat: one more payments item\n\nProduct-Approved-By: sam\nTech-Approved-By: kim",
        "2026-02-02T10:00:00Z",
    );
    // Payments' own approvers sign the next one.
    r.write(
        PAY,
        &quarter(true, ("dana", "lee"), &["PAY-1", "PAY-2", "PAY-3"]),
    );
    r.commit(
        "feat: and another\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        "2026-02-03T10:00:00Z",
    );
    let (exit, diags) = json(&r, &["--select", "locked-scope"]);
    assert_eq!(exit, 1, "{diags:?}");
    let locked: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["rule"] == "locked-scope")
        .collect();
    assert_eq!(locked.len(), 1, "{diags:?}");
    assert_eq!(locked[0]["commit"], foreign.as_str());
    assert_eq!(locked[0]["roadmap"], "payments");
    let msg = locked[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("`sam`, who is not a product approver"),
        "{msg}"
    );
    assert!(msg.contains("`kim`, who is not a tech approver"), "{msg}");
    // The message names the table the approvers came from.
    assert!(
        msg.contains("(`[[roadmap]] \"payments\" signoff.product_approvers`: dana)"),
        "{msg}"
    );
    assert!(
        msg.contains("(`[[roadmap]] \"payments\" signoff.tech_approvers`: lee)"),
        "{msg}"
    );
    assert!(!msg.contains("[signoff]"), "{msg}");
}

#[test]
fn a_repository_without_roadmap_entries_prints_no_roadmap_field() {
    let r = Repo::init();
    r.write(
        "roadmap/2026-Q1.toml",
        &quarter(false, ("dana", "lee"), &["A-1", "A-1"]),
    );
    let (_, diags) = json(&r, &["--no-history"]);
    assert!(!diags.is_empty());
    assert!(
        diags.iter().all(|d| d.get("roadmap").is_none()),
        "{diags:?}"
    );
    let out = r.roadlint(&["check", "--no-history", "--today", "2026-03-01"]);
    assert!(
        text(&out).contains("× item `A-1` is declared more than once"),
        "{}",
        text(&out)
    );
}

// ------------------------------------------------ attribution

/// One commit of the attribution scenario.
struct Work {
    author: &'static str,
    coauthor: Option<&'static str>,
    /// Day of January 2026.
    day: u32,
    hour: u32,
    subject: &'static str,
    paths: &'static [&'static str],
}

/// The scenario: `code` globs overlap on `shared/`.
const WORK: &[Work] = &[
    Work {
        author: "alice",
        coauthor: None,
        day: 12,
        hour: 9,
        subject: "fix: payment retries",
        paths: &["services/payments/retry.rs"],
    },
    Work {
        author: "alice",
        coauthor: None,
        day: 12,
        hour: 15,
        subject: "feat: search index",
        paths: &["services/search/index.rs"],
    },
    Work {
        author: "bob",
        coauthor: None,
        day: 13,
        hour: 9,
        subject: "chore: shared clock",
        paths: &["shared/clock.rs"],
    },
    Work {
        author: "bob",
        coauthor: None,
        day: 13,
        hour: 11,
        subject: "feat: platform quota PLAT-1",
        paths: &["shared/quota.rs"],
    },
    Work {
        author: "carol",
        coauthor: None,
        day: 14,
        hour: 10,
        subject: "docs: readme",
        paths: &["README.md"],
    },
    Work {
        author: "dave",
        coauthor: Some("erin"),
        day: 14,
        hour: 16,
        subject: "refactor: ledger on the platform",
        paths: &["services/payments/ledger.rs", "platform/ledger.rs"],
    },
    Work {
        author: "erin",
        coauthor: None,
        day: 20,
        hour: 10,
        subject: "fix: search ranking SRCH-1",
        paths: &["services/search/rank.rs", "shared/rank.rs"],
    },
    // One subject twice: linked by nothing (its code's roadmap), and by
    // its trailer (payments, whatever it changes).
    Work {
        author: "alice",
        coauthor: None,
        day: 21,
        hour: 9,
        subject: "chore: tidy",
        paths: &["services/search/tidy.rs"],
    },
    Work {
        author: "alice",
        coauthor: None,
        day: 21,
        hour: 10,
        subject: "chore: tidy\n\nRoadmap-Item: PAY-1",
        paths: &["services/search/tidy_more.rs"],
    },
];

/// Which roadmaps a path's code belongs to, as CONFIG declares.
fn code_of(path: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (name, dirs) in [
        ("payments", ["services/payments/", "shared/"]),
        ("search", ["services/search/", "shared/"]),
        ("platform", ["platform/", "shared/"]),
    ] {
        if dirs.iter().any(|d| path.starts_with(d)) {
            out.push(name);
        }
    }
    out
}

/// The SPEC's rule, computed here on its own: each person works one unit a
/// day split evenly among the commits they (co-)authored that day; a commit
/// weighs its people's shares; it counts for its linked item's roadmap, else
/// for the roadmaps whose code it changes, split evenly; else unattributed.
fn expected() -> std::collections::BTreeMap<&'static str, f64> {
    use std::collections::BTreeMap;
    let people =
        |w: &Work| -> Vec<&'static str> { std::iter::once(w.author).chain(w.coauthor).collect() };
    let mut per_day: BTreeMap<(&str, u32), f64> = BTreeMap::new();
    for w in WORK {
        for p in people(w) {
            *per_day.entry((p, w.day)).or_default() += 1.0;
        }
    }
    let mut out: BTreeMap<&'static str, f64> = BTreeMap::new();
    for w in WORK {
        let weight: f64 = people(w).iter().map(|p| 1.0 / per_day[&(*p, w.day)]).sum();
        let linked = [
            ("PAY-", "payments"),
            ("SRCH-", "search"),
            ("PLAT-", "platform"),
        ]
        .iter()
        .find(|(prefix, _)| w.subject.contains(prefix))
        .map(|(_, r)| vec![*r]);
        let mut roadmaps = linked.unwrap_or_else(|| {
            let mut r: Vec<&str> = w.paths.iter().flat_map(|p| code_of(p)).collect();
            r.sort();
            r.dedup();
            r
        });
        if roadmaps.is_empty() {
            roadmaps.push("unattributed");
        }
        let n = roadmaps.len() as f64;
        for r in roadmaps {
            *out.entry(r).or_default() += weight / n;
        }
    }
    out
}

fn attributed_repo() -> Repo {
    let r = monorepo();
    r.write(SEARCH, &quarter(false, ("sam", "kim"), &["SRCH-1"]));
    for w in WORK {
        for p in w.paths {
            r.write(p, &format!("// {} {}\n", w.subject, w.hour));
        }
        let mut message = w.subject.to_string();
        if let Some(co) = w.coauthor {
            message.push_str(&format!("\n\nCo-authored-by: {co} <{co}@example.com>"));
        }
        r.commit_as(
            &message,
            &format!("2026-01-{:02}T{:02}:00:00Z", w.day, w.hour),
            w.author,
            &format!("{}@example.com", w.author),
        );
    }
    r
}

#[test]
fn the_report_splits_each_commit_evenly_among_the_roadmaps_it_counts_for() {
    let r = attributed_repo();
    let out = r.roadlint(&["report", "--format", "json", "--today", "2026-03-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let q1 = |quarters: &serde_json::Value| -> serde_json::Value {
        quarters
            .as_array()
            .expect("quarters")
            .iter()
            .find(|q| q["quarter"] == "2026-Q1")
            .cloned()
            .expect("2026-Q1")
    };
    let sum = |e: &serde_json::Value| {
        ["debt", "feature", "unclassified"]
            .iter()
            .map(|k| e[k].as_f64().unwrap_or(0.0))
            .sum::<f64>()
    };
    let want = expected();
    let sections = doc["roadmaps"].as_array().expect("roadmap sections");
    let names: Vec<&str> = sections.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["payments", "search", "platform", "unattributed"]);
    for s in sections {
        let name = s["name"].as_str().unwrap_or_default();
        let got = sum(&q1(&s["quarters"])["effort"]);
        let expect = want.get(name).copied().unwrap_or(0.0);
        assert!((got - expect).abs() < 1e-9, "{name}: {got} vs {expect}");
    }
    // The shared commit counts once in each of the three roadmaps.
    let commits = |name: &str| {
        let s = sections
            .iter()
            .find(|s| s["name"] == name)
            .expect("section");
        let c = &q1(&s["quarters"])["commits"];
        ["debt", "feature", "unclassified"]
            .iter()
            .map(|k| c[k].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    assert_eq!(
        (
            commits("payments"),
            commits("search"),
            commits("platform"),
            commits("unattributed")
        ),
        (4, 4, 3, 1)
    );
    // The total counts every commit once and all of the effort.
    let total = q1(&doc["quarters"]);
    let all: f64 = want.values().sum();
    assert!((sum(&total["effort"]) - all).abs() < 1e-9, "{total}");
    assert_eq!(
        ["debt", "feature", "unclassified"]
            .iter()
            .map(|k| total["commits"][k].as_u64().unwrap_or(0))
            .sum::<u64>(),
        WORK.len() as u64
    );
    // Its plan is every roadmap's: three capacities of 20.
    assert_eq!(total["capacity"].as_f64(), Some(60.0), "{total}");
    let pay = q1(&sections[0]["quarters"]);
    assert_eq!(pay["capacity"].as_f64(), Some(20.0));
    // A second run takes the tally from the answer the first remembered:
    // the same sections, as a run without the cache counts them.
    let args = ["report", "--format", "json", "--today", "2026-03-01"];
    let again = r.roadlint(&args);
    assert_eq!(text(&again), text(&out));
    let fresh = r.roadlint(&[&args[..], &["--no-cache"]].concat());
    assert_eq!(text(&fresh), text(&out));

    // The table and the page show the sections too.
    let table = text(&r.roadlint(&["report", "--today", "2026-03-01"]));
    assert!(
        table.contains("\nroadmap payments\n") && table.contains("\nroadmap unattributed\n"),
        "{table}"
    );
    let html = String::from_utf8_lossy(
        &r.roadlint(&["report", "--format", "html", "--today", "2026-03-01"])
            .stdout,
    )
    .into_owned();
    for name in ["payments", "search", "platform", "unattributed"] {
        assert!(html.contains(&format!("data-roadmap=\"{name}\"")), "{name}");
    }
}

/// A trailer links a commit to its item's roadmap whatever the commit
/// changes; an item without a kind is not one the classifier links to, so
/// a commit naming it counts for the code it changes, like an unlinked one.
#[test]
fn a_trailer_links_by_its_item_and_a_kindless_item_leaves_it_to_the_code() {
    let r = monorepo();
    let kindless = "\n[[item]]\nid = \"PLAT-2\"\ntitle = \"Work\"\neffort = 1\nproduct_owner = \"pat\"\ntech_owner = \"ola\"\n";
    r.write(
        PLATFORM,
        &(quarter(false, ("pat", "ola"), &["PLAT-1"]) + kindless),
    );
    r.commit("docs: plan PLAT-2", "2026-01-06T10:00:00Z");
    r.write("services/search/a.rs", "a\n");
    r.commit("fix: tune\n\nRoadmap-Item: PAY-1", "2026-01-20T10:00:00Z");
    r.write("services/search/b.rs", "b\n");
    r.commit(
        "fix: tune more\n\nRoadmap-Item: PLAT-2",
        "2026-01-21T10:00:00Z",
    );
    let out = r.roadlint(&["report", "--format", "json", "--today", "2026-03-01"]);
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    let commits = |name: &str| -> u64 {
        let Some(section) = doc["roadmaps"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["name"] == name))
        else {
            return 0;
        };
        section["quarters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|q| q["quarter"] == "2026-Q1")
            .flat_map(|q| ["debt", "feature", "unclassified"].map(|k| q["commits"][k].as_u64()))
            .flatten()
            .sum()
    };
    assert_eq!(
        (commits("payments"), commits("search"), commits("platform")),
        (1, 1, 0),
        "{}",
        text(&out)
    );
}

#[test]
fn one_roadmap_reports_no_sections() {
    let r = Repo::init();
    r.write(
        "roadmap/2026-Q1.toml",
        &quarter(false, ("dana", "lee"), &["A-1"]),
    );
    r.commit("docs: plan", "2026-01-05T10:00:00Z");
    let out = r.roadlint(&["report", "--format", "json", "--today", "2026-03-01"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(doc.get("roadmaps").is_none());
    assert!(!text(&r.roadlint(&["report", "--today", "2026-03-01"])).contains("\nroadmap "));
}

#[test]
fn init_example_monorepo_writes_two_teams_that_pass() {
    let r = Repo::init();
    let out = r.roadlint(&["init", "--example", "--monorepo", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    for f in [
        "roadlint.toml",
        "policy/org.toml",
        "services/payments/roadmap/2026-Q1.toml",
        "services/search/roadmap/2026-Q1.toml",
    ] {
        assert!(r.path().join(f).is_file(), "{f}");
    }
    let out = r.roadlint(&["check", "--today", "2026-02-01"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let shown =
        String::from_utf8_lossy(&r.roadlint(&["config", "--show-origin"]).stdout).into_owned();
    assert!(
        shown.contains("level = \"error\"  # policy/org.toml:"),
        "{shown}"
    );
    // Each team's locked quarter is signed by its own approvers: the
    // search team cannot sign for payments.
    r.commit("docs: plan the quarter", "2026-01-05T10:00:00Z");
    let pay = "services/payments/roadmap/2026-Q1.toml";
    let text_of = std::fs::read_to_string(r.path().join(pay)).expect("read");
    r.write(
        pay,
        &text_of.replace("capacity = 24", "capacity = 24\nlocked = 2026-01-06"),
    );
    r.commit(
        "docs: lock payments\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        "2026-01-06T10:00:00Z",
    );
    let locked = std::fs::read_to_string(r.path().join(pay)).expect("read");
    r.write(
        pay,
        &locked.replace("effort        = 6", "effort        = 7"),
    );
    r.commit(
        "docs: more ledger work\n\nProduct-Approved-By: maria\nTech-Approved-By: kim",
        "2026-01-20T10:00:00Z",
    );
    let (exit, diags) = json(&r, &["--select", "locked-scope"]);
    assert_eq!(exit, 1, "{diags:?}");
    assert!(
        diags
            .iter()
            .any(|d| d["rule"] == "locked-scope" && d["roadmap"] == "payments"),
        "{diags:?}"
    );
    let out = r.roadlint(&["init", "--monorepo"]);
    assert_eq!(code(&out), 2, "--monorepo needs --example");
}

/// The page as headless chromium builds it (`--dump-dom`), killed after two
/// minutes so a stuck browser fails the test instead of hanging it.
fn dom_in_chromium(bin: &std::path::Path, dir: &std::path::Path, page: &std::path::Path) -> String {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("file://{}", page.display()))
        .env("HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
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
    assert!(status.success(), "chromium failed ({status})");
    reader.join().unwrap_or_default()
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "chromium is not installed (apt-get install chromium)"
)]
fn the_report_page_shows_each_roadmap_and_the_total_in_chromium() {
    let Some(bin) = common::tool("chromium") else {
        return;
    };
    let r = attributed_repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("report.html");
    let out = r.roadlint(&[
        "report",
        "--format",
        "html",
        "--today",
        "2026-03-01",
        "-o",
        page.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let dom = dom_in_chromium(&bin, tmp.path(), &page);
    assert!(dom.contains("id=\"roadmaps\""), "no roadmaps section");
    let want = expected();
    for name in ["payments", "search", "platform", "unattributed"] {
        let at = dom
            .find(&format!("data-roadmap=\"{name}\""))
            .unwrap_or_else(|| panic!("no section for {name}"));
        let section = &dom[at..];
        let row = &section[section
            .find("data-quarter=\"2026-Q1\"")
            .expect("2026-Q1 row")..];
        let row = &row[..row.find("</tr>").expect("row end")];
        let effort = want.get(name).copied().unwrap_or(0.0);
        let shown = format!(">{}<", roadlint_weeks(effort));
        assert!(row.contains(&shown), "{name}: {shown} not in {row}");
    }
    // The quarters table above is the total.
    assert!(dom.contains("id=\"quarters\""), "no quarters table");
}

/// An amount as the page writes a small effort: one decimal, no trailing `.0`.
fn roadlint_weeks(n: f64) -> String {
    let r = (n * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[test]
fn history_debt_share_judges_each_roadmap_on_its_own_commits() {
    let r = Repo::init();
    r.write(
        "roadlint.toml",
        "[[roadmap]]\nname = \"payments\"\nfiles = [\"services/payments/roadmap/*.toml\"]\ncode = [\"services/payments/**\"]\n\n[[roadmap]]\nname = \"search\"\nfiles = [\"services/search/roadmap/*.toml\"]\ncode = [\"services/search/**\"]\n\n[rules]\nkpi-link = \"off\"\n",
    );
    let plan = |p: &str| {
        format!(
            "quarter = \"2026-Q1\"\ncapacity = 10\n\n[[item]]\nid = \"{p}-1\"\ntitle = \"New\"\nkind = \"feature\"\neffort = 7\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n\n[[item]]\nid = \"{p}-2\"\ntitle = \"Old\"\nkind = \"debt\"\neffort = 3\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n"
        )
    };
    r.write("services/payments/roadmap/2026-Q1.toml", &plan("PAY"));
    r.write("services/search/roadmap/2026-Q1.toml", &plan("SRCH"));
    r.commit("docs: plan", "2026-01-02T10:00:00Z");
    // Payments lands only debt work; search lands 3 debt and 7 feature
    // commits, as planned. Together: 13 of 20, 65%.
    for i in 0..10 {
        r.write(&format!("services/payments/f{i}.rs"), "x");
        r.commit_as(
            &format!("fix: payments {i}"),
            &format!("2026-02-{:02}T10:00:00Z", i + 1),
            "pat",
            "pat@example.com",
        );
        r.write(&format!("services/search/f{i}.rs"), "x");
        let kind = if i < 3 { "fix" } else { "feat" };
        r.commit_as(
            &format!("{kind}: search {i}"),
            &format!("2026-02-{:02}T10:00:00Z", i + 1),
            "sue",
            "sue@example.com",
        );
    }
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--today",
        "2026-04-15",
        "--select",
        "history-debt-share",
    ];
    args.push("--no-cache");
    let out = r.roadlint(&args);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "history-debt-share")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["roadmap"], "payments");
    let msg = found[0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("10 of 10 classified commits"), "{msg}");
}
