//! The git layer: opening a repository safely, and reading what it holds
//! (refs, commits, trees, blobs, the index, the commit-graph) within bounds.
//!
//! The only module that uses gix directly for reading objects: the history
//! facts, the cache and the gate above it ask here, and `discover`, `init`
//! and the language server open repositories here. It knows nothing of
//! roadmaps, rules or the history cache: what they need of a read (how a
//! message is classified, what is remembered between runs) is passed in.

pub(crate) mod bloom;
pub(crate) mod commit;
pub(crate) mod corrected;
pub(crate) mod decode;
mod error;
pub(crate) mod graph;
pub(crate) mod mailmap;
pub(crate) mod mapped;
pub(crate) mod message;
pub(crate) mod paths;
mod repo;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod tree_diff;
pub(crate) mod walk;
pub(crate) mod workers;

pub use commit::WalkedCommit;
pub use error::GitError;
pub use gix::ObjectId;
pub use repo::{GitRepo, Head, Opened};
