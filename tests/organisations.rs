//! Organisations (SPEC §9.8): `extends` presets shown by `roadlint config
//! --show-origin`, and the config errors that point at an entry; a preset is
//! part of the agreement the gate guards.

mod common;

use common::{code, text, Repo};

const ORG: &str = "# the company's policy\nfiscal_year_start = 4\n\n[rules]\ndebt-share = { level = \"error\", min = 0.25, max = 0.5 }\nkpi-link = \"error\"\n";
const TEAM: &str = "extends = [\"policy/org.toml\"]\n[rules]\ndebt-share = \"warn\"\n[signoff]\nproduct_approvers = [\"dana\"]\n";

/// A small quarter: 40% debt, inside any share the presets set.
const QUARTER: &str = "quarter = \"2026-Q1\"\ncapacity = 10\n\n[[item]]\nid = \"PAY-1\"\ntitle = \"Checkout\"\nkind = \"feature\"\neffort = 3\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n\n[[item]]\nid = \"PAY-2\"\ntitle = \"Retries\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n";

fn sha256(path: &std::path::Path) -> String {
    use std::process::Command;
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("a digest")
        .to_string()
}

fn presets() -> Repo {
    let r = Repo::init();
    r.write("policy/org.toml", ORG);
    r.write("policy/team.toml", TEAM);
    r
}

