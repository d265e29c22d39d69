//! The rules: one file each, one line each in the registry below.
//!
//! A rule never reads files or git. It receives the parsed roadmap, the
//! configuration and (for history rules) the history facts in a [`Context`] and
//! pushes diagnostics with spans. Its doc comment, captured by
//! [`declare_rule!`], is the text `roadlint explain` prints.

use crate::calendar::{Date, Quarter};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::facts::{Facts, HeadStages, Needs};
use crate::model::Roadmap;
use crate::settings::{Config, Level, ParamDecl, SettingsDecl};
use crate::source::Sources;

/// Declares a rule: its id, its place in the contract, what it needs, its
/// parameters and its check. The doc comment becomes the `explain` text.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub const RULE = {
            id: $id:literal,
            group: $group:ident,
            level: $level:ident,
            summary: $summary:literal,
            needs: $needs:expr,
            $(hooks: $hooks:literal,)?
            $(settings: $settings:ty,)?
            $(judged_quarters: $quarters:expr,)?
            check: $check:expr $(,)?
        };
    ) => {
        /// This rule's id.
        pub const ID: $crate::diagnostic::RuleId = $crate::diagnostic::RuleId::new($id);

        $(#[doc = $doc])*
        pub const RULE: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            id: ID,
            group: $crate::rules::RuleGroup::$group,
            default_level: $crate::settings::Level::$level,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            needs: $needs,
            runs_in_hooks: declare_rule!(@hooks $($hooks)?),
            settings: declare_rule!(@settings $($settings)?),
            judged_quarters: declare_rule!(@quarters $($quarters)?),
            check: $check,
        };
    };
    (@hooks) => { false };
    (@hooks $h:literal) => { $h };
    (@quarters) => { None };
    (@quarters $q:expr) => { Some($q) };
    (@settings) => { None };
    (@settings $s:ty) => { Some($crate::settings::SettingsDecl::of::<$s>()) };
}

pub mod capacity;
pub mod dangling_reference;
pub mod debt_share;
pub mod dependency_cycle;
pub mod dual_ownership;
pub mod duplicate_id;
pub mod experiment_expiry;
pub mod experiment_guardrails;
pub mod history_debt_share;
pub mod kpi_balance;
pub mod kpi_link;
pub mod locked_scope;
pub mod maturity_pipeline;
pub mod parse;
pub mod policy_signoff;
pub mod request_fields;
pub mod research_timebox;
pub mod schema;
pub mod technology_signoff;
pub mod waiver;

#[cfg(test)]
pub(crate) mod tester;

/// The quarters a history rule may judge in `roadmap` as of a day, with
/// history read from a second on (`since`).
pub type JudgedQuarters = fn(&Config, &Roadmap, Date, Option<i64>) -> Vec<Quarter>;

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

/// Everything roadlint knows about a rule, declared in the rule's own file:
/// what `rules`, `explain`, the config reader, `init`, the schema and the
/// history scan ask of it.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    /// Kebab-case id.
    pub id: RuleId,
    /// Structural, plan or history.
    pub group: RuleGroup,
    /// Level when `roadlint.toml` says nothing.
    pub default_level: Level,
    /// One line.
    pub summary: &'static str,
    /// The rule's doc comment: what it checks, why, bad and good examples.
    pub doc: &'static str,
    /// What the rule needs from the history ([`Needs::NOTHING`] for a plan rule).
    pub needs: Needs,
    /// Whether it judges a single commit's sign-off, so that the
    /// commit-msg and reference-transaction hooks run it.
    pub runs_in_hooks: bool,
    /// Its settings in `[rules]` besides `level`, when it has any.
    pub settings: Option<SettingsDecl>,
    /// For a rule that judges commits by quarter: the quarters it may judge,
    /// so that the history scan classifies only those.
    pub judged_quarters: Option<JudgedQuarters>,
    /// The check, if the rule has one (`parse` and `schema` are reported by
    /// the model itself).
    pub check: Option<fn(&Context<'_>, &mut Vec<Diagnostic>)>,
}

