//! The roadmap as data.
//!
//! Every field keeps the span of the text it came from, so that a rule can point
//! at the exact value it is about. Fields are optional because a file may be
//! wrong: the parser reports what is missing or malformed (`schema`) and the
//! rules still check whatever could be read.

mod parse;
pub(crate) mod reader;

pub use parse::{decode, parse_file, Parsed};

use crate::calendar::{Date, Quarter};
use crate::source::{FileId, Span, Spanned};
use std::collections::{BTreeSet, HashMap};

/// Keys allowed at the top level of a roadmap file.
pub const FILE_FIELDS: &[&str] = &[
    "quarter",
    "capacity",
    "locked",
    "item",
    "request",
    "kpi",
    "technology",
    "waiver",
];
/// Keys allowed in an `[[item]]`.
pub const ITEM_FIELDS: &[&str] = &[
    "id",
    "title",
    "kind",
    "effort",
    "product_owner",
    "tech_owner",
    "kpis",
    "depends_on",
    "status",
    "flag",
    "ends",
    "rollback",
    "timebox_weeks",
    "description",
];
/// Keys allowed in a `[[request]]`.
pub const REQUEST_FIELDS: &[&str] = &[
    "id",
    "customer",
    "title",
    "status",
    "business_commitment",
    "technical_feasibility",
    "acceptance_criteria",
    "roadmap_impact",
    "item",
];
/// Keys allowed in a `[[kpi]]`.
pub const KPI_FIELDS: &[&str] = &["id", "description", "kind", "product_owner", "tech_owner"];
/// Keys allowed in a `[[technology]]`.
pub const TECHNOLOGY_FIELDS: &[&str] = &["name", "stage", "criteria", "experiment"];
/// Keys allowed in a `[[waiver]]`.
pub const WAIVER_FIELDS: &[&str] = &["rule", "reason", "approved_by", "expires", "item", "commit"];

/// An enumeration spelled as a lower-case word in the TOML.
pub trait Keyword: Sized + Copy + 'static {
    /// Every value with its spelling.
    const ALL: &'static [(&'static str, Self)];

    /// The spelling of this value.
    fn as_str(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(s, _)| *s)
            .unwrap_or("?")
    }

    /// The value spelled `s`.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(k, _)| *k == s).map(|(_, v)| *v)
    }
}

/// What an item is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    /// New capability for users.
    Feature,
    /// Paying down technical debt.
    Debt,
    /// Sustainment: bug fixes, upgrades, upkeep.
    Maintenance,
    /// Shared infrastructure.
    Platform,
    /// Timeboxed investigation.
    Research,
    /// A fenced, flagged experiment.
    Experiment,
}

impl Keyword for Kind {
    const ALL: &'static [(&'static str, Self)] = &[
        ("feature", Kind::Feature),
        ("debt", Kind::Debt),
        ("maintenance", Kind::Maintenance),
        ("platform", Kind::Platform),
        ("research", Kind::Research),
        ("experiment", Kind::Experiment),
    ];
}

impl Kind {
    /// Every kind's spelling, as a parameter's vocabulary.
    pub const NAMES: &'static [&'static str] = &[
        "feature",
        "debt",
        "maintenance",
        "platform",
        "research",
        "experiment",
    ];
}

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Not started (the default).
    Planned,
    /// Being worked on.
    InProgress,
    /// Finished.
    Done,
    /// Taken out of the plan; its effort no longer counts.
    Dropped,
}

impl Keyword for Status {
    const ALL: &'static [(&'static str, Self)] = &[
        ("planned", Status::Planned),
        ("in-progress", Status::InProgress),
        ("done", Status::Done),
        ("dropped", Status::Dropped),
    ];
}

/// Where a customer request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestStatus {
    /// Asked for, not decided.
    Proposed,
    /// Committed to: must be complete and name its item.
    Accepted,
    /// Declined.
    Rejected,
    /// Delivered.
    Shipped,
}

