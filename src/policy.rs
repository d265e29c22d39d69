//! What a change to `roadlint.toml` changes, in the product's words.
//!
//! `roadlint.toml` is the agreement between product and engineering, so a
//! commit that changes its meaning needs both sign-offs (`policy-signoff`).
//! Only the parsed value counts: comments, whitespace and key order are free.
//! This module compares two parsed configurations and says what differs the
//! way a reviewer would (`turns locked-scope off`, `adds mallory to
//! product_approvers`, `changes the roadmap globs`).

use crate::rules::registry;
use crate::settings::{Config, Level, Setting, Value};

/// One difference in meaning, with the key it is written under.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    /// What it changes, in the product's words.
    pub said: String,
    /// The TOML key that holds it (`locked-scope`, `product_approvers`).
    pub key: String,
}

/// Every difference in meaning between `before` and `after`, in the order
/// of the file (globs, fiscal year, rules, `[history]`, `[signoff]`), each
/// with its key: where a diagnostic points.
pub(crate) fn changed(before: &Config, after: &Config) -> Vec<Changed> {
    let mut out = Keyed::default();
    if before.extends != after.extends {
        out.push(
            "extends",
            format!(
                "changes the presets it extends from {} to {}",
                list(&before.extends),
                list(&after.extends)
            ),
        );
    }
    if before.roadmap != after.roadmap {
        out.push(
            "roadmap",
            format!(
                "changes the roadmap globs from {} to {}",
                list(&before.roadmap),
                list(&after.roadmap)
            ),
        );
    }
    if before.fiscal_year_start != after.fiscal_year_start {
        out.push(
            "fiscal_year_start",
            format!(
                "moves the fiscal year start from month {} to month {}",
                before.fiscal_year_start, after.fiscal_year_start
            ),
        );
    }
    for rule in registry() {
        let (was, is) = (before.level(rule.id), after.level(rule.id));
        if was != is {
            out.push(
                rule.id.as_str(),
                match is {
                    Level::Off => format!("turns {} off", rule.id),
                    _ if was == Level::Off => format!("turns {} on at {}", rule.id, is.as_str()),
                    _ => format!("sets {} from {} to {}", rule.id, was.as_str(), is.as_str()),
                },
            );
        }
        for p in rule.params() {
            let value = |c: &Config| {
                c.params.get(&(rule.id, p.name)).map_or_else(
                    || Value::from(p.default),
                    |s: &Setting<Value>| s.value.clone(),
                )
            };
            let (was, is) = (value(before), value(after));
            if was != is {
                out.push(
                    rule.id.as_str(),
                    format!(
                        "changes {} {} from {} to {}",
                        rule.id,
                        p.name,
                        was.to_toml(),
                        is.to_toml()
                    ),
                );
            }
        }
    }
    let (h0, h1) = (&before.history, &after.history);
    let history = [
        ("debt_types", h0.debt_types != h1.debt_types),
        ("feature_types", h0.feature_types != h1.feature_types),
        ("item_trailer", h0.item_trailer != h1.item_trailer),
        ("include_merges", h0.include_merges != h1.include_merges),
        ("since", h0.since != h1.since),
        ("measure", h0.measure != h1.measure),
        ("ignore_authors", h0.ignore_authors != h1.ignore_authors),
    ];
    for (key, _) in history.iter().filter(|(_, changed)| *changed) {
        out.push(key, format!("changes [history] {key}"));
    }
    let (s0, s1) = (&before.signoff, &after.signoff);
    if s0.verify != s1.verify {
        out.push(
            "verify",
            format!(
                "switches [signoff] verify to \"{}\"",
                match s1.verify {
                    crate::settings::Verify::Ssh => "ssh",
                    crate::settings::Verify::Trailers => "trailers",
                }
            ),
        );
    }
    for (key, was, is) in [
        ("allowed_signers", &s0.allowed_signers, &s1.allowed_signers),
        ("approvals", &s0.approvals, &s1.approvals),
    ] {
        if was != is {
            out.push(key, format!("moves [signoff] {key} from `{was}` to `{is}`"));
        }
    }
    for (key, was, is) in [
        ("product_trailer", &s0.product_trailer, &s1.product_trailer),
        ("tech_trailer", &s0.tech_trailer, &s1.tech_trailer),
    ] {
        if was != is {
            out.push(key, format!("renames the {key} from `{was}` to `{is}`"));
        }
    }
    for (key, was, is) in [
        (
            "product_approvers",
            &s0.product_approvers,
            &s1.product_approvers,
        ),
        ("tech_approvers", &s0.tech_approvers, &s1.tech_approvers),
    ] {
        let same = |a: &String, b: &String| crate::people::same(a, b);
        for added in is.iter().filter(|p| !was.iter().any(|w| same(w, p))) {
            out.push(key, format!("adds {} to {key}", added.trim()));
        }
        for removed in was.iter().filter(|w| !is.iter().any(|p| same(w, p))) {
            out.push(key, format!("removes {} from {key}", removed.trim()));
        }
    }
    out.0
}

