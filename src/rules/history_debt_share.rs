//! `history-debt-share`: the share of debt commits actually landed per quarter,
//! against the plan. `history/` counts the commits; this rule judges the counts.

use super::debt_share::{debt_kinds, percent_vs, planned_share};
use super::Context;
use crate::calendar::{Date, Quarter};
use crate::diagnostic::Diagnostic;
use crate::facts::{Facts, Measure};
use crate::model::Roadmap;
use crate::settings::{Config, Param, Params, RuleSettings, Setting};
use crate::units::{percent, quantity};

declare_rule! {
    /// ## What it checks
    /// For every quarter that has a roadmap file, has ended (before `--today`)
    /// and holds at least `min_commits` classified commits: the share of debt
    /// effort, debt / (debt + feature), is at least `min` and within
    /// `max_drift` of the debt share the quarter's file plans (see Settings
    /// below). Commits are non-merge commits reachable from HEAD, bucketed by
    /// committer time (UTC), except those of authors matching
    /// `[history] ignore_authors` (bots by default) and planning commits
    /// (commits that change only roadmap files, `roadlint.toml` or the
    /// approvals folder: writing the plan is not engineering work). A commit
    /// with a `Roadmap-Item: ID` trailer naming an item counts as that item's
    /// kind (any id); else an item id that holds a digit, written as a whole
    /// word in its subject (`feat(checkout): one-click (PAY-101)`), does: a
    /// word-like id such as `vitest` links only through the trailer, since
    /// it is also an ordinary word of many subjects; otherwise its
    /// Conventional Commits type decides (`fix`, `refactor`, `perf`, `chore`,
    /// `build`, `ci`, `test`, `revert` and git's `Revert "…"` are debt, `feat`
    /// is feature). Effort follows `[history] measure`: with `author-days`
    /// (the default) each person works one unit per UTC day of author time,
    /// split evenly among the commits they authored or co-authored that day
    /// (a commit's people are its author and its human `Co-authored-by:`
    /// co-authors, named as the `.mailmap` of HEAD maps them); with
    /// `commits` each commit weighs 1. A quarter that starts before
    /// `--since` / `[history] since` is partial and not judged.
    ///
    /// ## Why
    /// The plan says one thing, the commits another. Sustainment that was
    /// budgeted but never happened, or that ate the quarter unplanned, shows up
    /// here, as numbers both sides can read.
    ///
    /// ## Example
    /// Bad: 2026-Q1 planned 25% debt; of its 60 classified author-days 3 went
    /// to `fix:`/`refactor:` commits and 57 to `feat:` ones (5%).
    ///
    /// Good: 2026-Q1 planned 25% debt; 15 of its 60 classified author-days
    /// were debt (25%), or the commits name the planned debt items
    /// (`Roadmap-Item: OPS-7`, or `refactor: split the ledger (OPS-7)`).
    pub const RULE = {
        id: "history-debt-share",
        group: History,
        level: Warn,
        summary: "ended quarters landed at least min debt effort, within max_drift of the plan",
        needs: crate::facts::Needs::CLASSIFIED_COMMITS,
        settings: Settings,
        judged_quarters: candidate_quarters,
        check: Some(check),
    };
}

/// The smallest share of debt commits a judged quarter must land.
const MIN: Param<Settings, f64> = Param::share(
    "min",
    0.15,
    "the smallest share of classified commits that must be debt work",
);

/// The largest difference allowed between planned and actual debt share.
const MAX_DRIFT: Param<Settings, f64> = Param::share(
    "max_drift",
    0.10,
    "the largest difference allowed between the planned and the actual debt share",
);

/// Quarters with fewer classified commits are not judged.
const MIN_COMMITS: Param<Settings, u64> = Param::count(
    "min_commits",
    10,
    "quarters with fewer classified commits are not judged",
);

/// `history-debt-share`'s settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The smallest actual debt share.
    pub min: Setting<f64>,
    /// The largest drift from the planned share.
    pub max_drift: Setting<f64>,
    /// The fewest classified commits a judged quarter has.
    pub min_commits: Setting<u64>,
}

