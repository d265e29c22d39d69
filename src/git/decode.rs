//! Commit objects read on every core, each handed to the caller's decoder.
//!
//! Decoding messages is the bulk of a cold scan (every commit object must be
//! inflated), so it runs on every core ([`on_every_core`]); what is made of
//! a commit (the history's classification inputs) is the caller's.

use super::error::GitError;
use super::packed::{Located, PackedReader};
use super::repo::GitRepo;
use super::workers::{on_every_core, AfterRun, ReadFailure};
use gix::ObjectId;

/// Decode the commits `ids` (a run of the ids `located` was asked for,
/// read from their packs where it found them, else on the repository
/// handle) into one `S`, calling `tick` after every 1024.
fn decode_run<S: Default>(
    repo: &gix::Repository,
    mut packed: PackedReader<'_>,
    ids: &[ObjectId],
    decode: &(impl Fn(&mut S, &[u8]) + Sync),
    tick: &(impl Fn(u64) + Sync),
) -> Result<S, ReadFailure> {
    use gix::prelude::Find;
    let mut buf = Vec::new();
    let mut out = S::default();
    for (i, id) in ids.iter().enumerate() {
        let found = match packed.read(i, &mut buf) {
            Some(d) => Ok(Some(d)),
            None => repo.objects.try_find(id, &mut buf),
        };
        let data = match found {
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
        decode(&mut out, data.data);
        if i % 1024 == 1023 {
            tick(1024);
        }
    }
    Ok(out)
}

/// Decode the commits `ids` across the available cores, in the walk's order
/// (which is close to the pack's, so reads stay sequential): `decode` gets
/// each raw commit object in turn, into one `S` per consecutive run of `ids`
/// (the runs in order); `tick` counts the commits read, for a progress bar.
/// Their places in the packs are found first, all at once (see
/// [`super::packed`]).
pub(crate) fn decode_commits<S: Default + Send>(
    git: &GitRepo,
    ids: &[ObjectId],
    decode: impl Fn(&mut S, &[u8]) + Sync,
    tick: impl Fn(u64) + Sync,
) -> Result<Vec<S>, GitError> {
    let objects = git.repo.objects.store_ref().path();
    let located = Located::find(git.packs(), ids);
    // The index pages the search went through leave the resident set.
    super::mapped::Packs::of(objects).release();
    // The objects' places were found up front: the runs ask no index.
    on_every_core(git, ids, AfterRun::DropAll, |repo, offset, part| {
        decode_run(repo, located.reader(offset), part, &decode, &tick)
    })
    .map_err(|f| f.into_error(git))
}
