//! From the inputs of the counted commits to the facts of plan vs actual:
//! commits and effort per quarter by class, commits left out as bots', item
//! trailers naming no item, and what each item's linked commits add up to.
//!
//! **Author-days.** Each author works one unit per UTC day of author time on
//! which they authored counted commits, split evenly among that day's
//! commits; each commit then counts in the quarter of its committer time. So
//! twenty small commits of one afternoon weigh what one big one does, and a
//! rebase (new committer time) keeps the day the work was done. A person is
//! the email after the repository's `.mailmap`, case-folded (the name when
//! the email is empty).
//!
//! **Co-authors.** A commit's people are its author and its human
//! `Co-authored-by:` co-authors, each once; each person's day is split among
//! the commits they authored or co-authored that day, and a commit weighs the
//! sum of its people's shares. A co-author matching `ignore_authors` is left
//! out; a commit whose author is ignored counts nowhere.
//!
//! **Planning commits** (only the plan changed) count in no class and take no
//! part in author-days.

use super::classify::{author_identity, coauthors, Classifier};
use super::keys::KeyRef;
use crate::calendar::{Date, Quarter};
use crate::facts::{Facts, ItemActual, Measure};
use crate::git::mailmap::Mailmap;
use crate::globs::Wildcards;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One commit to count: its committer time, whether it is a merge, whether
/// it only changes the plan, and its inputs.
#[derive(Clone, Copy, Debug)]
pub(super) struct Counted<'a> {
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// Whether it is a merge commit.
    pub merge: bool,
    /// Whether it is a planning commit (see [`super::planning`]).
    pub planning: bool,
    /// Its inputs.
    pub key: KeyRef<'a>,
    /// The roadmaps (bits, in declaration order) whose `code` it changes.
    pub code: u32,
}

/// How effort is attributed to several roadmaps (SPEC §9.8).
pub(super) struct Attribution {
    /// The roadmaps' names, in declaration order.
    pub names: Vec<String>,
    /// Each item's roadmap (its index in `names`).
    pub items: HashMap<String, usize>,
}

/// How to count.
pub(super) struct Tally<'a> {
    /// Classifies commits and links them to items.
    pub classifier: &'a Classifier,
    /// Authors whose commits count nowhere.
    pub ignore_authors: &'a Wildcards,
    /// The repository's `.mailmap`, which names each person canonically.
    pub mailmap: Option<&'a Mailmap>,
    /// The unit of effort.
    pub measure: Measure,
    /// The month that starts fiscal Q1.
    pub fiscal_year_start: u8,
    /// Whether a commit of this quarter (a merge or not) lands in the
    /// per-quarter facts.
    pub keeps: &'a dyn Fn(Quarter, bool) -> bool,
    /// With several roadmaps: how a commit is attributed to them.
    pub attribution: Option<&'a Attribution>,
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// How a commit takes part in the count.
enum Role {
    /// Its author is ignored: it counts nowhere.
    Ignored,
    /// It only changes the plan.
    Planning,
    /// It counts; these people did its work.
    Counted(Vec<u32>),
}

