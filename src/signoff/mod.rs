//! The sign-off engine: the one place that decides whether a commit is
//! signed off, and how its trailers are read ([`trailers`]).
//! `locked-scope`, `technology-signoff` and `policy-signoff` all ask here, so
//! a sign-off means the same thing for a quarter's scope, a technology and
//! the agreement itself. An engine, not a rule: it sits below the rules.

pub(crate) mod ssh;
pub(crate) mod trailers;

use crate::facts::{LockedChange, Signoff};
use crate::people;

/// What is missing or wrong in a sign-off; empty when it is valid.
///
/// A product trailer must name a product approver and a tech trailer a tech
/// approver, two different people. Approvers are the `[signoff]` lists as
/// they stood before the commit when non-empty, otherwise the owners as they
/// stood then. A side
/// with several trailers is signed when any one of them names a valid
/// approver (line order decides nothing); an invalid name is reported only
/// when no valid one exists.
///
/// Under `[signoff] verify = "ssh"` the history hands the change's verified
/// approvals over (`s.approvals`), and they alone decide (SPEC §9.4): the
/// trailers are then informational.
pub(crate) fn problems(s: &Signoff) -> Vec<String> {
    let cfg = &s.rules.signoff;
    if let Some(approvals) = &s.approvals {
        let role = |listed: &'_ [String], owners: &'_ [String], what: &str| {
            if listed.is_empty() {
                (
                    owners.to_vec(),
                    format!("the {what} owners before this commit"),
                )
            } else {
                (listed.to_vec(), s.rules.listed_in(what))
            }
        };
        let (p, pw) = role(&cfg.product_approvers, &s.product_owners, "product");
        let (t, tw) = role(&cfg.tech_approvers, &s.tech_owners, "tech");
        return ssh::judge::problems(
            approvals,
            &ssh::judge::Approvers {
                people: &p,
                whose: pw,
            },
            &ssh::judge::Approvers {
                people: &t,
                whose: tw,
            },
        );
    }
    let mut out = Vec::new();
    let product = side(
        &s.product,
        &cfg.product_trailer,
        (&cfg.product_approvers, s.rules.listed_in("product")),
        &s.product_owners,
        "product",
        &mut out,
    );
    let tech = side(
        &s.tech,
        &cfg.tech_trailer,
        (&cfg.tech_approvers, s.rules.listed_in("tech")),
        &s.tech_owners,
        "tech",
        &mut out,
    );
    // One person on both sides, among the names written or among the
    // valid ones: nobody approves alone.
    let alone = |p: &[&str], t: &[&str]| {
        !p.is_empty() && !t.is_empty() && p.iter().all(|p| t.iter().all(|t| people::same(p, t)))
    };
    if alone(&product.0, &tech.0) || alone(&product.1, &tech.1) {
        out.push(format!(
            "`{}` signed both sides, and nobody approves alone",
            tech.0[0]
        ));
    }
    if !out.is_empty() {
        out.extend(s.misplaced.iter().cloned());
    }
    out
}

/// Whether a `[[waiver]]` approved by `approved_by` is sealed by the commit
/// signed `s` that added it: the commit is signed off, and the waiver names
/// the same two people who signed it (SPEC §9.2). `None` when it is;
/// otherwise why not.
pub(crate) fn seal_problem(s: &Signoff, approved_by: &[String]) -> Option<String> {
    let problems = problems(s);
    if !problems.is_empty() {
        return Some(format!("it is not signed off: {}", problems.join("; ")));
    }
    let (product, tech) = signers(s);
    let named = |signers: &[&str]| {
        approved_by
            .iter()
            .find(|a| signers.iter().any(|s| people::same(s, a)))
            .cloned()
    };
    match (named(&product), named(&tech)) {
        (Some(p), Some(t)) if !people::same(&p, &t) => None,
        _ => Some(format!(
            "its `approved_by` ({}) does not name the two people who signed the commit ({} and {})",
            approved_by.join(", "),
            product.join(" or "),
            tech.join(" or ")
        )),
    }
}

/// Who signed `s` for each side: the valid trailer names, or under
/// verified sign-off the principals (and their aliases) of the verified
/// approvals.
fn signers(s: &Signoff) -> (Vec<&str>, Vec<&str>) {
    if let Some(a) = &s.approvals {
        let of = |role: &str| -> Vec<&str> {
            a.found
                .iter()
                .filter(|f| f.problem.is_none() && f.role == role)
                .flat_map(|f| {
                    std::iter::once(f.principal.as_str())
                        .chain(f.aliases.iter().map(String::as_str))
                })
                .collect()
        };
        return (of("product"), of("tech"));
    }
    let cfg = &s.rules.signoff;
    let mut ignored = Vec::new();
    let (_, product) = side(
        &s.product,
        &cfg.product_trailer,
        (&cfg.product_approvers, s.rules.listed_in("product")),
        &s.product_owners,
        "product",
        &mut ignored,
    );
    let (_, tech) = side(
        &s.tech,
        &cfg.tech_trailer,
        (&cfg.tech_approvers, s.rules.listed_in("tech")),
        &s.tech_owners,
        "tech",
        &mut ignored,
    );
    (product, tech)
}

