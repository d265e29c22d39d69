//! `maturity-pipeline`: technologies move assess → trial → adopt, one step at
//! a time, with evidence.
//!
//! The static part and the step from HEAD's stage to today's (before it is
//! committed) live here; the history part judges the stage steps that
//! `history/` found across the history of the technology files.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Keyword, Kind, Stage};

declare_rule! {
    /// ## What it checks
    /// A technology in `trial` or `adopt` names the `experiment` item that
    /// trials it, and that item is of kind `experiment`; a technology in
    /// `adopt` has non-empty `criteria`. Across the history of the technology
    /// files, a stage never skips a step: `assess` → `trial` → `adopt`, while
    /// `hold` may be entered from any stage. A skip is caught before it is
    /// committed too: a stage in the work tree (or the index, with
    /// `--staged`) is judged as a step from the technology's stage at HEAD,
    /// also under `--no-history`, in the pre-commit hook and in the editor.
    /// A technology new since HEAD in a file HEAD has starts at `assess`; one
    /// at `hold` at HEAD is judged once committed (where it may return to
    /// depends on the stages it reached before).
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
        needs: crate::facts::Needs::STAGE_STEPS.and(crate::facts::Needs::HEAD_STAGES),
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
                || step.off.contains(&ID)
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
                let short = &step.commit.id[..step.commit.id.len().min(12)];
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

/// The stages `to` skips when it follows `from` (`None`: the technology is
/// new in a file that HEAD has), or nothing when the step is allowed or
/// cannot be judged without history (from `hold`).
fn skipped_from_head(from: Option<Stage>, to: Stage) -> Option<String> {
    let first = match from {
        _ if to == Stage::Hold => return None,
        Some(Stage::Hold) => return None,
        Some(f) if rank(to) <= rank(f) + 1 => return None,
        Some(f) => rank(f) as usize + 1,
        None if to == Stage::Assess => return None,
        None => 0,
    };
    let skipped: Vec<&str> = ORDER[first..rank(to) as usize]
        .iter()
        .map(|s| s.as_str())
        .collect();
    Some(skipped.join(" and "))
}

/// The part before the commit: each stage in today's files against the
/// technology's stage at HEAD. Once committed, HEAD holds today's stage and
/// the history part reports the step instead.
fn check_uncommitted(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(head) = ctx.head else {
        return;
    };
    for tech in ctx.roadmap.technologies() {
        let (Some(name), Some(stage)) = (&tech.name, &tech.stage) else {
            continue;
        };
        let from = match head.stages.get(&name.value) {
            Some(None) => continue,
            Some(Some(s)) => Some(*s),
            None if head.paths.contains(&ctx.sources.get(tech.file).path) => None,
            None => continue,
        };
        let Some(skipped) = skipped_from_head(from, stage.value) else {
            continue;
        };
        let message = match from {
            Some(f) => format!(
                "technology `{}` moves from {} (at HEAD) to {}, skipping {skipped}",
                name.value,
                f.as_str(),
                stage.value.as_str()
            ),
            None => format!(
                "technology `{}` enters the pipeline at {}, skipping {skipped}",
                name.value,
                stage.value.as_str()
            ),
        };
        let help = match from {
            Some(_) => "move one stage at a time (assess → trial → adopt): commit the next stage first, with a trial behind an experiment",
            None => "add a new technology at `stage = \"assess\"` and move it one stage at a time",
        };
        out.push(
            Diagnostic::new(ID, message)
                .at(tech.file, stage.span)
                .help(help),
        );
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_history(ctx, out);
    check_uncommitted(ctx, out);
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
    use crate::facts::{Facts, HeadStages, StageStep};
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
                off: Vec::new(),
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
                .contains("moved from assess to adopt in commit 000000000000, skipping trial"),
            "{}",
            got[0].1
        );
        let got = history(&[(Assess, false), (Hold, false), (Adopt, false)]);
        assert!(got[0].1.contains("from hold to adopt"), "{:?}", got);
        let got = history(&[(Trial, false)]);
        assert!(got[0].1.contains("skipping assess"), "{:?}", got);
    }

    /// (stages at HEAD, today's files) → (line, message) of this rule.
    fn before_commit(head: &[(&str, Option<Stage>)], case: &str) -> Vec<(usize, String)> {
        let head = HeadStages {
            stages: head.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            paths: ["roadmap/technology.toml".to_string()].into(),
        };
        let case = format!("# file: roadmap/technology.toml\n{case}{EXP}");
        tester::run_head(&case, &head)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .map(|(d, line, _)| (line, d.message))
            .collect()
    }

    fn tech(name: &str, stage: &str) -> String {
        format!("[[technology]]\nname = \"{name}\"\nstage = \"{stage}\"\ncriteria = [\"c\"]\nexperiment = \"EXP-3\"\n")
    }

    /// The step from HEAD's stage to today's: (HEAD, today, expected).
    #[test]
    fn before_commit_table() {
        use Stage::*;
        let cases: &[(Option<Stage>, &str, Option<&str>)] = &[
            (Some(Assess), "assess", None),
            (Some(Assess), "trial", None),
            (Some(Trial), "adopt", None),
            (Some(Adopt), "trial", None),
            (Some(Adopt), "assess", None),
            (Some(Assess), "hold", None),
            (Some(Trial), "hold", None),
            // from hold, where it may go depends on history: judged once committed
            (Some(Hold), "adopt", None),
            // a stage HEAD could not read is not a starting point
            (None, "adopt", None),
            (
                Some(Assess),
                "adopt",
                Some("technology `v` moves from assess (at HEAD) to adopt, skipping trial"),
            ),
        ];
        for (at_head, today, want) in cases {
            let got = before_commit(&[("v", *at_head)], &tech("v", today));
            match want {
                None => assert!(got.is_empty(), "{at_head:?} -> {today}: {got:?}"),
                Some(w) => {
                    assert_eq!(got.len(), 1, "{at_head:?} -> {today}: {got:?}");
                    assert_eq!(got[0].0, 3, "points at the stage");
                    assert!(got[0].1.contains(w), "{}", got[0].1);
                }
            }
        }
    }

    #[test]
    fn before_commit_new_technologies() {
        // New in a file HEAD has: it starts at assess (or hold).
        let got = before_commit(
            &[("v", Some(Stage::Assess))],
            &(tech("v", "assess") + &tech("w", "trial")),
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .1
                .contains("technology `w` enters the pipeline at trial, skipping assess"),
            "{}",
            got[0].1
        );
        let got = before_commit(&[], &tech("w", "adopt"));
        assert!(got[0].1.contains("skipping assess and trial"), "{:?}", got);
        assert!(before_commit(&[], &tech("w", "assess")).is_empty());
        assert!(before_commit(&[], &tech("w", "hold")).is_empty());
        // A file new since HEAD may start a technology anywhere.
        let head = HeadStages::default();
        let case = format!("# file: roadmap/radar.toml\n{}{EXP}", tech("w", "adopt"));
        let got: Vec<_> = tester::run_head(&case, &head)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .collect();
        assert!(got.is_empty(), "{got:?}");
        // Without HEAD (not a repository, no commit, `--rev`) nothing is judged.
        assert!(tester::of_rule(ID, &format!("{}{EXP}", tech("w", "adopt"))).is_empty());
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
