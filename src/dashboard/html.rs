//! `report --format html`: one self-contained page (inline CSS and SVG, no
//! JavaScript, no network, no external fonts) that product and engineering
//! leaders can put on a screen together.
//!
//! The page shows a header with the run's totals, a stacked bar chart of
//! planned effort by kind against capacity, planned vs actual debt share with
//! the `history-debt-share` minimum drawn as a line, a table of quarters, a
//! table of breaches linking `file#Lline`, and requests, technologies and
//! waivers. Colors live in CSS custom properties, so light and dark mode
//! (`prefers-color-scheme`) restyle the charts too. Every piece of text that
//! comes from the repository goes through [`escape`]: HTML-escaped, with
//! control characters and bidi overrides made visible.

use super::{Dashboard, DiagnosticRow, QuarterRow};
use crate::escape::is_dangerous;
use crate::units::{percent, weeks};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Append formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Item kinds in stacking order: debt-like kinds at the base, so the debt
/// share reads off the bottom of each bar; features on top.
const KINDS: [(&str, &str); 6] = [
    ("debt", "k-debt"),
    ("maintenance", "k-maintenance"),
    ("platform", "k-platform"),
    ("research", "k-research"),
    ("experiment", "k-experiment"),
    ("feature", "k-feature"),
];

/// Technology stages, in pipeline order.
const STAGES: [&str; 4] = ["assess", "trial", "adopt", "hold"];

/// Request statuses, in pipeline order.
const STATUSES: [&str; 4] = ["proposed", "accepted", "shipped", "rejected"];

/// Width of the charts' coordinate system (they scale to the page).
const CHART_W: f64 = 1080.0;

/// Render the page.
pub fn render(d: &Dashboard) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let errors = d.errors();
    let warnings = d
        .diagnostics
        .iter()
        .filter(|x| x.severity != "error")
        .count();
    w!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"roadlint {}\">\n\
         <title>Roadmap report · as of {}</title>\n<style>{}</style>\n</head>\n<body>\n<main class=\"wrap\">\n",
        env!("CARGO_PKG_VERSION"),
        escape(&d.today),
        CSS
    );
    header(&mut out, d, errors, warnings);
    cards(&mut out, d);
    effort_section(&mut out, d);
    debt_section(&mut out, d);
    quarters_section(&mut out, d);
    breaches_section(&mut out, d, errors, warnings);
    out.push_str("<div class=\"grid3\">\n");
    requests_section(&mut out, d);
    technologies_section(&mut out, d);
    waivers_section(&mut out, d);
    out.push_str("</div>\n");
    footer(&mut out, d);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Escape text for HTML (element content and quoted attributes alike).
///
/// `& < > " '` become entities; control characters (C0 except tab and
/// newline, DEL, C1) and bidi overrides become a visible `\u{…}`, so data can
/// neither inject markup nor hide or reorder what a reader sees.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if is_dangerous(c) => w!(out, "\\u{{{:x}}}", c as u32),
            c => out.push(c),
        }
    }
    out
}

/// A relative link to `file` at `line` (`./roadmap/2026-Q1.toml#L3`).
///
/// Every byte outside a small safe set is percent-encoded and the link always
/// starts with `./`, so a file name can never become a `javascript:` or other
/// absolute URL, nor break out of the attribute.
pub fn file_href(file: &str, line: Option<usize>) -> String {
    let mut out = String::from("./");
    for b in file.trim_start_matches('/').bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            w!(out, "%{b:02X}");
        }
    }
    if let Some(l) = line {
        w!(out, "#L{l}");
    }
    out
}

/// Turn `` `x` `` pairs of already-escaped text into `<code>x</code>` (an
/// unpaired backtick stays as it is).
fn code_spans(escaped: &str) -> String {
    let parts: Vec<&str> = escaped.split('`').collect();
    if parts.len() < 3 {
        return escaped.to_string();
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    let pairs = (parts.len() - 1) / 2;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let open = i % 2 == 1;
            if i <= pairs * 2 {
                out.push_str(if open { "<code>" } else { "</code>" });
            } else {
                out.push('`');
            }
        }
        out.push_str(part);
    }
    out
}

