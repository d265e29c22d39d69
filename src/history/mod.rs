//! The history half of roadlint: what the repository actually did.
//!
//! One walk over the commits reachable from the tip (newest first, by commit
//! time, commit-graph when present) yields every fact the history rules need:
//! commits per quarter by class, the scope changes made to locked quarters,
//! and the stage steps of every technology. Rules then judge the facts; they
//! never touch git themselves.
//!
//! The reading is the git layer's (`crate::git`: the walk, path changes,
//! messages, `.mailmap`); here are the facts made of it, the history cache
//! and the sign-off gate.

mod approvals;
mod attribution;
mod cache;
mod classify;
mod dating;
mod digest;
mod effort;
mod error;
mod gate;
mod gate_approvals;
mod keys;
mod maturity;
mod memo;
mod messages;
mod pending;
mod planning;
mod presets;
mod shallow;
mod stood;
mod store;
mod tree_cache;
mod version;

pub use crate::git::message::{bounded_message, Reducer};
pub use approvals::{principals_of, ApprovalReader};
pub use cache::refused_dir as refused_cache_dir;
pub use classify::{conventional_type, Classifier, MessageFacts, MessageKey};
pub use error::HistoryError;
pub use gate::{scope_changes, Gate, Pending, QuarterScope, RoadmapVersion};
pub use pending::{approvers_before, pending_changes, PendingChange, StoodApprovers};
use stood::CONFIG_PATH;
pub use stood::{AgreementAfter, Agreements};

use crate::calendar::{Date, Quarter};
use crate::facts::{Facts, Needs};
use crate::git::mailmap::Mailmap;
use crate::git::{GitError, GitRepo, ObjectId, WalkedCommit};
use crate::model::{Kind, Roadmap};
use crate::settings::Config;
use crate::source::Sources;
use std::collections::{BTreeMap, HashMap};

/// What to scan.
pub struct ScanRequest<'a> {
    /// The commit to walk from.
    pub tip: ObjectId,
    /// Ignore commits older than this (seconds, UTC).
    pub since: Option<i64>,
    /// Configuration in force.
    pub config: &'a Config,
    /// Today's roadmap.
    pub roadmap: &'a Roadmap,
    /// Its sources (for paths).
    pub sources: &'a Sources,
    /// What the enabled rules need from the history.
    pub needs: Needs,
    /// The quarters whose commits a rule may judge (planned and ended): the
    /// only ones classified unless `classify_all`.
    pub judged: Vec<Quarter>,
    /// The item kinds that count as debt, for commits linked to an item.
    pub debt_kinds: Vec<Kind>,
    /// Classify every quarter (report), not only those a rule judges.
    pub classify_all: bool,
    /// Show a progress bar on the terminal.
    pub progress: bool,
    /// Use the per-commit classification cache.
    pub cache: bool,
    /// The text of `check --allowed-signers FILE`: it replaces the in-tree
    /// allowed-signers file for verifying every approval (SPEC §9.4).
    pub allowed_signers: Option<String>,
}

