//! Which `[[roadmap]]`s a commit's changed paths belong to (SPEC §9.8).
//!
//! A commit that links no item counts for the roadmaps whose `code` globs
//! match a path it changes. The planning pass ([`super::planning`]) compares
//! each commit's root tree with its parent's once and hands every changed
//! entry here too; a directory is entered only while some roadmap not yet
//! matched could hold a path inside it, and a directory a roadmap owns whole
//! (`dir/**`) is its, unread, so a commit confined to one team's folder costs
//! a tree or two (its parent's usually read already). Globs are asked only
//! about paths inside their literal folder, and each roadmap's are compiled
//! the first time one is (a configuration of `dir/**` globs never is); what
//! they answer of a directory each core remembers ([`Asked`]). The answer
//! is a bit set, one bit per roadmap (at most [`MAX_ROADMAPS`]). Only a
//! commit whose item trailer links it is spared the reading
//! ([`CodeWanted`]).

use crate::git::tree_diff::{Change, TreeReader, Value};
use crate::git::workers::ReadFailure;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The most roadmaps a repository may declare for attribution by path.
pub(crate) const MAX_ROADMAPS: usize = 32;

/// One roadmap's `code` globs.
struct Code {
    globs: Vec<String>,
    /// The globs compiled, the first time a path is matched against them.
    set: OnceLock<globset::GlobSet>,
    /// The literal directory prefix of each glob ("" when it has none).
    prefixes: Vec<String>,
    /// The directories whose whole content the globs match (`dir/**`): a
    /// change anywhere below is this roadmap's, without reading further.
    whole: Vec<String>,
}

impl Code {
    fn new(globs: &[String]) -> Self {
        Code {
            globs: globs.to_vec(),
            set: OnceLock::new(),
            prefixes: globs.iter().map(|g| prefix_of(g)).collect(),
            whole: globs
                .iter()
                .filter_map(|g| g.strip_suffix("/**"))
                .filter(|d| !d.is_empty() && !d.contains(['*', '?', '[', '{', '\\']))
                .map(str::to_string)
                .collect(),
        }
    }

    /// Whether a glob matches the file `path`. A glob only matches paths
    /// inside its literal prefix, and `dir/**` everything inside `dir`:
    /// both are told without the compiled globs.
    fn matches(&self, path: &str) -> bool {
        let inside = |p: &String| p.is_empty() || p == path || under(path, p);
        if !self.prefixes.iter().any(inside) {
            return false;
        }
        if self.whole.iter().any(|d| under(path, d)) {
            return true;
        }
        self.set
            .get_or_init(|| {
                // The configuration was validated: a glob that does not
                // compile matched nothing there either.
                crate::globs::compile(&self.globs).unwrap_or_else(|_| globset::GlobSet::empty())
            })
            .is_match(path)
    }
}

/// The `code` globs of every roadmap.
pub(crate) struct CodePaths {
    roadmaps: Vec<Code>,
}

impl CodePaths {
    /// The code globs of each roadmap, in declaration order.
    pub(crate) fn new(code: &[Vec<String>]) -> Self {
        CodePaths {
            roadmaps: code
                .iter()
                .take(MAX_ROADMAPS)
                .map(|g| Code::new(g))
                .collect(),
        }
    }

    /// Whether no roadmap declares `code`.
    pub(crate) fn is_empty(&self) -> bool {
        self.roadmaps.is_empty()
    }

    /// Whether `found` holds every roadmap: nothing more to look for.
    pub(crate) fn all(&self, found: u32) -> bool {
        found == u32::MAX >> (32 - self.roadmaps.len().clamp(1, 32))
    }

    /// The roadmaps (bits) that own everything inside directory `dir`.
    fn owning(&self, dir: &str) -> u32 {
        let mut bits = 0;
        for (i, code) in self.roadmaps.iter().enumerate() {
            if code.whole.iter().any(|d| d == dir || under(dir, d)) {
                bits |= 1 << i;
            }
        }
        bits
    }

    /// The roadmaps (bits) whose globs match the file `path`.
    fn matching(&self, path: &str) -> u32 {
        let mut bits = 0;
        for (i, code) in self.roadmaps.iter().enumerate() {
            if code.matches(path) {
                bits |= 1 << i;
            }
        }
        bits
    }

