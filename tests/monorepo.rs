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
