//! What the git hooks of the sign-off gate need to know from the repository:
//! the commit being made (its parents during a merge, its committer time),
//! the commits a ref update brings onto a branch, and where hooks live.

use super::error::GitError;
use super::repo::GitRepo;
use gix::ObjectId;
use std::path::PathBuf;

/// Reflog entries of HEAD that count as already seen (a reset back to one
/// of them brings nothing new).
const REFLOG_ENTRIES: usize = 1000;

/// Bytes of a small file git writes (`MERGE_HEAD`) that are read.
const SMALL_FILE: u64 = 64 * 1024;

impl GitRepo {
    /// The git directory.
    pub fn git_dir(&self) -> PathBuf {
        self.repo.git_dir().to_path_buf()
    }

    /// Where git looks for hooks: `core.hooksPath` (relative to the work
    /// tree, `~/` expanded), else `hooks` in the common git directory.
    pub fn hooks_dir(&self) -> PathBuf {
        let snap = self.repo.config_snapshot();
        if let Some(p) = snap.string("core.hooksPath") {
            let p = p.to_string();
            if let Some(rest) = p.strip_prefix("~/") {
                if let Some(home) = std::env::var_os("HOME") {
                    return PathBuf::from(home).join(rest);
                }
            }
            let path = PathBuf::from(&p);
            return if path.is_absolute() {
                path
            } else {
                self.root().join(path)
            };
        }
        self.repo.common_dir().join("hooks")
    }

    /// Whether the index tracks a file at or under `dir` (a directory in
    /// the work tree): hooks there are the team's, shared through git.
    pub fn tracks_under(&self, dir: &std::path::Path) -> bool {
        let (Ok(dir), Ok(root)) = (
            std::fs::canonicalize(dir),
            std::fs::canonicalize(self.root()),
        ) else {
            return false;
        };
        let Ok(rel) = dir.strip_prefix(&root) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let Ok(index) = self.repo.index_or_empty() else {
            return false;
        };
        index.entries().iter().any(|e| {
            let path = String::from_utf8_lossy(e.path(&index).as_ref());
            rel.is_empty() || path == rel.as_str() || path.starts_with(&format!("{rel}/"))
        })
    }

    /// The parents of commit `id` (none when it cannot be read).
    pub fn parents_of(&self, id: ObjectId) -> Vec<ObjectId> {
        self.repo
            .find_commit(id)
            .map(|c| c.parent_ids().map(|p| p.detach()).collect())
            .unwrap_or_default()
    }

    /// The other parents of the merge being committed (`MERGE_HEAD`), if any.
    pub fn merge_heads(&self) -> Vec<ObjectId> {
        use std::io::Read;
        let path = self.repo.git_dir().join("MERGE_HEAD");
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Vec::new();
        };
        if !meta.is_file() {
            return Vec::new();
        }
        let mut text = String::new();
        let read =
            std::fs::File::open(&path).and_then(|f| f.take(SMALL_FILE).read_to_string(&mut text));
        if read.is_err() {
            return Vec::new();
        }
        text.lines()
            .filter_map(|l| ObjectId::from_hex(l.trim().as_bytes()).ok())
            .collect()
    }

    /// The committer time (seconds) git will give the commit being made:
    /// `GIT_COMMITTER_DATE` when set (in any format git reads), else `now`.
    pub fn committer_time_now(now: i64) -> i64 {
        std::env::var("GIT_COMMITTER_DATE")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| gix::date::parse(s.trim(), None).ok())
            .map_or(now, |t| t.seconds)
    }

    /// The commits reachable from `tips` that no ref (other than replace
    /// refs), HEAD or a recent HEAD reflog entry reaches: what a ref update
    /// brings in that was never on a branch. Oldest first.
    pub fn new_commits(&self, tips: &[ObjectId]) -> Result<Vec<ObjectId>, GitError> {
        let is_commit = |id: ObjectId| {
            self.repo
                .find_header(id)
                .is_ok_and(|h| h.kind() == gix::object::Kind::Commit)
        };
        let mut hidden: Vec<ObjectId> = Vec::new();
        let refs = self
            .repo
            .references()
            .map_err(|e| GitError::git("listing refs", e))?;
        for r in refs.all().map_err(|e| GitError::git("listing refs", e))? {
            let Ok(mut r) = r else { continue };
            if r.name().as_bstr().starts_with(b"refs/replace/") {
                continue;
            }
            if let Ok(id) = r.peel_to_id() {
                hidden.push(id.detach());
            }
        }
        if let Ok(id) = self.repo.head_id() {
            hidden.push(id.detach());
        }
        if let Ok(head) = self.repo.head() {
            let mut log = head.log_iter();
            if let Ok(Some(lines)) = log.rev() {
                for line in lines.take(REFLOG_ENTRIES).flatten() {
                    hidden.push(line.new_oid);
                }
            }
        }
        hidden.retain(|id| is_commit(*id));
        hidden.sort();
        hidden.dedup();
        let walk = self
            .repo
            .rev_walk(tips.iter().copied())
            .use_commit_graph(self.graph_sound())
            .with_hidden(hidden)
            .all()
            .map_err(|e| GitError::git("listing refs", e))?;
        let mut out = Vec::new();
        for info in walk {
            out.push(info.map_err(|e| GitError::git("listing refs", e))?.id);
        }
        out.reverse();
        Ok(out)
    }
}