    /// The roadmaps (bits) that could hold a path inside directory `dir`.
    fn may_hold(&self, dir: &str) -> u32 {
        let mut bits = 0;
        for (i, code) in self.roadmaps.iter().enumerate() {
            let near = |p: &String| p.is_empty() || p == dir || under(p, dir) || under(dir, p);
            if code.prefixes.iter().any(near) {
                bits |= 1 << i;
            }
        }
        bits
    }
}

/// Directories whose answers one core remembers (a bound for histories
/// of very many directories).
const MAX_DIRS_ASKED: usize = 4096;

/// The roadmaps' code as one core asks it: what [`CodePaths`] answered of
/// each directory is remembered, since commit after commit changes the
/// same few directories.
pub(super) struct Asked<'a> {
    code: &'a CodePaths,
    /// By directory: the roadmaps owning it whole, and those that could
    /// hold a path inside it.
    dirs: foldhash::HashMap<String, (u32, u32)>,
}

impl<'a> Asked<'a> {
    /// `code`, nothing asked yet.
    pub(super) fn new(code: &'a CodePaths) -> Self {
        Asked {
            code,
            dirs: foldhash::HashMap::default(),
        }
    }

    /// Whether `found` holds every roadmap (see [`CodePaths::all`]).
    pub(super) fn all(&self, found: u32) -> bool {
        self.code.all(found)
    }

    /// [`CodePaths::matching`] of the file `path` (files are too many to
    /// remember).
    fn matching(&self, path: &str) -> u32 {
        self.code.matching(path)
    }

    /// [`CodePaths::owning`] and [`CodePaths::may_hold`] of `dir`.
    fn dir(&mut self, dir: &str) -> (u32, u32) {
        if let Some(&answer) = self.dirs.get(dir) {
            return answer;
        }
        let answer = (self.code.owning(dir), self.code.may_hold(dir));
        if self.dirs.len() < MAX_DIRS_ASKED {
            self.dirs.insert(dir.to_string(), answer);
        }
        answer
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
/// of the directory at `path` (from `a` to `b`) touches, reading below it
/// only while that can add a bit. `path` is a buffer the entry's own path
/// is written into and taken out of again.
pub(super) fn entry(
    reader: &mut dyn TreeReader,
    code: &mut Asked<'_>,
    path: &mut String,
    (name, a, b): Change<'_>,
    found: &mut u32,
) -> Result<(), ReadFailure> {
    let len = path.len();
    if len > 0 {
        path.push('/');
    }
    path.push_str(&name.to_str_lossy());
    let done = changed_at(reader, code, path, (a, b), found);
    path.truncate(len);
    done
}

/// [`entry`] once `path` names the entry.
fn changed_at(
    reader: &mut dyn TreeReader,
    code: &mut Asked<'_>,
    path: &mut String,
    (a, b): (Option<Value>, Option<Value>),
    found: &mut u32,
) -> Result<(), ReadFailure> {
    let tree = |e: Option<Value>| e.filter(|e| e.0).map(|e| e.2);
    let blob = |e: Option<Value>| e.is_some_and(|e| !e.0);
    if blob(a) || blob(b) {
        *found |= code.matching(path);
    }
    let (ta, tb) = (tree(a), tree(b));
    if ta.is_some() || tb.is_some() {
        // A changed directory some roadmap owns whole is its, unread.
        let (owning, may_hold) = code.dir(path);
        *found |= owning;
        if may_hold & !*found != 0 {
            below(reader, code, (ta, tb), path, found)?;
        }
    }
    Ok(())
}

/// Collect into `found` the roadmaps whose code changed between the trees
/// `old` and `new` at `path`, from their raw entries.
fn below(
    reader: &mut dyn TreeReader,
    code: &mut Asked<'_>,
    (old, new): (Option<ObjectId>, Option<ObjectId>),
    path: &mut String,
    found: &mut u32,
) -> Result<(), ReadFailure> {
    if old == new || code.all(*found) {
        return Ok(());
    }
    let (Some(before), Some(after)) = reader.pair(old, new)? else {
        // Out of git's order: compared the slow way.
        return walk(reader, code, (old, new), path, found);
    };
    for change in before.changes(&after) {
        entry(reader, code, path, change, found)?;
        if code.all(*found) {
            break;
        }
    }
    Ok(())
}

/// Collect into `found` the roadmaps whose code changed between `old` and
/// `new` (trees at `path`), skipping what cannot add a bit: for trees whose
/// raw entries are out of git's order.
pub(super) fn walk(
    reader: &mut dyn TreeReader,
    code: &mut Asked<'_>,
    (old, new): (Option<ObjectId>, Option<ObjectId>),
    path: &mut String,
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
            entry(reader, code, path, (name.as_slice(), a, b), found)?;
        }
    }
    Ok(())
}

