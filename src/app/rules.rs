//! `roadlint rules`: every rule with its level in the configuration in force.

use super::session::{OpenOptions, Session};
use super::Outcome;
use crate::cli::RulesArgs;
use crate::output::{Format, Style};

/// `roadlint rules`.
pub fn rules(args: &RulesArgs) -> Outcome {
    let setup = match Session::open(&OpenOptions {
        path: args.path.as_deref(),
        config: args.config.as_deref(),
        staged: false,
        rev: None,
        style: Style::plain(),
        format: Format::Human,
    }) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let width = crate::rules::registry()
        .iter()
        .map(|r| r.id.as_str().len())
        .max()
        .unwrap_or(10);
    let mut s = String::new();
    for r in crate::rules::registry() {
        let level = setup.config.level(r.id).as_str();
        s.push_str(&format!(
            "{:<width$}  {:<5}  {:<10}  {}\n",
            r.id.as_str(),
            level,
            r.group.as_str(),
            r.summary
        ));
    }
    Outcome::ok(s)
}
