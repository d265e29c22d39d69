//! `experiment-guardrails`: experiments are flagged, dated and reversible.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Kind;

/// How long after its quarter an experiment may run.
pub const GRACE_DAYS: i64 = 28;

declare_rule! {
    /// ## What it checks
    /// Every `experiment` item has a `flag` (the feature flag that fences it),
    /// an `ends` date within its quarter or at most 4 weeks after it, and a
    /// `rollback` plan.
    ///
    /// ## Why
    /// Fast rollouts collide with system impact. An experiment is safe to run
    /// fast when it is behind a flag, has a date by which it is decided, and a
    /// written way back. Without them it is a feature that skipped review.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// quarter = "2026-Q1"
    /// [[item]]
    /// id = "EXP-3"
    /// kind = "experiment"
    /// ends = 2026-09-01
    /// ```
    /// Good:
    /// ```toml
    /// quarter = "2026-Q1"
    /// [[item]]
    /// id = "EXP-3"
    /// kind = "experiment"
    /// flag = "checkout-v2"
    /// ends = 2026-02-20
    /// rollback = "turn the flag off; no schema change"
    /// ```
    pub const RULE = {
        id: "experiment-guardrails",
        group: Plan,
        level: Error,
        summary: "experiments have a flag, an end date near their quarter and a rollback plan",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let fy = ctx.config.fiscal_year_start;
    for item in ctx
        .roadmap
        .items()
        .filter(|i| i.kind() == Some(Kind::Experiment))
    {
        let id = item.id_str();
        let mut push = |d: Diagnostic| {
            let mut d = d.item(id);
            if let Some(q) = item.quarter {
                d = d.quarter(q);
            }
            out.push(d);
        };
        let blank = |f: &Option<crate::source::Spanned<String>>| {
            f.as_ref().is_none_or(|s| s.value.trim().is_empty())
        };
        if blank(&item.flag) && !item.flawed.has("flag") {
            push(
                Diagnostic::new(ID, format!("experiment `{id}` has no feature flag"))
                    .at(item.file, item.name_span())
                    .help("add `flag = \"…\"`: the flag that fences the experiment"),
            );
        }
        if blank(&item.rollback) && !item.flawed.has("rollback") {
            push(
                Diagnostic::new(ID, format!("experiment `{id}` has no rollback plan"))
                    .at(item.file, item.name_span())
                    .help("add `rollback = \"…\"`: how the experiment is undone"),
            );
        }
        match (&item.ends, item.quarter) {
            (None, _) if item.flawed.has("ends") => {}
            (None, _) => push(
                Diagnostic::new(ID, format!("experiment `{id}` has no end date"))
                    .at(item.file, item.name_span())
                    .help("add `ends = YYYY-MM-DD`: the date by which it is decided"),
            ),
            (Some(ends), Some(q)) => {
                let start = q.start(fy);
                let latest = q.last_day(fy).add_days(GRACE_DAYS);
                if ends.value < start || ends.value > latest {
                    push(
                        Diagnostic::new(
                            ID,
                            format!("experiment `{id}` ends on {}, outside {q} and its 4-week grace (until {latest})", ends.value),
                        )
                        .at(item.file, ends.span)
                        .help(format!("end it between {start} and {latest}, or plan it in the quarter it runs in")),
                    );
                }
            }
            (Some(_), None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    const GOOD: &str = "quarter = \"2026-Q1\"\n[[item]]\nid = \"E\"\nkind = \"experiment\"\nflag = \"f\"\nends = 2026-03-01\nrollback = \"flag off\"\n";

    #[test]
    fn pass() {
        tester::pass(ID, &[GOOD, &GOOD.replace("2026-03-01", "2026-04-28")]);
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    &GOOD.replace("2026-03-01", "2026-04-29"),
                    &[(6, "ends on 2026-04-29, outside 2026-Q1")],
                ),
                (
                    &GOOD.replace("2026-03-01", "2025-12-31"),
                    &[(6, "outside 2026-Q1")],
                ),
                (
                    &GOOD.replace("flag = \"f\"\n", ""),
                    &[(3, "has no feature flag")],
                ),
                (
                    &GOOD.replace("rollback = \"flag off\"\n", "rollback = \"\"\n"),
                    &[(3, "has no rollback plan")],
                ),
                (
                    &GOOD.replace("ends = 2026-03-01\n", ""),
                    &[(3, "has no end date")],
                ),
            ],
        );
    }
}
