//! `roadlint report --merge`: several repositories' JSON reports combined
//! into one portfolio view, per quarter, per repository and in total.
//!
//! Each repository's CI keeps its `report --format json`; [`Portfolio::merge`]
//! reads only the keys it sums (unknown keys are ignored, so newer reports
//! merge too) and refuses to mix reports whose numbers do not add up: a
//! different `version`, effort `measure` or fiscal year start. Sums are plain:
//! capacity and planned effort add up, the planned debt share is weighted by
//! planned effort, and the actual debt share comes from the summed effort,
//! never from averaging shares.

use super::{QuarterState, Repository, Thresholds};
use crate::calendar::Quarter;
use crate::escape::escape_data;
use crate::facts::{ClassCounts, ClassEffort, Measure};
use crate::units::{percent, weeks};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Why a report could not be merged: the file and what is wrong with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct MergeError {
    /// The report file, as given.
    pub file: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

/// The keys of a JSON report the merge reads.
#[derive(Deserialize)]
struct ReportIn {
    version: u32,
    measure: Measure,
    fiscal_year_start: u8,
    repository: Repository,
    quarters: Vec<QuarterIn>,
    #[serde(default)]
    diagnostics: Vec<DiagnosticIn>,
    #[serde(default)]
    thresholds: Option<Thresholds>,
}

/// One quarter of a JSON report, as the merge reads it.
#[derive(Deserialize)]
struct QuarterIn {
    quarter: String,
    capacity: Option<f64>,
    planned_effort: Option<f64>,
    planned_debt_share: Option<f64>,
    commits: ClassCounts,
    effort: ClassEffort,
    #[serde(default)]
    state: Option<QuarterState>,
    #[serde(default)]
    diagnostics: Vec<DiagnosticIn>,
}

/// A diagnostic, as the merge counts it.
#[derive(Deserialize)]
struct DiagnosticIn {
    severity: String,
}

/// Errors and warnings among `diags`.
fn breaches(diags: &[DiagnosticIn]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.severity == "error").count();
    (errors, diags.len() - errors)
}

/// Serialize a share rounded to four decimals, as the report does.
fn share_json<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => s.serialize_f64((x * 10_000.0).round() / 10_000.0),
        None => s.serialize_none(),
    }
}

/// Sums of one or more repositories' quarters.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    /// Engineer-weeks available (null: no quarter states one).
    pub capacity: Option<f64>,
    /// Planned engineer-weeks (null: no plan).
    pub planned_effort: Option<f64>,
    /// Planned debt share weighted by planned effort.
    #[serde(serialize_with = "share_json")]
    pub planned_debt_share: Option<f64>,
    /// Commits by class.
    pub commits: ClassCounts,
    /// Effort by class, in the portfolio's measure.
    pub effort: ClassEffort,
    /// debt / (debt + feature) of the summed effort.
    #[serde(serialize_with = "share_json")]
    pub actual_debt_share: Option<f64>,
    /// Error-level diagnostics.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Whether any of it is still in progress (its actual share provisional).
    pub in_progress: bool,
    /// Planned debt effort, to weight the planned share (not printed).
    #[serde(skip)]
    planned_debt: f64,
    /// Planned effort that has a planned share (not printed).
    #[serde(skip)]
    weighted_effort: f64,
}

