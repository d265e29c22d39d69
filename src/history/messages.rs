//! Commit objects: their inputs (message and author) decoded on every core
//! (by the git layer's [`decode_commits`]), and only for commits that
//! neither the walk nor the history cache already know.

use super::cache::HistoryCache;
use super::classify::MessageKey;
use super::error::HistoryError;
use super::keys::{KeyIds, KeyTable, Remap};
use crate::git::commit::WalkedCommit;
use crate::git::decode::decode_commits;
use crate::git::GitRepo;
use gix::ObjectId;
use std::io::IsTerminal;

/// A progress bar on standard error when it is a terminal and the walk is long.
pub(super) fn progress_bar(
    len: usize,
    enabled: bool,
    what: &'static str,
) -> indicatif::ProgressBar {
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

/// The inputs of the commits of one run of ids, interned in their own table.
#[derive(Default)]
struct Decoded {
    table: KeyTable,
    keys: Vec<KeyIds>,
}

/// The inputs of each commit (see [`MessageKey`]), in the order of `commits`,
/// interned in the history cache's table when there is a cache, else in
/// `local`: those the walk already read or the cache remembers where there
/// are any, the others decoded in parallel (and remembered).
pub(super) fn read_inputs(
    git: &GitRepo,
    commits: &[&WalkedCommit],
    item_trailer: &str,
    progress: bool,
    read: &gix::hashtable::HashMap<ObjectId, MessageKey>,
    mut cache: Option<&mut HistoryCache>,
    local: &mut KeyTable,
) -> Result<Vec<KeyIds>, HistoryError> {
    // Each commit's place in the cache, found once (a hash lookup each).
    let places: Vec<Option<u32>> = match cache.as_deref() {
        Some(cache) => commits.iter().map(|c| cache.position(&c.id)).collect(),
        None => vec![None; commits.len()],
    };
    let mut keys: Vec<Option<KeyIds>> = match cache.as_deref() {
        Some(cache) => places
            .iter()
            .map(|p| p.and_then(|p| cache.message_at(p)))
            .collect(),
        None => vec![None; commits.len()],
    };
    if !read.is_empty() {
        for ((slot, c), place) in keys.iter_mut().zip(commits).zip(&places) {
            if let (None, Some(key)) = (&slot, read.get(&c.id)) {
                let cached = match (cache.as_deref_mut(), place) {
                    (Some(cache), Some(p)) => cache.set_message_at(*p, key),
                    _ => None,
                };
                *slot = Some(cached.unwrap_or_else(|| local.ids(key)));
            }
        }
    }
    let todo: Vec<usize> = (0..commits.len()).filter(|&i| keys[i].is_none()).collect();
    if !todo.is_empty() {
        let ids: Vec<ObjectId> = todo.iter().map(|&i| commits[i].id).collect();
        let bar = progress_bar(ids.len(), progress, "classifying");
        let decoded: Vec<Decoded> = decode_commits(
            git,
            &ids,
            |out: &mut Decoded, data| {
                let key = MessageKey::parse_commit(data, item_trailer);
                let ids = out.table.ids_moving(key);
                out.keys.push(ids);
            },
            |n| bar.inc(n),
        )?;
        bar.finish_and_clear();
        let mut todo = todo.into_iter();
        for mut part in decoded {
            let mut remap = Remap::default();
            for (ids, i) in std::mem::take(&mut part.keys).into_iter().zip(&mut todo) {
                let ids = match cache.as_deref_mut() {
                    Some(cache) => {
                        let ids = cache.keys_mut().adopt(&mut part.table, &mut remap, ids);
                        if let Some(p) = places[i] {
                            cache.set_message_ids_at(p, ids);
                        }
                        ids
                    }
                    None => local.adopt(&mut part.table, &mut remap, ids),
                };
                keys[i] = Some(ids);
            }
        }
        // The per-run tables just dropped held every subject once more.
        crate::git::mapped::release_free_heap();
    }
    keys.into_iter()
        .map(|k| k.ok_or_else(|| HistoryError::Read("a commit's message was not read".into())))
        .collect()
}
