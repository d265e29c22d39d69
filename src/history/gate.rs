//! The sign-off gate's view of history: what each commit did to the locked
//! quarters and to the technologies, judged against its first parent.
//!
//! A quarter is followed by its `quarter` value, not by its path: every
//! roadmap file the `roadmap` globs select is read from each tree, so a move
//! or rename is no change and a relabelled file is seen for what it is. The
//! same [`Gate::judge`] serves the history scan (a commit) and the hooks (the
//! commit being made, with the index as its tree): hook and `check` agree by
//! construction.

use super::classify::MessageFacts;
use super::error::HistoryError;
use super::version::{target, FileVersion, ItemScope};
pub use super::version::{QuarterScope, RoadmapVersion};
use crate::calendar::{Date, Quarter};
use crate::diagnostic::CommitRef;
use crate::facts::{
    BroughtIn, LockedChange, MergeScope, PolicyChange, ScopeChange, Signoff, SignoffRules,
    StageChange, TechChange, WaiverChange, WaiverEdit, WaiverTerms,
};
use crate::git::GitRepo;
use crate::model::{Roadmap, Stage};
use crate::settings::Config;
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What a commit judged by the gate did: to the locked quarters, to the
/// technologies, and to the waivers.
#[derive(Debug, Default)]
pub struct Judged {
    /// Scope changes to locked quarters.
    pub locked: Vec<LockedChange>,
    /// Stage changes of technologies.
    pub tech: Vec<TechChange>,
    /// Waivers added, changed or removed.
    pub waivers: Vec<WaiverChange>,
}

/// The scope changes from a quarter's version `before` to `after` (its
/// version in the next tree, by quarter value); `relabel` is what the old
/// file declares now when the quarter is gone.
pub fn scope_changes(
    before: &QuarterScope,
    after: Option<&QuarterScope>,
    relabel: Option<Quarter>,
) -> Vec<ScopeChange> {
    let Some(after) = after else {
        return vec![relabel.map_or(ScopeChange::Deleted, ScopeChange::Relabelled)];
    };
    let mut out = Vec::new();
    match (before.locked, after.locked) {
        (Some(a), None) => out.push(ScopeChange::LockRemoved(a)),
        (Some(a), Some(b)) if b > a => out.push(ScopeChange::LockMoved(a, b)),
        _ => {}
    }
    if before.capacity != after.capacity {
        out.push(ScopeChange::Capacity(before.capacity, after.capacity));
    }
    for (id, old) in &before.items {
        let Some(new) = after.items.get(id) else {
            out.push(ScopeChange::Removed(id.clone()));
            continue;
        };
        if old.effort != new.effort {
            out.push(ScopeChange::Effort(id.clone(), old.effort, new.effort));
        }
        if old.kind != new.kind {
            out.push(ScopeChange::Kind(id.clone(), old.kind, new.kind));
        }
        match (old.dropped, new.dropped) {
            (false, true) => out.push(ScopeChange::Dropped(id.clone(), new.effort)),
            (true, false) => out.push(ScopeChange::Restored(id.clone())),
            _ => {}
        }
    }
    for id in after
        .items
        .keys()
        .filter(|id| !before.items.contains_key(*id))
    {
        out.push(ScopeChange::Added(id.clone()));
    }
    out
}

/// The part of a quarter a change is about, and that part's value in a
/// version: a merge change is inherited when a parent holds the same value.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    Lock(Option<Date>),
    Capacity(Option<f64>),
    Item(Option<ItemScope>),
    Exists(bool),
}

/// A stable key for the part `change` is about.
fn part_key(change: &ScopeChange) -> String {
    match change {
        ScopeChange::LockRemoved(_) | ScopeChange::LockMoved(..) => "lock".into(),
        ScopeChange::Capacity(..) => "capacity".into(),
        ScopeChange::Relabelled(_) | ScopeChange::Deleted => "quarter".into(),
        other => format!("item:{}", other.item().unwrap_or_default()),
    }
}

