//! `policy-signoff`: the agreement itself is locked. `history/` finds every
//! commit that changed the meaning of `roadlint.toml`; the sign-off engine
//! ([`crate::signoff`]) judges each, exactly as it judges a locked quarter's
//! scope change.

use super::locked_scope::who;
use super::Context;
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{PolicyChange, WaiverChange, WaiverTerms};
use crate::signoff::problems;
use crate::signoff::ssh::allowed_signers::AllowedSigners;
use crate::source::{FileId, Span};

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
    /// Every commit is judged with the agreement of its first parent: its
    /// `[signoff]` lists and trailer names, its rule levels (a commit that
    /// turns this rule off is still judged by it). Adding, changing or
    /// removing a `[[waiver]]` of `locked-scope`, `technology-signoff` or
    /// `policy-signoff`, or one naming a `commit`, is a change of the
    /// agreement too; such a waiver takes effect only from a signed commit
    /// whose two signers its `approved_by` names.
    ///
    /// Under verified sign-off (`[signoff] verify = "ssh"`) the trailers
    /// are informational: each file changed needs a product and a tech
    /// approval file instead. The files of verified sign-off are part of
    /// the agreement too: a change to the allowed signers (the trust root,
    /// verified with the previous version's keys), and deleting or
    /// rewriting a file of the approvals folder (an approval taken back
    /// could un-sign a change), each approved like the change itself.
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
    /// `product_approvers` ("adds mallory to product_approvers"), one that
    /// moves the roadmap ("changes the roadmap globs"), and one that adds a
    /// quarter-wide `locked-scope` waiver ("adds a waiver of locked-scope in
    /// 2026-Q1").
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
        hooks: true,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.history else {
        return;
    };
    for change in &facts.policy_changes {
        if !change.signoff.rules.judges(ID) {
            continue;
        }
        let problems = problems(&change.signoff);
        if !problems.is_empty() {
            out.push(diagnostic(ctx, change, &problems));
        }
    }
    for change in &facts.waiver_changes {
        if change.signoff.rules.judges(ID) && super::waiver::changes_the_agreement(&change.terms) {
            let problems = problems(&change.signoff);
            if !problems.is_empty() {
                out.push(waiver_diagnostic(ctx, change, &problems));
            }
        }
    }
}

/// A waiver of a gate rule or of a commit changed without sign-off; it
/// points at the waiver as it stands today, when it still does.
fn waiver_diagnostic(ctx: &Context<'_>, change: &WaiverChange, problems: &[String]) -> Diagnostic {
    let terms = &change.terms;
    let cfg = &change.signoff.rules.signoff;
    let mut d = Diagnostic::new(
        ID,
        format!(
            "{} changes the agreement ({} {}) without valid sign-off: {}",
            who(&change.commit.id),
            change.edit.verb(),
            super::waiver::describe(terms),
            problems.join("; ")
        ),
    )
    .help(format!(
        "a waiver of a gate rule or of a commit is signed like the change it excuses: `{}: <product approver>` and `{}: <tech approver>` trailers on the commit that adds it, and the same two people in its `approved_by`",
        cfg.product_trailer, cfg.tech_trailer
    ));
    let today = ctx
        .roadmap
        .waivers()
        .find(|w| WaiverTerms::of(w).target() == terms.target());
    if let Some(w) = today {
        d = d.at(w.file, w.rule.as_ref().map_or(w.span, |r| r.span));
    }
    if let Some(q) = terms.quarter {
        d = d.quarter(q);
    }
    d.made_by(&change.commit)
}

fn diagnostic(ctx: &Context<'_>, change: &PolicyChange, problems: &[String]) -> Diagnostic {
    let cfg = &change.signoff.rules.signoff;
    let what = if change.only_signoff_files {
        "the agreement"
    } else {
        "the agreement in roadlint.toml"
    };
    let mut d = Diagnostic::new(
        ID,
        format!(
            "{} changes {what} ({}) without valid sign-off: {}",
            who(&change.commit.id),
            change.changes.join(", "),
            problems.join("; ")
        ),
    )
    .help(if change.signoff.approvals.is_some() {
        "under verified sign-off, a change to roadlint.toml, to the allowed signers or to an approval already given needs a product and a tech approval file for each file changed, from two different people: run the `roadlint approve` commands above".to_string()
    } else {
        format!(
            "a change to roadlint.toml needs `{}: <product approver>` and `{}: <tech approver>` trailers in a paragraph made only of trailers, two different people; for a commit already made, add a `[[waiver]]` with `commit = \"<id>\"`, a reason and both approvers",
            cfg.product_trailer, cfg.tech_trailer
        )
    });
    if let Some(file) = ctx.config.file {
        let text = &ctx.sources.get(file).text;
        let line = change.key.as_deref().and_then(|k| key_line(text, k));
        d = match line {
            Some(span) => d.at(file, span).label("changed without sign-off"),
            None => d.at(file, crate::source::Span::default()),
        };
    }
    d.made_by(&change.commit)
}

