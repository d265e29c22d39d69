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
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Largest blob read from the git object database (a roadmap file in the
/// index, in `--rev`, or in an old commit for the history rules): the same
/// 1 MiB as on disk, so a file accepted in the work tree is accepted in
/// history. The size comes from the object header; a larger blob is refused
/// without being inflated. Enforced in `git::GitRepo::blob`.
pub(crate) const MAX_BLOB_BYTES: u64 = MAX_FILE_BYTES;

/// Most entries (`[[item]]`, `[[request]]`, `[[kpi]]`, `[[technology]]` and
/// `[[waiver]]` together) one roadmap file may declare: 10,000. A file with
/// more is reported once and its entries are not checked, which bounds both
/// the rules' work and the number of diagnostics a crafted file can produce.
/// Enforced in `model::parse::parse_file`.
pub(crate) const MAX_ITEMS_PER_FILE: usize = 10_000;

/// Most commits the history walk visits when `--since` is not given:
/// 1,000,000. A longer history ends the run with exit code 2 asking for
/// `--since DATE|REV`, rather than spending unbounded time and memory.
pub(crate) const MAX_COMMITS_WALKED: usize = 1_000_000;

/// Largest commit message parsed whole: 1 MiB, the cap of a roadmap file. A
/// larger message (in history, or the commit-msg hook's file) is reduced to
/// its subject and its last paragraph (where trailers live), each kept up to
/// [`MAX_MESSAGE_PART_BYTES`], without holding the rest. Enforced in
/// `git::message::bounded_message` and `app::commit_msg`.
pub(crate) const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// Most bytes kept of a huge message's subject and of its last paragraph:
/// 64 KiB each. A last paragraph longer than this is not a trailer block
/// (the message then has no trailers, which can only withhold a sign-off).
pub(crate) const MAX_MESSAGE_PART_BYTES: usize = 64 * 1024;

/// Largest commit, tree or tag object loaded from a pre-receive quarantine
/// (`GIT_QUARANTINE_PATH`): 16 MiB. The size comes from the object header; a
/// larger object is never inflated, and reading it is reported (exit 2).
/// Blobs there are read lazily under [`MAX_BLOB_BYTES`]. Enforced in
/// `git::GitRepo::open`.
pub(crate) const MAX_QUARANTINE_OBJECT_BYTES: u64 = 16 * 1024 * 1024;

/// Largest effort or capacity a roadmap may state: 10,000 engineer-weeks.
/// Above it (or a non-finite number) is a `schema` error, so sums of efforts
/// stay finite and shares stay numbers. Enforced in `model::parse`.
pub(crate) const MAX_WEEKS: f64 = 10_000.0;

/// Longest stretch of a source line shown around a diagnostic's span in
/// human output: 240 characters. A longer line (a minified file, a
/// 100k-column error) is cut around the span before it reaches the renderer.
/// Enforced in `report::human`.
pub(crate) const MAX_SHOWN_LINE_CHARS: usize = 240;

/// Largest history cache, digest or memo file read: 128 MiB (a cache of the
/// longest history walked, [`MAX_COMMITS_WALKED`] commits, takes about half
/// of it). A larger file, or one that is not a regular file, is not read and
/// is rewritten. Enforced in `history::store::read`.
pub(crate) const MAX_CACHE_BYTES: u64 = 128 * 1024 * 1024;

/// Largest `report --merge` input: 64 MiB. A larger file ends the run with
/// exit 2 naming it ("too large, not parsed"). Enforced in `app::report`.
pub(crate) const MAX_MERGE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest language-server buffer linted: 1 MiB, the cap of a roadmap file
/// on disk. A larger buffer gets one "too large, not parsed" diagnostic.
/// Enforced in `server::workspace`.
pub(crate) const MAX_BUFFER_BYTES: usize = MAX_FILE_BYTES as usize;

/// Largest language-server message read: 16 MiB (a 1 MiB buffer with every
/// character escaped fits). A larger message is skipped without being held
/// and answered with a JSON-RPC error. Enforced in `server::frames`.
pub(crate) const MAX_MESSAGE_FRAME_BYTES: usize = 16 * 1024 * 1024;
