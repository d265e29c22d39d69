//! The roadmap as one tree (or the index) holds it, read for the sign-off
//! gate: each file version parsed once into what the gate compares (a
//! quarter's scope and owners, technologies' stages, waivers), grouped by
//! `[[roadmap]]` entry.

use crate::calendar::{Date, Quarter};
use crate::facts::WaiverTerms;
use crate::model::{parse_file, Kind, Stage, Status};
use crate::source::FileId;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// An item's scope-relevant fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItemScope {
    /// Kind, if readable.
    pub kind: Option<Kind>,
    /// Effort, if readable.
    pub effort: Option<f64>,
    /// Whether the item is `dropped`.
    pub dropped: bool,
}

/// One version of a quarter: what its scope is and who owned its items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuarterScope {
    /// The `locked` date, if any.
    pub locked: Option<Date>,
    /// The capacity, if any.
    pub capacity: Option<f64>,
    /// Items by id.
    pub items: BTreeMap<String, ItemScope>,
    /// Product owners of its items.
    pub product_owners: Vec<String>,
    /// Tech owners of its items.
    pub tech_owners: Vec<String>,
}

/// What the gate reads from one roadmap file version.
#[derive(Clone, Debug, Default)]
pub(super) struct FileVersion {
    pub(super) quarter: Option<(Quarter, QuarterScope)>,
    pub(super) technologies: Vec<(String, Stage)>,
    pub(super) product_owners: Vec<String>,
    pub(super) tech_owners: Vec<String>,
    pub(super) waivers: Vec<WaiverTerms>,
}

impl FileVersion {
    /// What the gate reads from one file's bytes.
    pub(super) fn parse(bytes: &[u8]) -> FileVersion {
        let text = String::from_utf8_lossy(bytes);
        let m = parse_file(FileId(0), &text).model;
        let owners = |f: &dyn Fn(&crate::model::Item) -> Option<String>| -> Vec<String> {
            m.items.iter().filter_map(f).collect()
        };
        let item_products = owners(&|i| i.product_owner.as_ref().map(|o| o.value.clone()));
        let item_techs = owners(&|i| i.tech_owner.as_ref().map(|o| o.value.clone()));
        let quarter = m.quarter.as_ref().map(|q| {
            let items = m
                .items
                .iter()
                .filter_map(|i| {
                    let id = i.id.as_ref()?.value.clone();
                    let dropped = i
                        .status
                        .as_ref()
                        .is_some_and(|s| s.value == Status::Dropped);
                    let effort = i.effort.as_ref().map(|e| e.value);
                    Some((
                        id,
                        ItemScope {
                            kind: i.kind(),
                            effort,
                            dropped,
                        },
                    ))
                })
                .collect();
            (
                q.value,
                QuarterScope {
                    locked: m.locked.as_ref().map(|l| l.value),
                    capacity: m.capacity.as_ref().map(|c| c.value),
                    items,
                    product_owners: item_products.clone(),
                    tech_owners: item_techs.clone(),
                },
            )
        });
        let kpi = |f: &dyn Fn(&crate::model::Kpi) -> Option<String>| -> Vec<String> {
            m.kpis.iter().filter_map(f).collect()
        };
        let mut product_owners = item_products;
        product_owners.extend(kpi(&|k| k.product_owner.as_ref().map(|o| o.value.clone())));
        let mut tech_owners = item_techs;
        tech_owners.extend(kpi(&|k| k.tech_owner.as_ref().map(|o| o.value.clone())));
        FileVersion {
            quarter,
            technologies: m
                .technologies
                .iter()
                .filter_map(|t| Some((t.name.as_ref()?.value.clone(), t.stage.as_ref()?.value)))
                .collect(),
            product_owners,
            tech_owners,
            waivers: m.waivers.iter().map(WaiverTerms::of).collect(),
        }
    }
}

/// The `[[roadmap]]` a roadmap file belongs to: the index of the first
/// whose `files` match it (0 for every file of a single roadmap).
pub(super) fn group(groups: &[globset::GlobSet], path: &str) -> usize {
    groups.iter().position(|g| g.is_match(path)).unwrap_or(0)
}

/// The roadmap as one tree (or the index) holds it.
#[derive(Clone, Debug, Default)]
pub struct RoadmapVersion {
    pub(super) files: BTreeMap<String, Arc<FileVersion>>,
}