/// Where `key` is written in the TOML `text`: the span of the first line
/// that sets it (`key = …`, `"key" = …`, or `key.… = …`).
fn key_line(text: &str, key: &str) -> Option<crate::source::Span> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let t = t.strip_prefix('"').unwrap_or(t);
        if let Some(rest) = t.strip_prefix(key) {
            let rest = rest.strip_prefix('"').unwrap_or(rest).trim_start();
            if rest.starts_with('=') || rest.starts_with('.') {
                let end = start + line.trim_end().len();
                return Some(crate::source::Span::new(
                    start + line.len() - line.trim_start().len(),
                    end,
                ));
            }
        }
        start += line.len();
    }
    None
}

/// The lines of the allowed-signers file `file` (text `text`, as shown as
/// `path`) that verify no approval, one warning each (SPEC §9.4):
/// `cert-authority` lines, which roadlint does not support, and lines that
/// do not parse. Neither fails a commit by itself; a key on such a line
/// simply signs nothing, and the warning says why.
pub(crate) fn allowed_signers_warnings(file: FileId, path: &str, text: &str) -> Vec<Diagnostic> {
    let parsed = AllowedSigners::parse(text);
    let mut lines: Vec<(usize, String, &str, &str)> = parsed
        .cert_authority
        .iter()
        .map(|n| {
            (
                *n,
                format!("line {n} of {path} is a `cert-authority` line, which roadlint does not support: it is ignored, and no approval is verified with it"),
                "list each approver's own public key on a line of its own",
                "cert-authority: not supported",
            )
        })
        .collect();
    lines.extend(parsed.problems.iter().map(|(n, why)| {
        (
            *n,
            format!("line {n} of {path} does not parse ({why}): it is ignored, and no approval is verified with it"),
            "a line is `principals [options] keytype base64-key [comment]`, as in git's allowed-signers format",
            "does not parse",
        )
    }));
    lines.sort_by_key(|l| l.0);
    lines
        .into_iter()
        .map(|(n, message, help, label)| {
            let mut d = Diagnostic::new(ID, message)
                .severity(Severity::Warning)
                .help(help);
            if let Some(span) = line_span(text, n) {
                d = d.at(file, span).label(label);
            }
            d
        })
        .collect()
}

/// The span of 1-based line `n` of `text`, without its line break.
fn line_span(text: &str, n: usize) -> Option<Span> {
    let mut start = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == n {
            return Some(Span::new(start, start + line.trim_end().len()));
        }
        start += line.len();
    }
    None
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
                only_signoff_files: false,
                signoff: Signoff {
                    product: product.into_iter().map(Into::into).collect(),
                    tech: tech.into_iter().map(Into::into).collect(),
                    misplaced: Vec::new(),
                    product_owners: vec!["dana".into()],
                    tech_owners: vec!["lee".into()],
                    rules: Default::default(),
                    approvals: None,
                },
                key: None,
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

    #[test]
    fn a_commit_made_while_the_rule_was_off_is_not_judged() {
        let mut f = facts(None, None);
        f.policy_changes[0].signoff.rules.off.push(ID);
        assert!(run(&f).is_empty());
    }

    #[test]
    fn a_change_points_at_the_line_of_its_key() {
        let text = "# who signs\n[rules]\n\"locked-scope\" = \"off\"\n[signoff]\n  product_approvers = [\"dana\", \"mallory\"]\n";
        let line = |k: &str| key_line(text, k).map(|s| &text[s.start..s.end]);
        assert_eq!(line("locked-scope"), Some("\"locked-scope\" = \"off\""));
        assert_eq!(
            line("product_approvers"),
            Some("product_approvers = [\"dana\", \"mallory\"]")
        );
        assert_eq!(line("tech_approvers"), None);
    }

    #[test]
    fn allowed_signers_lines_that_verify_nothing_are_warned_at_their_line() {
        let ed = include_str!("../../fixtures/ssh/ed25519.pub").trim_ascii_end();
        let text = format!(
            "# team\ndana {ed}\nca@example.com cert-authority {ed}\nlee frobnicate {ed}\r\nsam {ed}\n"
        );
        let found = allowed_signers_warnings(FileId(2), ".roadlint/allowed_signers", &text);
        assert_eq!(found.len(), 2, "{found:?}");
        let (ca, bad) = (&found[0], &found[1]);
        assert_eq!(ca.rule, ID);
        assert_eq!(ca.severity, Severity::Warning);
        assert!(
            ca.message
                .starts_with("line 3 of .roadlint/allowed_signers is a `cert-authority` line"),
            "{}",
            ca.message
        );
        let at = |d: &Diagnostic| &text[d.span.expect("a span").range()];
        assert_eq!(at(ca), format!("ca@example.com cert-authority {ed}"));
        assert_eq!(ca.file, Some(FileId(2)));
        assert!(
            bad.message.starts_with(
                "line 4 of .roadlint/allowed_signers does not parse (unknown option `frobnicate`)"
            ),
            "{}",
            bad.message
        );
        assert_eq!(at(bad), format!("lee frobnicate {ed}"));
        let clean = format!("dana {ed}\n");
        assert!(allowed_signers_warnings(FileId(2), "x", &clean).is_empty());
    }
}
