//! Hard limits that keep roadlint safe on hostile input.
//!
//! roadlint runs in CI on pull requests from strangers and in hooks on every
//! developer's machine, so every input it reads is bounded: a roadmap file on
//! disk, an old version of one read from git, the number of entries a file may
//! declare, and the length of the history walked. Each limit is far above what
//! a real roadmap needs; crossing one is reported (a `parse` diagnostic for a
//! file, exit code 2 for the history), never silently truncated.

/// Largest roadmap file (or `roadlint.toml`) that is parsed: 1 MiB. A larger
/// file is reported as too large and not read past the limit, so a huge file
/// (or a link to `/dev/zero`) cannot exhaust memory. Enforced in
/// `discover::read_regular`.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Largest blob read from the git object database (a roadmap file in the
/// index, in `--rev`, or in an old commit for the history rules): the same
/// 1 MiB as on disk, so a file accepted in the work tree is accepted in
/// history. The size comes from the object header; a larger blob is refused
/// without being inflated. Enforced in `history::repo::GitRepo::blob`.
pub const MAX_BLOB_BYTES: u64 = MAX_FILE_BYTES;

/// Most entries (`[[item]]`, `[[request]]`, `[[kpi]]`, `[[technology]]` and
/// `[[waiver]]` together) one roadmap file may declare: 10,000. A file with
/// more is reported once and its entries are not checked, which bounds both
/// the rules' work and the number of diagnostics a crafted file can produce.
/// Enforced in `model::parse::parse_file`.
pub const MAX_ITEMS_PER_FILE: usize = 10_000;

/// Most commits the history walk visits when `--since` is not given:
/// 1,000,000. A longer history ends the run with exit code 2 asking for
/// `--since DATE|REV`, rather than spending unbounded time and memory.
pub const MAX_COMMITS_WALKED: usize = 1_000_000;