impl RuleSettings for Settings {
    const RULE: crate::diagnostic::RuleId = ID;
    const PARAMS: &'static [crate::settings::ParamDecl] =
        &[MIN.decl, MAX_DRIFT.decl, MIN_COMMITS.decl];

    fn read(p: &Params<'_, Self>) -> Self {
        Settings {
            min: p.get(&MIN),
            max_drift: p.get(&MAX_DRIFT),
            min_commits: p.get(&MIN_COMMITS),
        }
    }
}

/// Whether the rule judges `quarter` (planned, ended before `today`, seen
/// whole, and with enough classified commits): the one answer the rule and
/// the report share.
pub fn judges(
    config: &Config,
    today: Date,
    quarter: Quarter,
    planned: bool,
    facts: &Facts,
) -> bool {
    let counts = facts.counts.get(&quarter).copied().unwrap_or_default();
    judges_counts(config, today, quarter, planned, facts, counts)
}

/// [`judges`] with the quarter's classified commits given: a roadmap of
/// several is judged on the commits attributed to it (SPEC §9.8).
fn judges_counts(
    config: &Config,
    today: Date,
    quarter: Quarter,
    planned: bool,
    facts: &Facts,
    counts: crate::facts::ClassCounts,
) -> bool {
    config.enabled(ID)
        && planned
        && !facts.partial(quarter, config.fiscal_year_start)
        && quarter.end_exclusive(config.fiscal_year_start) <= today
        && (counts.debt + counts.feature) as u64 >= Settings::of(config).min_commits.value
}

