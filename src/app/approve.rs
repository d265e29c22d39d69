//! `roadlint approve`: sign the approval of each gated file's change with
//! `ssh-keygen -Y sign` (SPEC §9.4). The only command that runs a program,
//! and only `ssh-keygen` from PATH; it writes the approval files into the
//! approvals folder of the work tree and stages nothing.

use super::session::{OpenOptions, Session};
use super::Outcome;
use crate::cli::{ApproveArgs, ApproveRole};
use crate::history::{self, PendingChange};
use crate::output::{Format, Style};
use crate::signoff::ssh::approval::is_null_id as is_null;
use crate::signoff::ssh::judge::is;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The SSHSIG namespace approvals are signed in.
const NAMESPACE: &str = "roadlint-approval";

/// `roadlint approve`.
pub fn approve(args: &ApproveArgs) -> Outcome {
    match run(args) {
        Ok(o) | Err(o) => o,
    }
}

fn run(args: &ApproveArgs) -> Result<Outcome, Outcome> {
    let session = Session::open(&OpenOptions {
        path: None,
        config: args.config.as_deref(),
        staged: args.rev.is_none(),
        rev: args.rev.as_deref(),
        style: Style::detect(crate::cli::ColorChoice::Never, true),
        format: Format::Human,
    })?;
    let Some(git) = session.git.as_deref() else {
        return Err(Outcome::fail("roadlint approve needs a git repository"));
    };
    let signoff = &session.config.signoff;
    let key = signing_key(args.key.as_deref())?;
    let public = public_key(&key)?;
    let head = git.resolve("HEAD").map_err(Outcome::fail)?;
    let rev = match &args.rev {
        Some(r) => Some(git.resolve(r).map_err(Outcome::fail)?),
        None => None,
    };
    let principals = history::principals_of(git, head, &signoff.allowed_signers, &public)
        .map_err(Outcome::fail)?
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            Outcome::fail(format!(
                "the key {} is not listed in HEAD's {}",
                key.display(),
                signoff.allowed_signers
            ))
        })?;
    let stood = history::approvers_before(git, &session.config, &session.loaded.sources, rev)
        .map_err(Outcome::fail)?;
    let at = if rev.is_some() {
        "REV's parent"
    } else {
        "HEAD"
    };
    let role = role(args.role, &stood, at, &principals)?;
    let approvals = format!("{}/", signoff.approvals.trim_end_matches('/'));
    let mut extra = vec![
        "roadlint.toml".to_string(),
        signoff.allowed_signers.clone(),
        approvals.clone(),
    ];
    extra.extend(args.paths.iter().cloned());
    let mut changes = history::pending_changes(git, rev, &session.config.roadmap, &extra)
        .map_err(Outcome::fail)?;
    if !args.paths.is_empty() {
        changes.retain(|c| args.paths.contains(&c.path));
    }
    // A quarter's free changes (wording, owners) need no sign-off, nor does
    // a new approval; deleting or rewriting one does (SPEC §9.4).
    changes.retain(|c| c.label == c.path || !c.words.is_empty());
    changes.retain(|c| !c.path.starts_with(&approvals) || !is_null(&c.before));
    if changes.is_empty() {
        return Err(Outcome::fail(
            "nothing to approve: no gated file's version differs from the one before it",
        ));
    }
    let folder = session.root.join(&signoff.approvals);
    std::fs::create_dir_all(&folder)
        .map_err(|e| Outcome::fail(format!("{}: {e}", folder.display())))?;
    let mut out = String::new();
    for change in &changes {
        let file = sign(&key, &folder, change, role, &principals[0])?;
        let what = if is_null(&change.after) {
            format!("deletes {}", change.path)
        } else if change.words.is_empty() {
            format!("changes {}", change.path)
        } else {
            change.words.join(", ")
        };
        let _ = writeln!(
            out,
            "approves {}: {what} ({role} approval by {}, {})",
            change.label,
            principals[0],
            file.strip_prefix(&session.root).unwrap_or(&file).display()
        );
    }
    Ok(Outcome::ok(out))
}