/// The changes found so far.
#[derive(Default)]
struct Keyed(Vec<Changed>);

impl Keyed {
    fn push(&mut self, key: &str, said: String) {
        self.0.push(Changed {
            said,
            key: key.to_string(),
        });
    }
}

fn list(globs: &[String]) -> String {
    let quoted: Vec<String> = globs.iter().map(|g| format!("\"{g}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`changed`] says, without the keys.
    fn changes(before: &Config, after: &Config) -> Vec<String> {
        changed(before, after).into_iter().map(|c| c.said).collect()
    }
    use crate::source::FileId;

    fn config(text: &str) -> Config {
        let (c, diags) = crate::config::parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        c
    }

    #[test]
    fn comments_whitespace_and_key_order_are_free() {
        let a = config("[rules]\nkpi-link = \"warn\"\ncapacity = \"error\"\n");
        let b =
            config("# the agreement\n[rules]\ncapacity   = \"error\" # yes\nkpi-link = 'warn'\n");
        assert!(changes(&a, &b).is_empty());
        // Writing a default out is no change either.
        assert!(changes(&Config::default(), &a).is_empty());
    }

    #[test]
    fn each_change_is_said_in_the_products_words() {
        let before = config("[signoff]\nproduct_approvers = [\"dana\"]\n");
        let after = config(
            "roadmap = [\"plan/**/*.toml\"]\nfiscal_year_start = 4\n[rules]\nlocked-scope = \"off\"\nkpi-link = \"error\"\ndebt-share = { min = 0.1 }\n[history]\nsince = 2026-01-01\n[signoff]\nproduct_approvers = [\"DANA\", \"mallory\"]\ntech_trailer = \"Eng-Approved-By\"\n",
        );
        assert_eq!(
            changes(&before, &after),
            vec![
                "changes the roadmap globs from [\"roadmap/**/*.toml\"] to [\"plan/**/*.toml\"]",
                "moves the fiscal year start from month 1 to month 4",
                "changes debt-share min from 0.20 to 0.10",
                "sets kpi-link from warn to error",
                "turns locked-scope off",
                "changes [history] since",
                "renames the tech_trailer from `Tech-Approved-By` to `Eng-Approved-By`",
                "adds mallory to product_approvers",
            ]
        );
        assert_eq!(
            changes(&after, &before).last().map(String::as_str),
            Some("removes mallory from product_approvers")
        );
    }

    #[test]
    fn each_change_names_its_key() {
        let before = config("[signoff]\nproduct_approvers = [\"dana\"]\n");
        let text = "# who signs\n[rules]\n\"locked-scope\" = \"off\"\n[signoff]\n  product_approvers = [\"dana\", \"mallory\"]\n";
        let after = config(text);
        let found = changed(&before, &after);
        let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["locked-scope", "product_approvers"]);
    }
}
