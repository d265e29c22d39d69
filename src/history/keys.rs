//! The inputs of many commits (see [`MessageKey`]) with their strings
//! interned: a long history costs a few integers per commit, not five strings,
//! in memory, in the history cache and in its digest.

use super::classify::MessageKey;
use serde::{Deserialize, Serialize};

/// No string.
pub(super) const NONE: u32 = u32::MAX;

/// One commit's [`MessageKey`] as indexes into a [`KeyTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct KeyIds {
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
    /// The `Co-authored-by:` values, one a line.
    pub coauthors: u32,
}

/// The strings [`KeyIds`] index into: types, trailer values, names and
/// emails interned (a history holds few of each), subjects kept apart and
/// never hashed (nearly every one is different).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(super) struct KeyTable {
    strings: Vec<String>,
    subjects: Vec<String>,
    /// Built on the first [`KeyTable::intern`]: a table only read (a digest's)
    /// never hashes its strings.
    #[serde(skip)]
    ids: Option<foldhash::HashMap<String, u32>>,
}

/// Two tables are equal when they hold the same strings (the index built for
/// interning is no part of the content).
impl PartialEq for KeyTable {
    fn eq(&self, other: &Self) -> bool {
        self.strings == other.strings && self.subjects == other.subjects
    }
}

/// One commit's inputs, borrowed from a [`KeyTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct KeyRef<'a> {
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
    /// The `Co-authored-by:` values, one a line (see [`super::classify::coauthors`]).
    pub coauthors: Option<&'a str>,
}

impl KeyTable {
    /// Whether every index of `ids` is in range (a file read back may be
    /// damaged: the commit is then read again).
    pub(super) fn holds(&self, ids: &KeyIds) -> bool {
        let strings = self.strings.len() as u32;
        [ids.ty, ids.item, ids.name, ids.email, ids.coauthors]
            .iter()
            .all(|&s| s == NONE || s < strings)
            && (ids.subject == NONE || (ids.subject as usize) < self.subjects.len())
    }

    /// Keep `subject` (never deduplicated).
    fn push_subject(&mut self, subject: &str) -> u32 {
        self.subjects.push(subject.to_string());
        (self.subjects.len() - 1) as u32
    }

    /// The index of `s`, added if new.
    pub(super) fn intern(&mut self, s: &str) -> u32 {
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
    pub(super) fn get(&self, i: u32) -> Option<&str> {
        self.strings.get(i as usize).map(String::as_str)
    }

    /// `key`, interned, its subject moved in.
    pub(super) fn ids_moving(&mut self, mut key: MessageKey) -> KeyIds {
        let subject = std::mem::take(&mut key.subject);
        let ids = self.ids(&key);
        self.subjects[ids.subject as usize] = subject;
        ids
    }

    /// `key`, interned.
    pub(super) fn ids(&mut self, key: &MessageKey) -> KeyIds {
        let mut opt = |s: Option<&str>| s.map_or(NONE, |s| self.intern(s));
        let mut ids = KeyIds {
            ty: opt(key.ty.as_deref()),
            item: opt(key.item.as_deref()),
            subject: NONE,
            name: opt(Some(&key.name)),
            email: opt(Some(&key.email)),
            author_time: key.author_time,
            coauthors: opt(key.coauthors.as_deref()),
        };
        ids.subject = self.push_subject(&key.subject);
        ids
    }

    /// The inputs `ids` stand for, or `None` when an index is out of range
    /// (a damaged file: the commit is then read again).
    pub(super) fn view(&self, ids: KeyIds) -> Option<KeyRef<'_>> {
        let opt = |i: u32| match i {
            NONE => Some(None),
            i => self.get(i).map(Some),
        };
        let text = |i: u32| opt(i).map(Option::unwrap_or_default);
        let subject = match ids.subject {
            NONE => "",
            i => self.subjects.get(i as usize)?,
        };
        Some(KeyRef {
            ty: opt(ids.ty)?,
            item: opt(ids.item)?,
            subject,
            name: text(ids.name)?,
            email: text(ids.email)?,
            author_time: ids.author_time,
            coauthors: opt(ids.coauthors)?,
        })
    }

    /// Re-index `ids`, which index into `from`, into this table, moving its
    /// subject out of `from`; `remap` remembers where `from`'s strings went,
    /// so each is hashed once however many commits share it.
    pub(super) fn adopt(&mut self, from: &mut KeyTable, remap: &mut Remap, ids: KeyIds) -> KeyIds {
        let mut again = |i: u32| {
            let Some(s) = from.get(i) else {
                return NONE;
            };
            let slot = i as usize;
            if remap.0.len() <= slot {
                remap.0.resize(slot + 1, NONE);
            }
            if remap.0[slot] == NONE {
                remap.0[slot] = self.intern(s);
            }
            remap.0[slot]
        };
        let mut out = KeyIds {
            ty: again(ids.ty),
            item: again(ids.item),
            subject: NONE,
            name: again(ids.name),
            email: again(ids.email),
            author_time: ids.author_time,
            coauthors: again(ids.coauthors),
        };
        if let Some(subject) = from.subjects.get_mut(ids.subject as usize) {
            self.subjects.push(std::mem::take(subject));
            out.subject = (self.subjects.len() - 1) as u32;
        }
        out
    }
}

/// Where the strings of one table went when [`KeyTable::adopt`] moved its
/// commits into another (one per table adopted from).
#[derive(Default)]
pub(super) struct Remap(Vec<u32>);

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
            coauthors: Some("Lee <lee@example.com>".into()),
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
        let mut b = KeyTable::default();
        b.intern("other");
        let b: KeyTable = postcard::from_bytes(&postcard::to_stdvec(&b).expect("ser")).expect("de");
        let mut b = b;
        let kept = a.clone();
        let moved = b.adopt(&mut a, &mut Remap::default(), ids);
        assert_eq!(b.view(moved), kept.view(ids));
        assert_eq!(b.intern("other"), 0, "a read table interns what it holds");
        assert!(kept.holds(&ids));
        assert!(!kept.holds(&KeyIds { ty: 99, ..ids }));
        assert_eq!(kept.view(KeyIds { ty: 99, ..ids }), None, "out of range");
        assert_eq!(
            kept.view(KeyIds { subject: 1, ..ids }),
            None,
            "out of range"
        );
    }
}
