//! The gate's use of verified approvals (SPEC §9.4): the approvals of a
//! judged change, read with the gate's [`ApprovalReader`](super::approvals::ApprovalReader),
//! and the cheap first look at the checked tree's alone.

use super::error::HistoryError;
use super::gate::{Gate, Pending};
use crate::facts::{Approvals, Signoff};

impl Gate<'_> {
    /// Set `signoff.approvals` to `c`'s approvals for `files`, looking at
    /// the checked tree's first: when they alone sign the change off, the
    /// commit's own approvals folder is not read (more approvals never undo
    /// a sign-off). Not for waivers: their `approved_by` is matched with
    /// every signer found.
    pub(super) fn sign_off_with_approvals(
        &mut self,
        c: &Pending,
        files: &[(String, String)],
        signoff: &mut Signoff,
    ) -> Result<(), HistoryError> {
        signoff.approvals = self.read_approvals(c, files, true)?;
        if signoff.approvals.is_some() && !crate::signoff::problems(signoff).is_empty() {
            signoff.approvals = self.read_approvals(c, files, false)?;
        }
        Ok(())
    }

    /// The approvals of `c` for its changes to `files` ((path, label)),
    /// when approvals are verified (`None` under trailers); of the checked
    /// tree only when `tip_only`.
    pub(super) fn read_approvals(
        &mut self,
        c: &Pending,
        files: &[(String, String)],
        tip_only: bool,
    ) -> Result<Option<Approvals>, HistoryError> {
        let Some(mut reader) = self.ssh.take() else {
            return Ok(None);
        };
        let found = self.judged_time(c).and_then(|time| {
            let tree = c.id.map(|id| self.git.tree_of(id)).transpose()?;
            reader.approvals(
                self.git,
                c.id,
                tree,
                c.parents.first().copied(),
                time,
                files,
                tip_only,
            )
        });
        self.ssh = Some(reader);
        found.map(Some)
    }
}
