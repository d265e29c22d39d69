//! What the history showed, in plain types the rules and the report read.
//!
//! The history scan (`history`) produces these and the rules judge them; the
//! types sit below both so that neither imports the other, and a caller that
//! knows the facts another way (the commit-msg hook, for the commit being
//! made) can hand them to the same rules.

use crate::calendar::{Date, Quarter};
use crate::diagnostic::CommitRef;
use crate::model::{Kind, Stage};
use std::collections::BTreeMap;
use std::fmt;

/// What a commit counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Class {
    /// Debt and sustainment work.
    Debt,
    /// Feature work.
    Feature,
    /// Neither (docs, style, non-conventional subjects, …).
    Unclassified,
}

/// Commits of one quarter, by class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClassCounts {
    /// Debt/sustainment commits.
    pub debt: usize,
    /// Feature commits.
    pub feature: usize,
    /// Everything else.
    pub unclassified: usize,
}

impl ClassCounts {
    /// Count `n` commits of one class.
    pub fn add(&mut self, class: Class, n: usize) {
        match class {
            Class::Debt => self.debt += n,
            Class::Feature => self.feature += n,
            Class::Unclassified => self.unclassified += n,
        }
    }

    /// debt / (debt + feature), if any of either.
    pub fn debt_share(&self) -> Option<f64> {
        let n = self.debt + self.feature;
        (n > 0).then(|| self.debt as f64 / n as f64)
    }
}

pub(crate) use crate::units::Measure;

/// Effort of one quarter's commits by class, in the configured [`Measure`].
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClassEffort {
    /// Debt/sustainment effort.
    pub debt: f64,
    /// Feature effort.
    pub feature: f64,
    /// Everything else.
    pub unclassified: f64,
}

impl ClassEffort {
    /// Add `w` units of one class.
    pub fn add(&mut self, class: Class, w: f64) {
        match class {
            Class::Debt => self.debt += w,
            Class::Feature => self.feature += w,
            Class::Unclassified => self.unclassified += w,
        }
    }

    /// debt / (debt + feature), if either is non-zero.
    pub fn debt_share(&self) -> Option<f64> {
        let n = self.debt + self.feature;
        (n > 0.0).then(|| self.debt / n)
    }
}

/// What the history shows for one roadmap item: the commits linked to it (by
/// trailer or by its id in the subject).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemActual {
    /// Linked commits.
    pub commits: usize,
    /// Their effort in author-days (whatever the configured measure).
    pub author_days: f64,
    /// Distinct authors among them.
    pub authors: usize,
    /// Committer date of the first linked commit.
    pub first_commit: Option<crate::calendar::Date>,
    /// Committer date of the last linked commit.
    pub last_commit: Option<crate::calendar::Date>,
}

/// The sign-off a commit carries, and who could have given it: the people
/// who owned the changed part of the plan as it stood before the commit (a
/// commit cannot make its own approver). The `[signoff]` approver lists,
/// when set, replace the owners; the rules decide that.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Signoff {
    /// The product sign-off trailers' values, in message order.
    pub product: Vec<String>,
    /// The tech sign-off trailers' values, in message order.
    pub tech: Vec<String>,
    /// Sign-off trailers written where they do not count (the subject, a
    /// paragraph with other text), said as where and why.
    pub misplaced: Vec<String>,
    /// Product owners before the commit.
    pub product_owners: Vec<String>,
    /// Tech owners before the commit.
    pub tech_owners: Vec<String>,
    /// The agreement as it stood before the commit: who could sign, with
    /// which trailers, and which rules were off (SPEC §9.1).
    pub rules: SignoffRules,
    /// Under `[signoff] verify = "ssh"`: the approvals found for the
    /// commit's gated file changes (SPEC §9.4); `None` under trailers.
    pub approvals: Option<Approvals>,
}

/// The evidence of verified sign-off for one commit: the gated file changes
/// it made and the approval files that speak to them, each already verified
/// (the history reads and verifies; the sign-off engine judges who signed).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Approvals {
    /// The commit's full id (for the `roadlint approve --rev` advice).
    pub commit: String,
    /// Each gated file it changed.
    pub changes: Vec<FileChange>,
    /// Approval files that name one of those changes' blob ids, or that
    /// could not be read: each with its verification outcome.
    pub found: Vec<FoundApproval>,
}

