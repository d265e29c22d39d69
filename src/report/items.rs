//! The report's items and KPIs: every roadmap item with what the history
//! shows for it, and every KPI with the items that serve it.
//!
//! The numbers come from [`Facts::items`] (commits linked to an item by
//! trailer or by its id in the subject); the flags name the items whose
//! status the history contradicts, so a lead sees them without reading
//! every row.

use crate::calendar::Date;
use crate::escape::escape_data;
use crate::facts::Facts;
use crate::model::{Keyword, Roadmap, Status};
use serde::Serialize;

/// A way an item's status disagrees with its history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Contradiction {
    /// `status = "done"` but no commit is linked to it.
    DoneWithoutCommits,
    /// `status = "planned"` in a quarter that has ended, yet commits are
    /// linked to it: the work started (or finished) and the file says not.
    PlannedButWorkedOn,
}

impl Contradiction {
    /// The flag in words, for the table and the page.
    pub fn text(self) -> &'static str {
        match self {
            Contradiction::DoneWithoutCommits => "done, but no commit is linked",
            Contradiction::PlannedButWorkedOn => {
                "still planned after its quarter ended, yet commits are linked"
            }
        }
    }
}

/// One roadmap item with its plan and its actuals (SPEC §5 `items`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ItemRow {
    /// Item id.
    pub id: String,
    /// The quarter of the file it is planned in (null outside a quarter file).
    pub quarter: Option<String>,
    /// Kind word.
    pub kind: Option<String>,
    /// Status word (`planned` when the file does not say).
    pub status: String,
    /// Planned effort in engineer-weeks (whole weeks as integers).
    #[serde(serialize_with = "super::weeks_json")]
    pub effort: Option<f64>,
    /// Linked commits (null without history).
    pub commits: Option<usize>,
    /// Author-days of the linked commits (null without history).
    pub author_days: Option<f64>,
    /// Distinct authors of the linked commits (null without history).
    pub authors: Option<usize>,
    /// Day of the first linked commit (null when none).
    pub first_commit: Option<String>,
    /// Day of the last linked commit (null when none).
    pub last_commit: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Product owner.
    pub product_owner: Option<String>,
    /// Tech owner.
    pub tech_owner: Option<String>,
    /// KPIs it serves.
    pub kpis: Vec<String>,
    /// Where its status contradicts the history.
    pub contradictions: Vec<Contradiction>,
    /// File, relative to the repository root.
    pub file: String,
    /// 1-based line of the item.
    pub line: usize,
}

/// One KPI with the items that serve it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KpiRow {
    /// KPI id.
    pub id: String,
    /// What it measures.
    pub description: Option<String>,
    /// `business` or `health`.
    pub kind: Option<String>,
    /// Product co-owner.
    pub product_owner: Option<String>,
    /// Technology co-owner.
    pub tech_owner: Option<String>,
    /// Ids of the items that list it, in roadmap order.
    pub items: Vec<String>,
    /// File, relative to the repository root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// Repository text as the report carries it: control and bidi characters
/// made visible, so no format (JSON read in a terminal included) passes
/// them on.
fn clean(s: &str) -> String {
    escape_data(s).into_owned()
}

/// Every item of `roadmap` with its actuals from `facts` (none: no history)
/// as of `today`. `place` turns a file and span into (path, line).
pub fn items(
    roadmap: &Roadmap,
    facts: Option<&Facts>,
    today: Date,
    fiscal_year_start: u8,
    place: &dyn Fn(crate::source::FileId, crate::source::Span) -> (String, usize),
) -> Vec<ItemRow> {
    roadmap
        .items()
        .map(|item| {
            let id = item.id_str().to_string();
            let status = item.status.as_ref().map_or(Status::Planned, |s| s.value);
            let actual = facts.and_then(|f| f.items.get(&id));
            let linked = actual.map_or(0, |a| a.commits);
            let ended = item
                .quarter
                .is_some_and(|q| q.end_exclusive(fiscal_year_start) <= today);
            let mut contradictions = Vec::new();
            // Work done before the history was read (`since`) or before
            // roadlint was adopted was never linked to items: not flagged.
            let before_history = facts.is_some_and(|f| {
                item.quarter.is_some_and(|q| {
                    let end = q.end_exclusive(fiscal_year_start).unix_seconds();
                    [f.since, f.adopted].iter().flatten().any(|&t| end <= t)
                })
            });
            if facts.is_some() && status == Status::Done && linked == 0 && !before_history {
                contradictions.push(Contradiction::DoneWithoutCommits);
            }
            if status == Status::Planned && ended && linked > 0 {
                contradictions.push(Contradiction::PlannedButWorkedOn);
            }
            let (file, line) = place(item.file, item.name_span());
            ItemRow {
                id: clean(&id),
                quarter: item.quarter.map(|q| q.to_string()),
                kind: item.kind().map(|k| k.as_str().to_string()),
                status: status.as_str().to_string(),
                effort: item.effort.as_ref().map(|e| e.value),
                commits: facts.map(|_| linked),
                author_days: facts.map(|_| actual.map_or(0.0, |a| a.author_days)),
                authors: facts.map(|_| actual.map_or(0, |a| a.authors)),
                first_commit: actual.and_then(|a| a.first_commit).map(|d| d.to_string()),
                last_commit: actual.and_then(|a| a.last_commit).map(|d| d.to_string()),
                title: item.title.as_ref().map(|t| clean(&t.value)),
                product_owner: item.product_owner.as_ref().map(|o| clean(&o.value)),
                tech_owner: item.tech_owner.as_ref().map(|o| clean(&o.value)),
                kpis: item.kpis.iter().map(|k| clean(&k.value)).collect(),
                contradictions,
                file,
                line,
            }
        })
        .collect()
}

