//! The page's items and KPIs sections: what each item planned against what
//! its linked commits show, grouped by quarter, and which items serve each
//! KPI.
//!
//! Plan and actual are drawn on one scale: an engineer-week of plan counts
//! as [`DAYS_PER_WEEK`] author-days, so an item that took what it planned
//! shows two bars of the same length.

use super::text::{file_href, Repo};
use super::{empty_state, nil, panel_head, plural};
use crate::report::items::ItemRow;
use crate::report::Dashboard;
use crate::units::weeks;
use maud::{html, Markup};
use std::collections::BTreeMap;

/// Author-days in one engineer-week of plan.
pub const DAYS_PER_WEEK: f64 = 5.0;

/// A bar's length in percent of the page's longest, never NaN.
fn pct(v: f64, max: f64) -> String {
    if !(v.is_finite() && v > 0.0 && max.is_finite() && max > 0.0) {
        return "0%".into();
    }
    format!("{:.1}%", (v / max * 100.0).min(100.0))
}

/// The planned-vs-actual bars of one item, on the page's common scale.
fn plan_vs_actual(i: &ItemRow, max: f64) -> Markup {
    let planned = i.effort.map(|e| e * DAYS_PER_WEEK);
    let label = format!(
        "{}: planned {}, actual {}",
        i.id,
        i.effort.map_or("no effort".into(), |e| format!(
            "{} engineer-weeks",
            weeks(e)
        )),
        i.author_days
            .map_or("unknown".into(), |a| format!("{} author-days", weeks(a)))
    );
    html! {
        div class="pva" role="img" aria-label=(Repo(&label)) title=(Repo(&label)) {
            // A zero amount draws no bar (not a hairline that reads as "a little").
            @if let Some(p) = planned.filter(|p| *p > 0.0) {
                div class="pva-bar planned" style={ "width:" (pct(p, max)) } {}
            }
            @if let Some(a) = i.author_days.filter(|a| *a > 0.0) {
                div class="pva-bar actual" style={ "width:" (pct(a, max)) } {}
            }
        }
    }
}

fn item_row(i: &ItemRow, max: f64) -> Markup {
    let flagged = !i.contradictions.is_empty();
    let span = match (&i.first_commit, &i.last_commit) {
        (Some(a), Some(b)) if a != b => Some(format!("{a} – {b}")),
        (Some(a), _) => Some(a.clone()),
        _ => None,
    };
    html! {
        tr class=[flagged.then_some("row-warn")] data-item=(Repo(&i.id)) {
            td {
                a class="q" href=(file_href(&i.file, Some(i.line))) { (Repo(&i.id)) }
                @if let Some(t) = &i.title { span class="file ititle" { (Repo(t)) } }
            }
            td {
                @if let Some(k) = &i.kind {
                    span class="kind" { i class={ "sw k-" (Repo(k)) } {} (Repo(k)) }
                } @else { (nil()) }
            }
            td { span class={ "st st-" (Repo(&i.status)) } { (Repo(&i.status)) } }
            td class="owners" {
                (Repo(i.product_owner.as_deref().unwrap_or("?")))
                span class="muted" { " / " }
                (Repo(i.tech_owner.as_deref().unwrap_or("?")))
            }
            td class="num" { @if let Some(e) = i.effort { (weeks(e)) " wk" } @else { (nil()) } }
            td class="num" { @if let Some(c) = i.commits { (c) } @else { (nil()) } }
            td class="num" { @if let Some(a) = i.author_days { (weeks(a)) } @else { (nil()) } }
            td class="num" { @if let Some(a) = i.authors { (a) } @else { (nil()) } }
            td class="when" { @if let Some(s) = &span { (Repo(s)) } @else { (nil()) } }
            td { (plan_vs_actual(i, max)) }
        }
        "\n"
        @for c in &i.contradictions {
            tr class="flag" { td colspan="10" { span class="badge warn" { "check" } " " (Repo(&i.id)) ": " (c.text()) } }
            "\n"
        }
    }
}

/// Items grouped by quarter (oldest first; items outside a quarter file
/// last), each with plan against actual.
pub fn items_section(d: &Dashboard) -> Markup {
    let mut groups: BTreeMap<(bool, Option<&str>), Vec<&ItemRow>> = BTreeMap::new();
    for i in &d.items {
        groups
            .entry((i.quarter.is_none(), i.quarter.as_deref()))
            .or_default()
            .push(i);
    }
    let max = d
        .items
        .iter()
        .flat_map(|i| [i.effort.map(|e| e * DAYS_PER_WEEK), i.author_days])
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let flagged: usize = d.items.iter().map(|i| i.contradictions.len()).sum();
    html! {
        section class="panel" id="items" {
            "\n"
            (panel_head("Items: plan vs. actual", html! {
                "linked commits by trailer or id in the subject · bars: "
                i class="sw planned" {} " planned (1 engineer-week = 5 author-days) "
                i class="sw actual" {} " author-days"
            }))
            @if d.items.is_empty() {
                (empty_state("No items in the roadmap."))
            } @else {
                @if flagged > 0 {
                    p class="flagline" {
                        (plural(flagged, "contradiction")) " between an item's status and its history, marked below."
                    }
                    "\n"
                }
                @if !d.unknown_items.is_empty() {
                    p class="flagline" {
                        "Item trailers naming no item of the roadmap: "
                        @for (n, (id, count)) in d.unknown_items.iter().enumerate() {
                            @if n > 0 { ", " }
                            code { (Repo(id)) } " (" (plural(*count, "commit")) ")"
                        }
                        "."
                    }
                    "\n"
                }
                div class="scroll" {
                    table class="data items" {
                        "\n"
                        thead {
                            tr {
                                th { "Item" } th { "Kind" } th { "Status" } th { "Owners" }
                                th class="num" { "Planned" } th class="num" { "Commits" }
                                th class="num" { "Author-days" } th class="num" { "Authors" }
                                th { "First – last commit" } th { "Plan vs. actual" }
                            }
                        }
                        "\n"
                        @for ((_, q), list) in &groups {
                            tbody {
                                tr class="group" { th colspan="10" { (Repo(q.unwrap_or("outside a quarter"))) } }
                                "\n"
                                @for i in list { (item_row(i, max)) }
                            }
                            "\n"
                        }
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

/// Each KPI with its kind, owners and the items that serve it.
pub fn kpis_section(d: &Dashboard) -> Markup {
    html! {
        section class="panel" id="kpis" {
            "\n"
            (panel_head("KPIs", html! { "what each measures, who owns it, which items serve it" }))
            @if d.kpis.is_empty() {
                (empty_state("No KPIs declared: add [[kpi]] entries, e.g. in roadmap/kpis.toml."))
            } @else {
                div class="kpis" {
                    "\n"
                    @for k in &d.kpis {
                        div class="kpi" data-kpi=(Repo(&k.id)) {
                            div class="kpi-head" {
                                a class="q" href=(file_href(&k.file, Some(k.line))) { (Repo(&k.id)) }
                                @if let Some(kind) = &k.kind {
                                    span class={ "badge kpi-" (Repo(kind)) } { (Repo(kind)) }
                                }
                            }
                            @if let Some(desc) = &k.description { div class="reason" { (Repo(desc)) } }
                            div class="sub" {
                                "owners " (Repo(k.product_owner.as_deref().unwrap_or("?")))
                                " / " (Repo(k.tech_owner.as_deref().unwrap_or("?")))
                            }
                            div class="chips" {
                                @if k.items.is_empty() {
                                    span class="missing" { "no item serves it" }
                                }
                                @for i in &k.items { span class="chip" { (Repo(i)) } }
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
