//! The quarters table: one row a quarter, its state, plan, actuals and breaches.

use super::*;

/// A quarter's state in words and its CSS class, for the table.
pub(super) fn quarter_state(q: &QuarterRow) -> (&'static str, &'static str) {
    let class = match q.state {
        QuarterState::Judged => "state-judged",
        QuarterState::InProgress => "state-open",
        QuarterState::Partial => "state-partial",
        _ => "state-muted",
    };
    (q.state.text(), class)
}

/// The quarters' names, for the axes.
pub(super) fn names(d: &Dashboard) -> Vec<&str> {
    d.quarters.iter().map(|q| q.quarter.as_str()).collect()
}

/// A value in a table cell, marked with `class` (empty: unmarked).
pub(super) fn marked(class: &str, value: &str) -> Markup {
    html! { span class=(class) { (value) } }
}

pub(super) fn quarter_row(d: &Dashboard, q: &QuarterRow) -> Markup {
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

pub(super) fn quarters_section(d: &Dashboard) -> Markup {
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
                    @for note in crate::report::table::column_notes(d) {
                        li { (Repo(&note)) }
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}
