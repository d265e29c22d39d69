//! `roadlint report`: the shared plan-vs-actual view, per quarter.
//!
//! [`Dashboard::build`] gathers the numbers once (from the parsed roadmap, the
//! history facts and the diagnostics of the same run); each format only lays
//! them out: [`json`], [`table`], [`html`].

pub mod html;
pub mod items;
pub mod json;
pub mod portfolio;
pub mod roadmaps;
pub mod table;

use crate::calendar::{Date, Quarter};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{ClassCounts, ClassEffort, Facts, Measure};
use crate::lint::Loaded;
use crate::model::{Keyword, Kind};
use crate::rules::debt_share::{self, planned, planned_share};
use crate::rules::{history_debt_share, request_fields};
use crate::settings::RuleSettings;
use items::{ItemRow, KpiRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Serialize a whole number of weeks as an integer (`40`, not `40.0`).
pub(crate) fn weeks_json<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

/// Effort per kind, whole weeks as integers.
fn weeks_map_json<S: serde::Serializer>(
    m: &BTreeMap<String, f64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            map.serialize_entry(k, &(*v as i64))?;
        } else {
            map.serialize_entry(k, v)?;
        }
    }
    map.end()
}

/// Serialize a share rounded to four decimals (`0.3226`), enough for any
/// percentage a person reads and free of float noise.
pub(crate) fn share_json<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => s.serialize_f64((x * 10_000.0).round() / 10_000.0),
        None => s.serialize_none(),
    }
}

/// The limits the numbers are judged against, from the config.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Thresholds {
    /// `debt-share` minimum planned share.
    pub debt_share_min: f64,
    /// `debt-share` maximum planned share.
    pub debt_share_max: f64,
    /// `history-debt-share` minimum actual share.
    pub history_min: f64,
    /// `history-debt-share` largest allowed drift.
    pub max_drift: f64,
    /// Quarters with fewer classified commits are not judged.
    pub min_commits: u64,
    /// Item kinds counted as debt.
    pub debt_kinds: Vec<String>,
}

/// Where a quarter stands, as the report shows it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum QuarterState {
    /// Ended, planned, seen whole, enough commits: `history-debt-share`
    /// judges it.
    Judged,
    /// Not over yet: its actual share is provisional, never a breach.
    InProgress,
    /// Ended and planned, but too few classified commits to judge.
    TooFewCommits,
    /// The scan (`--since`, `[history] since`) saw only part of it.
    Partial,
    /// Ended without a roadmap file: commits only.
    NoPlan,
    /// Not started yet.
    Upcoming,
}

impl QuarterState {
    /// The state in words, as a reader sees it.
    pub fn text(self) -> &'static str {
        match self {
            QuarterState::Judged => "judged",
            QuarterState::InProgress => "in progress",
            QuarterState::TooFewCommits => "too few commits to judge",
            QuarterState::Partial => "partial",
            QuarterState::NoPlan => "no plan",
            QuarterState::Upcoming => "upcoming",
        }
    }

    /// The state of a quarter from what the report knows of it.
    fn of(q: &QuarterRow, started: bool) -> QuarterState {
        if q.judged {
            QuarterState::Judged
        } else if q.partial {
            QuarterState::Partial
        } else if !q.ended && started {
            QuarterState::InProgress
        } else if !q.ended {
            QuarterState::Upcoming
        } else if q.file.is_none() {
            QuarterState::NoPlan
        } else {
            QuarterState::TooFewCommits
        }
    }
}

/// The repository a report is about, so a portfolio can name it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Repository {
    /// The work tree's directory name.
    pub name: String,
    /// The full hex id of HEAD (null: no commit, or not a repository).
    pub head: Option<String>,
}

/// One quarter's row.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct QuarterRow {
    /// `2026-Q1`.
    pub quarter: String,
    /// Engineer-weeks available (null without a roadmap file).
    #[serde(serialize_with = "weeks_json")]
    pub capacity: Option<f64>,
    /// Effort of items not dropped (null without a roadmap file).
    #[serde(serialize_with = "weeks_json")]
    pub planned_effort: Option<f64>,
    /// Planned debt share (null without a roadmap file or effort).
    #[serde(serialize_with = "share_json")]
    pub planned_debt_share: Option<f64>,
    /// Commits by class.
    pub commits: ClassCounts,
    /// Effort by class, in the report's `measure`.
    pub effort: ClassEffort,
    /// Commits left out by `[history] ignore_authors`.
    pub ignored_commits: usize,
    /// Commits that change only the plan (roadmap files, configuration,
    /// approvals): counted in no class and no effort.
    pub planning_commits: usize,
    /// Share of the counted effort linked to an item (trailer or id in the
    /// subject); null when there is no counted effort.
    #[serde(serialize_with = "share_json")]
    pub coverage: Option<f64>,
    /// debt / (debt + feature) effort; null when there is none.
    #[serde(serialize_with = "share_json")]
    pub actual_debt_share: Option<f64>,
    /// actual − planned, when both exist.
    #[serde(serialize_with = "share_json")]
    pub drift: Option<f64>,
    /// The roadmap file planning the quarter.
    pub file: Option<String>,
    /// Planned effort by item kind (kinds with effort only).
    #[serde(serialize_with = "weeks_map_json")]
    pub effort_by_kind: BTreeMap<String, f64>,
    /// Whether the quarter has ended as of `today`.
    pub ended: bool,
    /// Whether `history-debt-share` judges it (ended, planned, seen whole,
    /// enough commits).
    pub judged: bool,
    /// Whether the scan (`--since`, `[history] since`) saw only part of it.
    pub partial: bool,
    /// Where the quarter stands (judged, in progress, too few commits …).
    pub state: QuarterState,
    /// Diagnostics about this quarter.
    pub diagnostics: Vec<DiagnosticRow>,
}

