//! `report --format html`: one self-contained page (inline CSS and SVG, no
//! JavaScript, no network, no external fonts) that product and engineering
//! leaders can put on a screen together.
//!
//! The page shows a header with the run's totals, a stacked bar chart of
//! planned effort by kind against capacity, planned vs actual debt share with
//! the `history-debt-share` minimum drawn as a line, a table of quarters, a
//! table of breaches linking `file#Lline`, and requests, technologies and
//! waivers. Colors live in CSS custom properties ([`style.css`](STYLE)), so
//! light and dark mode (`prefers-color-scheme`) restyle the charts too.
//!
//! The markup is written with maud's `html!`, which escapes everything it
//! interpolates, so nothing has to remember to escape; repository text is
//! interpolated only as [`text::Repo`], which also makes control characters
//! and bidi overrides visible. The charts' numbers come from [`charts`], so
//! the template only places them. The explicit `"\n"`s keep the page source
//! readable line by line; the page renders the same without them.

mod breaches;
mod cards;
pub mod charts;
mod debt;
mod effort;
pub mod items;
pub mod portfolio;
mod quarters;
mod requests;
mod roadmaps;
mod technologies;
pub mod text;
mod waivers;

use super::{Dashboard, DiagnosticRow, QuarterRow, QuarterState, TechnologyRow};
use crate::diagnostic::Severity;
use crate::model::{Keyword, Kind, RequestStatus, Stage};
use crate::rules::{debt_share, history_debt_share};
use crate::units::{percent, weeks};
use breaches::*;
use cards::*;
use charts::{
    debt_chart, effort_chart, finite, DebtBar, DebtInput, DebtLimits, EffortBar, EffortInput,
    Frame, Rect, CHART_W,
};
use debt::*;
use effort::*;
use maud::{html, Markup, PreEscaped};
use quarters::*;
use requests::*;
use roadmaps::roadmaps_section;
use std::collections::{BTreeMap, BTreeSet};
use technologies::*;
use text::{code_spans, Num, Repo};
use waivers::*;

pub use text::file_href;

/// The page's stylesheet: a muted palette in CSS custom properties, swapped
/// for dark mode; charts are styled through classes so they follow too.
pub const STYLE: &str = include_str!("style.css");

/// Render the page.
pub fn render(d: &Dashboard) -> String {
    let errors = d.errors();
    let warnings = d.diagnostics.len() - errors;
    let page = html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                meta name="color-scheme" content="light dark"; "\n"
                meta name="generator" content={ "roadlint " (env!("CARGO_PKG_VERSION")) }; "\n"
                title { "Roadmap report · as of " (Repo(&d.today)) } "\n"
                // the stylesheet is the code's own text, not data
                style { "\n" (PreEscaped(STYLE)) } "\n"
            }
            "\n"
            body {
                "\n"
                main class="wrap" {
                    "\n"
                    (header(d, errors, warnings))
                    (cards(d))
                    (effort_section(d))
                    (debt_section(d))
                    (quarters_section(d))
                    (roadmaps_section(d))
                    (items::items_section(d))
                    (items::kpis_section(d))
                    (breaches_section(d, errors, warnings))
                    div class="grid3" {
                        "\n"
                        (requests_section(d))
                        (technologies_section(d))
                        (waivers_section(d))
                    }
                    "\n"
                    (footer(d))
                }
                "\n"
            }
            "\n"
        }
        "\n"
    };
    page.into_string()
}

/// `12,345`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An effort amount for reading: whole numbers grouped by thousands
/// (`1,617`), small ones to one decimal (`2.5`).
pub(crate) fn amount(n: f64) -> String {
    let rounded = n.round();
    if rounded >= 1000.0 && rounded.is_finite() {
        thousands(rounded as usize)
    } else {
        weeks(n)
    }
}

/// `1 error`, `2 errors`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Signed drift in percentage points.
fn points(x: f64) -> String {
    let p = (x * 100.0).round();
    if p == 0.0 {
        "±0 pts".to_string()
    } else {
        format!("{p:+.0} pts")
    }
}

/// Whether a diagnostic row is an error (anything else is a warning).
fn is_error(r: &DiagnosticRow) -> bool {
    r.severity == Severity::Error.as_str()
}

/// The worst severity among a quarter's diagnostics of `rule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Breach {
    /// At least one error.
    Error,
    /// Warnings only.
    Warning,
}