impl ScanRequest<'_> {
    /// Whether commits are classified at all (for the report or a rule).
    fn classifies(&self) -> bool {
        self.classify_all || self.needs.classified_commits
    }

    /// Whether a commit of `quarter` (a merge or not) is counted. The walk and
    /// the digest both ask here, so they count the same commits.
    fn counts(&self, quarter: Quarter, merge: bool) -> bool {
        (self.config.history.include_merges || !merge)
            && (self.classify_all || self.judged.contains(&quarter))
    }

    /// Which commits are read for classification and effort: every commit
    /// the merge policy counts, from a day before the first judged quarter on
    /// (so that the author-day split of a judged commit sees the other
    /// commits of its day), or all of them for the report. The answer, by
    /// commit time and whether it is a merge, is worked out once.
    fn reads(&self) -> impl Fn(i64, bool) -> bool + '_ {
        let from = self.read_from();
        let merges = self.config.history.include_merges;
        move |time, merge| (merges || !merge) && time >= from
    }

    /// The commit time from which on commits are read for classification
    /// (see [`Self::reads`]): `i64::MIN` for the report, `i64::MAX` when no
    /// quarter is judged.
    fn read_from(&self) -> i64 {
        if self.classify_all {
            return i64::MIN;
        }
        let fy = self.config.fiscal_year_start;
        self.judged
            .iter()
            .map(|q| q.start(fy).unix_seconds())
            .min()
            .map_or(i64::MAX, |s| s.saturating_sub(86_400))
    }

    /// Count `commits` into `facts`.
    fn tally(&self, commits: &[effort::Counted<'_>], mailmap: Option<&Mailmap>, facts: &mut Facts) {
        let keeps = |q: Quarter, merge: bool| self.counts(q, merge);
        let attribution = self.attribution();
        effort::Tally {
            classifier: &self.classifier(),
            ignore_authors: &self.config.history.ignore_authors,
            mailmap,
            measure: self.config.history.measure,
            fiscal_year_start: self.config.fiscal_year_start,
            keeps: &keeps,
            attribution: attribution.as_ref(),
        }
        .count(commits, facts);
    }

    /// Everything the tally of a given tip depends on, hashed: equal
    /// questions of the same tip have equal answers (see [`memo`]).
    fn question(&self, mailmap: Option<&Mailmap>) -> u64 {
        let mut items: Vec<(String, Kind)> = self.classifier_items().into_iter().collect();
        items.sort();
        // With several roadmaps: which roadmap each item is in, and whose
        // code is where (SPEC §9.8).
        let attribution = self.attribution().map(|a| {
            let mut items: Vec<(String, usize)> = a.items.into_iter().collect();
            items.sort();
            let code: Vec<&Vec<String>> = self.config.roadmaps.iter().map(|r| &r.code).collect();
            (a.names, items, code)
        });
        let asked = format!(
            "{} {:?} {} {:?} {:?} {:?} {} {:?} {:?} {:?} {:?}",
            env!("CARGO_PKG_VERSION"),
            self.config.history,
            self.config.fiscal_year_start,
            items,
            self.debt_kinds,
            self.judged,
            self.classify_all,
            self.config.roadmap,
            self.policy_paths(),
            mailmap.map(|m| m.hash),
            attribution,
        );
        crate::fnv::fnv(&[asked.as_bytes()])
    }

    /// The configuration file's path relative to the repository root
    /// (`roadlint.toml` when there is none, or it lies elsewhere).
    fn config_path(&self) -> String {
        self.config
            .file
            .map(|f| self.sources.get(f).path.clone())
            .filter(|p| !p.starts_with("..") && !std::path::Path::new(p).is_absolute())
            .unwrap_or_else(|| CONFIG_PATH.to_string())
    }

    /// The files of the agreement: the configuration file and the presets
    /// of its `extends` chain (SPEC §9.8).
    fn policy_paths(&self) -> Vec<String> {
        let mut paths = vec![self.config_path()];
        paths.extend(self.config.presets().iter().cloned());
        paths
    }

    /// The files a planning commit may change.
    fn planning_files(&self) -> planning::PlanningFiles {
        planning::PlanningFiles::new(
            &self.config.roadmap,
            self.policy_paths(),
            vec![self.config.signoff.approvals.clone()],
        )
    }

    /// Today's items by id, with their kinds.
    fn classifier_items(&self) -> HashMap<String, Kind> {
        self.roadmap
            .items()
            .filter_map(|i| Some((i.id.as_ref()?.value.clone(), i.kind()?)))
            .collect()
    }

    /// How commits are classified for this request.
    fn classifier(&self) -> Classifier {
        Classifier::new(
            &self.config.history,
            self.classifier_items(),
            self.debt_kinds.clone(),
        )
    }

    /// The paths whose history the path rules need, each with the time
    /// (seconds) from which on it is needed. The sign-off gate follows the
    /// roadmap's directories (a trailing `/`): any file in them may hold a
    /// quarter or a technology, under any name.
    fn paths(&self) -> Vec<(String, i64)> {
        let mut paths = Vec::new();
        if self.gated() {
            let from = self.since.unwrap_or(i64::MIN);
            paths.extend(
                gate::prefixes(&self.config.roadmap)
                    .into_iter()
                    .map(|p| (format!("{p}/"), from)),
            );
        }
        if self.needs.stage_steps {
            paths.extend(self.technology_files().into_iter().map(|p| (p, i64::MIN)));
        }
        // Past agreements decide what the gate reads (SPEC §9.1).
        if self.needs.policy_changes || self.gated() {
            let from = self.since.unwrap_or(i64::MIN);
            paths.push((CONFIG_PATH.to_string(), from));
            paths.extend(self.config.presets().iter().map(|p| (p.clone(), from)));
            if let Some((signers, approvals)) = self.signoff_files() {
                paths.push((signers.to_string(), from));
                paths.push((approvals, from));
            }
        }
        paths
    }

    /// The files whose changes are policy changes when approvals are
    /// verified (SPEC §9.4): the allowed-signers file (the trust root) and
    /// the approvals folder (with its trailing `/`).
    fn signoff_files(&self) -> Option<(&str, String)> {
        let s = &self.config.signoff;
        (s.verify == crate::settings::Verify::Ssh).then(|| {
            let folder = format!("{}/", s.approvals.trim_end_matches('/'));
            (s.allowed_signers.as_str(), folder)
        })
    }

    /// Whether the sign-off gate runs: for scope and technology changes,
    /// and for the waivers that change the agreement.
    fn gated(&self) -> bool {
        self.needs.locked_scope_changes || self.needs.tech_changes || self.needs.policy_changes
    }

    /// Whether the roadmap holds commit waivers, which must be matched
    /// against the commits scanned.
    fn has_commit_waivers(&self) -> bool {
        self.roadmap.waivers().any(|w| w.commit.is_some())
    }

    /// Files declaring technologies.
    fn technology_files(&self) -> Vec<String> {
        self.roadmap
            .files
            .iter()
            .filter(|f| !f.technologies.is_empty())
            .map(|f| self.sources.get(f.file).path.clone())
            .collect()
    }
}

