//! `policy-signoff`: the agreement itself is locked. `history/` finds every
//! commit that changed the meaning of `roadlint.toml`; the sign-off engine
//! ([`crate::signoff`]) judges each, exactly as it judges a locked quarter's
//! scope change.

use super::locked_scope::who;
use super::Context;
use crate::diagnostic::Diagnostic;
use crate::facts::{PolicyChange, SignoffRules};
use crate::settings::SignoffConfig;
use crate::signoff::problems;

declare_rule! {
    /// ## What it checks
    /// Every commit reachable from HEAD that changes the meaning of
    /// `roadlint.toml` against its first parent — any difference in its
    /// parsed value (comments, whitespace and key order are free), or
    /// deleting it — carries both sign-off trailers: `Product-Approved-By:`
    /// naming a product approver and `Tech-Approved-By:` naming a tech
    /// approver, two different people. Approvers are the `[signoff]` lists
    /// when set, otherwise the owners anywhere in the roadmap as it stood
    /// before the commit. The commit that first adds `roadlint.toml` is the
    /// adoption baseline and is not judged.
    ///
    /// ## Why
    /// `roadlint.toml` is the agreement between product and engineering:
    /// the debt share, who signs, which rules hold. A gate that can be
    /// switched off in the same commit that walks through it protects
    /// nothing, so changing the agreement takes the same two signatures as
    /// changing a locked quarter.
    ///
    /// ## Example
    /// Bad: a commit `chore: relax the gate` sets
    /// `locked-scope = "off"` with no trailers; roadlint reports it as
    /// "turns locked-scope off". So is one that adds `mallory` to
    /// `product_approvers` ("adds mallory to product_approvers") or moves
    /// the roadmap ("changes the roadmap globs").
    ///
    /// Good:
    /// ```text
    /// chore: relax the debt share to 15% for the migration quarter
    ///
    /// Product-Approved-By: dana
    /// Tech-Approved-By: lee
    /// ```
    pub const RULE = {
        id: "policy-signoff",
        group: History,
        level: Error,
        summary: "a change to roadlint.toml's meaning carries product and tech sign-off trailers",
        needs: crate::facts::Needs::POLICY_CHANGES,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    for change in &facts.policy_changes {
        let problems = problems(&change.signoff, &stood(&change.rules));
        if !problems.is_empty() {
            out.push(diagnostic(ctx, change, &problems));
        }
    }
}

/// The `[signoff]` table the commit's first parent held: who could sign a
/// change to the agreement is decided before the change, never by it.
fn stood(rules: &SignoffRules) -> SignoffConfig {
    SignoffConfig {
        product_trailer: rules.product_trailer.clone(),
        tech_trailer: rules.tech_trailer.clone(),
        product_approvers: rules.product_approvers.clone(),
        tech_approvers: rules.tech_approvers.clone(),
        // Whether approvals are verified is decided by the history (the
        // change then carries its approvals); these are not read here.
        verify: crate::settings::Verify::Trailers,
        allowed_signers: String::new(),
        approvals: String::new(),
    }
}

fn diagnostic(ctx: &Context<'_>, change: &PolicyChange, problems: &[String]) -> Diagnostic {
    let cfg = &change.rules;
    let mut d = Diagnostic::new(
        ID,
        format!(
            "{} changes the agreement in roadlint.toml ({}) without valid sign-off: {}",
            who(&change.commit.id),
            change.changes.join(", "),
            problems.join("; ")
        ),
    )
    .help(format!(
        "a change to roadlint.toml needs `{}: <product approver>` and `{}: <tech approver>` trailers in a paragraph made only of trailers, two different people; for a commit already made, add a `[[waiver]]` with `commit = \"<id>\"`, a reason and both approvers",
        cfg.product_trailer, cfg.tech_trailer
    ));
    if let Some(file) = ctx.config.file {
        d = d.at(file, crate::source::Span::default());
    }
    d.made_by(&change.commit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::CommitRef;
    use crate::facts::{Facts, Signoff};
    use crate::rules::tester;

    const PLAN: &str = "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n";

    fn facts(product: Option<&str>, tech: Option<&str>) -> Facts {
        Facts {
            policy_changes: vec![PolicyChange {
                commit: CommitRef {
                    id: "0123456789abcdef0123456789abcdef01234567".into(),
                    subject: "chore: relax the gate".into(),
                },
                changes: vec!["turns locked-scope off".into()],
                signoff: Signoff {
                    product: product.into_iter().map(Into::into).collect(),
                    tech: tech.into_iter().map(Into::into).collect(),
                    misplaced: Vec::new(),
                    product_owners: vec!["dana".into()],
                    tech_owners: vec!["lee".into()],
                    approvals: None,
                },
                rules: SignoffRules {
                    product_trailer: "Product-Approved-By".into(),
                    tech_trailer: "Tech-Approved-By".into(),
                    ..SignoffRules::default()
                },
            }],
            ..Facts::default()
        }
    }

    fn run(f: &Facts) -> Vec<String> {
        tester::run_history(PLAN, f)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .map(|(d, ..)| d.message)
            .collect()
    }

    #[test]
    fn pass() {
        assert!(run(&facts(Some("dana"), Some("lee"))).is_empty());
    }

    #[test]
    fn fail() {
        let got = run(&facts(Some("dana"), None));
        assert_eq!(got.len(), 1);
        assert!(
            got[0].contains("changes the agreement in roadlint.toml (turns locked-scope off)"),
            "{got:?}"
        );
        assert!(got[0].contains("no `Tech-Approved-By` trailer"), "{got:?}");
        let forged = run(&facts(Some("mallory"), Some("lee")));
        assert!(forged[0].contains("`mallory`, who is not a product approver"));
    }
}