/// One gated file's change, from blob to blob.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileChange {
    /// The file's path.
    pub path: String,
    /// What a person calls it (`2026-Q1`, the path otherwise).
    pub label: String,
    /// Its blob id in the first parent (zeros when added).
    pub before: String,
    /// Its blob id in the commit (zeros when deleted).
    pub after: String,
}

/// One approval file, as read and verified.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FoundApproval {
    /// Its path in the tree.
    pub file: String,
    /// `product` or `tech` (empty when it did not parse).
    pub role: String,
    /// The principal it names.
    pub principal: String,
    /// The other principals of the allowed-signers line whose key signed
    /// it (one person's email and name, say), once it verifies.
    pub aliases: Vec<String>,
    /// The change it approves.
    pub before: String,
    /// The change it approves.
    pub after: String,
    /// Why it does not count (`signature does not verify`, …); `None` when
    /// it verifies with a key listed for its principal.
    pub problem: Option<String>,
}

/// A commit that changed the scope of a locked quarter.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LockedChange {
    /// The quarter file's path (after the commit, or before it when the
    /// commit deleted or relabelled the file).
    pub path: String,
    /// The quarter, as its version before the commit declared it.
    pub quarter: Quarter,
    /// The commit.
    pub commit: CommitRef,
    /// What it changed.
    pub changes: Vec<ScopeChange>,
    /// Its sign-off trailers and the owners before it.
    pub signoff: Signoff,
    /// For a merge: what its parents brought in, and what it changed itself.
    pub merge: Option<MergeScope>,
}

/// How a merge commit's change to a locked quarter came about.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MergeScope {
    /// Changes the merge made itself: values no parent had (an evil merge).
    pub own: Vec<ScopeChange>,
    /// Commits it brings in that change the quarter's scope.
    pub brought: Vec<BroughtIn>,
}

/// A commit a merge brings in that changes a quarter's scope.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BroughtIn {
    /// The commit.
    pub commit: CommitRef,
    /// What it changed, against its first parent.
    pub changes: Vec<ScopeChange>,
    /// Its sign-off.
    pub signoff: Signoff,
}

/// A commit that changed technologies' stages (`technology-signoff`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TechChange {
    /// A technology file it changed (today's path, where a diagnostic points).
    pub path: String,
    /// The commit.
    pub commit: CommitRef,
    /// What it changed.
    pub changes: Vec<StageChange>,
    /// Its sign-off; owners from the whole roadmap before the commit.
    pub signoff: Signoff,
}

/// A commit that changed the agreement itself (`policy-signoff`): the
/// meaning of `roadlint.toml`, or a waiver of a gate rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PolicyChange {
    /// The commit.
    pub commit: CommitRef,
    /// What it changed, in the product's words (`turns locked-scope off`).
    pub changes: Vec<String>,
    /// Its sign-off, read with the first parent's trailer names; owners
    /// from the whole roadmap before the commit.
    pub signoff: Signoff,
    /// Whether it changed only the files of verified sign-off (the allowed
    /// signers, an approval taken back) and not `roadlint.toml` itself.
    pub only_signoff_files: bool,
    /// The `roadlint.toml` key of its first change, where the diagnostic
    /// points (none when the file was deleted or does not parse).
    pub key: Option<String>,
}

/// A `[[waiver]]` as written: what it waives and on what terms. Two
/// versions of a roadmap hold "the same" waiver when their [`Self::target`]s
/// are equal.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct WaiverTerms {
    /// The rule waived.
    pub rule: String,
    /// The quarter of the file it is in.
    pub quarter: Option<Quarter>,
    /// The one item waived.
    pub item: Option<String>,
    /// The one commit waived (lower case).
    pub commit: Option<String>,
    /// Why.
    pub reason: String,
    /// Who approved it, trimmed, in order.
    pub approved_by: Vec<String>,
    /// Its last day.
    pub expires: Option<crate::calendar::Date>,
}