impl RuleInfo {
    /// The explanation with the doc comment's leading spaces removed, and
    /// the parameters with their defaults, generated from their declaration.
    pub fn explanation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        if !self.params().is_empty() {
            out.push_str("\n## Settings\n");
            for p in self.params() {
                out.push_str(&format!(
                    "- `{}` ({}; default `{}`): {}\n",
                    p.name,
                    p.kind.expected(),
                    p.default.to_toml(),
                    p.doc
                ));
            }
        }
        out
    }

    /// Its parameters in `[rules]`, besides `level`.
    pub fn params(&self) -> &'static [ParamDecl] {
        self.settings.map_or(&[], |s| s.params)
    }

    /// Whether the rule reads the history.
    pub fn needs_history(&self) -> bool {
        self.needs.history()
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
    experiment_expiry::RULE,
    kpi_balance::RULE,
    maturity_pipeline::RULE,
    waiver::RULE,
    history_debt_share::RULE,
    locked_scope::RULE,
    technology_signoff::RULE,
    policy_signoff::RULE,
];

/// Every rule, in the order `roadlint rules` lists them.
pub fn registry() -> &'static [RuleInfo] {
    REGISTRY
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    REGISTRY.iter().find(|r| r.id == id)
}

/// What the history scan must compute for the rules `config` enables (and,
/// when given, `only` selects).
pub fn needs(config: &Config, only: Option<&[RuleId]>) -> Needs {
    REGISTRY
        .iter()
        .filter(|r| config.enabled(r.id) && selected(r, only))
        .fold(Needs::NOTHING, |n, r| n.and(r.needs))
}

/// The rules the hooks run: those that judge a single commit's sign-off.
pub fn hook_rules() -> Vec<RuleId> {
    REGISTRY
        .iter()
        .filter(|r| r.runs_in_hooks)
        .map(|r| r.id)
        .collect()
}

/// The quarters whose commits the enabled rules may judge, in order.
pub fn judged_quarters(
    config: &Config,
    roadmap: &Roadmap,
    today: Date,
    since: Option<i64>,
) -> Vec<Quarter> {
    let mut quarters: Vec<Quarter> = REGISTRY
        .iter()
        .filter(|r| config.enabled(r.id))
        .filter_map(|r| r.judged_quarters)
        .flat_map(|pick| pick(config, roadmap, today, since))
        .collect();
    quarters.sort();
    quarters.dedup();
    quarters
}

/// Whether `only` selects `rule`: structural rules always run.
fn selected(rule: &RuleInfo, only: Option<&[RuleId]>) -> bool {
    rule.group == RuleGroup::Structural || only.is_none_or(|o| o.contains(&rule.id))
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
    /// When set, only these rules run (the commit-msg hook runs only the
    /// sign-off rules).
    pub only: Option<&'a [RuleId]>,
    /// What the history showed, when history rules run.
    pub history: Option<&'a Facts>,
    /// The technologies at HEAD, when the roadmap was read from the work
    /// tree or the index (filled without history too).
    pub head: Option<&'a HeadStages>,
}

impl Context<'_> {
    /// Whether `rule` runs in this context: enabled, and selected.
    pub fn runs(&self, rule: RuleId) -> bool {
        self.config.enabled(rule) && find(rule.as_str()).is_none_or(|r| selected(r, self.only))
    }

    /// The roadmap file at `path` (repository-relative), if it is part of today's roadmap.
    pub fn file_at(&self, path: &str) -> Option<&crate::model::RoadmapFile> {
        self.roadmap
            .files
            .iter()
            .find(|f| self.sources.get(f.file).path == path)
    }
}

/// Run every enabled plan rule over the roadmap.
pub fn check_plan(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for rule in REGISTRY {
        if !ctx.runs(rule.id) {
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
    fn rule_ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in registry() {
            assert!(seen.insert(r.id), "{} registered twice", r.id);
            assert!(
                r.id.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
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
    fn the_readme_rules_table_lists_exactly_the_registered_rules() {
        let readme = include_str!("../../README.md");
        let table = &readme[readme.find("\n## Rules\n").expect("a Rules section")..];
        let listed: Vec<&str> = table
            .lines()
            .skip_while(|l| !l.starts_with("| rule |"))
            .skip(2)
            .take_while(|l| l.starts_with("| `"))
            .filter_map(|l| l.split('`').nth(1))
            .collect();
        let registered: Vec<&str> = registry().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(listed, registered, "README's rules table vs the registry");
    }

    #[test]
    fn the_hooks_run_exactly_the_rules_that_judge_single_commits() {
        let hooks = hook_rules();
        assert!(!hooks.is_empty());
        for id in &hooks {
            let rule = find(id.as_str()).expect("registered");
            assert_eq!(rule.group, RuleGroup::History, "{id}");
            assert!(rule.needs.history(), "{id}");
        }
    }
}
