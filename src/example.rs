//! The sample roadmap `roadlint init --example` writes: small, complete, and
//! passing every rule, so a new user sees the format working before editing it.

use crate::calendar::{Date, Quarter};

/// The sample files for the calendar quarter holding `today`: (path relative
/// to the target directory, content). Its dates fall inside that quarter, so
/// the sample passes on the day it is written.
pub fn files(today: Date) -> Vec<(String, String)> {
    let quarter = Quarter::containing(today, 1);
    let start = quarter.start(1);
    let last = quarter.end_exclusive(1).add_days(-1);
    let q1 = Q1
        .replace("2026-Q1", &quarter.to_string())
        .replace("2026-01-09", &start.add_days(8).to_string())
        .replace("2026-03-20", &last.to_string());
    vec![
        (format!("roadmap/{quarter}.toml"), q1),
        ("roadmap/kpis.toml".into(), KPIS.into()),
        ("roadmap/technology.toml".into(), TECHNOLOGY.into()),
        (
            "roadmap/requests/acme-sso.toml".into(),
            REQUEST.replace("the Q1 capacity", &format!("the {quarter} capacity")),
        ),
    ]
}

/// The two-team example `roadlint init --example --monorepo` writes (SPEC
/// §9.8): the company policy as a preset, a `roadlint.toml` that extends it
/// and declares two `[[roadmap]]`s, and each team's quarter and KPIs, dated
/// in the calendar quarter holding `today`. `roadlint.toml` comes first.
pub fn monorepo_files(today: Date) -> Vec<(String, String)> {
    let quarter = Quarter::containing(today, 1);
    let team = |text: &str| text.replace("2026-Q1", &quarter.to_string());
    vec![
        ("roadlint.toml".into(), MONOREPO_CONFIG.into()),
        ("policy/org.toml".into(), ORG_PRESET.into()),
        (
            format!("services/payments/roadmap/{quarter}.toml"),
            team(PAYMENTS_Q1),
        ),
        ("services/payments/roadmap/kpis.toml".into(), KPIS.into()),
        (
            format!("services/search/roadmap/{quarter}.toml"),
            team(SEARCH_Q1),
        ),
        (
            "services/search/roadmap/kpis.toml".into(),
            SEARCH_KPIS.into(),
        ),
    ]
}

const MONOREPO_CONFIG: &str = r#"# Two teams' roadmaps in one repository. The company policy comes from a
# preset (`roadlint config --show-origin` shows which file set each key);
# every path here and in the preset is relative to the repository root.
extends = ["policy/org.toml"]

[[roadmap]]
name  = "payments"
files = ["services/payments/roadmap/**/*.toml"]
code  = ["services/payments/**", "shared/**"]   # commits here are payments' work
[roadmap.signoff]                               # who signs payments' locked quarters
product_approvers = ["dana"]
tech_approvers    = ["lee"]

[[roadmap]]
name  = "search"
files = ["services/search/roadmap/**/*.toml"]
code  = ["services/search/**", "shared/**"]
[roadmap.signoff]
product_approvers = ["maria"]
tech_approvers    = ["kim"]
"#;

const ORG_PRESET: &str = r#"# The company's roadlint policy, shared by every repository. Vendor it
# (a git submodule, or a copy pinned with `sha256` in `extends`) so that a
# change to it is reviewed and signed like a change to roadlint.toml.
[rules]
debt-share = { level = "error", min = 0.20, max = 0.40 }
kpi-link   = "error"

[history]
item_trailer = "Roadmap-Item"
"#;

const PAYMENTS_Q1: &str = r#"# Payments' quarter. The search team plans the same quarter in its own file.
quarter  = "2026-Q1"
capacity = 24

[[item]]
id            = "PAY-101"
title         = "One-click checkout"
kind          = "feature"
effort        = 14
product_owner = "dana"
tech_owner    = "lee"
kpis          = ["conversion"]

[[item]]
id            = "PAY-7"
title         = "Retire the legacy ledger job"
kind          = "debt"
effort        = 6
product_owner = "dana"
tech_owner    = "lee"
"#;

const SEARCH_Q1: &str = r#"# Search's quarter: ids stay unique across the two roadmaps.
quarter  = "2026-Q1"
capacity = 16

[[item]]
id            = "SRCH-12"
title         = "Typo-tolerant product search"
kind          = "feature"
effort        = 10
product_owner = "maria"
tech_owner    = "kim"
kpis          = ["search-success"]

[[item]]
id            = "SRCH-13"
title         = "Index rebuild upgrades"
kind          = "maintenance"
effort        = 4
product_owner = "maria"
tech_owner    = "kim"
"#;

const SEARCH_KPIS: &str = r#"[[kpi]]
id            = "search-success"
description   = "searches that end in a product view"
product_owner = "maria"
tech_owner    = "kim"
"#;

const Q1: &str = r#"# One file per quarter. `roadlint explain RULE` explains each rule.
quarter  = "2026-Q1"
capacity = 40            # engineer-weeks available
# locked = 2026-01-09    # freeze the scope: changes then need both sign-offs