/// Resolve a `--since` value to the first second scanned: a date (commits
/// from that day on), or a revision (commits after it: its commit time plus
/// one second, so `--since HEAD~1` scans exactly HEAD on a linear history).
pub fn since_seconds(git: &GitRepo, since: &str) -> Result<i64, HistoryError> {
    let looks_like_date = since.len() >= 8
        && since.starts_with(|c: char| c.is_ascii_digit())
        && since.chars().all(|c| c.is_ascii_digit() || c == '-');
    if looks_like_date {
        return since
            .parse::<Date>()
            .map(Date::unix_seconds)
            .map_err(|e| HistoryError::Since {
                value: since.to_string(),
                reason: e.to_string(),
            });
    }
    let id = git.resolve(since).map_err(|e| match e {
        GitError::Rev { .. } => HistoryError::Since {
            value: since.to_string(),
            reason: "neither a date (YYYY-MM-DD) nor a revision of this repository".into(),
        },
        other => other.into(),
    })?;
    Ok(git.commit_time(id)?.saturating_add(1))
}

/// Walk the history and gather the facts.
pub fn scan(git: &GitRepo, req: &ScanRequest<'_>) -> Result<Facts, HistoryError> {
    let trailer = &req.config.history.item_trailer;
    let file = req.cache.then(|| cache::cache_file(git, trailer)).flatten();
    let mut digest_stale = false;
    // The mailmap is part of the question; it is read here when the tip's
    // tree is known cheaply, else after the walk (which reads the tip).
    let mut early_mailmap = None;
    // Answers are remembered for whole histories only (not under `--since`).
    let memo = match file.as_ref() {
        Some(f) if req.since.is_none() && req.classifies() => Mailmap::at_cheaply(git, req.tip)?
            .map(|m| {
                let question = req.question(m.as_ref());
                early_mailmap = Some(m);
                (f.with_extension(memo::EXTENSION), question)
            }),
        _ => None,
    };
    if let (Some(file), None) = (&file, req.since) {
        let digest = file.with_extension(cache::DIGEST_EXTENSION);
        if let Some(digest) = digest::Digest::read(&digest, trailer, req.tip) {
            if let Some(facts) = from_digest(git, req, digest, memo.as_ref(), file)? {
                return Ok(facts);
            }
        }
        digest_stale = true;
    }
    // The path rules' findings are remembered for whole histories, where
    // the digest can later answer (see `from_digest`).
    let findings = file
        .as_ref()
        .filter(|_| req.since.is_none() && !req.has_commit_waivers())
        .map(|f| {
            (
                f.with_extension(memo::EXTENSION),
                memo::question_of_findings(req),
            )
        });
    let mut cache = file.map(|f| cache::HistoryCache::open(f, trailer));
    if let (Some(cache), true) = (cache.as_mut(), digest_stale) {
        cache.digest_is_stale();
    }
    let known_tip = cache
        .as_ref()
        .is_some_and(|c| c.walk_from(req.tip).is_some());
    let classifying = req.classifies();
    // A walk that reads every commit leaves a core idle: the changes to the
    // paths the rules follow are worked out there meanwhile, for the commits
    // not classified (the planning check reads the root trees of those, and
    // notes what the path rules look up in them). A walk the cache answers
    // needs no follower.
    let before = if classifying {
        req.read_from()
    } else {
        i64::MAX
    };
    let paths: Vec<String> = if known_tip || before == i64::MIN {
        Vec::new()
    } else {
        req.paths().into_iter().map(|(p, _)| p).collect()
    };
    // A gate dates the commits that change a locked quarter, reading the
    // corrected times of most of the history (unless the cache remembers
    // them): worked out meanwhile, on the core the walk leaves idle, when
    // a quarter is locked today.
    let locks = req
        .roadmap
        .files
        .iter()
        .any(|f| f.locked.as_ref().is_some());
    let times = match req.gated() && locks && !known_tip {
        true => crate::git::corrected::SharedTimes::ahead(git, req.tip),
        false => Default::default(),
    };
    let older = (!paths.is_empty()).then(|| {
        let repo = crate::git::workers::worker_repo(git);
        let packs = git.packs();
        move |steps| crate::git::paths::follow((&repo, packs), paths, steps)
    });
    // The commits classified are compared with their parents there too,
    // for the planning check (see `planning::follow`); a walk on the
    // commit-graph reads no commit, and leaves no core idle.
    let reading = crate::git::walk::reads_every_commit(git);
    let newer = (classifying && !known_tip && reading).then(|| {
        let repo = crate::git::workers::worker_repo(git);
        let packs = git.packs();
        let (files, code) = (req.planning_files(), req.code_paths());
        let names = crate::git::top_entries::TopEntries::of_paths(
            req.paths().iter().map(|(p, _)| p.as_str()),
        );
        let merges = req.config.history.include_merges;
        move |steps| planning::follow((&repo, packs), (&files, &code), names, merges, steps)
    });
    let followers = crate::git::walk::Followers {
        split: before,
        older,
        newer,
    };
    let (
        crate::git::walk::Walked {
            commits,
            keys,
            roots,
        },
        followed,
        planned,
    ) = cache::walk_cached(
        git,
        req.tip,
        req.since,
        classifying.then_some(trailer.as_str()),
        cache.as_mut(),
        followers,
    )?;
    let followed = followed.unwrap_or_default();
    let mut facts = Facts {
        commits_scanned: commits.len(),
        since: req.since,
        ..Facts::default()
    };
    shallow::check(git, req, &commits)?;

    // A remembered answer stands in for reading the commits only while the
    // per-commit cache is intact for this tip (else it must be refilled).
    let remembered = memo
        .as_ref()
        .filter(|_| known_tip)
        .and_then(|(file, question)| memo::read(file, req.tip, *question));
    let walked = (&roots, &followed);
    let classify = classifying && remembered.is_none();
    if let Some(answer) = remembered {
        answer.apply(&mut facts);
        facts.measure = req.config.history.measure;
    }
    let mut trees = if classify {
        let walked = (&commits[..], walked, keys, planned.unwrap_or_default());
        let memo = memo.as_ref();
        classify_commits(git, req, walked, cache, early_mailmap, memo, &mut facts)?
    } else {
        path_trees(git, req, cache, walked, Default::default(), &commits)?
    };
    let mut agreements = Agreements::new(git, req.config, req.sources)
        .verifying(req.allowed_signers.clone(), Some(req.tip))
        .dating_from(trees.corrected(), Some(commits.clone()), times);
    if req.gated() {
        let past = past_dirs(req, &mut agreements, &mut trees, &commits)?;
        trees.prepare(&commits, &past, true)?;
    }
    path_facts(req, &mut agreements, &mut trees, &commits, &mut facts)?;
    trees.note_corrected(&agreements.corrected_asked());
    trees.save();
    if let Some((file, question)) = findings {
        memo::write_judgements(&file, req.tip, question, memo::Judgements::of(&facts));
    }
    Ok(facts)
}