impl WaiverTerms {
    /// The terms of `w`.
    pub fn of(w: &crate::model::Waiver) -> Self {
        let value = |f: &Option<crate::source::Spanned<String>>| {
            f.as_ref().map(|v| v.value.trim().to_string())
        };
        WaiverTerms {
            rule: value(&w.rule).unwrap_or_default(),
            quarter: w.quarter,
            item: value(&w.item),
            commit: value(&w.commit).map(|c| c.to_ascii_lowercase()),
            reason: value(&w.reason).unwrap_or_default(),
            approved_by: w
                .approved_by
                .as_ref()
                .map(|a| a.value.iter().map(|s| s.value.trim().to_string()).collect())
                .unwrap_or_default(),
            expires: w.expires.as_ref().map(|e| e.value),
        }
    }

    /// What it waives: rule, quarter, item and commit.
    pub fn target(&self) -> (&str, Option<Quarter>, Option<&str>, Option<&str>) {
        (
            &self.rule,
            self.quarter,
            self.item.as_deref(),
            self.commit.as_deref(),
        )
    }
}

/// What a commit did to one waiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WaiverEdit {
    /// It added the waiver.
    Added,
    /// It changed the waiver's terms.
    Changed,
    /// It removed the waiver.
    Removed,
}

impl WaiverEdit {
    /// The verb, as a reviewer says it.
    pub fn verb(self) -> &'static str {
        match self {
            WaiverEdit::Added => "adds",
            WaiverEdit::Changed => "changes",
            WaiverEdit::Removed => "removes",
        }
    }
}

/// A commit's change to one `[[waiver]]`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WaiverChange {
    /// The commit.
    pub commit: CommitRef,
    /// What it did.
    pub edit: WaiverEdit,
    /// The waiver's terms after the commit (before it, when removed).
    pub terms: WaiverTerms,
    /// The commit's sign-off, with the agreement of its first parent.
    pub signoff: Signoff,
}

/// The agreement as it stood in a commit's first parent, for judging the
/// commit with the rules of its parent rather than today's (SPEC §9.1): a
/// commit that changes who may sign is judged by who could before it, and a
/// rule turned off in commit C judges C itself but no commit after it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignoffRules {
    /// The `[signoff]` table: trailer names and approver lists.
    pub signoff: crate::settings::SignoffConfig,
    /// The rules that were off.
    pub off: Vec<crate::diagnostic::RuleId>,
    /// Where the product approver list came from, for messages, when not
    /// the root `[signoff] product_approvers` (a `[[roadmap]]`'s own list).
    pub product_listed_in: Option<String>,
    /// Where the tech approver list came from, likewise.
    pub tech_listed_in: Option<String>,
}

impl SignoffRules {
    /// The agreement `config` states.
    pub fn of(config: &crate::settings::Config) -> Self {
        SignoffRules {
            signoff: config.signoff.clone(),
            off: config
                .levels
                .iter()
                .filter(|(_, s)| s.value == crate::settings::Level::Off)
                .map(|(id, _)| *id)
                .collect(),
            product_listed_in: None,
            tech_listed_in: None,
        }
    }

    /// Where the `what` (`product` or `tech`) approver list came from, as
    /// a message names it: `` `[signoff] product_approvers` `` unless a
    /// `[[roadmap]]` entry gave it.
    pub fn listed_in(&self, what: &str) -> String {
        let own = match what {
            "product" => &self.product_listed_in,
            _ => &self.tech_listed_in,
        };
        own.clone()
            .unwrap_or_else(|| format!("`[signoff] {what}_approvers`"))
    }

    /// Whether the rule `id` judged commits under this agreement.
    pub fn judges(&self, id: crate::diagnostic::RuleId) -> bool {
        !self.off.contains(&id)
    }
}

impl Default for SignoffRules {
    fn default() -> Self {
        SignoffRules::of(&crate::settings::Config::default())
    }
}

/// One change to the technologies that needs both sign-offs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum StageChange {
    /// Added at a stage past `assess`.
    Added(String, Stage),
    /// Removed (it was at this stage).
    Removed(String, Stage),
    /// Moved from one stage to another.
    Moved(String, Stage, Stage),
}

