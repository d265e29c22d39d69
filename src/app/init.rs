//! `roadlint init`: the only command that writes.

use super::Outcome;
use crate::calendar::Date;
use crate::cli::InitArgs;
use crate::config::default_config_text;
use crate::discover;
use std::path::PathBuf;

/// `roadlint init [--example] [--force]`: write `roadlint.toml` (and a sample
/// roadmap dated in the current quarter). Nothing is written unless every
/// file can be: an existing file is refused, or replaced with `--force`.
pub fn init(args: &InitArgs) -> Outcome {
    let dir = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut planned: Vec<(PathBuf, String)> =
        vec![(dir.join(discover::CONFIG_FILE), default_config_text())];
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
                return Outcome::fail(format!(
                    "{} already exists; not overwriting it (pass --force to replace it)",
                    path.display()
                ))
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
    }
    written.push_str("next: run `roadlint check`\n");
    Outcome::ok(written)
}