impl Keyword for RequestStatus {
    const ALL: &'static [(&'static str, Self)] = &[
        ("proposed", RequestStatus::Proposed),
        ("accepted", RequestStatus::Accepted),
        ("rejected", RequestStatus::Rejected),
        ("shipped", RequestStatus::Shipped),
    ];
}

/// A technology's stage in the maturity pipeline.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Stage {
    /// Being looked at.
    Assess,
    /// Tried for real, behind an experiment.
    Trial,
    /// In production use.
    Adopt,
    /// Paused or retired.
    Hold,
}

impl Keyword for Stage {
    const ALL: &'static [(&'static str, Self)] = &[
        ("assess", Stage::Assess),
        ("trial", Stage::Trial),
        ("adopt", Stage::Adopt),
        ("hold", Stage::Hold),
    ];
}

/// Shorthand for an optional spanned field.
pub type Field<T> = Option<Spanned<T>>;

/// One `[[item]]` of the plan.
#[derive(Clone, Debug)]
pub struct Item {
    /// File the item is in.
    pub file: FileId,
    /// The item's whole entry (header to last key).
    pub span: Span,
    /// The quarter of the file the item is in.
    pub quarter: Option<Quarter>,
    /// Unique id.
    pub id: Field<String>,
    /// Short title.
    pub title: Field<String>,
    /// What kind of work.
    pub kind: Field<Kind>,
    /// Engineer-weeks.
    pub effort: Field<f64>,
    /// Owns what and why.
    pub product_owner: Field<String>,
    /// Owns how.
    pub tech_owner: Field<String>,
    /// KPI ids the item moves.
    pub kpis: Vec<Spanned<String>>,
    /// Item ids this item needs first.
    pub depends_on: Vec<Spanned<String>>,
    /// Progress.
    pub status: Field<Status>,
    /// Feature flag fencing an experiment.
    pub flag: Field<String>,
    /// When an experiment ends.
    pub ends: Field<Date>,
    /// How an experiment is undone.
    pub rollback: Field<String>,
    /// Timebox of a research item.
    pub timebox_weeks: Field<f64>,
    /// Fields with a schema problem: rules leave them out.
    pub flawed: reader::Flawed,
}

impl Item {
    /// The item's id, or `"?"`.
    pub fn id_str(&self) -> &str {
        self.id.as_ref().map_or("?", |s| s.value.as_str())
    }

    /// The span that best names the item: its id value, else its entry.
    pub fn name_span(&self) -> Span {
        self.id.as_ref().map_or(self.span, |s| s.span)
    }

    /// Whether the item is out of the plan.
    pub fn is_dropped(&self) -> bool {
        matches!(
            self.status,
            Some(Spanned {
                value: Status::Dropped,
                ..
            })
        )
    }

    /// The item's kind, if known.
    pub fn kind(&self) -> Option<Kind> {
        self.kind.as_ref().map(|k| k.value)
    }
}

/// A text or list field of a request, as `request-fields` sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldState {
    /// The key is absent.
    Missing,
    /// Present but empty (blank text, empty list or only blank entries).
    Empty(Span),
    /// Present with content.
    Filled,
}

/// One `[[request]]`: a customer feature request.
#[derive(Clone, Debug)]
pub struct Request {
    /// File the request is in.
    pub file: FileId,
    /// The whole entry.
    pub span: Span,
    /// Unique id.
    pub id: Field<String>,
    /// Who asked.
    pub customer: Field<String>,
    /// What was asked.
    pub title: Field<String>,
    /// Decision state.
    pub status: Field<RequestStatus>,
    /// Text fields by key (business_commitment, …), as read.
    pub texts: HashMap<&'static str, Spanned<String>>,
    /// Acceptance criteria.
    pub acceptance_criteria: Field<Vec<Spanned<String>>>,
    /// The roadmap item that delivers it.
    pub item: Field<String>,
    /// Fields with a schema problem: rules leave them out.
    pub flawed: reader::Flawed,
}

impl Request {
    /// The request's id, or `"?"`.
    pub fn id_str(&self) -> &str {
        self.id.as_ref().map_or("?", |s| s.value.as_str())
    }

