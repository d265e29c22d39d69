//! `dangling-reference`: every reference names something that exists.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::reader::did_you_mean;
use crate::source::Spanned;
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it checks
    /// An item's `kpis` name declared `[[kpi]]` ids, its `depends_on` names
    /// items, a request's `item` names an item, a technology's `experiment`
    /// names an item, and a waiver's `item` names an item.
    ///
    /// ## Why
    /// A reference to nothing is a broken promise: the KPI a feature claims to
    /// move was never agreed, the item a customer was promised does not exist.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kpis = ["conversoin"]
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kpis = ["conversion"]
    ///
    /// [[kpi]]
    /// id = "conversion"
    /// ```
    pub const RULE = {
        id: "dangling-reference",
        group: Structural,
        level: Error,
        summary: "kpis, depends_on, item and experiment references point at existing ids",
        needs: crate::facts::Needs::NOTHING,
        params: &[],
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let r = ctx.roadmap;
    let items: BTreeSet<&str> = r
        .items()
        .filter_map(|i| i.id.as_ref())
        .map(|s| s.value.as_str())
        .collect();
    let kpis: BTreeSet<&str> = r
        .kpis()
        .filter_map(|k| k.id.as_ref())
        .map(|s| s.value.as_str())
        .collect();
    let mut dangling = |file,
                        what: &str,
                        target: &str,
                        known: &BTreeSet<&str>,
                        reference: &Spanned<String>,
                        item: Option<&str>| {
        if known.contains(reference.value.as_str()) {
            return;
        }
        let candidates: Vec<&str> = known.iter().copied().collect();
        let help = match did_you_mean(&reference.value, &candidates) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!(
                "declare a {target} `{}` or remove the reference",
                reference.value
            ),
        };
        let mut d = Diagnostic::new(ID, format!("{what} `{}` does not exist", reference.value))
            .at(file, reference.span)
            .help(help);
        if let Some(i) = item {
            d = d.item(i);
        }
        out.push(d);
    };
    for item in r.items() {
        let id = item.id.as_ref().map(|s| s.value.as_str());
        for k in &item.kpis {
            dangling(item.file, "KPI", "[[kpi]]", &kpis, k, id);
        }
        for dep in &item.depends_on {
            dangling(item.file, "dependency", "[[item]]", &items, dep, id);
        }
    }
    for req in r.requests() {
        if let Some(i) = &req.item {
            if !i.value.trim().is_empty() {
                dangling(req.file, "item", "[[item]]", &items, i, None);
            }
        }
    }
    for tech in r.technologies() {
        if let Some(e) = &tech.experiment {
            dangling(tech.file, "experiment item", "[[item]]", &items, e, None);
        }
    }
    for w in r.waivers() {
        if let Some(i) = &w.item {
            dangling(w.file, "waived item", "[[item]]", &items, i, None);
        }
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
            &["[[item]]\nid = \"A\"\nkpis = [\"k\"]\ndepends_on = [\"B\"]\n[[item]]\nid = \"B\"\n# file: roadmap/kpis.toml\n[[kpi]]\nid = \"k\"\n"],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    "[[item]]\nid = \"A\"\nkpis = [\"conversoin\"]\n[[kpi]]\nid = \"conversion\"\n",
                    &[(3, "KPI `conversoin` does not exist")],
                ),
                (
                    "[[item]]\nid = \"A\"\ndepends_on = [\"Z\"]\n",
                    &[(3, "dependency `Z`")],
                ),
                (
                    "[[request]]\nid = \"R\"\nitem = \"NOPE\"\n",
                    &[(3, "item `NOPE`")],
                ),
                (
                    "[[technology]]\nname = \"x\"\nexperiment = \"EXP-9\"\n",
                    &[(3, "experiment item `EXP-9`")],
                ),
            ],
        );
    }
}
