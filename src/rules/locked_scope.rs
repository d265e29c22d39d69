//! `locked-scope`: once a quarter is locked, scope changes need both sign-offs.
//! `history/` finds every commit that changed a locked quarter's scope (its
//! first-parent version against its own, merges included); this rule asks the
//! sign-off engine ([`crate::signoff`]) whether each was signed off.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::facts::{LockedChange, ScopeChange};
use crate::signoff::{locked_problems, short};

declare_rule! {
    /// ## What it checks
    /// A quarter is followed by its `quarter` value across moves and renames.
    /// A version of it is locked once it has `locked = DATE` and a commit is
    /// made on or after that date (committer time, UTC). Every commit reachable
    /// from HEAD (merges included) that changes a locked quarter's scope
    /// against its first parent carries both sign-off trailers in its last
    /// paragraph: `Product-Approved-By:` naming a product approver and
    /// `Tech-Approved-By:` naming a tech approver, two different people.
    /// Approvers are the `[signoff]` lists when set, otherwise the owners of
    /// the quarter's items as they stood before the commit (a commit cannot
    /// make its own approver). Every commit is judged with the
    /// `roadlint.toml` of its first parent (globs, levels, `[signoff]`), so
    /// a later configuration never reopens or hides an earlier commit.
    ///
    /// Scope is: items added or removed, an item's `effort` or `kind`, an
    /// item entering or leaving `status = "dropped"`, `capacity`, the `locked`
    /// line removed or moved later, and the quarter relabelled or its file
    /// deleted. Wording, owners, KPIs and other status changes are free. The
    /// commit that adds the file or its `locked` line sets the baseline and is
    /// not judged, even with a past date. A merge is signed off by its own
    /// trailers, or when every commit it brings in that changes the quarter
    /// is signed off and it adds no change of its own. A `[[waiver]]` with
    /// `commit = "<id>"` signs one commit off after the fact, once a commit
    /// signed by the two people it names adds it.
    ///
    /// With `[signoff] verify = "ssh"` trailers only inform: the change is
    /// signed off by two approval files in the approvals folder (of the
    /// commit's tree or HEAD's), a product and a tech approval of exactly
    /// this file change (before → after blob), each signed with an SSH key
    /// that the allowed-signers file lists for an approver. `roadlint
    /// approve` writes them; the diagnostic names the missing ones and the
    /// command.
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
        hooks: true,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    for change in &facts.locked_changes {
        if !change.signoff.rules.judges(ID) {
            continue;
        }
        let problems = locked_problems(change);
        if !problems.is_empty() {
            out.push(diagnostic(ctx, change, &problems));
        }
    }
}

/// How a commit is named: by its short id, or as the commit being made.
pub fn who(id: &str) -> String {
    if id.is_empty() {
        "this commit".to_string()
    } else {
        format!("commit {}", short(id))
    }
}

