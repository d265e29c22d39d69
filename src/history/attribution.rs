//! Which `[[roadmap]]`s a commit's changed paths belong to (SPEC §9.8).
//!
//! A commit that links no item counts for the roadmaps whose `code` globs
//! match a path it changes. The planning pass ([`super::planning`]) compares
//! each commit's root tree with its parent's once and hands every changed
//! entry here too; a directory is entered only while some roadmap not yet
//! matched could hold a path inside it, and a directory a roadmap owns whole
//! (`dir/**`) is its unread, so a commit confined to one team's folder costs
//! a tree or two (its parent's usually read already). The answer is a bit
//! set, one bit per roadmap (at most [`MAX_ROADMAPS`]).

use crate::git::tree_diff::{changes, sorted_entries, Change, TreeReader, Value};
use crate::git::workers::ReadFailure;
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

    /// Whether no roadmap declares `code`.
    pub(crate) fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether `found` holds every roadmap: nothing more to look for.
    pub(crate) fn all(&self, found: u32) -> bool {
        found == u32::MAX >> (32 - self.sets.len().clamp(1, 32))
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

/// Add to `found` the roadmaps whose code the change of the entry `name`
/// of directory `dir` (from `a` to `b`) touches, reading below it only while
/// that can add a bit.
pub(super) fn entry(
    reader: &mut dyn TreeReader,
    code: &CodePaths,
    dir: &str,
    (name, a, b): Change<'_>,
    found: &mut u32,
) -> Result<(), ReadFailure> {
    let name = name.to_str_lossy();
    let path = if dir.is_empty() {
        name.into_owned()
    } else {
        format!("{dir}/{name}")
    };
    let tree = |e: Option<Value>| e.filter(|e| e.0).map(|e| e.2);
    let blob = |e: Option<Value>| e.is_some_and(|e| !e.0);
    if blob(a) || blob(b) {
        *found |= code.matching(&path);
    }
    let (ta, tb) = (tree(a), tree(b));
    if ta.is_some() || tb.is_some() {
        // A changed directory some roadmap owns whole is its, unread.
        *found |= code.owning(&path);
        if code.may_hold(&path) & !*found != 0 {
            below(reader, code, (ta, tb), &path, found)?;
        }
    }
    Ok(())
}

/// Collect into `found` the roadmaps whose code changed between the trees
/// `old` and `new` at `dir`, from their raw entries.
fn below(
    reader: &mut dyn TreeReader,
    code: &CodePaths,
    (old, new): (Option<ObjectId>, Option<ObjectId>),
    dir: &str,
    found: &mut u32,
) -> Result<(), ReadFailure> {
    if old == new || code.all(*found) {
        return Ok(());
    }
    let hash = reader.hash_kind();
    let read = |reader: &mut dyn TreeReader, t: Option<ObjectId>| t.map(|t| reader.tree_bytes(t));
    let (old_bytes, new_bytes) = (
        read(reader, old).transpose()?,
        read(reader, new).transpose()?,
    );
    let before = match &old_bytes {
        Some(b) => sorted_entries(b, hash),
        None => Some(Vec::new()),
    };
    let after = match &new_bytes {
        Some(b) => sorted_entries(b, hash),
        None => Some(Vec::new()),
    };
    let (Some(before), Some(after)) = (before, after) else {
        // Out of git's order: compared the slow way.
        return walk(reader, code, (old, new), dir, found);
    };
    for change in changes(&before, &after) {
        entry(reader, code, dir, change, found)?;
        if code.all(*found) {
            break;
        }
    }
    Ok(())
}

/// Collect into `found` the roadmaps whose code changed between `old` and
/// `new` (trees at `dir`), skipping what cannot add a bit: for trees whose
/// raw entries are out of git's order.
pub(super) fn walk(
    reader: &mut dyn TreeReader,
    code: &CodePaths,
    (old, new): (Option<ObjectId>, Option<ObjectId>),
    dir: &str,
    found: &mut u32,
) -> Result<(), ReadFailure> {
    if old == new || code.all(*found) {
        return Ok(());
    }
    let (before, after) = (reader.entries(old)?, reader.entries(new)?);
    let mut names: Vec<&Vec<u8>> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (a, b) = (before.get(name).copied(), after.get(name).copied());
        if a != b {
            entry(reader, code, dir, (name.as_slice(), a, b), found)?;
        }
    }
    Ok(())
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
