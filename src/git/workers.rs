//! Reading objects on every core: the thread pool and its repository handles.

use super::commit::WalkedCommit;
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
/// is read once), and a delta-base cache of the objects resolved last (see
/// [`super::delta_cache`]).
pub(crate) fn worker_repo(git: &GitRepo) -> gix::Repository {
    let mut repo = git.repo.clone();
    repo.object_cache_size(0);
    repo.objects.set_pack_cache(|| {
        Box::new(super::delta_cache::RecentObjects::<
            { super::delta_cache::SLOTS },
        >::new(super::delta_cache::DELTA_CACHE_BYTES))
    });
    repo
}

/// Pairs of trees [`stored_against_history`] compares.
const DEPTH_SAMPLE: usize = 32;

/// Whether trees are stored against history, as `git fast-import` and
/// other importers write them: each version a delta on the one before, so
/// reading newest first resolves a whole delta chain per tree. `git gc` and
/// a clone's pack store the newest versions whole and older ones as deltas
/// on them. Told from up to [`DEPTH_SAMPLE`] pairs of a commit's root tree
/// and its parent's (`pairs`, newest first): the child's chain is the
/// deeper in at least three pairs of four whose depths differ. Only pack
/// headers are read; a loose tree counts as whole.
pub(crate) fn stored_against_history(
    repo: &gix::Repository,
    pairs: impl Iterator<Item = (ObjectId, ObjectId)>,
) -> Result<bool, ReadFailure> {
    use gix::odb::Header as _;
    let depth = |id: ObjectId| -> Result<u32, ReadFailure> {
        let header = repo
            .objects
            .try_header(&id)
            .map_err(|e| ReadFailure::Other(id, e.to_string()))?;
        Ok(header.and_then(|h| h.num_deltas()).unwrap_or(0))
    };
    let (mut deeper, mut compared) = (0usize, 0usize);
    for (child, parent) in pairs.filter(|(c, p)| c != p).take(DEPTH_SAMPLE) {
        let (c, p) = (depth(child)?, depth(parent)?);
        if c != p {
            compared += 1;
            deeper += usize::from(c > p);
        }
    }
    Ok(compared > 0 && deeper * 4 >= compared * 3)
}

/// Whether the root trees of `commits` (newest first) are stored against
/// history (see [`stored_against_history`]): then a pass reads them oldest
/// first, each tree's base read just before it. `roots` gives a commit's
/// root tree and its first parent's (`None` for a commit without either).
/// Asked once per pass, of its first commits: a pack stores all its
/// history alike.
pub(crate) fn bases_are_older(
    repo: &gix::Repository,
    commits: &[&WalkedCommit],
    mut roots: impl FnMut(&WalkedCommit) -> Result<Option<(ObjectId, ObjectId)>, ReadFailure>,
) -> Result<bool, ReadFailure> {
    let mut pairs = Vec::with_capacity(DEPTH_SAMPLE);
    for c in commits {
        if let Some((tree, parent)) = roots(c)? {
            if tree != parent {
                pairs.push((tree, parent));
            }
        }
        if pairs.len() == DEPTH_SAMPLE {
            break;
        }
    }
    stored_against_history(repo, pairs.into_iter())
}

/// Which mapped pages a run of [`on_every_core`] drops from the resident
/// set when it ends (see [`super::mapped`]); every pack page goes when the
/// pass ends.
#[derive(Clone, Copy)]
pub(crate) enum AfterRun {
    /// The pages of the packs and their indexes.
    DropAll,
    /// The pages of the packs only: for a pass that looks up most objects
    /// it reads, at random places of the indexes, and would fault the same
    /// index pages back in on every run.
    KeepIndexes,
}

/// Run `work` over consecutive runs of `items` on the available cores. Each
/// thread, with its own repository handle, takes the next run when it is
/// done with one, so no core idles while another finishes a long tail.
/// `work` gets each run's offset in `items`; the results come back in the
/// order of the runs.
pub(crate) fn on_every_core<T: Sync, R: Send>(
    git: &GitRepo,
    items: &[T],
    after_run: AfterRun,
    work: impl Fn(&gix::Repository, usize, &[T]) -> Result<R, ReadFailure> + Sync,
) -> Result<Vec<R>, ReadFailure> {
    let threads = threads_for(items.len());
    // The pack pages each run read leave the resident set after it.
    let packs = super::mapped::Packs::of(git.repo.objects.store_ref().path());
    let released = |packs: &super::mapped::Packs| match after_run {
        AfterRun::DropAll => packs.release(),
        AfterRun::KeepIndexes => packs.release_packs(),
    };
    if threads == 1 {
        let done = work(&worker_repo(git), 0, items)?;
        packs.release();
        return Ok(vec![done]);
    }
    let runs = (threads * 8).min(items.len().div_ceil(1024)).max(threads);
    let size = items.len().div_ceil(runs);
    let chunks: Vec<&[T]> = items.chunks(size).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (chunks, next, work, packs, released) = (&chunks, &next, &work, &packs, &released);
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
                        released(packs);
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
    packs.release();
    // What the threads' delta-base caches held goes back to the system.
    super::mapped::release_free_heap();
    done.sort_unstable_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}