/// A diagnostic, flattened for the report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DiagnosticRow {
    /// Rule id.
    pub rule: String,
    /// `error` or `warning`.
    pub severity: String,
    /// Message.
    pub message: String,
    /// File, relative to the repository root.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// Quarter concerned.
    pub quarter: Option<String>,
    /// Commit concerned (full id).
    pub commit: Option<String>,
}

/// Requests by status, and the accepted ones that are incomplete.
#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct Requests {
    /// Count per status word.
    pub by_status: BTreeMap<String, usize>,
    /// Accepted or shipped requests missing required fields.
    pub gaps: Vec<RequestGap>,
}

/// An accepted request with missing fields.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RequestGap {
    /// Request id.
    pub id: String,
    /// Customer.
    pub customer: Option<String>,
    /// Fields missing or empty.
    pub missing: Vec<String>,
    /// File.
    pub file: String,
    /// Line.
    pub line: usize,
}

/// A technology and its stage.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TechnologyRow {
    /// Name.
    pub name: String,
    /// Stage word.
    pub stage: Option<String>,
    /// The experiment item trialling it.
    pub experiment: Option<String>,
}

/// A waiver and whether it still holds.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WaiverRow {
    /// Rule waived.
    pub rule: Option<String>,
    /// Quarter waived (null: everywhere).
    pub quarter: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Expiry date.
    pub expires: Option<String>,
    /// Whether it expired before today.
    pub expired: bool,
    /// File.
    pub file: String,
    /// Line.
    pub line: usize,
}

/// The whole report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Dashboard {
    /// Format version.
    pub version: u32,
    /// The unit of `effort` and of the actual debt share.
    pub measure: Measure,
    /// The month (1–12) that starts fiscal Q1: quarters of reports with
    /// different starts cannot be merged.
    pub fiscal_year_start: u8,
    /// The repository reported on.
    pub repository: Repository,
    /// The date the report is made as of.
    pub today: String,
    /// Whether every quarter with commits is shown (`--all`), not only the
    /// planned quarters and the four before the first.
    pub all: bool,
    /// Quarters, oldest first.
    pub quarters: Vec<QuarterRow>,
    /// Every item of the roadmap with what the history shows for it.
    pub items: Vec<ItemRow>,
    /// Every KPI with the items that serve it.
    pub kpis: Vec<KpiRow>,
    /// Item trailers naming no item of today's roadmap, with how many
    /// commits carry each: work that cannot be matched to the plan.
    pub unknown_items: BTreeMap<String, usize>,
    /// Limits from the config.
    pub thresholds: Thresholds,
    /// Customer requests.
    pub requests: Requests,
    /// Technologies by stage.
    pub technologies: Vec<TechnologyRow>,
    /// Waivers.
    pub waivers: Vec<WaiverRow>,
    /// Every diagnostic of the run (errors and warnings).
    pub diagnostics: Vec<DiagnosticRow>,
    /// Commits the history scan looked at.
    pub commits_scanned: usize,
    /// With `[[roadmap]]` entries: one section per roadmap and the
    /// `unattributed` commits; `quarters` is then the total (SPEC §9.8).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roadmaps: Vec<roadmaps::RoadmapSection>,
}