impl Breach {
    /// The worst breach of `rule` among `rows` (`None`: no breach).
    fn of(rows: &[DiagnosticRow], rule: &str) -> Option<Breach> {
        let mut worst = None;
        for r in rows.iter().filter(|r| r.rule == rule) {
            if is_error(r) {
                return Some(Breach::Error);
            }
            worst = Some(Breach::Warning);
        }
        worst
    }

    /// The CSS classes a breached bar or value adds.
    fn class(b: Option<Breach>) -> &'static str {
        match b {
            Some(Breach::Error) => " breach err",
            Some(Breach::Warning) => " breach",
            None => "",
        }
    }
}

/// A note in place of a section's content.
pub(crate) fn empty_state(text: &str) -> Markup {
    html! { p class="empty" { (text) } "\n" }
}

/// `<span class="nil">—</span>`: no value.
pub(crate) fn nil() -> Markup {
    html! { span class="nil" { "—" } }
}

fn header(d: &Dashboard, errors: usize, warnings: usize) -> Markup {
    let planned = d.quarters.iter().filter(|q| q.file.is_some()).count();
    let noun = if d.commits_scanned == 1 {
        "commit"
    } else {
        "commits"
    };
    html! {
        header class="top" {
            "\n"
            div {
                "\n"
                p class="eyebrow" { "roadlint · roadmap report" } "\n"
                h1 { "Plan vs. actual" } "\n"
                p class="meta" {
                    "As of " time datetime=(Repo(&d.today)) { (Repo(&d.today)) } " "
                    span class="dot" { "·" } " " (thousands(d.commits_scanned)) " " (noun) " scanned "
                    span class="dot" { "·" } " " (plural(d.quarters.len(), "quarter")) " "
                    span class="dot" { "·" } " " (planned) " with a plan"
                }
                "\n"
            }
            "\n"
            div class="status" {
                "\n"
                @if errors == 0 && warnings == 0 {
                    span class="pill ok" id="summary-ok" { "No breaches" } "\n"
                } @else {
                    a class={ "pill " (if errors > 0 { "err" } else { "muted" }) }
                        href="#breaches" id="summary-errors" { (plural(errors, "error")) }
                    "\n"
                    a class={ "pill " (if warnings > 0 { "warn" } else { "muted" }) }
                        href="#breaches" id="summary-warnings" { (plural(warnings, "warning")) }
                    "\n"
                }
            }
            "\n"
        }
        "\n"
    }
}

/// One of the totals at the top.
pub(crate) fn card(label: &str, value: &str, sub: &str, class: &str) -> Markup {
    html! {
        div class={ "card " (class) } {
            div class="label" { (label) }
            div class="value" { (value) }
            div class="sub" { (sub) }
        }
        "\n"
    }
}

/// Horizontal grid lines with their labels, the value axis title and the
/// quarter labels below.
pub(crate) fn axes(f: &Frame, names: &[&str], y_title: &str) -> Markup {
    let p = &f.plot;
    html! {
        g class="grid" {
            @for t in &f.ticks {
                line x1=(Num(p.left)) x2=(Num(p.right)) y1=(Num(t.y)) y2=(Num(t.y))
                    class=[t.base.then_some("base")] {}
                text class="tick" x=(Num(t.label_x)) y=(Num(t.label_y)) text-anchor="end" {
                    (t.label)
                }
            }
        }
        "\n"
        text class="axis-title" transform={ "translate(16 " (Num(f.title_y)) ") rotate(-90)" }
            text-anchor="middle" { (y_title) }
        "\n"
        g class="xlabels" {
            @for l in &f.quarter_labels {
                @let q = names.get(l.index).copied().unwrap_or_default();
                text class="qlabel" x=(Num(l.x)) y=(Num(l.y)) text-anchor="middle" { (Repo(q)) }
            }
        }
        "\n"
    }
}

/// The opening of a chart: its `<svg>` with a title and a text summary for
/// screen readers, then `body`.
pub(crate) fn chart(
    id: &str,
    height: f64,
    label: &str,
    title: Markup,
    desc: Markup,
    body: Markup,
) -> Markup {
    html! {
        svg class="chart" id={ (id) "-chart" } viewBox={ "0 0 " (CHART_W) " " (height) }
            role="img" aria-labelledby={ (id) "-title " (id) "-desc" } aria-label=(label) {
            "\n"
            title id={ (id) "-title" } { (title) } "\n"
            desc id={ (id) "-desc" } { (desc) } "\n"
            (body)
        }
        "\n"
    }
}

