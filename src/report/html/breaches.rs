//! The breaches section: every diagnostic of the run, errors first.

use super::*;

pub(super) fn breach_row(r: &DiagnosticRow) -> Markup {
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

pub(super) fn breaches_section(d: &Dashboard, errors: usize, warnings: usize) -> Markup {
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
