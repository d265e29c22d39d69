//! Honest actuals (SPEC §9.6) on real repositories built with pinned dates:
//! `.mailmap`, `Co-authored-by:`, planning commits, id linking, coverage and
//! done items before adoption. Every expected number is computed here from
//! the SPEC's definitions, not copied from a run.

mod common;

use common::{code, text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

/// One counted-or-not commit as the test expects it to be judged.
struct Expect {
    /// UTC day of author time.
    day: &'static str,
    /// Its people after the mailmap (author first, human co-authors).
    people: Vec<&'static str>,
    /// `None`: ignored (bot author) or planning; else its class.
    class: Option<&'static str>,
    /// The item it links to, if any.
    item: Option<&'static str>,
}

/// What the SPEC's definitions give for `commits`: effort per class,
/// linked effort, and per item (commits, author-days, authors).
struct Expected {
    effort: BTreeMap<&'static str, f64>,
    counts: BTreeMap<&'static str, u64>,
    linked: f64,
    items: BTreeMap<&'static str, (u64, f64, usize)>,
}

fn expected(commits: &[Expect]) -> Expected {
    // Each person works one unit per day, split among the counted commits
    // they authored or co-authored that day.
    let mut per_day: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for c in commits.iter().filter(|c| c.class.is_some()) {
        for p in &c.people {
            *per_day.entry((p, c.day)).or_default() += 1;
        }
    }
    let mut out = Expected {
        effort: BTreeMap::new(),
        counts: BTreeMap::new(),
        linked: 0.0,
        items: BTreeMap::new(),
    };
    let mut item_people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in commits {
        let Some(class) = c.class else { continue };
        let weight: f64 = c
            .people
            .iter()
            .map(|p| 1.0 / f64::from(per_day[&(*p, c.day)]))
            .sum();
        *out.effort.entry(class).or_default() += weight;
        *out.counts.entry(class).or_default() += 1;
        if let Some(item) = c.item {
            out.linked += weight;
            let e = out.items.entry(item).or_default();
            e.0 += 1;
            e.1 += weight;
            item_people.entry(item).or_default().extend(&c.people);
        }
    }
    for (item, people) in item_people {
        out.items.get_mut(item).expect("item").2 = people.len();
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

/// The repository of the scenario, scripted by `fixtures/repos/build.sh`
/// (`actuals`, its plan `fixtures/repos/actuals-plan.toml`): a mailmap
/// merging two of Dana's addresses and mapping a build account to a robot,
/// pair work with human and bot co-authors, planning commits, and ids with
/// and without digits. `variant` names the same history read another way.
fn scenario(variant: &str) -> PathBuf {
    common::fixture(variant)
}

/// The scenario's commits as the SPEC judges them, with or without the
/// mailmap (without it, Dana's old address and the build account are
/// people of their own).
fn judged(mailmap: bool) -> Vec<Expect> {
    let dana_old = if mailmap { "dana" } else { "dana-old" };
    let e = |day, people: Vec<&'static str>, class, item| Expect {
        day,
        people,
        class,
        item,
    };
    vec![
        e("01-02", vec!["lead"], None, None),
        e("01-02", vec!["lead"], Some("debt"), None),
        e("01-05", vec![dana_old], Some("debt"), None),
        e("01-05", vec!["dana"], Some("feature"), Some("PAY-101")),
        e("01-06", vec!["lee", dana_old], Some("debt"), Some("vitest")),
        e("01-06", vec!["lee"], Some("debt"), None),
        e("01-07", vec!["lead"], None, None),
        e("01-07", vec!["lead"], None, None),
        e("01-07", vec!["lead"], Some("feature"), None),
        e("01-07", vec!["renovate"], None, None),
        e("01-08", vec!["kim"], Some("debt"), Some("OPS-7")),
        e("01-08", vec!["kim"], Some("debt"), Some("OPS-7")),
        e("01-08", vec!["kim"], Some("unclassified"), None),
        e(
            "01-08",
            vec!["build"],
            if mailmap { None } else { Some("debt") },
            None,
        ),
    ]
}

fn report(r: &Path) -> serde_json::Value {
    let out = common::roadlint_in(r, &["report", "--format", "json", "--today", "2026-05-01"]);
    assert!(code(&out) <= 1, "{}", text(&out));
    json(&out)
}

fn quarter<'a>(j: &'a serde_json::Value, q: &str) -> &'a serde_json::Value {
    j["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .find(|x| x["quarter"] == q)
        .unwrap_or_else(|| panic!("{q} in {j}"))
}

fn assert_matches(j: &serde_json::Value, want: &Expected, ignored: u64, planning: u64) {
    let q = quarter(j, "2026-Q1");
    for class in ["debt", "feature", "unclassified"] {
        let got = q["effort"][class].as_f64().expect("effort");
        let exp = want.effort.get(class).copied().unwrap_or(0.0);
        assert!(close(got, exp), "{class} effort: {got} vs {exp}");
        assert_eq!(
            q["commits"][class].as_u64(),
            Some(want.counts.get(class).copied().unwrap_or(0)),
            "{class} commits"
        );
    }
    assert_eq!(q["ignored_commits"].as_u64(), Some(ignored));
    assert_eq!(q["planning_commits"].as_u64(), Some(planning));
    let total: f64 = want.effort.values().sum();
    let coverage = q["coverage"].as_f64().expect("coverage");
    assert!(
        (coverage - want.linked / total).abs() < 1e-4,
        "coverage {coverage} vs {}",
        want.linked / total
    );
    for (id, (commits, days, authors)) in &want.items {
        let item = j["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["id"] == *id)
            .expect("item");
        assert_eq!(item["commits"].as_u64(), Some(*commits), "{id} commits");
        assert!(
            close(item["author_days"].as_f64().expect("days"), *days),
            "{id} author-days {} vs {days}",
            item["author_days"]
        );
        assert_eq!(
            item["authors"].as_u64(),
            Some(*authors as u64),
            "{id} authors"
        );
    }
}

#[test]
fn mailmap_coauthors_planning_commits_linking_and_coverage() {
    let r = scenario("actuals");
    let with = expected(&judged(true));
    let j = report(&r);
    // One ignored by name (renovate), one by its mailmap name (the robot);
    // three planning commits (roadmap + config, roadmap only, config only).
    assert_matches(&j, &with, 2, 3);
    // The subject "tidy the vitest config" does not link the word-like id.
    assert_eq!(with.items["vitest"].0, 1);

    // Without the mailmap in HEAD's tree (a last commit drops it), Dana's
    // two addresses are two people and the build account is no robot.
    let r = scenario("actuals-no-mailmap");
    let without = expected(&judged(false));
    assert!(without.effort["debt"] > with.effort["debt"]);
    assert_matches(&report(&r), &without, 1, 3);
}

#[test]
fn planning_commits_are_the_same_with_changed_path_filters() {
    // The filters let most commits be told apart without reading a tree;
    // the three planning commits must still be found, and nothing else.
    let cold = |r: &Path| {
        let out = common::roadlint_in(
            r,
            &[
                "report",
                "--format",
                "json",
                "--today",
                "2026-05-01",
                "--no-cache",
            ],
        );
        assert!(code(&out) <= 1, "{}", text(&out));
        json(&out)
    };
    // `git commit-graph write --reachable --changed-paths`
    let with = expected(&judged(true));
    assert_matches(&cold(&scenario("actuals-graph-filters")), &with, 2, 3);
    // A graph without filters: root trees from the graph, compared raw.
    assert_matches(&cold(&scenario("actuals-graph-plain")), &with, 2, 3);
}

#[test]
fn a_mailmap_only_in_the_work_tree_is_not_read() {
    // The mailmap dropped by a commit and written back, untracked.
    let r = scenario("actuals-mailmap-untracked");
    assert_matches(&report(&r), &expected(&judged(false)), 1, 3);
}

#[test]
fn commits_measure_counts_each_counted_commit_once() {
    // `[history] measure = "commits"` in the work tree's roadlint.toml
    let r = scenario("actuals-by-commits");
    let j = report(&r);
    let q = quarter(&j, "2026-Q1");
    let want = expected(&judged(true));
    for class in ["debt", "feature", "unclassified"] {
        let n = want.counts.get(class).copied().unwrap_or(0) as f64;
        assert_eq!(q["effort"][class].as_f64(), Some(n), "{class}");
    }
    let linked = judged(true)
        .iter()
        .filter(|c| c.class.is_some() && c.item.is_some())
        .count() as f64;
    let counted = want.counts.values().sum::<u64>() as f64;
    assert!((q["coverage"].as_f64().expect("coverage") - linked / counted).abs() < 1e-4);
}

#[test]
fn an_empty_commit_is_counted_as_before_and_a_quarter_without_effort_has_no_coverage() {
    // the plan, then an empty `fix` commit
    let r = scenario("actuals-empty-commit");
    let j = report(&r);
    let q = quarter(&j, "2026-Q1");
    assert_eq!(q["planning_commits"].as_u64(), Some(1));
    assert_eq!(q["commits"]["debt"].as_u64(), Some(1), "the empty commit");

    // the plan alone
    let r = scenario("actuals-plan-only");
    let j = report(&r);
    assert!(quarter(&j, "2026-Q1")["coverage"].is_null());
}

/// The items `report` flags as done without commits.
fn flagged(r: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["report", "--format", "json", "--today", "2026-05-01"];
    args.extend_from_slice(extra);
    let out = common::roadlint_in(r, &args);
    json(&out)["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| {
            i["contradictions"]
                .as_array()
                .is_some_and(|c| c.iter().any(|x| x == "done-without-commits"))
        })
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn done_items_before_adoption_or_since_are_not_flagged() {
    // A 2025-Q4 plan with a done item no commit is linked to, and 2026-Q1
    // likewise, roadlint adopted (roadlint.toml committed) on 2026-01-02:
    // 2025-Q4 ended before adoption.
    let r = scenario("adopted-in-january");
    assert_eq!(flagged(&r, &[]), ["NEW-1"]);
    // Adopted on 2025-12-31: 2025-Q4's last day is not before adoption.
    let r = scenario("adopted-in-december");
    assert_eq!(flagged(&r, &[]), ["OLD-1", "NEW-1"]);
    // `--since` after 2026-Q1 ended clears it; a partial quarter keeps it.
    assert_eq!(
        flagged(&r, &["--since", "2026-04-01"]),
        Vec::<String>::new()
    );
    assert_eq!(flagged(&r, &["--since", "2026-01-15"]), ["NEW-1"]);
}

#[test]
fn the_table_and_the_page_show_ignored_planning_and_coverage_with_their_meaning() {
    let r = scenario("actuals");
    let out = common::roadlint_in(
        &r,
        &["report", "--format", "table", "--today", "2026-05-01"],
    );
    let t = text(&out);
    let head = t.lines().next().expect("header");
    for col in ["ignored", "planning", "coverage"] {
        assert!(head.contains(col), "{head}");
    }
    let row = t.lines().find(|l| l.starts_with("2026-Q1")).expect("row");
    let want = expected(&judged(true));
    let total: f64 = want.effort.values().sum();
    let pct = format!("{:.0}%", 100.0 * want.linked / total);
    let cells: Vec<&str> = row.split_whitespace().collect();
    // quarter capacity planned plan-debt debt feature other ignored planning coverage
    assert_eq!(&cells[7..10], ["2", "3", pct.as_str()], "{row}");
    for note in ["ignored: ", "planning: ", "coverage: "] {
        assert!(t.lines().any(|l| l.starts_with(note)), "{note} in {t}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("r.html");
    let out = common::roadlint_in(
        &r,
        &[
            "report",
            "--format",
            "html",
            "-o",
            page.to_str().expect("utf-8"),
            "--today",
            "2026-05-01",
        ],
    );
    assert!(code(&out) <= 1, "{}", text(&out));
    let html = std::fs::read_to_string(&page).expect("page");
    for th in ["Ignored", "Planning", "Coverage"] {
        assert!(html.contains(&format!(">{th}</th>")), "{th}");
    }
    assert!(html.contains("Debt share: plan vs. author-days"));
    assert!(html.contains("coverage: share of the counted author-days linked"));
}

#[test]
fn a_waiver_without_an_expiry_says_so() {
    // the plan with a debt-share waiver and no `expires`
    let r = scenario("waiver-no-expiry");
    let out = common::roadlint_in(
        &r,
        &["report", "--format", "table", "--today", "2026-05-01"],
    );
    let t = text(&out);
    assert!(t.contains("waiver: debt-share 2026-Q1 no expiry"), "{t}");
    assert!(!t.contains("until ?"), "{t}");
}

#[test]
fn an_unfinished_quarter_shows_no_drift_in_the_table() {
    let r = scenario("actuals");
    let out = common::roadlint_in(
        &r,
        &["report", "--format", "table", "--today", "2026-02-01"],
    );
    let t = text(&out);
    let row = t
        .lines()
        .find(|l| l.starts_with("2026-Q1"))
        .unwrap_or_else(|| panic!("{t}"));
    assert!(row.contains("in progress"), "{row}");
    assert!(!row.contains("pts"), "no drift while in progress: {row}");
    // The JSON keeps the provisional drift.
    let out = common::roadlint_in(&r, &["report", "--format", "json", "--today", "2026-02-01"]);
    assert!(json(&out)["quarters"][0]["drift"].is_number());
}
