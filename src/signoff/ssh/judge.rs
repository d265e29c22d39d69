//! Judging a commit's verified approvals: for each gated file change, a
//! product approval and a tech approval that verify, from two different
//! people who were approvers for their role before the commit.

use super::approval::is_null_id;
use crate::facts::{Approvals, FileChange, FoundApproval};
use crate::people;

/// Who may approve one role, and how a message names that list.
pub(crate) struct Approvers<'a> {
    /// The people (`Name` or `Name <email>`).
    pub(crate) people: &'a [String],
    /// Where the list comes from (`the product owners before this commit`).
    pub(crate) whose: String,
}

/// Whether `principal` (from an approval) is the approver `who`: equal as
/// names, or equal to the email of an approver written `Name <email>`.
pub(crate) fn is(who: &str, principal: &str) -> bool {
    people::same(who, principal) || email(who).is_some_and(|e| people::same(e, principal))
}

/// The email of `Name <email>`.
fn email(who: &str) -> Option<&str> {
    let (_, rest) = who.split_once('<')?;
    rest.strip_suffix('>')
        .or_else(|| rest.trim_end().strip_suffix('>'))
}

/// The §9.3 keys of every name an approval's signer goes by: its principal
/// and the other principals of its key's allowed-signers line.
fn name_keys(f: &FoundApproval) -> Vec<String> {
    std::iter::once(f.principal.as_str())
        .chain(f.aliases.iter().map(String::as_str))
        .map(people::key)
        .collect()
}

/// An approver list with the §9.3 keys of each entry computed once (its
/// name's and, for `Name <email>`, its email's), one entry per person: the
/// comparison folds case and normalizes, and an owner list repeats a name
/// for every item it owns, so comparing raw names per approval costs a
/// history with long quarters dearly.
struct Keyed<'a> {
    /// Each person once, as first written, with its keys.
    people: Vec<(&'a str, Vec<String>)>,
}

