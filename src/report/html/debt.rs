//! The debt section: planned against actual debt share per quarter, with the agreed range and minimum.

use super::*;
use charts::DebtChart;

pub(super) fn debt_section(d: &Dashboard) -> Markup {
    let t = &d.thresholds;
    let hint = html! {
        "planned share of effort on "
        @for (i, k) in t.debt_kinds.iter().enumerate() {
            @if i > 0 { " + " }
            (Repo(k))
        }
        " · actual share of debt work among debt + feature work, in "
        (crate::report::table::measure_word(d))
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
    let bars = debt_bars(&c, d);
    let th = &c.threshold;
    let any_open = d
        .quarters
        .iter()
        .any(|q| q.state == QuarterState::InProgress);
    let threshold = html! {
        g class="threshold" {
            line class="threshold-line" id="threshold-line" x1=(Num(th.x1)) x2=(Num(th.x2))
                y1=(Num(th.y)) y2=(Num(th.y)) {
                title { (history_debt_share::ID) " minimum: " (percent(t.history_min)) }
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

/// One group a quarter: its planned and actual bars (or "none"), each
/// coloured by the breach its rule reported, and the in-progress note.
fn debt_bars(c: &DebtChart, d: &Dashboard) -> Markup {
    html! {
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
                                (Repo(&q.quarter)) " " (what) " debt share: " (percent(value.to_owned()))
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
    }
}

/// The debt chart's title, naming the measure its actual bars are in.
pub(super) fn debt_title(d: &Dashboard) -> String {
    format!(
        "Debt share: plan vs. {}",
        crate::report::table::measure_word(d)
    )
}