    /// The span that best names the request.
    pub fn name_span(&self) -> Span {
        self.id.as_ref().map_or(self.span, |s| s.span)
    }

    /// Whether a field is missing, empty or filled.
    pub fn field(&self, name: &str) -> FieldState {
        let text = |f: Option<&Spanned<String>>| match f {
            None => FieldState::Missing,
            Some(s) if s.value.trim().is_empty() => FieldState::Empty(s.span),
            Some(_) => FieldState::Filled,
        };
        match name {
            "acceptance_criteria" => match &self.acceptance_criteria {
                None => FieldState::Missing,
                Some(l) if l.value.iter().all(|c| c.value.trim().is_empty()) => {
                    FieldState::Empty(l.span)
                }
                Some(_) => FieldState::Filled,
            },
            "id" => text(self.id.as_ref()),
            "customer" => text(self.customer.as_ref()),
            "title" => text(self.title.as_ref()),
            "item" => text(self.item.as_ref()),
            "status" => match &self.status {
                None => FieldState::Missing,
                Some(_) => FieldState::Filled,
            },
            other => text(self.texts.get(other)),
        }
    }
}

/// One `[[kpi]]`.
#[derive(Clone, Debug)]
pub struct Kpi {
    /// File the KPI is in.
    pub file: FileId,
    /// The whole entry.
    pub span: Span,
    /// Unique id.
    pub id: Field<String>,
    /// What it measures.
    pub description: Field<String>,
    /// Which priority it measures (optional; `kpi-balance` uses it).
    pub kind: Field<KpiKind>,
    /// Product co-owner.
    pub product_owner: Field<String>,
    /// Technology co-owner.
    pub tech_owner: Field<String>,
    /// Fields with a schema problem: rules leave them out.
    pub flawed: reader::Flawed,
}

/// Which of the two priorities a KPI measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KpiKind {
    /// Business outcomes: conversion, revenue, adoption.
    Business,
    /// Technical health: latency, incident rate, architectural integrity.
    Health,
}

impl Keyword for KpiKind {
    const ALL: &'static [(&'static str, Self)] =
        &[("business", KpiKind::Business), ("health", KpiKind::Health)];
}

/// One `[[technology]]` in the maturity pipeline.
#[derive(Clone, Debug)]
pub struct Technology {
    /// File the technology is in.
    pub file: FileId,
    /// The whole entry.
    pub span: Span,
    /// Unique name.
    pub name: Field<String>,
    /// Pipeline stage.
    pub stage: Field<Stage>,
    /// Written transition criteria.
    pub criteria: Field<Vec<Spanned<String>>>,
    /// The experiment item that trials it.
    pub experiment: Field<String>,
    /// Fields with a schema problem: rules leave them out.
    pub flawed: reader::Flawed,
}

/// One `[[waiver]]`: a reviewed exception to a rule.
#[derive(Clone, Debug)]
pub struct Waiver {
    /// File the waiver is in.
    pub file: FileId,
    /// The whole entry.
    pub span: Span,
    /// The quarter of the file it is in: it waives that quarter only.
    pub quarter: Option<Quarter>,
    /// The rule waived.
    pub rule: Field<String>,
    /// Why.
    pub reason: Field<String>,
    /// One product and one tech approver.
    pub approved_by: Field<Vec<Spanned<String>>>,
    /// Last day the waiver holds.
    pub expires: Field<Date>,
    /// Optionally, the one item waived.
    pub item: Field<String>,
    /// Optionally, the one commit waived (a sign-off after the fact: hex id,
    /// at least 12 digits; no expiry).
    pub commit: Field<String>,
}

