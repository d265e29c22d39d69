//! The git layer: opening a repository safely, and reading what it holds
//! (refs, commits, trees, blobs, the index, the commit-graph) within bounds.
//!
//! Repositories are opened here only (`discover`, `init`, the hooks, the
//! language server and the history scan all call [`GitRepo::open`]), and
//! the commit walk, path changes, tree diffs, the commit-graph, `.mailmap`
//! and commit messages are read here. It knows nothing of roadmaps, rules
//! or the history cache: what those need of a read (how a message is
//! classified, what is remembered between runs) is passed in as a closure
//! or kept by the caller. Nothing outside this module reads through the
//! gix handle (`GitRepo::repo`): elsewhere gix appears only as data types
//! (object ids, its hash tables, byte strings) and in the parsing of commit
//! message text (`history::classify`).

pub(crate) mod bloom;
pub(crate) mod chains;
pub(crate) mod commit;
pub(crate) mod corrected;
pub(crate) mod decode;
mod delta_cache;
mod error;
mod gitdir;
pub(crate) mod graph;
mod hooks;
mod id_search;
mod identity;
pub(crate) mod index;
pub(crate) mod mailmap;
pub(crate) mod mapped;
pub(crate) mod message;
pub(crate) mod packed;
pub(crate) mod paths;
pub(crate) mod reads;
mod repo;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod top_entries;
pub(crate) mod tree_diff;
pub(crate) mod tree_reader;
pub(crate) mod walk;
pub(crate) mod workers;

pub use commit::WalkedCommit;
pub use error::GitError;
pub use gix::ObjectId;
pub(crate) use repo::TreeEntry;
pub use repo::{GitRepo, Head, Opened};
