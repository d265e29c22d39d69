//! What the history showed, in plain types the rules and the report read.
//!
//! The history scan (`history`) produces these and the rules judge them; the
//! types sit below both so that neither imports the other, and a caller that
//! knows the facts another way (the commit-msg hook, for the commit being
//! made) can hand them to the same rules.

use crate::calendar::Quarter;
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

pub use crate::units::Measure;

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

/// A commit that changed the scope of a locked quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct LockedChange {
    /// The quarter file's path.
    pub path: String,
    /// The commit.
    pub commit: CommitRef,
    /// What it changed.
    pub changes: Vec<ScopeChange>,
    /// The product sign-off trailer's value, if any.
    pub product: Option<String>,
    /// The tech sign-off trailer's value, if any.
    pub tech: Option<String>,
}

/// A technology's stage as of a commit.
#[derive(Clone, Debug, PartialEq)]
pub struct StageStep {
    /// The technology file's path.
    pub path: String,
    /// The stage from this commit on.
    pub stage: Stage,
    /// The commit.
    pub commit: CommitRef,
    /// Whether this is the technology's first appearance in the file's first
    /// version (any stage is accepted as a starting point).
    pub baseline: bool,
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
    /// Item trailers naming no item of today's roadmap: value → commits.
    pub unknown_items: BTreeMap<String, usize>,
    /// What the history shows for each item that has linked commits.
    pub items: BTreeMap<String, ItemActual>,
}

impl Facts {
    /// Whether `quarter` starts before the scan did: seen in part only.
    pub fn partial(&self, quarter: Quarter, fiscal_year_start: u8) -> bool {
        self.since
            .is_some_and(|s| quarter.start(fiscal_year_start).unix_seconds() < s)
    }
}

/// One change to a quarter's scope.
#[derive(Clone, Debug, PartialEq)]
pub enum ScopeChange {
    /// An item appeared.
    Added(String),
    /// An item disappeared.
    Removed(String),
    /// An item's effort changed.
    Effort(String, Option<f64>, Option<f64>),
    /// An item's kind changed.
    Kind(String, Option<Kind>, Option<Kind>),
}

impl ScopeChange {
    /// The item concerned.
    pub fn item(&self) -> &str {
        match self {
            ScopeChange::Added(i)
            | ScopeChange::Removed(i)
            | ScopeChange::Effort(i, ..)
            | ScopeChange::Kind(i, ..) => i,
        }
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
}

impl Needs {
    /// Needs no history at all: a plan or structural rule.
    pub const NOTHING: Needs = Needs {
        classified_commits: false,
        locked_scope_changes: false,
        stage_steps: false,
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
    /// Needs the technologies' stage steps.
    pub const STAGE_STEPS: Needs = Needs {
        stage_steps: true,
        ..Needs::NOTHING
    };

    /// Both needs together.
    pub const fn and(self, other: Needs) -> Needs {
        Needs {
            classified_commits: self.classified_commits || other.classified_commits,
            locked_scope_changes: self.locked_scope_changes || other.locked_scope_changes,
            stage_steps: self.stage_steps || other.stage_steps,
        }
    }

    /// Whether anything must be read from the history.
    pub const fn history(self) -> bool {
        self.classified_commits || self.locked_scope_changes || self.stage_steps
    }
}
