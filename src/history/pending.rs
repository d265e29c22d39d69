//! What `roadlint approve` signs: each gated file whose new version (the
//! index, or a commit) differs from the one before it (HEAD, or the
//! commit's first parent), told in the product's words.

use super::error::HistoryError;
use super::stood::Agreements;
use crate::git::GitRepo;
use crate::settings::Config;
use crate::source::Sources;
use gix::ObjectId;
use std::collections::HashMap;

/// Who may approve each role of a change, as the agreement stood at the
/// change's first parent (SPEC §9.4: principals are matched to approvers
/// as they stood), for `roadlint approve`.
#[derive(Clone, Debug, Default)]
pub struct StoodApprovers {
    /// The product approvers: `[signoff] product_approvers`, else the
    /// product owners of the roadmap then, and those a `[[roadmap]]` names.
    pub product: Vec<String>,
    /// The tech approvers, likewise.
    pub tech: Vec<String>,
}

/// The approvers of the change `rev` makes (the staged change when `None`)
/// as they stood at its first parent (HEAD for the staged change; nothing
/// for a first commit): that commit's `roadlint.toml` (today's, `today`
/// read from `sources`, when it holds none or a `--config` elsewhere judges
/// all history) and its roadmap's owners. An approver added only in the
/// work tree, or by the change itself, approves nothing yet.
pub fn approvers_before(
    git: &GitRepo,
    today: &Config,
    sources: &Sources,
    rev: Option<ObjectId>,
) -> Result<StoodApprovers, HistoryError> {
    let base = match rev {
        Some(r) => first_parent(git, r)?,
        None => git.head_id(),
    };
    let config = Agreements::new(git, today, sources).at(base)?;
    let mut owners = (Vec::new(), Vec::new());
    if let Some(b) = base {
        let version = super::gate::Gate::new(git, &config)?.version_at(b)?;
        for f in version.files.values() {
            owners.0.extend(f.product_owners.iter().cloned());
            owners.1.extend(f.tech_owners.iter().cloned());
        }
    }
    let pick = |listed: &[String], owners: Vec<String>| {
        if listed.is_empty() {
            owners
        } else {
            listed.to_vec()
        }
    };
    let s = &config.signoff;
    let mut out = StoodApprovers {
        product: pick(&s.product_approvers, owners.0),
        tech: pick(&s.tech_approvers, owners.1),
    };
    for r in &config.roadmaps {
        out.product
            .extend(r.product_approvers.iter().flatten().cloned());
        out.tech.extend(r.tech_approvers.iter().flatten().cloned());
    }
    Ok(out)
}

/// A gated file whose new version differs from the one before it: what
/// `roadlint approve` signs.
#[derive(Clone, Debug)]
pub struct PendingChange {
    /// The file's path.
    pub path: String,
    /// What a person calls it (`2026-Q1`, the path otherwise).
    pub label: String,
    /// Its blob id before (zeros when added).
    pub before: String,
    /// Its blob id after (zeros when deleted).
    pub after: String,
    /// The change in the product's words (`adds `PAY-140``), for a quarter.
    pub words: Vec<String>,
}

/// Every file among `globs` (and the exact paths of `extra`; an `extra`
/// ending in `/` is a folder: the files directly in it) whose version in
/// REV (or the index) differs from REV's first parent's (or HEAD's).
pub fn pending_changes(
    git: &GitRepo,
    rev: Option<ObjectId>,
    globs: &[String],
    extra: &[String],
) -> Result<Vec<PendingChange>, HistoryError> {
    let set = crate::globs::compile(globs).map_err(|e| HistoryError::Read(e.to_string()))?;
    let in_extra = |p: &str| {
        extra.iter().any(|e| {
            if e.ends_with('/') {
                p.strip_prefix(e.as_str()).is_some_and(|n| !n.contains('/'))
            } else {
                e == p
            }
        })
    };
    let wanted = |p: &str| set.is_match(p) || in_extra(p);
    let (before, after) = match rev {
        Some(r) => {
            let before = match first_parent(git, r)? {
                Some(p) => files_of(git, Some(git.tree_of(p)?), &wanted)?,
                None => HashMap::new(),
            };
            (before, files_of(git, Some(git.tree_of(r)?), &wanted)?)
        }
        None => {
            let head = git.head_id();
            let before = match head {
                Some(h) => files_of(git, Some(git.tree_of(h)?), &wanted)?,
                None => HashMap::new(),
            };
            (before, git.staged_blobs(&wanted)?)
        }
    };
    let zeros = git.null_id().to_string();
    let mut paths: Vec<&String> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut out = Vec::new();
    for path in paths {
        let (b, a) = (before.get(path).copied(), after.get(path).copied());
        if b == a {
            continue;
        }
        let bytes = |id: Option<ObjectId>| -> Result<Vec<u8>, HistoryError> {
            Ok(match id {
                Some(id) => git.blob(id, path)?.unwrap_or_default(),
                None => Vec::new(),
            })
        };
        let (old, new) = (bytes(b)?, bytes(a)?);
        let old = super::gate::RoadmapVersion::from_files([(path.as_str(), old.as_slice())]);
        let new = super::gate::RoadmapVersion::from_files([(path.as_str(), new.as_slice())]);
        let (label, words) = match (old.quarter_of(path), new.quarter_of(path)) {
            (Some((q, s)), now) => {
                let changes =
                    super::gate::scope_changes(s, now.map(|(_, s)| s), now.map(|(q, _)| q));
                (
                    q.to_string(),
                    changes.iter().map(ToString::to_string).collect(),
                )
            }
            (None, Some((q, _))) => (q.to_string(), vec!["adds the quarter".to_string()]),
            (None, None) => (path.clone(), Vec::new()),
        };
        let id = |x: Option<ObjectId>| x.map_or_else(|| zeros.clone(), |x| x.to_string());
        out.push(PendingChange {
            path: path.clone(),
            label,
            before: id(b),
            after: id(a),
            words,
        });
    }
    Ok(out)
}

/// The first parent of commit `r`, if it has one.
fn first_parent(git: &GitRepo, r: ObjectId) -> Result<Option<ObjectId>, HistoryError> {
    Ok(git.time_and_parents(r)?.1.first().copied())
}

/// The regular files of `tree` that `wanted` selects, by path.
fn files_of(
    git: &GitRepo,
    tree: Option<ObjectId>,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<HashMap<String, ObjectId>, HistoryError> {
    let Some(tree) = tree else {
        return Ok(HashMap::new());
    };
    Ok(git
        .files_under(tree, "")?
        .into_iter()
        .filter(|(p, _)| wanted(p))
        .collect())
}