/// A section with a heading and a hint beside it.
pub(crate) fn panel_head(title: &str, hint: Markup) -> Markup {
    html! {
        div class="panel-head" { h2 { (title) } p class="hint" { (hint) } } "\n"
    }
}

fn footer(d: &Dashboard) -> Markup {
    let t = &d.thresholds;
    html! {
        footer {
            "Thresholds from roadlint.toml: planned debt share "
            (percent(t.debt_share_min)) "–" (percent(t.debt_share_max))
            " of effort (" code { (debt_share::ID) } "); actual debt share at least "
            (percent(t.history_min)) ", drift at most "
            (format!("{:.0}", (t.max_drift * 100.0).round())) " pts, judged from "
            (t.min_commits) " classified commits (" code { (history_debt_share::ID) }
            "). Generated by roadlint " (env!("CARGO_PKG_VERSION")) " as of " (Repo(&d.today)) "."
        }
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escape::is_dangerous;
    use crate::facts::ClassCounts;
    use crate::report::{Requests, Thresholds, WaiverRow};

    /// A title no page may turn into markup or show with its bidi override.
    const HOSTILE: &str = "<img src=x onerror=alert(1)>\u{202E}evil";

    fn thresholds() -> Thresholds {
        Thresholds {
            debt_share_min: 0.2,
            debt_share_max: 0.4,
            history_min: 0.15,
            max_drift: 0.1,
            min_commits: 10,
            debt_kinds: vec!["debt".into(), "maintenance".into()],
        }
    }

    fn quarter(name: &str, file: Option<&str>) -> QuarterRow {
        QuarterRow {
            quarter: name.into(),
            capacity: file.map(|_| 40.0),
            planned_effort: file.map(|_| 38.0),
            planned_debt_share: file.map(|_| 0.25),
            commits: ClassCounts {
                debt: 3,
                feature: 9,
                unclassified: 2,
            },
            actual_debt_share: Some(0.25),
            drift: file.map(|_| 0.0),
            file: file.map(str::to_string),
            effort_by_kind: file
                .map(|_| BTreeMap::from([("feature".into(), 28.0), ("debt".into(), 10.0)]))
                .unwrap_or_default(),
            effort: crate::facts::ClassEffort {
                debt: 3.0,
                feature: 9.0,
                unclassified: 2.0,
            },
            ignored_commits: 0,
            planning_commits: 0,
            coverage: None,
            ended: true,
            judged: file.is_some(),
            partial: false,
            state: if file.is_some() {
                QuarterState::Judged
            } else {
                QuarterState::NoPlan
            },
            diagnostics: vec![],
        }
    }

    fn dashboard() -> Dashboard {
        Dashboard {
            version: 1,
            measure: crate::facts::Measure::AuthorDays,
            fiscal_year_start: 1,
            repository: crate::report::Repository::default(),
            all: false,
            items: vec![],
            kpis: vec![],
            unknown_items: Default::default(),
            today: "2026-11-23".into(),
            quarters: vec![
                quarter("2025-Q4", None),
                quarter("2026-Q1", Some("roadmap/2026-Q1.toml")),
            ],
            thresholds: thresholds(),
            requests: Requests::default(),
            technologies: vec![],
            roadmaps: vec![],
            waivers: vec![],
            diagnostics: vec![],
            commits_scanned: 12_345,
        }
    }

    /// A dashboard with `s` in every string the repository can set.
    fn hostile_everywhere(s: &str) -> Dashboard {
        let mut d = dashboard();
        let diag = DiagnosticRow {
            rule: s.into(),
            severity: "error".into(),
            message: format!("item `{s}` breaks {s}"),
            file: Some(s.into()),
            line: Some(3),
            quarter: Some(s.into()),
            commit: Some(s.into()),
        };
        d.today = s.into();
        for q in &mut d.quarters {
            q.quarter = s.into();
            q.file = q.file.as_ref().map(|_| s.into());
            q.effort_by_kind.insert(s.into(), 2.0);
            q.diagnostics = vec![diag.clone()];
        }
        d.thresholds.debt_kinds.push(s.into());
        d.items.push(crate::report::items::ItemRow {
            id: s.into(),
            quarter: Some(s.into()),
            kind: Some(s.into()),
            status: s.into(),
            effort: Some(2.0),
            commits: Some(1),
            author_days: Some(1.0),
            authors: Some(1),
            first_commit: Some(s.into()),
            last_commit: Some(s.into()),
            title: Some(s.into()),
            product_owner: Some(s.into()),
            tech_owner: Some(s.into()),
            kpis: vec![s.into()],
            contradictions: vec![crate::report::items::Contradiction::DoneWithoutCommits],
            file: s.into(),
            line: 4,
        });
        d.unknown_items.insert(s.into(), 2);
        d.kpis.push(crate::report::items::KpiRow {
            id: s.into(),
            description: Some(s.into()),
            kind: Some(s.into()),
            product_owner: Some(s.into()),
            tech_owner: Some(s.into()),
            items: vec![s.into()],
            file: s.into(),
            line: 5,
        });
        d.repository.name = s.into();
        d.diagnostics = vec![diag];
        d.requests.by_status.insert(s.into(), 1);
        d.requests.gaps.push(super::super::RequestGap {
            id: s.into(),
            customer: Some(s.into()),
            missing: vec![s.into()],
            file: s.into(),
            line: 1,
        });
        d.technologies.push(TechnologyRow {
            name: s.into(),
            stage: Some(s.into()),
            experiment: Some(s.into()),
        });
        d.waivers.push(WaiverRow {
            rule: Some(s.into()),
            quarter: Some(s.into()),
            reason: Some(s.into()),
            expires: Some(s.into()),
            expired: false,
            file: s.into(),
            line: 2,
        });
        d
    }

    #[test]
    fn hostile_text_is_escaped_and_its_bidi_control_visible() {
        let html = render(&hostile_everywhere(HOSTILE));
        assert!(!html.contains("<img"), "data became markup");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;\\u{202e}evil"));
        assert!(
            !html.chars().any(is_dangerous),
            "a control or bidi character reached the page"
        );
        // the only markup is the page's own: as many tags open as before
        let plain = render(&hostile_everywhere("plain"));
        assert_eq!(html.matches('<').count(), plain.matches('<').count());
    }

    #[test]
    fn every_control_character_is_made_visible() {
        for c in [
            '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{9b}', '\u{200f}', '\u{2066}', '\u{61c}',
        ] {
            let s = format!("a{c}b\"'&");
            let html = render(&hostile_everywhere(&s));
            assert!(!html.contains(c), "{c:?} reached the page raw");
            assert!(html.contains(&format!("a\\u{{{:x}}}b&quot;&#39;&amp;", c as u32)));
        }
    }

    #[test]
    fn kinds_stack_in_the_models_order_with_features_on_top() {
        let mut d = dashboard();
        d.quarters[1].effort_by_kind = Kind::ALL
            .iter()
            .map(|(w, _)| (w.to_string(), 1.0))
            .chain([("zeal".to_string(), 1.0)])
            .collect();
        let kinds = kinds_present(&d);
        let names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
        assert_eq!(
            names,
            [
                "debt",
                "maintenance",
                "platform",
                "research",
                "experiment",
                "feature",
                "zeal"
            ]
        );
        assert_eq!(kinds[0].class, "k-debt");
        assert_eq!(kinds[6].class, "k-other");
    }

    #[test]
    fn every_model_word_has_a_style() {
        for (w, _) in Kind::ALL {
            assert!(
                STYLE.contains(&format!(".k-{w}{{")),
                "no colour for kind {w}"
            );
        }
        for (w, _) in Stage::ALL {
            assert!(
                STYLE.contains(&format!(".stage-{w} h3")),
                "no colour for stage {w}"
            );
        }
    }

    #[test]
    fn sections_show_what_the_model_knows() {
        let mut d = dashboard();
        d.requests.by_status.insert("accepted".into(), 2);
        d.requests.by_status.insert("rejected".into(), 1);
        d.technologies.push(TechnologyRow {
            name: "vector-search".into(),
            stage: Some("trial".into()),
            experiment: None,
        });
        let html = render(&d);
        for (w, _) in Stage::ALL {
            assert!(html.contains(&format!("class=\"stage stage-{w}\"")), "{w}");
        }
        assert!(html.contains("<b>0</b><span>proposed</span>"));
        assert!(html.contains("<b>2</b><span>accepted</span>"));
        assert!(html.contains("<p class=\"sub\">also 1 rejected</p>"));
        assert!(html.contains("12,345 commits scanned"));
        assert!(html.starts_with("<!doctype html>\n") && html.ends_with("</html>\n"));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(points(0.004), "±0 pts");
        assert_eq!(points(-0.12), "-12 pts");
        assert_eq!(plural(1, "error"), "1 error");
    }
}