/// Classify and weigh `commits` (with the root trees and messages the walk
/// read, and what its follower worked out) into `facts`, remembering the
/// answer in `memo`; the path rules' trees are read beside the tally, and
/// their cache comes back ready.
fn classify_commits<'r>(
    git: &'r GitRepo,
    req: &ScanRequest<'_>,
    (commits, walked, keys, planned): (
        &[WalkedCommit],
        WalkedTrees<'r>,
        gix::hashtable::HashMap<ObjectId, classify::MessageKey>,
        planning::Planned,
    ),
    mut cache: Option<cache::HistoryCache>,
    early_mailmap: Option<Option<Mailmap>>,
    memo: Option<&(std::path::PathBuf, u64)>,
    facts: &mut Facts,
) -> Result<tree_cache::TreeCache<'r>, HistoryError> {
    let trailer = &req.config.history.item_trailer;
    let roots = walked.0;
    let reads = req.reads();
    let wanted: Vec<&WalkedCommit> = commits
        .iter()
        .filter(|c| reads(c.time, c.parents >= 2))
        .collect();
    let mut local = keys::KeyTable::default();
    let ids = messages::read_inputs(
        git,
        &wanted,
        trailer,
        req.progress,
        &keys,
        cache.as_mut(),
        &mut local,
    )?;
    drop(keys);
    // The table is lent to the tally, which runs beside the path rules'
    // reading (the cache goes to them), and handed back after.
    let lent = match cache.as_mut() {
        Some(c) => std::mem::take(c.keys_mut()),
        None => local,
    };
    let table = &lent;
    let mailmap = match early_mailmap {
        Some(m) => m,
        None => Mailmap::at(git, req.tip, roots)?,
    };
    let code = req.code_paths();
    let code_wanted = req.code_wanted(table);
    let wants = |i: usize| code_wanted.as_ref().is_some_and(|w| w.wants(ids[i]));
    // The planning check reads root trees the path rules look into.
    let paths = req.paths();
    let mut tops =
        crate::git::top_entries::TopEntries::of_paths(paths.iter().map(|(p, _)| p.as_str()));
    let planning = planning::planning_commits(
        git,
        &wanted,
        &req.planning_files(),
        (&code, &wants),
        (walked.0, planned),
        &mut tops,
    )?;
    let counted: Vec<effort::Counted<'_>> = wanted
        .iter()
        .zip(ids)
        .zip(planning)
        .filter_map(|((c, ids), (planning, code))| {
            Some(effort::Counted {
                time: c.time,
                merge: c.parents >= 2,
                planning,
                key: table.view(ids)?,
                code,
            })
        })
        .collect();
    // The tally is one core's work; the path rules' reading, on every
    // core, does not depend on it.
    let (tallied, prepared) = std::thread::scope(|s| {
        let tally = s.spawn(|| {
            let mut tallied = std::mem::take(&mut *facts);
            req.tally(&counted, mailmap.as_ref(), &mut tallied);
            tallied
        });
        let prepared = path_trees(git, req, cache, walked, tops, commits);
        (tally.join(), prepared)
    });
    *facts = tallied.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let mut prepared = prepared?;
    drop(counted);
    prepared.restore_keys(lent);
    // Adoption only matters to `done` items (the report's flags).
    let done = req.roadmap.items().any(|i| {
        i.status
            .as_ref()
            .is_some_and(|s| s.value == crate::model::Status::Done)
    });
    if req.classify_all && done {
        facts.adopted = adoption(git, commits, roots)?;
    }
    if let Some((file, question)) = memo {
        memo::write(file, req.tip, *question, memo::Tallied::of(facts));
    }
    Ok(prepared)
}

