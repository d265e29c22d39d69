//! Commit messages: decoded on every core and classified.
//!
//! Decoding messages is the bulk of a cold scan (every commit object must be
//! inflated), so it runs on every core ([`on_every_core`]), and only for
//! commits that neither the walk nor the history cache already know.

use super::cache::HistoryCache;
use super::classify::{Classifier, MessageKey};
use super::commit::{raw_message, WalkedCommit};
use super::error::HistoryError;
use super::repo::GitRepo;
use super::workers::{on_every_core, ReadFailure};
use crate::facts::Class;
use gix::ObjectId;
use std::collections::HashMap;
use std::io::IsTerminal;

/// A progress bar on standard error when it is a terminal and the walk is long.
pub fn progress_bar(len: usize, enabled: bool, what: &'static str) -> indicatif::ProgressBar {
    if !enabled || len < 2_000 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg} {bar:30} {pos}/{len} commits")
    {
        bar.set_style(style);
    }
    bar.set_message(what);
    bar
}

/// The classification inputs of a raw commit object, and its class.
fn decode(data: &[u8], classifier: &Classifier, item_trailer: &str) -> (MessageKey, Class) {
    let key = MessageKey::parse(raw_message(data), item_trailer);
    let class = classifier.classify_key(&key);
    (key, class)
}

/// The decoded messages of a run of commits: each commit's class and, when
/// asked for, its classification inputs as indexes into `strings` (interned,
/// so a long history costs a few bytes per commit, not two strings).
#[derive(Default)]
struct Decoded {
    classes: Vec<Class>,
    keys: Vec<(u32, u32)>,
    strings: Vec<String>,
}

impl Decoded {
    fn push(&mut self, class: Class, key: Option<MessageKey>, ids: &mut HashMap<String, u32>) {
        self.classes.push(class);
        let Some(key) = key else { return };
        let mut intern = |s: Option<String>| match s {
            None => u32::MAX,
            Some(s) => *ids.entry(s).or_insert_with_key(|s| {
                self.strings.push(s.clone());
                (self.strings.len() - 1) as u32
            }),
        };
        let ty = intern(key.ty);
        let item = intern(key.item);
        self.keys.push((ty, item));
    }
}

/// Decode the commits `ids` on one repository handle, keeping their
/// classification inputs when `keep_keys`.
fn decode_chunk(
    repo: &gix::Repository,
    ids: &[ObjectId],
    classifier: &Classifier,
    item_trailer: &str,
    keep_keys: bool,
    bar: &indicatif::ProgressBar,
) -> Result<Decoded, ReadFailure> {
    use gix::prelude::Find;
    let mut buf = Vec::new();
    let mut out = Decoded::default();
    let mut interned = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let data = match repo.objects.try_find(id, &mut buf) {
            Ok(Some(d)) if d.kind == gix::object::Kind::Commit => d,
            Ok(Some(d)) => {
                return Err(ReadFailure::Other(
                    *id,
                    format!("expected a commit, found a {}", d.kind),
                ))
            }
            Ok(None) => return Err(ReadFailure::Missing(*id, None)),
            Err(e) => return Err(ReadFailure::Other(*id, e.to_string())),
        };
        let (key, class) = decode(data.data, classifier, item_trailer);
        out.push(class, keep_keys.then_some(key), &mut interned);
        if i % 1024 == 1023 {
            bar.inc(1024);
        }
    }
    Ok(out)
}

/// Decode the messages of `ids` across the available cores, in the walk's
/// order (which is close to the pack's, so reads stay sequential): one
/// [`Decoded`] per consecutive run of `ids`.
fn decode_all(
    git: &GitRepo,
    ids: &[ObjectId],
    classifier: &Classifier,
    item_trailer: &str,
    keep_keys: bool,
    bar: &indicatif::ProgressBar,
) -> Result<Vec<Decoded>, HistoryError> {
    on_every_core(git, ids, |repo, _, part| {
        decode_chunk(repo, part, classifier, item_trailer, keep_keys, bar)
    })
    .map_err(|f| f.into_error(git))
}

/// The class of remembered classification inputs, or `None` when the cache
/// does not hold them (the commit is then decoded again).
fn replay(cache: &HistoryCache, (ty, item): (u32, u32), classifier: &Classifier) -> Option<Class> {
    let string = |i: u32| match i {
        u32::MAX => Some(None),
        i => cache.lookup(i).map(Some),
    };
    let key = MessageKey {
        ty: string(ty)?,
        item: string(item)?,
    };
    Some(classifier.classify_key(&key))
}

/// Classify each commit by its message: inputs the walk already read or the
/// history cache remembers where there are any, the others decoded in
/// parallel (and remembered).
pub fn classify<'c>(
    git: &GitRepo,
    commits: &[&'c WalkedCommit],
    classifier: &Classifier,
    item_trailer: &str,
    progress: bool,
    read: &gix::hashtable::HashMap<ObjectId, MessageKey>,
    mut cache: Option<&mut HistoryCache>,
) -> Result<Vec<(&'c WalkedCommit, Class)>, HistoryError> {
    let mut classes: Vec<Option<Class>> = vec![None; commits.len()];
    if !read.is_empty() {
        for (slot, c) in classes.iter_mut().zip(commits) {
            if let Some(key) = read.get(&c.id) {
                *slot = Some(classifier.classify_key(key));
                if let Some(cache) = cache.as_deref_mut() {
                    cache.set_message(&c.id, key);
                }
            }
        }
    }
    if let Some(cache) = cache.as_deref() {
        let mut memo: HashMap<(u32, u32), Option<Class>> = HashMap::new();
        for (slot, c) in classes.iter_mut().zip(commits) {
            if slot.is_some() {
                continue;
            }
            if let Some(key) = cache.message(&c.id) {
                *slot = *memo
                    .entry(key)
                    .or_insert_with(|| replay(cache, key, classifier));
            }
        }
    }
    let todo: Vec<usize> = (0..commits.len())
        .filter(|&i| classes[i].is_none())
        .collect();
    if !todo.is_empty() {
        let ids: Vec<ObjectId> = todo.iter().map(|&i| commits[i].id).collect();
        let bar = progress_bar(ids.len(), progress, "classifying");
        let decoded = decode_all(git, &ids, classifier, item_trailer, cache.is_some(), &bar)?;
        bar.finish_and_clear();
        let mut todo = todo.into_iter();
        for part in decoded {
            let strings: Vec<u32> = match cache.as_deref_mut() {
                Some(cache) => part.strings.iter().map(|s| cache.intern(s)).collect(),
                None => Vec::new(),
            };
            let string = |i: u32| strings.get(i as usize).copied().unwrap_or(u32::MAX);
            for (n, (class, i)) in part.classes.into_iter().zip(&mut todo).enumerate() {
                classes[i] = Some(class);
                if let (Some(cache), Some(&(ty, item))) = (cache.as_deref_mut(), part.keys.get(n)) {
                    cache.set_message_ids(&commits[i].id, string(ty), string(item));
                }
            }
        }
    }
    Ok(commits
        .iter()
        .zip(classes)
        .map(|(c, class)| (*c, class.unwrap_or(Class::Unclassified)))
        .collect())
}
