//! `roadlint init`: the only command that writes.

use super::init_hooks;
use super::Outcome;
use crate::calendar::Date;
use crate::cli::InitArgs;
use crate::config::default_config_text;
use crate::discover;
use crate::git::{GitRepo, Opened};
use std::path::{Path, PathBuf};

/// Where `init` works: the directory the configuration lives in (the
/// existing `roadlint.toml`'s, else `DIR`, else the repository root), the
/// existing configuration if any, and the repository.
struct Place {
    base: PathBuf,
    existing: Option<PathBuf>,
    git: Option<Box<GitRepo>>,
}

/// Resolve [`Place`] from `DIR` (given or not): run from a subdirectory or a
/// linked worktree, `init` finds the root's `roadlint.toml` instead of
/// writing a second one that would shadow it.
fn resolve(dir: Option<&Path>) -> Result<Place, Outcome> {
    let start = dir.unwrap_or(Path::new("."));
    let git = match GitRepo::open(start) {
        Ok(Opened::Repo(g)) => Some(g),
        Ok(Opened::NotARepo) => None,
        Err(e) => return Err(Outcome::fail(e)),
    };
    let root = git.as_ref().filter(|g| !g.is_bare()).map(|g| g.root());
    let existing = match &root {
        Some(root) => discover::find_config(start, root),
        None => {
            let c = start.join(discover::CONFIG_FILE);
            std::fs::symlink_metadata(&c).is_ok().then_some(c)
        }
    };
    let base = match (&existing, dir, &root) {
        (Some(c), _, _) => c
            .parent()
            .map_or_else(|| start.to_path_buf(), Path::to_path_buf),
        (None, Some(d), _) => d.to_path_buf(),
        (None, None, Some(root)) => root.clone(),
        (None, None, None) => start.to_path_buf(),
    };
    Ok(Place {
        base,
        existing,
        git,
    })
}

/// `roadlint init [--example] [--hooks] [--force]`: write `roadlint.toml`
/// (a sample roadmap dated in the current quarter, the git hooks). Nothing is
/// written unless every file can be: an existing file is refused, or replaced
/// with `--force`. With `--hooks` an existing `roadlint.toml` is kept (the
/// team adding hooks already has its configuration) and the hooks are added
/// beside any that exist, never replacing them.
pub fn init(args: &InitArgs) -> Outcome {
    let place = match resolve(args.path.as_deref()) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    match &place.existing {
        Some(_) if args.hooks => {}
        Some(c) if !args.force => {
            return Outcome::fail_with_help(
                format!("{} already exists; not overwriting it", c.display()),
                "pass --force to replace it, or --hooks to keep it and add the hooks",
            )
        }
        Some(c) => planned.push((c.clone(), config_text(args))),
        None => planned.push((place.base.join(discover::CONFIG_FILE), config_text(args))),
    }
    if args.hooks && place.git.is_none() {
        return Outcome::fail_with_help(
            format!(
                "{} is not inside a git repository: no hooks written",
                args.path.as_deref().unwrap_or(Path::new(".")).display()
            ),
            "run `git init` first, or leave out --hooks",
        );
    }
    if args.example {
        let today = args.today.unwrap_or_else(Date::today_utc);
        let files = if args.monorepo {
            // roadlint.toml is the first file: written above.
            crate::example::monorepo_files(today).split_off(1)
        } else {
            crate::example::files(today)
        };
        for (name, text) in files {
            planned.push((place.base.join(name), text));
        }
    }
    for (path, _) in &planned {
        match std::fs::symlink_metadata(path) {
            Err(_) => {}
            Ok(m) if m.is_dir() => {
                return Outcome::fail(format!("{} is a directory", path.display()))
            }
            Ok(_) if !args.force => {
                return Outcome::fail_with_help(
                    format!("{} already exists; not overwriting it", path.display()),
                    "pass --force to replace it",
                )
            }
            Ok(_) => {}
        }
    }
    let mut written = String::new();
    for (path, text) in planned {
        if let Err(e) = write_file(&path, &text, args.force) {
            return Outcome::fail(format!("{}: {e}", path.display()));
        }
        written.push_str(&format!("wrote {}\n", path.display()));
    }
    if let (true, Some(git)) = (args.hooks, place.git.as_deref()) {
        let report = match init_hooks::install(git) {
            Ok(r) => r,
            Err(e) => return Outcome::fail(e),
        };
        written.push_str(&report.done);
        written.push_str(&init_hooks::by_hand_text(&report.by_hand));
        written.push_str("the hooks run the `roadlint` on PATH (without it they warn and let git go on; `git config roadlint.requireHooks true` refuses roadmap changes then); the reference-transaction hook needs git 2.28 or later\n");
    }
    written.push_str("next: run `roadlint check`\n");
    Outcome::ok(written)
}

/// The `roadlint.toml` to write: the commented defaults, or the two-team
/// example's (`--example --monorepo`).
fn config_text(args: &InitArgs) -> String {
    match (
        args.monorepo,
        crate::example::monorepo_files(Date::today_utc()).first(),
    ) {
        (true, Some((_, text))) => text.clone(),
        _ => default_config_text(),
    }
}

/// Write `text` to `path` (creating directories); with `replace`, a file
/// (or link) already there is removed first, so a link is never written
/// through.
fn write_file(path: &Path, text: &str, replace: bool) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if replace && std::fs::symlink_metadata(path).is_ok() {
        std::fs::remove_file(path)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    std::io::Write::write_all(&mut file, text.as_bytes())
}
