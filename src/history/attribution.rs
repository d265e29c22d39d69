//! Which `[[roadmap]]`s a commit's changed paths belong to (SPEC §9.8).
//!
//! A commit that links no item counts for the roadmaps whose `code` globs
//! match a path it changes. Root trees are compared first and a directory is
//! entered only while some roadmap not yet matched could hold a path inside
//! it, so a commit confined to one team's folder costs a few tree reads; the
//! answer is a bit set, one bit per roadmap (at most [`MAX_ROADMAPS`]).

use super::commit::WalkedCommit;
use super::error::HistoryError;
use super::planning::Reader;
use super::repo::GitRepo;
use super::workers::{on_every_core, ReadFailure};
use gix::bstr::ByteSlice;
use gix::ObjectId;

/// The most roadmaps a repository may declare for attribution by path.
pub(crate) const MAX_ROADMAPS: usize = 32;

/// The `code` globs of every roadmap, compiled once.
pub(crate) struct CodePaths {
    sets: Vec<globset::GlobSet>,
    /// The literal directory prefix of each roadmap's globs.
    prefixes: Vec<Vec<String>>,
    /// The directories whose whole content a roadmap's globs match
    /// (`dir/**`): a change anywhere below is that roadmap's, without
    /// reading further down.
    whole: Vec<Vec<String>>,
}

impl CodePaths {
    /// The code globs of each roadmap, in declaration order.
    pub(crate) fn new(code: &[Vec<String>]) -> Self {
        CodePaths {
            sets: code
                .iter()
                .take(MAX_ROADMAPS)
                .map(|g| crate::globs::compile(g).unwrap_or_else(|_| globset::GlobSet::empty()))
                .collect(),
            prefixes: code
                .iter()
                .take(MAX_ROADMAPS)
                .map(|g| g.iter().map(|g| prefix_of(g)).collect())
                .collect(),
            whole: code
                .iter()
                .take(MAX_ROADMAPS)
                .map(|g| {
                    g.iter()
                        .filter_map(|g| g.strip_suffix("/**"))
                        .filter(|d| !d.is_empty() && !d.contains(['*', '?', '[', '{', '\\']))
                        .map(str::to_string)
                        .collect()
                })
                .collect(),
        }
    }

    /// The roadmaps (bits) that own everything inside directory `dir`.
    fn owning(&self, dir: &str) -> u32 {
        let mut bits = 0;
        for (i, dirs) in self.whole.iter().enumerate() {
            if dirs.iter().any(|d| d == dir || under(dir, d)) {
                bits |= 1 << i;
            }
        }
        bits
    }

    /// The roadmaps (bits) whose globs match the file `path`.
    fn matching(&self, path: &str) -> u32 {
        let mut bits = 0;
        for (i, set) in self.sets.iter().enumerate() {
            if set.is_match(path) {
                bits |= 1 << i;
            }
        }
        bits
    }

    /// The roadmaps (bits) that could hold a path inside directory `dir`.
    fn may_hold(&self, dir: &str) -> u32 {
        let mut bits = 0;
        for (i, prefixes) in self.prefixes.iter().enumerate() {
            let near = |p: &String| p.is_empty() || p == dir || under(p, dir) || under(dir, p);
            if prefixes.iter().any(near) {
                bits |= 1 << i;
            }
        }
        bits
    }
}

/// The directory part of a glob before its first wildcard ("" for none).
fn prefix_of(glob: &str) -> String {
    if glob.contains('/') {
        crate::globs::literal_prefix(glob)
    } else {
        String::new()
    }
}

fn under(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// Collect into `found` the roadmaps whose code changed between `old` and
/// `new` (trees at `dir`), skipping what cannot add a bit.
fn walk(
    reader: &mut Reader<'_>,
    code: &CodePaths,
    (old, new): (Option<ObjectId>, Option<ObjectId>),
    dir: &str,
    found: &mut u32,
) -> Result<(), ReadFailure> {
    let all = u32::MAX >> (32 - code.sets.len().clamp(1, 32));
    if old == new || *found == all {
        return Ok(());
    }
    let (before, after) = (reader.entries(old)?, reader.entries(new)?);
    let mut names: Vec<&Vec<u8>> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (a, b) = (before.get(name), after.get(name));
        if a == b {
            continue;
        }
        let name = name.to_str_lossy();
        let path = if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        };
        let tree = |e: Option<&(bool, u16, ObjectId)>| e.filter(|e| e.0).map(|e| e.2);
        let blob = |e: Option<&(bool, u16, ObjectId)>| e.is_some_and(|e| !e.0);
        if blob(a) || blob(b) {
            *found |= code.matching(&path);
        }
        let (ta, tb) = (tree(a), tree(b));
        if ta.is_some() || tb.is_some() {
            // A changed directory some roadmap owns whole is its, unread.
            *found |= code.owning(&path);
            if code.may_hold(&path) & !*found != 0 {
                walk(reader, code, (ta, tb), &path, found)?;
            }
        }
    }
    Ok(())
}

/// For each of `commits`, in order, the roadmaps whose code it changes
/// (against its first parent; every file for a root commit).
pub(crate) fn code_roadmaps(
    git: &GitRepo,
    commits: &[&WalkedCommit],
    code: &CodePaths,
    roots: &gix::hashtable::HashMap<ObjectId, ObjectId>,
) -> Result<Vec<u32>, HistoryError> {
    if code.sets.is_empty() {
        return Ok(vec![0; commits.len()]);
    }
    let sound = git.graph_sound();
    let parts = on_every_core(git, commits, |repo, _, part| {
        let mut reader = Reader::new(repo, sound, roots);
        part.iter()
            .map(|c| {
                let new = reader.root(c.id)?;
                let old = match c.first_parent {
                    Some(p) => Some(reader.root(p)?),
                    None => None,
                };
                let mut found = 0;
                walk(&mut reader, code, (old, Some(new)), "", &mut found)?;
                Ok(found)
            })
            .collect::<Result<Vec<u32>, ReadFailure>>()
    })
    .map_err(|f| f.into_error(git))?;
    Ok(parts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_by_roadmap_and_prefixes_prune() {
        let code = CodePaths::new(&[
            vec!["services/payments/**".into(), "shared/**".into()],
            vec!["services/search/**".into(), "shared/**".into()],
        ]);
        assert_eq!(code.matching("shared/lib.rs"), 0b11);
        assert_eq!(code.matching("services/search/a.rs"), 0b10);
        assert_eq!(code.matching("README.md"), 0);
        assert_eq!(code.may_hold("services"), 0b11);
        assert_eq!(code.may_hold("services/payments"), 0b01);
        assert_eq!(code.may_hold("docs"), 0);
        assert_eq!(code.owning("shared"), 0b11);
        assert_eq!(code.owning("services/search/deep"), 0b10);
        assert_eq!(code.owning("services"), 0);
    }
}
