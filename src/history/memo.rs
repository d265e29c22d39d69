//! Answers remembered: the plan-vs-actual facts of one tip for one question,
//! and what the path rules found there.
//!
//! Classifying and weighing every commit is a pure function of the commits
//! (fixed by the tip), the `[history]` settings, today's item ids and kinds
//! and the quarters asked about. A run that asks the same question of the
//! same tip as an earlier one (every pre-push hook between two commits, every
//! CI re-run, `report` after `report`) takes the answer from this small file
//! instead of reading every commit's inputs again. The question is a hash of
//! all it depends on, roadlint's version included; a few recent answers are
//! kept per repository. Written and read under the history cache's
//! guarantees: atomic, checksummed, silently ignored when wrong.
//!
//! The path rules' findings ([`Judgements`]: the sign-off gate's changes to
//! locked quarters, technologies and waivers, the policy changes, the stage
//! steps) are likewise a pure function of the commits, the configuration,
//! today's roadmap files and `--allowed-signers`: a warm run on the same tip
//! takes them from here instead of parsing every roadmap version again. Their
//! question hashes all of those inputs with SHA-256.

use super::store;
use super::ScanRequest;
use crate::calendar::Quarter;
use crate::facts::{
    ClassCounts, ClassEffort, Facts, ItemActual, LockedChange, PolicyChange, RoadmapActual,
    StageStep, TechChange, WaiverChange,
};
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file's extension, beside the history cache.
pub(super) const EXTENSION: &str = "rlhm";
/// The kind of file in the store's header.
const KIND: &str = "memo";
/// Answers kept per repository (newest first).
const KEEP: usize = 8;

/// The facts a tally produces.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Tallied {
    counts: Vec<(Quarter, ClassCounts)>,
    effort: Vec<(Quarter, ClassEffort)>,
    ignored: Vec<(Quarter, usize)>,
    planning: Vec<(Quarter, usize)>,
    linked: Vec<(Quarter, f64)>,
    adopted: Option<i64>,
    unknown_items: Vec<(String, usize)>,
    items: Vec<(String, ItemActual)>,
    /// Per `[[roadmap]]`: what the history attributes to it (SPEC §9.8).
    roadmaps: Vec<(String, Attributed)>,
    /// What counts for no roadmap.
    unattributed: Attributed,
}

/// What the history attributes to one roadmap, as remembered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Attributed {
    counts: Vec<(Quarter, ClassCounts)>,
    effort: Vec<(Quarter, ClassEffort)>,
}

impl Attributed {
    fn of(a: &RoadmapActual) -> Attributed {
        Attributed {
            counts: a.counts.iter().map(|(q, c)| (*q, *c)).collect(),
            effort: a.effort.iter().map(|(q, e)| (*q, *e)).collect(),
        }
    }

    fn back(self) -> RoadmapActual {
        RoadmapActual {
            counts: self.counts.into_iter().collect(),
            effort: self.effort.into_iter().collect(),
        }
    }
}

impl Tallied {
    /// The tallied part of `facts`.
    pub(super) fn of(facts: &Facts) -> Tallied {
        Tallied {
            counts: facts.counts.iter().map(|(q, c)| (*q, *c)).collect(),
            effort: facts.effort.iter().map(|(q, e)| (*q, *e)).collect(),
            ignored: facts.ignored.iter().map(|(q, n)| (*q, *n)).collect(),
            planning: facts.planning.iter().map(|(q, n)| (*q, *n)).collect(),
            linked: facts.linked.iter().map(|(q, e)| (*q, *e)).collect(),
            adopted: facts.adopted,
            unknown_items: facts.unknown_items.clone().into_iter().collect(),
            items: facts.items.clone().into_iter().collect(),
            roadmaps: facts
                .roadmaps
                .iter()
                .map(|(n, a)| (n.clone(), Attributed::of(a)))
                .collect(),
            unattributed: Attributed::of(&facts.unattributed),
        }
    }

