//! The JSON Schema of roadmap files (`roadlint schema`), for editors such as
//! taplo / Even Better TOML.
//!
//! The types below mirror the parser's field lists; a test checks that every
//! key, required key and enumeration word agrees with what the parser accepts,
//! so the schema and the parser cannot drift apart.

use schemars::JsonSchema;

/// A TOML local date, `2026-03-31` (editors see it as a string of format date).
#[derive(JsonSchema)]
#[schemars(transparent)]
struct TomlDate(#[schemars(with = "String", extend("format" = "date"))] ());

/// A roadmap file: a quarter's plan, KPIs, technologies, requests or waivers.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "roadlint roadmap file")]
#[allow(dead_code)]
struct RoadmapFile {
    /// The quarter this file plans, `YYYY-Qn`.
    #[schemars(regex(pattern = r"^[0-9]{4}-Q[1-4]$"))]
    quarter: Option<String>,
    /// Engineer-weeks available this quarter.
    #[schemars(range(min = 0))]
    capacity: Option<f64>,
    /// The plan is frozen from this date: scope changes then need sign-off.
    locked: Option<TomlDate>,
    /// Roadmap items.
    item: Option<Vec<Item>>,
    /// Customer feature requests.
    request: Option<Vec<Request>>,
    /// Shared KPIs.
    kpi: Option<Vec<Kpi>>,
    /// Technologies in the maturity pipeline.
    technology: Option<Vec<Technology>>,
    /// Reviewed exceptions to a rule.
    waiver: Option<Vec<Waiver>>,
}

/// Kind of work.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum Kind {
    Feature,
    Debt,
    Maintenance,
    Platform,
    Research,
    Experiment,
}

/// Progress of an item.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum Status {
    Planned,
    InProgress,
    Done,
    Dropped,
}

/// Decision state of a request.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum RequestStatus {
    Proposed,
    Accepted,
    Rejected,
    Shipped,
}

/// Maturity stage.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum Stage {
    Assess,
    Trial,
    Adopt,
    Hold,
}

/// Which priority a KPI measures.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum KpiKind {
    Business,
    Health,
}

/// A roadmap item.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Item {
    /// Unique id across all roadmap files.
    id: String,
    /// Short title.
    title: String,
    /// Kind of work.
    kind: Kind,
    /// Engineer-weeks, > 0.
    #[schemars(range(min = 0))]
    effort: f64,
    /// Owns what and why.
    product_owner: Option<String>,
    /// Owns how; a different person.
    tech_owner: Option<String>,
    /// Ids of the KPIs this item moves.
    kpis: Option<Vec<String>>,
    /// Ids of items needed first.
    depends_on: Option<Vec<String>>,
    /// Progress (default planned).
    status: Option<Status>,
    /// Feature flag fencing an experiment.
    flag: Option<String>,
    /// When an experiment ends.
    ends: Option<TomlDate>,
    /// How an experiment is undone.
    rollback: Option<String>,
    /// Timebox of a research item, in weeks.
    #[schemars(range(min = 0))]
    timebox_weeks: Option<f64>,
    /// Free text.
    description: Option<String>,
}

/// A customer feature request.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Request {
    /// Unique id.
    id: String,
    /// Who asked.
    customer: String,
    /// What was asked.
    title: String,
    /// Decision state.
    status: RequestStatus,
    /// What the business commits (contract, revenue).
    business_commitment: Option<String>,
    /// Engineering's feasibility statement.
    technical_feasibility: Option<String>,
    /// What done means.
    acceptance_criteria: Option<Vec<String>>,
    /// What the request displaces.
    roadmap_impact: Option<String>,
    /// The item that delivers it.
    item: Option<String>,
}

/// A shared KPI.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Kpi {
    /// Unique id.
    id: String,
    /// What it measures.
    description: Option<String>,
    /// Which priority it measures: `business` or `health` (kpi-balance).
    kind: Option<KpiKind>,
    /// Product co-owner.
    product_owner: Option<String>,
    /// Technology co-owner.
    tech_owner: Option<String>,
}

/// A technology in the maturity pipeline.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Technology {
    /// Unique name.
    name: String,
    /// assess → trial → adopt; hold at any time.
    stage: Stage,
    /// Written transition criteria.
    criteria: Option<Vec<String>>,
    /// The experiment item that trials it (required from trial on).
    experiment: Option<String>,
}

/// A reviewed exception.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Waiver {
    /// The rule waived.
    rule: String,
    /// Why.
    reason: Option<String>,
    /// One product and one tech approver.
    approved_by: Option<Vec<String>>,
    /// Last day the waiver holds.
    expires: Option<TomlDate>,
    /// Only this item.
    item: Option<String>,
    /// Only this commit (hex id, at least 12 digits): a sign-off after the
    /// fact for `locked-scope` or `technology-signoff`; no expiry.
    commit: Option<String>,
}

/// The schema as pretty JSON (draft-07).
pub(crate) fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RoadmapFile>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{self, Keyword};
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn schema() -> Value {
        serde_json::from_str(&json_schema()).unwrap()
    }

    fn keys(v: &Value) -> BTreeSet<String> {
        v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    fn set(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn def<'a>(s: &'a Value, name: &str) -> &'a Value {
        &s["definitions"][name]
    }

    #[test]
    fn schema_keys_match_the_parser() {
        let s = schema();
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(keys(&s), set(model::FILE_FIELDS));
        assert_eq!(keys(def(&s, "Item")), set(model::ITEM_FIELDS));
        assert_eq!(keys(def(&s, "Request")), set(model::REQUEST_FIELDS));
        assert_eq!(keys(def(&s, "Kpi")), set(model::KPI_FIELDS));
        assert_eq!(keys(def(&s, "Technology")), set(model::TECHNOLOGY_FIELDS));
        assert_eq!(keys(def(&s, "Waiver")), set(model::WAIVER_FIELDS));
        assert_eq!(s["additionalProperties"], false);
    }

    #[test]
    fn schema_enums_match_the_parser() {
        let s = schema();
        let words = |name: &str| -> BTreeSet<String> {
            def(&s, name)["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let all = |list: &[&str]| set(list);
        assert_eq!(
            words("Kind"),
            all(&model::Kind::ALL.iter().map(|(w, _)| *w).collect::<Vec<_>>())
        );
        assert_eq!(
            words("Status"),
            all(&model::Status::ALL
                .iter()
                .map(|(w, _)| *w)
                .collect::<Vec<_>>())
        );
        assert_eq!(
            words("RequestStatus"),
            all(&model::RequestStatus::ALL
                .iter()
                .map(|(w, _)| *w)
                .collect::<Vec<_>>())
        );
        assert_eq!(
            words("KpiKind"),
            all(&model::KpiKind::ALL
                .iter()
                .map(|(w, _)| *w)
                .collect::<Vec<_>>())
        );
        assert_eq!(
            words("Stage"),
            all(&model::Stage::ALL
                .iter()
                .map(|(w, _)| *w)
                .collect::<Vec<_>>())
        );
    }

    #[test]
    fn required_keys_match_the_parser() {
        let s = schema();
        let req = |name: &str| -> BTreeSet<String> {
            def(&s, name)["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(req("Item"), set(&["id", "title", "kind", "effort"]));
        assert_eq!(req("Request"), set(&["id", "customer", "title", "status"]));
        assert_eq!(req("Technology"), set(&["name", "stage"]));
        assert_eq!(req("Kpi"), set(&["id"]));
        assert_eq!(req("Waiver"), set(&["rule"]));
    }
}
