//! Shallow clones: a boundary that hides commits a rule needs fails the run
//! (the history would be judged short), one beyond them does not.

use super::error::HistoryError;
use super::ScanRequest;
use crate::calendar::Date;
use crate::git::{GitRepo, WalkedCommit};

/// A shallow clone fails the run when its boundary hides commits a rule needs.
pub(super) fn check(
    git: &GitRepo,
    req: &ScanRequest<'_>,
    commits: &[WalkedCommit],
) -> Result<(), HistoryError> {
    let Some(boundary) = git.shallow_boundary() else {
        return Ok(());
    };
    let fy = req.config.fiscal_year_start;
    let mut needed: Option<i64> = None;
    let mut need = |t: i64| needed = Some(needed.map_or(t, |n: i64| n.min(t)));
    if req.needs.classified_commits {
        for q in &req.judged {
            need(q.start(fy).unix_seconds());
        }
    }
    if req.gated() {
        // A shallow clone is judged from the earliest lock of today's roadmap.
        for f in &req.roadmap.files {
            if let (Some(lock), Some(_)) = (&f.locked, &f.quarter) {
                need(lock.value.unix_seconds());
            }
        }
    }
    if req.needs.stage_steps && !req.technology_files().is_empty() {
        need(i64::MIN);
    }
    let Some(mut needed) = needed else {
        return Ok(());
    };
    if let Some(since) = req.since {
        needed = needed.max(since);
    }
    let hit = commits
        .iter()
        .any(|c| c.time >= needed && boundary.binary_search(&c.id).is_ok());
    if hit {
        let needed = if needed == i64::MIN {
            "the first commit (the technology files' whole history)".to_string()
        } else {
            Date::from_unix_seconds(needed).to_string()
        };
        return Err(HistoryError::Shallow {
            visible: commits.len(),
            needed,
        });
    }
    Ok(())
}