/// The quarters of `roadmap` that may be judged once their commits are
/// counted: planned and ended. The history scan classifies only these when
/// no report asks for every quarter.
pub fn candidate_quarters(
    config: &Config,
    roadmap: &Roadmap,
    today: Date,
    since: Option<i64>,
) -> Vec<Quarter> {
    if !config.enabled(ID) {
        return Vec::new();
    }
    let fy = config.fiscal_year_start;
    roadmap
        .quarter_files()
        .map(|(_, q)| q)
        .filter(|q| q.end_exclusive(fy) <= today)
        .filter(|q| since.is_none_or(|s| q.start(fy).unix_seconds() >= s))
        .collect()
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    let Settings { min, max_drift, .. } = Settings::of(ctx.config);
    let kinds = &debt_kinds(ctx.config);
    for (file, quarter) in ctx.roadmap.quarter_files() {
        // With several roadmaps, each quarter file is judged on the commits
        // attributed to its roadmap.
        let (all_counts, all_effort) = match ctx.config.roadmap_of(&ctx.sources.get(file.file).path)
        {
            Some(name) => {
                let own = facts.roadmaps.get(name);
                (own.map(|a| &a.counts), own.map(|a| &a.effort))
            }
            None => (Some(&facts.counts), Some(&facts.effort)),
        };
        let counts = all_counts
            .and_then(|c| c.get(&quarter).copied())
            .unwrap_or_default();
        if !judges_counts(ctx.config, ctx.today, quarter, true, facts, counts) {
            continue;
        }
        let classified = counts.debt + counts.feature;
        let effort = all_effort
            .and_then(|e| e.get(&quarter).copied())
            .unwrap_or_default();
        let Some(actual) = effort.debt_share() else {
            continue;
        };
        let planned = planned_share(file, kinds);
        let of_effort = match facts.measure {
            Measure::Commits => String::new(),
            m => format!(
                "{} of {} {}; ",
                quantity(effort.debt),
                quantity(effort.debt + effort.feature),
                m.as_str()
            ),
        };
        let landed = format!(
            "{quarter} landed {} debt work ({of_effort}{} of {} classified commits)",
            percent_vs(actual, min.value),
            counts.debt,
            classified
        );
        let (message, help, limit) = if actual < min.value {
            (
                format!("{landed}; the minimum is {}", percent(min.value)),
                "the budgeted sustainment did not happen: plan it next quarter, or add a waiver"
                    .to_string(),
                min.span.map(|s| (min.file, s, "minimum set here")),
            )
        } else if let Some(planned) = planned.filter(|p| (actual - p).abs() > max_drift.value) {
            let drift = actual - planned;
            (
                format!(
                    "{landed}, but planned {}: a drift of {:+.0} points (at most {} allowed)",
                    percent(planned),
                    drift * 100.0,
                    (max_drift.value * 100.0).round()
                ),
                if drift > 0.0 {
                    "debt and sustainment ate more of the quarter than planned: budget for it in the next plan".to_string()
                } else {
                    "planned debt work did not land: carry it over explicitly or re-plan"
                        .to_string()
                },
                max_drift
                    .span
                    .map(|s| (max_drift.file, s, "maximum drift set here")),
            )
        } else {
            continue;
        };
        let mut d = Diagnostic::new(ID, message)
            .at(file.file, file.quarter_span())
            .label(format!(
                "{} debt, {} feature, {} unclassified commits",
                counts.debt, counts.feature, counts.unclassified
            ))
            .quarter(quarter)
            .help(help);
        if let Some((file, span, text)) = limit {
            if let Some(cfg_file) = file.or(ctx.config.file) {
                d = d.with_label(cfg_file, span, text);
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::calendar::Quarter;
    use crate::facts::{ClassCounts, ClassEffort, Facts};
    use crate::rules::tester;

    const PLAN: &str = "quarter = \"2026-Q1\"\ncapacity = 10\n[[item]]\nid = \"F\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 7\n[[item]]\nid = \"D\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 3\n";

    /// Commits of `quarter`, each one author-day.
    fn facts(quarter: &str, debt: usize, feature: usize) -> Facts {
        let mut f = Facts::default();
        let q = quarter.parse::<Quarter>().unwrap();
        f.counts.insert(
            q,
            ClassCounts {
                debt,
                feature,
                unclassified: 5,
            },
        );
        f.effort.insert(
            q,
            ClassEffort {
                debt: debt as f64,
                feature: feature as f64,
                unclassified: 5.0,
            },
        );
        f
    }

    fn run(f: &Facts) -> Vec<(usize, String)> {
        tester::run_history(PLAN, f)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .map(|(d, line, _)| (line, d.message))
            .collect()
    }

    #[test]
    fn pass() {
        // on plan (30%)
        assert!(run(&facts("2026-Q1", 30, 70)).is_empty());
        // within the drift
        assert!(run(&facts("2026-Q1", 22, 78)).is_empty());
        // too few commits to judge
        assert!(run(&facts("2026-Q1", 0, 9)).is_empty());
        // effort decides, not the number of commits: 80 one-line debt
        // commits of a few days weigh less than 20 feature commits of many
        let mut f = facts("2026-Q1", 80, 20);
        f.effort
            .get_mut(&"2026-Q1".parse::<Quarter>().unwrap())
            .unwrap()
            .debt = 8.0;
        assert!(run(&f).is_empty(), "{:?}", run(&f));
        // an unfinished quarter is not judged (today is 2026-06-15)
        let q2 = PLAN.replace("2026-Q1", "2026-Q2");
        assert!(tester::run_history(&q2, &facts("2026-Q2", 0, 100))
            .iter()
            .all(|(d, ..)| d.rule != ID));
    }

    #[test]
    fn fail() {
        let got = run(&facts("2026-Q1", 5, 95));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 1);
        assert!(
            got[0].1.contains(
                "2026-Q1 landed 5% debt work (5 of 100 author-days; 5 of 100 classified commits); the minimum is 15%"
            ),
            "{}",
            got[0].1
        );
        let got = run(&facts("2026-Q1", 60, 40));
        assert!(
            got[0].1.contains("but planned 30%: a drift of +30 points"),
            "{}",
            got[0].1
        );
    }
}
