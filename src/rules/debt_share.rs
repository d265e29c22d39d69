//! `debt-share`: each quarter plans a fixed share of its effort for debt and
//! sustainment.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Keyword, Kind, RoadmapFile};
use crate::settings::{Config, Param, Params, RuleSettings, Setting};
use crate::source::Span;
use crate::units::{percent, weeks};

declare_rule! {
    /// ## What it checks
    /// For every quarter file: the effort of items whose `kind` is one of the
    /// configured `kinds`, divided by the effort of all items that are not
    /// `dropped`, lies within `[min, max]` (see Settings below).
    ///
    /// ## Why
    /// Shipping speed and long-term health pull against each other, and
    /// sustainment silently eats 20–40% of engineering when nobody budgets for
    /// it. Product and engineering agree on a fixed share of each quarter for
    /// debt and upkeep, and the plan makes it visible. Too little starves the
    /// codebase; too much means the product has stopped moving.
    ///
    /// ## Example
    /// Bad (2 of 25 engineer-weeks, 8%):
    /// ```toml
    /// quarter = "2026-Q1"
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// effort = 23
    /// [[item]]
    /// id = "OPS-7"
    /// kind = "debt"
    /// effort = 2
    /// ```
    /// Good (6 of 25, 24%):
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// effort = 19
    /// [[item]]
    /// id = "OPS-7"
    /// kind = "debt"
    /// effort = 6
    /// ```
    pub const RULE = {
        id: "debt-share",
        group: Plan,
        level: Error,
        summary: "each quarter plans between min and max of its effort on debt/maintenance",
        needs: crate::facts::Needs::NOTHING,
        settings: Settings,
        check: Some(check),
    };
}

/// The smallest planned share of effort on `kinds`.
const MIN: Param<Settings, f64> = Param::share(
    "min",
    0.20,
    "the smallest share of a quarter's effort planned on `kinds`",
);

/// The largest planned share of effort on `kinds`.
const MAX: Param<Settings, f64> = Param::share(
    "max",
    0.40,
    "the largest share of a quarter's effort planned on `kinds`",
);

/// The item kinds that count as debt and sustainment.
const KINDS: Param<Settings, Vec<String>> = Param::words(
    "kinds",
    "item kind",
    Kind::NAMES,
    &["debt", "maintenance"],
    "the item kinds that count as debt and sustainment work",
);

/// `debt-share`'s settings: the planned share's bounds and what counts as debt.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The smallest planned share.
    pub min: Setting<f64>,
    /// The largest planned share.
    pub max: Setting<f64>,
    /// The item kinds that count as debt.
    pub kinds: Vec<Kind>,
}

impl RuleSettings for Settings {
    const RULE: crate::diagnostic::RuleId = ID;
    const PARAMS: &'static [crate::settings::ParamDecl] = &[MIN.decl, MAX.decl, KINDS.decl];

    fn read(p: &Params<'_, Self>) -> Self {
        Settings {
            min: p.get(&MIN),
            max: p.get(&MAX),
            kinds: p
                .get(&KINDS)
                .value
                .iter()
                .filter_map(|k| Kind::parse(k))
                .collect(),
        }
    }

    fn validate(&self) -> Vec<(Span, String)> {
        match self.min.span.or(self.max.span) {
            Some(span) if self.min.value > self.max.value => {
                vec![(span, "`min` is larger than `max`".into())]
            }
            _ => Vec::new(),
        }
    }
}

/// The item kinds that count as debt in `config`: what the plan, the history
/// classification and the report all call debt.
pub fn debt_kinds(config: &Config) -> Vec<Kind> {
    Settings::of(config).kinds
}

/// Planned effort of a quarter file: (debt effort, total effort) over items
/// that are not dropped.
pub fn planned(file: &RoadmapFile, kinds: &[Kind]) -> (f64, f64) {
    let mut debt = 0.0;
    let mut total = 0.0;
    for item in file.items.iter().filter(|i| !i.is_dropped()) {
        let Some(effort) = item.effort.as_ref().map(|e| e.value) else {
            continue;
        };
        total += effort;
        if item.kind().is_some_and(|k| kinds.contains(&k)) {
            debt += effort;
        }
    }
    (debt, total)
}

/// The planned debt share of the quarter, if it plans any effort.
pub fn planned_share(file: &RoadmapFile, kinds: &[Kind]) -> Option<f64> {
    let (debt, total) = planned(file, kinds);
    (total > 0.0).then(|| debt / total)
}

