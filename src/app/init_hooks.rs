//! `roadlint init --hooks`: the sign-off gate's blocks in the repository's
//! hooks, beside whatever hooks are already there.
//!
//! A missing hook is written; an existing shell hook gets one marked block
//! before its first command (the rest kept byte for byte); a hook that
//! already holds the block is left alone, so running `init --hooks` again
//! changes nothing. Hooks that are the team's — a `core.hooksPath` whose
//! files git tracks, like husky's `.husky/` — are never edited: the lines to
//! add are printed instead, as they are for a hook that is not a shell
//! script or is a link.

use super::hook_scripts::{self, Placed};
use crate::history::GitRepo;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `init --hooks` did (or asks the user to do), for the output.
#[derive(Default)]
pub(crate) struct HookReport {
    /// Lines saying what was written or kept.
    pub(crate) done: String,
    /// Blocks the user must add by hand: (hook file, why, block).
    pub(crate) by_hand: Vec<(PathBuf, &'static str, String)>,
}

/// Where a tracked hooks directory's hooks are edited by hand: husky 9
/// points `core.hooksPath` at its generated `.husky/_`, whose wrappers run
/// the tracked `.husky/<hook>`.
fn tracked_hooks_dir(git: &GitRepo, hooks: &Path) -> Option<PathBuf> {
    if git.tracks_under(hooks) {
        return Some(hooks.to_path_buf());
    }
    let parent = hooks.parent()?;
    (hooks.file_name()? == "_" && git.tracks_under(parent)).then(|| parent.to_path_buf())
}

/// Write or complete every hook of the gate in `git`'s hooks directory.
pub(crate) fn install(git: &GitRepo) -> Result<HookReport, String> {
    let hooks = git.hooks_dir();
    let mut report = HookReport::default();
    if let Some(dir) = tracked_hooks_dir(git, &hooks) {
        for (name, body) in hook_scripts::HOOKS {
            report.by_hand.push((
                dir.join(name),
                "core.hooksPath holds hooks tracked by git",
                hook_scripts::block(body),
            ));
        }
        return Ok(report);
    }
    std::fs::create_dir_all(&hooks).map_err(|e| format!("{}: {e}", hooks.display()))?;
    for (name, body) in hook_scripts::HOOKS {
        let path = hooks.join(name);
        let block = hook_scripts::block(body);
        install_one(&path, block, &mut report)?;
    }
    Ok(report)
}

/// Write, complete or leave `path` so that it runs `block`.
fn install_one(path: &Path, block: String, report: &mut HookReport) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_new(path, &hook_scripts::fresh(&block)).map_err(|e| fail(&e))?;
            let _ = writeln!(report.done, "wrote {}", path.display());
            return Ok(());
        }
        Err(e) => return Err(fail(&e)),
        Ok(m) => m,
    };
    if !meta.is_file() {
        report.by_hand.push((
            path.to_path_buf(),
            "it is a link or not a regular file",
            block,
        ));
        return Ok(());
    }
    let text = std::fs::read(path).map_err(|e| fail(&e))?;
    match hook_scripts::place(&text, &block) {
        Placed::Unchanged => {
            let _ = writeln!(
                report.done,
                "unchanged {} (it runs roadlint)",
                path.display()
            );
        }
        Placed::NotShell => {
            report
                .by_hand
                .push((path.to_path_buf(), "it is not a shell script", block));
        }
        Placed::Changed(new) => {
            std::fs::write(path, new).map_err(|e| fail(&e))?;
            let _ = writeln!(report.done, "added roadlint to {}", path.display());
            if !is_executable(&meta) {
                let _ = writeln!(
                    report.done,
                    "note: {} is not executable, so git does not run it",
                    path.display()
                );
            }
        }
    }
    Ok(())
}

/// Whether a file's mode lets git run it.
fn is_executable(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Create `path` (never through a link, never over a file) executable.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o755);
    }
    let mut file = opts.open(path)?;
    std::io::Write::write_all(&mut file, text.as_bytes())
}

/// The instructions for the hooks the user edits by hand.
pub(crate) fn by_hand_text(by_hand: &[(PathBuf, &'static str, String)]) -> String {
    let mut out = String::new();
    for (path, why, block) in by_hand {
        let _ = writeln!(
            out,
            "not edited: {} ({why}); add these lines at its top, after its `#!` line if it has one (a new file: start it with `#!/bin/sh`), before its first command:\n\n{block}",
            path.display()
        );
    }
    out
}
