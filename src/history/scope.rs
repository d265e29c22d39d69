//! What a change to a roadmap file means: the semantic diff of a quarter's
//! scope between two versions, and the technology stages a version declares.
//!
//! Scope is the set of items with their `effort` and `kind`; status and
//! wording are free to change after a lock.

use crate::facts::ScopeChange;
use crate::model::{parse_file, Kind, Stage};
use crate::source::FileId;
use std::collections::BTreeMap;

/// An item's scope-relevant fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItemScope {
    /// Kind, if readable.
    pub kind: Option<Kind>,
    /// Effort, if readable.
    pub effort: Option<f64>,
}

/// The scope of one version of a quarter file: item id → scope.
pub type Scope = BTreeMap<String, ItemScope>;

/// Read the scope from a file's bytes (unreadable text is an empty scope).
pub fn scope_of(bytes: &[u8]) -> Scope {
    let text = String::from_utf8_lossy(bytes);
    let parsed = parse_file(FileId(0), &text);
    parsed
        .model
        .items
        .iter()
        .filter_map(|i| {
            let id = i.id.as_ref()?.value.clone();
            Some((
                id,
                ItemScope {
                    kind: i.kind(),
                    effort: i.effort.as_ref().map(|e| e.value),
                },
            ))
        })
        .collect()
}

/// The technology stages of a file version: name → stage.
pub fn stages_of(bytes: &[u8]) -> BTreeMap<String, Stage> {
    let text = String::from_utf8_lossy(bytes);
    let parsed = parse_file(FileId(0), &text);
    parsed
        .model
        .technologies
        .iter()
        .filter_map(|t| Some((t.name.as_ref()?.value.clone(), t.stage.as_ref()?.value)))
        .collect()
}

/// The scope changes from `before` to `after`, in item order.
pub fn diff(before: &Scope, after: &Scope) -> Vec<ScopeChange> {
    let mut out = Vec::new();
    for (id, old) in before {
        match after.get(id) {
            None => out.push(ScopeChange::Removed(id.clone())),
            Some(new) => {
                if old.effort != new.effort {
                    out.push(ScopeChange::Effort(id.clone(), old.effort, new.effort));
                }
                if old.kind != new.kind {
                    out.push(ScopeChange::Kind(id.clone(), old.kind, new.kind));
                }
            }
        }
    }
    for id in after.keys().filter(|id| !before.contains_key(*id)) {
        out.push(ScopeChange::Added(id.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "quarter = \"2026-Q1\"\nlocked = 2026-01-09\n[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 3\nstatus = \"planned\"\n";

    #[test]
    fn status_and_wording_are_free() {
        let after = BASE
            .replace("planned", "done")
            .replace("title = \"t\"", "title = \"better\"");
        assert!(diff(&scope_of(BASE.as_bytes()), &scope_of(after.as_bytes())).is_empty());
    }

    #[test]
    fn effort_kind_add_remove_are_scope() {
        let before = scope_of(BASE.as_bytes());
        let effort = scope_of(BASE.replace("effort = 3", "effort = 4").as_bytes());
        assert_eq!(
            diff(&before, &effort),
            vec![ScopeChange::Effort("A".into(), Some(3.0), Some(4.0))]
        );
        let kind = scope_of(BASE.replace("\"feature\"", "\"debt\"").as_bytes());
        assert_eq!(diff(&before, &kind).len(), 1);
        let added = format!("{BASE}[[item]]\nid = \"B\"\n");
        assert_eq!(
            diff(&before, &scope_of(added.as_bytes())),
            vec![ScopeChange::Added("B".into())]
        );
        assert_eq!(
            diff(&scope_of(added.as_bytes()), &before),
            vec![ScopeChange::Removed("B".into())]
        );
        assert_eq!(
            ScopeChange::Effort("A".into(), Some(3.0), Some(4.0)).to_string(),
            "changes the effort of `A` from 3 to 4"
        );
    }

    #[test]
    fn stages_are_read() {
        let s = stages_of(b"[[technology]]\nname = \"v\"\nstage = \"trial\"\n");
        assert_eq!(s.get("v"), Some(&Stage::Trial));
    }
}
