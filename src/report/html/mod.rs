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

pub mod charts;
pub mod items;
pub mod portfolio;
pub mod text;

use super::{Dashboard, DiagnosticRow, QuarterRow, QuarterState, TechnologyRow};
use crate::diagnostic::Severity;
use crate::model::{Keyword, Kind, RequestStatus, Stage};
use crate::rules::{debt_share, history_debt_share};
use crate::units::{percent, weeks};
use charts::{
    debt_chart, effort_chart, finite, DebtBar, DebtInput, DebtLimits, EffortBar, EffortInput,
    Frame, Rect, CHART_W,
};
use maud::{html, Markup, PreEscaped};
use std::collections::{BTreeMap, BTreeSet};
use text::{code_spans, Num, Repo};

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

/// A kind of effort as the effort chart stacks it: its name and CSS class.
struct StackKind<'a> {
    /// The kind's word, as the report carries it.
    name: &'a str,
    /// `k-debt`, or `k-other` for a word the model does not know.
    class: String,
}

/// The kinds present in the report in stacking order: the model's kinds
/// with features last, so debt-like kinds sit at the base and the debt share
/// reads off the bottom of each bar; words the model does not know last.
fn kinds_present(d: &Dashboard) -> Vec<StackKind<'_>> {
    let seen: BTreeSet<&str> = d
        .quarters
        .iter()
        .flat_map(|q| q.effort_by_kind.keys().map(String::as_str))
        .collect();
    let mut known: Vec<(&'static str, Kind)> = Kind::ALL.to_vec();
    known.sort_by_key(|(_, k)| *k == Kind::Feature);
    let mut kinds: Vec<StackKind<'_>> = Vec::new();
    for (word, _) in known {
        if seen.contains(word) {
            kinds.push(StackKind {
                name: word,
                class: format!("k-{word}"),
            });
        }
    }
    for name in seen {
        if Kind::parse(name).is_none() {
            kinds.push(StackKind {
                name,
                class: "k-other".into(),
            });
        }
    }
    kinds
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

/// The window the cards sum, in words: `2025-Q1 – 2026-Q4`.
fn window_span(d: &Dashboard) -> String {
    match (d.quarters.first(), d.quarters.last()) {
        (Some(a), Some(b)) if a.quarter != b.quarter => format!("{} – {}", a.quarter, b.quarter),
        (Some(a), _) => a.quarter.clone(),
        _ => "no quarter".into(),
    }
}

fn cards(d: &Dashboard) -> Markup {
    let t = &d.thresholds;
    let (mut cap, mut eff) = (0.0, 0.0);
    for q in &d.quarters {
        if let (Some(c), Some(e)) = (q.capacity, q.planned_effort) {
            cap += finite(c);
            eff += finite(e);
        }
    }
    let (mut debt_eff, mut all_eff) = (0.0, 0.0);
    for q in d.quarters.iter().filter(|q| q.planned_effort.is_some()) {
        for (k, v) in &q.effort_by_kind {
            all_eff += finite(*v);
            if t.debt_kinds.iter().any(|dk| dk == k) {
                debt_eff += finite(*v);
            }
        }
    }
    // the actual share of the quarters that have ended: an unfinished
    // quarter's few commits would sway it
    let closed = d
        .quarters
        .iter()
        .filter(|q| q.state != QuarterState::InProgress && q.state != QuarterState::Upcoming);
    let (debt_a, feat_a) = closed.fold((0.0, 0.0), |(a, b), q| {
        (a + finite(q.effort.debt), b + finite(q.effort.feature))
    });
    let (errors, warnings) = d.quarters.iter().fold((0, 0), |(e, w), q| {
        let qe = q.diagnostics.iter().filter(|x| is_error(x)).count();
        (
            e + usize::from(qe > 0),
            w + usize::from(qe == 0 && !q.diagnostics.is_empty()),
        )
    });
    let breached = errors + warnings;
    let measure = super::table::measure_word(d);
    let capacity = if cap > 0.0 {
        let load = eff / cap;
        card(
            "Capacity planned",
            &percent(load),
            &format!("{} of {} engineer-weeks", weeks(eff), weeks(cap)),
            if load > 1.0 { "bad" } else { "" },
        )
    } else {
        card("Capacity planned", "—", "no quarter states a capacity", "")
    };
    let planned = if all_eff > 0.0 {
        let share = debt_eff / all_eff;
        let outside = share < t.debt_share_min || share > t.debt_share_max;
        card(
            "Planned debt share",
            &percent(share),
            &format!(
                "target {}–{} of effort",
                percent(t.debt_share_min),
                percent(t.debt_share_max)
            ),
            if outside { "bad" } else { "" },
        )
    } else {
        card("Planned debt share", "—", "no planned effort", "")
    };
    let actual = if debt_a + feat_a > 0.0 {
        let share = debt_a / (debt_a + feat_a);
        card(
            "Actual debt share",
            &percent(share),
            &format!(
                "of {} {measure} of debt + feature work in ended quarters · min {}",
                amount(debt_a + feat_a),
                percent(t.history_min)
            ),
            if share < t.history_min { "bad" } else { "" },
        )
    } else {
        card(
            "Actual debt share",
            "—",
            "no debt or feature work in an ended quarter",
            "",
        )
    };
    let worst = if errors > 0 {
        "bad"
    } else if warnings > 0 {
        "warn"
    } else {
        "good"
    };
    let scope = if d.all {
        "every quarter with commits (--all)"
    } else {
        "the planned quarters and the four before the first"
    };
    html! {
        p class="window" id="window" {
            "Totals for " b { (Repo(&window_span(d))) } ", "
            (plural(d.quarters.len(), "quarter")) ": " (scope) "."
        }
        "\n"
        section class="cards" aria-label="Totals for the quarters shown" {
            "\n"
            (capacity)
            (planned)
            (actual)
            (card(
                "Quarters with breaches",
                &breached.to_string(),
                &match (errors, warnings) {
                    (0, 0) => format!("of {}", plural(d.quarters.len(), "quarter")),
                    (0, w) => format!("of {} · warnings only in {w}", d.quarters.len()),
                    (e, 0) => format!("of {} · errors in {e}", d.quarters.len()),
                    (e, w) => format!("of {} · errors in {e}, warnings in {w}", d.quarters.len()),
                },
                worst,
            ))
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

fn effort_section(d: &Dashboard) -> Markup {
    let kinds = kinds_present(d);
    let over_somewhere = d
        .quarters
        .iter()
        .any(|q| q.capacity.zip(q.planned_effort).is_some_and(|(c, e)| e > c));
    let inputs: Vec<EffortInput> = d
        .quarters
        .iter()
        .map(|q| EffortInput {
            planned: q.file.is_some(),
            by_kind: kinds
                .iter()
                .map(|k| q.effort_by_kind.get(k.name).copied())
                .collect(),
            planned_effort: q.planned_effort,
            capacity: q.capacity,
        })
        .collect();
    let c = effort_chart(&inputs);
    let desc = html! {
        @for (i, q) in d.quarters.iter().enumerate() {
            @if i > 0 { "; " }
            (Repo(&q.quarter)) ": "
            @match (q.planned_effort, q.capacity) {
                (Some(e), Some(c)) => { (weeks(e)) " of " (weeks(c)) " weeks" }
                (Some(e), None) => { (weeks(e)) " weeks" }
                _ => { "no plan" }
            }
        }
    };
    let bars = html! {
        @for (i, (bar, q)) in c.bars.iter().zip(&d.quarters).enumerate() {
            g class="quarter" data-quarter=(Repo(&q.quarter)) {
                @match bar {
                    EffortBar::NoPlan { at } => {
                        @if let Some(at) = at {
                            text class="no-plan" x=(Num(at.x)) y=(Num(at.y)) text-anchor="middle" {
                                (at.text)
                            }
                        }
                        rect class="slot" x=(Num(c.frame.plot.center(i) - c.frame.plot.slot() / 2.0))
                            y=(Num(c.frame.plot.top)) width=(Num(c.frame.plot.slot()))
                            height=(Num(c.frame.plot.bottom - c.frame.plot.top)) {
                            title { (Repo(&q.quarter)) ": no plan" }
                        }
                    }
                    EffortBar::Stack { segments, cap, over, label } => {
                        @for s in segments {
                            @let kind = &kinds[s.kind];
                            rect class={ "seg " (kind.class) } x=(Num(s.x)) y=(Num(s.y))
                                width=(Num(s.width)) height=(Num(s.height)) {
                                title {
                                    (Repo(&q.quarter)) " · " (Repo(kind.name)) ": "
                                    (weeks(s.value)) " weeks"
                                }
                            }
                        }
                        @let over = if *over { " over" } else { "" };
                        @if let Some(cap) = cap {
                            line class={ "cap-line" (over) } x1=(Num(cap.x1)) x2=(Num(cap.x2))
                                y1=(Num(cap.y)) y2=(Num(cap.y)) {
                                title { (Repo(&q.quarter)) " capacity: " (weeks(cap.value)) " weeks" }
                            }
                        }
                        @if let Some(l) = label {
                            text class={ "bar-label" (over) } x=(Num(l.x)) y=(Num(l.y))
                                text-anchor="middle" { (l.text) }
                        }
                    }
                }
            }
            "\n"
        }
    };
    html! {
        section class="panel" id="effort" {
            "\n"
            (panel_head("Planned effort by kind", html! {
                "engineer-weeks per quarter against capacity"
            }))
            @if d.quarters.is_empty() {
                (empty_state("No quarters yet: add a roadmap file such as roadmap/2026-Q1.toml, or commits."))
            } @else {
                div class="legend" {
                    @for k in &kinds {
                        span { i class={ "sw " (k.class) } {} (Repo(k.name)) }
                    }
                    span { i class="sw-line cap" {} "capacity" }
                    @if over_somewhere {
                        span { i class="sw-line cap over" {} "over capacity" }
                    }
                }
                "\n"
                (chart(
                    "effort",
                    c.frame.height,
                    "Planned effort by kind per quarter",
                    html! { "Planned effort by kind per quarter" },
                    desc,
                    html! { (axes(&c.frame, &names(d), "engineer-weeks")) (bars) },
                ))
            }
        }
        "\n"
    }
}

fn debt_section(d: &Dashboard) -> Markup {
    let t = &d.thresholds;
    let hint = html! {
        "planned share of effort on "
        @for (i, k) in t.debt_kinds.iter().enumerate() {
            @if i > 0 { " + " }
            (Repo(k))
        }
        " · actual share of debt work among debt + feature work, in "
        (super::table::measure_word(d))
    };
    let head = panel_head(&debt_title(d), hint);
    if d.quarters.is_empty() {
        return html! {
            section class="panel" id="debt" {
                "\n" (head)
                (empty_state("No quarters yet: the plan and the history will appear here."))
            }
            "\n"
        };
    }
    // breaches of the plan or the history, for the quarters that show a bar
    let hits: Vec<Breach> = d
        .quarters
        .iter()
        .flat_map(|q| {
            [
                Breach::of(&q.diagnostics, debt_share::ID.as_str())
                    .filter(|_| q.planned_debt_share.is_some()),
                Breach::of(&q.diagnostics, history_debt_share::ID.as_str()).filter(|_| {
                    q.actual_debt_share.is_some() && q.state != QuarterState::InProgress
                }),
            ]
        })
        .flatten()
        .collect();
    let inputs: Vec<DebtInput> = d
        .quarters
        .iter()
        .map(|q| DebtInput {
            planned: q.planned_debt_share,
            actual: q.actual_debt_share,
            open: q.state == QuarterState::InProgress,
        })
        .collect();
    let c = debt_chart(
        &inputs,
        DebtLimits {
            planned_min: t.debt_share_min,
            planned_max: t.debt_share_max,
            actual_min: t.history_min,
        },
    );
    let range = format!(
        "{}–{}",
        percent(t.debt_share_min),
        percent(t.debt_share_max)
    );
    let desc = html! {
        @for (i, q) in d.quarters.iter().enumerate() {
            @if i > 0 { "; " }
            (Repo(&q.quarter)) ": planned "
            (q.planned_debt_share.map_or("none".into(), percent))
            ", actual "
            (q.actual_debt_share.map_or("none".into(), percent))
        }
    };
    let Rect {
        x,
        y,
        width,
        height,
    } = c.band;
    let band = html! {
        rect class="band" id="debt-band" x=(Num(x)) y=(Num(y)) width=(Num(width))
            height=(Num(height)) {
            title { "planned debt share range " (range) }
        }
        "\n"
    };
    let bars = html! {
        @for (pair, q) in c.pairs.iter().zip(&d.quarters) {
            g class="quarter" data-quarter=(Repo(&q.quarter)) {
                @for (bar, what, rule) in [
                    (&pair.planned, "planned", debt_share::ID.as_str()),
                    (&pair.actual, "actual", history_debt_share::ID.as_str()),
                ] {
                    @match bar {
                        DebtBar::None { at: Some(at) } => {
                            text class="none" x=(Num(at.x)) y=(Num(at.y)) text-anchor="middle" {
                                (at.text)
                            }
                        }
                        DebtBar::None { at: None } => {}
                        DebtBar::Bar { value, rect, label } => {
                            @let open = what == "actual" && q.state == QuarterState::InProgress;
                            @let hit = if open {
                                " open"
                            } else {
                                Breach::class(Breach::of(&q.diagnostics, rule))
                            };
                            rect class={ "bar " (what) (hit) } x=(Num(rect.x)) y=(Num(rect.y))
                                width=(Num(rect.width)) height=(Num(rect.height)) rx="2" {
                                title {
                                    (Repo(&q.quarter)) " " (what) " debt share: " (percent(*value))
                                    @if open { " (in progress, provisional)" }
                                    @if what == "actual" && q.state == QuarterState::TooFewCommits {
                                        " (too few commits to judge)"
                                    }
                                    @if what == "actual" && q.state == QuarterState::Partial {
                                        " (partial: the scan saw part of the quarter; not judged)"
                                    }
                                }
                            }
                            @if let Some(l) = label {
                                text class={ "val " (what) (hit) } x=(Num(l.x)) y=(Num(l.y))
                                    text-anchor="middle" { (l.text) }
                            }
                        }
                    }
                }
                @if let Some(n) = &pair.note {
                    text class="note-open" x=(Num(n.x)) y=(Num(n.y)) text-anchor="middle" {
                        (n.text)
                    }
                }
            }
            "\n"
        }
    };
    let th = &c.threshold;
    let any_open = d
        .quarters
        .iter()
        .any(|q| q.state == QuarterState::InProgress);
    let threshold = html! {
        g class="threshold" {
            line class="threshold-line" id="threshold-line" x1=(Num(th.x1)) x2=(Num(th.x2))
                y1=(Num(th.y)) y2=(Num(th.y)) {
                title { "history-debt-share minimum: " (percent(t.history_min)) }
            }
            text class="threshold-label" x=(Num(th.label.x)) y=(Num(th.label.y)) {
                (th.label.text)
            }
        }
        "\n"
    };
    html! {
        section class="panel" id="debt" {
            "\n"
            (head)
            div class="legend" {
                span { i class="sw planned" {} "planned" }
                span { i class="sw actual" {} "actual" }
                @if any_open {
                    span { i class="sw open" {} "in progress (provisional, *)" }
                }
                @if hits.contains(&Breach::Error) {
                    span { i class="sw breach err" {} "breach (error)" }
                }
                @if hits.contains(&Breach::Warning) {
                    span { i class="sw breach" {} "breach (warning)" }
                }
                span { i class="sw band" {} "planned range " (range) }
                span { i class="sw-line threshold" {} "actual minimum " (percent(t.history_min)) }
            }
            "\n"
            (chart(
                "debt",
                c.frame.height,
                "Planned vs actual debt share per quarter",
                html! {
                    "Planned vs actual debt share per quarter; actual minimum "
                    (percent(t.history_min))
                },
                desc,
                html! {
                    // the planned range band sits behind everything
                    (band)
                    (axes(&c.frame, &names(d), "debt share"))
                    (bars)
                    (threshold)
                },
            ))
        }
        "\n"
    }
}

/// The debt chart's title, naming the measure its actual bars are in.
fn debt_title(d: &Dashboard) -> String {
    format!("Debt share: plan vs. {}", super::table::measure_word(d))
}

/// A quarter's state in words and its CSS class, for the table.
fn quarter_state(q: &QuarterRow) -> (&'static str, &'static str) {
    let class = match q.state {
        QuarterState::Judged => "state-judged",
        QuarterState::InProgress => "state-open",
        QuarterState::Partial => "state-partial",
        _ => "state-muted",
    };
    (q.state.text(), class)
}

/// The quarters' names, for the axes.
fn names(d: &Dashboard) -> Vec<&str> {
    d.quarters.iter().map(|q| q.quarter.as_str()).collect()
}

/// A value in a table cell, marked with `class` (empty: unmarked).
fn marked(class: &str, value: &str) -> Markup {
    html! { span class=(class) { (value) } }
}

fn quarter_row(d: &Dashboard, q: &QuarterRow) -> Markup {
    let t = &d.thresholds;
    let errs = q.diagnostics.iter().filter(|x| is_error(x)).count();
    let warns = q.diagnostics.len() - errs;
    let row_class = if errs > 0 {
        Some("row-err")
    } else if warns > 0 {
        Some("row-warn")
    } else {
        None
    };
    let (state, state_class) = quarter_state(q);
    let load = match (q.planned_effort, q.capacity) {
        (Some(e), Some(c)) if c > 0.0 => {
            let l = e / c;
            Some(marked(if l > 1.0 { "bad" } else { "" }, &percent(l)))
        }
        _ => None,
    };
    let plan_debt = q.planned_debt_share.map(|s| {
        let bad = s < t.debt_share_min || s > t.debt_share_max;
        marked(if bad { "bad" } else { "" }, &percent(s))
    });
    let actual = q.actual_debt_share.map(|s| {
        let bad = q.judged && s < t.history_min;
        if q.state == QuarterState::InProgress {
            html! { span class="open" title="in progress: provisional, not judged" { (percent(s)) "*" } }
        } else {
            marked(if bad { "bad" } else { "" }, &percent(s))
        }
    });
    let drift = q
        .drift
        .filter(|_| q.state != QuarterState::InProgress)
        .map(|x| {
            let bad = q.judged && x.abs() > t.max_drift + 1e-9;
            marked(if bad { "warnc" } else { "" }, &points(x))
        });
    let or_nil = |m: Option<Markup>| m.unwrap_or_else(nil);
    html! {
        tr class=[row_class] {
            td {
                @if let Some(f) = &q.file {
                    a class="q" href=(file_href(f, None)) { (Repo(&q.quarter)) }
                    span class="file" { (Repo(f)) }
                } @else {
                    span class="q" { (Repo(&q.quarter)) }
                    span class="file" { "commits only" }
                }
            }
            td { span class={ "state " (state_class) } { (state) } }
            td class="num" { (or_nil(q.capacity.map(|c| html! { (weeks(c)) }))) }
            td class="num" { (or_nil(q.planned_effort.map(|e| html! { (weeks(e)) }))) }
            td class="num" { (or_nil(load)) }
            td class="num" { (or_nil(plan_debt)) }
            td class="num" { (or_nil(actual)) }
            td class="num" { (or_nil(drift)) }
            td class="num" { (thousands(q.commits.debt)) }
            td class="num" { (thousands(q.commits.feature)) }
            td class="num" { (thousands(q.commits.unclassified)) }
            td class="num" { (thousands(q.ignored_commits)) }
            td class="num" { (thousands(q.planning_commits)) }
            td class="num" { (or_nil(q.coverage.map(|c| html! { (percent(c)) }))) }
            td {
                @if errs > 0 {
                    span class="badge err" { (plural(errs, "error")) }
                }
                @if warns > 0 {
                    span class="badge warn" { (plural(warns, "warning")) }
                }
                @if errs + warns == 0 && q.state == QuarterState::Judged {
                    span class="badge ok" { "clean" }
                } @else if errs + warns == 0 {
                    span class="nil" { "—" }
                }
            }
        }
        "\n"
    }
}

fn quarters_section(d: &Dashboard) -> Markup {
    let t = &d.thresholds;
    html! {
        section class="panel" id="quarters" {
            "\n"
            (panel_head("Quarters", html! { "effort in engineer-weeks · commits by class" }))
            @if d.quarters.is_empty() {
                (empty_state("No quarters yet."))
            } @else {
                div class="scroll" {
                    table class="data" {
                        "\n"
                        thead {
                            tr {
                                th { "Quarter" } th { "Status" }
                                th class="num" { "Capacity" } th class="num" { "Planned" }
                                th class="num" { "Load" } th class="num" { "Plan debt" }
                                th class="num" { "Actual debt" } th class="num" { "Drift" }
                                th class="num" { "Debt" } th class="num" { "Feature" }
                                th class="num" { "Other" } th class="num" { "Ignored" }
                                th class="num" { "Planning" } th class="num" { "Coverage" }
                                th { "Breaches" }
                            }
                        }
                        "\n"
                        tbody {
                            "\n"
                            @for q in &d.quarters { (quarter_row(d, q)) }
                        }
                        "\n"
                    }
                }
                "\n"
                p class="foot" {
                    "* in progress: the actual share is provisional and never a breach. "
                    "Judged quarters have ended, have a plan and at least " (t.min_commits)
                    " classified commits. Drift beyond ±" (format!("{:.0}", (t.max_drift * 100.0).round()))
                    " pts or an actual share under " (percent(t.history_min)) " is a breach."
                }
                "\n"
                ul class="foot" {
                    @for note in super::table::column_notes(d) {
                        li { (Repo(&note)) }
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

fn breach_row(r: &DiagnosticRow) -> Markup {
    // the quarter as a tag, unless the message already names it
    let quarter = r.quarter.as_deref().filter(|q| !r.message.contains(q));
    html! {
        tr {
            td {
                @if is_error(r) {
                    span class="badge err" { "error" }
                } @else {
                    span class="badge warn" { "warning" }
                }
            }
            td { code class="rule" { (Repo(&r.rule)) } }
            td class="msg" {
                @if let Some(q) = quarter {
                    span class="qtag" { (Repo(q)) }
                }
                @for (is_code, run) in code_spans(&r.message) {
                    @if is_code {
                        code { (Repo(run)) }
                    } @else {
                        (Repo(run))
                    }
                }
            }
            td class="where" {
                @if let Some(f) = &r.file {
                    a class="loc" href=(file_href(f, r.line)) {
                        (Repo(f))
                        @if let Some(l) = r.line { ":" (l) }
                    }
                } @else {
                    (nil())
                }
                @if let Some(c) = &r.commit {
                    @let short: String = c.chars().take(10).collect();
                    span class="commit" title=(Repo(c)) { "commit " (Repo(&short)) }
                }
            }
        }
        "\n"
    }
}

fn breaches_section(d: &Dashboard, errors: usize, warnings: usize) -> Markup {
    let mut rows: Vec<&DiagnosticRow> = d.diagnostics.iter().collect();
    rows.sort_by_key(|r| !is_error(r));
    html! {
        section class="panel" id="breaches" {
            "\n"
            (panel_head("Breaches", html! {
                (plural(errors, "error")) " · " (plural(warnings, "warning"))
                " · run " code { "roadlint check" } " for the full diagnostics"
            }))
            @if rows.is_empty() {
                (empty_state("No breaches: the plan and the history keep every agreement."))
            } @else {
                div class="scroll" {
                    table class="data breaches" {
                        "\n"
                        thead {
                            tr { th { "Severity" } th { "Rule" } th { "Message" } th { "Where" } }
                        }
                        "\n"
                        tbody {
                            "\n"
                            @for r in rows { (breach_row(r)) }
                        }
                        "\n"
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

/// The request statuses along the pipeline, in the model's order (a
/// rejected request leaves the pipeline; it is counted under "also").
fn pipeline_statuses() -> impl Iterator<Item = &'static str> {
    RequestStatus::ALL
        .iter()
        .filter(|(_, s)| *s != RequestStatus::Rejected)
        .map(|(word, _)| *word)
}

fn requests_section(d: &Dashboard) -> Markup {
    let r = &d.requests;
    let others: Vec<(&String, &usize)> = r
        .by_status
        .iter()
        .filter(|(s, _)| !pipeline_statuses().any(|p| p == s.as_str()))
        .collect();
    html! {
        section class="panel small" id="requests" {
            "\n"
            h2 { "Customer requests" } "\n"
            @if r.by_status.is_empty() {
                (empty_state("No requests recorded."))
            } @else {
                div class="pipeline" {
                    @for (i, s) in pipeline_statuses().enumerate() {
                        @if i > 0 {
                            span class="arrow" aria-hidden="true" { "→" }
                        }
                        div class="stage-count" {
                            b { (r.by_status.get(s).copied().unwrap_or(0)) }
                            span { (s) }
                        }
                    }
                }
                "\n"
                @if !others.is_empty() {
                    p class="sub" {
                        "also "
                        @for (i, (s, n)) in others.iter().enumerate() {
                            @if i > 0 { ", " }
                            (n) " " (Repo(s))
                        }
                    }
                    "\n"
                }
                @if r.gaps.is_empty() {
                    p class="okline" { "Every accepted request is complete." } "\n"
                } @else {
                    h3 { (plural(r.gaps.len(), "accepted request")) " missing required fields" } "\n"
                    ul class="list" {
                        "\n"
                        @for g in &r.gaps {
                            li class="gap" {
                                a href=(file_href(&g.file, Some(g.line))) { b { (Repo(&g.id)) } }
                                @if let Some(c) = &g.customer {
                                    " " span class="muted" { (Repo(c)) }
                                }
                                " "
                                span class="missing" {
                                    "lacks "
                                    @for (i, m) in g.missing.iter().enumerate() {
                                        @if i > 0 { ", " }
                                        (Repo(m))
                                    }
                                }
                            }
                            "\n"
                        }
                    }
                    "\n"
                }
            }
        }
        "\n"
    }
}

fn technologies_section(d: &Dashboard) -> Markup {
    let mut by_stage: BTreeMap<&str, Vec<&TechnologyRow>> = BTreeMap::new();
    for t in &d.technologies {
        by_stage
            .entry(t.stage.as_deref().unwrap_or("unknown"))
            .or_default()
            .push(t);
    }
    // the model's stages in pipeline order, always shown; words it does not
    // know after them
    let mut order: Vec<(&str, &str)> = Stage::ALL.iter().map(|(word, _)| (*word, *word)).collect();
    order.extend(
        by_stage
            .keys()
            .filter(|k| Stage::parse(k).is_none())
            .map(|k| (*k, "other")),
    );
    html! {
        section class="panel small" id="technologies" {
            "\n"
            h2 { "Technology radar" } "\n"
            @if d.technologies.is_empty() {
                (empty_state("No technologies tracked."))
            } @else {
                div class="stages" {
                    "\n"
                    @for (stage, class) in order {
                        @let list = by_stage.get(stage).map(Vec::as_slice).unwrap_or_default();
                        div class={ "stage stage-" (class) } {
                            h3 { (Repo(stage)) " " span class="count" { (list.len()) } }
                            ul {
                                @for t in list {
                                    li {
                                        (Repo(&t.name))
                                        @if let Some(e) = &t.experiment {
                                            " " span class="muted" { (Repo(e)) }
                                        }
                                    }
                                }
                            }
                        }
                        "\n"
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

fn waivers_section(d: &Dashboard) -> Markup {
    html! {
        section class="panel small" id="waivers" {
            "\n"
            h2 { "Waivers" } "\n"
            @if d.waivers.is_empty() {
                (empty_state("No waivers: every rule applies everywhere."))
            } @else {
                ul class="list" {
                    "\n"
                    @for w in &d.waivers {
                        li class={ "waiver" (if w.expired { " expired" } else { "" }) } {
                            div {
                                code class="rule" { (Repo(w.rule.as_deref().unwrap_or("?"))) }
                                " "
                                span class="muted" {
                                    (Repo(w.quarter.as_deref().unwrap_or("everywhere")))
                                }
                                @if w.expired {
                                    span class="badge err" { "expired" }
                                } @else {
                                    span class="badge ok" { "active" }
                                }
                            }
                            div class="reason" {
                                (Repo(w.reason.as_deref().unwrap_or("no reason given")))
                            }
                            div class="sub" {
                                "expires "
                                (Repo(w.expires.as_deref().unwrap_or("never (no expiry set)")))
                                " · "
                                a href=(file_href(&w.file, Some(w.line))) {
                                    (Repo(&w.file)) ":" (w.line)
                                }
                            }
                        }
                        "\n"
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

fn footer(d: &Dashboard) -> Markup {
    let t = &d.thresholds;
    html! {
        footer {
            "Thresholds from roadlint.toml: planned debt share "
            (percent(t.debt_share_min)) "–" (percent(t.debt_share_max))
            " of effort (" code { "debt-share" } "); actual debt share at least "
            (percent(t.history_min)) ", drift at most "
            (format!("{:.0}", (t.max_drift * 100.0).round())) " pts, judged from "
            (t.min_commits) " classified commits (" code { "history-debt-share" }
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
