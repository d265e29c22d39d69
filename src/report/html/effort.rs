//! The effort section: capacity against planned effort per quarter, stacked by kind.

use super::*;

/// A kind of effort as the effort chart stacks it: its name and CSS class.
pub(super) struct StackKind<'a> {
    /// The kind's word, as the report carries it.
    pub(super) name: &'a str,
    /// `k-debt`, or `k-other` for a word the model does not know.
    pub(super) class: String,
}

/// The kinds present in the report in stacking order: the model's kinds
/// with features last, so debt-like kinds sit at the base and the debt share
/// reads off the bottom of each bar; words the model does not know last.
pub(super) fn kinds_present(d: &Dashboard) -> Vec<StackKind<'_>> {
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

pub(super) fn effort_section(d: &Dashboard) -> Markup {
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
