//! `locked-scope`: once a quarter is locked, scope changes need both sign-offs.
//! `history/` finds the commits that changed a locked quarter's scope; this rule
//! judges their sign-off trailers.

use super::dual_ownership::same_person;
use super::Context;
use crate::diagnostic::Diagnostic;
use crate::facts::LockedChange;
use crate::settings::SignoffConfig;
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it checks
    /// For a quarter file with `locked = DATE`, every commit whose committer
    /// time is on or after that date (UTC) and that changes the quarter's scope
    /// (adds or removes an item, or changes an item's `effort` or `kind`)
    /// carries both sign-off trailers: `Product-Approved-By:` naming a product
    /// owner and `Tech-Approved-By:` naming a tech owner (owners somewhere in
    /// the roadmap), two different people. Status and wording edits are free.
    ///
    /// ## Why
    /// Evolving requirements meet finalized specs. Once a quarter is locked,
    /// changing its scope is a decision both sides take together, and the
    /// commit is where that decision is recorded: nobody approves alone.
    ///
    /// ## Example
    /// Bad: after `locked = 2026-01-09`, a commit `feat: add PAY-140` adds an
    /// item with no trailers.
    ///
    /// Good:
    /// ```text
    /// feat: add PAY-140 to 2026-Q1
    ///
    /// Product-Approved-By: dana
    /// Tech-Approved-By: lee
    /// ```
    pub const RULE = {
        id: "locked-scope",
        group: History,
        level: Error,
        summary: "scope changes to a locked quarter carry product and tech sign-off trailers",
        needs: crate::facts::Needs::LOCKED_SCOPE_CHANGES,
        params: &[],
        check: Some(check),
    };
}

/// Why a change's sign-off is not valid; empty when it is.
pub fn signoff_problems(
    product: Option<&str>,
    tech: Option<&str>,
    products: &BTreeSet<&str>,
    techs: &BTreeSet<&str>,
    cfg: &SignoffConfig,
) -> Vec<String> {
    let mut problems = Vec::new();
    let owner = |set: &BTreeSet<&str>, who: &str| set.iter().any(|o| same_person(o, who));
    match product.map(str::trim).filter(|p| !p.is_empty()) {
        None => problems.push(format!("no {} trailer", cfg.product_trailer)),
        Some(p) if !owner(products, p) => problems.push(format!(
            "{} names `{p}`, who is not a product owner in the roadmap",
            cfg.product_trailer
        )),
        Some(_) => {}
    }
    match tech.map(str::trim).filter(|t| !t.is_empty()) {
        None => problems.push(format!("no {} trailer", cfg.tech_trailer)),
        Some(t) if !owner(techs, t) => problems.push(format!(
            "{} names `{t}`, who is not a tech owner in the roadmap",
            cfg.tech_trailer
        )),
        Some(_) => {}
    }
    if let (Some(p), Some(t)) = (product, tech) {
        if !p.trim().is_empty() && same_person(p, t) {
            problems.push(format!(
                "`{}` signed both sides, and nobody approves alone",
                t.trim()
            ));
        }
    }
    problems
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    let products = ctx.roadmap.product_owners();
    let techs = ctx.roadmap.tech_owners();
    for change in &facts.locked_changes {
        let problems = signoff_problems(
            change.product.as_deref(),
            change.tech.as_deref(),
            &products,
            &techs,
            &ctx.config.signoff,
        );
        if problems.is_empty() {
            continue;
        }
        if let Some(d) = diagnostic(ctx, change, &problems) {
            out.push(d);
        }
    }
}

fn diagnostic(ctx: &Context<'_>, change: &LockedChange, problems: &[String]) -> Option<Diagnostic> {
    let file = ctx.file_at(&change.path)?;
    let quarter = file.quarter.as_ref()?.value;
    let first = change.changes.first()?;
    let item = file.items.iter().find(|i| i.id_str() == first.item());
    let span = item.map_or(file.quarter_span(), |i| i.name_span());
    let what: Vec<String> = change.changes.iter().map(ToString::to_string).collect();
    // The commit-msg hook judges the commit being made, which has no id yet.
    let pending = change.commit.id.is_empty();
    let who = if pending {
        "this commit".to_string()
    } else {
        format!(
            "commit {}",
            &change.commit.id[..change.commit.id.len().min(10)]
        )
    };
    let cfg = &ctx.config.signoff;
    let d = Diagnostic::new(
            ID,
            format!("{who} changes the scope of locked {quarter} ({}) without valid sign-off: {}", what.join(", "), problems.join("; ")),
        )
        .at(file.file, span)
        .label(if item.is_some() { "changed after the lock" } else { "quarter changed after the lock" })
        .quarter(quarter)
        .item(first.item())
        .help(format!(
            "scope changes after the lock need `{}: <product owner>` and `{}: <tech owner>` trailers, two different people; amend the commit message, or add a waiver",
            cfg.product_trailer, cfg.tech_trailer
        ));
    Some(if pending {
        d
    } else {
        d.commit(change.commit.id.clone(), change.commit.subject.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::CommitRef;
    use crate::facts::{Facts, ScopeChange};
    use crate::rules::tester;

    const PLAN: &str = "quarter = \"2026-Q1\"\nlocked = 2026-01-09\n[[item]]\nid = \"A\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n[[item]]\nid = \"B\"\nproduct_owner = \"sam\"\ntech_owner = \"sam\"\n";

    fn facts(product: Option<&str>, tech: Option<&str>) -> Facts {
        Facts {
            locked_changes: vec![LockedChange {
                path: "roadmap/2026-Q1.toml".into(),
                commit: CommitRef {
                    id: "0123456789abcdef0123456789abcdef01234567".into(),
                    subject: "feat: more".into(),
                },
                changes: vec![ScopeChange::Effort("A".into(), Some(1.0), Some(2.0))],
                product: product.map(str::to_string),
                tech: tech.map(str::to_string),
            }],
            ..Facts::default()
        }
    }

    fn run(f: &Facts) -> Vec<(usize, String)> {
        tester::run_history(PLAN, f)
            .into_iter()
            .filter(|(d, ..)| d.rule == ID)
            .map(|(d, line, _)| (line, d.message))
            .collect()
    }

    #[test]
    fn pass() {
        assert!(run(&facts(Some("dana"), Some("lee"))).is_empty());
        assert!(run(&facts(Some("Dana"), Some(" lee "))).is_empty());
    }

    #[test]
    fn fail() {
        let got = run(&facts(Some("dana"), None));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 4, "points at item A");
        assert!(got[0].1.contains("commit 0123456789 changes the scope of locked 2026-Q1 (changes the effort of `A` from 1 to 2) without valid sign-off: no Tech-Approved-By trailer"), "{}", got[0].1);
        assert!(run(&facts(Some("sam"), Some("sam")))[0]
            .1
            .contains("`sam` signed both sides"));
        assert!(run(&facts(Some("eve"), Some("lee")))[0]
            .1
            .contains("`eve`, who is not a product owner"));
        assert!(run(&facts(Some("lee"), Some("dana")))[0]
            .1
            .contains("not a product owner"));
    }

    #[test]
    fn the_commit_travels_with_the_diagnostic() {
        let got = tester::run_history(PLAN, &facts(None, None));
        let d = got.iter().find(|(d, ..)| d.rule == ID).unwrap();
        assert_eq!(
            d.0.commit.as_ref().unwrap().id,
            "0123456789abcdef0123456789abcdef01234567"
        );
        assert_eq!(d.0.item.as_deref(), Some("A"));
    }
}
