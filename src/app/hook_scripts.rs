//! The shell blocks `roadlint init --hooks` puts into git hooks, and where a
//! block goes in a hook that already exists.
//!
//! Each block is self-contained POSIX sh (functions prefixed `roadlint_`,
//! no `exec`, no `exit` but to refuse), so it can sit at the top of a hook
//! written by the pre-commit framework, husky or a team, and the rest of
//! that hook runs after it unchanged. The blocks do the cheap part in the
//! shell: they start roadlint only when the change touches a path roadlint
//! judges (the roadmap globs, presets and sign-off files named by
//! `roadlint.toml`), and without roadlint on PATH they warn once and let git
//! go on, unless `roadlint.requireHooks` is true and the roadmap changes.
//! They keep what they learn between runs in the git directory, never the
//! work tree: the pathspecs parsed from `roadlint.toml`
//! (`roadlint-pathspecs`, used while strictly newer than that file and the
//! root directory) and the pre-commit block's finding for the commit-msg
//! block of the same git process (`roadlint-staged`).

/// The line that opens a block.
pub(crate) const BEGIN: &str =
    "# >>> roadlint: added by `roadlint init --hooks`; keep it before the hook's first command >>>";

/// The line that closes a block.
pub(crate) const END: &str = "# <<< roadlint <<<";

/// The functions every block shares.
const COMMON: &str = include_str!("hook_scripts/common.sh");

/// The hooks of the sign-off gate: (name, what the block does there).
pub(crate) const HOOKS: &[(&str, &str)] = &[
    ("pre-commit", include_str!("hook_scripts/pre-commit.sh")),
    ("commit-msg", include_str!("hook_scripts/commit-msg.sh")),
    (
        "reference-transaction",
        include_str!("hook_scripts/reference-transaction.sh"),
    ),
    ("pre-push", include_str!("hook_scripts/pre-push.sh")),
];

/// The judging part of the reference-transaction block (see [`block`]).
const JUDGE: &str = include_str!("hook_scripts/reference-transaction-judge.sh");

/// How a hook's own part asks for [`JUDGE`], kept in a string and evaluated.
const USES_JUDGE: &str = "eval \"$roadlint_judge\"";

