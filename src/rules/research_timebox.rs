//! `research-timebox`: research ends by a date agreed up front.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Kind;
use crate::settings::{Param, Params, RuleSettings, Setting};
use crate::units::weeks;

declare_rule! {
    /// ## What it checks
    /// Every `research` item declares `timebox_weeks`, and the timebox is at
    /// most `max_weeks` (see Settings below).
    ///
    /// ## Why
    /// Evolving requirements fight finalized specs. Research is how a team
    /// buys certainty, and a timebox is the price agreed in advance: when it
    /// runs out, the team decides with what it has learnt instead of drifting.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "RES-1"
    /// kind = "research"
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "RES-1"
    /// kind = "research"
    /// timebox_weeks = 2
    /// ```
    pub const RULE = {
        id: "research-timebox",
        group: Plan,
        level: Warn,
        summary: "research items have a timebox of at most max_weeks",
        needs: crate::facts::Needs::NOTHING,
        settings: Settings,
        check: Some(check),
    };
}

/// The longest timebox a research item may have.
const MAX_WEEKS: Param<Settings, f64> = Param::weeks(
    "max_weeks",
    4.0,
    "the longest timebox, in engineer-weeks, a research item may declare",
);

/// `research-timebox`'s settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The longest timebox allowed.
    pub max_weeks: Setting<f64>,
}

impl RuleSettings for Settings {
    const RULE: crate::diagnostic::RuleId = ID;
    const PARAMS: &'static [crate::settings::ParamDecl] = &[MAX_WEEKS.decl];

    fn read(p: &Params<'_, Self>) -> Self {
        Settings {
            max_weeks: p.get(&MAX_WEEKS),
        }
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let max = &Settings::of(ctx.config).max_weeks;
    for item in ctx
        .roadmap
        .items()
        .filter(|i| i.kind() == Some(Kind::Research))
    {
        let mut d = match &item.timebox_weeks {
            None if item.flawed.has("timebox_weeks") => continue,
            None => Diagnostic::new(
                ID,
                format!("research item `{}` has no timebox", item.id_str()),
            )
            .at(item.file, item.name_span())
            .help(format!(
                "add `timebox_weeks = N` (at most {})",
                weeks(max.value)
            )),
            Some(t) if t.value > max.value => {
                let mut d = Diagnostic::new(
                    ID,
                    format!(
                        "research item `{}` is timeboxed to {} weeks; the maximum is {}",
                        item.id_str(),
                        weeks(t.value),
                        weeks(max.value)
                    ),
                )
                .at(item.file, t.span)
                .help("split the research, or decide with what the first timebox taught");
                if let (Some(cfg), Some(span)) = (max.file.or(ctx.config.file), max.span) {
                    d = d.with_label(cfg, span, "maximum set here");
                }
                d
            }
            Some(_) => continue,
        };
        d = d.item(item.id_str());
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

    #[test]
    fn pass() {
        tester::pass(
            ID,
            &["[[item]]\nid = \"R\"\nkind = \"research\"\ntimebox_weeks = 4\n"],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    "[[item]]\nid = \"R\"\nkind = \"research\"\n",
                    &[(2, "research item `R` has no timebox")],
                ),
                (
                    "[[item]]\nid = \"R\"\nkind = \"research\"\ntimebox_weeks = 6\n",
                    &[(4, "timeboxed to 6 weeks; the maximum is 4")],
                ),
            ],
        );
    }

    #[test]
    fn the_diagnostic_reads_well_and_points_at_the_limit_it_breaks() {
        let case = "[[item]]\nid = \"R\"\nkind = \"research\"\ntimebox_weeks = 3\n# file: roadlint.toml\n[rules]\nresearch-timebox = { level = \"warn\", max_weeks = 2 }\n";
        insta::assert_snapshot!(tester::render(ID, case));
    }
}
