//! `technology-signoff`: a technology changes stage only with both sign-offs.
//! `history/` finds every commit that moved, added (past `assess`) or removed
//! a technology; the sign-off engine ([`crate::signoff`]) judges each, exactly
//! as it judges a locked quarter's scope change.

use super::locked_scope::who;
use super::Context;
use crate::diagnostic::Diagnostic;
use crate::facts::TechChange;
use crate::signoff::problems;

declare_rule! {
    /// ## What it checks
    /// Every commit reachable from HEAD after which a technology's `stage`
    /// differs from its stage before (against the first parent), or that adds
    /// a technology at a stage other than `assess`, or removes one, carries
    /// both sign-off trailers: `Product-Approved-By:` naming a product
    /// approver and `Tech-Approved-By:` naming a tech approver, two different
    /// people. Approvers are the `[signoff]` lists when set, otherwise the
    /// owners anywhere in the roadmap as it stood before the commit. The
    /// commit that first adds technologies to the roadmap sets the baseline.
    /// A merge is judged on the changes no parent held (the branch commits
    /// that made the others are judged themselves). A `[[waiver]]` with
    /// `commit = "<id>"` signs one commit off after the fact.
    ///
    /// ## Why
    /// Innovation timing is a joint investment decision: moving a technology
    /// to trial or adoption commits engineering time and product risk, so
    /// both sides sign it, and the commit records it.
    ///
    /// ## Example
    /// Bad: a commit `chore: adopt vector-search` changes `stage = "trial"` to
    /// `stage = "adopt"` with no trailers.
    ///
    /// Good:
    /// ```text
    /// chore: adopt vector-search
    ///
    /// Product-Approved-By: dana
    /// Tech-Approved-By: lee
    /// ```
    pub const RULE = {
        id: "technology-signoff",
        group: History,
        level: Error,
        summary: "a technology's stage changes only with product and tech sign-off trailers",
        needs: crate::facts::Needs::TECH_CHANGES,
        hooks: true,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    for change in &facts.tech_changes {
        if !change.signoff.rules.judges(ID) {
            continue;
        }
        let problems = problems(&change.signoff);
        if !problems.is_empty() {
            out.push(diagnostic(ctx, change, &problems));
        }
    }
}

fn diagnostic(ctx: &Context<'_>, change: &TechChange, problems: &[String]) -> Diagnostic {
    let what: Vec<String> = change.changes.iter().map(ToString::to_string).collect();
    let cfg = &ctx.config.signoff;
    let mut d = Diagnostic::new(
        ID,
        format!(
            "{} changes the technologies ({}) without valid sign-off: {}",
            who(&change.commit.id),
            what.join(", "),
            problems.join("; ")
        ),
    )
    .in_roadmap(ctx.config.roadmap_of(&change.path))
    .help(format!(
        "a stage change needs `{}: <product approver>` and `{}: <tech approver>` trailers in a paragraph made only of trailers, two different people; for a commit already made, add a `[[waiver]]` with `commit = \"<id>\"`, a reason and both approvers",
        cfg.product_trailer, cfg.tech_trailer
    ));
    let named = change.changes.iter().find_map(|c| {
        ctx.roadmap
            .technologies()
            .find(|t| t.name.as_ref().is_some_and(|n| n.value == c.name()))
    });
    if let Some(t) = named {
        let span = t.stage.as_ref().map_or(t.span, |s| s.span);
        d = d.at(t.file, span).label("stage changed here");
    } else if let Some(f) = ctx.file_at(&change.path) {
        d = d.at(f.file, crate::source::Span::default());
    }
    if let Some(c) = change.changes.first() {
        d = d.item(c.name());
    }
    d.made_by(&change.commit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::CommitRef;
    use crate::facts::{Facts, Signoff, StageChange};
    use crate::model::Stage;
    use crate::rules::tester;

    const TECH: &str = "[[technology]]\nname = \"vector-search\"\nstage = \"adopt\"\ncriteria = [\"p95\"]\n[[kpi]]\nid = \"k\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n";

    fn facts(product: Option<&str>, tech: Option<&str>) -> Facts {
        Facts {
            tech_changes: vec![TechChange {
                path: "roadmap/technology.toml".into(),
                commit: CommitRef {
                    id: "0123456789abcdef0123456789abcdef01234567".into(),
                    subject: "chore: adopt".into(),
                },
                changes: vec![StageChange::Moved(
                    "vector-search".into(),
                    Stage::Trial,
                    Stage::Adopt,
                )],
                signoff: Signoff {
                    product: product.into_iter().map(Into::into).collect(),
                    tech: tech.into_iter().map(Into::into).collect(),
                    misplaced: Vec::new(),
                    product_owners: vec!["dana".into()],
                    tech_owners: vec!["lee".into()],
                    rules: Default::default(),
                    approvals: None,
                },
            }],
            ..Facts::default()
        }
    }

    fn run(f: &Facts) -> Vec<(usize, String)> {
        tester::run_history(TECH, f)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .map(|(d, line, _)| (line, d.message))
            .collect()
    }

    #[test]
    fn pass() {
        assert!(run(&facts(Some("dana"), Some("lee"))).is_empty());
    }

    #[test]
    fn fail() {
        let got = run(&facts(Some("lee"), None));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 3, "points at the stage");
        insta::assert_snapshot!(tester::render_with(
            ID,
            TECH,
            Some(&facts(Some("lee"), None))
        ));
    }
}
