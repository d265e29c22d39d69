//! `kpi-link`: features move a declared, co-owned KPI.

use super::dual_ownership::check_pair;
use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Kind;

declare_rule! {
    /// ## What it checks
    /// Every `feature` item that is not dropped lists at least one KPI in
    /// `kpis`, and every `[[kpi]]` has both a product owner and a different
    /// tech owner.
    ///
    /// ## Why
    /// Shared KPIs balance innovation velocity with architectural integrity.
    /// A feature that moves no agreed number is hard to prioritise and harder
    /// to retire; a KPI owned by one side only becomes that side's weapon.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// [[kpi]]
    /// id = "conversion"
    /// product_owner = "dana"
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// kpis = ["conversion"]
    /// [[kpi]]
    /// id = "conversion"
    /// product_owner = "dana"
    /// tech_owner = "lee"
    /// ```
    pub const RULE = {
        id: "kpi-link",
        group: Plan,
        level: Warn,
        summary: "feature items link a KPI; every KPI has a product and a tech owner",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for item in ctx.roadmap.items() {
        if item.kind() == Some(Kind::Feature)
            && !item.is_dropped()
            && item.kpis.is_empty()
            && !item.flawed.has("kpis")
        {
            let mut d = Diagnostic::new(ID, format!("feature `{}` links no KPI", item.id_str()))
                .at(item.file, item.name_span())
                .item(item.id_str())
                .help("add `kpis = [\"…\"]` naming the [[kpi]] this feature moves");
            if let Some(q) = item.quarter {
                d = d.quarter(q);
            }
            out.push(d);
        }
    }
    for kpi in ctx.roadmap.kpis() {
        let id = kpi.id.as_ref().map_or("?", |s| s.value.as_str());
        let at = kpi.id.as_ref().map_or(kpi.span, |s| s.span);
        check_pair(
            &format!("KPI `{id}`"),
            at,
            &kpi.product_owner,
            &kpi.tech_owner,
            &kpi.flawed,
            |span, msg, help| {
                out.push(Diagnostic::new(ID, msg).at(kpi.file, span).help(help));
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
            &[
                "[[item]]\nid = \"A\"\nkind = \"feature\"\nkpis = [\"k\"]\n[[item]]\nid = \"B\"\nkind = \"debt\"\n[[kpi]]\nid = \"k\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n",
                "[[item]]\nid = \"A\"\nkind = \"feature\"\nstatus = \"dropped\"\n",
            ],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    "[[item]]\nid = \"A\"\nkind = \"feature\"\n",
                    &[(2, "feature `A` links no KPI")],
                ),
                (
                    "[[kpi]]\nid = \"k\"\nproduct_owner = \"dana\"\n",
                    &[(2, "KPI `k` has no tech owner")],
                ),
            ],
        );
    }
}
