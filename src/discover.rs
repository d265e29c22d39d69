//! Finding what to lint: the repository root, `roadlint.toml`, and the roadmap
//! files selected by the `roadmap` globs, in the work tree, the index or a
//! commit ([`Snapshot`]).
//!
//! Only regular files inside the repository are read. A symlink is reported and
//! never read through (not even the walk's starting directory), a file over
//! [`MAX_FILE_BYTES`] is reported and not read, and FIFOs, sockets and devices
//! are skipped without being opened, so nothing can hang on them.

use crate::diagnostic::RuleId;
use crate::facts::HeadStages;
use crate::git::{GitError, GitRepo, Head, ObjectId};
use crate::globs::{self, GlobError};
use crate::limits::MAX_FILE_BYTES;
use crate::model::{parse_file, Roadmap};
use crate::source::{FileId, RawFile, Refusal, Sources};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Name of the configuration file.
pub(crate) const CONFIG_FILE: &str = "roadlint.toml";

/// What discovery could not get past.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DiscoverError {
    /// The repository could not be read.
    #[error(transparent)]
    Repository(#[from] GitError),
    /// A snapshot that needs a repository, outside one.
    #[error("--staged and --rev need a git repository")]
    NoRepository,
    /// The path given on the command line does not exist.
    #[error("{path}: {source}")]
    Path {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A `roadmap` glob does not compile.
    #[error(transparent)]
    Glob(#[from] GlobError),
    /// The configuration file is not a regular file inside the repository.
    #[error("{path}: {refusal}; the configuration must be a regular file inside the repository")]
    ConfigRefused {
        /// The path, as shown.
        path: String,
        /// Why it was not read.
        refusal: Refusal,
    },
    /// The configuration file cannot be read.
    #[error("cannot read {path}: {source}")]
    Config {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Where the repository is.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    /// The directory holding the work tree (or the plain directory linted).
    pub dir: PathBuf,
}

/// Walk up from `start` to the nearest directory holding `.git`; without one,
/// to the nearest holding `roadlint.toml`; without either, `start` itself is
/// the root.
pub(crate) fn find_root(start: &Path) -> Result<Root, DiscoverError> {
    let start = fs::canonicalize(start).map_err(|source| DiscoverError::Path {
        path: start.to_path_buf(),
        source,
    })?;
    let start = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    } else {
        start
    };
    for dir in start.ancestors() {
        if fs::symlink_metadata(dir.join(".git")).is_ok() {
            return Ok(Root {
                dir: dir.to_path_buf(),
            });
        }
    }
    // Outside a repository, the project is the nearest directory that holds
    // a roadlint.toml (as ruff finds its pyproject.toml); else `start`.
    let dir = start
        .ancestors()
        .find(|d| fs::symlink_metadata(d.join(CONFIG_FILE)).is_ok())
        .map_or(start.clone(), Path::to_path_buf);
    Ok(Root { dir })
}

/// The `roadlint.toml` nearest to `start`, looking up to `root` (inclusive).
/// Whatever stands at that name counts (a link or a FIFO is found, then
/// refused when read, never skipped for a file further up).
pub(crate) fn find_config(start: &Path, root: &Path) -> Option<PathBuf> {
    let start = fs::canonicalize(start).ok()?;
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if fs::symlink_metadata(&candidate).is_ok_and(|m| !m.is_dir()) {
            return Some(candidate);
        }
        if dir == root {
            break;
        }
    }
    None
}

/// Read a config file (regular file, size-capped, no symlink); `name` is
/// how it is shown.
pub(crate) fn read_config(path: &Path, name: &str) -> Result<String, DiscoverError> {
    let bytes = read_regular(path).map_err(|refusal| DiscoverError::ConfigRefused {
        path: name.to_string(),
        refusal,
    })?;
    String::from_utf8(bytes).map_err(|e| DiscoverError::Config {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
    })
}

/// The bytes of the regular file `rel` under `root`, read without
/// following a symbolic link anywhere on the way.
fn read_inside(root: &Path, rel: &str) -> Result<Vec<u8>, String> {
    let mut at = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for dir in &parts[..parts.len().saturating_sub(1)] {
        at.push(dir);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "`{dir}` on the way is a symbolic link, not followed"
                ))
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(format!("`{dir}` on the way is not a directory")),
            Err(_) => return Err("not found".into()),
        }
    }
    let full = root.join(rel);
    crate::bounded::read_capped(&full, MAX_FILE_BYTES, false).map_err(|e| match e {
        crate::bounded::BoundedError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "not found".to_string()
        }
        other => other.to_string(),
    })
}