/// What the walk read of the trees: the root tree of each commit, and the
/// path changes its follower worked out (both empty when it read no commit).
type WalkedTrees<'r> = (
    &'r gix::hashtable::HashMap<ObjectId, ObjectId>,
    &'r crate::git::paths::Followed,
);

/// The path rules' tree cache over `commits`, with the changes of every
/// path the rules follow worked out on every core; `tops` holds what the
/// planning check noted of root trees.
fn path_trees<'r>(
    git: &'r GitRepo,
    req: &ScanRequest<'_>,
    cache: Option<cache::HistoryCache>,
    walked: WalkedTrees<'r>,
    tops: crate::git::top_entries::TopEntries,
    commits: &[WalkedCommit],
) -> Result<tree_cache::TreeCache<'r>, HistoryError> {
    let mut trees = tree_cache::TreeCache::new(git, cache, walked)?;
    trees.seed(tops);
    // The gate and the policy judge merges too (a technology's stage steps
    // do not): their merges are worked out on every core as well.
    let technology = req.technology_files();
    // In one pass, the judged paths first (the order of the cache's slots).
    let (stages, judged): (Vec<_>, Vec<_>) = req
        .paths()
        .into_iter()
        .partition(|(p, _)| technology.contains(p));
    let paths: Vec<(String, i64, bool)> = (judged.into_iter().map(|(p, t)| (p, t, true)))
        .chain(stages.into_iter().map(|(p, t)| (p, t, false)))
        .collect();
    trees.prepare_each(commits, &paths)?;
    Ok(trees)
}

