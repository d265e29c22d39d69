//! `duplicate-id`: every id is declared once.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use std::collections::HashMap;

declare_rule! {
    /// ## What it checks
    /// Item ids are unique across all roadmap files; so are request ids, KPI
    /// ids and technology names, and no quarter is planned in two files.
    ///
    /// ## Why
    /// References (`depends_on`, `kpis`, a request's `item`, the
    /// `Roadmap-Item` trailer of a commit) name ids. When two entries share one,
    /// every reference is ambiguous and history is counted against the wrong
    /// work.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// [[item]]
    /// id = "PAY-101"
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// [[item]]
    /// id = "PAY-102"
    /// ```
    pub const RULE = {
        id: "duplicate-id",
        group: Structural,
        level: Error,
        summary: "item, request, KPI and technology ids and quarters are unique",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let r = ctx.roadmap;
    let items = r
        .items()
        .filter_map(|i| i.id.as_ref().map(|s| (s.value.clone(), i.file, s.span)));
    report("item", items, out);
    let requests = r
        .requests()
        .filter_map(|i| i.id.as_ref().map(|s| (s.value.clone(), i.file, s.span)));
    report("request", requests, out);
    let kpis = r
        .kpis()
        .filter_map(|i| i.id.as_ref().map(|s| (s.value.clone(), i.file, s.span)));
    report("KPI", kpis, out);
    let techs = r
        .technologies()
        .filter_map(|i| i.name.as_ref().map(|s| (s.value.clone(), i.file, s.span)));
    report("technology", techs, out);
    // Each roadmap plans its own quarters: two teams may both plan 2026-Q1.
    let roadmap_of = |f: FileId| ctx.config.roadmap_of(&ctx.sources.get(f).path);
    let mut names: Vec<Option<&str>> = r.files.iter().map(|f| roadmap_of(f.file)).collect();
    names.sort();
    names.dedup();
    for name in names {
        let quarters = r
            .files
            .iter()
            .filter(|f| roadmap_of(f.file) == name)
            .filter_map(|f| {
                f.quarter
                    .as_ref()
                    .map(|q| (q.value.to_string(), f.file, f.quarter_span()))
            });
        report("quarter", quarters, out);
    }
}

fn report(
    what: &str,
    entries: impl Iterator<Item = (String, FileId, Span)>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<String, (FileId, Span)> = HashMap::new();
    for (id, file, span) in entries {
        match first.get(&id) {
            Some(&(f0, s0)) => {
                let mut d =
                    Diagnostic::new(ID, format!("{what} `{id}` is declared more than once"))
                        .at(file, span)
                        .label("declared again here")
                        .with_label(f0, s0, "first declared here")
                        .help(format!(
                            "give each {what} its own id, or remove one of them"
                        ));
                if what == "item" {
                    d = d.item(id.clone());
                }
                if what == "quarter" {
                    d = d.quarter(id.clone());
                }
                out.push(d);
            }
            None => {
                first.insert(id, (file, span));
            }
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
            &["[[item]]\nid = \"A\"\n[[item]]\nid = \"B\"\n[[request]]\nid = \"A\"\n"],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                ("[[item]]\nid = \"A\"\n[[item]]\nid = \"A\"\n", &[(4, "item `A` is declared more than once")]),
                (
                    "quarter = \"2026-Q1\"\n# file: roadmap/b.toml\nquarter = \"2026-Q1\"\n[[kpi]]\nid = \"k\"\n[[kpi]]\nid = \"k\"\n",
                    &[(1, "quarter `2026-Q1`"), (5, "KPI `k`")],
                ),
            ],
        );
    }
}