/// Every KPI of `roadmap` with the items that name it.
pub fn kpis(
    roadmap: &Roadmap,
    place: &dyn Fn(crate::source::FileId, crate::source::Span) -> (String, usize),
) -> Vec<KpiRow> {
    roadmap
        .kpis()
        .map(|k| {
            let id = k.id.as_ref().map_or(String::new(), |i| i.value.clone());
            let (file, line) = place(k.file, k.span);
            KpiRow {
                items: roadmap
                    .items()
                    .filter(|i| i.kpis.iter().any(|x| x.value == id))
                    .map(|i| clean(i.id_str()))
                    .collect(),
                description: k.description.as_ref().map(|d| clean(&d.value)),
                kind: k.kind.as_ref().map(|x| x.value.as_str().to_string()),
                product_owner: k.product_owner.as_ref().map(|o| clean(&o.value)),
                tech_owner: k.tech_owner.as_ref().map(|o| clean(&o.value)),
                id: clean(&id),
                file,
                line,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ItemActual;

    fn roadmap(text: &str) -> Roadmap {
        let parsed = crate::model::parse_file(crate::source::FileId(0), text);
        Roadmap {
            files: vec![parsed.model],
        }
    }

    const PLAN: &str = "quarter = \"2026-Q1\"\n\
        [[item]]\nid = \"A\"\nkind = \"feature\"\neffort = 3\nstatus = \"done\"\nkpis = [\"conv\"]\n\
        [[item]]\nid = \"B\"\nkind = \"debt\"\neffort = 2\n\
        [[item]]\nid = \"C\"\nkind = \"debt\"\neffort = 1\nstatus = \"done\"\n\
        [[kpi]]\nid = \"conv\"\nkind = \"business\"\n";

    fn facts() -> Facts {
        let day = |d: u8| Date::new(2026, 2, d);
        let mut f = Facts::default();
        for id in ["B", "C"] {
            f.items.insert(
                id.into(),
                ItemActual {
                    commits: 4,
                    author_days: 2.5,
                    authors: 2,
                    first_commit: day(2),
                    last_commit: day(20),
                },
            );
        }
        f
    }

    fn place(_: crate::source::FileId, _: crate::source::Span) -> (String, usize) {
        ("roadmap/2026-Q1.toml".into(), 1)
    }

    #[test]
    fn contradictions_are_flagged_once_the_quarter_ended() {
        let r = roadmap(PLAN);
        let after = Date::new(2026, 5, 1).expect("date");
        let rows = items(&r, Some(&facts()), after, 1, &place);
        let flags: Vec<(&str, &[Contradiction])> = rows
            .iter()
            .map(|r| (r.id.as_str(), r.contradictions.as_slice()))
            .collect();
        assert_eq!(
            flags,
            [
                ("A", &[Contradiction::DoneWithoutCommits][..]),
                ("B", &[Contradiction::PlannedButWorkedOn][..]),
                ("C", &[][..]),
            ]
        );
        assert_eq!(rows[1].first_commit.as_deref(), Some("2026-02-02"));
        assert_eq!(rows[1].author_days, Some(2.5));
        assert_eq!(rows[0].commits, Some(0));
        assert!(rows[0].first_commit.is_none());
        // during the quarter, a planned item being worked on is normal
        let during = Date::new(2026, 3, 1).expect("date");
        let rows = items(&r, Some(&facts()), during, 1, &place);
        assert!(rows[1].contradictions.is_empty());
    }

    #[test]
    fn done_items_of_quarters_before_since_or_adoption_are_not_flagged() {
        let r = roadmap(PLAN);
        let after = Date::new(2026, 5, 1).expect("date");
        let flagged = |f: &Facts| {
            items(&r, Some(f), after, 1, &place)[0]
                .contradictions
                .contains(&Contradiction::DoneWithoutCommits)
        };
        let q2 = Date::new(2026, 4, 1).expect("date").unix_seconds();
        let mut f = facts();
        assert!(flagged(&f), "no since, no adoption");
        f.since = Some(q2);
        assert!(!flagged(&f), "2026-Q1 ended before `since`");
        f.since = Some(q2 - 86_400);
        assert!(flagged(&f), "a partial quarter keeps the flag");
        f.since = None;
        f.adopted = Some(q2 + 3_600);
        assert!(!flagged(&f), "2026-Q1 ended before adoption");
        f.adopted = Some(q2 - 3_600);
        assert!(flagged(&f), "adopted on the quarter's last day");
    }

    #[test]
    fn without_history_nothing_is_known_or_flagged() {
        let r = roadmap(PLAN);
        let rows = items(&r, None, Date::new(2027, 1, 1).expect("date"), 1, &place);
        assert!(rows.iter().all(|r| r.contradictions.is_empty()));
        assert!(rows
            .iter()
            .all(|r| r.commits.is_none() && r.authors.is_none()));
    }

    #[test]
    fn a_kpi_lists_the_items_that_serve_it() {
        let r = roadmap(PLAN);
        let k = kpis(&r, &place);
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].items, ["A"]);
        assert_eq!(k[0].kind.as_deref(), Some("business"));
    }
}
