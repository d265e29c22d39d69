//! `request-fields`: a customer request is complete before it is accepted.

use super::Context;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::model::{FieldState, Keyword, Request, RequestStatus, REQUEST_FIELDS};
use crate::settings::{Config, Param, Params, RuleSettings, Setting};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// Every request whose `status` is `accepted` or `shipped` has each of the
    /// configured `required` fields filled (see Settings below) and names the
    /// roadmap `item` that delivers it.
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
        id: "request-fields",
        group: Plan,
        level: Error,
        summary: "accepted and shipped requests have every required field and name their item",
        needs: crate::facts::Needs::NOTHING,
        settings: Settings,
        check: Some(check),
    };
}

/// The fields an accepted request must fill (besides `item`).
const REQUIRED: Param<Settings, Vec<String>> = Param::words(
    "required",
    "request field",
    REQUEST_FIELDS,
    &[
        "business_commitment",
        "technical_feasibility",
        "acceptance_criteria",
        "roadmap_impact",
    ],
    "the fields an accepted or shipped request must fill, besides `item`",
);

/// `request-fields`' settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The fields an accepted or shipped request must fill, besides `item`.
    pub required: Setting<Vec<String>>,
}

impl RuleSettings for Settings {
    const RULE: crate::diagnostic::RuleId = ID;
    const PARAMS: &'static [crate::settings::ParamDecl] = &[REQUIRED.decl];

    fn read(p: &Params<'_, Self>) -> Self {
        Settings {
            required: p.get(&REQUIRED),
        }
    }
}

/// The required fields `req` leaves missing or empty, with their state; none
/// for a request that is not accepted or shipped. The rule and the report
/// both ask here.
pub fn missing_fields(config: &Config, req: &Request) -> Vec<(String, FieldState)> {
    let accepted = req
        .status
        .as_ref()
        .is_some_and(|s| matches!(s.value, RequestStatus::Accepted | RequestStatus::Shipped));
    if !accepted {
        return Vec::new();
    }
    Settings::of(config)
        .required
        .value
        .into_iter()
        .chain(std::iter::once("item".to_string()))
        .filter(|f| !req.flawed.has(f))
        .filter_map(|f| match req.field(&f) {
            FieldState::Filled => None,
            state => Some((f, state)),
        })
        .collect()
}

/// `field = ""` (`[]` for a list) after the request's last field: a start
/// the author must fill, so only offered, never applied by `--fix`.
fn add_field(req: &Request, field: &str) -> Fix {
    let empty = if field == "acceptance_criteria" {
        "[]"
    } else {
        "\"\""
    };
    let end = [
        req.id.as_ref().map(|s| s.span),
        req.customer.as_ref().map(|s| s.span),
        req.title.as_ref().map(|s| s.span),
        req.status.as_ref().map(|s| s.span),
        req.acceptance_criteria.as_ref().map(|s| s.span),
        req.item.as_ref().map(|s| s.span),
    ]
    .into_iter()
    .flatten()
    .chain(req.texts.values().map(|s| s.span))
    .map(|s| s.end)
    .fold(req.span.end, usize::max);
    Fix::replace(
        format!("Add `{field}` to the request"),
        Applicability::Unsafe,
        req.file,
        Span::new(end, end),
        format!("\n{field} = {empty}"),
    )
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let required = Settings::of(ctx.config).required;
    for req in ctx.roadmap.requests() {
        let missing = missing_fields(ctx.config, req);
        let Some(status) = req.status.as_ref().map(|s| s.value) else {
            continue;
        };
        let what = format!("{} request `{}`", status.as_str(), req.id_str());
        for (field, state) in missing {
            let field = field.as_str();
            let (span, msg) = match state {
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
            let mut d = Diagnostic::new(ID, msg).at(req.file, span).help(help);
            if matches!(state, FieldState::Missing) && field != "item" {
                d = d.fix(add_field(req, field));
            }
            if field != "item" {
                if let (Some(cfg), Some(cspan)) = (required.file.or(ctx.config.file), required.span)
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
    use super::ID;
    use crate::rules::tester;

    const FULL: &str = "[[request]]\nid = \"R\"\ncustomer = \"Acme\"\ntitle = \"SSO\"\nstatus = \"accepted\"\nbusiness_commitment = \"renewal\"\ntechnical_feasibility = \"3 weeks\"\nacceptance_criteria = [\"okta\"]\nroadmap_impact = \"none\"\nitem = \"A\"\n[[item]]\nid = \"A\"\n";

    #[test]
    fn pass() {
        tester::pass(
            ID,
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
            ID,
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
