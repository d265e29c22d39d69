//! `maturity-pipeline`: technologies move assess → trial → adopt, one step at
//! a time, with evidence.
//!
//! The static part lives here; the history part (no skipped step across the
//! history of the technology files) runs in `history/`.

use super::{ids, Context};
use crate::diagnostic::Diagnostic;
use crate::model::{Keyword, Kind, Stage};

declare_rule! {
    /// ## What it checks
    /// A technology in `trial` or `adopt` names the `experiment` item that
    /// trials it, and that item is of kind `experiment`; a technology in
    /// `adopt` has non-empty `criteria`. Across the history of the technology
    /// files, a stage never skips a step: `assess` → `trial` → `adopt`, while
    /// `hold` may be entered from any stage.
    ///
    /// ## Why
    /// Innovation timing is a shared decision. A technology that jumps from a
    /// slide (`assess`) to production (`adopt`) without a fenced trial bypasses
    /// the people who will run it; written transition criteria make the next
    /// step a check, not an argument.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[technology]]
    /// name = "vector-search"
    /// stage = "adopt"
    /// ```
    /// Good:
    /// ```toml
    /// [[technology]]
    /// name = "vector-search"
    /// stage = "trial"
    /// criteria = ["p95 < 50 ms on prod data", "ops runbook written"]
    /// experiment = "EXP-3"
    /// ```
    pub const RULE = {
        id: ids::MATURITY_PIPELINE,
        group: Plan,
        level: Error,
        summary: "trial/adopt technologies name an experiment; adopt has criteria; no skipped stage in history",
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for tech in ctx.roadmap.technologies() {
        let Some(stage) = tech.stage.as_ref() else {
            continue;
        };
        let name = tech.name.as_ref().map_or("?", |s| s.value.as_str());
        if matches!(stage.value, Stage::Trial | Stage::Adopt) {
            match &tech.experiment {
                None => out.push(
                    Diagnostic::new(
                        ids::MATURITY_PIPELINE,
                        format!(
                            "technology `{name}` is in {} but names no experiment",
                            stage.value.as_str()
                        ),
                    )
                    .at(tech.file, stage.span)
                    .help("add `experiment = \"…\"`: the experiment item that trials it"),
                ),
                Some(e) => {
                    if let Some(item) = ctx.roadmap.item(&e.value) {
                        if let Some(kind) = item.kind().filter(|k| *k != Kind::Experiment) {
                            out.push(
                                Diagnostic::new(
                                    ids::MATURITY_PIPELINE,
                                    format!("technology `{name}` is trialled by `{}`, which is a {} item, not an experiment", e.value, kind.as_str()),
                                )
                                .at(tech.file, e.span)
                                .with_label(item.file, item.name_span(), "declared here")
                                .help("point `experiment` at an item of kind \"experiment\""),
                            );
                        }
                    }
                }
            }
        }
        if stage.value == Stage::Adopt {
            let empty = tech
                .criteria
                .as_ref()
                .is_none_or(|c| c.value.iter().all(|s| s.value.trim().is_empty()));
            if empty {
                out.push(
                    Diagnostic::new(
                        ids::MATURITY_PIPELINE,
                        format!("technology `{name}` is adopted without written criteria"),
                    )
                    .at(
                        tech.file,
                        tech.criteria.as_ref().map_or(stage.span, |c| c.span),
                    )
                    .help("add `criteria = [\"…\"]`: what the trial had to show"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{ids, tester};

    const EXP: &str = "[[item]]\nid = \"EXP-3\"\nkind = \"experiment\"\n";

    #[test]
    fn pass() {
        tester::pass(
            ids::MATURITY_PIPELINE,
            &[
                &format!("[[technology]]\nname = \"v\"\nstage = \"trial\"\nexperiment = \"EXP-3\"\n{EXP}"),
                &format!("[[technology]]\nname = \"v\"\nstage = \"adopt\"\ncriteria = [\"p95\"]\nexperiment = \"EXP-3\"\n{EXP}"),
                "[[technology]]\nname = \"v\"\nstage = \"assess\"\n",
                "[[technology]]\nname = \"v\"\nstage = \"hold\"\n",
            ],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ids::MATURITY_PIPELINE,
            &[
                ("[[technology]]\nname = \"v\"\nstage = \"trial\"\n", &[(3, "is in trial but names no experiment")]),
                (
                    &format!("[[technology]]\nname = \"v\"\nstage = \"adopt\"\nexperiment = \"EXP-3\"\n{EXP}"),
                    &[(3, "adopted without written criteria")],
                ),
                (
                    "[[technology]]\nname = \"v\"\nstage = \"trial\"\nexperiment = \"F\"\n[[item]]\nid = \"F\"\nkind = \"feature\"\n",
                    &[(4, "which is a feature item, not an experiment")],
                ),
            ],
        );
    }
}
