//! `waiver`: an exception is data — a reason, both approvers, an expiry.

use super::{Context, RuleGroup};
use crate::calendar::Quarter;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::facts::{WaiverEdit, WaiverTerms};
use crate::model::reader::did_you_mean;
use crate::model::Waiver;

declare_rule! {
    /// ## What it checks
    /// Every `[[waiver]]` names a rule that can be waived, gives a `reason`,
    /// is `approved_by` one product owner and one different tech owner (people
    /// who own items or KPIs somewhere in the roadmap), and has not expired
    /// (`expires` is today or later, as of `--today`). A waiver in a quarter file waives that
    /// quarter; one in a file without a quarter waives the rule everywhere;
    /// `item = "…"` narrows it to one item. Only a valid waiver suppresses
    /// anything: an expired one is reported and the breach shows again,
    /// except that a closed quarter stays closed: a waiver in a quarter file
    /// that still held on the quarter's last day keeps covering that quarter
    /// after it expires, and its expiry is not reported.
    ///
    /// A waiver with `commit = "<id>"` (at least 12 hex digits) waives that
    /// one commit's diagnostics of its rule (`locked-scope`,
    /// `technology-signoff`): a sign-off given after the fact, with the same
    /// two approvers (the `[signoff]` lists count as owners here). It has no
    /// expiry; one naming no commit of the scanned history is reported.
    ///
    /// ## Why
    /// Exceptions happen. Making them data means they are reviewed like the
    /// plan itself, approved by both sides, and they end: no comment pragma
    /// silences a rule forever.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[waiver]]
    /// rule = "debt-share"
    /// approved_by = ["dana"]
    /// ```
    /// Good:
    /// ```toml
    /// [[waiver]]
    /// rule = "debt-share"
    /// reason = "migration freeze until the audit closes"
    /// approved_by = ["dana", "lee"]
    /// expires = 2026-03-31
    /// ```
    pub const RULE = {
        id: "waiver",
        group: Plan,
        level: Error,
        summary: "waivers have a reason, a product and a tech approver, and have not expired",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

/// A waiver that suppresses diagnostics.
#[derive(Debug, Clone)]
pub struct ActiveWaiver {
    /// Rule waived.
    pub rule: RuleId,
    /// Quarter waived (`None`: all).
    pub quarter: Option<Quarter>,
    /// Item waived (`None`: all).
    pub item: Option<String>,
    /// The one commit waived (hex prefix, lower case): only its diagnostics
    /// of the rule, wherever they point.
    pub commit: Option<String>,
    /// Where the waiver is written, for the "suppresses nothing" note.
    pub at: (crate::source::FileId, crate::source::Span),
}

impl ActiveWaiver {
    /// Whether this waiver suppresses `d`.
    pub fn covers(&self, d: &Diagnostic) -> bool {
        if let Some(commit) = &self.commit {
            return d.rule == self.rule
                && d.commit.as_ref().is_some_and(|c| {
                    !c.id.is_empty() && c.id.to_ascii_lowercase().starts_with(commit.as_str())
                });
        }
        d.rule == self.rule
            && self
                .quarter
                .is_none_or(|q| d.quarter.as_deref() == Some(q.to_string().as_str()))
            && self
                .item
                .as_ref()
                .is_none_or(|i| d.item.as_deref() == Some(i.as_str()))
    }
}

/// Every problem of one waiver, as (span, message, help).
fn problems(ctx: &Context<'_>, w: &Waiver) -> Vec<(crate::source::Span, String, String)> {
    let mut out = Vec::new();
    let head = w.rule.as_ref().map_or(w.span, |r| r.span);
    let rule_name = w.rule.as_ref().map_or("?", |r| r.value.as_str());
    if let Some(rule) = &w.rule {
        match super::find(&rule.value) {
            None => {
                let known: Vec<&str> = super::registry().iter().map(|r| r.id.as_str()).collect();
                let help = did_you_mean(&rule.value, &known)
                    .map_or("run `roadlint rules` to list the rules".to_string(), |k| {
                        format!("did you mean `{k}`?")
                    });
                out.push((
                    rule.span,
                    format!("waiver for unknown rule `{}`", rule.value),
                    help,
                ));
            }
            Some(info) if info.group == RuleGroup::Structural || info.id == ID => out.push((
                rule.span,
                format!("`{}` cannot be waived", rule.value),
                "structural problems and waivers themselves must be fixed, not waived".into(),
            )),
            Some(_) => {}
        }
    }
    if w.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
        let span = w.reason.as_ref().map_or(head, |r| r.span);
        out.push((
            span,
            format!("waiver of `{rule_name}` gives no reason"),
            "add `reason = \"…\"`: why the exception is needed".into(),
        ));
    }
    let approvers: Vec<&str> = w
        .approved_by
        .as_ref()
        .map(|a| a.value.iter().map(|s| s.value.trim()).collect())
        .unwrap_or_default();
    let cfg = &ctx.config.signoff;
    let mut products = ctx.roadmap.product_owners();
    products.extend(cfg.product_approvers.iter().map(String::as_str));
    let mut techs = ctx.roadmap.tech_owners();
    techs.extend(cfg.tech_approvers.iter().map(String::as_str));
    let approvals_ok = approvers.iter().any(|p| {
        products.iter().any(|o| crate::people::same(o, p))
            && approvers.iter().any(|t| {
                !crate::people::same(t, p) && techs.iter().any(|o| crate::people::same(o, t))
            })
    });
    if !approvals_ok {
        let span = w.approved_by.as_ref().map_or(head, |a| a.span);
        let has_product = approvers
            .iter()
            .any(|p| products.iter().any(|o| crate::people::same(o, p)));
        let has_tech = approvers
            .iter()
            .any(|p| techs.iter().any(|o| crate::people::same(o, p)));
        let missing = match (has_product, has_tech) {
            (false, false) => "neither a product nor a tech approver",
            (false, true) => "no product approver",
            (true, false) => "no tech approver",
            (true, true) => "one person approving alone",
        };
        out.push((
            span,
            format!("waiver of `{rule_name}` has {missing}"),
            "list one product owner and one different tech owner in `approved_by`".into(),
        ));
    }
    if let Some(c) = &w.commit {
        let hex = c.value.trim();
        if hex.len() < 12 || hex.len() > 64 || !hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
            out.push((
                c.span,
                format!("waiver of `{rule_name}` names commit `{hex}`, which is not a commit id of at least 12 hex digits"),
                "write the commit's id as `git log` shows it, at least 12 digits".into(),
            ));
        }
        // A commit waiver is a sign-off after the fact: it does not expire.
        return out;
    }
    match &w.expires {
        None => out.push((
            head,
            format!("waiver of `{rule_name}` has no expiry"),
            "add `expires = YYYY-MM-DD`: exceptions end".into(),
        )),
        // A closed quarter stays closed: a waiver that held through its
        // quarter's last day keeps covering it, and its expiry is not news.
        Some(e)
            if w.quarter
                .is_some_and(|q| e.value >= q.last_day(ctx.config.fiscal_year_start)) => {}
        Some(e) if e.value < ctx.today => out.push((
            e.span,
            format!("waiver of `{rule_name}` expired on {}", e.value),
            "fix the breach, or renew the waiver with a new expiry and fresh approval".into(),
        )),
        Some(_) => {}
    }
    out
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for w in ctx.roadmap.waivers() {
        let mut found = problems(ctx, w);
        if let (true, Some(why)) = (found.is_empty(), unsealed(ctx, w)) {
            let terms = WaiverTerms::of(w);
            found.push((
                w.rule.as_ref().map_or(w.span, |r| r.span),
                format!("{} {why}", describe(&terms)),
                "commit the waiver with both sign-off trailers, by the two people it names".into(),
            ));
        }
        if let (Some(c), Some(facts), true) = (&w.commit, ctx.history, found.is_empty()) {
            let hex = c.value.trim().to_ascii_lowercase();
            if !facts.waived_commits.contains(&hex) {
                found.push((
                    c.span,
                    format!(
                        "waiver of `{}` names commit `{hex}`, which is not in the history scanned",
                        w.rule.as_ref().map_or("?", |r| r.value.as_str())
                    ),
                    "name a commit reachable from HEAD (after `--since`), or remove the waiver"
                        .into(),
                ));
            }
        }
        for (span, msg, help) in found {
            let mut d = Diagnostic::new(ID, msg).at(w.file, span).help(help);
            if let Some(q) = w.quarter {
                d = d.quarter(q);
            }
            out.push(d);
        }
    }
}