impl<'a> Keyed<'a> {
    fn of(list: &'a [String]) -> Keyed<'a> {
        let mut people: Vec<(&'a str, Vec<String>)> = Vec::new();
        let mut written = std::collections::HashSet::new();
        for who in list {
            // The same spelling again costs a hash, not a normalization.
            if !written.insert(who.as_str()) {
                continue;
            }
            let mut keys = vec![people::key(who)];
            keys.extend(email(who).map(people::key));
            if !people.iter().any(|(_, k)| k == &keys) {
                people.push((who.trim(), keys));
            }
        }
        Keyed { people }
    }

    /// Whether a signer going by the keyed `names` is one of these people.
    fn has(&self, names: &[String]) -> bool {
        self.people
            .iter()
            .any(|(_, keys)| keys.iter().any(|k| names.contains(k)))
    }

    /// The people, each once, for a message.
    fn list(&self) -> String {
        let mut seen: Vec<&String> = Vec::new();
        let mut out: Vec<&str> = Vec::new();
        for (who, keys) in &self.people {
            if !seen.contains(&&keys[0]) {
                seen.push(&keys[0]);
                out.push(who);
            }
        }
        if out.is_empty() {
            "nobody".into()
        } else {
            out.join(", ")
        }
    }
}

/// Whether two signers (keyed names `a` and `b`) are one person: a name in
/// common, or both matching one approver entry.
fn one_person(a: &[String], b: &[String], everyone: &[&Keyed<'_>]) -> bool {
    a.iter().any(|x| b.contains(x))
        || everyone.iter().any(|list| {
            list.people.iter().any(|(_, keys)| {
                keys.iter().any(|k| a.contains(k)) && keys.iter().any(|k| b.contains(k))
            })
        })
}

/// A blob id cut for a message (`a1b2c3d4…`).
fn short(id: &str) -> String {
    format!("{}…", &id[..id.len().min(8)])
}

/// What is missing or wrong in `a`'s approvals; empty when every change is
/// approved by both roles.
pub(crate) fn problems(
    a: &Approvals,
    product: &Approvers<'_>,
    tech: &Approvers<'_>,
) -> Vec<String> {
    let (pk, tk) = (Keyed::of(product.people), Keyed::of(tech.people));
    let everyone = [&pk, &tk];
    let keys: Vec<Vec<String>> = a.found.iter().map(name_keys).collect();
    let mut out = Vec::new();
    for change in &a.changes {
        let valid = |role: &str, who: &Keyed<'_>| -> Vec<usize> {
            (0..a.found.len())
                .filter(|&i| {
                    let f = &a.found[i];
                    f.before == change.before
                        && f.after == change.after
                        && f.problem.is_none()
                        && f.role == role
                        && who.has(&keys[i])
                })
                .collect()
        };
        let (p, t) = (valid("product", &pk), valid("tech", &tk));
        let before = out.len();
        for (role, found, who, keyed) in [("product", &p, product, &pk), ("tech", &t, tech, &tk)] {
            if found.is_empty() {
                out.push(format!(
                    "no {role} approval for {} ({} → {}) (who could sign: {}, {}); run `{}`",
                    change.label,
                    short(&change.before),
                    short(&change.after),
                    keyed.list(),
                    who.whose,
                    command(a, change, role)
                ));
            }
        }
        if !p.is_empty()
            && !t.is_empty()
            && p.iter()
                .all(|&p| t.iter().all(|&t| one_person(&keys[p], &keys[t], &everyone)))
        {
            out.push(format!(
                "{} signed both roles of {}, and nobody approves alone",
                a.found[p[0]].principal, change.label
            ));
        }
        if out.len() > before {
            out.extend(not_counting(a, &keys, change, (product, &pk), (tech, &tk)));
        }
    }
    out
}

/// Each approval file that speaks to `change` (or could not be read) but
/// does not count for it, and why (`keys`: each found approval's keyed
/// names).
fn not_counting(
    a: &Approvals,
    keys: &[Vec<String>],
    change: &FileChange,
    product: (&Approvers<'_>, &Keyed<'_>),
    tech: (&Approvers<'_>, &Keyed<'_>),
) -> Vec<String> {
    let mut out = Vec::new();
    for (f, names) in a.found.iter().zip(keys) {
        let exact = f.before == change.before && f.after == change.after;
        // Naming one of the change's blobs: an approval of a neighbouring
        // change (replayed onto this one, or of the version before it).
        let near = [&f.before, &f.after]
            .iter()
            .any(|id| !is_null_id(id) && (**id == change.before || **id == change.after));
        let why = match (&f.problem, exact) {
            (Some(p), _) if exact || near || f.role.is_empty() => p.clone(),
            (None, false) if near => "approves another change".to_string(),
            (None, true) => {
                let (who, keyed) = if f.role == "product" { product } else { tech };
                if keyed.has(names) {
                    continue;
                }
                format!(
                    "{} is not a {} approver ({}: {})",
                    f.principal,
                    f.role,
                    who.whose,
                    keyed.list()
                )
            }
            _ => continue,
        };
        out.push(format!("{} does not count: {why}", f.file));
    }
    out
}

/// The command that writes the missing approval.
fn command(a: &Approvals, change: &FileChange, role: &str) -> String {
    let rev = if a.commit.is_empty() {
        String::new()
    } else {
        format!(" --rev {}", &a.commit[..a.commit.len().min(12)])
    };
    format!("roadlint approve --role {role}{rev} {}", change.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(
        role: &str,
        who: &str,
        before: &str,
        after: &str,
        problem: Option<&str>,
    ) -> FoundApproval {
        FoundApproval {
            file: format!(".roadlint/approvals/{who}-{role}.approval"),
            role: role.into(),
            principal: who.into(),
            aliases: Vec::new(),
            before: before.into(),
            after: after.into(),
            problem: problem.map(Into::into),
        }
    }

    fn approvals(found: Vec<FoundApproval>) -> Approvals {
        Approvals {
            commit: "c0ffee".repeat(7)[..40].to_string(),
            changes: vec![FileChange {
                path: "roadmap/2026-Q1.toml".into(),
                label: "2026-Q1".into(),
                before: "a".repeat(40),
                after: "b".repeat(40),
            }],
            found,
        }
    }

    fn judge(found: Vec<FoundApproval>) -> Vec<String> {
        let p = vec!["Dana <dana@example.com>".to_string()];
        let t = vec!["sam".to_string(), "dana".to_string()];
        problems(
            &approvals(found),
            &Approvers {
                people: &p,
                whose: "the product owners before this commit".into(),
            },
            &Approvers {
                people: &t,
                whose: "the tech owners before this commit".into(),
            },
        )
    }

    #[test]
    fn two_people_approving_the_exact_change_sign_it_off() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let ok = judge(vec![
            found("product", "dana@example.com", &a, &b, None),
            found("tech", "sam", &a, &b, None),
        ]);
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn missing_forged_replayed_and_lone_approvals_are_named() {
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let p = judge(vec![found("product", "dana@example.com", &a, &b, None)]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("no tech approval for 2026-Q1 (aaaaaaaa… → bbbbbbbb…)"),
            "{}",
            p[0]
        );
        assert!(
            p[0].ends_with(
                "run `roadlint approve --role tech --rev c0ffeec0ffee roadmap/2026-Q1.toml`"
            ),
            "{}",
            p[0]
        );
        let p = judge(vec![
            found("product", "dana@example.com", &a, &b, None),
            found("tech", "sam", &a, &b, Some("signature does not verify")),
            found("tech", "sam", &c, &b, None),
            found("tech", "eve", &a, &b, None),
        ]);
        assert!(p[0].starts_with("no tech approval"), "{p:?}");
        assert!(
            p[1].ends_with("sam-tech.approval does not count: signature does not verify"),
            "{p:?}"
        );
        assert!(
            p[2].ends_with("does not count: approves another change"),
            "{p:?}"
        );
        assert!(p[3].contains("eve is not a tech approver"), "{p:?}");
        let p = judge(vec![
            found("product", "dana@example.com", &a, &b, None),
            found("tech", "dana", &a, &b, None),
        ]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("signed both roles of 2026-Q1"), "{p:?}");
    }

    #[test]
    fn an_email_principal_matches_the_approver_written_with_it() {
        assert!(is("Dana <dana@example.com>", "DANA@example.com"));
        assert!(is("Dana <dana@example.com>", "dana"));
        assert!(!is("Dana <dana@example.com>", "sam@example.com"));
    }
}
