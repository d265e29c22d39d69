//! The report of a repository with several `[[roadmap]]`s (SPEC §9.8): one
//! section per roadmap (its plan and the commits attributed to it) and a
//! total (every commit once, the plans of all roadmaps summed), like the
//! portfolio of `report --merge`.
//!
//! A commit that counts for several roadmaps is counted once in each and
//! its effort split evenly among them, so the sections' effort adds up to
//! the total's less the `unattributed` row, and their commit counts may add
//! up to more than the total's.

use super::{share_json, weeks_json};
use crate::calendar::Quarter;
use crate::escape::escape_data;
use crate::facts::{ClassCounts, ClassEffort, Facts, RoadmapActual};
use crate::lint::Loaded;
use crate::model::Kind;
use crate::rules::debt_share;
use crate::settings::Config;
use crate::units::{percent, weeks};
use serde::Serialize;
use std::fmt::Write;

/// One roadmap's section: its quarters, plan and attributed actuals.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RoadmapSection {
    /// The roadmap's name (`unattributed` for the commits of none).
    pub name: String,
    /// The report's quarters, oldest first.
    pub quarters: Vec<RoadmapQuarter>,
}

/// One quarter of one roadmap.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RoadmapQuarter {
    /// `2026-Q1`.
    pub quarter: String,
    /// Engineer-weeks available (null: the roadmap does not plan it).
    #[serde(serialize_with = "weeks_json")]
    pub capacity: Option<f64>,
    /// Effort of its items not dropped (null: not planned).
    #[serde(serialize_with = "weeks_json")]
    pub planned_effort: Option<f64>,
    /// Planned debt share.
    #[serde(serialize_with = "share_json")]
    pub planned_debt_share: Option<f64>,
    /// Commits that count for it, by class.
    pub commits: ClassCounts,
    /// Its share of their effort, by class, in the report's measure.
    pub effort: ClassEffort,
    /// debt / (debt + feature) effort.
    #[serde(serialize_with = "share_json")]
    pub actual_debt_share: Option<f64>,
}

/// A roadmap's plan for each quarter: (capacity, planned effort, planned
/// debt) summed over its quarter files.
fn plan(
    loaded: &Loaded,
    config: &Config,
    name: Option<&str>,
    kinds: &[Kind],
    q: Quarter,
) -> Option<(f64, f64, f64)> {
    let mut found = None;
    for (f, fq) in loaded.roadmap.quarter_files() {
        let path = &loaded.sources.get(f.file).path;
        if fq != q || (name.is_some() && config.roadmap_of(path) != name) {
            continue;
        }
        let (debt, total) = debt_share::planned(f, kinds);
        let cap = f.capacity.as_ref().map_or(0.0, |c| c.value);
        let (c, t, d) = found.get_or_insert((0.0, 0.0, 0.0));
        *c += cap;
        *t += total;
        *d += debt;
    }
    found
}

fn section(
    name: &str,
    planned: &dyn Fn(Quarter) -> Option<(f64, f64, f64)>,
    actual: Option<&RoadmapActual>,
    quarters: &[Quarter],
) -> RoadmapSection {
    RoadmapSection {
        name: name.to_string(),
        quarters: quarters
            .iter()
            .map(|q| {
                let p = planned(*q);
                let effort = actual
                    .and_then(|a| a.effort.get(q).copied())
                    .unwrap_or_default();
                RoadmapQuarter {
                    quarter: q.to_string(),
                    capacity: p.map(|p| p.0),
                    planned_effort: p.map(|p| p.1),
                    planned_debt_share: p.and_then(|p| (p.1 > 0.0).then(|| p.2 / p.1)),
                    commits: actual
                        .and_then(|a| a.counts.get(q).copied())
                        .unwrap_or_default(),
                    effort,
                    actual_debt_share: effort.debt_share(),
                }
            })
            .collect(),
    }
}

/// One section per declared roadmap, then `unattributed` when history was
/// read; empty without `[[roadmap]]` entries.
pub(crate) fn sections(
    loaded: &Loaded,
    config: &Config,
    facts: Option<&Facts>,
    quarters: &[Quarter],
) -> Vec<RoadmapSection> {
    let kinds = debt_share::debt_kinds(config);
    let mut out: Vec<RoadmapSection> = config
        .roadmaps
        .iter()
        .map(|r| {
            let planned = |q| plan(loaded, config, Some(&r.name), &kinds, q);
            section(
                &r.name,
                &planned,
                facts.and_then(|f| f.roadmaps.get(&r.name)),
                quarters,
            )
        })
        .collect();
    if let (Some(f), false) = (facts, config.roadmaps.is_empty()) {
        out.push(section(
            "unattributed",
            &|_| None,
            Some(&f.unattributed),
            quarters,
        ));
    }
    out
}

/// The plan of every roadmap together, for the total's quarter row.
pub(crate) fn total_plan(loaded: &Loaded, config: &Config, q: Quarter) -> Option<(f64, f64, f64)> {
    plan(loaded, config, None, &debt_share::debt_kinds(config), q)
}

/// The sections as text under the report's table.
pub(crate) fn table(sections: &[RoadmapSection], out: &mut String) {
    for s in sections {
        let _ = writeln!(out, "\nroadmap {}", escape_data(&s.name));
        let _ = writeln!(
            out,
            "  {:<9} {:>8} {:>8} {:>9} {:>5} {:>7} {:>5} {:>11} {:>11}",
            "quarter",
            "capacity",
            "planned",
            "plan debt",
            "debt",
            "feature",
            "other",
            "effort",
            "actual debt"
        );
        for q in &s.quarters {
            let opt = |v: Option<f64>, f: fn(f64) -> String| v.map_or("—".to_string(), f);
            let e = q.effort;
            let _ = writeln!(
                out,
                "  {:<9} {:>8} {:>8} {:>9} {:>5} {:>7} {:>5} {:>11} {:>11}",
                escape_data(&q.quarter),
                opt(q.capacity, weeks),
                opt(q.planned_effort, weeks),
                opt(q.planned_debt_share, percent),
                q.commits.debt,
                q.commits.feature,
                q.commits.unclassified,
                weeks(e.debt + e.feature + e.unclassified),
                opt(q.actual_debt_share, percent),
            );
        }
    }
}