/// The value of the part `change` is about in a quarter version.
fn part_value(change: &ScopeChange, q: Option<&QuarterScope>) -> Part {
    match change {
        ScopeChange::LockRemoved(_) | ScopeChange::LockMoved(..) => {
            Part::Lock(q.and_then(|q| q.locked))
        }
        ScopeChange::Capacity(..) => Part::Capacity(q.and_then(|q| q.capacity)),
        ScopeChange::Relabelled(_) | ScopeChange::Deleted => Part::Exists(q.is_some()),
        other => Part::Item(q.and_then(|q| q.items.get(other.item().unwrap_or_default()).copied())),
    }
}

/// A commit (or the commit being made) as the gate judges it.
pub struct Pending {
    /// Its id; `None` for the commit being made.
    pub id: Option<ObjectId>,
    /// Its committer time, seconds (UTC).
    pub time: i64,
    /// Its parents, first parent first.
    pub parents: Vec<ObjectId>,
    /// Its message's subject and trailers.
    pub message: MessageFacts,
    /// The roadmap as its tree holds it.
    pub after: Arc<RoadmapVersion>,
}

/// Entries a memo holds before it starts over (bounded memory).
const MEMO: usize = 4096;

/// Reads roadmap versions out of trees (memoized) and judges commits.
pub struct Gate<'g> {
    pub(super) git: &'g GitRepo,
    prefixes: Vec<String>,
    set: globset::GlobSet,
    blobs: HashMap<ObjectId, Arc<FileVersion>>,
    versions: HashMap<Vec<Option<ObjectId>>, Arc<RoadmapVersion>>,
    /// The agreement the gate judges with (for each file's sign-off).
    config: Arc<Config>,
    rules: SignoffRules,
    /// Each `[[roadmap]]`'s files, when there are several: their quarters
    /// are followed apart.
    groups: Vec<globset::GlobSet>,
    /// Dating the commits judged (their corrected committer times).
    pub(super) dating: super::dating::Dating,
    /// Under `[signoff] verify = "ssh"`: where approvals are read.
    pub(super) ssh: Option<super::approvals::ApprovalReader>,
}

impl<'g> Gate<'g> {
    /// A gate judging with the agreement `config` states: the files its
    /// globs select, its trailers and approvers, its rules that are off,
    /// and the quarters of each of its `[[roadmap]]` entries followed apart
    /// (SPEC §9.8: two teams' 2026-Q1 are two quarters).
    pub fn new(git: &'g GitRepo, config: &Config) -> Result<Self, HistoryError> {
        let globs = &config.roadmap;
        let set =
            crate::globs::compile(globs).map_err(|e| HistoryError::git("the roadmap globs", e))?;
        let groups = config
            .roadmaps
            .iter()
            .map(|r| crate::globs::compile(&r.files))
            .collect::<Result<_, _>>()
            .map_err(|e| HistoryError::git("the [[roadmap]] files", e))?;
        Ok(Gate {
            git,
            prefixes: prefixes(globs),
            set,
            blobs: HashMap::new(),
            dating: Default::default(),
            versions: HashMap::new(),
            config: Arc::new(config.clone()),
            rules: SignoffRules::of(config),
            groups,
            ssh: None,
        })
    }

    /// Judge sign-off by verified approvals read with `reader` (SPEC §9.4)
    /// instead of by trailers.
    pub fn verify_with(&mut self, reader: super::approvals::ApprovalReader) {
        self.ssh = Some(reader);
    }

    /// What the roadmap directories are in `tree`: the memo key of its version.
    fn key(&self, tree: ObjectId) -> Result<Vec<Option<ObjectId>>, HistoryError> {
        Ok(self.git.folders_at(tree, &self.prefixes)?)
    }