/// `12,345`.
fn thousands(n: usize) -> String {
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

/// `1 error`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
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

/// A finite, non-negative number or zero (charts never draw NaN or infinity).
fn finite(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// A "nice" axis step (1, 2, 2.5 or 5 times a power of ten) giving about
/// `target` ticks up to `max`.
fn nice_step(max: f64, target: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / target;
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let step = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 2.5 {
        2.5
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * mag
}

/// Axis label for a tick value (no `.0` on whole numbers).
fn tick_label(v: f64) -> String {
    if v.fract().abs() < 1e-9 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The worst severity among a quarter's diagnostics of the given rules
/// (`None`: no breach).
fn breach<'a>(rows: &'a [DiagnosticRow], rules: &[&str]) -> Option<&'a str> {
    let mut worst = None;
    for r in rows.iter().filter(|r| rules.contains(&r.rule.as_str())) {
        if r.severity == "error" {
            return Some("error");
        }
        worst = Some("warning");
    }
    worst
}

/// Total planned effort of a quarter's kinds (finite values only).
fn stacked_total(q: &QuarterRow) -> f64 {
    q.effort_by_kind.values().map(|v| finite(*v)).sum()
}

fn header(out: &mut String, d: &Dashboard, errors: usize, warnings: usize) {
    let planned = d.quarters.iter().filter(|q| q.file.is_some()).count();
    w!(
        out,
        "<header class=\"top\">\n<div>\n<p class=\"eyebrow\">roadlint · roadmap report</p>\n\
         <h1>Plan vs. actual</h1>\n<p class=\"meta\">As of <time datetime=\"{t}\">{t}</time> \
         <span class=\"dot\">·</span> {c} scanned <span class=\"dot\">·</span> {q} \
         <span class=\"dot\">·</span> {p} with a plan</p>\n</div>\n<div class=\"status\">\n",
        t = escape(&d.today),
        c = format!(
            "{} {}",
            thousands(d.commits_scanned),
            if d.commits_scanned == 1 {
                "commit"
            } else {
                "commits"
            }
        ),
        q = plural(d.quarters.len(), "quarter"),
        p = planned,
    );
    if errors == 0 && warnings == 0 {
        out.push_str("<span class=\"pill ok\" id=\"summary-ok\">No breaches</span>\n");
    } else {
        w!(
            out,
            "<a class=\"pill {}\" href=\"#breaches\" id=\"summary-errors\">{}</a>\n",
            if errors > 0 { "err" } else { "muted" },
            plural(errors, "error")
        );
        w!(
            out,
            "<a class=\"pill {}\" href=\"#breaches\" id=\"summary-warnings\">{}</a>\n",
            if warnings > 0 { "warn" } else { "muted" },
            plural(warnings, "warning")
        );
    }
    out.push_str("</div>\n</header>\n");
}

fn cards(out: &mut String, d: &Dashboard) {
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
    let (debt_c, feat_c) = d.quarters.iter().fold((0, 0), |(a, b), q| {
        (a + q.commits.debt, b + q.commits.feature)
    });
    let breached = d
        .quarters
        .iter()
        .filter(|q| !q.diagnostics.is_empty())
        .count();
    out.push_str("<section class=\"cards\" aria-label=\"Totals\">\n");
    let card = |out: &mut String, label: &str, value: String, sub: String, class: &str| {
        w!(
            out,
            "<div class=\"card {class}\"><div class=\"label\">{label}</div>\
             <div class=\"value\">{value}</div><div class=\"sub\">{sub}</div></div>\n"
        );
    };
    if cap > 0.0 {
        let load = eff / cap;
        card(
            out,
            "Capacity planned",
            percent(load),
            format!("{} of {} engineer-weeks", weeks(eff), weeks(cap)),
            if load > 1.0 { "bad" } else { "" },
        );
    } else {
        card(
            out,
            "Capacity planned",
            "—".into(),
            "no quarter states a capacity".into(),
            "",
        );
    }
    if all_eff > 0.0 {
        let share = debt_eff / all_eff;
        let outside = share < t.debt_share_min || share > t.debt_share_max;
        card(
            out,
            "Planned debt share",
            percent(share),
            format!(
                "target {}–{} of effort",
                percent(t.debt_share_min),
                percent(t.debt_share_max)
            ),
            if outside { "bad" } else { "" },
        );
    } else {
        card(
            out,
            "Planned debt share",
            "—".into(),
            "no planned effort".into(),
            "",
        );
    }
    if debt_c + feat_c > 0 {
        let share = debt_c as f64 / (debt_c + feat_c) as f64;
        card(
            out,
            "Actual debt share",
            percent(share),
            format!(
                "of {} classified commits · min {}",
                thousands(debt_c + feat_c),
                percent(t.history_min)
            ),
            if share < t.history_min { "bad" } else { "" },
        );
    } else {
        card(
            out,
            "Actual debt share",
            "—".into(),
            "no debt or feature commits".into(),
            "",
        );
    }
    card(
        out,
        "Quarters with breaches",
        format!("{breached}"),
        format!("of {}", plural(d.quarters.len(), "quarter")),
        if breached > 0 { "bad" } else { "good" },
    );
    out.push_str("</section>\n");
}

/// The plot area of a chart, in the SVG's coordinates.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    n: usize,
}

impl Plot {
    fn new(height: f64, n: usize) -> Plot {
        let (left, right) = (64.0, CHART_W - 60.0);
        let n = n.max(1);
        // rotated quarter labels (see `crowded`) need more room below
        let below = if (right - left) / (n as f64) < 64.0 {
            68.0
        } else {
            40.0
        };
        Plot {
            left,
            right,
            top: 28.0,
            bottom: height - below,
            n,
        }
    }
    fn slot(&self) -> f64 {
        (self.right - self.left) / self.n as f64
    }
    fn center(&self, i: usize) -> f64 {
        self.left + self.slot() * (i as f64 + 0.5)
    }
    /// y of value `v` on a 0..`max` axis, clamped to the plot.
    fn y(&self, v: f64, max: f64) -> f64 {
        let v = if v.is_finite() {
            v.clamp(0.0, max)
        } else {
            0.0
        };
        self.bottom - (self.bottom - self.top) * v / max
    }
    /// Whether quarter labels need to be rotated to fit.
    fn crowded(&self) -> bool {
        self.slot() < 64.0
    }
}

/// Horizontal grid lines with their labels, and the quarter labels below.
fn axes(
    out: &mut String,
    p: &Plot,
    max: f64,
    step: f64,
    fmt: &dyn Fn(f64) -> String,
    d: &Dashboard,
    y_title: &str,
) {
    out.push_str("<g class=\"grid\">");
    let mut v = 0.0;
    let mut guard = 0;
    while v <= max + step * 1e-6 && guard < 50 {
        let y = p.y(v, max);
        w!(
            out,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"{}/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            p.left,
            p.right,
            if v == 0.0 { " class=\"base\"" } else { "" },
            p.left - 10.0,
            y + 4.0,
            escape(&fmt(v))
        );
        v += step;
        guard += 1;
    }
    out.push_str("</g>\n");
    let mid = (p.top + p.bottom) / 2.0;
    w!(
        out,
        "<text class=\"axis-title\" transform=\"translate(16 {mid:.1}) rotate(-90)\" \
         text-anchor=\"middle\">{}</text>\n<g class=\"xlabels\">",
        escape(y_title)
    );
    let crowded = p.crowded();
    let every = if p.slot() < 22.0 {
        (22.0 / p.slot()).ceil() as usize
    } else {
        1
    };
    for (i, q) in d.quarters.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = p.center(i);
        let y = p.bottom + 20.0;
        if crowded {
            w!(
                out,
                "<text class=\"qlabel\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"end\" \
                 transform=\"rotate(-40 {x:.1} {y:.1})\">{}</text>",
                escape(&q.quarter)
            );
        } else {
            w!(
                out,
                "<text class=\"qlabel\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
                escape(&q.quarter)
            );
        }
    }
    out.push_str("</g>\n");
}

