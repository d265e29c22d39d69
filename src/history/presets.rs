//! Presets in the gate (SPEC §9.8, §9.2): a commit that changes a file of
//! the `extends` chain changes the agreement as surely as one that edits
//! `roadlint.toml`, so it needs the same two sign-offs.
//!
//! The root file's own changes are judged in `policy_facts`; this module
//! judges the commits that change a preset today's chain reads and leave
//! `roadlint.toml` as it was. Each side is the whole chain as that commit's
//! tree holds it (presets read from the tree, pins checked), so what is
//! reported is what changed in force; a preset edit that a later file
//! overrides still changes the agreement's text and is reported by name.

use super::gate::Gate;
use super::stood::{config_at, Agreements};
use super::tree_cache::TreeCache;
use super::{HistoryError, ObjectId, ScanRequest, WalkedCommit, CONFIG_PATH};
use crate::facts::Facts;
use crate::policy::Changed;
use std::collections::HashSet;

/// The parsed value of a preset's bytes, for "did its meaning change".
fn value(bytes: &[u8]) -> Option<toml::Table> {
    toml::from_str(&String::from_utf8_lossy(bytes)).ok()
}

/// Every preset an agreement among `commits` extended (SPEC §9.1: a
/// preset dropped from today's chain still guards the commits made while
/// it was extended): today's chain, and the chain each version of
/// `roadlint.toml` that extends read, from the tree of the commit that
/// wrote it and of its parent (each version once).
pub(super) fn watched(
    req: &ScanRequest<'_>,
    agreements: &mut Agreements<'_>,
    trees: &mut TreeCache<'_>,
    commits: &[WalkedCommit],
) -> Result<Vec<String>, HistoryError> {
    let mut presets: Vec<String> = req.config.presets().to_vec();
    if !agreements.from_trees() {
        return Ok(presets);
    }
    let git = trees.git();
    let mut seen = HashSet::new();
    for c in commits {
        let Some((before, after)) = trees.changed(c, CONFIG_PATH)? else {
            continue;
        };
        for (blob, at) in [(before, c.first_parent), (after, Some(c.id))] {
            let (Some(blob), Some(at)) = (blob, at) else {
                continue;
            };
            let extends = agreements
                .parse(blob)?
                .is_some_and(|a| !a.extends.is_empty());
            if !extends || !seen.insert(blob) {
                continue;
            }
            if let Some(config) = config_at(git, at)? {
                presets.extend(config.presets().iter().cloned());
            }
        }
    }
    presets.sort();
    presets.dedup();
    Ok(presets)
}

/// Judge every commit (not in `judged`, which the root file's changes
/// already took) that changes a preset its parent's chain extended, among
/// `presets` (see [`watched`]).
pub(super) fn preset_facts(
    req: &ScanRequest<'_>,
    presets: &[String],
    trees: &mut TreeCache<'_>,
    commits: &[WalkedCommit],
    judged: &HashSet<ObjectId>,
    facts: &mut Facts,
) -> Result<(), HistoryError> {
    if presets.is_empty() {
        return Ok(());
    }
    let git = trees.git();
    for c in commits {
        if req.since.is_some_and(|s| c.time < s) || judged.contains(&c.id) {
            continue;
        }
        let Some(parent) = c.first_parent else {
            continue;
        };
        let mut touched = Vec::new();
        for path in presets {
            if let Some((before, after)) = trees.changed(c, path)? {
                let (old, new) = (trees.bytes(before, path)?, trees.bytes(after, path)?);
                if before.is_none() || value(&old) != value(&new) {
                    touched.push(path.clone());
                }
            }
        }
        if touched.is_empty() {
            continue;
        }
        // No agreement before (or none that read): the adoption baseline.
        let Some(stood) = config_at(git, parent)? else {
            continue;
        };
        // Judged with the chain as it stood: a file it did not extend (not
        // yet, or no longer) is no part of the agreement.
        touched.retain(|p| stood.presets().contains(p));
        if touched.is_empty() {
            continue;
        }
        let mut changes = match config_at(git, c.id)? {
            Some(now) => crate::policy::changed(&stood, &now),
            None => vec![Changed {
                said: "makes the configuration unreadable (a preset is missing or does not parse)"
                    .into(),
                key: "extends".into(),
            }],
        };
        if changes.is_empty() {
            changes = touched
                .iter()
                .map(|p| Changed {
                    said: format!("changes the preset {p}"),
                    key: "extends".into(),
                })
                .collect();
        }
        let mut gate = Gate::new(git, &stood)?;
        if !gate.knows(parent) {
            continue;
        }
        let pending = gate.pending(c.id)?;
        let files = touched
            .iter()
            .map(|p| (p.clone(), p.clone()))
            .collect::<Vec<_>>();
        facts
            .policy_changes
            .push(gate.policy(&pending, changes, &files)?);
    }
    Ok(())
}
