//! Reading objects on every core: the thread pool and its repository handles.

use super::error::GitError;
use super::repo::GitRepo;
use gix::ObjectId;

/// Why a thread could not read an object.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    Missing(ObjectId, Option<String>),
    Other(ObjectId, String),
}

impl ReadFailure {
    pub(crate) fn of(
        id: ObjectId,
        path: Option<&str>,
        e: impl std::fmt::Display,
        not_found: bool,
    ) -> Self {
        if not_found {
            ReadFailure::Missing(id, path.map(str::to_string))
        } else {
            ReadFailure::Other(id, e.to_string())
        }
    }

    pub(crate) fn into_error(self, git: &GitRepo) -> GitError {
        match self {
            ReadFailure::Missing(id, path) => GitError::MissingObject {
                id: id.to_string(),
                path,
                partial: git.is_partial_clone(),
            },
            ReadFailure::Other(id, e) => GitError::Read(format!(
                "{id}: {e}; pass --no-history to skip the history rules"
            )),
        }
    }
}

/// How many threads to use for `n` independent object reads.
pub(crate) fn threads_for(n: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(8).min(n.div_ceil(2048)).max(1)
}

/// A repository handle for a worker thread: no object cache (each object
/// is read once), and a hash-map delta-base cache (trees are long delta
/// chains; the default 64-entry list cache spends its time searching itself).
pub(crate) fn worker_repo(git: &GitRepo) -> gix::Repository {
    let mut repo = git.repo.clone();
    repo.object_cache_size(0);
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            DELTA_CACHE_BYTES,
        ))
    });
    repo
}

/// Whether the objects `newer` and `older` (say, the root trees of a newer
/// and an older commit) lie in one pack with `older` first, as `git
/// fast-import` and other importers write them.
///
/// A delta's base always precedes it in a pack, and the pack cache keeps
/// each object it decodes, so reading objects in pack order resolves every
/// delta against the object read just before instead of walking its whole
/// chain: newest first for packs written by `git gc` or a clone, oldest
/// first for imported ones.
pub(crate) fn stored_oldest_first(
    repo: &gix::Repository,
    newer: ObjectId,
    older: ObjectId,
) -> Result<bool, ReadFailure> {
    use gix::odb::pack::Find as _;
    let locate = |id: ObjectId| -> Result<Option<(u32, u64)>, ReadFailure> {
        let mut buf = Vec::new();
        let found = repo
            .objects
            .try_find_cached(&id, &mut buf, &mut gix::odb::pack::cache::Never)
            .map_err(|e| ReadFailure::Other(id, e.to_string()))?;
        Ok(found
            .and_then(|(_, location)| location)
            .map(|l| (l.pack_id, l.pack_offset)))
    };
    Ok(match (locate(newer)?, locate(older)?) {
        (Some((pack_new, new)), Some((pack_old, old))) => pack_new == pack_old && old < new,
        _ => false,
    })
}

/// Delta-base cache per worker thread. 4 MiB, not 8: interleaved runs on
/// angular-cli, git/git, the generated 100k repository and the monorepo
/// were no slower with it, and peak memory 6 to 10 MB lower (the caches of
/// both workers were a third of git/git's heap at its peak).
pub(crate) const DELTA_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// Run `work` over consecutive runs of `items` on the available cores. Each
/// thread, with its own repository handle, takes the next run when it is
/// done with one, so no core idles while another finishes a long tail.
/// `work` gets each run's offset in `items`; the results come back in the
/// order of the runs.
pub(crate) fn on_every_core<T: Sync, R: Send>(
    git: &GitRepo,
    items: &[T],
    work: impl Fn(&gix::Repository, usize, &[T]) -> Result<R, ReadFailure> + Sync,
) -> Result<Vec<R>, ReadFailure> {
    let threads = threads_for(items.len());
    // The pack pages each run read leave the resident set after it.
    let packs = super::mapped::Packs::of(git.repo.objects.store_ref().path());
    if threads == 1 {
        let done = work(&worker_repo(git), 0, items)?;
        packs.release();
        return Ok(vec![done]);
    }
    let runs = (threads * 8).min(items.len().div_ceil(1024)).max(threads);
    let size = items.len().div_ceil(runs);
    let chunks: Vec<&[T]> = items.chunks(size).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (chunks, next, work, packs) = (&chunks, &next, &work, &packs);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let repo = worker_repo(git);
                s.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(chunk) = chunks.get(i) else {
                            return Ok(done);
                        };
                        done.push((i, work(&repo, i * size, chunk)?));
                        packs.release();
                    }
                })
            })
            .collect();
        let mut all = Vec::with_capacity(chunks.len());
        for h in handles {
            match h.join() {
                Ok(part) => all.extend(part?),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        Ok::<_, ReadFailure>(all)
    })?;
    done.sort_unstable_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}
