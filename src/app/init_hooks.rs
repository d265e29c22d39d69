//! `roadlint init --hooks`: the sign-off gate's blocks in the repository's
//! hooks, beside whatever hooks are already there.
//!
//! A missing hook is written; an existing shell hook gets one marked block
//! before its first command (the rest kept byte for byte); a hook that
//! already holds the block is left alone, so running `init --hooks` again
//! changes nothing. Beside the pre-commit framework's script, which that
//! framework rewrites whole on every `pre-commit install`, the block goes
//! into the `<hook>.legacy` file the framework runs first. Hooks that are the team's — a `core.hooksPath` whose
//! files git tracks, like husky's `.husky/` — are never edited: the lines to
//! add are printed instead, as they are for a hook that is not a shell
//! script or is a link.

use super::hook_scripts::{self, Placed};
use crate::git::GitRepo;
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
    let framework = FrameworkConfig::read(&git.root());
    for (name, body) in hook_scripts::HOOKS {
        let path = hooks.join(name);
        let block = hook_scripts::block(body);
        if let Some(id) = framework.runs_roadlint_at(name) {
            if is_framework_script(&path) {
                leave_to_the_framework(&path, id, &mut report)?;
                continue;
            }
        }
        install_one(&path, block, &mut report)?;
    }
    Ok(report)
}

/// The roadlint hook ids a repository's `.pre-commit-config.yaml` names.
struct FrameworkConfig {
    /// Every `id:` value that starts with `roadlint`.
    ids: Vec<String>,
}

impl FrameworkConfig {
    /// The pre-commit framework's configuration at `root` (none when it is
    /// missing, not a regular file, or over 1 MiB).
    fn read(root: &Path) -> Self {
        let text =
            crate::bounded::read_capped(&root.join(".pre-commit-config.yaml"), 1 << 20, false)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
        let ids = text
            .lines()
            .filter_map(|l| {
                let l = l.trim_start().trim_start_matches('-').trim_start();
                let v = l.strip_prefix("id:")?.split('#').next()?.trim();
                let v = v.trim_matches(|c| c == '"' || c == '\'');
                v.starts_with("roadlint").then(|| v.to_string())
            })
            .collect();
        Self { ids }
    }

    /// The id of the framework's hook that runs roadlint's gate at git hook
    /// `hook` (see `.pre-commit-hooks.yaml`), when the configuration has one.
    fn runs_roadlint_at(&self, hook: &str) -> Option<&str> {
        let stem = match hook {
            "pre-commit" => "roadlint",
            "commit-msg" => "roadlint-commit-msg",
            "pre-push" => "roadlint-history",
            _ => return None,
        };
        self.ids
            .iter()
            .find(|id| id.strip_suffix("-src").unwrap_or(id) == stem)
            .map(String::as_str)
    }
}

/// Whether the hook at `path` is the pre-commit framework's script.
fn is_framework_script(path: &Path) -> bool {
    crate::bounded::read_capped(path, 1 << 20, false)
        .is_ok_and(|text| hook_scripts::is_pre_commit_framework(&text))
}

/// The framework runs roadlint at the hook `path` (through `id`): the gate is
/// its there, and a roadlint block in the `.legacy` hook it runs first (from
/// an earlier `init --hooks`) is taken out, so the gate runs once.
fn leave_to_the_framework(path: &Path, id: &str, report: &mut HookReport) -> Result<(), String> {
    let legacy = legacy_of(path);
    if let Ok(text) = crate::bounded::read_capped(&legacy, 1 << 20, false) {
        if let Some(rest) = hook_scripts::without_block(&text) {
            let fail = |e: std::io::Error| format!("{}: {e}", legacy.display());
            if rest == hook_scripts::fresh("").as_bytes() {
                std::fs::remove_file(&legacy).map_err(fail)?;
            } else {
                std::fs::write(&legacy, rest).map_err(fail)?;
            }
            let _ = writeln!(
                report.done,
                "took roadlint's block out of {}: the pre-commit framework runs roadlint there",
                legacy.display()
            );
        }
    }
    let _ = writeln!(
        report.done,
        "unchanged {} (the pre-commit framework runs roadlint there: `{id}` in .pre-commit-config.yaml)",
        path.display()
    );
    Ok(())
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
    if hook_scripts::is_pre_commit_framework(&text) && !is_legacy(path) {
        return beside_the_framework(path, &text, block, report);
    }
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

/// The file the pre-commit framework runs before its own hooks.
fn legacy_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".legacy");
    path.with_file_name(name)
}

/// Whether `path` is a `.legacy` hook (never given a `.legacy` of its own).
fn is_legacy(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "legacy")
}

/// Put `block` into the `.legacy` hook beside the pre-commit framework's
/// script at `path`, which runs it first and keeps it when `pre-commit
/// install` rewrites the script; a block an older roadlint added to the
/// script itself is taken out, so the gate runs once.
fn beside_the_framework(
    path: &Path,
    text: &[u8],
    block: String,
    report: &mut HookReport,
) -> Result<(), String> {
    let legacy = legacy_of(path);
    install_one(&legacy, block, report)?;
    if let Some(theirs) = hook_scripts::without_block(text) {
        std::fs::write(path, theirs).map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = writeln!(
            report.done,
            "moved roadlint's block out of {}: the pre-commit framework runs it from {}",
            path.display(),
            legacy.display()
        );
    }
    let _ = writeln!(
        report.done,
        "note: {} is the pre-commit framework's; it runs {} first (`pre-commit install -f` deletes that file: run `roadlint init --hooks` again after it)",
        path.display(),
        legacy.display()
    );
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