impl Totals {
    /// Add one quarter of one repository.
    fn add(&mut self, q: &QuarterIn) {
        let plus = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => Some(x + y),
            (x, y) => x.or(y),
        };
        let finite = |v: Option<f64>| v.filter(|x| x.is_finite() && *x >= 0.0);
        self.capacity = plus(self.capacity, finite(q.capacity));
        let planned = finite(q.planned_effort);
        self.planned_effort = plus(self.planned_effort, planned);
        if let (Some(e), Some(s)) = (planned, finite(q.planned_debt_share)) {
            self.planned_debt += e * s;
            self.weighted_effort += e;
        }
        self.commits.debt += q.commits.debt;
        self.commits.feature += q.commits.feature;
        self.commits.unclassified += q.commits.unclassified;
        let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
        self.effort.debt += clean(q.effort.debt);
        self.effort.feature += clean(q.effort.feature);
        self.effort.unclassified += clean(q.effort.unclassified);
        let (e, w) = breaches(&q.diagnostics);
        self.errors += e;
        self.warnings += w;
        self.in_progress |= q.state == Some(QuarterState::InProgress);
    }

    /// Add another total (a repository's into the portfolio's).
    fn absorb(&mut self, o: &Totals) {
        let plus = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => Some(x + y),
            (x, y) => x.or(y),
        };
        self.capacity = plus(self.capacity, o.capacity);
        self.planned_effort = plus(self.planned_effort, o.planned_effort);
        self.planned_debt += o.planned_debt;
        self.weighted_effort += o.weighted_effort;
        self.commits.debt += o.commits.debt;
        self.commits.feature += o.commits.feature;
        self.commits.unclassified += o.commits.unclassified;
        self.effort.debt += o.effort.debt;
        self.effort.feature += o.effort.feature;
        self.effort.unclassified += o.effort.unclassified;
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.in_progress |= o.in_progress;
    }

    /// Work out the shares from the sums.
    fn finish(mut self) -> Totals {
        self.planned_debt_share =
            (self.weighted_effort > 0.0).then(|| self.planned_debt / self.weighted_effort);
        self.actual_debt_share = self.effort.debt_share();
        self
    }
}

/// One repository of the portfolio.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RepositoryRow {
    /// Name (the work tree's directory name).
    pub name: String,
    /// HEAD when the report was made.
    pub head: Option<String>,
    /// The report file it was read from.
    pub report: String,
    /// Its quarters summed.
    pub total: Totals,
}

/// One repository's share of a quarter.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RepositoryQuarter {
    /// Name of the repository.
    pub repository: String,
    /// Its numbers for the quarter.
    #[serde(flatten)]
    pub totals: Totals,
}

/// One quarter across the portfolio.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PortfolioQuarter {
    /// `2026-Q1`.
    pub quarter: String,
    /// Every repository's numbers summed.
    pub total: Totals,
    /// Each repository that reports the quarter, in input order.
    pub repositories: Vec<RepositoryQuarter>,
}

/// The portfolio: every repository's plan against what it did.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Portfolio {
    /// Format version (the reports').
    pub version: u32,
    /// The effort measure every report shares.
    pub measure: Measure,
    /// The fiscal year start every report shares.
    pub fiscal_year_start: u8,
    /// The repositories, in input order.
    pub repositories: Vec<RepositoryRow>,
    /// Quarters, oldest first.
    pub quarters: Vec<PortfolioQuarter>,
    /// Everything summed.
    pub total: Totals,
    /// The first report's limits, to draw against (each repository was
    /// judged by its own).
    pub thresholds: Option<Thresholds>,
}

/// What every report must share with the first, and the first's file.
struct Basis {
    version: u32,
    measure: Measure,
    fiscal_year_start: u8,
    file: String,
}

/// Read one report, refusing anything that is not one.
fn read(file: &str, text: &str) -> Result<ReportIn, MergeError> {
    let fail = |message: String, help: &str| MergeError {
        file: file.to_string(),
        message,
        help: help.to_string(),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        fail(
            format!("not JSON ({e})"),
            "give the files `roadlint report --format json` writes",
        )
    })?;
    if let Some(m) = value.get("error").and_then(|e| e.get("message")) {
        return Err(fail(
            format!(
                "is the report of a failed run: {}",
                escape_data(m.as_str().unwrap_or("?"))
            ),
            "fix that repository's run and make its report again",
        ));
    }
    let report: ReportIn = serde_json::from_value(value).map_err(|e| {
        fail(
            format!("not a roadlint JSON report ({e})"),
            "give the files `roadlint report --format json` writes (roadlint 0.x with `measure` and `fiscal_year_start`)",
        )
    })?;
    impossible(&report).map_or(Ok(report), |what| {
        Err(fail(
            format!("holds a number no report can: {what}"),
            "give the files `roadlint report --format json` writes, unedited",
        ))
    })
}