/// The role the approval gives: `--role`, else the one role the key's
/// principal holds among the approvers as they stood before the change
/// (`stood`: HEAD's for the staged change, REV's parent's for `--rev`).
fn role(
    asked: Option<ApproveRole>,
    stood: &history::StoodApprovers,
    at: &str,
    principals: &[String],
) -> Result<&'static str, Outcome> {
    let holds = |people: &[String]| people.iter().any(|w| principals.iter().any(|p| is(w, p)));
    let (product, tech) = (holds(&stood.product), holds(&stood.tech));
    let who = principals.join(", ");
    match (asked, product, tech) {
        (Some(ApproveRole::Product), true, _) => Ok("product"),
        (Some(ApproveRole::Tech), _, true) => Ok("tech"),
        (Some(r), _, _) => Err(Outcome::fail(format!(
            "{who} is no {} approver at {at}",
            match r {
                ApproveRole::Product => "product",
                ApproveRole::Tech => "tech",
            }
        ))),
        (None, true, true) => Err(Outcome::fail_with_help(
            format!("{who} may approve as product and as tech"),
            "say which with --role product or --role tech",
        )),
        (None, true, false) => Ok("product"),
        (None, false, true) => Ok("tech"),
        (None, false, false) => Err(Outcome::fail(format!("{who} is no approver at {at}"))),
    }
}

/// Sign `change`'s statement and write the approval file into `folder`.
fn sign(
    key: &Path,
    folder: &Path,
    change: &PendingChange,
    role: &str,
    principal: &str,
) -> Result<PathBuf, Outcome> {
    let statement = format!(
        "roadlint approval v1\nrole: {role}\nprincipal: {principal}\nbefore: {}\nafter: {}\n",
        change.before, change.after
    );
    let dir = tempfile::tempdir().map_err(|e| Outcome::fail(format!("a temporary folder: {e}")))?;
    let file = dir.path().join("statement");
    std::fs::write(&file, &statement).map_err(|e| Outcome::fail(format!("{e}")))?;
    let out = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", NAMESPACE, "-f"])
        .arg(key)
        .arg(&file)
        .output()
        .map_err(|e| Outcome::fail(format!("running ssh-keygen: {e}")))?;
    if !out.status.success() {
        return Err(Outcome::fail(format!(
            "ssh-keygen could not sign: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let sig = std::fs::read_to_string(dir.path().join("statement.sig"))
        .map_err(|e| Outcome::fail(format!("reading ssh-keygen's signature: {e}")))?;
    let safe: String = principal
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let label: String = change
        .label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("{label}-{}-{role}-{safe}.approval", &change.after[..12]);
    let path = folder.join(name);
    std::fs::write(&path, format!("{statement}{sig}"))
        .map_err(|e| Outcome::fail(format!("{}: {e}", path.display())))?;
    Ok(path)
}

/// `--key`, else `user.signingKey` of the user's global git config (never
/// the repository's: a cloned repository must not choose the key).
fn signing_key(key: Option<&Path>) -> Result<PathBuf, Outcome> {
    if let Some(k) = key {
        return Ok(k.to_path_buf());
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut files: Vec<PathBuf> = Vec::new();
    match std::env::var_os("GIT_CONFIG_GLOBAL") {
        Some(g) => files.push(g.into()),
        None => {
            let xdg = std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".config")));
            files.extend(xdg.map(|x| x.join("git/config")));
            files.extend(home.as_ref().map(|h| h.join(".gitconfig")));
        }
    }
    let mut found = None;
    for f in files.into_iter().filter(|f| f.is_file()) {
        let Ok(cfg) = gix::config::File::from_path_no_includes(f, gix::config::Source::User) else {
            continue;
        };
        if let Some(v) = cfg.string("user.signingKey") {
            found = Some(String::from_utf8_lossy(&v).into_owned());
        }
    }
    let Some(v) = found else {
        return Err(Outcome::fail_with_help(
            "no signing key: pass --key FILE",
            "or set user.signingKey in your global git config (git config --global user.signingKey ~/.ssh/id_ed25519.pub)",
        ));
    };
    if v.starts_with("key::") || v.starts_with("ssh-") {
        return Err(Outcome::fail(
            "user.signingKey holds a literal key: pass the key's file with --key FILE",
        ));
    }
    match (v.strip_prefix("~/"), home) {
        (Some(rest), Some(h)) => Ok(h.join(rest)),
        _ => Ok(PathBuf::from(v)),
    }
}

/// The OpenSSH public key line of `key` (a `.pub` file, or the `.pub`
/// beside a private key).
fn public_key(key: &Path) -> Result<String, Outcome> {
    let public = if key.extension().is_some_and(|e| e == "pub") {
        key.to_path_buf()
    } else {
        let mut p = key.as_os_str().to_owned();
        p.push(".pub");
        PathBuf::from(p)
    };
    let bytes = crate::bounded::read_capped(&public, 64 * 1024, true)
        .map_err(|e| Outcome::fail(format!("{}: {e}", public.display())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