/// One roadmap file after parsing.
#[derive(Clone, Debug)]
pub struct RoadmapFile {
    /// The file.
    pub file: FileId,
    /// The quarter the file plans.
    pub quarter: Field<Quarter>,
    /// The `quarter = "…"` line, where quarter-level diagnostics point.
    pub quarter_line: Option<Span>,
    /// Engineer-weeks available.
    pub capacity: Field<f64>,
    /// Freeze date.
    pub locked: Field<Date>,
    /// Items.
    pub items: Vec<Item>,
    /// Customer requests.
    pub requests: Vec<Request>,
    /// KPIs.
    pub kpis: Vec<Kpi>,
    /// Technologies.
    pub technologies: Vec<Technology>,
    /// Waivers.
    pub waivers: Vec<Waiver>,
    /// Fields with a schema problem: rules leave them out.
    pub flawed: reader::Flawed,
}

impl RoadmapFile {
    /// Whether the quarter's planned effort can be judged: no item's
    /// `effort`, `kind` or `status` and not the `capacity` has a schema
    /// problem (that problem is reported once, where it is). An item whose
    /// only effort key is misspelt (`efort = 4`) is such an item; a stray
    /// key beside a valid `effort` is not.
    pub fn effort_is_sound(&self) -> bool {
        !self.flawed.has("capacity")
            && self
                .items
                .iter()
                .all(|i| !["effort", "kind", "status"].iter().any(|k| i.flawed.has(k)))
    }

    /// An empty file model.
    pub fn empty(file: FileId) -> Self {
        RoadmapFile {
            file,
            flawed: Default::default(),
            quarter: None,
            quarter_line: None,
            capacity: None,
            locked: None,
            items: Vec::new(),
            requests: Vec::new(),
            kpis: Vec::new(),
            technologies: Vec::new(),
            waivers: Vec::new(),
        }
    }

    /// Where quarter-level diagnostics point: the `quarter` line, else the
    /// first line of the file.
    pub fn quarter_span(&self) -> Span {
        self.quarter_line.unwrap_or_default()
    }
}

/// The whole roadmap: every file that could be read.
#[derive(Clone, Debug, Default)]
pub struct Roadmap {
    /// Parsed files, in path order.
    pub files: Vec<RoadmapFile>,
}

impl Roadmap {
    /// Every item of every file.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.files.iter().flat_map(|f| &f.items)
    }
    /// Every request.
    pub fn requests(&self) -> impl Iterator<Item = &Request> {
        self.files.iter().flat_map(|f| &f.requests)
    }
    /// Every KPI.
    pub fn kpis(&self) -> impl Iterator<Item = &Kpi> {
        self.files.iter().flat_map(|f| &f.kpis)
    }
    /// Every technology.
    pub fn technologies(&self) -> impl Iterator<Item = &Technology> {
        self.files.iter().flat_map(|f| &f.technologies)
    }
    /// Every waiver.
    pub fn waivers(&self) -> impl Iterator<Item = &Waiver> {
        self.files.iter().flat_map(|f| &f.waivers)
    }
    /// Files that plan a quarter.
    pub fn quarter_files(&self) -> impl Iterator<Item = (&RoadmapFile, Quarter)> {
        self.files
            .iter()
            .filter_map(|f| f.quarter.as_ref().map(|q| (f, q.value)))
    }

    /// People named as product owners (items and KPIs), trimmed.
    pub fn product_owners(&self) -> BTreeSet<&str> {
        let items = self.items().filter_map(|i| i.product_owner.as_ref());
        let kpis = self.kpis().filter_map(|k| k.product_owner.as_ref());
        items
            .chain(kpis)
            .map(|s| s.value.trim())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// People named as tech owners (items and KPIs), trimmed.
    pub fn tech_owners(&self) -> BTreeSet<&str> {
        let items = self.items().filter_map(|i| i.tech_owner.as_ref());
        let kpis = self.kpis().filter_map(|k| k.tech_owner.as_ref());
        items
            .chain(kpis)
            .map(|s| s.value.trim())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The first item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items()
            .find(|i| i.id.as_ref().is_some_and(|s| s.value == id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_every_kind_in_order() {
        let spelled: Vec<&str> = Kind::ALL.iter().map(|(n, _)| *n).collect();
        assert_eq!(Kind::NAMES, spelled.as_slice());
    }
}
