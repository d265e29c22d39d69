//! roadlint: a Git-based roadmap linter.
//!
//! The pipeline runs one way:
//!
//! 1. [`discover`] finds the repository root, `roadlint.toml` and the roadmap
//!    files (regular files only, size-capped).
//! 2. [`model`] parses each file into spanned data; [`config`] reads the
//!    configuration the same way.
//! 3. `history` (optional) walks the commits with gix and produces the facts the
//!    history rules need.
//! 4. [`rules`] check the plan and the facts and return [`diagnostic`]s;
//!    [`lint`] applies waivers and levels and sorts them.
//! 5. [`output`] prints them in the chosen format: the only code that prints;
//!    [`report`] is the `roadlint report` command's plan-vs-actual page.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
mod bounded;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub(crate) mod discover;
pub mod escape;
pub mod example;
pub(crate) mod extends;
pub(crate) mod facts;
pub(crate) mod fnv;
pub mod git;
pub(crate) mod globs;
pub mod history;
pub(crate) mod limits;
pub mod lint;
pub mod model;
pub mod output;
pub(crate) mod people;
pub(crate) mod policy;
pub mod report;
pub mod rules;
pub(crate) mod schema;
pub mod server;
pub(crate) mod settings;
pub(crate) mod signoff;
pub mod source;
pub(crate) mod units;
