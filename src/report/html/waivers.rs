//! The waivers section: what is waived, by whom, until when.

use super::*;

pub(super) fn waivers_section(d: &Dashboard) -> Markup {
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