/// Whether a waiver with `terms` is part of the agreement: it waives a
/// gate rule (one the hooks run) or one commit, so adding, changing or
/// removing it needs the sign-off a scope change needs (SPEC §9.2).
pub fn changes_the_agreement(terms: &WaiverTerms) -> bool {
    terms.commit.is_some() || super::find(&terms.rule).is_some_and(|r| r.runs_in_hooks)
}

/// A waiver's terms in words: `a waiver of locked-scope for 2026-Q1`.
pub fn describe(terms: &WaiverTerms) -> String {
    let mut out = format!("a waiver of {}", terms.rule);
    if let Some(c) = &terms.commit {
        out.push_str(&format!(" for commit {}", crate::signoff::short(c)));
    } else {
        if let Some(i) = &terms.item {
            out.push_str(&format!(" for `{i}`"));
        }
        if let Some(q) = terms.quarter {
            out.push_str(&format!(" in {q}"));
        }
    }
    out
}

/// Why a waiver that is part of the agreement does not take effect: it
/// takes effect only from a commit that adds it with valid sign-off, naming
/// the same two people (SPEC §9.2). `None` when it does, or when the
/// history was not scanned.
fn unsealed(ctx: &Context<'_>, w: &Waiver) -> Option<String> {
    let facts = ctx.history?;
    let terms = WaiverTerms::of(w);
    if !changes_the_agreement(&terms) {
        return None;
    }
    let last = facts
        .waiver_changes
        .iter()
        .rev()
        .find(|c| c.terms.target() == terms.target());
    match last {
        Some(c) if c.edit != WaiverEdit::Removed && c.terms == terms => {
            crate::signoff::seal_problem(&c.signoff, &terms.approved_by).map(|why| {
                format!(
                    "takes effect only from a signed commit, and commit {} that {} it does not count: {why}",
                    crate::signoff::short(&c.commit.id),
                    c.edit.verb()
                )
            })
        }
        // Unchanged since a history the run did not see (a hook, `--since`).
        None if !facts.waivers_complete => None,
        _ => Some(
            "is not committed yet: it takes effect from the signed commit that adds it".into(),
        ),
    }
}