/// `"debt/maintenance"` for the configured kinds.
pub fn kinds_label(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

/// Format `share` next to `limit` so that the two never print equal when the
/// share is on the wrong side of the limit.
pub fn percent_vs(share: f64, limit: f64) -> String {
    let p = percent(share);
    if p == percent(limit) && share != limit {
        format!("{:.1}%", share * 100.0)
    } else {
        p
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let roadmap = ctx.roadmap;
    let Settings { min, max, kinds } = Settings::of(ctx.config);
    let kinds = &kinds;
    let label = kinds_label(kinds);
    for (file, quarter) in roadmap.quarter_files() {
        if !file.effort_is_sound() {
            continue;
        }
        let (debt, total) = planned(file, kinds);
        if total <= 0.0 {
            continue;
        }
        let share = debt / total;
        let (limit, which, help) = if share < min.value {
            let need = (min.value * total - debt).max(0.0).ceil();
            (
                &min,
                "minimum",
                format!(
                    "move {} engineer-weeks to {} items, or add a waiver",
                    weeks(need),
                    kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )
        } else if share > max.value {
            let need = (debt - max.value * total).max(0.0).ceil();
            (
                &max,
                "maximum",
                format!(
                    "move {} engineer-weeks from {label} to other work, or add a waiver",
                    weeks(need)
                ),
            )
        } else {
            continue;
        };
        let mut d = Diagnostic::new(
            ID,
            format!(
                "{quarter} plans {} of its effort on {label}; the {which} is {}",
                percent_vs(share, limit.value),
                percent(limit.value)
            ),
        )
        .at(file.file, file.quarter_span())
        .label(format!(
            "{} of {} engineer-weeks",
            weeks(debt),
            weeks(total)
        ))
        .quarter(quarter)
        .help(help);
        if let (Some(cfg_file), Some(span)) = (limit.file.or(ctx.config.file), limit.span) {
            d = d.with_label(cfg_file, span, format!("{which} set here"));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    fn quarter(feature: u32, debt: u32) -> String {
        format!(
            "quarter = \"2026-Q1\"\ncapacity = 100\n[[item]]\nid = \"F\"\ntitle = \"t\"\nkind = \"feature\"\neffort = {feature}\n[[item]]\nid = \"D\"\ntitle = \"t\"\nkind = \"debt\"\neffort = {debt}\n"
        )
    }

    #[test]
    fn pass() {
        let dropped = "quarter = \"2026-Q1\"\n[[item]]\nid = \"F\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 50\nstatus = \"dropped\"\n[[item]]\nid = \"F2\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 7\n[[item]]\nid = \"D\"\ntitle = \"t\"\nkind = \"maintenance\"\neffort = 3\n";
        tester::pass(
            ID,
            &[
                &quarter(8, 2),
                &quarter(6, 4),
                &quarter(19, 6),
                dropped,
                "quarter = \"2026-Q1\"\n",
            ],
        );
    }

    #[test]
    fn fail() {
        let waiver_expired = format!(
            "{}[[waiver]]\nrule = \"debt-share\"\nreason = \"audit\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-01-01\n[[kpi]]\nid = \"k\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n",
            quarter(23, 2)
        );
        tester::fail(
            ID,
            &[
                (
                    &quarter(23, 2),
                    &[(
                        1,
                        "2026-Q1 plans 8% of its effort on debt/maintenance; the minimum is 20%",
                    )],
                ),
                (
                    &quarter(5, 5),
                    &[(
                        1,
                        "plans 50% of its effort on debt/maintenance; the maximum is 40%",
                    )],
                ),
                (&quarter(801, 199), &[(1, "plans 19.9%")]),
                (&waiver_expired, &[(1, "the minimum is 20%")]),
            ],
        );
    }

    #[test]
    fn a_valid_waiver_suppresses_its_quarter() {
        let case = format!(
            "{}[[waiver]]\nrule = \"debt-share\"\nreason = \"audit freeze\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-12-31\n[[kpi]]\nid = \"k\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n",
            quarter(23, 2)
        );
        tester::pass(ID, &[&case]);
    }

    #[test]
    fn help_says_how_many_weeks_to_move() {
        let got = tester::run_with(&quarter(23, 2), &crate::settings::Config::default());
        let d = got.iter().find(|(d, ..)| d.rule == ID).unwrap();
        assert_eq!(
            d.0.help.as_deref(),
            Some("move 3 engineer-weeks to debt or maintenance items, or add a waiver")
        );
        assert_eq!(d.0.quarter.as_deref(), Some("2026-Q1"));
    }

    #[test]
    fn the_diagnostic_reads_well_and_points_at_the_limit_it_breaks() {
        let case = format!(
            "{}# file: roadlint.toml\n[rules]\ndebt-share = {{ level = \"error\", min = 0.25 }}\n",
            quarter(23, 2)
        );
        insta::assert_snapshot!(tester::render(ID, &case));
    }
}
