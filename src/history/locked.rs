//! Scope changes made to a locked quarter, with their sign-off trailers.

use super::commit::WalkedCommit;
use super::error::HistoryError;
use super::paths::TreeCache;
use super::scope::{diff, scope_of};
use crate::diagnostic::CommitRef;
use crate::facts::LockedChange;
use crate::settings::SignoffConfig;

/// Every non-merge commit on or after `lock` (seconds) that changes the scope
/// of the quarter file at `path`, newest first.
pub fn changes(
    trees: &mut TreeCache<'_>,
    commits: &[WalkedCommit],
    path: &str,
    lock: i64,
    signoff: &SignoffConfig,
) -> Result<Vec<LockedChange>, HistoryError> {
    let mut out = Vec::new();
    for c in commits.iter().filter(|c| c.time >= lock && c.parents < 2) {
        let Some((before, after)) = trees.changed(c, path)? else {
            continue;
        };
        let changes = diff(
            &scope_of(&trees.bytes(before, path)?),
            &scope_of(&trees.bytes(after, path)?),
        );
        if changes.is_empty() {
            continue;
        }
        let msg = trees.message(c.id)?;
        out.push(LockedChange {
            path: path.to_string(),
            product: msg.trailer(&signoff.product_trailer).map(str::to_string),
            tech: msg.trailer(&signoff.tech_trailer).map(str::to_string),
            commit: CommitRef {
                id: c.id.to_string(),
                subject: msg.subject,
            },
            changes,
        });
    }
    Ok(out)
}