impl Tally<'_> {
    /// Count `commits` into `facts`. Every commit given takes part in the
    /// author-day split (so a quarter's effort never depends on which other
    /// quarters are kept); only kept quarters are reported.
    pub(super) fn count(&self, commits: &[Counted<'_>], facts: &mut Facts) {
        facts.measure = self.measure;
        let quarter = |c: &Counted<'_>| Quarter::of_unix_seconds(c.time, self.fiscal_year_start);
        // Authors are few and commits many: each (name, email) is mapped,
        // matched against `ignore_authors` and folded into an identity once.
        let mut people = People::default();
        let mut roles: Vec<Role> = Vec::with_capacity(commits.len());
        let mut per_day: foldhash::HashMap<(u32, i64), u32> = foldhash::HashMap::default();
        for c in commits {
            let kept = (self.keeps)(quarter(c), c.merge);
            let role = match people.identify(c.key.name, c.key.email, self) {
                None => Role::Ignored,
                Some(_) if c.planning => Role::Planning,
                Some(author) => {
                    let mut who = vec![author];
                    for (name, email) in c.key.coauthors.into_iter().flat_map(coauthors) {
                        if let Some(p) = people.identify(name, email, self) {
                            if !who.contains(&p) {
                                who.push(p);
                            }
                        }
                    }
                    let day = c.key.author_time.div_euclid(DAY);
                    for p in &who {
                        *per_day.entry((*p, day)).or_default() += 1;
                    }
                    Role::Counted(who)
                }
            };
            match (&role, kept) {
                (Role::Ignored, true) => *facts.ignored.entry(quarter(c)).or_default() += 1,
                (Role::Planning, true) => *facts.planning.entry(quarter(c)).or_default() += 1,
                _ => {}
            }
            roles.push(role);
        }
        let mut item_authors: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        for (c, role) in commits.iter().zip(&roles) {
            let Role::Counted(who) = role else { continue };
            let day = c.key.author_time.div_euclid(DAY);
            let share: f64 = who
                .iter()
                .map(|p| per_day.get(&(*p, day)).map_or(1.0, |&n| 1.0 / f64::from(n)))
                .sum();
            let weight = match self.measure {
                Measure::AuthorDays => share,
                Measure::Commits => 1.0,
            };
            let judged = self.classifier.cascade(c.key.item, c.key.subject, c.key.ty);
            let q = quarter(c);
            if (self.keeps)(q, c.merge) {
                facts.counts.entry(q).or_default().add(judged.class, 1);
                facts.effort.entry(q).or_default().add(judged.class, weight);
                if judged.item.is_some() {
                    *facts.linked.entry(q).or_default() += weight;
                }
                if let Some(a) = self.attribution {
                    attribute(a, judged.item, c.code, (q, judged.class, weight), facts);
                }
            }
            if let (true, Some(value)) = (judged.unknown_trailer, c.key.item) {
                *facts.unknown_items.entry(value.to_string()).or_default() += 1;
            }
            if let Some(item) = judged.item {
                let day = Date::from_unix_seconds(c.time);
                let actual = facts
                    .items
                    .entry(item.to_string())
                    .or_insert_with(|| ItemActual {
                        first_commit: Some(day),
                        last_commit: Some(day),
                        ..ItemActual::default()
                    });
                actual.commits += 1;
                actual.author_days += share;
                actual.first_commit = actual.first_commit.min(Some(day));
                actual.last_commit = actual.last_commit.max(Some(day));
                item_authors
                    .entry(item)
                    .or_default()
                    .extend(who.iter().copied());
            }
        }
        for (item, who) in item_authors {
            if let Some(actual) = facts.items.get_mut(item) {
                actual.authors = who.len();
            }
        }
    }
}

/// Count a commit for the roadmaps it counts for: its linked item's, else
/// those whose code it changes, each with an even share of its `weight`;
/// for none, as unattributed.
fn attribute(
    a: &Attribution,
    item: Option<&str>,
    code: u32,
    (q, class, weight): (Quarter, crate::facts::Class, f64),
    facts: &mut Facts,
) {
    let bits = match item.and_then(|i| a.items.get(i)) {
        Some(&r) => 1u32 << r,
        None => code,
    };
    let n = bits.count_ones();
    if n == 0 {
        facts.unattributed.add(q, class, weight);
        return;
    }
    let share = weight / f64::from(n);
    for (i, name) in a.names.iter().enumerate().take(32) {
        if bits & (1 << i) != 0 {
            // Looked up before inserting: a name is cloned once, not per commit.
            match facts.roadmaps.get_mut(name) {
                Some(actual) => actual.add(q, class, share),
                None => facts
                    .roadmaps
                    .entry(name.clone())
                    .or_default()
                    .add(q, class, share),
            }
        }
    }
}

