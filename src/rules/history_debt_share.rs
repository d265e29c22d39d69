//! `history-debt-share`: the share of debt commits actually landed per quarter,
//! against the plan. `history/` counts the commits; this rule judges the counts.

use super::debt_share::{percent_vs, planned_share};
use super::{ids, percent, Context};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// For every quarter that has a roadmap file, has ended (before `--today`)
    /// and holds at least `min_commits` (default 10) classified commits: the
    /// share of debt commits, debt / (debt + feature), is at least `min`
    /// (default 15%) and within `max_drift` (default 10 points) of the debt
    /// share the quarter's file plans. Commits are non-merge commits reachable
    /// from HEAD, bucketed by committer time (UTC). A commit with a
    /// `Roadmap-Item: ID` trailer counts as that item's kind; otherwise its
    /// Conventional Commits type decides (`fix`, `refactor`, `perf`, `chore`,
    /// `build`, `ci`, `test`, `revert` are debt, `feat` is feature).
    ///
    /// ## Why
    /// The plan says one thing, the commits another. Sustainment that was
    /// budgeted but never happened, or that ate the quarter unplanned, shows up
    /// here, as numbers both sides can read.
    ///
    /// ## Example
    /// Bad: 2026-Q1 planned 25% debt; of its 120 classified commits 6 were
    /// `fix:`/`refactor:` and 114 `feat:` (5%).
    ///
    /// Good: 2026-Q1 planned 25% debt; 30 of its 120 classified commits were
    /// debt (25%), or the commits carry `Roadmap-Item: OPS-7` trailers naming
    /// the planned debt items.
    pub const RULE = {
        id: super::ids::HISTORY_DEBT_SHARE,
        group: History,
        level: Warn,
        summary: "ended quarters landed at least min debt commits, within max_drift of the plan",
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    let cfg = &ctx.config.history_debt_share;
    let fy = ctx.config.fiscal_year_start;
    let kinds = &ctx.config.debt_share.kinds.value;
    for (file, quarter) in ctx.roadmap.quarter_files() {
        if quarter.end_exclusive(fy) > ctx.today {
            continue;
        }
        let counts = facts.counts.get(&quarter).copied().unwrap_or_default();
        let classified = counts.debt + counts.feature;
        if (classified as u64) < cfg.min_commits.value {
            continue;
        }
        let Some(actual) = counts.debt_share() else {
            continue;
        };
        let planned = planned_share(file, kinds);
        let landed = format!(
            "{quarter} landed {} debt commits ({} of {} classified)",
            percent_vs(actual, cfg.min.value),
            counts.debt,
            classified
        );
        let (message, help, limit) = if actual < cfg.min.value {
            (
                format!("{landed}; the minimum is {}", percent(cfg.min.value)),
                "the sustainment the plan budgeted did not happen: plan it explicitly next quarter, or add a waiver".to_string(),
                cfg.min.span.map(|s| (s, "minimum set here")),
            )
        } else if let Some(planned) = planned.filter(|p| (actual - p).abs() > cfg.max_drift.value) {
            let drift = actual - planned;
            (
                format!(
                    "{landed}, but planned {}: a drift of {:+.0} points (at most {} allowed)",
                    percent(planned),
                    drift * 100.0,
                    (cfg.max_drift.value * 100.0).round()
                ),
                if drift > 0.0 {
                    "debt and sustainment ate more of the quarter than planned: budget for it in the next plan".to_string()
                } else {
                    "planned debt work did not land: carry it over explicitly or re-plan"
                        .to_string()
                },
                cfg.max_drift.span.map(|s| (s, "maximum drift set here")),
            )
        } else {
            continue;
        };
        let mut d = Diagnostic::new(ids::HISTORY_DEBT_SHARE, message)
            .at(file.file, file.quarter_span())
            .label(format!(
                "{} debt, {} feature, {} unclassified commits",
                counts.debt, counts.feature, counts.unclassified
            ))
            .quarter(quarter)
            .help(help);
        if let (Some(cfg_file), Some((span, text))) = (ctx.config.file, limit) {
            d = d.with_label(cfg_file, span, text);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::calendar::Quarter;
    use crate::history::{ClassCounts, Facts};
    use crate::rules::{ids, tester};

    const PLAN: &str = "quarter = \"2026-Q1\"\ncapacity = 10\n[[item]]\nid = \"F\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 7\n[[item]]\nid = \"D\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 3\n";

    fn facts(quarter: &str, debt: usize, feature: usize) -> Facts {
        let mut f = Facts::default();
        f.counts.insert(
            quarter.parse::<Quarter>().unwrap(),
            ClassCounts {
                debt,
                feature,
                unclassified: 5,
            },
        );
        f
    }

    fn run(f: &Facts) -> Vec<(usize, String)> {
        tester::run_history(PLAN, f)
            .into_iter()
            .filter(|(d, ..)| d.rule == ids::HISTORY_DEBT_SHARE)
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
        // an unfinished quarter is not judged (today is 2026-06-15)
        let q2 = PLAN.replace("2026-Q1", "2026-Q2");
        assert!(tester::run_history(&q2, &facts("2026-Q2", 0, 100))
            .iter()
            .all(|(d, ..)| d.rule != ids::HISTORY_DEBT_SHARE));
    }

    #[test]
    fn fail() {
        let got = run(&facts("2026-Q1", 5, 95));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 1);
        assert!(
            got[0].1.contains(
                "2026-Q1 landed 5% debt commits (5 of 100 classified); the minimum is 15%"
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