fn diagnostic(ctx: &Context<'_>, change: &LockedChange, problems: &[String]) -> Diagnostic {
    let quarter = change.quarter;
    // The quarter of the same roadmap (SPEC §9.8: two may plan it).
    let roadmap = ctx.config.roadmap_of(&change.path);
    let file = ctx
        .roadmap
        .quarter_files()
        .find(|(f, q)| {
            *q == quarter && ctx.config.roadmap_of(&ctx.sources.get(f.file).path) == roadmap
        })
        .map(|(f, _)| f)
        .or_else(|| ctx.file_at(&change.path));
    let item_change = change.changes.iter().find_map(|c| {
        let id = c.item()?;
        file?.items.iter().find(|i| i.id_str() == id)
    });
    let what: Vec<String> = change.changes.iter().map(ToString::to_string).collect();
    let cfg = &ctx.config.signoff;
    let mut d = Diagnostic::new(
        ID,
        format!(
            "{} changes the scope of locked {quarter} ({}) without valid sign-off: {}",
            who(&change.commit.id),
            what.join(", "),
            problems.join("; ")
        ),
    )
    .quarter(quarter)
    .in_roadmap(roadmap)
    .help(if change.signoff.approvals.is_some() {
        "under `verify = \"ssh\"` a scope change after the lock needs a product and a tech approval file signed by two different approvers: run the `roadlint approve` commands above and commit the files".to_string()
    } else {
        format!(
        "a scope change after the lock needs `{}: <product approver>` and `{}: <tech approver>` trailers in a paragraph made only of trailers, two different people; for a commit already made, add a `[[waiver]]` with `commit = \"<id>\"`, a reason and both approvers",
        cfg.product_trailer, cfg.tech_trailer
    )
    });
    if let Some(f) = file {
        let lock_line = change
            .changes
            .iter()
            .any(ScopeChange::is_lock)
            .then(|| f.locked.as_ref().map(|l| l.span))
            .flatten();
        let (span, label) = match (item_change, lock_line) {
            (Some(i), _) => (i.name_span(), "changed after the lock"),
            (None, Some(span)) => (span, "the lock"),
            (None, None) => (f.quarter_span(), "quarter changed after the lock"),
        };
        d = d.at(f.file, span).label(label);
    }
    if let Some(item) = change.changes.iter().find_map(ScopeChange::item) {
        d = d.item(item);
    }
    d.made_by(&change.commit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::CommitRef;
    use crate::facts::{BroughtIn, Facts, MergeScope, Signoff};
    use crate::rules::tester;

    const PLAN: &str = "quarter = \"2026-Q1\"\nlocked = 2026-01-09\n[[item]]\nid = \"A\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n[[item]]\nid = \"B\"\nproduct_owner = \"sam\"\ntech_owner = \"sam\"\n";

    fn signoff(product: Option<&str>, tech: Option<&str>) -> Signoff {
        Signoff {
            product: product.into_iter().map(str::to_string).collect(),
            tech: tech.into_iter().map(str::to_string).collect(),
            misplaced: Vec::new(),
            product_owners: vec!["dana".into(), "sam".into()],
            tech_owners: vec!["lee".into(), "sam".into()],
            rules: Default::default(),
            approvals: None,
        }
    }

    fn change(changes: Vec<ScopeChange>, s: Signoff) -> LockedChange {
        LockedChange {
            path: "roadmap/2026-Q1.toml".into(),
            quarter: "2026-Q1".parse().unwrap(),
            commit: CommitRef {
                id: "0123456789abcdef0123456789abcdef01234567".into(),
                subject: "feat: more".into(),
            },
            changes,
            signoff: s,
            merge: None,
        }
    }

    fn facts(product: Option<&str>, tech: Option<&str>) -> Facts {
        Facts {
            locked_changes: vec![change(
                vec![ScopeChange::Effort("A".into(), Some(1.0), Some(2.0))],
                signoff(product, tech),
            )],
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
        assert!(run(&facts(Some("Dana <dana@example.com>"), Some(" lee "))).is_empty());
    }

    #[test]
    fn fail() {
        let got = run(&facts(Some("dana"), None));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 4, "points at item A");
        assert!(got[0].1.contains("commit 0123456789ab changes the scope of locked 2026-Q1 (changes the effort of `A` from 1 to 2) without valid sign-off: no `Tech-Approved-By` trailer"), "{}", got[0].1);
        assert!(run(&facts(Some("sam"), Some("sam")))[0]
            .1
            .contains("`sam` signed both sides"));
        assert!(run(&facts(Some("eve"), Some("lee")))[0]
            .1
            .contains("`eve`, who is not a product approver"));
    }

    #[test]
    fn a_merge_is_signed_by_its_branch_or_by_itself() {
        let brought = |s: Signoff| BroughtIn {
            commit: CommitRef {
                id: "fedcba9876543210fedcba9876543210fedcba98".into(),
                subject: "feat: add B-1".into(),
            },
            changes: vec![ScopeChange::Added("B-1".into())],
            signoff: s,
        };
        let merge = |own: Vec<ScopeChange>, b: Signoff, m: Signoff| {
            let mut c = change(vec![ScopeChange::Added("B-1".into())], m);
            c.merge = Some(MergeScope {
                own,
                brought: vec![brought(b)],
            });
            Facts {
                locked_changes: vec![c],
                ..Facts::default()
            }
        };
        let signed = || signoff(Some("dana"), Some("lee"));
        let unsigned = || signoff(None, None);
        assert!(run(&merge(vec![], signed(), unsigned())).is_empty());
        assert!(run(&merge(vec![], unsigned(), signed())).is_empty());
        let got = run(&merge(vec![], unsigned(), unsigned()));
        assert!(
            got[0].1.contains(
                "it brings in commit fedcba987654 (feat: add B-1), which is not signed off"
            ),
            "{}",
            got[0].1
        );
        let evil = run(&merge(
            vec![ScopeChange::Added("C-1".into())],
            signed(),
            unsigned(),
        ));
        assert!(
            evil[0]
                .1
                .contains("the merge itself adds `C-1` (no parent had it)"),
            "{}",
            evil[0].1
        );
    }

    #[test]
    fn the_lock_and_the_quarter_are_pointed_at() {
        let f = Facts {
            locked_changes: vec![change(
                vec![ScopeChange::LockMoved(
                    "2026-01-09".parse().unwrap(),
                    "2026-03-01".parse().unwrap(),
                )],
                signoff(None, Some("lee")),
            )],
            ..Facts::default()
        };
        let got = run(&f);
        assert_eq!(got[0].0, 2, "the locked line");
        insta::assert_snapshot!(tester::render_with(ID, PLAN, Some(&f)));
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