/// The committer time of the oldest commit of `commits` (newest first) whose
/// tree holds the configuration file: when roadlint was adopted.
fn adoption(
    git: &GitRepo,
    commits: &[WalkedCommit],
    roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
) -> Result<Option<i64>, HistoryError> {
    let mut oldest: Option<i64> = None;
    // The walk is by commit time, so the first hit from the end is the
    // oldest; ties of time are all looked at.
    for c in commits.iter().rev() {
        if oldest.is_some_and(|t| c.time > t) {
            break;
        }
        let tree = match roots.get(&c.id) {
            Some(t) => *t,
            None => git.tree_of(c.id)?,
        };
        if git.blob_id_at(tree, CONFIG_PATH)?.is_some() {
            oldest = Some(oldest.map_or(c.time, |t| t.min(c.time)));
        }
    }
    Ok(oldest)
}

/// The facts from the digest of the history cache and the remembered answer
/// to this request's question, or `None` when they do not hold all that the
/// request needs.
fn from_digest(
    git: &GitRepo,
    req: &ScanRequest<'_>,
    digest: digest::Digest,
    memo: Option<&(std::path::PathBuf, u64)>,
    cache_file: &std::path::Path,
) -> Result<Option<Facts>, HistoryError> {
    // Commit waivers are matched against every commit.
    if req.has_commit_waivers() {
        return Ok(None);
    }
    let mut facts = Facts {
        commits_scanned: digest.commits as usize,
        ..Facts::default()
    };
    // The memo beside the cache (the tally's answers and the path rules'
    // findings), read once.
    let memo_file = cache_file.with_extension(memo::EXTENSION);
    let mut remembered = memo::of_tip(&memo_file, req.tip);
    if req.classifies() {
        // Without an answer the per-commit path answers, and remembers it.
        let answer = memo.and_then(|(_, question)| remembered.as_mut()?.answer(*question));
        let Some(answer) = answer else {
            return Ok(None);
        };
        answer.apply(&mut facts);
        facts.measure = req.config.history.measure;
    }
    // The path rules' findings, when a run asked the same of this tip.
    let question = memo::question_of_findings(req);
    if let Some(found) = remembered.and_then(|mut m| m.findings(question)) {
        found.apply(&mut facts);
        return Ok(Some(facts));
    }
    let mut known = Vec::new();
    let mut commits: BTreeMap<u32, WalkedCommit> = BTreeMap::new();
    for (path, from) in req.paths() {
        let Some(p) = digested(req, &digest, &mut commits, path, from) else {
            return Ok(None);
        };
        known.push(p);
    }
    // Only the commits that changed a path matter to the path rules.
    let listed: Vec<WalkedCommit> = commits.values().cloned().collect();
    let objects = digest.objects.iter().cloned().collect();
    let mut trees = tree_cache::TreeCache::from_prepared(git, known, objects);
    let mut agreements = Agreements::new(git, req.config, req.sources)
        .verifying(req.allowed_signers.clone(), Some(req.tip))
        .dating_from(digest.corrected.clone(), None, Default::default());
    if req.gated() {
        for (path, from) in past_dirs(req, &mut agreements, &mut trees, &listed)? {
            let Some(p) = digested(req, &digest, &mut commits, path, from) else {
                return Ok(None);
            };
            trees.add_prepared(p);
        }
    }
    let commits: Vec<WalkedCommit> = commits.into_values().collect();
    path_facts(req, &mut agreements, &mut trees, &commits, &mut facts)?;
    memo::write_judgements(&memo_file, req.tip, question, memo::Judgements::of(&facts));
    Ok(Some(facts))
}