    /// Put the tallied part back into `facts`.
    pub(super) fn apply(self, facts: &mut Facts) {
        facts.counts = self.counts.into_iter().collect();
        facts.effort = self.effort.into_iter().collect();
        facts.ignored = self.ignored.into_iter().collect();
        facts.planning = self.planning.into_iter().collect();
        facts.linked = self.linked.into_iter().collect();
        facts.adopted = self.adopted;
        facts.unknown_items = self.unknown_items.into_iter().collect();
        facts.items = self.items.into_iter().collect();
        facts.roadmaps = self
            .roadmaps
            .into_iter()
            .map(|(n, a)| (n, a.back()))
            .collect();
        facts.unattributed = self.unattributed.back();
    }
}

/// What the path rules found at one tip (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Judgements {
    locked_changes: Vec<LockedChange>,
    tech_changes: Vec<TechChange>,
    policy_changes: Vec<PolicyChange>,
    waiver_changes: Vec<WaiverChange>,
    waivers_complete: bool,
    stage_steps: Vec<(String, Vec<StageStep>)>,
}

impl Judgements {
    /// The path rules' part of `facts`.
    pub(super) fn of(facts: &Facts) -> Judgements {
        Judgements {
            locked_changes: facts.locked_changes.clone(),
            tech_changes: facts.tech_changes.clone(),
            policy_changes: facts.policy_changes.clone(),
            waiver_changes: facts.waiver_changes.clone(),
            waivers_complete: facts.waivers_complete,
            stage_steps: facts.stage_steps.clone().into_iter().collect(),
        }
    }

    /// Put the path rules' part back into `facts`.
    pub(super) fn apply(self, facts: &mut Facts) {
        facts.locked_changes = self.locked_changes;
        facts.tech_changes = self.tech_changes;
        facts.policy_changes = self.policy_changes;
        facts.waiver_changes = self.waiver_changes;
        facts.waivers_complete = self.waivers_complete;
        facts.stage_steps = self.stage_steps.into_iter().collect();
    }
}

/// Everything the path rules' findings at a tip depend on besides the
/// tip, hashed (see [`Judgements`]): roadlint's version, the
/// configuration, every file the run read (roadmap files, configuration,
/// presets, allowed signers), what the rules need and the text of
/// `--allowed-signers`. SHA-256: the gate's findings are not left to a
/// hash an input could be made to collide with.
pub(super) fn question_of_findings(req: &ScanRequest<'_>) -> [u8; 32] {
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    let asked = format!(
        "{:?} {:?} {:?} {:?} {} {:?} {:?}",
        req.config,
        req.needs,
        req.judged,
        req.debt_kinds,
        req.classify_all,
        req.since,
        req.allowed_signers,
    );
    field(asked.as_bytes());
    for i in 0..req.sources.len() {
        let file = req.sources.get(crate::source::FileId(i));
        field(file.path.as_bytes());
        field(file.text.as_bytes());
    }
    hash.finalize().into()
}

/// The file's content: the answers remembered for one tip.
#[derive(Serialize, Deserialize)]
pub(super) struct Memo {
    tip: ObjectId,
    /// (question, answer), newest first.
    answers: Vec<(u64, Tallied)>,
    /// (question, the path rules' findings), newest first.
    judgements: Vec<([u8; 32], Judgements)>,
}

impl Memo {
    /// The tally's answer to `question`, taken out.
    pub(super) fn answer(&mut self, question: u64) -> Option<Tallied> {
        take(&mut self.answers, &question)
    }

    /// The path rules' findings for `question`, taken out.
    pub(super) fn findings(&mut self, question: [u8; 32]) -> Option<Judgements> {
        take(&mut self.judgements, &question)
    }
}

/// The answer to `question` in `list`, taken out.
fn take<Q: PartialEq, A>(list: &mut Vec<(Q, A)>, question: &Q) -> Option<A> {
    let i = list.iter().position(|(q, _)| q == question)?;
    Some(list.swap_remove(i).1)
}