/// Where the roadmap is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Snapshot {
    /// The files on disk.
    WorkTree,
    /// The index (`--staged`).
    Index,
    /// A commit's tree (`--rev`, or HEAD in a bare repository), when the
    /// commit exists.
    Tree(Option<ObjectId>),
}

impl Snapshot {
    /// The snapshot `--staged` / `--rev` ask for in `git` (a bare repository
    /// reads HEAD's tree).
    pub(crate) fn choose(
        git: Option<&GitRepo>,
        staged: bool,
        rev: Option<&str>,
    ) -> Result<Snapshot, DiscoverError> {
        let spec = match (staged, rev, git) {
            (true, _, Some(_)) => return Ok(Snapshot::Index),
            (true, _, None) | (_, Some(_), None) => return Err(DiscoverError::NoRepository),
            (_, Some(r), Some(_)) => r,
            (false, None, Some(g)) if g.is_bare() => "HEAD",
            _ => return Ok(Snapshot::WorkTree),
        };
        let Some(g) = git else {
            return Ok(Snapshot::WorkTree);
        };
        if spec == "HEAD" && g.head()? == Head::Unborn {
            return Ok(Snapshot::Tree(None));
        }
        Ok(Snapshot::Tree(Some(g.tree_of(g.resolve(spec)?)?)))
    }

    /// The files of this snapshot matched by `globs` (`root` is the work tree).
    fn files(
        &self,
        root: &Path,
        git: Option<&GitRepo>,
        globs: &[String],
    ) -> Result<Vec<RawFile>, DiscoverError> {
        Ok(match (self, git) {
            (Snapshot::WorkTree, _) => roadmap_files(root, globs)?,
            (Snapshot::Index, Some(g)) => g.staged_files(globs)?,
            (Snapshot::Tree(Some(t)), Some(g)) => g.files_in_tree(*t, globs)?,
            _ => Vec::new(),
        })
    }

    /// The configuration: `explicit` (`--config`), else the snapshot's own
    /// `roadlint.toml`, else (for the work tree) the nearest one walking up
    /// from `start`. Its name for messages and its text.
    pub(crate) fn config(
        &self,
        start: &Path,
        root: &Path,
        git: Option<&GitRepo>,
        explicit: Option<&Path>,
    ) -> Result<Option<(String, String)>, DiscoverError> {
        if let Some(p) = explicit {
            let name = p.display().to_string();
            let text = read_config(p, &name)?;
            return Ok(Some((name, text)));
        }
        if *self == Snapshot::WorkTree {
            let Some(p) = find_config(start, root) else {
                return Ok(None);
            };
            let name = if p.starts_with(root) {
                relative(root, &p)
            } else {
                p.display().to_string()
            };
            let text = read_config(&p, &name)?;
            return Ok(Some((name, text)));
        }
        let file = self
            .files(root, git, &[CONFIG_FILE.to_string()])?
            .into_iter()
            .next();
        match file {
            Some(RawFile {
                path,
                content: Ok(bytes),
            }) => Ok(Some((path, String::from_utf8_lossy(&bytes).into_owned()))),
            Some(RawFile {
                path,
                content: Err(e),
            }) => Err(DiscoverError::ConfigRefused { path, refusal: e }),
            None => Ok(None),
        }
    }

