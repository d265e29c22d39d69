//! The agreement as it stood: every commit the sign-off gate judges is
//! judged with the `roadlint.toml` of its first parent (SPEC §9.1), so that
//! changing the approvers never turns an old, correctly signed commit into
//! an error, moving the roadmap never hides the locked quarters from the
//! commit that moved them, and turning a rule off in a commit still lets
//! the rule judge that commit.
//!
//! Each distinct `roadlint.toml` blob is parsed once, and each distinct
//! agreement gets one [`Gate`] (whose memos of roadmap versions follow its
//! globs): a real history holds a handful of agreements, so this costs a
//! tree lookup per judged commit.

use super::approvals::ApprovalReader;
use super::dating::WalkTimes;
use super::error::HistoryError;
use super::gate::{Gate, Pending};
use crate::facts::{Facts, PolicyChange};
use crate::git::corrected::SharedTimes;
use crate::git::{GitRepo, WalkedCommit};
use crate::settings::Config;
use crate::source::{FileId, Sources};
use gix::ObjectId;
use std::collections::HashMap;
use std::sync::Arc;

/// Commits whose agreement [`Agreements::at`] remembers before it starts over.
const REMEMBERED: usize = 4096;

/// Where the agreement lives: `roadlint.toml` at the repository root.
pub(super) const CONFIG_PATH: &str = "roadlint.toml";

/// The agreements of past commits, read from their trees, and a gate for each.
pub struct Agreements<'g> {
    git: &'g GitRepo,
    today: Arc<Config>,
    /// Whether past agreements are read from trees: when today's
    /// configuration is the repository's own `roadlint.toml`, or there is
    /// none. A `--config` file elsewhere is the CI owner's choice and
    /// judges all history.
    from_trees: bool,
    parsed: HashMap<ObjectId, Option<Arc<Config>>>,
    /// One gate per distinct gate-relevant agreement (see [`gate_key`]):
    /// twenty versions that differ only in a debt-share share one gate and
    /// its memo of roadmap versions.
    gates: HashMap<String, Gate<'g>>,
    /// The agreement each commit's tree held (with its presets), as asked.
    stood_at: HashMap<ObjectId, Arc<Config>>,
    /// How approvals are verified where an agreement says `verify = "ssh"`
    /// (SPEC §9.4): the pinned allowed-signers text, and the commit whose
    /// tree holds the approvals that count (HEAD's when `None`).
    verify: (Option<String>, Option<ObjectId>),
    /// Corrected committer times an earlier run worked out, and the scan's
    /// walk: what every gate dates commits from (see [`super::dating`]).
    corrected: Arc<Vec<(ObjectId, i64)>>,
    walked: Option<Arc<WalkTimes>>,
    /// The commit-graph's corrected times, one table for every gate.
    times: SharedTimes,
}

impl<'g> Agreements<'g> {
    /// The agreements of `git`'s history, with `today` (loaded from
    /// `sources`) standing in wherever a tree holds none.
    pub fn new(git: &'g GitRepo, today: &Config, sources: &Sources) -> Self {
        let from_trees = today
            .file
            .is_none_or(|f| sources.get(f).path.replace('\\', "/") == CONFIG_PATH);
        Agreements {
            git,
            today: Arc::new(today.clone()),
            from_trees,
            parsed: HashMap::new(),
            gates: HashMap::new(),
            stood_at: HashMap::new(),
            verify: (None, None),
            corrected: Arc::default(),
            walked: None,
            times: SharedTimes::default(),
        }
    }

    /// Date commits from the corrected committer times `known` (remembered
    /// by the history cache) and the scan's `walk`: the gates then read no
    /// ancestry, or only its merges.
    pub(super) fn dating_from(
        mut self,
        known: Vec<(ObjectId, i64)>,
        walk: Option<Arc<Vec<WalkedCommit>>>,
        times: SharedTimes,
    ) -> Self {
        self.corrected = Arc::new(known);
        self.walked = walk.map(|w| Arc::new(WalkTimes::new(w)));
        self.times = times;
        self
    }