/// The order a pass that compares each of `commits` with its first parent
/// reads them in: each one followed by its first parent when that is among
/// them and not read yet, and so on down the line. The root tree one
/// comparison reads as the older is then the next one's newer, still kept;
/// in the walk's order a commit's parent is often many commits of other
/// branches away.
pub(crate) fn first_parent_runs(commits: &[&WalkedCommit]) -> Vec<usize> {
    let at: gix::hashtable::HashMap<ObjectId, usize> =
        commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut seen = vec![false; commits.len()];
    let mut order = Vec::with_capacity(commits.len());
    for start in 0..commits.len() {
        let mut next = Some(start);
        while let Some(i) = next.filter(|&i| !seen[i]) {
            seen[i] = true;
            order.push(i);
            next = commits[i].first_parent.and_then(|p| at.get(&p).copied());
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::git;
    use crate::git::Opened;
    use std::io::Write as _;

    /// Sixty commits, each changing one of thirty files, as `git
    /// fast-import` stores them: every tree a delta on the one before.
    fn imported(dir: &std::path::Path) {
        git(dir, &["init", "-q", "-b", "main"], "2025-01-01T00:00:00Z");
        let mut stream = String::new();
        for i in 0..60 {
            stream += &format!(
                "commit refs/heads/main\ncommitter T <t@example.com> {} +0000\ndata 2\nc\n",
                1_700_000_000 + i
            );
            for f in (0..30).filter(|f| i == 0 || *f == i % 30) {
                let body = format!("{f} {i}\n");
                stream += &format!("M 100644 inline f{f:02}\ndata {}\n{body}", body.len());
            }
            stream += "\n";
        }
        let mut child = std::process::Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(["fast-import", "--quiet"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("git fast-import runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stream.as_bytes())
            .expect("stream written");
        assert!(child.wait().expect("fast-import ends").success());
    }

    /// (root tree, parent's root tree) of each commit, newest first.
    fn pairs(dir: &std::path::Path) -> Vec<(ObjectId, ObjectId)> {
        let at = "2025-01-01T00:00:00Z";
        let ids = git(dir, &["rev-list", "--first-parent", "main"], at);
        let ids: Vec<&str> = ids.lines().collect();
        let tree = |c: &str| {
            ObjectId::from_hex(git(dir, &["rev-parse", &format!("{c}^{{tree}}")], at).as_bytes())
                .expect("a tree id")
        };
        ids.windows(2).map(|w| (tree(w[0]), tree(w[1]))).collect()
    }

    fn against_history(dir: &std::path::Path) -> bool {
        let Ok(Opened::Repo(repo)) = GitRepo::open(dir) else {
            panic!("the repository opens");
        };
        stored_against_history(&repo.repo, pairs(dir).into_iter()).expect("headers read")
    }

    #[test]
    fn an_imported_pack_is_told_from_a_repacked_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        imported(dir.path());
        assert!(against_history(dir.path()), "fast-import: newest deepest");
        git(dir.path(), &["repack", "-adfq"], "2025-01-01T00:00:00Z");
        assert!(!against_history(dir.path()), "repacked: newest whole");
        assert!(!stored_against_history(
            &match GitRepo::open(dir.path()) {
                Ok(Opened::Repo(r)) => r.repo,
                _ => panic!("the repository opens"),
            },
            std::iter::empty()
        )
        .expect("nothing read"));
    }

    /// Each commit comes once, right before its first parent unless that
    /// parent came already or is not among them; runs start in the given
    /// order.
    #[test]
    fn commits_are_compared_down_their_first_parent_lines() {
        let id = |n: u8| ObjectId::from_bytes_or_panic(&[n; 20]);
        let commit = |n: u8, parent: Option<u8>| WalkedCommit {
            id: id(n),
            time: 0,
            parents: u32::from(parent.is_some()),
            first_parent: parent.map(id),
            graph_position: None,
        };
        // Two branches interleaved by date, merged at 1 (whose first
        // parent is 3); 9's parent is not among them.
        let commits = [
            commit(1, Some(3)),
            commit(2, Some(4)),
            commit(3, Some(5)),
            commit(4, Some(5)),
            commit(5, Some(6)),
            commit(6, Some(9)),
        ];
        let refs: Vec<&WalkedCommit> = commits.iter().collect();
        assert_eq!(first_parent_runs(&refs), [0, 2, 4, 5, 1, 3]);
        assert!(first_parent_runs(&[]).is_empty());
    }
}