    /// The roadmap as commit `id`'s tree holds it.
    pub fn version_at(&mut self, id: ObjectId) -> Result<Arc<RoadmapVersion>, HistoryError> {
        let tree = self.git.tree_of(id)?;
        let key = self.key(tree)?;
        if let Some(v) = self.versions.get(&key) {
            return Ok(v.clone());
        }
        let mut files = BTreeMap::new();
        for (prefix, sub) in self.prefixes.clone().iter().zip(&key) {
            let Some(sub) = sub else { continue };
            for (rel, blob) in self.git.files_under(*sub, prefix)? {
                let path = if prefix.is_empty() {
                    rel
                } else {
                    format!("{prefix}/{rel}")
                };
                if !self.set.is_match(&path) {
                    continue;
                }
                let version = self.file(blob, &path)?;
                files.insert(path, version);
            }
        }
        let version = Arc::new(RoadmapVersion { files });
        if self.versions.len() >= MEMO {
            self.versions.clear();
        }
        self.versions.insert(key, version.clone());
        Ok(version)
    }

    /// One file version, parsed once per blob. A blob over the size cap is
    /// an error: comparing against a stand-in would invent or hide changes.
    fn file(&mut self, id: ObjectId, path: &str) -> Result<Arc<FileVersion>, HistoryError> {
        if let Some(f) = self.blobs.get(&id) {
            return Ok(f.clone());
        }
        let bytes = self.git.blob(id, path)?.map_err(|refusal| {
            HistoryError::Read(format!(
                "{path} at blob {id} cannot be compared with its other versions: {refusal:?}"
            ))
        })?;
        let f = Arc::new(FileVersion::parse(&bytes));
        if self.blobs.len() >= MEMO {
            self.blobs.clear();
        }
        self.blobs.insert(id, f.clone());
        Ok(f)
    }

    /// The corrected time of a commit being judged (see [`super::dating`]).
    pub(super) fn judged_time(&mut self, c: &Pending) -> Result<i64, HistoryError> {
        self.dating.judged_time(self.git, c.time, &c.parents)
    }

    /// Whether the repository holds `id` (a shallow boundary's parents are absent).
    pub fn knows(&self, id: ObjectId) -> bool {
        self.git.has(id)
    }

    /// A commit as the gate judges it.
    pub fn pending(&mut self, id: ObjectId) -> Result<Pending, HistoryError> {
        let parts = self.git.commit_parts(id)?;
        let message = MessageFacts::parse_encoded(&parts.message, parts.encoding.as_deref());
        let (time, parents) = (parts.time, parts.parents);
        Ok(Pending {
            id: Some(id),
            time,
            parents,
            message,
            after: self.version_at(id)?,
        })
    }

    /// The sign-off `message` carries, with the owners of `owners`.
    fn signoff(&self, message: &MessageFacts, owners: (Vec<String>, Vec<String>)) -> Signoff {
        let values = |token: &str| -> Vec<String> {
            message.trailers.values(token).map(str::to_string).collect()
        };
        let (product, tech) = (
            values(&self.rules.signoff.product_trailer),
            values(&self.rules.signoff.tech_trailer),
        );
        let mut misplaced = Vec::new();
        for (token, found) in [
            (&self.rules.signoff.product_trailer, &product),
            (&self.rules.signoff.tech_trailer, &tech),
        ] {
            if let Some(m) = message
                .trailers
                .misplaced(token)
                .filter(|_| found.is_empty())
            {
                misplaced.push(format!(
                    "`{}: {}` on line {} of the message does not count: {}",
                    m.token, m.value, m.line, m.why
                ));
            }
        }
        Signoff {
            product,
            tech,
            misplaced,
            product_owners: owners.0,
            tech_owners: owners.1,
            rules: self.rules.clone(),
            approvals: None,
        }
    }