/// The kinds present in the report, in stacking order (unknown kinds last).
fn kinds_present(d: &Dashboard) -> Vec<(String, &'static str)> {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for q in &d.quarters {
        for k in q.effort_by_kind.keys() {
            seen.insert(k.as_str(), ());
        }
    }
    let mut kinds: Vec<(String, &'static str)> = KINDS
        .iter()
        .filter(|(k, _)| seen.contains_key(k))
        .map(|(k, c)| (k.to_string(), *c))
        .collect();
    for k in seen.keys() {
        if !KINDS.iter().any(|(known, _)| known == k) {
            kinds.push((k.to_string(), "k-other"));
        }
    }
    kinds
}

fn empty_state(out: &mut String, text: &str) {
    w!(out, "<p class=\"empty\">{}</p>\n", escape(text));
}

fn effort_section(out: &mut String, d: &Dashboard) {
    out.push_str(
        "<section class=\"panel\" id=\"effort\">\n<div class=\"panel-head\">\
         <h2>Planned effort by kind</h2><p class=\"hint\">engineer-weeks per quarter \
         against capacity</p></div>\n",
    );
    let kinds = kinds_present(d);
    if d.quarters.is_empty() {
        empty_state(
            out,
            "No quarters yet: add a roadmap file such as roadmap/2026-Q1.toml, or commits.",
        );
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<div class=\"legend\">");
    for (k, class) in &kinds {
        w!(
            out,
            "<span><i class=\"sw {class}\"></i>{}</span>",
            escape(k)
        );
    }
    out.push_str("<span><i class=\"sw-line cap\"></i>capacity</span>");
    if d.quarters
        .iter()
        .any(|q| q.capacity.zip(q.planned_effort).is_some_and(|(c, e)| e > c))
    {
        out.push_str("<span><i class=\"sw-line cap over\"></i>over capacity</span>");
    }
    out.push_str("</div>\n");
    let height = 340.0;
    let p = Plot::new(height, d.quarters.len());
    let mut max: f64 = 0.0;
    for q in &d.quarters {
        max = max.max(stacked_total(q));
        if let Some(c) = q.capacity {
            max = max.max(finite(c));
        }
    }
    let step = nice_step(max.max(1.0) * 1.08, 5.0);
    let max = ((max.max(1.0) * 1.08) / step).ceil() * step;
    let summary: Vec<String> = d
        .quarters
        .iter()
        .map(|q| match (q.planned_effort, q.capacity) {
            (Some(e), Some(c)) => format!("{}: {} of {} weeks", q.quarter, weeks(e), weeks(c)),
            (Some(e), None) => format!("{}: {} weeks", q.quarter, weeks(e)),
            _ => format!("{}: no plan", q.quarter),
        })
        .collect();
    w!(
        out,
        "<svg class=\"chart\" id=\"effort-chart\" viewBox=\"0 0 {CHART_W} {height}\" role=\"img\" \
         aria-labelledby=\"effort-title effort-desc\" aria-label=\"Planned effort by kind per quarter\">\n\
         <title id=\"effort-title\">Planned effort by kind per quarter</title>\n\
         <desc id=\"effort-desc\">{}</desc>\n",
        escape(&summary.join("; "))
    );
    axes(out, &p, max, step, &tick_label, d, "engineer-weeks");
    let bw = (p.slot() * 0.52).clamp(4.0, 68.0);
    for (i, q) in d.quarters.iter().enumerate() {
        let x = p.center(i) - bw / 2.0;
        w!(
            out,
            "<g class=\"quarter\" data-quarter=\"{}\">",
            escape(&q.quarter)
        );
        if q.file.is_none() {
            w!(
                out,
                "<text class=\"no-plan\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">no plan</text>",
                p.center(i),
                p.bottom - 8.0
            );
            out.push_str("</g>\n");
            continue;
        }
        let mut acc = 0.0;
        for (k, class) in &kinds {
            let Some(v) = q.effort_by_kind.get(k).map(|v| finite(*v)) else {
                continue;
            };
            if v <= 0.0 {
                continue;
            }
            let y1 = p.y(acc + v, max);
            let y0 = p.y(acc, max);
            w!(
                out,
                "<rect class=\"seg {class}\" x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bw:.1}\" \
                 height=\"{:.1}\"><title>{} · {}: {} weeks</title></rect>",
                (y0 - y1 - 1.0).max(0.5),
                escape(&q.quarter),
                escape(k),
                weeks(v)
            );
            acc += v;
        }
        let total = q.planned_effort.unwrap_or(acc);
        let over = q.capacity.is_some_and(|c| total > c);
        let mut label_y = p.y(acc, max) - 8.0;
        if let Some(c) = q.capacity {
            let y = p.y(c, max);
            w!(
                out,
                "<line class=\"cap-line{}\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\">\
                 <title>{} capacity: {} weeks</title></line>",
                if over { " over" } else { "" },
                x - 6.0,
                x + bw + 6.0,
                escape(&q.quarter),
                weeks(c)
            );
            label_y = label_y.min(y - 8.0);
        }
        let label = match q.capacity {
            Some(c) if !p.crowded() => format!("{} / {}", weeks(total), weeks(c)),
            _ => weeks(total),
        };
        if p.slot() >= 30.0 {
            w!(
                out,
                "<text class=\"bar-label{}\" x=\"{:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\">{}</text>",
                if over { " over" } else { "" },
                p.center(i),
                escape(&label)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n</section>\n");
}

fn debt_section(out: &mut String, d: &Dashboard) {
    let t = &d.thresholds;
    w!(
        out,
        "<section class=\"panel\" id=\"debt\">\n<div class=\"panel-head\">\
         <h2>Debt share: plan vs. commits</h2><p class=\"hint\">planned share of effort \
         on {} · actual share of debt commits among debt + feature commits</p></div>\n",
        escape(&t.debt_kinds.join(" + "))
    );
    if d.quarters.is_empty() {
        empty_state(
            out,
            "No quarters yet: the plan and the history will appear here.",
        );
        out.push_str("</section>\n");
        return;
    }
    let hits: Vec<&str> = d
        .quarters
        .iter()
        .flat_map(|q| {
            [
                breach(&q.diagnostics, &["debt-share"]).filter(|_| q.planned_debt_share.is_some()),
                breach(&q.diagnostics, &["history-debt-share"])
                    .filter(|_| q.actual_debt_share.is_some()),
            ]
        })
        .flatten()
        .collect();
    out.push_str(
        "<div class=\"legend\"><span><i class=\"sw planned\"></i>planned</span>\
         <span><i class=\"sw actual\"></i>actual</span>",
    );
    if hits.contains(&"error") {
        out.push_str("<span><i class=\"sw breach err\"></i>breach (error)</span>");
    }
    if hits.contains(&"warning") {
        out.push_str("<span><i class=\"sw breach\"></i>breach (warning)</span>");
    }
    w!(
        out,
        "<span><i class=\"sw band\"></i>planned range {}–{}</span>\
         <span><i class=\"sw-line threshold\"></i>actual minimum {}</span></div>\n",
        percent(t.debt_share_min),
        percent(t.debt_share_max),
        percent(t.history_min)
    );
    let height = 320.0;
    let p = Plot::new(height, d.quarters.len());
    let mut top: f64 = t.debt_share_max.max(t.history_min);
    for q in &d.quarters {
        top = top
            .max(q.planned_debt_share.map_or(0.0, finite))
            .max(q.actual_debt_share.map_or(0.0, finite));
    }
    let step = if top > 0.5 { 0.2 } else { 0.1 };
    let max = (((top + 0.06) / step).ceil() * step).min(1.0);
    let max = if max <= 0.0 { 1.0 } else { max };
    let summary: Vec<String> = d
        .quarters
        .iter()
        .map(|q| {
            format!(
                "{}: planned {}, actual {}",
                q.quarter,
                q.planned_debt_share.map_or("none".into(), percent),
                q.actual_debt_share.map_or("none".into(), percent)
            )
        })
        .collect();
    w!(
        out,
        "<svg class=\"chart\" id=\"debt-chart\" viewBox=\"0 0 {CHART_W} {height}\" role=\"img\" \
         aria-labelledby=\"debt-title debt-desc\" aria-label=\"Planned vs actual debt share per quarter\">\n\
         <title id=\"debt-title\">Planned vs actual debt share per quarter; actual minimum {}</title>\n\
         <desc id=\"debt-desc\">{}</desc>\n",
        percent(t.history_min),
        escape(&summary.join("; "))
    );
    // the planned range band sits behind everything
    let (b0, b1) = (
        p.y(t.debt_share_min.min(max), max),
        p.y(t.debt_share_max.min(max), max),
    );
    w!(
        out,
        "<rect class=\"band\" id=\"debt-band\" x=\"{:.1}\" y=\"{b1:.1}\" width=\"{:.1}\" height=\"{:.1}\">\
         <title>planned debt share range {}–{}</title></rect>\n",
        p.left,
        p.right - p.left,
        (b0 - b1).max(0.0),
        percent(t.debt_share_min),
        percent(t.debt_share_max)
    );
    axes(out, &p, max, step, &percent, d, "debt share");
    let bw = (p.slot() * 0.26).clamp(3.0, 34.0);
    let gap = (bw * 0.12).max(1.0);
    for (i, q) in d.quarters.iter().enumerate() {
        let c = p.center(i);
        w!(
            out,
            "<g class=\"quarter\" data-quarter=\"{}\">",
            escape(&q.quarter)
        );
        let bars = [
            (
                q.planned_debt_share,
                c - bw - gap / 2.0,
                "planned",
                breach(&q.diagnostics, &["debt-share"]),
            ),
            (
                q.actual_debt_share,
                c + gap / 2.0,
                "actual",
                breach(&q.diagnostics, &["history-debt-share"]),
            ),
        ];
        for (v, x, what, hit) in bars {
            let Some(v) = v else {
                if p.slot() >= 30.0 {
                    w!(
                        out,
                        "<text class=\"none\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">–</text>",
                        x + bw / 2.0,
                        p.bottom - 6.0
                    );
                }
                continue;
            };
            let y = p.y(v, max);
            let class = match hit {
                Some("error") => format!("bar {what} breach err"),
                Some(_) => format!("bar {what} breach"),
                None => format!("bar {what}"),
            };
            w!(
                out,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"2\">\
                 <title>{} {what} debt share: {}</title></rect>",
                (p.bottom - y).max(0.0),
                escape(&q.quarter),
                percent(v)
            );
            if p.slot() >= 48.0 {
                w!(
                    out,
                    "<text class=\"val {what}{}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    match hit {
                        Some("error") => " breach err",
                        Some(_) => " breach",
                        None => "",
                    },
                    x + bw / 2.0,
                    y - 6.0,
                    percent(v)
                );
            }
        }
        out.push_str("</g>\n");
    }
    let ty = p.y(t.history_min, max);
    w!(
        out,
        "<g class=\"threshold\"><line class=\"threshold-line\" id=\"threshold-line\" x1=\"{:.1}\" \
         x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"><title>history-debt-share minimum: {}</title></line>\
         <text class=\"threshold-label\" x=\"{:.1}\" y=\"{:.1}\">min {}</text></g>\n",
        p.left,
        p.right,
        percent(t.history_min),
        p.right + 8.0,
        ty + 4.0,
        percent(t.history_min)
    );
    out.push_str("</svg>\n</section>\n");
}

/// A quarter's state in words, for the table.
fn quarter_state(q: &QuarterRow) -> (&'static str, &'static str) {
    let classified = q.commits.debt + q.commits.feature;
    if q.judged {
        ("judged", "state-judged")
    } else if q.ended && q.file.is_none() {
        ("no plan", "state-muted")
    } else if q.ended {
        ("too few commits", "state-muted")
    } else if classified + q.commits.unclassified > 0 {
        ("in progress", "state-open")
    } else {
        ("upcoming", "state-muted")
    }
}

fn quarters_section(out: &mut String, d: &Dashboard) {
    let t = &d.thresholds;
    out.push_str(
        "<section class=\"panel\" id=\"quarters\">\n<div class=\"panel-head\"><h2>Quarters</h2>\
         <p class=\"hint\">effort in engineer-weeks · commits by class</p></div>\n",
    );
    if d.quarters.is_empty() {
        empty_state(out, "No quarters yet.");
        out.push_str("</section>\n");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Quarter</th><th>Status</th>\
         <th class=\"num\">Capacity</th><th class=\"num\">Planned</th><th class=\"num\">Load</th>\
         <th class=\"num\">Plan debt</th><th class=\"num\">Actual debt</th><th class=\"num\">Drift</th>\
         <th class=\"num\">Debt</th><th class=\"num\">Feature</th><th class=\"num\">Other</th>\
         <th>Breaches</th></tr></thead>\n<tbody>\n",
    );
    let dash = "<span class=\"nil\">—</span>".to_string();
    for q in &d.quarters {
        let errs = q
            .diagnostics
            .iter()
            .filter(|x| x.severity == "error")
            .count();
        let warns = q.diagnostics.len() - errs;
        let row_class = if errs > 0 {
            " class=\"row-err\""
        } else if warns > 0 {
            " class=\"row-warn\""
        } else {
            ""
        };
        let (state, state_class) = quarter_state(q);
        let quarter_cell = match &q.file {
            Some(f) => format!(
                "<a class=\"q\" href=\"{}\">{}</a><span class=\"file\">{}</span>",
                escape(&file_href(f, None)),
                escape(&q.quarter),
                escape(f)
            ),
            None => format!(
                "<span class=\"q\">{}</span><span class=\"file\">commits only</span>",
                escape(&q.quarter)
            ),
        };
        let load = match (q.planned_effort, q.capacity) {
            (Some(e), Some(c)) if c > 0.0 => {
                let l = e / c;
                format!(
                    "<span class=\"{}\">{}</span>",
                    if l > 1.0 { "bad" } else { "" },
                    percent(l)
                )
            }
            _ => dash.clone(),
        };
        let plan_debt = q.planned_debt_share.map_or(dash.clone(), |s| {
            let bad = s < t.debt_share_min || s > t.debt_share_max;
            format!(
                "<span class=\"{}\">{}</span>",
                if bad { "bad" } else { "" },
                percent(s)
            )
        });
        let actual = q.actual_debt_share.map_or(dash.clone(), |s| {
            let bad = q.judged && s < t.history_min;
            format!(
                "<span class=\"{}\">{}</span>",
                if bad { "bad" } else { "" },
                percent(s)
            )
        });
        let drift = q.drift.map_or(dash.clone(), |x| {
            let bad = q.judged && x.abs() > t.max_drift + 1e-9;
            format!(
                "<span class=\"{}\">{}</span>",
                if bad { "warnc" } else { "" },
                points(x)
            )
        });
        let mut badges = String::new();
        if errs > 0 {
            w!(
                badges,
                "<span class=\"badge err\">{}</span>",
                plural(errs, "error")
            );
        }
        if warns > 0 {
            w!(
                badges,
                "<span class=\"badge warn\">{}</span>",
                plural(warns, "warning")
            );
        }
        if badges.is_empty() {
            badges = "<span class=\"badge ok\">clean</span>".into();
        }
        w!(
            out,
            "<tr{row_class}><td>{quarter_cell}</td><td><span class=\"state {state_class}\">{state}</span></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{load}</td>\
             <td class=\"num\">{plan_debt}</td><td class=\"num\">{actual}</td><td class=\"num\">{drift}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{badges}</td></tr>\n",
            q.capacity.map_or(dash.clone(), weeks),
            q.planned_effort.map_or(dash.clone(), weeks),
            thousands(q.commits.debt),
            thousands(q.commits.feature),
            thousands(q.commits.unclassified),
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    w!(
        out,
        "<p class=\"foot\">Judged quarters have ended, have a plan and at least {} classified \
         commits. Drift beyond ±{:.0} pts or an actual share under {} is a breach.</p>\n",
        t.min_commits,
        (t.max_drift * 100.0).round(),
        percent(t.history_min)
    );
    out.push_str("</section>\n");
}

fn breaches_section(out: &mut String, d: &Dashboard, errors: usize, warnings: usize) {
    w!(
        out,
        "<section class=\"panel\" id=\"breaches\">\n<div class=\"panel-head\"><h2>Breaches</h2>\
         <p class=\"hint\">{} · {} · run <code>roadlint check</code> for the full diagnostics</p></div>\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if d.diagnostics.is_empty() {
        empty_state(
            out,
            "No breaches: the plan and the history keep every agreement.",
        );
        out.push_str("</section>\n");
        return;
    }
    let mut rows: Vec<&DiagnosticRow> = d.diagnostics.iter().collect();
    rows.sort_by_key(|r| r.severity != "error");
    out.push_str(
        "<div class=\"scroll\"><table class=\"data breaches\">\n<thead><tr><th>Severity</th><th>Rule</th>\
         <th>Message</th><th>Where</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let sev = if r.severity == "error" {
            "<span class=\"badge err\">error</span>"
        } else {
            "<span class=\"badge warn\">warning</span>"
        };
        let mut place = match (&r.file, r.line) {
            (Some(f), line) => {
                let shown = match line {
                    Some(l) => format!("{f}:{l}"),
                    None => f.clone(),
                };
                format!(
                    "<a class=\"loc\" href=\"{}\">{}</a>",
                    escape(&file_href(f, line)),
                    escape(&shown)
                )
            }
            (None, _) => "<span class=\"nil\">—</span>".to_string(),
        };
        if let Some(c) = &r.commit {
            let short: String = c.chars().take(10).collect();
            w!(
                place,
                "<span class=\"commit\" title=\"{}\">commit {}</span>",
                escape(c),
                escape(&short)
            );
        }
        // the quarter as a tag, unless the message already names it
        let quarter = r
            .quarter
            .as_deref()
            .filter(|q| !r.message.contains(q))
            .map(|q| format!("<span class=\"qtag\">{}</span>", escape(q)))
            .unwrap_or_default();
        w!(
            out,
            "<tr><td>{sev}</td><td><code class=\"rule\">{}</code></td><td class=\"msg\">{quarter}{}</td>\
             <td class=\"where\">{place}</td></tr>\n",
            escape(&r.rule),
            code_spans(&escape(&r.message))
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn requests_section(out: &mut String, d: &Dashboard) {
    let r = &d.requests;
    out.push_str("<section class=\"panel small\" id=\"requests\">\n<h2>Customer requests</h2>\n");
    if r.by_status.is_empty() {
        empty_state(out, "No requests recorded.");
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<div class=\"pipeline\">");
    let mut first = true;
    let mut seen = Vec::new();
    for s in STATUSES {
        if s == "rejected" {
            continue;
        }
        if !first {
            out.push_str("<span class=\"arrow\" aria-hidden=\"true\">→</span>");
        }
        first = false;
        let n = r.by_status.get(s).copied().unwrap_or(0);
        w!(
            out,
            "<div class=\"stage-count\"><b>{n}</b><span>{s}</span></div>"
        );
        seen.push(s);
    }
    out.push_str("</div>\n");
    let others: Vec<String> = r
        .by_status
        .iter()
        .filter(|(s, _)| !seen.contains(&s.as_str()))
        .map(|(s, n)| format!("{n} {}", escape(s)))
        .collect();
    if !others.is_empty() {
        w!(out, "<p class=\"sub\">also {}</p>\n", others.join(", "));
    }
    if r.gaps.is_empty() {
        out.push_str("<p class=\"okline\">Every accepted request is complete.</p>\n");
    } else {
        w!(
            out,
            "<h3>{} missing required fields</h3>\n<ul class=\"list\">\n",
            plural(r.gaps.len(), "accepted request")
        );
        for g in &r.gaps {
            w!(
                out,
                "<li class=\"gap\"><a href=\"{}\"><b>{}</b></a>{} <span class=\"missing\">lacks {}</span></li>\n",
                escape(&file_href(&g.file, Some(g.line))),
                escape(&g.id),
                g.customer
                    .as_deref()
                    .map(|c| format!(" <span class=\"muted\">{}</span>", escape(c)))
                    .unwrap_or_default(),
                escape(&g.missing.join(", "))
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn technologies_section(out: &mut String, d: &Dashboard) {
    out.push_str(
        "<section class=\"panel small\" id=\"technologies\">\n<h2>Technology radar</h2>\n",
    );
    if d.technologies.is_empty() {
        empty_state(out, "No technologies tracked.");
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<div class=\"stages\">\n");
    let mut by_stage: BTreeMap<&str, Vec<&super::TechnologyRow>> = BTreeMap::new();
    for t in &d.technologies {
        by_stage
            .entry(t.stage.as_deref().unwrap_or("unknown"))
            .or_default()
            .push(t);
    }
    let mut order: Vec<&str> = STAGES.to_vec();
    order.extend(by_stage.keys().filter(|k| !STAGES.contains(k)).copied());
    for s in order {
        let list = by_stage.get(s).map(Vec::as_slice).unwrap_or_default();
        w!(
            out,
            "<div class=\"stage stage-{}\"><h3>{} <span class=\"count\">{}</span></h3><ul>",
            if STAGES.contains(&s) { s } else { "other" },
            escape(s),
            list.len()
        );
        for t in list {
            w!(
                out,
                "<li>{}{}</li>",
                escape(&t.name),
                t.experiment
                    .as_deref()
                    .map(|e| format!(" <span class=\"muted\">{}</span>", escape(e)))
                    .unwrap_or_default()
            );
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str("</div>\n</section>\n");
}

fn waivers_section(out: &mut String, d: &Dashboard) {
    out.push_str("<section class=\"panel small\" id=\"waivers\">\n<h2>Waivers</h2>\n");
    if d.waivers.is_empty() {
        empty_state(out, "No waivers: every rule applies everywhere.");
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<ul class=\"list\">\n");
    for wv in &d.waivers {
        w!(
            out,
            "<li class=\"waiver{}\"><div><code class=\"rule\">{}</code> <span class=\"muted\">{}</span>\
             <span class=\"badge {}\">{}</span></div><div class=\"reason\">{}</div>\
             <div class=\"sub\">expires {} · <a href=\"{}\">{}:{}</a></div></li>\n",
            if wv.expired { " expired" } else { "" },
            escape(wv.rule.as_deref().unwrap_or("?")),
            escape(wv.quarter.as_deref().unwrap_or("everywhere")),
            if wv.expired { "err" } else { "ok" },
            if wv.expired { "expired" } else { "active" },
            escape(wv.reason.as_deref().unwrap_or("no reason given")),
            escape(wv.expires.as_deref().unwrap_or("never (no expiry set)")),
            escape(&file_href(&wv.file, Some(wv.line))),
            escape(&wv.file),
            wv.line
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn footer(out: &mut String, d: &Dashboard) {
    let t = &d.thresholds;
    w!(
        out,
        "<footer>Thresholds from roadlint.toml: planned debt share {}–{} of effort \
         (<code>debt-share</code>); actual debt share at least {}, drift at most {:.0} pts, judged from \
         {} classified commits (<code>history-debt-share</code>). Generated by roadlint {} as of {}.</footer>\n",
        percent(t.debt_share_min),
        percent(t.debt_share_max),
        percent(t.history_min),
        (t.max_drift * 100.0).round(),
        t.min_commits,
        env!("CARGO_PKG_VERSION"),
        escape(&d.today)
    );
}

/// The page's stylesheet: a muted palette in CSS custom properties, swapped
/// for dark mode; charts are styled through classes so they follow too.
const CSS: &str = r#"
:root{
  --bg:#f4f5f7;--panel:#ffffff;--text:#18202b;--muted:#5d6877;--faint:#8b95a3;
  --line:#e2e6eb;--grid:#eceff3;--axis:#b4bcc7;--hover:#f7f8fa;
  --accent:#d2453b;--accent-bg:#fcebea;--warn:#b7791f;--warn-bg:#fbf1de;
  --ok:#2f7d57;--ok-bg:#e5f3eb;--link:#3a5f99;
  --k-debt:#c4704e;--k-maintenance:#deaa62;--k-platform:#5f9f97;
  --k-research:#8d7cc0;--k-experiment:#93b3dc;--k-feature:#4d6ca3;--k-other:#a2aab5;
  --planned:#b7c3d4;--actual:#405f92;--band:rgba(95,159,151,.13);--cap:#18202b;
}
@media (prefers-color-scheme: dark){
  :root{
    --bg:#0e1217;--panel:#161c24;--text:#e5e9ef;--muted:#a1abb8;--faint:#737e8c;
    --line:#27303b;--grid:#1f2730;--axis:#48525f;--hover:#1b222c;
    --accent:#f06a5f;--accent-bg:#3a1e1d;--warn:#e3ac4f;--warn-bg:#332817;
    --ok:#5cc08c;--ok-bg:#173026;--link:#8fb2e6;
    --k-debt:#d2825f;--k-maintenance:#e2b36f;--k-platform:#6fb3aa;
    --k-research:#a395d6;--k-experiment:#a9c4e8;--k-feature:#6286c4;--k-other:#7d8794;
    --planned:#4a586b;--actual:#8cb0e6;--band:rgba(111,179,170,.12);--cap:#e5e9ef;
  }
}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);
  font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans","Noto Sans",system-ui,sans-serif;
  font-size:15px;line-height:1.5;font-variant-numeric:tabular-nums;-webkit-font-smoothing:antialiased}
a{color:var(--link);text-decoration:none}
a:hover{text-decoration:underline}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:.88em}
.wrap{max-width:1200px;margin:0 auto;padding:40px 48px 56px}
.top{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;margin-bottom:28px}
.eyebrow{margin:0 0 6px;font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:var(--faint)}
h1{margin:0;font-size:32px;line-height:1.15;font-weight:700;letter-spacing:-.02em}
.meta{margin:8px 0 0;color:var(--muted)}
.dot{color:var(--faint);padding:0 2px}
.status{display:flex;gap:8px;flex-wrap:wrap}
.pill{display:inline-block;padding:7px 14px;border-radius:999px;font-weight:600;font-size:14px;border:1px solid transparent}
a.pill:hover{text-decoration:none;filter:brightness(.97)}
.pill.err{background:var(--accent);color:#fff}
.pill.warn{background:var(--warn-bg);color:var(--warn);border-color:color-mix(in srgb,var(--warn) 30%,transparent)}
.pill.ok{background:var(--ok-bg);color:var(--ok)}
.pill.muted{background:var(--panel);color:var(--muted);border-color:var(--line)}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:16px;margin-bottom:20px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:16px 20px}
.card .label{font-size:13px;color:var(--muted);font-weight:500}
.card .value{font-size:30px;font-weight:700;letter-spacing:-.02em;margin-top:2px}
.card .sub{font-size:13px;color:var(--faint)}
.card.bad{box-shadow:inset 3px 0 0 var(--accent)}
.card.bad .value{color:var(--accent)}
.card.good .value{color:var(--ok)}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:22px 26px;margin-bottom:20px}
.panel-head{display:flex;align-items:baseline;justify-content:space-between;gap:16px;flex-wrap:wrap;margin-bottom:10px}
h2{margin:0;font-size:18px;font-weight:650;letter-spacing:-.01em}
.panel.small h2{margin-bottom:14px}
h3{font-size:13px;font-weight:600;color:var(--muted);margin:16px 0 8px}
.hint{margin:0;color:var(--faint);font-size:13px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px;color:var(--muted);margin:2px 0 6px}
.legend span{display:inline-flex;align-items:center;gap:7px}
.sw{display:inline-block;width:11px;height:11px;border-radius:3px}
.sw-line{display:inline-block;width:20px;height:0;border-top:2px solid var(--cap)}
.sw-line.cap.over{border-color:var(--accent)}
.sw-line.threshold{border-top:2px dashed var(--accent)}
.sw.planned{background:var(--planned)}.sw.actual{background:var(--actual)}
.sw.breach{background:var(--warn)}.sw.breach.err{background:var(--accent)}.sw.band{background:var(--band);outline:1px solid color-mix(in srgb,var(--k-platform) 40%,transparent)}
.k-debt{fill:var(--k-debt);background:var(--k-debt)}
.k-maintenance{fill:var(--k-maintenance);background:var(--k-maintenance)}
.k-platform{fill:var(--k-platform);background:var(--k-platform)}
.k-research{fill:var(--k-research);background:var(--k-research)}
.k-experiment{fill:var(--k-experiment);background:var(--k-experiment)}
.k-feature{fill:var(--k-feature);background:var(--k-feature)}
.k-other{fill:var(--k-other);background:var(--k-other)}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg text{font-family:inherit}
.grid line{stroke:var(--grid);stroke-width:1}
.grid line.base{stroke:var(--axis)}
.tick{fill:var(--faint);font-size:12px}
.axis-title{fill:var(--faint);font-size:12px;letter-spacing:.04em}
.qlabel{fill:var(--muted);font-size:13px;font-weight:500}
.seg:hover,.bar:hover{opacity:.85}
.cap-line{stroke:var(--cap);stroke-width:2.5;stroke-linecap:round}
.cap-line.over{stroke:var(--accent)}
.bar-label{fill:var(--muted);font-size:12px;font-weight:500}
.bar-label.over{fill:var(--accent);font-weight:700}
.no-plan,.none{fill:var(--faint);font-size:12px;font-style:italic}
.band{fill:var(--band)}
.bar.planned{fill:var(--planned)}
.bar.actual{fill:var(--actual)}
.bar.breach{fill:var(--warn)}
.bar.breach.err{fill:var(--accent)}
.val{font-size:11.5px;fill:var(--muted)}
.val.actual{fill:var(--text);font-weight:600}
.val.breach{fill:var(--warn);font-weight:700}
.val.breach.err{fill:var(--accent)}
.threshold-line{stroke:var(--accent);stroke-width:2;stroke-dasharray:7 5}
.threshold-label{fill:var(--accent);font-size:12px;font-weight:600}
.scroll{overflow-x:auto}
table.data{width:100%;border-collapse:collapse;font-size:14px}
table.data th{font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;color:var(--faint);font-weight:600;text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);white-space:nowrap}
table.data td{padding:9px 10px;border-bottom:1px solid var(--line);vertical-align:top}
table.data tbody tr:last-child td{border-bottom:0}
table.data tbody tr:hover td{background:var(--hover)}
.num{text-align:right!important;white-space:nowrap}
tr.row-err td:first-child{box-shadow:inset 3px 0 0 var(--accent)}
tr.row-warn td:first-child{box-shadow:inset 3px 0 0 var(--warn)}
.q{font-weight:650;color:var(--text);display:block}
.file{display:block;font-size:12px;color:var(--faint);white-space:nowrap}
.nil{color:var(--faint)}
.bad{color:var(--accent);font-weight:650}
.warnc{color:var(--warn);font-weight:650}
.state{font-size:12.5px;white-space:nowrap}
.state-judged{color:var(--text)}.state-open{color:var(--link)}.state-muted{color:var(--faint)}
.badge{display:inline-block;font-size:11.5px;font-weight:650;padding:2px 8px;border-radius:999px;margin:0 4px 2px 0;white-space:nowrap}
.badge.err{background:var(--accent-bg);color:var(--accent)}
.badge.warn{background:var(--warn-bg);color:var(--warn)}
.badge.ok{background:var(--ok-bg);color:var(--ok)}
.breaches td.msg{max-width:560px}
.qtag{display:inline-block;font-size:11.5px;color:var(--muted);border:1px solid var(--line);border-radius:6px;padding:0 6px;margin-right:8px}
code.rule{color:var(--text);background:var(--hover);border:1px solid var(--line);border-radius:5px;padding:1px 6px;white-space:nowrap}
td.where{white-space:nowrap;font-size:13px}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:12.5px}
.commit{display:block;color:var(--faint);font-size:12px}
.foot{margin:12px 0 0;font-size:12.5px;color:var(--faint)}
.grid3{display:grid;grid-template-columns:repeat(3,1fr);gap:20px;align-items:start}
.grid3 .panel{margin-bottom:0}
.pipeline{display:flex;align-items:center;gap:10px}
.stage-count{flex:1;background:var(--hover);border:1px solid var(--line);border-radius:10px;padding:10px 12px;text-align:center}
.stage-count b{display:block;font-size:24px;line-height:1.2}
.stage-count span{font-size:12px;color:var(--muted)}
.arrow{color:var(--faint)}
.list{list-style:none;margin:0;padding:0}
.list li{padding:10px 0;border-top:1px solid var(--line);font-size:14px}
.list li:first-child{border-top:0;padding-top:2px}
.missing{display:block;color:var(--accent);font-size:13px}
.okline{color:var(--ok);font-size:13.5px;margin:14px 0 0}
.muted{color:var(--faint)}
.sub{color:var(--faint);font-size:12.5px;margin:6px 0 0}
.stages{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}
.stage h3{margin:6px 0 6px;display:flex;align-items:center;gap:6px;text-transform:capitalize}
.stage h3::before{content:"";width:8px;height:8px;border-radius:50%;background:var(--k-other)}
.stage-assess h3::before{background:var(--k-experiment)}
.stage-trial h3::before{background:var(--k-maintenance)}
.stage-adopt h3::before{background:var(--k-platform)}
.stage-hold h3::before{background:var(--k-debt)}
.stage .count{color:var(--faint);font-weight:500}
.stage ul{list-style:none;margin:0 0 8px;padding:0;font-size:13.5px}
.stage li{padding:2px 0}
.stage li .muted{white-space:nowrap;font-size:12px}
.msg code{background:var(--hover);border:1px solid var(--line);border-radius:4px;padding:0 4px}
.waiver .reason{margin:4px 0 0;color:var(--text)}
.waiver .badge{margin-left:6px}
.waiver.expired .reason{color:var(--muted);text-decoration:line-through}
.empty{color:var(--faint);font-style:italic;margin:12px 0 4px}
footer{margin-top:28px;color:var(--faint);font-size:12.5px;line-height:1.6}
@media (max-width:900px){.cards{grid-template-columns:repeat(2,1fr)}.grid3{grid-template-columns:1fr}.wrap{padding:24px 18px}.top{flex-direction:column;align-items:flex-start}}
@media print{body{background:#fff}.panel,.card{break-inside:avoid}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_and_controls() {
        let s = escape("<script>alert('x')</script> & \"q\" \u{1b}[31m \u{202e}rtl \u{0}");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('\''));
        assert!(!s.chars().any(is_dangerous), "{s}");
        assert!(s.contains("&lt;script&gt;") && s.contains("&amp;") && s.contains("&quot;q&quot;"));
        assert!(s.contains("\\u{1b}") && s.contains("\\u{202e}") && s.contains("\\u{0}"));
    }

    #[test]
    fn file_links_stay_relative() {
        assert_eq!(
            file_href("roadmap/2026-Q1.toml", Some(3)),
            "./roadmap/2026-Q1.toml#L3"
        );
        assert_eq!(
            file_href("javascript:alert(1)//x.toml", None),
            "./javascript%3Aalert%281%29//x.toml"
        );
        assert_eq!(
            file_href("a b\"<>.toml", Some(1)),
            "./a%20b%22%3C%3E.toml#L1"
        );
        assert_eq!(file_href("/abs.toml", None), "./abs.toml");
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(60.0, 5.0), 20.0);
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(f64::INFINITY, 5.0), 1.0);
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(code_spans("a `b` c `d"), "a <code>b</code> c `d");
        assert_eq!(code_spans("plain"), "plain");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