[[item]]
id            = "PAY-101"
title         = "One-click checkout"
kind          = "feature"
effort        = 14
product_owner = "dana"
tech_owner    = "lee"
kpis          = ["conversion"]

[[item]]
id            = "AUTH-9"
title         = "SAML single sign-on"
kind          = "feature"
effort        = 8
product_owner = "dana"
tech_owner    = "lee"
kpis          = ["conversion"]

[[item]]
id            = "OPS-7"
title         = "Retire the legacy job runner"
kind          = "debt"
effort        = 6
product_owner = "dana"
tech_owner    = "sam"

[[item]]
id            = "OPS-8"
title         = "Dependency upgrades and on-call fixes"
kind          = "maintenance"
effort        = 4
product_owner = "dana"
tech_owner    = "sam"

[[item]]
id            = "EXP-3"
title         = "Vector search for product lookup"
kind          = "experiment"
effort        = 3
product_owner = "dana"
tech_owner    = "lee"
flag          = "search-vector"
ends          = 2026-03-20
rollback      = "turn the flag off; the old index stays in place"

[[item]]
id            = "RES-1"
title         = "Evaluate a managed queue"
kind          = "research"
effort        = 2
product_owner = "dana"
tech_owner    = "sam"
timebox_weeks = 2
"#;

const KPIS: &str = r#"[[kpi]]
id            = "conversion"
description   = "checkout conversion rate"
product_owner = "dana"
tech_owner    = "lee"
"#;

const TECHNOLOGY: &str = r#"[[technology]]
name       = "vector-search"
stage      = "trial"            # assess -> trial -> adopt; hold at any time
criteria   = ["p95 < 50 ms on prod data", "ops runbook written"]
experiment = "EXP-3"
"#;

const REQUEST: &str = r#"[[request]]
id                    = "REQ-12"
customer              = "Acme Corp"
title                 = "SAML single sign-on"
status                = "accepted"
business_commitment   = "3-year renewal signed"
technical_feasibility = "IdP library exists; 3 weeks"
acceptance_criteria   = ["login via Okta", "SCIM deprovisioning"]
roadmap_impact        = "displaces nothing: fits the Q1 capacity"
item                  = "AUTH-9"
"#;

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::lint::{lint, load};
    use crate::source::RawFile;
    use crate::source::Sources;

    #[test]
    fn the_example_passes_every_rule_on_any_day_of_its_quarter() {
        for (y, m, d) in [(2026, 2, 1), (2026, 1, 1), (2027, 12, 31), (2028, 2, 29)] {
            let today = crate::calendar::Date::new(y, m, d).unwrap();
            let raw = super::files(today)
                .into_iter()
                .map(|(p, t)| RawFile {
                    path: p,
                    content: Ok(t.into_bytes()),
                })
                .collect();
            let loaded = load(raw, Sources::default());
            let diags = lint(&loaded, &Config::default(), today, None, Vec::new());
            assert!(diags.is_empty(), "{today}: {diags:#?}");
        }
    }

    #[test]
    fn the_monorepo_example_passes_every_rule_as_two_roadmaps() {
        for (y, m, d) in [(2026, 2, 1), (2027, 12, 31)] {
            let today = crate::calendar::Date::new(y, m, d).unwrap();
            let files = super::monorepo_files(today);
            let mut sources = Sources::default();
            let root = sources.add_config(crate::source::SourceFile::new(
                "roadlint.toml",
                files[0].1.clone(),
            ));
            let read = |p: &str| {
                files
                    .iter()
                    .find(|(f, _)| f == p)
                    .map(|(_, t)| t.clone().into_bytes())
                    .ok_or_else(|| "not found".to_string())
            };
            let (config, diags) = crate::extends::load(&mut sources, root, &read);
            assert!(diags.is_empty(), "{diags:#?}");
            assert_eq!(config.roadmaps.len(), 2);
            assert_eq!(config.presets(), ["policy/org.toml"]);
            let set = crate::globs::compile(&config.roadmap).unwrap();
            let raw = files
                .iter()
                .filter(|(p, _)| set.is_match(p))
                .map(|(p, t)| RawFile {
                    path: p.clone(),
                    content: Ok(t.clone().into_bytes()),
                })
                .collect::<Vec<_>>();
            assert_eq!(raw.len(), 4);
            let loaded = load(raw, sources);
            let diags = lint(&loaded, &config, today, None, Vec::new());
            assert!(diags.is_empty(), "{today}: {diags:#?}");
        }
    }

    #[test]
    fn the_request_names_the_quarter_of_the_example() {
        let today = crate::calendar::Date::new(2027, 11, 2).unwrap();
        let files = super::files(today);
        let request = &files
            .iter()
            .find(|(p, _)| p.contains("requests"))
            .unwrap()
            .1;
        assert!(request.contains("the 2027-Q4 capacity"), "{request}");
        assert!(!request.contains("Q1"), "{request}");
    }
}