    /// The sign-off of a change to the quarter file at `path`: judged with
    /// the approvers of its `[[roadmap]]` where it names them (SPEC §9.8).
    fn quarter_signoff(
        &self,
        path: &str,
        message: &MessageFacts,
        owners: (Vec<String>, Vec<String>),
    ) -> Signoff {
        let mut s = self.signoff(message, owners);
        s.rules.signoff = self.config.signoff_for(path).into_owned();
        (s.rules.product_listed_in, s.rules.tech_listed_in) = self.config.approvers_listed_in(path);
        s
    }

    /// `c`'s change to the agreement (`changes`, in the product's words) with
    /// its sign-off; owners from the whole roadmap before the commit.
    pub fn policy(
        &mut self,
        c: &Pending,
        changes: Vec<crate::policy::Changed>,
        files: &[(String, String)],
    ) -> Result<PolicyChange, HistoryError> {
        let before = match c.parents.first() {
            Some(p) => self.version_at(*p)?,
            None => Arc::new(RoadmapVersion::default()),
        };
        let mut signoff = self.signoff(&c.message, before.owners());
        self.sign_off_with_approvals(c, files, &mut signoff)?;
        Ok(PolicyChange {
            commit: CommitRef {
                id: c.id.map(|i| i.to_string()).unwrap_or_default(),
                subject: c.message.subject.clone(),
            },
            key: changes
                .first()
                .map(|c| c.key.clone())
                .filter(|k| !k.is_empty()),
            changes: changes.into_iter().map(|c| c.said).collect(),
            signoff,
            only_signoff_files: false,
        })
    }

    /// What `c` did to the locked quarters, the technologies and the
    /// waivers, judged against its first parent.
    pub fn judge(&mut self, c: &Pending) -> Result<Judged, HistoryError> {
        let before = match c.parents.first() {
            Some(p) => self.version_at(*p)?,
            None => Arc::new(RoadmapVersion::default()),
        };
        let others: Vec<Arc<RoadmapVersion>> = c.parents[c.parents.len().min(1)..]
            .iter()
            .map(|p| self.version_at(*p))
            .collect::<Result<_, _>>()?;
        let commit = CommitRef {
            id: c.id.map(|i| i.to_string()).unwrap_or_default(),
            subject: c.message.subject.clone(),
        };
        let groups = std::mem::take(&mut self.groups);
        let judged = self.judge_quarters(c, &before, &others, &commit, &groups);
        self.groups = groups;
        let locked = judged?;
        let mut tech = self.tech_changes(c, &before, &others, &commit);
        for t in &mut tech {
            let files = [(t.path.clone(), t.path.clone())];
            self.sign_off_with_approvals(c, &files, &mut t.signoff)?;
        }
        let waivers = self.waiver_changes(c, &before, &others, &commit)?;
        Ok(Judged {
            locked,
            tech,
            waivers,
        })
    }

