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
    // `owner` names the entry holding the reference (`request `REQ-3``),
    // `entry` is its id for the JSON `item` key.
    let mut dangling = |file,
                        owner: &str,
                        entry: Option<&str>,
                        what: &str,
                        target: &str,
                        known: &BTreeSet<&str>,
                        reference: &Spanned<String>| {
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
        let mut d = Diagnostic::new(
            ID,
            format!(
                "{owner} names {what} `{}`, which does not exist",
                reference.value
            ),
        )
        .at(file, reference.span)
        .help(help);
        if let Some(i) = entry {
            d = d.item(i);
        }
        out.push(d);
    };
    for item in r.items() {
        let id = item.id.as_ref().map(|s| s.value.as_str());
        let owner = format!("item `{}`", item.id_str());
        for k in &item.kpis {
            dangling(item.file, &owner, id, "KPI", "[[kpi]]", &kpis, k);
        }
        for dep in &item.depends_on {
            dangling(item.file, &owner, id, "dependency", "[[item]]", &items, dep);
        }
    }
    for req in r.requests() {
        if let Some(i) = &req.item {
            if !i.value.trim().is_empty() {
                let id = req.id.as_ref().map(|s| s.value.as_str());
                let owner = format!("request `{}`", req.id_str());
                dangling(req.file, &owner, id, "item", "[[item]]", &items, i);
            }
        }
    }
    for tech in r.technologies() {
        if let Some(e) = &tech.experiment {
            let name = tech.name.as_ref().map(|s| s.value.as_str());
            let owner = format!("technology `{}`", name.unwrap_or("?"));
            dangling(
                tech.file,
                &owner,
                name,
                "experiment item",
                "[[item]]",
                &items,
                e,
            );
        }
    }
    for w in r.waivers() {
        if let Some(i) = &w.item {
            let rule = w.rule.as_ref().map_or("?", |r| r.value.as_str());
            let owner = format!("the waiver of `{rule}`");
            dangling(w.file, &owner, None, "item", "[[item]]", &items, i);
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
    fn the_entry_holding_the_reference_is_named_in_json_too() {
        let got = tester::run_with(
            "[[request]]\nid = \"REQ-3\"\nitem = \"NOPE-1\"\n",
            &crate::settings::Config::default(),
        );
        let d = got
            .iter()
            .find(|(d, ..)| d.rule == ID)
            .expect("a diagnostic");
        assert_eq!(d.0.item.as_deref(), Some("REQ-3"));
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    "[[item]]\nid = \"A\"\nkpis = [\"conversoin\"]\n[[kpi]]\nid = \"conversion\"\n",
                    &[(3, "item `A` names KPI `conversoin`, which does not exist")],
                ),
                (
                    "[[item]]\nid = \"A\"\ndepends_on = [\"Z\"]\n",
                    &[(3, "item `A` names dependency `Z`")],
                ),
                (
                    "[[request]]\nid = \"R\"\nitem = \"NOPE\"\n",
                    &[(3, "request `R` names item `NOPE`, which does not exist")],
                ),
                (
                    "[[technology]]\nname = \"x\"\nexperiment = \"EXP-9\"\n",
                    &[(3, "technology `x` names experiment item `EXP-9`")],
                ),
            ],
        );
    }
}
