//! `roadlint init`: the only command that writes.

use super::Outcome;
use crate::cli::InitArgs;
use crate::config::default_config_text;
use crate::discover;
use std::path::PathBuf;

/// `roadlint init [--example]`: the only command that writes.
pub fn init(args: &InitArgs) -> Outcome {
    let dir = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = dir.join(discover::CONFIG_FILE);
    if std::fs::symlink_metadata(&config).is_ok() {
        return Outcome::fail(format!(
            "{} already exists; not overwriting it",
            config.display()
        ));
    }
    let defaults = default_config_text();
    let mut planned: Vec<(PathBuf, &str)> = vec![(config, &defaults)];
    if args.example {
        for (name, text) in crate::example::FILES {
            let p = dir.join(name);
            if std::fs::symlink_metadata(&p).is_ok() {
                return Outcome::fail(format!(
                    "{} already exists; not overwriting it",
                    p.display()
                ));
            }
            planned.push((p, text));
        }
    }
    let mut written = String::new();
    for (path, text) in planned {
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                return Outcome::fail(format!("{}: {e}", parent.display()));
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
