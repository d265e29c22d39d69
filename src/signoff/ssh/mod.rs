//! Verified sign-off (SPEC §9.4): approvals signed with SSH keys.
//!
//! A trailer proves only that someone typed a name; an approval file is a
//! statement bound to one file's change (before → after blob ids) and signed
//! with a key that the allowed-signers file lists for an approver. This
//! module reads both formats ([`allowed_signers`], [`approval`]), verifies
//! signatures in pure Rust ([`verify`]) and judges a change's approvals
//! ([`judge`]); it reads no files and runs no program.

pub(crate) mod allowed_signers;
pub(crate) mod approval;
pub(crate) mod judge;
pub(crate) mod verify;