impl StageChange {
    /// The technology concerned.
    pub fn name(&self) -> &str {
        match self {
            StageChange::Added(n, _) | StageChange::Removed(n, _) | StageChange::Moved(n, ..) => n,
        }
    }
}

impl fmt::Display for StageChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::model::Keyword;
        match self {
            StageChange::Added(n, s) => write!(f, "adds `{n}` at {}", s.as_str()),
            StageChange::Removed(n, s) => write!(f, "removes `{n}` (at {})", s.as_str()),
            StageChange::Moved(n, a, b) => {
                write!(f, "moves `{n}` from {} to {}", a.as_str(), b.as_str())
            }
        }
    }
}

/// A technology's stage as of a commit.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StageStep {
    /// The technology file's path.
    pub path: String,
    /// The stage from this commit on.
    pub stage: Stage,
    /// The commit.
    pub commit: CommitRef,
    /// Whether this is the technology's first appearance in the file's first
    /// version (any stage is accepted as a starting point), or a step the
    /// agreement of its commit's parent did not judge (before its `[history]
    /// since`).
    pub baseline: bool,
    /// The rules the agreement of the commit's parent had turned off
    /// (SPEC §9.1): a step made while `maturity-pipeline` was off is not
    /// judged by it.
    pub off: Vec<crate::diagnostic::RuleId>,
}

/// The technologies as HEAD holds them, for the files being checked (the
/// work tree or the index): a stage in those files is a step from HEAD's,
/// judged before it is committed. One tree lookup, no history: it is filled
/// under `--no-history` and in the editor too.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadStages {
    /// Each technology at HEAD by name, with its stage (`None`: not readable).
    pub stages: BTreeMap<String, Option<Stage>>,
    /// The roadmap files at HEAD: a technology new in one of them starts at
    /// `assess` (a file new since HEAD may start a technology anywhere).
    pub paths: std::collections::BTreeSet<String>,
}

/// Everything the history rules and the report need.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Commits looked at.
    pub commits_scanned: usize,
    /// Classified commits per quarter.
    pub counts: BTreeMap<Quarter, ClassCounts>,
    /// Scope changes to locked quarters, newest first.
    pub locked_changes: Vec<LockedChange>,
    /// Technology stage changes, newest first.
    pub tech_changes: Vec<TechChange>,
    /// Changes to the agreement itself, newest first.
    pub policy_changes: Vec<PolicyChange>,
    /// Every commit that added, changed or removed a `[[waiver]]`, oldest
    /// first, with its sign-off: a waiver of a gate rule or of a commit is
    /// a change of the agreement, and takes effect only from a signed
    /// commit (SPEC §9.2).
    pub waiver_changes: Vec<WaiverChange>,
    /// Whether `waiver_changes` covers the whole history (no `--since`, not
    /// a hook): a waiver no commit added is then not committed yet.
    pub waivers_complete: bool,
    /// The `commit` values of commit waivers (lower case, as written) that
    /// name a commit of the scanned history.
    pub waived_commits: std::collections::BTreeSet<String>,
    /// Stage steps per technology, oldest first.
    pub stage_steps: BTreeMap<String, Vec<StageStep>>,
    /// The first second scanned (`--since` or `[history] since`): a quarter
    /// that starts before it was seen in part only.
    pub since: Option<i64>,
    /// The unit `effort` is measured in.
    pub measure: Measure,
    /// Effort of the classified commits per quarter, by class.
    pub effort: BTreeMap<Quarter, ClassEffort>,
    /// Commits per quarter left out because their author matches
    /// `ignore_authors`: counted nowhere else.
    pub ignored: BTreeMap<Quarter, usize>,
    /// Planning commits per quarter (they change only roadmap files, the
    /// configuration or approvals): counted in no class and no effort.
    pub planning: BTreeMap<Quarter, usize>,
    /// Effort of the counted commits linked to an item (by trailer or by
    /// its id in the subject), per quarter, in the configured measure.
    pub linked: BTreeMap<Quarter, f64>,
    /// When roadlint was adopted: the committer time (seconds) of the oldest
    /// commit reachable from the tip whose tree holds `roadlint.toml`.
    pub adopted: Option<i64>,
    /// Item trailers naming no item of today's roadmap: value → commits.
    pub unknown_items: BTreeMap<String, usize>,
    /// What the history shows for each item that has linked commits.
    pub items: BTreeMap<String, ItemActual>,
    /// Per `[[roadmap]]` (by name): the commits that count for it and its
    /// share of their effort (SPEC §9.8); empty for a single roadmap.
    pub roadmaps: BTreeMap<String, RoadmapActual>,
    /// The commits that count for no roadmap, when several are declared.
    pub unattributed: RoadmapActual,
}