/// The memo of `file` when it was written for `tip`: one read answers both
/// the tally's and the path rules' questions.
pub(super) fn of_tip(file: &Path, tip: ObjectId) -> Option<Memo> {
    store::read::<Memo>(file, KIND).filter(|m| m.tip == tip)
}

/// Change the memo of `file` for `tip` (a memo of another tip is replaced).
fn update(file: &Path, tip: ObjectId, change: impl FnOnce(&mut Memo)) {
    let mut memo = of_tip(file, tip).unwrap_or(Memo {
        tip,
        answers: Vec::new(),
        judgements: Vec::new(),
    });
    change(&mut memo);
    store::write(file, KIND, &memo);
}

/// Put `(question, answer)` first in `list`, keeping [`KEEP`] answers.
fn remember<Q: PartialEq, A>(list: &mut Vec<(Q, A)>, question: Q, answer: A) {
    list.retain(|(q, _)| *q != question);
    list.insert(0, (question, answer));
    list.truncate(KEEP);
}

/// The remembered answer to `question` at `tip`, if any.
pub(super) fn read(file: &Path, tip: ObjectId, question: u64) -> Option<Tallied> {
    of_tip(file, tip)?.answer(question)
}

/// Remember `answer` to `question` at `tip`, with the other answers kept for
/// this tip.
pub(super) fn write(file: &Path, tip: ObjectId, question: u64, answer: Tallied) {
    update(file, tip, |m| remember(&mut m.answers, question, answer));
}