    /// The corrected committer times the gates worked out for the parents
    /// of the commits they judged, for the history cache to remember.
    pub(super) fn corrected_asked(&self) -> Vec<(ObjectId, i64)> {
        let mut out: Vec<(ObjectId, i64)> = self
            .gates
            .values()
            .flat_map(|g| g.dating.asked().iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Verify approvals (where an agreement asks for it) with the `pinned`
    /// allowed-signers text (`check --allowed-signers`), counting the
    /// approvals of `tip`'s tree (HEAD's and the index's when `None`).
    pub fn verifying(mut self, pinned: Option<String>, tip: Option<ObjectId>) -> Self {
        self.verify = (pinned, tip);
        self
    }

    /// A reader of verified approvals for a gate judging with `config`, or
    /// `None` when it judges trailers.
    fn approval_reader(&self, config: &Config) -> Result<Option<ApprovalReader>, HistoryError> {
        let s = &config.signoff;
        if s.verify != crate::settings::Verify::Ssh {
            return Ok(None);
        }
        let tip = match self.verify.1 {
            Some(t) => Some(t),
            None => self.git.resolve("HEAD").ok(),
        };
        let tip_tree = tip.map(|t| self.git.tree_of(t)).transpose()?;
        Ok(Some(ApprovalReader::new(
            &s.approvals,
            &s.allowed_signers,
            self.verify.0.as_deref(),
            tip_tree,
        )))
    }

    /// Whether past agreements are read from the commits' trees.
    pub fn from_trees(&self) -> bool {
        self.from_trees
    }

    /// The `roadlint.toml` blob in commit `id`'s tree, if any (none when
    /// agreements are not read from trees).
    pub fn blob_in(&self, id: ObjectId) -> Result<Option<ObjectId>, HistoryError> {
        if !self.from_trees {
            return Ok(None);
        }
        let tree = self.git.tree_of(id)?;
        Ok(self.git.blob_id_at(tree, CONFIG_PATH)?)
    }

    /// The configuration blob `id` states, parsed once; `None` when it does
    /// not parse (or is refused as too large).
    pub fn parse(&mut self, id: ObjectId) -> Result<Option<Arc<Config>>, HistoryError> {
        if let Some(known) = self.parsed.get(&id) {
            return Ok(known.clone());
        }
        let config = match self.git.blob(id, CONFIG_PATH)? {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let (config, diags) = crate::config::parse(FileId(0), &text);
                let broken = diags
                    .iter()
                    .any(|d| d.severity == crate::diagnostic::Severity::Error);
                (!broken).then(|| Arc::new(config))
            }
            Err(_) => None,
        };
        self.parsed.insert(id, config.clone());
        Ok(config)
    }

    /// The agreement as it stood in `blob` (today's when there is none or
    /// it does not parse: the change that broke it is judged on its own).
    fn stood(&mut self, blob: Option<ObjectId>) -> Result<Arc<Config>, HistoryError> {
        Ok(match blob {
            Some(b) => self.parse(b)?.unwrap_or_else(|| self.today.clone()),
            None => self.today.clone(),
        })
    }

    /// The agreement as it stood in commit `parent` (today's for a root
    /// commit): its `roadlint.toml` and, when that extends presets, the
    /// whole chain as the parent's tree held it (SPEC §9.8).
    pub fn at(&mut self, parent: Option<ObjectId>) -> Result<Arc<Config>, HistoryError> {
        // A commit is asked about several times (is it judged, its gate,
        // its policy change, its stage steps): its tree is looked up once.
        if let Some(known) = parent.and_then(|p| self.stood_at.get(&p)) {
            return Ok(known.clone());
        }
        let blob = self.blob_in_parent(parent)?;
        let root = self.stood(blob)?;
        let Some(p) = parent else {
            return Ok(root);
        };
        let stood = match blob {
            Some(_) if !root.extends.is_empty() => config_at(self.git, p)?.map_or(root, Arc::new),
            _ => root,
        };
        if self.stood_at.len() >= REMEMBERED {
            self.stood_at.clear();
        }
        self.stood_at.insert(p, stood.clone());
        Ok(stood)
    }

    /// Whether a commit made at `time` on `parent` is judged at all: not
    /// when the agreement that stood there starts the history later
    /// (`[history] since`).
    pub fn judges(&mut self, parent: Option<ObjectId>, time: i64) -> Result<bool, HistoryError> {
        let stood = self.at(parent)?;
        Ok(stood.history.since.is_none_or(|d| time >= d.unix_seconds()))
    }

    /// The `roadlint.toml` blob of `parent`, when there is a parent and the
    /// repository holds it (a shallow boundary's parent is absent).
    fn blob_in_parent(&self, parent: Option<ObjectId>) -> Result<Option<ObjectId>, HistoryError> {
        match parent {
            Some(p) if self.git.has(p) => self.blob_in(p),
            _ => Ok(None),
        }
    }

    /// The gate that judges a commit whose first parent is `parent`.
    pub fn gate_after(&mut self, parent: Option<ObjectId>) -> Result<&mut Gate<'g>, HistoryError> {
        let config = self.at(parent)?;
        let name = gate_key(&config);
        if !self.gates.contains_key(&name) {
            let mut gate = Gate::new(self.git, &config)?;
            let times = self.times.clone();
            gate.dating
                .start_from(&self.corrected, self.walked.clone(), times);
            if let Some(reader) = self.approval_reader(&config)? {
                gate.verify_with(reader);
            }
            self.gates.insert(name.clone(), gate);
        }
        Ok(self.gates.get_mut(&name).expect("inserted above"))
    }