/// What the history attributes to one roadmap: a commit that counts for
/// several is counted once in each, its effort split evenly among them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoadmapActual {
    /// Commits per quarter, by class.
    pub counts: BTreeMap<Quarter, ClassCounts>,
    /// This roadmap's share of their effort per quarter, by class.
    pub effort: BTreeMap<Quarter, ClassEffort>,
}

impl RoadmapActual {
    /// Count one commit of `class` in `quarter`, with `share` of its effort.
    pub fn add(&mut self, quarter: Quarter, class: Class, share: f64) {
        self.counts.entry(quarter).or_default().add(class, 1);
        self.effort.entry(quarter).or_default().add(class, share);
    }
}

impl Facts {
    /// The share of `quarter`'s counted effort linked to an item: `None`
    /// when it has no counted effort.
    pub fn coverage(&self, quarter: Quarter) -> Option<f64> {
        let e = self.effort.get(&quarter)?;
        let total = e.debt + e.feature + e.unclassified;
        (total > 0.0).then(|| self.linked.get(&quarter).copied().unwrap_or(0.0) / total)
    }

    /// Whether `quarter` starts before the scan did: seen in part only.
    pub fn partial(&self, quarter: Quarter, fiscal_year_start: u8) -> bool {
        self.since
            .is_some_and(|s| quarter.start(fiscal_year_start).unix_seconds() < s)
    }
}

/// One change to a quarter's scope.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ScopeChange {
    /// An item appeared.
    Added(String),
    /// An item disappeared.
    Removed(String),
    /// An item's effort changed.
    Effort(String, Option<f64>, Option<f64>),
    /// An item's kind changed.
    Kind(String, Option<Kind>, Option<Kind>),
    /// An item entered `status = "dropped"` (with its effort).
    Dropped(String, Option<f64>),
    /// An item left `status = "dropped"`.
    Restored(String),
    /// The capacity changed.
    Capacity(Option<f64>, Option<f64>),
    /// `locked` was removed (it was this date).
    LockRemoved(Date),
    /// `locked` moved later.
    LockMoved(Date, Date),
    /// The file now declares another quarter.
    Relabelled(Quarter),
    /// The quarter's file was deleted.
    Deleted,
}

impl ScopeChange {
    /// The item concerned, if the change is about one.
    pub fn item(&self) -> Option<&str> {
        match self {
            ScopeChange::Added(i)
            | ScopeChange::Removed(i)
            | ScopeChange::Effort(i, ..)
            | ScopeChange::Kind(i, ..)
            | ScopeChange::Dropped(i, _)
            | ScopeChange::Restored(i) => Some(i),
            _ => None,
        }
    }

    /// Whether the change is about the `locked` line.
    pub fn is_lock(&self) -> bool {
        matches!(
            self,
            ScopeChange::LockRemoved(_) | ScopeChange::LockMoved(..)
        )
    }
}

fn show_effort(v: &Option<f64>) -> String {
    v.map_or("none".into(), crate::units::weeks)
}

fn show_kind(v: &Option<Kind>) -> String {
    use crate::model::Keyword;
    v.map_or("none".into(), |k| k.as_str().to_string())
}

