//! `request-fields`: a customer request is complete before it is accepted.

use super::{ids, Context};
use crate::diagnostic::Diagnostic;
use crate::model::{FieldState, Keyword, RequestStatus};

declare_rule! {
    /// ## What it checks
    /// Every request whose `status` is `accepted` or `shipped` has each of the
    /// configured `required` fields filled (default: `business_commitment`,
    /// `technical_feasibility`, `acceptance_criteria`, `roadmap_impact`) and
    /// names the roadmap `item` that delivers it.
    ///
    /// ## Why
    /// Customer feature requests cause whiplash when they enter the roadmap on
    /// a promise alone. Before a request is accepted, product states the
    /// business commitment, engineering states the feasibility, both agree what
    /// "done" means and what the request displaces.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[request]]
    /// id = "REQ-12"
    /// status = "accepted"
    /// business_commitment = "3-year renewal"
    /// ```
    /// Good:
    /// ```toml
    /// [[request]]
    /// id = "REQ-12"
    /// status = "accepted"
    /// business_commitment = "3-year renewal signed, 120k ARR"
    /// technical_feasibility = "IdP library exists; 3 weeks"
    /// acceptance_criteria = ["login via Okta", "SCIM deprovisioning"]
    /// roadmap_impact = "displaces PAY-140 to Q3"
    /// item = "AUTH-9"
    /// ```
    pub const RULE = {
        id: ids::REQUEST_FIELDS,
        group: Plan,
        level: Error,
        summary: "accepted and shipped requests have every required field and name their item",
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let required = &ctx.config.request_required.value;
    for req in ctx.roadmap.requests() {
        let Some(status) = req.status.as_ref().map(|s| s.value) else {
            continue;
        };
        if !matches!(status, RequestStatus::Accepted | RequestStatus::Shipped) {
            continue;
        }
        let what = format!("{} request `{}`", status.as_str(), req.id_str());
        let fields = required
            .iter()
            .map(String::as_str)
            .chain(std::iter::once("item"));
        for field in fields {
            let (span, msg) = match req.field(field) {
                FieldState::Filled => continue,
                FieldState::Missing if field == "item" => {
                    (req.name_span(), format!("{what} names no roadmap `item`"))
                }
                FieldState::Missing => (req.name_span(), format!("{what} has no `{field}`")),
                FieldState::Empty(span) => (span, format!("{what} has an empty `{field}`")),
            };
            let help = match field {
                "item" => {
                    "add `item = \"…\"`: the roadmap item that delivers the request".to_string()
                }
                "acceptance_criteria" => {
                    "add `acceptance_criteria = [\"…\"]`: what done means, agreed by both sides"
                        .to_string()
                }
                f => format!(
                    "fill `{f}` before accepting the request, or set `status = \"proposed\"`"
                ),
            };
            let mut d = Diagnostic::new(ids::REQUEST_FIELDS, msg)
                .at(req.file, span)
                .help(help);
            if field != "item" {
                if let (Some(cfg), Some(cspan)) =
                    (ctx.config.file, ctx.config.request_required.span)
                {
                    d = d.with_label(cfg, cspan, "required here");
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{ids, tester};

    const FULL: &str = "[[request]]\nid = \"R\"\ncustomer = \"Acme\"\ntitle = \"SSO\"\nstatus = \"accepted\"\nbusiness_commitment = \"renewal\"\ntechnical_feasibility = \"3 weeks\"\nacceptance_criteria = [\"okta\"]\nroadmap_impact = \"none\"\nitem = \"A\"\n[[item]]\nid = \"A\"\n";

    #[test]
    fn pass() {
        tester::pass(
            ids::REQUEST_FIELDS,
            &[
                FULL,
                "[[request]]\nid = \"R\"\nstatus = \"proposed\"\n",
                &FULL.replace("accepted", "shipped"),
            ],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ids::REQUEST_FIELDS,
            &[
                (
                    &FULL.replace("roadmap_impact = \"none\"\n", ""),
                    &[(2, "accepted request `R` has no `roadmap_impact`")],
                ),
                (
                    &FULL.replace("[\"okta\"]", "[\" \"]"),
                    &[(8, "has an empty `acceptance_criteria`")],
                ),
                (
                    &FULL.replace("item = \"A\"\n[[item]]", "[[item]]"),
                    &[(2, "names no roadmap `item`")],
                ),
                (
                    &FULL.replace("\"3 weeks\"", "\"\""),
                    &[(7, "empty `technical_feasibility`")],
                ),
            ],
        );
    }
}