#[test]
fn config_show_origin_names_the_file_of_each_key_two_levels_deep() {
    let r = presets();
    r.write(
        "roadlint.toml",
        "extends = [\"policy/team.toml\"]\n\n[rules]\ndebt-share = { max = 0.6 }\n",
    );
    // From a subdirectory: paths stay relative to the repository root.
    std::fs::create_dir_all(r.path().join("services/pay")).expect("mkdir");
    let out = common::roadlint()
        .current_dir(r.path().join("services/pay"))
        .args(["config", "--show-origin"])
        .output();
    assert_eq!(code(&out), 0, "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    for want in [
        "fiscal_year_start = 4  # policy/org.toml:2",
        "roadmap = [\"roadmap/**/*.toml\"]  # default",
        "[rules.debt-share]\nkinds = [\"debt\", \"maintenance\"]  # default\nlevel = \"warn\"  # policy/team.toml:3\nmax = 0.6  # roadlint.toml:4\nmin = 0.25  # policy/org.toml:5\n",
        "[rules.kpi-link]\nlevel = \"error\"  # policy/org.toml:6\n",
        "product_approvers = [\"dana\"]  # policy/team.toml:5",
    ] {
        assert!(shown.contains(want), "{want}\nnot in\n{shown}");
    }
    // Without --show-origin: the same keys, no comments, and it is TOML.
    let out = r.roadlint(&["config"]);
    let plain = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!plain.contains('#'), "{plain}");
    let parsed: toml::Table = toml::from_str(&plain).expect("TOML");
    assert_eq!(parsed["fiscal_year_start"].as_integer(), Some(4));
    // check runs with the merged config: the org raised kpi-link to error.
    r.write("roadmap/2026-Q1.toml", QUARTER);
    let out = r.roadlint(&["check", "--no-history", "--today", "2026-06-15"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("feature `PAY-1` links no KPI"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("1 error"), "{}", text(&out));
}

#[test]
fn a_pinned_preset_that_changed_is_exit_2_naming_both_digests() {
    let r = presets();
    let pinned = sha256(&r.path().join("policy/org.toml"));
    r.write(
        "roadlint.toml",
        &format!("extends = [\n  {{ path = \"policy/org.toml\", sha256 = \"{pinned}\" }},\n]\n"),
    );
    let out = r.roadlint(&["config"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    r.write("policy/org.toml", &ORG.replace("0.25", "0.10"));
    let now = sha256(&r.path().join("policy/org.toml"));
    for args in [&["config"][..], &["check", "--no-history"][..]] {
        let out = r.roadlint(args);
        assert_eq!(code(&out), 2, "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&pinned) && err.contains(&now), "{err}");
        assert!(err.contains("[roadlint.toml:2:3]"), "{err}");
        assert!(err.contains("policy/org.toml"), "{err}");
    }
}

#[test]
fn a_cycle_a_missing_preset_and_a_symlinked_one_are_exit_2_at_the_entry() {
    let r = presets();
    r.write("policy/a.toml", "extends = [\"policy/b.toml\"]\n");
    r.write("policy/b.toml", "\nextends = [\"policy/a.toml\"]\n");
    r.write("roadlint.toml", "extends = [\"policy/a.toml\"]\n");
    let out = r.roadlint(&["config"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`extends` cycle: policy/a.toml → policy/b.toml → policy/a.toml"),
        "{err}"
    );
    assert!(err.contains("[policy/b.toml:2:12]"), "{err}");

    r.write("roadlint.toml", "extends = [\"policy/missing.toml\"]\n");
    let out = r.roadlint(&["config"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`extends` entry `policy/missing.toml` names no regular file inside the repository: not found"),
        "{err}"
    );
    assert!(err.contains("[roadlint.toml:1:12]"), "{err}");

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", r.path().join("policy/link.toml"))
            .expect("symlink");
        r.write("roadlint.toml", "extends = [\"policy/link.toml\"]\n");
        let out = r.roadlint(&["config"]);
        assert_eq!(code(&out), 2);
        assert!(text(&out).contains("symbolic"), "{}", text(&out));
    }
}

#[test]
fn staged_and_rev_read_the_preset_of_that_snapshot() {
    let r = presets();
    r.write("roadlint.toml", "extends = [\"policy/org.toml\"]\n");
    r.commit("chore: adopt the org policy", "2026-01-05T10:00:00Z");
    r.write(
        "policy/org.toml",
        &ORG.replace("fiscal_year_start = 4", "fiscal_year_start = 7"),
    );
    let at = |args: &[&str]| {
        let out = r.roadlint(args);
        assert_eq!(code(&out), 0, "{}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(at(&["config"]).contains("fiscal_year_start = 7"));
    assert!(at(&["config", "--staged"]).contains("fiscal_year_start = 4"));
    r.git(&["add", "-A"]);
    assert!(at(&["config", "--staged"]).contains("fiscal_year_start = 7"));
    assert!(at(&["config", "--rev", "HEAD"]).contains("fiscal_year_start = 4"));
}

// ------------------------------------------------ presets in the gate

/// `check`'s policy-signoff findings as (commit, message).
fn policy_findings(r: &Repo) -> Vec<(String, String)> {
    let out = r.roadlint(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-15",
        "--select",
        "policy-signoff",
    ]);
    assert!(code(&out) < 2, "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "policy-signoff")
        .map(|d| {
            (
                d["commit"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_preset_change_without_sign_off_is_reported_by_check() {
    let r = presets();
    r.write("roadlint.toml", "extends = [\"policy/team.toml\"]\n");
    r.write("roadmap/2026-Q1.toml", QUARTER);
    r.commit("chore: adopt the org policy", "2026-01-05T10:00:00Z");
    // A comment and key order in a preset change nothing.
    r.write("policy/org.toml", &format!("# reviewed\n{ORG}"));
    r.commit("docs: note the review", "2026-01-06T10:00:00Z");
    assert!(policy_findings(&r).is_empty(), "{:?}", policy_findings(&r));

    // The org preset turns kpi-link off, unsigned: reported, in force terms.
    r.write(
        "policy/org.toml",
        &ORG.replace("kpi-link = \"error\"", "kpi-link = \"off\""),
    );
    let relaxed = r.commit("chore: relax the org policy", "2026-02-02T10:00:00Z");
    // The team preset turns a rule off the same way, signed: accepted.
    r.write(
        "policy/team.toml",
        &TEAM.replace(
            "debt-share = \"warn\"",
            "debt-share = \"warn\"\ncapacity = \"off\"",
        ),
    );
    r.commit(
        "chore: the team plans without capacity\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        "2026-02-03T10:00:00Z",
    );
    let found = policy_findings(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, relaxed);
    assert!(
        found[0].1.contains("(turns kpi-link off)"),
        "{}",
        found[0].1
    );
    assert!(found[0].1.contains("Product-Approved-By"), "{}", found[0].1);
    let out = r.roadlint(&["check", "--today", "2026-06-15"]);
    assert_eq!(code(&out), 1, "{}", text(&out));

    // Removing the extends entry is a change of the agreement too.
    r.write("roadlint.toml", "[rules]\ncapacity = \"off\"\n");
    let dropped = r.commit("chore: drop the team preset", "2026-02-05T10:00:00Z");
    let found = policy_findings(&r);
    let dropped: Vec<&(String, String)> = found.iter().filter(|(c, _)| *c == dropped).collect();
    assert_eq!(dropped.len(), 1, "{found:?}");
    assert!(
        dropped[0]
            .1
            .contains("changes the presets it extends from [\"policy/team.toml\"] to []"),
        "{}",
        dropped[0].1
    );
}

#[test]
fn an_overridden_preset_value_is_reported_by_the_preset_name() {
    let r = presets();
    r.write(
        "roadlint.toml",
        "extends = [\"policy/org.toml\"]\n[rules]\nkpi-link = \"warn\"\n",
    );
    r.write("roadmap/2026-Q1.toml", QUARTER);
    r.commit("chore: adopt the org policy", "2026-01-05T10:00:00Z");
    r.write(
        "policy/org.toml",
        &ORG.replace("kpi-link = \"error\"", "kpi-link = \"off\""),
    );
    let id = r.commit("chore: the org drops kpi-link", "2026-02-02T10:00:00Z");
    let found = policy_findings(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, id);
    assert!(
        found[0].1.contains("(changes the preset policy/org.toml)"),
        "{}",
        found[0].1
    );
}

#[test]
fn history_is_judged_with_the_approvers_a_preset_named_then() {
    // The team preset names the product approver; the gate judges each
    // commit with the chain as its parent's tree held it.
    let r = Repo::init();
    r.write(
        "policy/team.toml",
        "[signoff]\nproduct_approvers = [\"pat\"]\n",
    );
    r.write("roadlint.toml", "extends = [\"policy/team.toml\"]\n");
    r.write(
        "roadmap/2026-Q1.toml",
        &QUARTER.replacen("capacity = 10\n", "capacity = 10\nlocked = 2026-01-10\n", 1),
    );
    r.commit("docs: plan 2026-Q1", "2026-01-05T10:00:00Z");
    let quarter = std::fs::read_to_string(r.path().join("roadmap/2026-Q1.toml")).expect("read");
    // pat signs for product, as the preset says; dana (an owner) could not.
    r.write(
        "roadmap/2026-Q1.toml",
        &quarter.replace("effort = 3", "effort = 4"),
    );
    r.commit(
        "feat: grow PAY-1\n\nProduct-Approved-By: pat\nTech-Approved-By: lee",
        "2026-02-01T10:00:00Z",
    );
    r.write(
        "roadmap/2026-Q1.toml",
        &quarter.replace("effort = 3", "effort = 5"),
    );
    r.commit(
        "feat: grow PAY-1 again\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        "2026-02-02T10:00:00Z",
    );
    let out = r.roadlint(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-15",
        "--select",
        "locked-scope",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .contains("`dana`, who is not a product approver (`[signoff] product_approvers`: pat)"),
        "{found:?}"
    );
}

#[test]
fn a_preset_dropped_from_the_chain_still_guards_the_commits_made_while_extended() {
    let r = presets();
    r.write("roadlint.toml", "extends = [\"policy/team.toml\"]\n");
    r.write("roadmap/2026-Q1.toml", QUARTER);
    r.commit("chore: adopt the org policy", "2026-01-05T10:00:00Z");
    // While extended, the org preset turns kpi-link off, unsigned.
    r.write(
        "policy/org.toml",
        &ORG.replace("kpi-link = \"error\"", "kpi-link = \"off\""),
    );
    let relaxed = r.commit("chore: relax the org policy", "2026-02-02T10:00:00Z");
    // Later the preset is dropped from the chain, signed.
    r.write("roadlint.toml", "fiscal_year_start = 4\n");
    r.commit(
        "chore: go without presets\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        "2026-02-05T10:00:00Z",
    );
    // Once out of the chain the file is no part of the agreement: a change
    // to it, unsigned, is nobody's business.
    r.write("policy/org.toml", "# retired\n");
    r.commit("chore: retire the org policy", "2026-02-06T10:00:00Z");
    let found = policy_findings(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, relaxed, "{found:?}");
    assert!(
        found[0].1.contains("(turns kpi-link off)"),
        "{}",
        found[0].1
    );
}

// ------------------------------------- several roadmaps in every format

/// Two teams; payments locks 2026-Q1 and plans 2026-Q2 too.
const TEAMS: &str = "[[roadmap]]\nname = \"payments\"\nfiles = [\"payments/roadmap/*.toml\"]\ncode = [\"payments/**\"]\n\n[[roadmap]]\nname = \"search\"\nfiles = [\"search/roadmap/*.toml\"]\ncode = [\"search/**\"]\n\n[rules]\nkpi-link = \"off\"\n";

#[test]
fn every_finding_about_a_roadmap_names_it_in_every_machine_format() {
    let r = Repo::init();
    r.write("roadlint.toml", TEAMS);
    let locked = QUARTER.replacen("capacity = 10\n", "capacity = 10\nlocked = 2026-01-10\n", 1);
    r.write("payments/roadmap/2026-Q1.toml", &locked);
    r.write(
        "payments/roadmap/2026-Q2.toml",
        &QUARTER
            .replace("2026-Q1", "2026-Q2")
            .replace("PAY-", "PAY-2"),
    );
    // A plan-rule error in search's file: over capacity.
    r.write(
        "search/roadmap/2026-Q1.toml",
        &QUARTER
            .replace("PAY-", "SRCH-")
            .replace("capacity = 10", "capacity = 1"),
    );
    r.commit("docs: plan 2026 for two teams", "2026-01-05T10:00:00Z");
    // A gate error whose file is gone today: payments' locked quarter is
    // deleted without sign-off.
    std::fs::remove_file(r.path().join("payments/roadmap/2026-Q1.toml")).expect("remove");
    let dropped = r.commit("chore: drop the payments Q1 plan", "2026-02-01T10:00:00Z");
    // A repository-wide one: the agreement changed without sign-off.
    r.write(
        "roadlint.toml",
        &TEAMS.replace("kpi-link = \"off\"", "kpi-link = \"warn\""),
    );
    r.commit("chore: kpi links again", "2026-02-02T10:00:00Z");

    let run = |format: &str| {
        let out = r.roadlint(&["check", "--format", format, "--today", "2026-06-15"]);
        assert_eq!(code(&out), 1, "{}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    let of = |rule: &str| -> Vec<&serde_json::Value> {
        diags.iter().filter(|d| d["rule"] == rule).collect()
    };
    let (cap, gate, policy) = (of("capacity"), of("locked-scope"), of("policy-signoff"));
    assert_eq!(
        (cap.len(), gate.len(), policy.len()),
        (1, 1, 1),
        "{diags:?}"
    );
    assert_eq!(cap[0]["roadmap"], "search", "{diags:?}");
    assert_eq!(gate[0]["commit"], dropped.as_str());
    assert_eq!(gate[0]["file"], serde_json::Value::Null, "{diags:?}");
    assert_eq!(gate[0]["roadmap"], "payments", "{diags:?}");
    assert_eq!(policy[0]["roadmap"], serde_json::Value::Null, "{diags:?}");
    // Only the repository-wide finding is outside every roadmap.
    for d in diags {
        let wide = d["file"] == "roadlint.toml" || d["rule"] == "policy-signoff";
        assert_eq!(d["roadmap"].is_null(), wide, "{d}");
    }

    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let named = |rule: &str| {
        results
            .iter()
            .filter(|x| x["ruleId"] == rule)
            .map(|x| {
                x["properties"]["roadmap"]
                    .as_str()
                    .unwrap_or("-")
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(named("locked-scope"), ["payments"], "{sarif}");
    assert_eq!(named("capacity"), ["search"], "{sarif}");
    let github = run("github");
    assert!(
        github.contains("roadlint locked-scope::[payments] commit"),
        "{github}"
    );
    assert!(
        github.contains("roadlint capacity::[search] 2026-Q1 plans"),
        "{github}"
    );
    let junit = run("junit");
    assert!(junit.contains("[payments] commit"), "{junit}");
    assert!(junit.contains("[search] 2026-Q1 plans"), "{junit}");
}