impl fmt::Display for ScopeChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeChange::Added(i) => write!(f, "adds `{i}`"),
            ScopeChange::Removed(i) => write!(f, "removes `{i}`"),
            ScopeChange::Effort(i, a, b) => write!(
                f,
                "changes the effort of `{i}` from {} to {}",
                show_effort(a),
                show_effort(b)
            ),
            ScopeChange::Kind(i, a, b) => write!(
                f,
                "changes the kind of `{i}` from {} to {}",
                show_kind(a),
                show_kind(b)
            ),
            ScopeChange::Dropped(i, None) => write!(f, "drops `{i}`"),
            ScopeChange::Dropped(i, Some(e)) => {
                write!(f, "drops `{i}` ({} weeks)", crate::units::weeks(*e))
            }
            ScopeChange::Restored(i) => write!(f, "takes `{i}` out of `dropped`"),
            ScopeChange::Capacity(a, b) => write!(
                f,
                "changes the capacity from {} to {}",
                show_effort(a),
                show_effort(b)
            ),
            ScopeChange::LockRemoved(_) => write!(f, "removes the lock"),
            ScopeChange::LockMoved(a, b) => write!(f, "moves the lock from {a} to {b}"),
            ScopeChange::Relabelled(q) => write!(f, "relabels the quarter as {q}"),
            ScopeChange::Deleted => write!(f, "deletes the quarter file"),
        }
    }
}

/// What the history scan must work out: the union of what the enabled rules
/// declare they need (`RuleInfo::needs`). A rule that needs nothing from
/// history runs under `--no-history` and in the editor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Commits classified per quarter (debt, feature, unclassified).
    pub classified_commits: bool,
    /// Scope changes to locked quarters, with their sign-off trailers.
    pub locked_scope_changes: bool,
    /// Every technology's stage steps across the technology files' history.
    pub stage_steps: bool,
    /// Technology stage changes, with their sign-off trailers.
    pub tech_changes: bool,
    /// The technologies' stages at HEAD, when the files checked are
    /// uncommitted (one tree read, no history walk).
    pub head_stages: bool,
    /// Changes to `roadlint.toml` and to gate waivers, with their sign-off.
    pub policy_changes: bool,
}

impl Needs {
    /// Needs no history at all: a plan or structural rule.
    pub const NOTHING: Needs = Needs {
        classified_commits: false,
        locked_scope_changes: false,
        stage_steps: false,
        tech_changes: false,
        head_stages: false,
        policy_changes: false,
    };
    /// Needs commits classified per quarter.
    pub const CLASSIFIED_COMMITS: Needs = Needs {
        classified_commits: true,
        ..Needs::NOTHING
    };
    /// Needs the scope changes to locked quarters.
    pub const LOCKED_SCOPE_CHANGES: Needs = Needs {
        locked_scope_changes: true,
        ..Needs::NOTHING
    };
    /// Needs the technology stage changes and their sign-offs.
    pub const TECH_CHANGES: Needs = Needs {
        tech_changes: true,
        ..Needs::NOTHING
    };
    /// Needs the technologies' stage steps.
    pub const STAGE_STEPS: Needs = Needs {
        stage_steps: true,
        ..Needs::NOTHING
    };
    /// Needs the changes to the agreement and their sign-offs.
    pub const POLICY_CHANGES: Needs = Needs {
        policy_changes: true,
        ..Needs::NOTHING
    };
    /// Needs HEAD's technology stages for uncommitted files.
    pub const HEAD_STAGES: Needs = Needs {
        head_stages: true,
        ..Needs::NOTHING
    };

    /// Both needs together.
    pub const fn and(self, other: Needs) -> Needs {
        Needs {
            classified_commits: self.classified_commits || other.classified_commits,
            locked_scope_changes: self.locked_scope_changes || other.locked_scope_changes,
            stage_steps: self.stage_steps || other.stage_steps,
            tech_changes: self.tech_changes || other.tech_changes,
            head_stages: self.head_stages || other.head_stages,
            policy_changes: self.policy_changes || other.policy_changes,
        }
    }

    /// Whether anything must be read from the history.
    pub const fn history(self) -> bool {
        self.classified_commits
            || self.locked_scope_changes
            || self.stage_steps
            || self.tech_changes
            || self.policy_changes
    }
}
