//! The roadmaps section (SPEC §9.8): with several `[[roadmap]]`s, one table
//! per roadmap of its plan and the commits attributed to it, and the
//! unattributed commits; the quarters table above is the total.

use super::*;
use crate::report::roadmaps::RoadmapSection;

/// A number, or a dash.
fn opt(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map_or("—".to_string(), f)
}

fn table(s: &RoadmapSection) -> Markup {
    html! {
        div class="roadmap" data-roadmap=(s.name) {
            "\n"
            h3 { (Repo(&s.name)) } "\n"
            table {
                thead { tr { th { "Quarter" } th { "Capacity" } th { "Planned" } th { "Plan debt" } th { "Commits" } th { "Effort" } th { "Actual debt" } } }
                "\n"
                tbody {
                    @for q in &s.quarters {
                        tr data-quarter=(q.quarter) {
                            td { (Repo(&q.quarter)) }
                            td class="num" { (opt(q.capacity, weeks)) }
                            td class="num" { (opt(q.planned_effort, weeks)) }
                            td class="num" { (opt(q.planned_debt_share, percent)) }
                            td class="num" { (q.commits.debt + q.commits.feature + q.commits.unclassified) }
                            td class="num effort" { (amount(q.effort.debt + q.effort.feature + q.effort.unclassified)) }
                            td class="num" { (opt(q.actual_debt_share, percent)) }
                        }
                        "\n"
                    }
                }
            }
            "\n"
        }
    }
}

pub(super) fn roadmaps_section(d: &Dashboard) -> Markup {
    html! {
        @if !d.roadmaps.is_empty() {
            section class="panel" id="roadmaps" {
                "\n"
                h2 { "Roadmaps" } "\n"
                p class="muted" {
                    "Each roadmap's plan and the commits that count for it: a commit linked to an item counts for the item's roadmap, else for the roadmaps whose code it changes, its effort split evenly among them. The quarters table is the total."
                }
                "\n"
                @for s in &d.roadmaps {
                    (table(s))
                }
            }
            "\n"
        }
    }
}