    /// The changes of `c` to the quarters locked in `before`.
    fn judge_quarters(
        &mut self,
        c: &Pending,
        before: &RoadmapVersion,
        others: &[Arc<RoadmapVersion>],
        commit: &CommitRef,
        groups: &[globset::GlobSet],
    ) -> Result<Vec<LockedChange>, HistoryError> {
        let mut locked = Vec::new();
        let mut brought: Option<Vec<ObjectId>> = None;
        // A backdated commit is judged as made when its latest ancestor was;
        // its corrected time is looked up only when its own time is early.
        let mut corrected: Option<i64> = None;
        for ((g, q), (path, old)) in before.quarters(groups) {
            let Some(lock) = old.locked else { continue };
            let lock_time = lock.unix_seconds();
            if c.time < lock_time {
                let time = match corrected {
                    Some(t) => t,
                    None => *corrected.insert(self.judged_time(c)?),
                };
                if time < lock_time {
                    continue;
                }
            }
            let now = c.after.quarter_in(q, g, groups);
            let relabel = c
                .after
                .files
                .get(path)
                .and_then(|f| f.quarter.as_ref().map(|(q, _)| *q));
            let changes = scope_changes(old, now.map(|(_, s)| s), relabel);
            if changes.is_empty() {
                continue;
            }
            let merge = if others.is_empty() {
                None
            } else {
                let ids = match &brought {
                    Some(b) => b.clone(),
                    None => brought.insert(self.brought_in(c)?).clone(),
                };
                let at = (q, g, groups);
                Some(self.merge_scope(at, &changes, now.map(|(_, s)| s), others, &ids)?)
            };
            let mut signoff = self.quarter_signoff(
                path,
                &c.message,
                (old.product_owners.clone(), old.tech_owners.clone()),
            );
            let label = q.to_string();
            let mut files = vec![(path.to_string(), label.clone())];
            if let Some((p, _)) = now.filter(|(p, _)| *p != path) {
                files.push((p.to_string(), label));
            }
            self.sign_off_with_approvals(c, &files, &mut signoff)?;
            locked.push(LockedChange {
                path: now.map_or(path, |(p, _)| p).to_string(),
                quarter: q,
                commit: commit.clone(),
                changes,
                signoff,
                merge,
            });
        }
        Ok(locked)
    }

    /// The waivers `c` added, changed or removed; a merge's changes that a
    /// parent already held were judged on the commits that made them.
    fn waiver_changes(
        &mut self,
        c: &Pending,
        before: &RoadmapVersion,
        others: &[Arc<RoadmapVersion>],
        commit: &CommitRef,
    ) -> Result<Vec<WaiverChange>, HistoryError> {
        let (old, new) = (before.waivers_at(), c.after.waivers_at());
        let mut edits: Vec<(WaiverEdit, &str, &WaiverTerms)> = Vec::new();
        for (key, (path, was)) in &old {
            match new.get(key) {
                None => edits.push((WaiverEdit::Removed, path, was)),
                Some((path, is)) if is != was => edits.push((WaiverEdit::Changed, path, is)),
                Some(_) => {}
            }
        }
        for (key, (path, is)) in &new {
            if !old.contains_key(key) {
                edits.push((WaiverEdit::Added, path, is));
            }
        }
        edits.retain(|(edit, _, terms)| {
            let now = (*edit != WaiverEdit::Removed).then_some(*terms);
            !others
                .iter()
                .any(|o| o.waivers().get(&target(terms)).copied() == now)
        });
        let mut out = Vec::with_capacity(edits.len());
        for (edit, path, terms) in edits {
            let mut signoff = self.signoff(&c.message, before.owners());
            // Under verify = "ssh" the change of the file that holds the
            // waiver is approved like any other gated file (SPEC §9.4).
            let files = [(path.to_string(), path.to_string())];
            signoff.approvals = self.read_approvals(c, &files, false)?;
            out.push(WaiverChange {
                commit: commit.clone(),
                edit,
                terms: terms.clone(),
                signoff,
            });
        }
        Ok(out)
    }

    /// The technology changes of `c`; a merge's changes that a parent
    /// already held were judged on the commits that made them.
    fn tech_changes(
        &self,
        c: &Pending,
        before: &RoadmapVersion,
        others: &[Arc<RoadmapVersion>],
        commit: &CommitRef,
    ) -> Vec<TechChange> {
        let old = before.technologies();
        // The first technologies of the roadmap are its baseline.
        if old.is_empty() {
            return Vec::new();
        }
        let new = c.after.technologies();
        let mut changes = Vec::new();
        let mut path = None;
        for (name, (stage, p)) in &old {
            match new.get(name) {
                None => {
                    changes.push(StageChange::Removed(name.to_string(), *stage));
                    path.get_or_insert(*p);
                }
                Some((s, p)) if s != stage => {
                    changes.push(StageChange::Moved(name.to_string(), *stage, *s));
                    path.get_or_insert(*p);
                }
                Some(_) => {}
            }
        }
        for (name, (stage, p)) in &new {
            if !old.contains_key(name) && *stage != Stage::Assess {
                changes.push(StageChange::Added(name.to_string(), *stage));
                path.get_or_insert(*p);
            }
        }
        changes.retain(|ch| {
            let now = new.get(ch.name()).map(|(s, _)| *s);
            !others
                .iter()
                .any(|o| o.technologies().get(ch.name()).map(|(s, _)| *s) == now)
        });
        if changes.is_empty() {
            return Vec::new();
        }
        vec![TechChange {
            path: path.unwrap_or_default().to_string(),
            commit: commit.clone(),
            changes,
            signoff: self.signoff(&c.message, before.owners()),
        }]
    }

