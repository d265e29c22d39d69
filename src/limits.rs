//! Hard limits that keep roadlint safe on hostile input.

/// Largest roadmap file that is parsed (1 MiB); a larger one is reported.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