/// Judge one side's trailers: the names written and the valid approvers
/// among them, with a problem pushed when there is none.
fn side<'s>(
    values: &'s [String],
    trailer: &str,
    (listed, listed_in): (&[String], String),
    owners: &[String],
    what: &str,
    out: &mut Vec<String>,
) -> (Vec<&'s str>, Vec<&'s str>) {
    let (approvers, whose) = if listed.is_empty() {
        (owners, format!("the {what} owners before this commit"))
    } else {
        (listed, listed_in)
    };
    let named: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let valid: Vec<&str> = named
        .iter()
        .copied()
        .filter(|v| approvers.iter().any(|a| people::same(a, v)))
        .collect();
    match (named.first(), valid.is_empty()) {
        (None, _) => out.push(format!(
            "no `{trailer}` trailer (who could sign: {})",
            who(approvers)
        )),
        (Some(v), true) => out.push(format!(
            "`{trailer}` names `{v}`, who is not a {what} approver ({whose}: {})",
            who(approvers)
        )),
        (Some(_), false) => {}
    }
    (named, valid)
}

/// The people named, for a message (`nobody` when the list is empty).
fn who(list: &[String]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for p in list {
        if !seen.iter().any(|s| people::same(s, p)) {
            seen.push(p.trim().to_string());
        }
    }
    if seen.is_empty() {
        "nobody".into()
    } else {
        seen.join(", ")
    }
}

/// What is wrong with a change to a locked quarter's sign-off; empty when
/// it is signed off. A merge is signed off by its own trailers, or when every
/// commit it brings in that changes the quarter is signed off and it adds no
/// change of its own.
pub(crate) fn locked_problems(change: &LockedChange) -> Vec<String> {
    let own = problems(&change.signoff);
    let Some(merge) = &change.merge else {
        return own;
    };
    if own.is_empty() {
        return own;
    }
    let mut why = Vec::new();
    if !merge.own.is_empty() {
        let what: Vec<String> = merge.own.iter().map(ToString::to_string).collect();
        why.push(format!(
            "the merge itself {} (no parent had it)",
            what.join(", ")
        ));
    }
    for b in &merge.brought {
        let p = problems(&b.signoff);
        if !p.is_empty() {
            why.push(format!(
                "it brings in commit {} ({}), which is not signed off: {}",
                short(&b.commit.id),
                b.commit.subject,
                p.join("; ")
            ));
        }
    }
    if why.is_empty() {
        return Vec::new();
    }
    why.extend(own.into_iter().map(|p| format!("the merge has {p}")));
    why
}

/// A commit id cut to 12 digits: the length a commit waiver needs.
pub(crate) fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(p: Option<&str>, t: Option<&str>) -> Signoff {
        Signoff {
            product: p.into_iter().map(Into::into).collect(),
            tech: t.into_iter().map(Into::into).collect(),
            misplaced: Vec::new(),
            product_owners: vec!["dana".into()],
            tech_owners: vec!["lee".into(), "sam".into()],
            rules: Default::default(),
            approvals: None,
        }
    }

    #[test]
    fn one_product_and_one_tech_approver_two_people() {
        assert!(problems(&s(Some("Dana <dana@example.com>"), Some("LEE"))).is_empty());
        let p = problems(&s(None, Some("eve")));
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("no `Product-Approved-By` trailer (who could sign: dana)"));
        assert!(p[1].contains("`Tech-Approved-By` names `eve`, who is not a tech approver (the tech owners before this commit: lee, sam)"), "{}", p[1]);
        let mut alone = s(Some("sam"), Some("sam"));
        alone.product_owners.push("sam".into());
        assert!(problems(&alone)[0].contains("nobody approves alone"));
    }

    #[test]
    fn approver_lists_replace_the_owners() {
        let with_pat = |mut s: Signoff| {
            s.rules.signoff.product_approvers = vec!["pat".into()];
            s
        };
        assert!(problems(&with_pat(s(Some("pat"), Some("lee")))).is_empty());
        let p = problems(&with_pat(s(Some("dana"), Some("lee"))));
        assert!(
            p[0].contains("(`[signoff] product_approvers`: pat)"),
            "{p:?}"
        );
    }
}