impl Dashboard {
    /// Gather the report from one run's roadmap, facts and diagnostics.
    pub fn build(
        loaded: &Loaded,
        config: &Config,
        facts: Option<&Facts>,
        diags: &[Diagnostic],
        today: Date,
        all: bool,
        repository: Repository,
    ) -> Dashboard {
        let fy = config.fiscal_year_start;
        let kinds = &debt_share::debt_kinds(config);
        let src = &loaded.sources;
        let line_of = |file: crate::source::FileId, span: crate::source::Span| {
            src.get(file).line_col(span.start).line
        };
        let place = |file: crate::source::FileId, span: crate::source::Span| {
            (src.get(file).path.clone(), line_of(file, span))
        };
        let measure = config.history.measure;
        let effort_of = |q: &Quarter| {
            facts
                .and_then(|f| f.effort.get(q).copied())
                .unwrap_or_default()
        };
        let rows: Vec<DiagnosticRow> = diags
            .iter()
            .map(|d| DiagnosticRow {
                rule: d.rule.to_string(),
                severity: d.severity.as_str().to_string(),
                message: d.message.clone(),
                file: d.file.map(|f| src.get(f).path.clone()),
                line: d.file.map(|f| line_of(f, d.span.unwrap_or_default())),
                quarter: d.quarter.clone(),
                commit: d.commit.as_ref().map(|c| c.id.clone()),
            })
            .collect();

        let quarters = window(loaded, facts, all);
        let order: Vec<Quarter> = quarters.iter().copied().collect();
        let sections = roadmaps::sections(loaded, config, facts, &order);
        let plan_rule = debt_share::Settings::of(config);
        let history_rule = history_debt_share::Settings::of(config);
        let min_commits = history_rule.min_commits.value;
        let quarters = quarters
            .into_iter()
            .map(|q| {
                let file = loaded
                    .roadmap
                    .quarter_files()
                    .find(|(_, fq)| *fq == q)
                    .map(|(f, _)| f);
                let commits = facts
                    .and_then(|f| f.counts.get(&q))
                    .copied()
                    .unwrap_or_default();
                let effort = effort_of(&q);
                let actual = effort.debt_share();
                let planned_share = file.and_then(|f| planned_share(f, kinds));
                let mut by_kind = BTreeMap::new();
                if let Some(f) = file {
                    for item in f.items.iter().filter(|i| !i.is_dropped()) {
                        if let (Some(k), Some(e)) = (item.kind(), item.effort.as_ref()) {
                            *by_kind.entry(k.as_str().to_string()).or_insert(0.0) += e.value;
                        }
                    }
                }
                let ended = q.end_exclusive(fy) <= today;
                let name = q.to_string();
                let mut row = QuarterRow {
                    quarter: name.clone(),
                    capacity: file.and_then(|f| f.capacity.as_ref().map(|c| c.value)),
                    planned_effort: file.map(|f| planned(f, kinds).1),
                    planned_debt_share: planned_share,
                    commits,
                    effort,
                    ignored_commits: facts
                        .and_then(|f| f.ignored.get(&q))
                        .copied()
                        .unwrap_or_default(),
                    planning_commits: facts
                        .and_then(|f| f.planning.get(&q))
                        .copied()
                        .unwrap_or_default(),
                    coverage: facts.and_then(|f| f.coverage(q)),
                    actual_debt_share: actual,
                    drift: actual.zip(planned_share).map(|(a, p)| a - p),
                    file: file.map(|f| src.get(f.file).path.clone()),
                    effort_by_kind: by_kind,
                    ended,
                    judged: facts.is_some_and(|f| {
                        history_debt_share::judges(config, today, q, file.is_some(), f)
                    }),
                    partial: facts.is_some_and(|f| f.partial(q, fy)),
                    state: QuarterState::Upcoming,
                    diagnostics: rows
                        .iter()
                        .filter(|r| r.quarter.as_deref() == Some(name.as_str()))
                        .cloned()
                        .collect(),
                };
                if !config.roadmaps.is_empty() {
                    // The total plans what every roadmap plans for the quarter.
                    let plan = roadmaps::total_plan(loaded, config, q);
                    row.capacity = plan.map(|p| p.0);
                    row.planned_effort = plan.map(|p| p.1);
                    row.planned_debt_share = plan.and_then(|p| (p.1 > 0.0).then(|| p.2 / p.1));
                    row.drift = actual.zip(row.planned_debt_share).map(|(a, p)| a - p);
                }
                row.state = QuarterState::of(&row, q.start(fy) <= today);
                row
            })
            .collect();

        let (requests, technologies, waivers) = plan_tables(loaded, config, today);
        Dashboard {
            version: 1,
            measure,
            fiscal_year_start: fy,
            repository,
            today: today.to_string(),
            all,
            quarters,
            items: items::items(&loaded.roadmap, facts, today, fy, &place),
            kpis: items::kpis(&loaded.roadmap, &place),
            unknown_items: facts.map(|f| f.unknown_items.clone()).unwrap_or_default(),
            thresholds: Thresholds {
                debt_share_min: plan_rule.min.value,
                debt_share_max: plan_rule.max.value,
                history_min: history_rule.min.value,
                max_drift: history_rule.max_drift.value,
                min_commits,
                debt_kinds: kinds
                    .iter()
                    .map(|k: &Kind| k.as_str().to_string())
                    .collect(),
            },
            requests,
            technologies,
            waivers,
            diagnostics: rows,
            commits_scanned: facts.map_or(0, |f| f.commits_scanned),
            roadmaps: sections,
        }
    }

