//! `roadlint config [--show-origin]`: the configuration in force, merged
//! from `roadlint.toml` and the presets it extends (SPEC §9.8), so that a
//! reviewer sees what each key ended up as and which file decided it.

use super::session::{OpenOptions, Session};
use super::Outcome;
use crate::output::{Format, Style};

/// `roadlint config`.
pub fn config(args: &crate::cli::ConfigArgs) -> Outcome {
    let opts = OpenOptions {
        path: args.path.as_deref(),
        config: args.config.as_deref(),
        staged: args.staged,
        rev: args.rev.as_deref(),
        style: Style::plain(),
        format: Format::Human,
    };
    let session = match Session::open_config(&opts) {
        Ok(s) => s,
        Err(o) => return o,
    };
    match crate::extends::show(&session.config, &session.sources, args.show_origin) {
        Some(text) => Outcome::ok(text),
        None => Outcome::fail("the configuration changed while it was read"),
    }
}