    /// The globs of every agreement parsed so far, and today's.
    pub fn all_globs(&self) -> Vec<String> {
        let mut globs = self.today.roadmap.clone();
        for c in self.parsed.values().flatten() {
            globs.extend(c.roadmap.iter().cloned());
        }
        globs.sort();
        globs.dedup();
        globs
    }

    /// Judge `c` (a commit, or the commit being made) against its first
    /// parent with the agreement that stood there: its scope and technology
    /// changes, and its change to the agreement itself (`after`: what it
    /// holds as its `roadlint.toml`).
    pub fn judge(
        &mut self,
        c: &Pending,
        after: AgreementAfter,
        facts: &mut Facts,
    ) -> Result<(), HistoryError> {
        let parent = c.parents.first().copied();
        if !self.judges(parent, c.time)? {
            return Ok(());
        }
        let touched = SignoffFilesTouched {
            signers: self.signers_changed(c, parent)?,
            approvals: true,
        };
        if let Some(change) = self.policy_change(c, parent, after, touched)? {
            facts.policy_changes.push(change);
        }
        let gate = self.gate_after(parent)?;
        let judged = gate.judge(c)?;
        facts.locked_changes.extend(judged.locked);
        facts.tech_changes.extend(judged.tech);
        facts.waiver_changes.extend(judged.waivers);
        Ok(())
    }

    /// `c`'s change to the agreement, when it changes its meaning. The
    /// commit that adds the first `roadlint.toml` is the adoption baseline.
    /// `touched` says which files of verified sign-off `c` may have changed.
    pub fn policy_change(
        &mut self,
        c: &Pending,
        parent: Option<ObjectId>,
        after: AgreementAfter,
        touched: SignoffFilesTouched,
    ) -> Result<Option<PolicyChange>, HistoryError> {
        if !self.from_trees {
            return Ok(None);
        }
        let Some(before) = self.blob_in_parent(parent)? else {
            return Ok(None);
        };
        let old = self.parse(before)?;
        let said = |s: &str| {
            vec![crate::policy::Changed {
                said: s.to_string(),
                key: String::new(),
            }]
        };
        let after = match after {
            AgreementAfter::Unchanged => None,
            AgreementAfter::Blob(Some(b)) if b == before => None,
            AgreementAfter::Blob(Some(b)) => Some(Some(self.parse(b)?)),
            AgreementAfter::Blob(None) => Some(None),
            AgreementAfter::Parsed(c) => Some(Some(Some(c))),
        };
        let mut changes = match (old.clone(), after) {
            (_, None) => Vec::new(),
            (_, Some(None)) => said("deletes roadlint.toml"),
            (Some(old), Some(Some(Some(new)))) => {
                let mut changes = crate::policy::changed(&old, &new);
                if old.roadmap != new.roadmap {
                    changes.extend(self.quarters_left_out(c, parent, &new)?);
                }
                changes
            }
            (None, Some(Some(Some(_)))) => said("replaces a roadlint.toml that did not parse"),
            (_, Some(Some(None))) => said("makes roadlint.toml unreadable (it does not parse)"),
        };
        let in_config = !changes.is_empty();
        // The trust root (SPEC §9.4): under verified sign-off, changing the
        // allowed signers changes who can approve.
        let stood = old.unwrap_or_else(|| self.today.clone());
        let ssh = stood.signoff.verify == crate::settings::Verify::Ssh;
        if ssh && touched.signers {
            changes.push(crate::policy::Changed {
                said: format!(
                    "changes the allowed signers ({})",
                    stood.signoff.allowed_signers
                ),
                key: "allowed_signers".into(),
            });
        }
        // An approval taken back could un-sign a change: deleting or
        // rewriting one is a policy change too.
        let mut taken = Vec::new();
        if let (true, true, Some(p)) = (ssh, touched.approvals, parent) {
            taken = super::approvals::taken_back(self.git, &stood.signoff.approvals, p, c.id)?;
        }
        for (path, deleted) in &taken {
            let verb = if *deleted { "deletes" } else { "rewrites" };
            changes.push(crate::policy::Changed {
                said: format!("{verb} the approval {path}"),
                key: "approvals".into(),
            });
        }
        if changes.is_empty() {
            return Ok(None);
        }
        let mut files = vec![(CONFIG_PATH.to_string(), CONFIG_PATH.to_string())];
        if ssh {
            let path = stood.signoff.allowed_signers.clone();
            files.push((path.clone(), path));
            files.extend(taken.into_iter().map(|(p, _)| (p.clone(), p)));
        }
        let gate = self.gate_after(parent)?;
        let mut change = gate.policy(c, changes, &files)?;
        change.only_signoff_files = !in_config;
        Ok(Some(change))
    }
}

