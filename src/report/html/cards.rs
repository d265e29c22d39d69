//! The summary cards at the top of the page: the window's totals.

use super::*;

/// The window the cards sum, in words: `2025-Q1 – 2026-Q4`.
pub(super) fn window_span(d: &Dashboard) -> String {
    match (d.quarters.first(), d.quarters.last()) {
        (Some(a), Some(b)) if a.quarter != b.quarter => format!("{} – {}", a.quarter, b.quarter),
        (Some(a), _) => a.quarter.clone(),
        _ => "no quarter".into(),
    }
}

pub(super) fn cards(d: &Dashboard) -> Markup {
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
    let measure = crate::report::table::measure_word(d);
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