    /// Number of error-level diagnostics.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error.as_str())
            .count()
    }
}

/// The quarters the report shows: the planned ones and, by default, the four
/// before the first (eleven years of history would drown them); with `all`,
/// every quarter with commits.
fn window(loaded: &Loaded, facts: Option<&Facts>, all: bool) -> BTreeSet<Quarter> {
    let planned_quarters: BTreeSet<Quarter> =
        loaded.roadmap.quarter_files().map(|(_, q)| q).collect();
    let mut quarters = planned_quarters.clone();
    if let Some(f) = facts {
        let before: Vec<Quarter> = planned_quarters
            .first()
            .map(|first| {
                std::iter::successors(Some(first.previous()), |q| Some(q.previous()))
                    .take(4)
                    .collect()
            })
            .unwrap_or_default();
        quarters.extend(
            f.counts
                .keys()
                .copied()
                .filter(|q| all || planned_quarters.is_empty() || before.contains(q)),
        );
    }
    quarters
}

/// The requests, technologies and waivers of the plan, as the report shows
/// them.
fn plan_tables(
    loaded: &Loaded,
    config: &Config,
    today: Date,
) -> (Requests, Vec<TechnologyRow>, Vec<WaiverRow>) {
    let src = &loaded.sources;
    let line_of = |file: crate::source::FileId, span: crate::source::Span| {
        src.get(file).line_col(span.start).line
    };
    let mut requests = Requests::default();
    for r in loaded.roadmap.requests() {
        let status = r.status.as_ref().map_or("unknown", |s| s.value.as_str());
        *requests.by_status.entry(status.to_string()).or_insert(0) += 1;
        {
            let missing: Vec<String> = request_fields::missing_fields(config, r)
                .into_iter()
                .map(|(field, _)| field)
                .collect();
            if !missing.is_empty() {
                requests.gaps.push(RequestGap {
                    id: r.id_str().to_string(),
                    customer: r.customer.as_ref().map(|c| c.value.clone()),
                    missing,
                    file: src.get(r.file).path.clone(),
                    line: line_of(r.file, r.name_span()),
                });
            }
        }
    }
    let technologies = loaded
        .roadmap
        .technologies()
        .map(|t| TechnologyRow {
            name: t.name.as_ref().map_or("?".into(), |n| n.value.clone()),
            stage: t.stage.as_ref().map(|s| s.value.as_str().to_string()),
            experiment: t.experiment.as_ref().map(|e| e.value.clone()),
        })
        .collect();
    let waivers = loaded
        .roadmap
        .waivers()
        .map(|w| WaiverRow {
            rule: w.rule.as_ref().map(|r| r.value.clone()),
            quarter: w.quarter.map(|q| q.to_string()),
            reason: w.reason.as_ref().map(|r| r.value.clone()),
            expires: w.expires.as_ref().map(|e| e.value.to_string()),
            expired: w.expires.as_ref().is_some_and(|e| e.value < today),
            file: src.get(w.file).path.clone(),
            line: line_of(w.file, w.span),
        })
        .collect();
    (requests, technologies, waivers)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quarter row with the given facts and no diagnostics.
    fn row(file: bool, ended: bool, judged: bool, partial: bool) -> QuarterRow {
        QuarterRow {
            quarter: "2026-Q1".into(),
            capacity: None,
            planned_effort: None,
            planned_debt_share: None,
            commits: ClassCounts::default(),
            effort: ClassEffort::default(),
            ignored_commits: 0,
            planning_commits: 0,
            coverage: None,
            actual_debt_share: None,
            drift: None,
            file: file.then(|| "roadmap/2026-Q1.toml".into()),
            effort_by_kind: BTreeMap::new(),
            ended,
            judged,
            partial,
            state: QuarterState::Upcoming,
            diagnostics: vec![],
        }
    }

    #[test]
    fn a_quarter_says_why_it_is_or_is_not_judged() {
        let cases = [
            (row(true, true, true, false), true, QuarterState::Judged),
            (
                row(true, true, false, false),
                true,
                QuarterState::TooFewCommits,
            ),
            (row(true, true, false, true), true, QuarterState::Partial),
            (row(false, true, false, false), true, QuarterState::NoPlan),
            (
                row(true, false, false, false),
                true,
                QuarterState::InProgress,
            ),
            (
                row(false, false, false, false),
                false,
                QuarterState::Upcoming,
            ),
        ];
        for (q, started, want) in cases {
            assert_eq!(QuarterState::of(&q, started), want, "{q:?}");
        }
        assert_eq!(
            QuarterState::TooFewCommits.text(),
            "too few commits to judge"
        );
    }
}