/// Which files of verified sign-off a commit may have changed, as its
/// caller knows: the history scan from its path changes, a hook by asking.
#[derive(Clone, Copy, Debug, Default)]
pub struct SignoffFilesTouched {
    /// The allowed-signers file (the trust root).
    pub signers: bool,
    /// The approvals folder (deleting an approval is a policy change).
    pub approvals: bool,
}

impl Agreements<'_> {
    /// Whether `c` changes the allowed-signers file its parent's agreement
    /// names, when that agreement verifies approvals (the hooks' view; the
    /// history scan knows it from its path changes).
    fn signers_changed(
        &mut self,
        c: &Pending,
        parent: Option<ObjectId>,
    ) -> Result<bool, HistoryError> {
        let stood = self.at(parent)?;
        if stood.signoff.verify != crate::settings::Verify::Ssh {
            return Ok(false);
        }
        let path = &stood.signoff.allowed_signers;
        let before = match parent {
            Some(p) if self.git.has(p) => self.git.blob_id_at(self.git.tree_of(p)?, path)?,
            _ => None,
        };
        let after = match c.id {
            Some(id) => self.git.blob_id_at(self.git.tree_of(id)?, path)?,
            // The index holds each staged file's blob id: nothing to hash.
            None => self.git.staged_blobs(&|p| p == path)?.remove(path),
        };
        Ok(before != after)
    }

    /// The locked quarters of `parent` that `c`'s tree (or the index, for
    /// the commit being made) no longer shows through the `new` globs, each
    /// as a change of the agreement (SPEC §9.2).
    fn quarters_left_out(
        &mut self,
        c: &Pending,
        parent: Option<ObjectId>,
        new: &Config,
    ) -> Result<Vec<crate::policy::Changed>, HistoryError> {
        let Some(parent) = parent else {
            return Ok(Vec::new());
        };
        let before = self.gate_after(Some(parent))?.version_at(parent)?;
        let after = match c.id {
            Some(id) => Gate::new(self.git, new)?.version_at(id)?,
            None => {
                let files = self.git.staged_files(&new.roadmap)?;
                Arc::new(super::gate::RoadmapVersion::from_files(
                    files
                        .iter()
                        .filter_map(|f| Some((f.path.as_str(), f.content.as_deref().ok()?))),
                ))
            }
        };
        Ok(before
            .locked_quarters_missing_from(&after)
            .into_iter()
            .map(|(q, path)| crate::policy::Changed {
                said: format!(
                    "takes locked {q} out of the roadmap (the new globs do not match {path})"
                ),
                key: "roadmap".into(),
            })
            .collect())
    }
}

/// What of an agreement the gate judges with: its globs, `[[roadmap]]`
/// entries, `[signoff]` table and the rules it turned off. Agreements equal
/// in these share a gate.
fn gate_key(config: &Config) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}",
        config.roadmap,
        config.roadmaps,
        config.signoff,
        crate::facts::SignoffRules::of(config).off
    )
}

/// What a judged commit holds as its `roadlint.toml`.
pub enum AgreementAfter {
    /// The same file as its first parent (known without reading it).
    Unchanged,
    /// The blob in its tree (`None`: it deleted the file).
    Blob(Option<ObjectId>),
    /// The configuration of the commit being made, parsed from the index.
    Parsed(Arc<Config>),
}

/// The configuration in force at `commit`: its `roadlint.toml` and the
/// presets it extends, read from its tree. `None` when there is none, or
/// when the chain does not read (a preset missing, a pin or a value bad).
pub(super) fn config_at(git: &GitRepo, commit: ObjectId) -> Result<Option<Config>, HistoryError> {
    let tree = git.tree_of(commit)?;
    let read = |path: &str| -> Result<Vec<u8>, String> {
        let blob = git
            .blob_id_at(tree, path)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "not found".to_string())?;
        git.blob(blob, path)
            .map_err(|e| e.to_string())?
            .map_err(|r| r.to_string())
    };
    let Ok(root) = read(CONFIG_PATH) else {
        return Ok(None);
    };
    let mut sources = crate::source::Sources::default();
    let text = String::from_utf8_lossy(&root).into_owned();
    let id = sources.add_config(crate::source::SourceFile::new(CONFIG_PATH, text));
    let (config, diags) = crate::extends::load(&mut sources, id, &read);
    Ok(diags.is_empty().then_some(config))
}