    /// The commits a merge brings in: reachable from its other parents, not
    /// from its first.
    fn brought_in(&self, c: &Pending) -> Result<Vec<ObjectId>, HistoryError> {
        let Some((first, others)) = c.parents.split_first() else {
            return Ok(Vec::new());
        };
        Ok(self.git.commits_between(others, *first)?)
    }

    /// How a merge's change to quarter `q` came about: which of its changes
    /// no parent held, and which brought-in commits changed the quarter.
    fn merge_scope(
        &mut self,
        (q, g, groups): (Quarter, usize, &[globset::GlobSet]),
        changes: &[ScopeChange],
        now: Option<&QuarterScope>,
        others: &[Arc<RoadmapVersion>],
        brought: &[ObjectId],
    ) -> Result<MergeScope, HistoryError> {
        let mut scope = MergeScope::default();
        let mut touched = BTreeSet::new();
        for id in brought {
            let p = self.pending(*id)?;
            let before = match p.parents.first() {
                Some(parent) => self.version_at(*parent)?,
                None => Arc::new(RoadmapVersion::default()),
            };
            let (Some((path, old)), after) = (
                before.quarter_in(q, g, groups),
                p.after.quarter_in(q, g, groups),
            ) else {
                if let Some((_, new)) = p.after.quarter_in(q, g, groups) {
                    let changes = scope_changes(&QuarterScope::default(), Some(new), None);
                    touched.extend(changes.iter().map(part_key));
                    scope.brought.push(BroughtIn {
                        commit: CommitRef {
                            id: id.to_string(),
                            subject: p.message.subject.clone(),
                        },
                        changes,
                        signoff: self.signoff(&p.message, (Vec::new(), Vec::new())),
                    });
                }
                continue;
            };
            let relabel = p
                .after
                .files
                .get(path)
                .and_then(|f| f.quarter.as_ref().map(|(q, _)| *q));
            let changes = scope_changes(old, after.map(|(_, s)| s), relabel);
            if changes.is_empty() {
                continue;
            }
            touched.extend(changes.iter().map(part_key));
            let mut signoff = self.quarter_signoff(
                path,
                &p.message,
                (old.product_owners.clone(), old.tech_owners.clone()),
            );
            // Under verify = "ssh" a brought-in commit is signed off by its
            // approvals, never by its trailers.
            let mut files = vec![(path.to_string(), q.to_string())];
            if let Some((now, _)) = after.filter(|(p, _)| *p != path) {
                files.push((now.to_string(), q.to_string()));
            }
            self.sign_off_with_approvals(&p, &files, &mut signoff)?;
            scope.brought.push(BroughtIn {
                commit: CommitRef {
                    id: id.to_string(),
                    subject: p.message.subject.clone(),
                },
                changes,
                signoff,
            });
        }
        for change in changes {
            let value = part_value(change, now);
            let inherited = touched.contains(&part_key(change))
                && others.iter().any(|o| {
                    part_value(change, o.quarter_in(q, g, groups).map(|(_, s)| s)) == value
                });
            if !inherited {
                scope.own.push(change.clone());
            }
        }
        Ok(scope)
    }
}