/// Remember the path rules' findings for `question` at `tip`.
pub(super) fn write_judgements(file: &Path, tip: ObjectId, question: [u8; 32], found: Judgements) {
    update(file, tip, |m| remember(&mut m.judgements, question, found));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_found_for_its_tip_and_question_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("m.rlhm");
        let tip = ObjectId::from_bytes_or_panic(&[1; 20]);
        let mut facts = Facts::default();
        let q1: Quarter = "2026-Q1".parse().expect("quarter");
        facts.counts.insert(
            q1,
            ClassCounts {
                debt: 1,
                feature: 2,
                unclassified: 3,
            },
        );
        facts.effort.insert(
            q1,
            ClassEffort {
                debt: 0.5,
                feature: 2.0,
                unclassified: 1.0,
            },
        );
        facts.items.insert(
            "PAY-1".into(),
            ItemActual {
                commits: 2,
                first_commit: "2026-01-02".parse().ok(),
                ..ItemActual::default()
            },
        );
        let mut payments = RoadmapActual::default();
        payments.add(q1, crate::facts::Class::Debt, 0.5);
        facts.roadmaps.insert("payments".into(), payments);
        facts
            .unattributed
            .add(q1, crate::facts::Class::Feature, 1.0);
        write(&file, tip, 7, Tallied::of(&facts));
        write(&file, tip, 8, Tallied::default());
        let mut back = Facts::default();
        read(&file, tip, 7).expect("answer").apply(&mut back);
        assert_eq!(back.counts, facts.counts);
        assert_eq!(back.effort, facts.effort);
        assert_eq!(back.items, facts.items);
        assert_eq!(back.roadmaps, facts.roadmaps, "per-roadmap answers");
        assert_eq!(back.unattributed, facts.unattributed);
        assert_eq!(read(&file, tip, 8), Some(Tallied::default()));
        assert_eq!(read(&file, tip, 9), None, "another question");
        let other = ObjectId::from_bytes_or_panic(&[2; 20]);
        assert_eq!(read(&file, other, 7), None, "another tip");
        write(&file, other, 7, Tallied::default());
        assert_eq!(
            read(&file, tip, 8),
            None,
            "a new tip forgets the old answers"
        );
    }

    #[test]
    fn findings_are_found_for_their_tip_and_question_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("m.rlhm");
        let tip = ObjectId::from_bytes_or_panic(&[1; 20]);
        let commit = crate::diagnostic::CommitRef {
            id: "ab".repeat(20),
            subject: "feat: add PAY-9".into(),
        };
        let mut facts = Facts::default();
        let mut signoff = crate::facts::Signoff {
            product: vec!["maya".into()],
            ..crate::facts::Signoff::default()
        };
        signoff.rules.off = vec![crate::diagnostic::RuleId::new("kpi-link")];
        facts.locked_changes.push(LockedChange {
            path: "roadmap/2026-Q1.toml".into(),
            quarter: "2026-Q1".parse().expect("quarter"),
            commit: commit.clone(),
            changes: vec![
                crate::facts::ScopeChange::Added("PAY-9".into()),
                crate::facts::ScopeChange::Effort("PAY-1".into(), Some(2.0), None),
            ],
            signoff,
            merge: None,
        });
        facts.waivers_complete = true;
        facts.stage_steps.insert(
            "roadmap/tech.toml".into(),
            vec![StageStep {
                path: "roadmap/tech.toml".into(),
                stage: crate::model::Stage::Trial,
                commit,
                baseline: true,
                off: vec![crate::diagnostic::RuleId::new("maturity-pipeline")],
            }],
        );
        let (q1, q2) = ([7; 32], [8; 32]);
        write_judgements(&file, tip, q1, Judgements::of(&facts));
        write(&file, tip, 7, Tallied::default());
        let mut back = Facts::default();
        of_tip(&file, tip)
            .and_then(|mut m| m.findings(q1))
            .expect("findings")
            .apply(&mut back);
        assert_eq!(back.locked_changes, facts.locked_changes);
        assert_eq!(back.stage_steps, facts.stage_steps);
        assert!(back.waivers_complete);
        assert_eq!(
            read(&file, tip, 7),
            Some(Tallied::default()),
            "the tally's answer is kept"
        );
        assert_eq!(
            of_tip(&file, tip).and_then(|mut m| m.findings(q2)),
            None,
            "another question"
        );
        let other = ObjectId::from_bytes_or_panic(&[2; 20]);
        assert_eq!(
            of_tip(&file, other).and_then(|mut m| m.findings(q1)),
            None,
            "another tip"
        );
    }

    #[test]
    fn the_path_rules_question_asks_about_every_input() {
        let (config, roadmap) = (
            crate::settings::Config::default(),
            crate::model::Roadmap::default(),
        );
        let mut sources = crate::source::Sources::default();
        sources.add(crate::source::SourceFile::new(
            "roadmap/2026-Q1.toml",
            "quarter = \"2026-Q1\"\n",
        ));
        let request = |config: &crate::settings::Config,
                       sources: &crate::source::Sources,
                       needs: crate::facts::Needs,
                       signers: Option<&str>| {
            question_of_findings(&ScanRequest {
                tip: ObjectId::null(gix::hash::Kind::Sha1),
                since: None,
                config,
                roadmap: &roadmap,
                sources,
                needs,
                judged: Vec::new(),
                debt_kinds: Vec::new(),
                classify_all: false,
                progress: false,
                cache: true,
                allowed_signers: signers.map(str::to_string),
            })
        };
        let all = crate::facts::Needs {
            locked_scope_changes: true,
            policy_changes: true,
            ..crate::facts::Needs::NOTHING
        };
        let asked = request(&config, &sources, all, None);
        assert_eq!(asked, request(&config, &sources, all, None), "stable");
        let mut edited = crate::source::Sources::default();
        edited.add(crate::source::SourceFile::new(
            "roadmap/2026-Q1.toml",
            "quarter = \"2026-Q2\"\n",
        ));
        assert_ne!(asked, request(&config, &edited, all, None), "a file's text");
        let mut approvers = crate::settings::Config::default();
        approvers.signoff.product_approvers = vec!["maya".into()];
        assert_ne!(
            asked,
            request(&approvers, &sources, all, None),
            "the configuration"
        );
        let fewer = crate::facts::Needs {
            policy_changes: false,
            ..all
        };
        assert_ne!(
            asked,
            request(&config, &sources, fewer, None),
            "what the rules need"
        );
        let signers = Some("maya ssh-ed25519 AAAA");
        assert_ne!(
            asked,
            request(&config, &sources, all, signers),
            "--allowed-signers"
        );
    }
}
