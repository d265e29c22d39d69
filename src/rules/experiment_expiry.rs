//! `experiment-expiry`: an experiment past its end date is decided.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Kind, Status};

declare_rule! {
    /// ## What it checks
    /// Every `experiment` item whose `ends` date is before today has a
    /// `status` of `done` (shipped) or `dropped` (rolled back).
    ///
    /// ## Why
    /// Scrappy rollouts are how a team learns fast, and they are safe because
    /// they end: the flag is removed one way or the other. An experiment that
    /// outlives its end date is a permanent fork of the product behind a flag
    /// that nobody owns any more. When the date passes, product and
    /// engineering decide together: ship it or roll it back.
    ///
    /// ## Example
    /// Bad (checked on 2026-03-01):
    /// ```toml
    /// [[item]]
    /// id = "EXP-3"
    /// kind = "experiment"
    /// ends = 2026-02-20
    /// status = "in-progress"
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "EXP-3"
    /// kind = "experiment"
    /// ends = 2026-02-20
    /// status = "done"   # shipped: the flag is on for everyone and removed
    /// ```
    pub const RULE = {
        id: "experiment-expiry",
        group: Plan,
        level: Warn,
        summary: "an experiment past its end date is done (shipped) or dropped (rolled back)",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for item in ctx
        .roadmap
        .items()
        .filter(|i| i.kind() == Some(Kind::Experiment))
    {
        let Some(ends) = &item.ends else {
            continue;
        };
        let status = item.status.as_ref().map(|s| s.value);
        if ends.value >= ctx.today || matches!(status, Some(Status::Done | Status::Dropped)) {
            continue;
        }
        let days = ctx.today.days_since_epoch() - ends.value.days_since_epoch();
        let mut d = Diagnostic::new(
            ID,
            format!(
                "experiment `{}` ended on {} ({days} day{} ago) and is still {}",
                item.id_str(),
                ends.value,
                if days == 1 { "" } else { "s" },
                status.map_or("planned", crate::model::Keyword::as_str),
            ),
        )
        .at(item.file, ends.span)
        .label("the end date that passed")
        .item(item.id_str())
        .help("decide: ship it (`status = \"done\"`) or roll it back (`status = \"dropped\"`), or move `ends` with a reason");
        if let Some(q) = item.quarter {
            d = d.quarter(q);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    const EXP: &str = "[[item]]\nid = \"EXP-3\"\ntitle = \"t\"\nkind = \"experiment\"\nflag = \"f\"\nrollback = \"off\"\n";

    #[test]
    fn pass() {
        tester::pass(
            ID,
            &[
                &format!("{EXP}ends = 2026-07-01\n"),
                &format!("{EXP}ends = 2026-06-15\n"),
                &format!("{EXP}ends = 2026-02-20\nstatus = \"done\"\n"),
                &format!("{EXP}ends = 2026-02-20\nstatus = \"dropped\"\n"),
                EXP,
                "[[item]]\nid = \"F\"\nkind = \"feature\"\nends = 2026-01-01\n",
            ],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    &format!("{EXP}ends = 2026-06-14\n"),
                    &[(
                        7,
                        "experiment `EXP-3` ended on 2026-06-14 (1 day ago) and is still planned",
                    )],
                ),
                (
                    &format!("{EXP}ends = 2026-02-20\nstatus = \"in-progress\"\n"),
                    &[(
                        7,
                        "ended on 2026-02-20 (115 days ago) and is still in-progress",
                    )],
                ),
            ],
        );
    }

    #[test]
    fn the_diagnostic_reads_well() {
        insta::assert_snapshot!(tester::render(
            ID,
            &format!("{EXP}ends = 2026-02-20\nstatus = \"in-progress\"\n")
        ));
    }
}