/// The request's side of attribution: which roadmap each item is in, where
/// each roadmap's code is, and which commits need their paths looked at.
impl super::ScanRequest<'_> {
    /// With several roadmaps: their names and each item's roadmap.
    pub(super) fn attribution(&self) -> Option<super::effort::Attribution> {
        let roadmaps = &self.config.roadmaps;
        if roadmaps.is_empty() {
            return None;
        }
        let names: Vec<String> = roadmaps.iter().map(|r| r.name.clone()).collect();
        // Each item's roadmap: the first whose files hold its file (as
        // `Config::roadmap_of` says), each roadmap's globs compiled once.
        let files: Vec<Option<std::sync::Arc<globset::GlobSet>>> = roadmaps
            .iter()
            .map(|r| crate::globs::compiled(&r.files))
            .collect();
        let mut items = HashMap::new();
        for item in self.roadmap.items() {
            let Some(id) = &item.id else { continue };
            let path = &self.sources.get(item.file).path;
            if let Some(r) = files
                .iter()
                .position(|set| set.as_ref().is_some_and(|s| s.is_match(path)))
            {
                items.insert(id.value.clone(), r);
            }
        }
        Some(super::effort::Attribution { names, items })
    }

    /// Each roadmap's `code` globs, when several are declared.
    pub(super) fn code_paths(&self) -> CodePaths {
        let code: Vec<Vec<String>> = self
            .config
            .roadmaps
            .iter()
            .map(|r| r.code.clone())
            .collect();
        CodePaths::new(&code)
    }

    /// Which commits' changed paths may decide the roadmaps they count
    /// for, with several roadmaps (`None` with one); asked of each commit
    /// by the planning pass on every core.
    pub(super) fn code_wanted<'a>(
        &'a self,
        table: &'a super::keys::KeyTable,
    ) -> Option<CodeWanted<'a>> {
        // A trailer links a commit when it names an item the classifier
        // knows (one with a kind: see `Classifier::cascade`).
        let kinds = self.classifier_items();
        let linked = self
            .attribution()?
            .items
            .into_keys()
            .filter(|id| kinds.contains_key(id))
            .collect();
        Some(CodeWanted { linked, table })
    }
}

/// Whether a commit's changed paths may decide the roadmaps it counts for
/// (see [`super::ScanRequest::code_wanted`]).
pub(super) struct CodeWanted<'a> {
    /// The items of a roadmap that a trailer links a commit to.
    linked: foldhash::HashSet<String>,
    /// The table the commits' message ids are in.
    table: &'a super::keys::KeyTable,
}

impl CodeWanted<'_> {
    /// Whether the changed paths of a commit (its message's `ids`) may
    /// decide its roadmaps: unless its item trailer links it to an item of
    /// a roadmap (SPEC §9.8; a linked commit counts for its item's roadmap
    /// whatever it changes). The paths of a commit that names its item in
    /// the subject only, or that the tally does not count, are read too and
    /// not used (see `effort::attribute`): few commits are either, and
    /// telling them apart here (the classifier's cascade for each commit)
    /// cost more than reading them.
    pub(super) fn wants(&self, ids: super::keys::KeyIds) -> bool {
        !self
            .table
            .get(ids.item)
            .is_some_and(|item| self.linked.contains(item))
    }
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
        // `dir/**` globs and paths outside every prefix never compile one.
        assert!(code.roadmaps.iter().all(|c| c.set.get().is_none()));
    }

    #[test]
    fn globs_that_are_not_whole_folders_are_compiled_when_asked() {
        let code = CodePaths::new(&[
            vec!["api/*.rs".into(), "Cargo.toml".into()],
            vec!["**/*.md".into()],
            vec!["web/{app,lib}/**".into()],
        ]);
        assert_eq!(code.matching("api/x.rs"), 0b001);
        assert_eq!(code.matching("api/deep/x.rs"), 0);
        assert_eq!(code.matching("Cargo.toml"), 0b001);
        assert_eq!(code.matching("docs/a.md"), 0b010);
        assert_eq!(code.matching("web/app/a.ts"), 0b100);
        assert_eq!(code.matching("web/other/a.ts"), 0);
        assert_eq!(code.matching("src/x.rs"), 0);
        // A glob without a literal folder may match anywhere.
        assert_eq!(code.may_hold("web"), 0b111);
        assert_eq!(code.may_hold("api"), 0b011);
    }
}
