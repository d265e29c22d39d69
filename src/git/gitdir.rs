//! A git directory that cannot hang or leak a run: a FIFO, socket or
//! device where git keeps a file (`HEAD`, `config`,
//! `objects/info/alternates`, the commit-graph, refs, packs …) is refused
//! before gix could open it, and a `.git` that leads nowhere is told from
//! no repository at all (see [`super::repo`]).

use super::error::GitError;
use std::fs;
use std::path::{Path, PathBuf};

/// Files git keeps in a git directory that gix may open, relative to it.
const GIT_FILES: &[&str] = &[
    "HEAD",
    "config",
    "commondir",
    "gitdir",
    "index",
    "packed-refs",
    "shallow",
    "info/grafts",
    "info/sparse-checkout",
    "objects/info/alternates",
    "objects/info/commit-graph",
    "objects/info/packs",
];

/// Folders of a git directory whose files gix may open (walked two levels
/// deep for `objects`: packs, the commit-graph chain and loose objects).
const GIT_FOLDERS: &[(&str, usize)] = &[("refs", usize::MAX), ("objects", 3)];

/// What a file that is neither a regular file, a folder nor a link is.
pub(super) fn special(ft: &fs::FileType) -> Option<&'static str> {
    if ft.is_file() || ft.is_dir() || ft.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("FIFO");
        }
        if ft.is_socket() {
            return Some("socket");
        }
        if ft.is_block_device() || ft.is_char_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// The error for a special file at `path`.
pub(super) fn refused(path: &Path, kind: &str) -> GitError {
    GitError::Open(format!(
        "{} is a {kind}, not a regular file; roadlint does not open it (it could hang or leak)",
        path.display()
    ))
}

/// Refuse `path` when it (or what a link there leads to) is a FIFO, socket or
/// device. Only metadata is read: nothing is opened.
pub(super) fn check_file(path: &Path) -> Result<(), GitError> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    let ft = if meta.file_type().is_symlink() {
        match fs::metadata(path) {
            Ok(m) => m.file_type(),
            Err(_) => return Ok(()),
        }
    } else {
        meta.file_type()
    };
    match special(&ft) {
        Some(kind) => Err(refused(path, kind)),
        None => Ok(()),
    }
}

/// Refuse a git directory holding a FIFO, socket or device where gix could
/// open a file (see [`GIT_FILES`] and [`GIT_FOLDERS`]).
pub(super) fn check_git_dir(dir: &Path) -> Result<(), GitError> {
    for f in GIT_FILES {
        check_file(&dir.join(f))?;
    }
    for (folder, depth) in GIT_FOLDERS {
        let walk = walkdir::WalkDir::new(dir.join(folder))
            .follow_links(false)
            .max_depth(*depth);
        for entry in walk.into_iter().filter_map(Result::ok) {
            let ft = entry.file_type();
            if ft.is_symlink() {
                check_file(entry.path())?;
            } else if let Some(kind) = special(&ft) {
                return Err(refused(entry.path(), kind));
            }
        }
    }
    Ok(())
}

/// Read a small file that git writes (a `.git` file, `commondir`) within
/// 4 KiB, refusing anything but a regular file, without blocking.
fn read_small(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    file.take(4096).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Where a `.git` file points (`gitdir: …`, relative to its folder).
fn gitdir_of(dotgit: &Path) -> Option<PathBuf> {
    let text = read_small(dotgit)?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    Some(dotgit.parent()?.join(target))
}

/// Before gix looks: the `.git` (or bare repository) that discovery from
/// `start` will find must not hold a FIFO or device where discovery reads.
pub(super) fn check_before_discovery(start: &Path) -> Result<(), GitError> {
    if let Some(dir) = std::env::var_os("GIT_DIR") {
        return check_git_dir(&start.join(dir));
    }
    for dir in start.ancestors() {
        let dotgit = dir.join(".git");
        if let Ok(meta) = fs::symlink_metadata(&dotgit) {
            if let Some(kind) = special(&meta.file_type()) {
                return Err(refused(&dotgit, kind));
            }
            if meta.is_file() {
                check_file(&dotgit)?;
                if let Some(target) = gitdir_of(&dotgit) {
                    return check_git_dir(&target);
                }
                return Ok(());
            }
            return check_git_dir(&dotgit);
        }
        if dir.join("HEAD").is_file() && dir.join("objects").is_dir() {
            return check_git_dir(dir);
        }
    }
    Ok(())
}

/// After discovery found nothing: a `.git` on the way up that leads nowhere
/// is a broken repository (exit 2), not a plain directory.
pub(super) fn broken_dotgit(start: &Path) -> Option<GitError> {
    let dotgit = start
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|d| fs::symlink_metadata(d).is_ok())?;
    let message = match gitdir_of(&dotgit) {
        Some(target) => format!(
            "{} points at {}, which is not a git directory (a moved or deleted repository?)",
            dotgit.display(),
            target.display()
        ),
        None => format!("{} is not a readable git repository", dotgit.display()),
    };
    Some(GitError::Open(message))
}

/// Whether `work` is the folder whose `.git` leads to `git_dir`.
pub(super) fn holds_git_dir(work: &Path, git_dir: &Path) -> bool {
    let canonical = |p: &Path| fs::canonicalize(p).ok();
    let dotgit = work.join(".git");
    let target = match fs::symlink_metadata(&dotgit) {
        Ok(m) if m.is_dir() => dotgit,
        Ok(m) if m.is_file() => match gitdir_of(&dotgit) {
            Some(t) => t,
            None => return false,
        },
        _ => return false,
    };
    canonical(&target).is_some_and(|t| Some(t) == canonical(git_dir))
}