/// The literal directory prefixes of the roadmap globs, deduplicated; a
/// prefix inside another is dropped.
pub(super) fn prefixes(globs: &[String]) -> Vec<String> {
    let mut all: Vec<String> = globs
        .iter()
        .map(|g| crate::globs::literal_prefix(g))
        .collect();
    all.sort();
    all.dedup();
    let keep: Vec<String> = all
        .iter()
        .filter(|p| {
            !all.iter()
                .any(|o| o != *p && (o.is_empty() || p.starts_with(&format!("{o}/"))))
        })
        .cloned()
        .collect();
    keep
}

/// The `commit` values of the roadmap's commit waivers that name one of `ids`.
pub(super) fn waived_commits<'a>(
    roadmap: &Roadmap,
    ids: impl Iterator<Item = &'a ObjectId>,
) -> BTreeSet<String> {
    let wanted: BTreeSet<String> = roadmap
        .waivers()
        .filter_map(|w| w.commit.as_ref())
        .map(|c| c.value.trim().to_ascii_lowercase())
        .filter(|c| c.len() >= 4)
        .collect();
    if wanted.is_empty() {
        return BTreeSet::new();
    }
    let mut found = BTreeSet::new();
    for id in ids {
        let hex = id.to_string();
        for w in &wanted {
            if hex.starts_with(w.as_str()) {
                found.insert(w.clone());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "quarter = \"2026-Q1\"\ncapacity = 40\nlocked = 2026-01-09\n[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 14\nstatus = \"planned\"\n";

    fn scope(text: &str) -> QuarterScope {
        FileVersion::parse(text.as_bytes()).quarter.unwrap().1
    }

    #[test]
    fn every_kind_of_scope_change_is_seen_and_wording_is_free() {
        let before = scope(BASE);
        let same = scope(&BASE.replace("planned", "done").replace("\"t\"", "\"T\""));
        assert!(scope_changes(&before, Some(&same), None).is_empty());
        let cases = [
            (BASE.replace("planned", "dropped"), "drops `A` (14 weeks)"),
            (
                BASE.replace("capacity = 40", "capacity = 44"),
                "changes the capacity from 40 to 44",
            ),
            (
                BASE.replace("locked = 2026-01-09\n", ""),
                "removes the lock",
            ),
            (
                BASE.replace("2026-01-09", "2026-03-01"),
                "moves the lock from 2026-01-09 to 2026-03-01",
            ),
            (format!("{BASE}[[item]]\nid = \"B-1\"\n"), "adds `B-1`"),
        ];
        for (after, said) in cases {
            let got = scope_changes(&before, Some(&scope(&after)), None);
            assert_eq!(got.len(), 1, "{after}: {got:?}");
            assert_eq!(got[0].to_string(), said);
        }
        assert!(
            scope_changes(
                &before,
                Some(&scope(&BASE.replace("2026-01-09", "2026-01-02"))),
                None
            )
            .is_empty(),
            "an earlier lock is free"
        );
        assert_eq!(
            scope_changes(&before, None, None)[0].to_string(),
            "deletes the quarter file"
        );
        assert_eq!(
            scope_changes(&before, None, Some("2026-Q2".parse().unwrap()))[0].to_string(),
            "relabels the quarter as 2026-Q2"
        );
        let back = scope(&BASE.replace("planned", "dropped"));
        assert_eq!(
            scope_changes(&back, Some(&before), None)[0].to_string(),
            "takes `A` out of `dropped`"
        );
    }

    #[test]
    fn prefixes_cover_every_glob_once() {
        let g = |v: &[&str]| prefixes(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(g(&["roadmap/**/*.toml"]), vec!["roadmap"]);
        assert_eq!(
            g(&["roadmap/**/*.toml", "roadmap/q/*.toml", "plans/*.toml"]),
            vec!["plans", "roadmap"]
        );
        assert_eq!(g(&["**/*.toml", "roadmap/*.toml"]), vec![""]);
    }
}
