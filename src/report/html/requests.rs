//! The requests section: customer feature requests through the pipeline.

use super::*;

/// The request statuses along the pipeline, in the model's order (a
/// rejected request leaves the pipeline; it is counted under "also").
pub(super) fn pipeline_statuses() -> impl Iterator<Item = &'static str> {
    RequestStatus::ALL
        .iter()
        .filter(|(_, s)| *s != RequestStatus::Rejected)
        .map(|(word, _)| *word)
}

pub(super) fn requests_section(d: &Dashboard) -> Markup {
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
