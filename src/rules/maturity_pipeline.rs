//! `maturity-pipeline`: technologies move assess → trial → adopt, one step at
//! a time, with evidence.
//!
//! The static part lives here; the history part (no skipped step across the
//! history of the technology files) runs in `history/`.

use super::Context;
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
        id: "maturity-pipeline",
        group: Plan,
        level: Error,
        summary: "trial/adopt technologies name an experiment; adopt has criteria; no skipped stage in history",
        needs: crate::facts::Needs::STAGE_STEPS,
        params: &[],
        check: Some(check),
    };
}

fn rank(stage: Stage) -> u8 {
    match stage {
        Stage::Assess => 0,
        Stage::Trial => 1,
        Stage::Adopt => 2,
        Stage::Hold => 3,
    }
}

const ORDER: [Stage; 3] = [Stage::Assess, Stage::Trial, Stage::Adopt];

/// The history part: no stage skipped across the technology files' history.
fn check_history(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    for (name, steps) in &facts.stage_steps {
        // The furthest pipeline stage reached so far (None: not yet in the pipeline).
        let mut reached: Option<u8> = None;
        let mut last: Option<Stage> = None;
        for step in steps {
            let r = rank(step.stage);
            let allowed = step.stage == Stage::Hold
                || step.baseline
                || match reached {
                    None => step.stage == Stage::Assess,
                    Some(top) => r <= top + 1,
                };
            if !allowed {
                let skipped = ORDER[reached.map_or(0, |t| t as usize + 1)..r as usize]
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ");
                let from = last.map_or("nothing".to_string(), |s| s.as_str().to_string());
                let today = ctx
                    .roadmap
                    .technologies()
                    .find(|t| t.name.as_ref().is_some_and(|n| &n.value == name));
                let (file, span) = match today {
                    Some(t) => (t.file, t.stage.as_ref().map_or(t.span, |s| s.span)),
                    None => match ctx.file_at(&step.path) {
                        Some(f) => (f.file, crate::source::Span::default()),
                        None => continue,
                    },
                };
                let short = &step.commit.id[..step.commit.id.len().min(10)];
                out.push(
                    Diagnostic::new(
                        ID,
                        format!(
                            "technology `{name}` moved from {from} to {} in commit {short}, skipping {skipped}",
                            step.stage.as_str()
                        ),
                    )
                    .at(file, span)
                    .commit(step.commit.id.clone(), step.commit.subject.clone())
                    .help("move one stage at a time (assess → trial → adopt), with a trial behind an experiment"),
                );
            }
            if step.stage != Stage::Hold {
                reached = Some(reached.map_or(r, |t| t.max(r)));
            }
            last = Some(step.stage);
        }
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_history(ctx, out);
    for tech in ctx.roadmap.technologies() {
        let Some(stage) = tech.stage.as_ref() else {
            continue;
        };
        let name = tech.name.as_ref().map_or("?", |s| s.value.as_str());
        if matches!(stage.value, Stage::Trial | Stage::Adopt) {
            match &tech.experiment {
                None => out.push(
                    Diagnostic::new(
                        ID,
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
                                    ID,
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
                        ID,
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
    use super::ID;
    use crate::diagnostic::CommitRef;
    use crate::facts::{Facts, StageStep};
    use crate::model::Stage;
    use crate::rules::tester;

    fn history(stages: &[(Stage, bool)]) -> Vec<(usize, String)> {
        let mut facts = Facts::default();
        let steps = stages
            .iter()
            .enumerate()
            .map(|(i, (stage, baseline))| StageStep {
                path: "roadmap/2026-Q1.toml".into(),
                stage: *stage,
                commit: CommitRef {
                    id: format!("{i:040}"),
                    subject: format!("chore: step {i}"),
                },
                baseline: *baseline,
            })
            .collect();
        facts.stage_steps.insert("v".into(), steps);
        let case = "[[technology]]\nname = \"v\"\nstage = \"assess\"\n";
        tester::run_history(case, &facts)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .map(|(d, line, _)| (line, d.message))
            .collect()
    }

    #[test]
    fn history_pass() {
        use Stage::*;
        assert!(history(&[(Assess, false), (Trial, false), (Adopt, false)]).is_empty());
        assert!(history(&[(Adopt, true), (Hold, false), (Adopt, false)]).is_empty());
        assert!(history(&[(Assess, false), (Hold, false), (Trial, false)]).is_empty());
        assert!(history(&[
            (Assess, false),
            (Trial, false),
            (Assess, false),
            (Adopt, false)
        ])
        .is_empty());
    }

    #[test]
    fn history_fail() {
        use Stage::*;
        let got = history(&[(Assess, false), (Adopt, false)]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 3);
        assert!(
            got[0]
                .1
                .contains("moved from assess to adopt in commit 0000000000, skipping trial"),
            "{}",
            got[0].1
        );
        let got = history(&[(Assess, false), (Hold, false), (Adopt, false)]);
        assert!(got[0].1.contains("from hold to adopt"), "{:?}", got);
        let got = history(&[(Trial, false)]);
        assert!(got[0].1.contains("skipping assess"), "{:?}", got);
    }

    const EXP: &str = "[[item]]\nid = \"EXP-3\"\nkind = \"experiment\"\n";

    #[test]
    fn pass() {
        tester::pass(
            ID,
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
            ID,
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
