//! The sign-off engine: the one place that decides whether a commit is
//! signed off. `locked-scope` and `technology-signoff` both ask here, so a
//! sign-off means the same thing for a quarter's scope and for a technology.

use crate::facts::{LockedChange, Signoff};
use crate::people;
use crate::settings::SignoffConfig;

/// What is missing or wrong in a sign-off; empty when it is valid.
///
/// The product trailer must name a product approver and the tech trailer a
/// tech approver, two different people. Approvers are the `[signoff]` lists
/// when non-empty, otherwise the owners as they stood before the commit.
pub fn problems(s: &Signoff, cfg: &SignoffConfig) -> Vec<String> {
    let mut out = Vec::new();
    let side = |value: Option<&str>,
                trailer: &str,
                listed: &[String],
                owners: &[String],
                what: &str,
                out: &mut Vec<String>| {
        let (approvers, whose) = if listed.is_empty() {
            (owners, format!("the {what} owners before this commit"))
        } else {
            (listed, format!("`[signoff] {what}_approvers`"))
        };
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => out.push(format!(
                "no `{trailer}` trailer (who could sign: {})",
                who(approvers)
            )),
            Some(v) if !approvers.iter().any(|a| people::same(a, v)) => out.push(format!(
                "`{trailer}` names `{v}`, who is not a {what} approver ({whose}: {})",
                who(approvers)
            )),
            Some(_) => {}
        }
    };
    side(
        s.product.as_deref(),
        &cfg.product_trailer,
        &cfg.product_approvers,
        &s.product_owners,
        "product",
        &mut out,
    );
    side(
        s.tech.as_deref(),
        &cfg.tech_trailer,
        &cfg.tech_approvers,
        &s.tech_owners,
        "tech",
        &mut out,
    );
    if let (Some(p), Some(t)) = (&s.product, &s.tech) {
        if !p.trim().is_empty() && people::same(p, t) {
            out.push(format!(
                "`{}` signed both sides, and nobody approves alone",
                t.trim()
            ));
        }
    }
    out
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
pub fn locked_problems(change: &LockedChange, cfg: &SignoffConfig) -> Vec<String> {
    let own = problems(&change.signoff, cfg);
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
        let p = problems(&b.signoff, cfg);
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
pub fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(p: Option<&str>, t: Option<&str>) -> Signoff {
        Signoff {
            product: p.map(Into::into),
            tech: t.map(Into::into),
            product_owners: vec!["dana".into()],
            tech_owners: vec!["lee".into(), "sam".into()],
        }
    }

    fn cfg() -> SignoffConfig {
        crate::config::Config::default().signoff
    }

    #[test]
    fn one_product_and_one_tech_approver_two_people() {
        assert!(problems(&s(Some("Dana <dana@example.com>"), Some("LEE")), &cfg()).is_empty());
        let p = problems(&s(None, Some("eve")), &cfg());
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("no `Product-Approved-By` trailer (who could sign: dana)"));
        assert!(p[1].contains("`Tech-Approved-By` names `eve`, who is not a tech approver (the tech owners before this commit: lee, sam)"), "{}", p[1]);
        let mut alone = s(Some("sam"), Some("sam"));
        alone.product_owners.push("sam".into());
        assert!(problems(&alone, &cfg())[0].contains("nobody approves alone"));
    }

    #[test]
    fn approver_lists_replace_the_owners() {
        let mut c = cfg();
        c.product_approvers = vec!["pat".into()];
        assert!(problems(&s(Some("pat"), Some("lee")), &c).is_empty());
        let p = problems(&s(Some("dana"), Some("lee")), &c);
        assert!(
            p[0].contains("(`[signoff] product_approvers`: pat)"),
            "{p:?}"
        );
    }
}