impl RoadmapVersion {
    /// A version from files' paths and bytes (the index, for the hook).
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Self {
        RoadmapVersion {
            files: files
                .into_iter()
                .map(|(p, b)| (p.to_string(), Arc::new(FileVersion::parse(b))))
                .collect(),
        }
    }

    /// The quarter `q` as this version declares it (first file by path), with its path.
    pub fn quarter(&self, q: Quarter) -> Option<(&str, &QuarterScope)> {
        self.quarter_in(q, 0, &[])
    }

    /// The quarter `q` of roadmap `group` (see [`group`]) as this version
    /// declares it (first file by path), with its path.
    pub(super) fn quarter_in(
        &self,
        q: Quarter,
        group: usize,
        groups: &[globset::GlobSet],
    ) -> Option<(&str, &QuarterScope)> {
        self.files.iter().find_map(|(p, f)| match &f.quarter {
            Some((fq, s)) if *fq == q && self::group(groups, p) == group => Some((p.as_str(), s)),
            _ => None,
        })
    }

    /// The quarter the file at `path` declares, with its scope.
    pub(super) fn quarter_of(&self, path: &str) -> Option<(Quarter, &QuarterScope)> {
        self.files
            .get(path)
            .and_then(|f| f.quarter.as_ref().map(|(q, s)| (*q, s)))
    }

    /// The locked quarters of this version that `other` no longer declares,
    /// with the path each was read from: what moving the roadmap out of its
    /// globs takes out of the gate's sight.
    pub fn locked_quarters_missing_from(&self, other: &RoadmapVersion) -> Vec<(Quarter, String)> {
        let there = other.quarters(&[]);
        self.quarters(&[])
            .into_iter()
            .filter(|(q, (_, s))| s.locked.is_some() && !there.contains_key(q))
            .map(|((_, q), (p, _))| (q, p.to_string()))
            .collect()
    }

    /// Every quarter declared, each once per roadmap: two `[[roadmap]]`
    /// entries may both plan a quarter (SPEC §9.8).
    pub(super) fn quarters(
        &self,
        groups: &[globset::GlobSet],
    ) -> BTreeMap<(usize, Quarter), (&str, &QuarterScope)> {
        let mut out = BTreeMap::new();
        for (p, f) in &self.files {
            if let Some((q, s)) = &f.quarter {
                out.entry((group(groups, p), *q)).or_insert((p.as_str(), s));
            }
        }
        out
    }

    /// Every technology's stage, with the file declaring it.
    pub(super) fn technologies(&self) -> BTreeMap<&str, (Stage, &str)> {
        let mut out = BTreeMap::new();
        for (p, f) in &self.files {
            for (name, stage) in &f.technologies {
                out.entry(name.as_str()).or_insert((*stage, p.as_str()));
            }
        }
        out
    }

    /// Every waiver, by what it waives (the first file by path wins).
    pub(super) fn waivers(&self) -> BTreeMap<WaiverTarget, &WaiverTerms> {
        self.waivers_at()
            .into_iter()
            .map(|(k, (_, w))| (k, w))
            .collect()
    }

    /// Every waiver, by what it waives, with the file it is in.
    pub(super) fn waivers_at(&self) -> BTreeMap<WaiverTarget, (&str, &WaiverTerms)> {
        let mut out = BTreeMap::new();
        for (path, f) in &self.files {
            for w in &f.waivers {
                out.entry(target(w)).or_insert((path.as_str(), w));
            }
        }
        out
    }

    /// Product and tech owners anywhere in this version.
    pub(super) fn owners(&self) -> (Vec<String>, Vec<String>) {
        let mut p = BTreeSet::new();
        let mut t = BTreeSet::new();
        for f in self.files.values() {
            p.extend(f.product_owners.iter().cloned());
            t.extend(f.tech_owners.iter().cloned());
        }
        (p.into_iter().collect(), t.into_iter().collect())
    }
}

/// What a waiver waives, owned: rule, quarter, item, commit.
pub(super) type WaiverTarget = (String, Option<Quarter>, Option<String>, Option<String>);

/// The owned [`WaiverTerms::target`] of `w`.
pub(super) fn target(w: &WaiverTerms) -> WaiverTarget {
    let (rule, quarter, item, commit) = w.target();
    (
        rule.to_string(),
        quarter,
        item.map(str::to_string),
        commit.map(str::to_string),
    )
}