/// What the digest knows of `path`'s changes from `from` on, with the
/// commits that made them added to `commits`; `None` when it does not know
/// enough (the gate and the policy judge merges too: their changes must be
/// known).
fn digested(
    req: &ScanRequest<'_>,
    digest: &digest::Digest,
    commits: &mut BTreeMap<u32, WalkedCommit>,
    path: String,
    from: i64,
) -> Option<crate::git::paths::Prepared> {
    let merges_judged = !req.technology_files().contains(&path);
    let p = digest.paths.iter().find(|p| {
        p.path == path && p.from <= from && (p.merges || !merges_judged || digest.merges == 0)
    })?;
    let changes = p.changes.iter().filter(|(_, c, _)| c.time >= from);
    for (i, c, _) in changes.clone() {
        commits.insert(*i, c.clone());
    }
    Some(crate::git::paths::Prepared {
        path,
        from,
        merges: p.merges || digest.merges == 0,
        changes: changes.map(|(_, c, ch)| (c.id, *ch)).collect(),
    })
}

/// The sign-off gate's changes and the technology stage steps among `commits`.
fn path_facts(
    req: &ScanRequest<'_>,
    agreements: &mut Agreements<'_>,
    trees: &mut tree_cache::TreeCache<'_>,
    commits: &[WalkedCommit],
    facts: &mut Facts,
) -> Result<(), HistoryError> {
    if req.gated() {
        gate_facts(req, agreements, trees, commits, facts)?;
    }
    if req.has_commit_waivers() {
        facts.waived_commits = gate::waived_commits(req.roadmap, commits.iter().map(|c| &c.id));
    }
    if req.needs.stage_steps {
        for path in req.technology_files() {
            maturity::steps(trees, agreements, commits, &path, &mut facts.stage_steps)?;
        }
    }
    if req.needs.policy_changes {
        policy_facts(req, agreements, trees, commits, facts)?;
    }
    Ok(())
}

/// Judge every commit that changed the meaning of `roadlint.toml` against
/// its first parent. The commit that adds it is the adoption baseline.
fn policy_facts(
    req: &ScanRequest<'_>,
    agreements: &mut Agreements<'_>,
    trees: &mut tree_cache::TreeCache<'_>,
    commits: &[WalkedCommit],
    facts: &mut Facts,
) -> Result<(), HistoryError> {
    let mut judged = std::collections::HashSet::new();
    for c in commits {
        if req.since.is_some_and(|s| c.time < s) {
            continue;
        }
        // The trust root and the approvals: under verified sign-off, a
        // change to the allowed signers or an approval taken back is a
        // policy change (SPEC §9.4).
        let mut touched = stood::SignoffFilesTouched::default();
        if let Some((signers, approvals)) = req.signoff_files() {
            touched.signers = trees.changed(c, signers)?.is_some();
            touched.approvals = trees.changed(c, &approvals)?.is_some();
        }
        let after = match trees.changed(c, CONFIG_PATH)? {
            // The commit that adds roadlint.toml is the adoption baseline.
            Some((None, _)) => continue,
            Some((Some(_), after)) => AgreementAfter::Blob(after),
            None if touched.signers || touched.approvals => AgreementAfter::Unchanged,
            None => continue,
        };
        if !agreements.judges(c.first_parent, c.time)? {
            continue;
        }
        let gate = agreements.gate_after(c.first_parent)?;
        if c.first_parent.is_some_and(|p| !gate.knows(p)) {
            continue;
        }
        let pending = gate.pending(c.id)?;
        let change = agreements.policy_change(&pending, c.first_parent, after, touched)?;
        judged.insert(c.id);
        facts.policy_changes.extend(change);
    }
    let presets = presets::watched(req, agreements, trees, commits)?;
    presets::preset_facts(req, &presets, trees, commits, &judged, facts)
}

