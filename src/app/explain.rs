//! `roadlint explain RULE`: a rule's long explanation.

use super::Outcome;
use crate::cli::ExplainArgs;
use crate::rules;

/// `roadlint explain RULE`.
pub fn explain(args: &ExplainArgs) -> Outcome {
    match rules::find(&args.rule) {
        Some(rule) => Outcome::ok(format!(
            "# {} ({} rule, default level: {})\n\n{}\n\n{}",
            rule.id,
            rule.group.as_str(),
            rule.default_level.as_str(),
            rule.summary,
            rule.explanation()
        )),
        None => {
            let known: Vec<&str> = rules::registry().iter().map(|r| r.id.as_str()).collect();
            let hint = crate::model::reader::did_you_mean(&args.rule, &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            Outcome::fail(format!(
                "unknown rule `{}`{hint}; run `roadlint rules` to list the rules",
                crate::escape::escape_data(&args.rule)
            ))
        }
    }
}
