//! `capacity`: a quarter plans no more effort than it has.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::units::weeks;

declare_rule! {
    /// ## What it checks
    /// For every quarter file with items: the file declares `capacity`, and the
    /// effort of its items that are not `dropped` adds up to at most that
    /// capacity (engineer-weeks).
    ///
    /// ## Why
    /// Complex features and infrastructure stability draw on one budget. A plan
    /// that overcommits will cut something; the only question is whether the cut
    /// is chosen now, together, or falls on debt work later, silently.
    ///
    /// ## Example
    /// Bad (44 engineer-weeks planned against 40):
    /// ```toml
    /// quarter = "2026-Q1"
    /// capacity = 40
    /// [[item]]
    /// id = "PAY-101"
    /// effort = 30
    /// [[item]]
    /// id = "OPS-7"
    /// effort = 14
    /// ```
    /// Good:
    /// ```toml
    /// quarter = "2026-Q1"
    /// capacity = 40
    /// [[item]]
    /// id = "PAY-101"
    /// effort = 30
    /// [[item]]
    /// id = "OPS-7"
    /// effort = 10
    /// ```
    pub const RULE = {
        id: "capacity",
        group: Plan,
        level: Error,
        summary: "planned effort of a quarter fits its capacity",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (file, quarter) in ctx.roadmap.quarter_files() {
        if !file.effort_is_sound() {
            continue;
        }
        let planned: f64 = file
            .items
            .iter()
            .filter(|i| !i.is_dropped())
            .filter_map(|i| i.effort.as_ref().map(|e| e.value))
            .sum();
        match &file.capacity {
            None if !file.items.is_empty() => out.push(
                Diagnostic::new(
                    ID,
                    format!(
                        "{quarter} plans {} engineer-weeks but declares no capacity",
                        weeks(planned)
                    ),
                )
                .at(file.file, file.quarter_span())
                .quarter(quarter)
                .help("add `capacity = N` (engineer-weeks available this quarter)"),
            ),
            Some(cap) if planned > cap.value => out.push(
                Diagnostic::new(
                    ID,
                    format!(
                        "{quarter} plans {} engineer-weeks, over its capacity of {}",
                        weeks(planned),
                        weeks(cap.value)
                    ),
                )
                .at(file.file, cap.span)
                .label(format!(
                    "{} engineer-weeks over",
                    weeks(planned - cap.value)
                ))
                .quarter(quarter)
                .help(format!(
                    "drop or defer {} engineer-weeks of items, or raise the capacity",
                    weeks(planned - cap.value)
                )),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    const ITEMS: &str = "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 30\n[[item]]\nid = \"B\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 14\n";

    #[test]
    fn pass() {
        tester::pass(
            ID,
            &[
                &format!("quarter = \"2026-Q1\"\ncapacity = 44\n{ITEMS}"),
                &format!(
                    "quarter = \"2026-Q1\"\ncapacity = 30\n{}",
                    ITEMS.replace("effort = 14", "effort = 14\nstatus = \"dropped\"")
                ),
                "quarter = \"2026-Q1\"\n",
                // The only effort key misspelt: the unknown key is the one
                // diagnostic; the item is left out of capacity, which does
                // not judge a quarter it cannot add up.
                &format!(
                    "quarter = \"2026-Q1\"\ncapacity = 20\n{}",
                    ITEMS.replace("effort = 14", "efort = 14")
                ),
            ],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    &format!("quarter = \"2026-Q1\"\ncapacity = 40\n{ITEMS}"),
                    &[(
                        2,
                        "2026-Q1 plans 44 engineer-weeks, over its capacity of 40",
                    )],
                ),
                (
                    &format!("quarter = \"2026-Q1\"\n{ITEMS}"),
                    &[(1, "declares no capacity")],
                ),
                // A stray unknown key beside a valid `effort` (one schema
                // diagnostic for it) leaves the quarter judged: 30 + 14.
                (
                    &format!(
                        "quarter = \"2026-Q1\"\ncapacity = 40\n{}",
                        ITEMS.replace("effort = 14", "effort = 14\nefort = 14")
                    ),
                    &[(2, "plans 44 engineer-weeks, over its capacity of 40")],
                ),
            ],
        );
    }
}
