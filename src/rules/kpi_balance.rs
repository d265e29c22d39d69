//! `kpi-balance`: a quarter's features serve both kinds of KPI.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Keyword, Kind, KpiKind};
use std::collections::{BTreeMap, BTreeSet};

declare_rule! {
    /// ## What it checks
    /// For every quarter file whose feature items (not `dropped`) link KPIs:
    /// among those KPIs there is at least one of `kind = "business"` and at
    /// least one of `kind = "health"`. A quarter none of whose linked KPIs
    /// declares a `kind` is not judged, so teams adopt KPI kinds when they
    /// are ready.
    ///
    /// ## Why
    /// Product leaders measure innovation velocity, engineering leaders
    /// architectural integrity, and each side's dashboard makes the other's
    /// priority invisible. Shared KPIs that integrate both are the agreement:
    /// every quarter's features move at least one business outcome and at
    /// least one measure of technical health.
    ///
    /// ## Example
    /// Bad (every feature moves conversion only):
    /// ```toml
    /// [[kpi]]
    /// id = "conversion"
    /// kind = "business"
    /// [[kpi]]
    /// id = "p95-latency"
    /// kind = "health"
    ///
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// kpis = ["conversion"]
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// kpis = ["conversion", "p95-latency"]
    /// ```
    pub const RULE = {
        id: "kpi-balance",
        group: Plan,
        level: Warn,
        summary: "a quarter's features link at least one business and one health KPI",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let kinds: BTreeMap<&str, Option<KpiKind>> = ctx
        .roadmap
        .kpis()
        .filter_map(|k| {
            Some((
                k.id.as_ref()?.value.as_str(),
                k.kind.as_ref().map(|k| k.value),
            ))
        })
        .collect();
    for (file, quarter) in ctx.roadmap.quarter_files() {
        let linked: BTreeSet<&str> = file
            .items
            .iter()
            .filter(|i| i.kind() == Some(Kind::Feature) && !i.is_dropped())
            .flat_map(|i| i.kpis.iter().map(|k| k.value.as_str()))
            .filter(|k| kinds.contains_key(k))
            .collect();
        let of_kind = |want: KpiKind| -> Vec<&str> {
            linked
                .iter()
                .copied()
                .filter(|k| kinds.get(k).copied().flatten() == Some(want))
                .collect()
        };
        let (business, health) = (of_kind(KpiKind::Business), of_kind(KpiKind::Health));
        if business.is_empty() && health.is_empty() {
            continue;
        }
        let (has, has_kind, missing) = match (business.is_empty(), health.is_empty()) {
            (false, true) => (business, KpiKind::Business, KpiKind::Health),
            (true, false) => (health, KpiKind::Health, KpiKind::Business),
            _ => continue,
        };
        let names: Vec<String> = has.iter().map(|k| format!("`{k}`")).collect();
        let known: Vec<&str> = kinds
            .iter()
            .filter(|(_, k)| **k == Some(missing))
            .map(|(id, _)| *id)
            .collect();
        let help = match known.first() {
            Some(k) => format!(
                "link a {} KPI such as `{k}` to a feature of {quarter}",
                missing.as_str()
            ),
            None => format!(
                "declare a [[kpi]] with `kind = \"{}\"` and link it to a feature of {quarter}",
                missing.as_str()
            ),
        };
        out.push(
            Diagnostic::new(
                ID,
                format!(
                    "{quarter}'s features move only {} KPIs ({}): none serves a {} KPI",
                    has_kind.as_str(),
                    names.join(", "),
                    missing.as_str()
                ),
            )
            .at(file.file, file.quarter_span())
            .quarter(quarter)
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    const KPIS: &str = "# file: roadmap/kpis.toml\n[[kpi]]\nid = \"conversion\"\nkind = \"business\"\n[[kpi]]\nid = \"p95\"\nkind = \"health\"\n[[kpi]]\nid = \"nps\"\n";

    fn quarter(kpis: &str) -> String {
        format!("quarter = \"2026-Q1\"\n[[item]]\nid = \"F\"\nkind = \"feature\"\nkpis = [{kpis}]\n{KPIS}")
    }

    #[test]
    fn pass() {
        tester::pass(
            ID,
            &[
                &quarter("\"conversion\", \"p95\""),
                &quarter("\"nps\""),
                &quarter(""),
                "quarter = \"2026-Q1\"\n[[item]]\nid = \"F\"\nkind = \"feature\"\nkpis = [\"x\"]\n",
            ],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    &quarter("\"conversion\""),
                    &[(1, "2026-Q1's features move only business KPIs (`conversion`): none serves a health KPI")],
                ),
                (
                    &quarter("\"p95\", \"nps\""),
                    &[(1, "move only health KPIs (`p95`): none serves a business KPI")],
                ),
            ],
        );
    }

    #[test]
    fn the_diagnostic_reads_well() {
        insta::assert_snapshot!(tester::render(ID, &quarter("\"conversion\"")));
    }
}