/// The people met so far: each (name, email) pair is judged once.
#[derive(Default)]
struct People<'a> {
    /// (name, email) → identity number, `None` for an ignored person.
    seen: foldhash::HashMap<(&'a str, &'a str), Option<u32>>,
    /// Identity (see [`author_identity`]) → number.
    numbers: foldhash::HashMap<String, u32>,
}

impl<'a> People<'a> {
    /// The identity number of `name <email>` after the mailmap, or `None`
    /// when `ignore_authors` matches the (mapped) name or email.
    fn identify(&mut self, name: &'a str, email: &'a str, tally: &Tally<'_>) -> Option<u32> {
        if let Some(&known) = self.seen.get(&(name, email)) {
            return known;
        }
        let (name_, email_) = match tally.mailmap {
            Some(map) => map.canonical(name, email),
            None => (name.into(), email.into()),
        };
        let ignore = tally.ignore_authors;
        let who = (!ignore.matches(&name_) && !ignore.matches(&email_)).then(|| {
            let next = self.numbers.len() as u32;
            *self
                .numbers
                .entry(author_identity(&name_, &email_))
                .or_insert(next)
        });
        self.seen.insert((name, email), who);
        who
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{ClassCounts, ClassEffort};
    use crate::model::Kind;
    use crate::settings::Config;

    /// 2026-01-05 00:00:00 UTC, a Monday of 2026-Q1.
    const JAN5: i64 = 1_767_571_200;
    const HOUR: i64 = 3_600;

    fn commit<'a>(time: i64, author_time: i64, email: &'a str, subject: &'a str) -> Counted<'a> {
        Counted {
            time,
            merge: false,
            planning: false,
            key: KeyRef {
                // The type as `conventional_type` reads these simple subjects.
                ty: subject.split([':', '(']).next(),
                item: None,
                subject,
                name: "someone",
                email,
                author_time,
                coauthors: None,
            },
            code: 0,
        }
    }

    fn count(commits: &[Counted<'_>], measure: Measure) -> Facts {
        let config = Config::default();
        let items = HashMap::from([("PAY-1".to_string(), Kind::Feature)]);
        let classifier = Classifier::new(&config.history, items, vec![Kind::Debt]);
        let keeps = |_: Quarter, merge: bool| !merge;
        let mut facts = Facts::default();
        Tally {
            classifier: &classifier,
            ignore_authors: &config.history.ignore_authors,
            mailmap: None,
            measure,
            fiscal_year_start: 1,
            keeps: &keeps,
            attribution: None,
        }
        .count(commits, &mut facts);
        facts
    }

    fn q(s: &str) -> Quarter {
        s.parse().expect("quarter")
    }

    #[test]
    fn one_author_one_day_is_one_unit_split_among_the_days_commits() {
        let commits: Vec<Counted<'_>> = (0..4)
            .map(|i| {
                let t = JAN5 + 13 * HOUR + i * 60;
                commit(
                    t,
                    t,
                    "dana@example.com",
                    if i == 0 { "feat: big" } else { "chore: bump" },
                )
            })
            .collect();
        let facts = count(&commits, Measure::AuthorDays);
        let e = facts.effort[&q("2026-Q1")];
        assert_eq!(
            e,
            ClassEffort {
                debt: 0.75,
                feature: 0.25,
                unclassified: 0.0
            }
        );
        assert_eq!(
            facts.counts[&q("2026-Q1")],
            ClassCounts {
                debt: 3,
                feature: 1,
                unclassified: 0
            }
        );
        assert_eq!(
            count(&commits, Measure::Commits).effort[&q("2026-Q1")].debt,
            3.0
        );
    }

    #[test]
    fn two_authors_on_one_day_each_work_a_whole_day() {
        let t = JAN5 + 10 * HOUR;
        let commits = [
            commit(t, t, "dana@example.com", "feat: a"),
            commit(t + 60, t + 60, "DANA@example.com", "feat: b"),
            commit(t + 120, t + 120, "lee@example.com", "fix: c"),
        ];
        let e = count(&commits, Measure::AuthorDays).effort[&q("2026-Q1")];
        assert_eq!((e.feature, e.debt), (1.0, 1.0), "the email is case-folded");
    }

    #[test]
    fn midnight_utc_separates_days() {
        let new_year = JAN5 - 4 * 86_400;
        let (before, after) = (new_year - 1, new_year);
        let commits = [
            commit(before, before, "dana@example.com", "fix: late"),
            commit(after, after, "dana@example.com", "fix: early"),
        ];
        let facts = count(&commits, Measure::AuthorDays);
        assert_eq!(facts.effort[&q("2025-Q4")].debt, 1.0, "23:59:59 on Dec 31");
        assert_eq!(facts.effort[&q("2026-Q1")].debt, 1.0, "00:00:00 on Jan 1");
    }

    #[test]
    fn the_author_day_decides_the_split_and_the_committer_time_the_quarter() {
        // Two commits authored on 2025-12-31, one committed then and one
        // rebased (committed) on 2026-01-05: they share one author-day, and
        // each lands in the quarter of its committer time.
        let authored = JAN5 - 5 * 86_400 + 12 * HOUR;
        let commits = [
            commit(authored, authored, "dana@example.com", "feat: a"),
            commit(JAN5 + HOUR, authored + 60, "dana@example.com", "feat: b"),
        ];
        let facts = count(&commits, Measure::AuthorDays);
        assert_eq!(facts.effort[&q("2025-Q4")].feature, 0.5);
        assert_eq!(facts.effort[&q("2026-Q1")].feature, 0.5);
    }

    #[test]
    fn bots_count_nowhere_but_in_ignored_commits() {
        let t = JAN5 + HOUR;
        let mut bot = commit(
            t,
            t,
            "29139614+renovate[bot]@users.noreply.example.com",
            "chore: bump",
        );
        bot.key.name = "renovate[bot]";
        let commits = [bot, commit(t, t, "dana@example.com", "feat: x")];
        let facts = count(&commits, Measure::AuthorDays);
        assert_eq!(facts.ignored[&q("2026-Q1")], 1);
        assert_eq!(
            facts.counts[&q("2026-Q1")],
            ClassCounts {
                debt: 0,
                feature: 1,
                unclassified: 0
            }
        );
        assert_eq!(
            facts.effort[&q("2026-Q1")].feature,
            1.0,
            "the bot takes no share"
        );
    }

    #[test]
    fn items_gather_their_linked_commits_authors_and_dates() {
        let t = JAN5 + HOUR;
        let mut by_trailer = commit(t + 86_400, t + 86_400, "lee@example.com", "fix: y");
        by_trailer.key.item = Some("PAY-1");
        let mut unknown = commit(t, t, "lee@example.com", "fix: z");
        unknown.key.item = Some("NOPE-9");
        let commits = [
            commit(
                t,
                t,
                "dana@example.com",
                "feat(checkout): one-click (PAY-1)",
            ),
            commit(t + 60, t + 60, "dana@example.com", "docs: unrelated"),
            by_trailer,
            unknown,
        ];
        let facts = count(&commits, Measure::Commits);
        let pay = &facts.items["PAY-1"];
        assert_eq!(pay.commits, 2);
        assert_eq!(pay.authors, 2);
        assert_eq!(pay.author_days, 0.5 + 1.0);
        assert_eq!(pay.first_commit, Some(Date::from_unix_seconds(t)));
        assert_eq!(pay.last_commit, Some(Date::from_unix_seconds(t + 86_400)));
        assert_eq!(facts.unknown_items["NOPE-9"], 1);
        // The trailer decides over the type: `fix: y` linked to a feature item.
        assert_eq!(facts.counts[&q("2026-Q1")].feature, 2);
    }
}
