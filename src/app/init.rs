//! `roadlint init`: the only command that writes.

use super::Outcome;
use crate::calendar::Date;
use crate::cli::InitArgs;
use crate::config::default_config_text;
use crate::discover;
use std::path::PathBuf;

/// The git hooks of the sign-off gate: (name, what it runs). Each runs the
/// `roadlint` found on PATH.
pub const HOOKS: &[(&str, &str)] = &[
    // The staged plan, when a TOML file is staged (as the pre-commit
    // framework's hook fires); old history never blocks an unrelated commit.
    (
        "pre-commit",
        "git diff --cached --name-only | grep -q '\\.toml$' || exit 0\nexec roadlint check --staged --no-history",
    ),
    // The commit being made, with its message as git will store it.
    ("commit-msg", "roadlint commit-msg \"$1\""),
    // Every commit landing on a branch: amend, rebase, cherry-pick, --no-verify.
    (
        "reference-transaction",
        "roadlint reference-transaction \"$1\"",
    ),
    // The whole history before it leaves the machine.
    ("pre-push", "roadlint check"),
];

/// The text of a hook script running `command`.
fn hook_script(command: &str) -> String {
    let command = if command.contains("exec ") {
        command.to_string()
    } else {
        format!("exec {command}")
    };
    format!(
        "#!/bin/sh\n# Written by `roadlint init --hooks`: the roadmap sign-off gate.\nif ! command -v roadlint >/dev/null 2>&1; then\n  echo \"roadlint: not found on PATH; this hook ($0) cannot judge the change: install roadlint, or remove the hook\" >&2\n  exit 1\nfi\n{command}\n"
    )
}

/// The hooks to write into the repository around `dir`'s hooks directory.
fn planned_hooks(dir: &std::path::Path) -> Result<Vec<(PathBuf, String)>, Outcome> {
    let git = match crate::history::GitRepo::open(dir) {
        Ok(crate::history::Opened::Repo(g)) => g,
        Ok(crate::history::Opened::NotARepo) => {
            return Err(Outcome::fail_with_help(
                format!(
                    "{} is not inside a git repository: no hooks written",
                    dir.display()
                ),
                "run `git init` first, or leave out --hooks",
            ))
        }
        Err(e) => return Err(Outcome::fail(e)),
    };
    let hooks = git.hooks_dir();
    Ok(HOOKS
        .iter()
        .map(|(name, command)| (hooks.join(name), hook_script(command)))
        .collect())
}

/// `roadlint init [--example] [--hooks] [--force]`: write `roadlint.toml`
/// (a sample roadmap dated in the current quarter, the git hooks). Nothing is
/// written unless every file can be: an existing file is refused, or replaced
/// with `--force`. With `--hooks` an existing `roadlint.toml` is kept: the
/// team adding hooks already has its configuration.
pub fn init(args: &InitArgs) -> Outcome {
    let dir = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = dir.join(discover::CONFIG_FILE);
    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    if !(args.hooks && std::fs::symlink_metadata(&config).is_ok()) {
        planned.push((config, default_config_text()));
    }
    let mut executable = Vec::new();
    if args.hooks {
        match planned_hooks(&dir) {
            Ok(hooks) => {
                executable.extend(hooks.iter().map(|(p, _)| p.clone()));
                planned.extend(hooks);
            }
            Err(o) => return o,
        }
    }
    if args.example {
        let today = args.today.unwrap_or_else(Date::today_utc);
        for (name, text) in crate::example::files(today) {
            planned.push((dir.join(name), text));
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
                    "pass --force to replace it (for a hook: chain your own hook to the roadlint command instead)",
                )
            }
            Ok(_) => {}
        }
    }
    let mut written = String::new();
    for (path, text) in planned {
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                return Outcome::fail(format!("{}: {e}", parent.display()));
            }
        }
        // A file (or link) being replaced is removed first, so a link is
        // never written through.
        if args.force && std::fs::symlink_metadata(&path).is_ok() {
            if let Err(e) = std::fs::remove_file(&path) {
                return Outcome::fail(format!("{}: {e}", path.display()));
            }
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file.and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes())) {
            Ok(()) => written.push_str(&format!("wrote {}\n", path.display())),
            Err(e) => return Outcome::fail(format!("{}: {e}", path.display())),
        }
        #[cfg(unix)]
        if executable.contains(&path) {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o755);
            if let Err(e) = std::fs::set_permissions(&path, mode) {
                return Outcome::fail(format!("{}: {e}", path.display()));
            }
        }
    }
    if args.hooks {
        written.push_str("the hooks run the `roadlint` on PATH; the reference-transaction hook needs git 2.28 or later\n");
    }
    written.push_str("next: run `roadlint check`\n");
    Outcome::ok(written)
}