/// Largest effort (or capacity) a merged report may state: far above any
/// real one, low enough that sums over many reports stay finite.
const MAX_EFFORT: f64 = 1e12;
/// Largest commit count a merged report may state, so sums cannot overflow.
const MAX_COUNT: usize = u32::MAX as usize;

/// The first number of `r` a report cannot hold (SPEC §9.7): a negative,
/// non-finite or absurdly large effort, a share outside 0–1, an absurd
/// commit count; `None` when every number is possible.
fn impossible(r: &ReportIn) -> Option<String> {
    let effort = |v: f64| !(v.is_finite() && (0.0..=MAX_EFFORT).contains(&v));
    let share = |v: f64| !(v.is_finite() && (0.0..=1.0).contains(&v));
    if let Some(t) = &r.thresholds {
        for (name, v) in [
            ("thresholds.debt_share_min", t.debt_share_min),
            ("thresholds.debt_share_max", t.debt_share_max),
            ("thresholds.history_min", t.history_min),
            ("thresholds.max_drift", t.max_drift),
        ] {
            if share(v) {
                return Some(format!("{name} is {v}, a share outside 0–1"));
            }
        }
    }
    for q in &r.quarters {
        let at = |what: &str, v: String| Some(format!("{} {what} is {v}", escape_data(&q.quarter)));
        for (name, v) in [
            ("capacity", q.capacity),
            ("planned_effort", q.planned_effort),
        ] {
            if let Some(v) = v.filter(|v| effort(*v)) {
                return at(name, format!("{v}, not an effort (0 or more, finite)"));
            }
        }
        if let Some(v) = q.planned_debt_share.filter(|v| share(*v)) {
            return at("planned_debt_share", format!("{v}, a share outside 0–1"));
        }
        let e = &q.effort;
        for (name, v) in [
            ("effort.debt", e.debt),
            ("effort.feature", e.feature),
            ("effort.unclassified", e.unclassified),
        ] {
            if effort(v) {
                return at(name, format!("{v}, not an effort (0 or more, finite)"));
            }
        }
        let c = &q.commits;
        for (name, v) in [
            ("commits.debt", c.debt),
            ("commits.feature", c.feature),
            ("commits.unclassified", c.unclassified),
        ] {
            if v > MAX_COUNT {
                return at(name, format!("{v}, more commits than a history holds"));
            }
        }
    }
    None
}