    /// The bytes of the preset at `path` (repository-relative, already
    /// checked to stay inside) in this snapshot, or why there are none: only
    /// a regular file inside the repository is read, never through a
    /// symbolic link, within [`MAX_FILE_BYTES`] (SPEC §9.8).
    pub(crate) fn read_preset(
        &self,
        root: &Path,
        git: Option<&GitRepo>,
        path: &str,
    ) -> Result<Vec<u8>, String> {
        let in_git = |t: Option<ObjectId>| -> Result<Vec<u8>, String> {
            let glob = vec![globset::escape(path)];
            let found = match (t, git) {
                (Some(t), Some(g)) => g.files_in_tree(t, &glob),
                (None, Some(g)) => g.staged_files(&glob),
                (_, None) => Ok(Vec::new()),
            }
            .map_err(|e| e.to_string())?;
            match found.into_iter().find(|f| f.path == path) {
                Some(RawFile { content, .. }) => content.map_err(|r| r.to_string()),
                None => Err("not found".into()),
            }
        };
        match self {
            Snapshot::WorkTree => read_inside(root, path),
            Snapshot::Index => in_git(None),
            Snapshot::Tree(Some(t)) => in_git(Some(*t)),
            Snapshot::Tree(None) => Err("not found (no commit yet)".into()),
        }
    }

    /// Whether the files of this snapshot are a change still to be
    /// committed on top of HEAD (the work tree or the index), so that HEAD's
    /// technology stages are what their stages step from.
    pub(crate) fn is_uncommitted(&self) -> bool {
        matches!(self, Snapshot::WorkTree | Snapshot::Index)
    }

    /// The roadmap files of this snapshot selected by `globs`.
    pub(crate) fn roadmap(
        &self,
        root: &Path,
        git: Option<&GitRepo>,
        globs: &[String],
    ) -> Result<Vec<RawFile>, DiscoverError> {
        self.files(root, git, globs)
    }
}

/// The technologies at HEAD that today's `roadmap` (read from the work tree
/// or the index) is judged against, or `None` without a commit or without a
/// technology today. One tree
/// lookup and the HEAD version of each file that holds a technology today;
/// only when a technology is not in its own file at HEAD (it moved, or is
/// new) are all roadmap files at HEAD read.
pub(crate) fn head_stages(
    git: &GitRepo,
    roadmap: &Roadmap,
    sources: &Sources,
    globs: &[String],
) -> Result<Option<HeadStages>, DiscoverError> {
    if roadmap.technologies().next().is_none() {
        return Ok(None);
    }
    let Some(tree) = git.head_tree()? else {
        return Ok(None);
    };
    let mut head = HeadStages::default();
    let files = roadmap.files.iter().filter(|f| !f.technologies.is_empty());
    for path in files.map(|f| &sources.get(f.file).path) {
        if let Some(blob) = git.blob_id_at(tree, path)? {
            let bytes = git.blob(blob, path)?;
            add_head_file(&mut head, path.clone(), bytes);
        }
    }
    let elsewhere = roadmap
        .technologies()
        .filter_map(|t| t.name.as_ref())
        .any(|n| !head.stages.contains_key(&n.value));
    if elsewhere {
        for f in git.files_in_tree(tree, globs)? {
            add_head_file(&mut head, f.path, f.content);
        }
    }
    Ok(Some(head))
}

/// Record one roadmap file of HEAD: its path and its technologies' stages.
/// A file HEAD holds but that cannot be read whole (refused, malformed
/// TOML) is left out, so nothing in it counts as new.
fn add_head_file(head: &mut HeadStages, path: String, bytes: Result<Vec<u8>, Refusal>) {
    let Ok(bytes) = bytes else {
        return;
    };
    let parsed = parse_file(FileId(0), &String::from_utf8_lossy(&bytes));
    if parsed.diagnostics.iter().any(|d| d.rule == RuleId::PARSE) {
        return;
    }
    for t in parsed.model.technologies {
        if let Some(name) = t.name {
            head.stages.insert(name.value, t.stage.map(|s| s.value));
        }
    }
    head.paths.insert(path);
}