/// The roadmap directories the sign-off gate follows: those of today's
/// globs and of every past agreement's (read from the changes of
/// `roadlint.toml` among `commits`), each with a trailing `/`.
fn gate_dirs(
    agreements: &mut Agreements<'_>,
    trees: &mut tree_cache::TreeCache<'_>,
    commits: &[WalkedCommit],
) -> Result<Vec<String>, HistoryError> {
    if agreements.from_trees() {
        for c in commits {
            if let Some((before, after)) = trees.changed(c, CONFIG_PATH)? {
                for blob in [before, after].into_iter().flatten() {
                    agreements.parse(blob)?;
                }
            }
        }
    }
    Ok(gate::prefixes(&agreements.all_globs())
        .into_iter()
        .map(|p| format!("{p}/"))
        .collect())
}

/// The directories of past agreements' globs, and the presets past
/// agreements extended, that `req.paths()` does not list, with the time
/// from which the gate needs them.
fn past_dirs(
    req: &ScanRequest<'_>,
    agreements: &mut Agreements<'_>,
    trees: &mut tree_cache::TreeCache<'_>,
    commits: &[WalkedCommit],
) -> Result<Vec<(String, i64)>, HistoryError> {
    let listed = req.paths();
    let from = req.since.unwrap_or(i64::MIN);
    let mut past = gate_dirs(agreements, trees, commits)?;
    if req.needs.policy_changes {
        past.extend(presets::watched(req, agreements, trees, commits)?);
    }
    Ok(past
        .into_iter()
        .filter(|d| !listed.iter().any(|(p, _)| p == d))
        .map(|d| (d, from))
        .collect())
}

/// Judge every commit that changed a roadmap directory (merges included)
/// against its first parent, with the agreement that stood there.
fn gate_facts(
    req: &ScanRequest<'_>,
    agreements: &mut Agreements<'_>,
    trees: &mut tree_cache::TreeCache<'_>,
    commits: &[WalkedCommit],
    facts: &mut Facts,
) -> Result<(), HistoryError> {
    let dirs = gate_dirs(agreements, trees, commits)?;
    for c in commits {
        if req.since.is_some_and(|s| c.time < s) {
            continue;
        }
        let mut changed = false;
        for d in &dirs {
            if trees.changed(c, d)?.is_some() {
                changed = true;
                break;
            }
        }
        if !changed {
            continue;
        }
        if !agreements.judges(c.first_parent, c.time)? {
            continue;
        }
        // A shallow boundary's parent is absent: `check_shallow` decided
        // already whether the gate needs what lies beyond.
        let gate = agreements.gate_after(c.first_parent)?;
        if c.first_parent.is_some_and(|p| !gate.knows(p)) {
            continue;
        }
        let pending = gate.pending(c.id)?;
        let judged = gate.judge(&pending)?;
        if req.needs.locked_scope_changes {
            facts.locked_changes.extend(judged.locked);
        }
        if req.needs.tech_changes {
            facts.tech_changes.extend(judged.tech);
        }
        // Oldest first: the last change of a waiver is the one in force.
        facts.waiver_changes.splice(0..0, judged.waivers);
    }
    facts.waivers_complete = req.since.is_none();
    Ok(())
}