impl Portfolio {
    /// Merge `reports` (file name, text), in order. The first report sets the
    /// version, measure and fiscal year start the others must share.
    pub fn merge<'a>(
        reports: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Portfolio, MergeError> {
        let mut basis: Option<Basis> = None;
        let mut thresholds = None;
        let mut repositories = Vec::new();
        let mut quarters: BTreeMap<Quarter, PortfolioQuarter> = BTreeMap::new();
        for (file, text) in reports {
            let r = read(file, text)?;
            let b = basis.get_or_insert_with(|| Basis {
                version: r.version,
                measure: r.measure,
                fiscal_year_start: r.fiscal_year_start,
                file: file.to_string(),
            });
            let refuse = |what: &str, here: String, there: String| MergeError {
                file: file.to_string(),
                message: format!(
                    "its {what} is {here}, but {} has {there}: their numbers do not add up",
                    b.file
                ),
                help: format!("make every report with the same {what}, then merge them"),
            };
            if r.version != b.version {
                return Err(refuse(
                    "version",
                    r.version.to_string(),
                    b.version.to_string(),
                ));
            }
            if r.measure != b.measure {
                let word = |m: Measure| match m {
                    Measure::AuthorDays => "author-days".to_string(),
                    Measure::Commits => "commits".to_string(),
                };
                return Err(refuse(
                    "measure ([history] measure)",
                    word(r.measure),
                    word(b.measure),
                ));
            }
            if r.fiscal_year_start != b.fiscal_year_start {
                return Err(refuse(
                    "fiscal_year_start",
                    r.fiscal_year_start.to_string(),
                    b.fiscal_year_start.to_string(),
                ));
            }
            if thresholds.is_none() {
                thresholds = r.thresholds.clone();
            }
            // names from a file are data: no control character passes on
            let name = escape_data(&r.repository.name).into_owned();
            let mut total = Totals::default();
            for q in &r.quarters {
                let quarter: Quarter = q.quarter.parse().map_err(|e| MergeError {
                    file: file.to_string(),
                    message: format!("not a roadlint JSON report ({e})"),
                    help: "give the files `roadlint report --format json` writes".into(),
                })?;
                let mut t = Totals::default();
                t.add(q);
                total.absorb(&t);
                let row = quarters.entry(quarter).or_insert_with(|| PortfolioQuarter {
                    quarter: quarter.to_string(),
                    total: Totals::default(),
                    repositories: Vec::new(),
                });
                row.total.absorb(&t);
                row.repositories.push(RepositoryQuarter {
                    repository: name.clone(),
                    totals: t.finish(),
                });
            }
            // diagnostics about no quarter (a KPI, a request) count in the
            // repository's total
            let (e, w) = breaches(&r.diagnostics);
            total.errors = total.errors.max(e);
            total.warnings = total.warnings.max(w);
            repositories.push(RepositoryRow {
                name,
                head: r.repository.head.map(|h| escape_data(&h).into_owned()),
                report: file.to_string(),
                total,
            });
        }
        let Some(b) = basis else {
            return Err(MergeError {
                file: "--merge".into(),
                message: "no report to merge".into(),
                help: "name one or more files written by `roadlint report --format json`".into(),
            });
        };
        let mut total = Totals::default();
        for r in &mut repositories {
            total.absorb(&r.total);
            r.total = std::mem::take(&mut r.total).finish();
        }
        Ok(Portfolio {
            version: b.version,
            measure: b.measure,
            fiscal_year_start: b.fiscal_year_start,
            repositories,
            quarters: quarters
                .into_values()
                .map(|mut q| {
                    q.total = std::mem::take(&mut q.total).finish();
                    q
                })
                .collect(),
            total: total.finish(),
            thresholds,
        })
    }

    /// The measure in words (`author-days`, `commits`).
    pub fn measure_word(&self) -> &'static str {
        match self.measure {
            Measure::AuthorDays => "author-days",
            Measure::Commits => "commits",
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }

    /// The portfolio as an aligned table: each quarter's total, then one
    /// indented line per repository; the repositories' totals at the end.
    pub fn table(&self) -> String {
        let header = [
            "quarter",
            "repository",
            "capacity",
            "planned",
            "plan debt",
            "actual debt",
            "effort",
            "breaches",
        ];
        let row = |q: &str, repo: &str, t: &Totals| -> [String; 8] {
            let opt = |v: Option<f64>, f: fn(f64) -> String| v.map_or("—".to_string(), f);
            let e = t.effort.debt + t.effort.feature + t.effort.unclassified;
            let actual = match t.actual_debt_share {
                Some(s) if t.in_progress => format!("{} (in progress)", percent(s)),
                s => opt(s, percent),
            };
            [
                escape_data(q).into_owned(),
                escape_data(repo).into_owned(),
                opt(t.capacity, weeks),
                opt(t.planned_effort, weeks),
                opt(t.planned_debt_share, percent),
                actual,
                weeks(e),
                match (t.errors, t.warnings) {
                    (0, 0) => "—".to_string(),
                    (e, 0) => format!("{e}E"),
                    (0, w) => format!("{w}W"),
                    (e, w) => format!("{e}E {w}W"),
                },
            ]
        };
        let mut rows: Vec<[String; 8]> = Vec::new();
        for q in &self.quarters {
            rows.push(row(&q.quarter, "all", &q.total));
            for r in &q.repositories {
                rows.push(row("", &r.repository, &r.totals));
            }
        }
        rows.push(row("total", "all", &self.total));
        for r in &self.repositories {
            rows.push(row("", &r.name, &r.total));
        }
        let mut widths = header.map(|h| h.chars().count());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r.iter()) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = " ".repeat(widths[i].saturating_sub(c.chars().count()));
                    if i < 2 || i == cells.len() - 1 {
                        format!("{c}{pad}")
                    } else {
                        format!("{pad}{c}")
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        let mut out = String::new();
        let _ = writeln!(out, "{}", line(&header.map(String::from)));
        for r in &rows {
            let _ = writeln!(out, "{}", line(r));
        }
        let _ = writeln!(
            out,
            "\n{} repositories · effort in {} · planned debt share weighted by planned effort; actual share from summed effort",
            self.repositories.len(),
            self.measure_word()
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str, fy: u8, quarters: &str) -> String {
        format!(
            r#"{{"version": 1, "measure": "author-days", "fiscal_year_start": {fy},
            "repository": {{"name": "{name}", "head": null}}, "quarters": [{quarters}],
            "diagnostics": [], "extra": "ignored"}}"#
        )
    }

    fn quarter(q: &str, cap: f64, planned: f64, share: f64, debt: f64, feat: f64) -> String {
        format!(
            r#"{{"quarter": "{q}", "capacity": {cap}, "planned_effort": {planned},
            "planned_debt_share": {share}, "commits": {{"debt": 1, "feature": 1, "unclassified": 0}},
            "effort": {{"debt": {debt}, "feature": {feat}, "unclassified": 1}},
            "state": "judged", "diagnostics": [{{"severity": "warning"}}]}}"#
        )
    }

    #[test]
    fn shares_are_weighted_and_summed_never_averaged() {
        let a = report("a", 1, &quarter("2026-Q1", 40.0, 30.0, 0.2, 10.0, 30.0));
        let b = report("b", 1, &quarter("2026-Q1", 10.0, 10.0, 0.6, 30.0, 10.0));
        let p = Portfolio::merge([("a.json", a.as_str()), ("b.json", b.as_str())]).expect("merges");
        let t = &p.quarters[0].total;
        assert_eq!(t.capacity, Some(50.0));
        assert_eq!(t.planned_effort, Some(40.0));
        // (30 × 0.2 + 10 × 0.6) / 40 = 0.3, not (0.2 + 0.6) / 2
        assert!((t.planned_debt_share.expect("share") - 0.3).abs() < 1e-9);
        // (10 + 30) / (40 + 40) = 0.5
        assert!((t.actual_debt_share.expect("share") - 0.5).abs() < 1e-9);
        assert_eq!(t.warnings, 2);
        assert_eq!(p.quarters[0].repositories.len(), 2);
        assert_eq!(p.total, *t);
        assert_eq!(p.repositories[1].name, "b");
    }

    #[test]
    fn mixed_reports_are_refused_naming_the_file() {
        let a = report("a", 1, "");
        let b = report("b", 4, "");
        let e = Portfolio::merge([("a.json", a.as_str()), ("b.json", b.as_str())])
            .expect_err("fiscal years differ");
        assert_eq!(e.file, "b.json");
        assert!(e.message.contains("fiscal_year_start is 4") && e.message.contains("a.json"));
        let c = a.replace("author-days", "commits");
        let e = Portfolio::merge([("a.json", a.as_str()), ("c.json", c.as_str())])
            .expect_err("measures differ");
        assert!(e.to_string().starts_with("c.json: its measure"), "{e}");
        let v = a.replace("\"version\": 1", "\"version\": 2");
        assert!(Portfolio::merge([("a.json", a.as_str()), ("v.json", v.as_str())]).is_err());
        for bad in [
            "",
            "[]",
            "{\"version\": 1}",
            "{\"version\": 1, \"error\": {\"message\": \"no roadmap\"}}",
        ] {
            let e = Portfolio::merge([("x.json", bad)]).expect_err(bad);
            assert_eq!(e.file, "x.json");
        }
    }
}
