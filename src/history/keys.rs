//! The inputs of many commits (see [`MessageKey`]) with their strings
//! interned: a long history costs a few integers per commit, not five strings,
//! in memory, in the history cache and in its digest.

use super::classify::MessageKey;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// No string.
pub const NONE: u32 = u32::MAX;

/// One commit's [`MessageKey`] as indexes into a [`KeyTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyIds {
    /// The Conventional Commits type.
    pub ty: u32,
    /// The item trailer's value.
    pub item: u32,
    /// The subject.
    pub subject: u32,
    /// The author's name.
    pub name: u32,
    /// The author's email.
    pub email: u32,
    /// The author time, seconds since the epoch.
    pub author_time: i64,
}

/// Interned strings; [`KeyIds`] index into one.
#[derive(Clone, Debug, Default)]
pub struct KeyTable {
    strings: Vec<String>,
    /// Built on the first [`KeyTable::intern`]: a table only read (a digest's)
    /// never hashes its strings.
    ids: Option<HashMap<String, u32>>,
}

/// One commit's inputs, borrowed from a [`KeyTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRef<'a> {
    /// The Conventional Commits type.
    pub ty: Option<&'a str>,
    /// The item trailer's value.
    pub item: Option<&'a str>,
    /// The subject.
    pub subject: &'a str,
    /// The author's name.
    pub name: &'a str,
    /// The author's email.
    pub email: &'a str,
    /// The author time, seconds since the epoch.
    pub author_time: i64,
}

impl KeyTable {
    /// A table of `strings` (as [`KeyTable::strings`] gave them).
    pub fn from_strings(strings: Vec<String>) -> Self {
        KeyTable { strings, ids: None }
    }

    /// The strings, in index order.
    pub fn strings(&self) -> &[String] {
        &self.strings
    }

    /// The index of `s`, added if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        let strings = &self.strings;
        let ids = self.ids.get_or_insert_with(|| {
            strings
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i as u32))
                .collect()
        });
        if let Some(&i) = ids.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        ids.insert(s.to_string(), i);
        i
    }

    /// The string at `i`, if there is one.
    pub fn get(&self, i: u32) -> Option<&str> {
        self.strings.get(i as usize).map(String::as_str)
    }

    /// `key`, interned.
    pub fn ids(&mut self, key: &MessageKey) -> KeyIds {
        let mut opt = |s: Option<&str>| s.map_or(NONE, |s| self.intern(s));
        KeyIds {
            ty: opt(key.ty.as_deref()),
            item: opt(key.item.as_deref()),
            subject: opt(Some(&key.subject)),
            name: opt(Some(&key.name)),
            email: opt(Some(&key.email)),
            author_time: key.author_time,
        }
    }

    /// The inputs `ids` stand for, or `None` when an index is out of range
    /// (a damaged file: the commit is then read again).
    pub fn view(&self, ids: KeyIds) -> Option<KeyRef<'_>> {
        let opt = |i: u32| match i {
            NONE => Some(None),
            i => self.get(i).map(Some),
        };
        let text = |i: u32| opt(i).map(Option::unwrap_or_default);
        Some(KeyRef {
            ty: opt(ids.ty)?,
            item: opt(ids.item)?,
            subject: text(ids.subject)?,
            name: text(ids.name)?,
            email: text(ids.email)?,
            author_time: ids.author_time,
        })
    }

    /// Re-index `ids`, which index into `from`, into this table.
    pub fn adopt(&mut self, from: &KeyTable, ids: KeyIds) -> KeyIds {
        let mut again = |i: u32| from.get(i).map_or(NONE, |s| self.intern(s));
        KeyIds {
            ty: again(ids.ty),
            item: again(ids.item),
            subject: again(ids.subject),
            name: again(ids.name),
            email: again(ids.email),
            author_time: ids.author_time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_through_its_ids_and_moves_between_tables() {
        let key = MessageKey {
            ty: Some("feat".into()),
            item: None,
            subject: "feat: x (PAY-1)".into(),
            name: "Dana".into(),
            email: "dana@example.com".into(),
            author_time: 42,
        };
        let mut a = KeyTable::default();
        let ids = a.ids(&key);
        let view = a.view(ids).expect("in range");
        assert_eq!(view.ty, Some("feat"));
        assert_eq!(view.item, None);
        assert_eq!(view.subject, "feat: x (PAY-1)");
        assert_eq!(
            (view.name, view.email, view.author_time),
            ("Dana", "dana@example.com", 42)
        );
        let mut b = KeyTable::from_strings(vec!["other".into()]);
        let moved = b.adopt(&a, ids);
        assert_eq!(b.view(moved), Some(view));
        assert_eq!(b.intern("other"), 0, "a read table interns what it holds");
        assert_eq!(a.view(KeyIds { ty: 99, ..ids }), None, "out of range");
    }
}