/// Every roadmap file under `root` matched by `globs`, in path order.
pub(crate) fn roadmap_files(root: &Path, globs: &[String]) -> Result<Vec<RawFile>, DiscoverError> {
    let set = globs::compile(globs)?;
    let mut found: BTreeMap<String, Result<Vec<u8>, Refusal>> = BTreeMap::new();
    let mut prefixes: Vec<String> = globs.iter().map(|g| globs::literal_prefix(g)).collect();
    prefixes.sort();
    prefixes.dedup();
    for prefix in &prefixes {
        // The configuration refuses such globs; a walk never leaves `root`.
        if globs::escape_reason(prefix).is_some() {
            continue;
        }
        // No directory on the way to the walk's start may be a link (it
        // could lead out of the repository).
        let mut start = root.to_path_buf();
        let mut refused = None;
        for (i, part) in prefix.split('/').filter(|p| !p.is_empty()).enumerate() {
            start.push(part);
            match fs::symlink_metadata(&start) {
                Err(_) => {
                    refused = Some(None);
                    break;
                }
                Ok(m) if m.file_type().is_symlink() => {
                    let rel: Vec<&str> = prefix.split('/').take(i + 1).collect();
                    refused = Some(Some(rel.join("/")));
                    break;
                }
                Ok(_) => {}
            }
        }
        match refused {
            Some(None) => continue,
            Some(Some(link)) => {
                found.insert(link, Err(Refusal::Symlink));
                continue;
            }
            None => {}
        }
        let walker = walkdir::WalkDir::new(&start)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git");
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if let Some(p) = e.path() {
                        let rel = relative(root, p);
                        // An unreadable directory (the walk's start included)
                        // hides roadmap files: report it, never pass silently.
                        found.insert(rel, Err(Refusal::Unreadable(e.to_string())));
                    }
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            let rel = relative(root, entry.path());
            if !set.is_match(&rel) {
                continue;
            }
            let content = if ft.is_symlink() {
                Err(Refusal::Symlink)
            } else if ft.is_file() {
                read_regular(entry.path())
            } else {
                Err(Refusal::NotRegular(special_kind(&ft)))
            };
            found.insert(rel, content);
        }
    }
    Ok(found
        .into_iter()
        .map(|(path, content)| RawFile { path, content })
        .collect())
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn special_kind(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    let _ = ft;
    "special file"
}

/// Open without following a final symlink and without blocking on a FIFO,
/// check it is a regular file, and read at most the size cap.
fn read_regular(path: &Path) -> Result<Vec<u8>, Refusal> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Refusal::Symlink;
        }
        Refusal::Unreadable(e.to_string())
    })?;
    let meta = file
        .metadata()
        .map_err(|e| Refusal::Unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular(special_kind(&meta.file_type())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_files_and_refuses_links_and_big_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("roadmap/requests")).unwrap();
        fs::write(root.join("roadmap/2026-Q1.toml"), "quarter = \"2026-Q1\"\n").unwrap();
        fs::write(root.join("roadmap/requests/a.toml"), "").unwrap();
        fs::write(root.join("roadmap/notes.md"), "").unwrap();
        fs::write(
            root.join("roadmap/big.toml"),
            vec![b'#'; MAX_FILE_BYTES as usize + 1],
        )
        .unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/hostname", root.join("roadmap/link.toml")).unwrap();
        let files = roadmap_files(root, &["roadmap/**/*.toml".into()]).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "roadmap/2026-Q1.toml",
                "roadmap/big.toml",
                "roadmap/link.toml",
                "roadmap/requests/a.toml"
            ]
        );
        assert!(files[0].content.is_ok());
        assert!(matches!(files[1].content, Err(Refusal::TooLarge(_))));
        assert_eq!(files[2].content, Err(Refusal::Symlink));
    }

    #[test]
    fn single_star_does_not_cross_directories() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("roadmap/sub")).unwrap();
        fs::write(dir.path().join("roadmap/a.toml"), "").unwrap();
        fs::write(dir.path().join("roadmap/sub/b.toml"), "").unwrap();
        let files = roadmap_files(dir.path(), &["roadmap/*.toml".into()]).unwrap();
        assert_eq!(files.len(), 1);
    }
}