/// The waivers that are valid today and so suppress diagnostics.
pub fn active_waivers(ctx: &Context<'_>) -> Vec<ActiveWaiver> {
    ctx.roadmap
        .waivers()
        .filter(|w| problems(ctx, w).is_empty() && unsealed(ctx, w).is_none())
        .filter_map(|w| {
            let rule = w.rule.as_ref()?;
            Some(ActiveWaiver {
                rule: super::find(&rule.value)?.id,
                quarter: w.quarter,
                item: w.item.as_ref().map(|i| i.value.clone()),
                commit: w
                    .commit
                    .as_ref()
                    .map(|c| c.value.trim().to_ascii_lowercase()),
                at: (w.file, rule.span),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    const OWNERS: &str = "# file: roadmap/kpis.toml\n[[kpi]]\nid = \"k\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n";

    fn waiver(body: &str) -> String {
        format!("quarter = \"2026-Q1\"\n[[waiver]]\n{body}{OWNERS}")
    }

    #[test]
    fn pass() {
        tester::pass(
            ID,
            // the waiver is valid on its last day, and it is used: 2026-Q1 has no capacity
            &[&waiver(
                "rule = \"capacity\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-06-15\n[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 1\n",
            )],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (&waiver("rule = \"capacity\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-03-14\n"), &[(6, "expired on 2026-03-14")]),
                (&waiver("rule = \"capacity\"\nreason = \"r\"\napproved_by = [\"dana\"]\nexpires = 2026-12-01\n"), &[(5, "has no tech approver")]),
                (&waiver("rule = \"capacity\"\nreason = \"r\"\napproved_by = [\"eve\", \"lee\"]\nexpires = 2026-12-01\n"), &[(5, "has no product approver")]),
                (&waiver("rule = \"capasity\"\nreason = \" \"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-12-01\n"), &[(3, "unknown rule `capasity`"), (4, "gives no reason")]),
                (&waiver("rule = \"parse\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-12-01\n"), &[(3, "`parse` cannot be waived")]),
                (&waiver("rule = \"capacity\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\n"), &[(3, "has no expiry")]),
            ],
        );
    }

    #[test]
    fn a_waiver_that_suppresses_nothing_is_a_warning() {
        let case = waiver("rule = \"capacity\"\nreason = \"r\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-12-01\n");
        let got = tester::run_with(&case, &crate::settings::Config::default());
        let unused: Vec<_> = got.iter().filter(|(d, ..)| d.rule == ID).collect();
        assert_eq!(unused.len(), 1, "{got:?}");
        assert!(
            unused[0].0.message.contains("suppresses nothing"),
            "{}",
            unused[0].0.message
        );
        assert_eq!(unused[0].0.severity, crate::diagnostic::Severity::Warning);
        assert_eq!(unused[0].1, 3);
    }

    #[test]
    fn one_person_who_owns_both_sides_cannot_approve_alone() {
        let case = "[[waiver]]\nrule = \"capacity\"\nreason = \"r\"\napproved_by = [\"sam\"]\nexpires = 2026-12-01\n[[kpi]]\nid = \"a\"\nproduct_owner = \"sam\"\ntech_owner = \"lee\"\n[[kpi]]\nid = \"b\"\nproduct_owner = \"dana\"\ntech_owner = \"sam\"\n";
        tester::fail(ID, &[(case, &[(4, "one person approving alone")])]);
    }

    #[test]
    fn a_closed_quarter_stays_closed() {
        // tester's today is 2026-06-15: 2026-Q1 ended on 2026-03-31.
        let breach = "quarter = \"2026-Q1\"\ncapacity = 100\n[[item]]\nid = \"F\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 23\n[[item]]\nid = \"D\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\n";
        let waived = |expires: &str| {
            format!(
                "{breach}[[waiver]]\nrule = \"debt-share\"\nreason = \"audit\"\napproved_by = [\"dana\", \"lee\"]\nexpires = {expires}\n{OWNERS}"
            )
        };
        let held = waived("2026-03-31");
        tester::pass(super::ID, &[&held]);
        tester::pass(crate::rules::debt_share::ID, &[&held]);
        let lapsed = waived("2026-03-30");
        tester::fail(super::ID, &[(&lapsed, &[(17, "expired on 2026-03-30")])]);
        tester::fail(
            crate::rules::debt_share::ID,
            &[(&lapsed, &[(1, "the minimum is 20%")])],
        );
    }
}
