//! The rules: one file each, one line each in the registry below.
//!
//! A rule never reads files or git. It receives the parsed roadmap, the
//! configuration and (for history rules) the history facts in a [`Context`] and
//! pushes diagnostics with spans. Its doc comment, captured by
//! [`declare_rule!`], is the text `roadlint explain` prints.

use crate::calendar::Date;
use crate::config::{Config, Level};
use crate::diagnostic::Diagnostic;
use crate::model::Roadmap;
use crate::source::Sources;

/// Declares a rule: its doc comment becomes the `explain` text.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub const RULE = {
            id: $id:expr,
            group: $group:ident,
            level: $level:ident,
            summary: $summary:literal,
            check: $check:expr $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub const RULE: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            id: $id,
            group: $crate::rules::RuleGroup::$group,
            default_level: $crate::config::Level::$level,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

pub mod capacity;
pub mod dangling_reference;
pub mod debt_share;
pub mod dependency_cycle;
pub mod dual_ownership;
pub mod duplicate_id;
pub mod experiment_guardrails;
pub mod history_debt_share;
pub mod kpi_link;
pub mod locked_scope;
pub mod maturity_pipeline;
pub mod parse;
pub mod request_fields;
pub mod research_timebox;
pub mod schema;
pub mod waiver;

#[cfg(test)]
pub(crate) mod tester;

/// Every rule id, as constants so a typo is a compile error.
pub mod ids {
    /// Malformed TOML, unreadable or refused files.
    pub const PARSE: &str = "parse";
    /// Unknown keys, wrong types, bad values.
    pub const SCHEMA: &str = "schema";
    /// An id declared twice.
    pub const DUPLICATE_ID: &str = "duplicate-id";
    /// A reference to an id that does not exist.
    pub const DANGLING_REFERENCE: &str = "dangling-reference";
    /// Items that depend on each other in a circle.
    pub const DEPENDENCY_CYCLE: &str = "dependency-cycle";
    /// Planned debt share per quarter.
    pub const DEBT_SHARE: &str = "debt-share";
    /// Planned effort within capacity.
    pub const CAPACITY: &str = "capacity";
    /// Product and tech owner on every item.
    pub const DUAL_OWNERSHIP: &str = "dual-ownership";
    /// Features linked to co-owned KPIs.
    pub const KPI_LINK: &str = "kpi-link";
    /// Complete customer requests.
    pub const REQUEST_FIELDS: &str = "request-fields";
    /// Timeboxed research.
    pub const RESEARCH_TIMEBOX: &str = "research-timebox";
    /// Fenced experiments.
    pub const EXPERIMENT_GUARDRAILS: &str = "experiment-guardrails";
    /// Stepwise technology maturity.
    pub const MATURITY_PIPELINE: &str = "maturity-pipeline";
    /// Valid, unexpired waivers.
    pub const WAIVER: &str = "waiver";
    /// Planned vs actual debt share from commits.
    pub const HISTORY_DEBT_SHARE: &str = "history-debt-share";
    /// Signed-off changes to a locked quarter.
    pub const LOCKED_SCOPE: &str = "locked-scope";
    /// Problems in `roadlint.toml` (not a rule; always exit 2).
    pub const CONFIG: &str = "config";
    /// Notes about the history scan itself (skipped, truncated).
    pub const HISTORY: &str = "history";
}

/// Which part of the contract a rule enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleGroup {
    /// Always on, level error: the roadmap must be readable and consistent.
    Structural,
    /// Checks the plan as it stands.
    Plan,
    /// Checks the plan against the commit history.
    History,
}

impl RuleGroup {
    /// Lower-case name for listings.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleGroup::Structural => "structural",
            RuleGroup::Plan => "plan",
            RuleGroup::History => "history",
        }
    }
}

/// What a rule checks: everything `roadlint rules` and `explain` show, and the
/// function that checks the plan (history parts run in `history/`).
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    /// Kebab-case id.
    pub id: &'static str,
    /// Structural, plan or history.
    pub group: RuleGroup,
    /// Level when `roadlint.toml` says nothing.
    pub default_level: Level,
    /// One line.
    pub summary: &'static str,
    /// The rule's doc comment: what it checks, why, bad and good examples.
    pub doc: &'static str,
    /// The plan check, if the rule has one.
    pub check: Option<fn(&Context<'_>, &mut Vec<Diagnostic>)>,
}

impl RuleInfo {
    /// The explanation with the doc comment's leading spaces removed.
    pub fn explanation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

static REGISTRY: &[RuleInfo] = &[
    parse::RULE,
    schema::RULE,
    duplicate_id::RULE,
    dangling_reference::RULE,
    dependency_cycle::RULE,
    debt_share::RULE,
    capacity::RULE,
    dual_ownership::RULE,
    kpi_link::RULE,
    request_fields::RULE,
    research_timebox::RULE,
    experiment_guardrails::RULE,
    maturity_pipeline::RULE,
    waiver::RULE,
    history_debt_share::RULE,
    locked_scope::RULE,
];

/// Every rule, in the order `roadlint rules` lists them.
pub fn registry() -> &'static [RuleInfo] {
    REGISTRY
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    REGISTRY.iter().find(|r| r.id == id)
}

/// What a rule may look at.
pub struct Context<'a> {
    /// The parsed roadmap.
    pub roadmap: &'a Roadmap,
    /// The configuration in force.
    pub config: &'a Config,
    /// The date the check is made as of.
    pub today: Date,
    /// The text of every file (for rules that quote it).
    pub sources: &'a Sources,
    /// What the history showed, when history rules run.
    pub history: Option<&'a crate::history::Facts>,
}

impl Context<'_> {
    /// The roadmap file at `path` (repository-relative), if it is part of today's roadmap.
    pub fn file_at(&self, path: &str) -> Option<&crate::model::RoadmapFile> {
        self.roadmap
            .files
            .iter()
            .find(|f| self.sources.get(f.file).path == path)
    }
}

/// Format a share as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Format engineer-weeks without a needless `.0`.
pub fn weeks(n: f64) -> String {
    let n = n + 0.0; // an empty sum is -0.0: print it as 0
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

/// Run every enabled plan rule over the roadmap.
pub fn check_plan(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for rule in REGISTRY {
        if ctx.config.level(rule.id) == Level::Off {
            continue;
        }
        if let Some(check) = rule.check {
            check(ctx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_print_plainly() {
        assert_eq!(weeks(-0.0), "0");
        assert_eq!(weeks(40.0), "40");
        assert_eq!(weeks(2.5), "2.5");
        assert_eq!(weeks(std::iter::empty::<f64>().sum()), "0");
    }

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in registry() {
            assert!(seen.insert(r.id), "{} registered twice", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn every_rule_explains_what_why_and_examples() {
        for r in registry() {
            let text = r.explanation();
            for heading in ["## What it checks", "## Why", "## Example"] {
                assert!(text.contains(heading), "{} lacks `{heading}`", r.id);
            }
            assert!(!r.summary.is_empty());
        }
    }

    #[test]
    fn spec_rule_ids_are_all_registered() {
        for id in [
            "parse",
            "schema",
            "duplicate-id",
            "dangling-reference",
            "dependency-cycle",
            "debt-share",
            "capacity",
            "dual-ownership",
            "kpi-link",
            "request-fields",
            "research-timebox",
            "experiment-guardrails",
            "maturity-pipeline",
            "waiver",
            "history-debt-share",
            "locked-scope",
        ] {
            assert!(find(id).is_some(), "{id}");
        }
    }
}
