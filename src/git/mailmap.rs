//! `.mailmap`: one person is one person, whatever addresses they used.
//!
//! Plan vs actual counts people (author-days, an item's authors) and leaves
//! some out (`ignore_authors`); a person who committed under two addresses
//! would otherwise count twice on a day they used both. The `.mailmap` read
//! is the one of the tip's tree (what the repository says, not the work
//! tree's copy or a `mailmap.file` setting), so every clone counts alike.

use super::error::GitError;
use super::repo::GitRepo;
use crate::fnv::fnv;
use crate::limits::MAX_MESSAGE_BYTES;
use gix::bstr::{BStr, ByteSlice};
use gix::ObjectId;
use std::borrow::Cow;

/// The path of the mailmap in a tree.
const PATH: &str = ".mailmap";

/// A repository's mailmap, with a hash of its text (part of every question
/// whose answer it changes).
pub(crate) struct Mailmap {
    snapshot: gix::mailmap::Snapshot,
    /// FNV-1a hash of the file's bytes.
    pub(crate) hash: u64,
}

impl Mailmap {
    /// The mailmap of `text` (`.mailmap` syntax; lines git would not read are
    /// skipped, as git skips them).
    pub(crate) fn from_bytes(text: &[u8]) -> Mailmap {
        Mailmap {
            snapshot: gix::mailmap::Snapshot::from_bytes(text),
            hash: fnv(&[text]),
        }
    }

    /// The `.mailmap` of `commit`'s tree, if it holds one as a regular file;
    /// `roots` holds root trees already known (the walk's).
    pub(crate) fn at(
        git: &GitRepo,
        commit: ObjectId,
        roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
    ) -> Result<Option<Mailmap>, GitError> {
        let tree = match root_tree(git, commit, roots)? {
            Some(tree) => tree,
            // A commit too large to read cheaply, with its tree known
            // nowhere else: read it whole, once.
            None => git.tree_of(commit)?,
        };
        Self::in_tree(git, tree)
    }

    /// The `.mailmap` of `commit`'s tree, when its root tree is known without
    /// reading a huge commit object: `Ok(None)` when it is not known so, else
    /// `Ok(Some(mailmap, if any))`.
    pub(crate) fn at_cheaply(
        git: &GitRepo,
        commit: ObjectId,
    ) -> Result<Option<Option<Mailmap>>, GitError> {
        match root_tree(git, commit, &Default::default())? {
            Some(tree) => Self::in_tree(git, tree).map(Some),
            None => Ok(None),
        }
    }

    /// The `.mailmap` at the top of `tree`.
    fn in_tree(git: &GitRepo, tree: ObjectId) -> Result<Option<Mailmap>, GitError> {
        let Some(blob) = git.blob_id_at(tree, PATH)? else {
            return Ok(None);
        };
        Ok(match git.blob(blob, PATH)? {
            Ok(bytes) => Some(Mailmap::from_bytes(&bytes)),
            // Too large to be a mailmap anyone keeps by hand: not read.
            Err(_) => None,
        })
    }

    /// The canonical `(name, email)` of `name <email>`, as git's `%aN` and
    /// `%aE` show it: unchanged when no entry matches.
    pub(crate) fn canonical<'a>(
        &self,
        name: &'a str,
        email: &'a str,
    ) -> (Cow<'a, str>, Cow<'a, str>) {
        let signature = gix::actor::SignatureRef {
            name: BStr::new(name),
            email: BStr::new(email),
            time: "",
        };
        match self.snapshot.try_resolve_ref(signature) {
            None => (Cow::Borrowed(name), Cow::Borrowed(email)),
            Some(found) => (
                found.name.map_or(Cow::Borrowed(name), |n| {
                    Cow::Owned(n.to_str_lossy().into_owned())
                }),
                found.email.map_or(Cow::Borrowed(email), |e| {
                    Cow::Owned(e.to_str_lossy().into_owned())
                }),
            ),
        }
    }
}

/// The root tree of `commit` from `roots`, the commit-graph, or the commit
/// object when it is at most [`MAX_MESSAGE_BYTES`]; `None` otherwise (a
/// huge commit is not inflated just for its tree).
fn root_tree(
    git: &GitRepo,
    commit: ObjectId,
    roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
) -> Result<Option<ObjectId>, GitError> {
    use gix::prelude::{Find, Header};
    if let Some(tree) = roots.get(&commit) {
        return Ok(Some(*tree));
    }
    let graph = git.commit_graph();
    if let Some(c) = graph.as_ref().and_then(|g| g.commit_by_id(commit)) {
        return Ok(Some(c.root_tree_id().to_owned()));
    }
    let header = git
        .repo
        .objects
        .try_header(&commit)
        .map_err(|e| GitError::git(commit, e))?;
    if header.is_none_or(|h| h.size() > MAX_MESSAGE_BYTES as u64) {
        return Ok(None);
    }
    let mut buf = Vec::new();
    match git.repo.objects.try_find(&commit, &mut buf) {
        Ok(Some(d)) if d.kind == gix::object::Kind::Commit => {
            gix::objs::CommitRefIter::from_bytes(d.data, commit.kind())
                .tree_id()
                .map(Some)
                .map_err(|e| GitError::git(commit, e))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_emails_map_as_git_maps_them() {
        let map = Mailmap::from_bytes(
            b"# comment\n\
              Dana Scully <dana@example.com> <dana@old.example.com>\n\
              <lee@example.com> <LEE@Work.example.com>\n\
              Kim <kim@example.com> Kimmy <kim@home.example.com>\n",
        );
        let c = |n, e| {
            let (n, e) = map.canonical(n, e);
            (n.into_owned(), e.into_owned())
        };
        assert_eq!(
            c("dana", "dana@old.example.com"),
            ("Dana Scully".into(), "dana@example.com".into())
        );
        assert_eq!(
            c("Lee", "lee@work.example.com"),
            ("Lee".into(), "lee@example.com".into()),
            "emails match case-insensitively; the name is kept"
        );
        assert_eq!(
            c("Kimmy", "kim@home.example.com"),
            ("Kim".into(), "kim@example.com".into())
        );
        assert_eq!(
            c("Other", "kim@home.example.com"),
            ("Other".into(), "kim@home.example.com".into()),
            "a name-and-email entry needs both"
        );
        assert_eq!(
            c("Zed", "zed@example.com"),
            ("Zed".into(), "zed@example.com".into())
        );
    }
}
