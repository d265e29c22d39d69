//! `dual-ownership`: product owns what and why, technology owns how.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::reader::Flawed;
use crate::source::{Span, Spanned};

declare_rule! {
    /// ## What it checks
    /// Every item names a `product_owner` and a `tech_owner`, and they are
    /// different people (compared without case or surrounding blanks).
    ///
    /// ## Why
    /// Blurred roles are the root of most product/engineering fights. Product
    /// owns the *what* and *why*, technology owns the *how*; desirability and
    /// scalability are a handshake, not a handoff. An item with one owner, or
    /// the same person twice, has skipped the handshake.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// product_owner = "dana"
    /// tech_owner = "dana"
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// product_owner = "dana"
    /// tech_owner = "lee"
    /// ```
    pub const RULE = {
        id: "dual-ownership",
        group: Plan,
        level: Error,
        summary: "every item has a product owner and a different tech owner",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

/// Whether an owner field is filled.
pub fn filled(f: &Option<Spanned<String>>) -> Option<&Spanned<String>> {
    f.as_ref().filter(|s| !s.value.trim().is_empty())
}

/// Whether two names are the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    crate::people::same(a, b)
}

/// Check one owner pair; `what` names the entry ("item `PAY-1`").
pub fn check_pair(
    what: &str,
    at: Span,
    product: &Option<Spanned<String>>,
    tech: &Option<Spanned<String>>,
    flawed: &Flawed,
    mut emit: impl FnMut(Span, String, String),
) {
    // An owner field with a schema problem is reported there, once.
    if flawed.has("product_owner") || flawed.has("tech_owner") {
        return;
    }
    match (filled(product), filled(tech)) {
        (None, None) => emit(
            at,
            format!("{what} has neither a product owner nor a tech owner"),
            "add `product_owner` (what and why) and `tech_owner` (how)".into(),
        ),
        (None, Some(_)) => emit(
            at,
            format!("{what} has no product owner"),
            "add `product_owner`: who owns what and why".into(),
        ),
        (Some(_), None) => emit(
            at,
            format!("{what} has no tech owner"),
            "add `tech_owner`: who owns how".into(),
        ),
        (Some(p), Some(t)) if same_person(&p.value, &t.value) => emit(
            t.span,
            format!(
                "{what} has the same person, `{}`, as product and tech owner",
                t.value.trim()
            ),
            "ownership is a handshake: name a different tech owner or product owner".into(),
        ),
        _ => {}
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for item in ctx.roadmap.items() {
        let what = format!("item `{}`", item.id_str());
        check_pair(
            &what,
            item.name_span(),
            &item.product_owner,
            &item.tech_owner,
            &item.flawed,
            |span, msg, help| {
                let mut d = Diagnostic::new(ID, msg)
                    .at(item.file, span)
                    .help(help)
                    .item(item.id_str());
                if let Some(q) = item.quarter {
                    d = d.quarter(q);
                }
                out.push(d);
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    #[test]
    fn pass() {
        tester::pass(
            ID,
            &["[[item]]\nid = \"A\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n"],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    "[[item]]\nid = \"A\"\nproduct_owner = \"dana\"\ntech_owner = \" Dana\"\n",
                    &[(4, "same person, `Dana`")],
                ),
                (
                    "[[item]]\nid = \"A\"\nproduct_owner = \"dana\"\n",
                    &[(2, "item `A` has no tech owner")],
                ),
                (
                    "[[item]]\nid = \"A\"\ntech_owner = \"lee\"\nproduct_owner = \"  \"\n",
                    &[(2, "has no product owner")],
                ),
                (
                    "[[item]]\nid = \"A\"\n",
                    &[(2, "neither a product owner nor a tech owner")],
                ),
            ],
        );
    }
}