/// `parts` joined without their comment lines: git runs reference-transaction
/// about fifteen times per rebased commit and sh reads every byte of the hook
/// each time (the commented scripts are `src/app/hook_scripts/` in
/// roadlint's source).
fn code(parts: &[&str]) -> String {
    let mut out = String::new();
    for line in parts.iter().flat_map(|p| p.lines()) {
        if !line.trim_start().starts_with('#') {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The whole marked block for a hook whose own part is `body`. A body that
/// evaluates `$roadlint_judge` (reference-transaction's) gets the shared
/// functions and [`JUDGE`] as that single-quoted string: sh skips a string
/// without parsing it, and most runs of that hook judge nothing.
pub(crate) fn block(body: &str) -> String {
    let mut out = format!("{BEGIN}\n");
    if body.contains(USES_JUDGE) {
        out.push_str("roadlint_nl='\n'\nroadlint_judge='");
        out.push_str(&code(&[COMMON, JUDGE]).replace('\'', "'\\''"));
        out.push_str("'\n");
        out.push_str(&code(&[body]));
    } else {
        out.push_str(&code(&[COMMON, body]));
    }
    out.push_str(END);
    out.push('\n');
    out
}

/// A new hook file holding only `block`.
pub(crate) fn fresh(block: &str) -> String {
    format!("#!/bin/sh\n# Written by `roadlint init --hooks`: the roadmap sign-off gate.\n{block}")
}

/// What adding a block to an existing hook comes to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Placed {
    /// The hook already holds this very block.
    Unchanged,
    /// The hook's new text: the block added (or an older block replaced).
    Changed(Vec<u8>),
    /// The hook is not a shell script (another interpreter, or binary): it is
    /// not edited.
    NotShell,
}

/// Whether a hook's first line starts a shell that runs the block: sh,
/// bash, dash, ksh or zsh (directly or through `env`); a file without a
/// `#!` line is run by git with sh.
fn is_shell(first: &[u8]) -> bool {
    let Some(rest) = first.strip_prefix(b"#!") else {
        return true;
    };
    let rest = String::from_utf8_lossy(rest);
    let mut words = rest.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if program.rsplit('/').next() == Some("env") {
        program = words.find(|w| !w.starts_with('-')).unwrap_or("");
    }
    matches!(
        program.rsplit('/').next().unwrap_or(""),
        "sh" | "bash" | "dash" | "ksh" | "zsh"
    )
}

/// The line range `[begin, end]` of a roadlint block in a hook's lines.
fn block_lines(lines: &[&[u8]]) -> Option<(usize, usize)> {
    let trimmed = |l: &[u8]| String::from_utf8_lossy(l).trim_end().to_string();
    let begin = lines.iter().position(|l| trimmed(l) == BEGIN)?;
    let end = lines[begin..].iter().position(|l| trimmed(l) == END)?;
    Some((begin, begin + end))
}

/// `text` (an existing hook) with `block` in it: an earlier roadlint block is
/// replaced in place; otherwise the block goes after the `#!` line and the
/// comment lines right below it, before the first command, so no `exit` or
/// `exec` of the hook can skip it. Every other byte is kept.
pub(crate) fn place(text: &[u8], block: &str) -> Placed {
    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    if text.contains(&0) || !lines.first().is_none_or(|l| is_shell(l)) {
        return Placed::NotShell;
    }
    let (before, after) = match block_lines(&lines) {
        Some((b, e)) => {
            if lines[b..=e].concat() == block.as_bytes() {
                return Placed::Unchanged;
            }
            (&lines[..b], &lines[e + 1..])
        }
        None => {
            let mut at = usize::from(lines.first().is_some_and(|l| l.starts_with(b"#!")));
            while at < lines.len() && lines[at].starts_with(b"#") {
                at += 1;
            }
            (&lines[..at], &lines[at..])
        }
    };
    let mut out = before.concat();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(&after.concat());
    Placed::Changed(out)
}

/// `text` without its roadlint block, when it has one; every other byte kept.
pub(crate) fn without_block(text: &[u8]) -> Option<Vec<u8>> {
    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    let (b, e) = block_lines(&lines)?;
    let mut out = lines[..b].concat();
    out.extend_from_slice(&lines[e + 1..].concat());
    Some(out)
}

/// Whether a hook is the pre-commit framework's script. `pre-commit install`
/// rewrites that script whole (dropping anything added to it) and runs
/// `<hook>.legacy` before its own hooks, so roadlint's block belongs in the
/// `.legacy` file beside it.
pub(crate) fn is_pre_commit_framework(text: &[u8]) -> bool {
    let has = |needle: &[u8]| text.windows(needle.len()).any(|w| w == needle);
    has(b"# File generated by pre-commit") || (has(b"hook-impl") && has(b"pre_commit"))
}

#[cfg(test)]
mod tests {
    use super::{
        block, code, is_pre_commit_framework, place, without_block, Placed, COMMON, HOOKS, JUDGE,
    };

    #[test]
    fn the_block_goes_before_the_first_command_and_keeps_the_rest() {
        let b = block(HOOKS[0].1);
        let hook = "#!/usr/bin/env bash\n# generated\n# ID: 1\n\nset -e\nexec x \"$@\"\n";
        let Placed::Changed(out) = place(hook.as_bytes(), &b) else {
            panic!("not placed")
        };
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            format!("#!/usr/bin/env bash\n# generated\n# ID: 1\n{b}\nset -e\nexec x \"$@\"\n")
        );
        assert_eq!(place(out.as_bytes(), &b), Placed::Unchanged);
        let newer = block("roadlint_x() { :; }\n");
        let Placed::Changed(again) = place(out.as_bytes(), &newer) else {
            panic!("not replaced")
        };
        assert_eq!(
            String::from_utf8(again).unwrap(),
            format!("#!/usr/bin/env bash\n# generated\n# ID: 1\n{newer}\nset -e\nexec x \"$@\"\n")
        );
    }

    /// Whether `sh -n` accepts `script`.
    fn parses(script: &str) -> bool {
        use std::io::Write as _;
        let mut sh = std::process::Command::new("sh")
            .arg("-n")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("sh runs");
        sh.stdin
            .take()
            .expect("stdin")
            .write_all(script.as_bytes())
            .expect("write");
        sh.wait().expect("sh ends").success()
    }

    #[test]
    fn every_block_is_valid_sh_without_comment_lines() {
        assert!(parses(&code(&[COMMON, JUDGE])), "the judging part");
        assert!(!parses("if true; then\n"), "sh -n refuses a broken script");
        for (name, body) in HOOKS {
            let b = block(body);
            let comments = b.lines().filter(|l| l.trim_start().starts_with('#'));
            assert_eq!(comments.count(), 2, "{name}: only the two markers");
            assert!(parses(&b), "{name}: {b}");
        }
        let rt = block(HOOKS[2].1);
        assert!(rt.contains("roadlint_judge='"), "{rt}");
    }

    #[test]
    fn other_interpreters_are_not_edited() {
        let b = block(HOOKS[0].1);
        assert_eq!(
            place(b"#!/usr/bin/python3\nimport x\n", &b),
            Placed::NotShell
        );
        assert_eq!(place(b"#!/usr/bin/env node\n", &b), Placed::NotShell);
        assert!(matches!(place(b"#!/bin/sh -e\n", &b), Placed::Changed(_)));
        assert!(matches!(place(b"", &b), Placed::Changed(_)));
    }

    #[test]
    fn a_block_is_removed_byte_for_byte() {
        let b = block(HOOKS[1].1);
        let hook = "#!/bin/sh\n# theirs\necho hi\n";
        let Placed::Changed(with) = place(hook.as_bytes(), &b) else {
            panic!("not placed")
        };
        assert_eq!(without_block(&with).as_deref(), Some(hook.as_bytes()));
        assert_eq!(without_block(hook.as_bytes()), None);
    }

    #[test]
    fn the_pre_commit_frameworks_script_is_recognised() {
        let theirs = "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n# ID: 138fd403232d2ddd5efb44317e38bf03\nARGS=(hook-impl)\nexec \"$INSTALL_PYTHON\" -mpre_commit \"${ARGS[@]}\"\n";
        assert!(is_pre_commit_framework(theirs.as_bytes()));
        let older = "#!/usr/bin/env python3\nimport pre_commit\nhook-impl\n";
        assert!(is_pre_commit_framework(older.as_bytes()));
        assert!(!is_pre_commit_framework(b"#!/bin/sh\nnpx lint-staged\n"));
        assert!(!is_pre_commit_framework(block(HOOKS[0].1).as_bytes()));
    }
}
