//! The stage history of every technology, from the versions of a technology file.

use super::error::HistoryError;
use super::tree_cache::TreeCache;
use crate::diagnostic::CommitRef;
use crate::facts::StageStep;
use crate::git::commit::WalkedCommit;
use crate::model::{parse_file, Stage};
use crate::source::FileId;
use std::collections::BTreeMap;

/// Append to `steps` every stage a technology in `path` took, oldest first,
/// each with what the agreement of its commit's parent judged (SPEC §9.1).
pub(super) fn steps(
    trees: &mut TreeCache<'_>,
    agreements: &mut super::Agreements<'_>,
    commits: &[WalkedCommit],
    path: &str,
    steps: &mut BTreeMap<String, Vec<StageStep>>,
) -> Result<(), HistoryError> {
    let mut current: BTreeMap<String, Stage> = BTreeMap::new();
    let mut first_version = true;
    for c in commits.iter().rev().filter(|c| c.parents < 2) {
        let Some((before, after)) = trees.changed(c, path)? else {
            continue;
        };
        if after.is_none() {
            continue;
        }
        let baseline = first_version || before.is_none() && current.is_empty();
        first_version = false;
        let judged = agreements.judges(c.first_parent, c.time)?;
        let off = crate::facts::SignoffRules::of(&*agreements.at(c.first_parent)?).off;
        let stages = stages_of(&trees.bytes(after, path)?);
        let mut subject = None;
        for (name, stage) in stages {
            if current.get(&name) == Some(&stage) {
                continue;
            }
            let subject = match &subject {
                Some(s) => s,
                None => subject.insert(trees.message(c.id)?.subject),
            };
            steps.entry(name.clone()).or_default().push(StageStep {
                path: path.to_string(),
                stage,
                commit: CommitRef {
                    id: c.id.to_string(),
                    subject: subject.clone(),
                },
                baseline: baseline || !judged,
                off: off.clone(),
            });
            current.insert(name, stage);
        }
    }
    Ok(())
}

/// The technology stages of a file version: name → stage.
pub(crate) fn stages_of(bytes: &[u8]) -> BTreeMap<String, Stage> {
    let text = String::from_utf8_lossy(bytes);
    let parsed = parse_file(FileId(0), &text);
    parsed
        .model
        .technologies
        .iter()
        .filter_map(|t| Some((t.name.as_ref()?.value.clone(), t.stage.as_ref()?.value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_read() {
        let s = stages_of(b"[[technology]]\nname = \"v\"\nstage = \"trial\"\n");
        assert_eq!(s.get("v"), Some(&Stage::Trial));
    }
}
