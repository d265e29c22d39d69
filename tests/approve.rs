//! Verified sign-off (SPEC §9.4) end to end: real `ssh-keygen` keys and
//! signatures, real git, and `check` judging the approvals in pure Rust.
//! Forged trailers come first: under `verify = "ssh"` they sign nothing.

mod common;

use common::{clean_env, code, text, Repo, KPIS};
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-Q1, locked on 2026-01-10: dana is product owner, lee tech owner;
/// pat owns both sides of one item (so pat may sign either role, not both).
const LOCKED: &str = r#"quarter = "2026-Q1"
capacity = 40
locked = 2026-01-10

[[item]]
id = "PAY-1"
title = "Checkout"
kind = "feature"
effort = 14
product_owner = "dana"
tech_owner = "lee"
kpis = ["conversion"]

[[item]]
id = "PAY-2"
title = "Wallets"
kind = "feature"
effort = 4
product_owner = "pat"
tech_owner = "pat"
kpis = ["conversion"]
"#;

const CONFIG: &str = "[signoff]\nverify = \"ssh\"\n";
const QUARTER: &str = "roadmap/2026-Q1.toml";
const PLANNED: &str = "2026-01-05T10:00:00Z";
const AFTER: &str = "2026-02-02T10:00:00Z";
const LATER: &str = "2026-02-03T10:00:00Z";

/// Keys made with `ssh-keygen` in a directory outside the repository.
struct Keys {
    dir: tempfile::TempDir,
    ssh_keygen: PathBuf,
}

impl Keys {
    /// None when ssh-keygen is missing (a failure under
    /// ROADLINT_REQUIRE_EXTERNAL=1).
    fn new() -> Option<Keys> {
        let ssh_keygen = common::tool("ssh-keygen")?;
        Some(Keys {
            dir: tempfile::tempdir().expect("tempdir"),
            ssh_keygen,
        })
    }

    /// Make the key `name` of type `kind` (`ed25519`, `ecdsa`, `rsa`) once.
    fn key(&self, name: &str, kind: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if !path.exists() {
            let out = Command::new(&self.ssh_keygen)
                .args(["-q", "-t", kind, "-N", "", "-C", name, "-f"])
                .arg(&path)
                .output()
                .expect("ssh-keygen runs");
            assert!(out.status.success(), "{}", text(&out));
        }
        path
    }

    /// The public key line of `name`.
    fn public(&self, name: &str) -> String {
        let path = self.dir.path().join(format!("{name}.pub"));
        std::fs::read_to_string(path)
            .expect("public key")
            .trim()
            .to_string()
    }

    /// `ssh-keygen -Y sign -n namespace` of `message` with key `name`.
    fn sign(&self, name: &str, namespace: &str, message: &str) -> String {
        let file = self.dir.path().join("statement");
        std::fs::write(&file, message).expect("write statement");
        let sig = self.dir.path().join("statement.sig");
        let _ = std::fs::remove_file(&sig);
        let out = Command::new(&self.ssh_keygen)
            .args(["-Y", "sign", "-n", namespace, "-f"])
            .arg(self.dir.path().join(name))
            .arg(&file)
            .output()
            .expect("ssh-keygen runs");
        assert!(out.status.success(), "{}", text(&out));
        std::fs::read_to_string(sig).expect("signature")
    }
}

/// The five statement lines of an approval.
fn statement(role: &str, principal: &str, before: &str, after: &str) -> String {
    format!("roadlint approval v1\nrole: {role}\nprincipal: {principal}\nbefore: {before}\nafter: {after}\n")
}

/// The blob id of `path` at `rev` (zeros when absent).
fn blob(r: &Repo, rev: &str, path: &str) -> String {
    let out = Command::new("git")
        .current_dir(r.path())
        .args(["rev-parse", "-q", "--verify", &format!("{rev}:{path}")])
        .output()
        .expect("git runs");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if id.is_empty() {
        "0".repeat(40)
    } else {
        id
    }
}

/// The allowed-signers lines: dana (ed25519), lee (ecdsa), pat (rsa), eve
/// (ed25519, listed but owns nothing).
fn signers(k: &Keys) -> String {
    for (name, kind) in [
        ("dana", "ed25519"),
        ("lee", "ecdsa"),
        ("pat", "rsa"),
        ("eve", "ed25519"),
        ("mallory", "ed25519"),
    ] {
        k.key(name, kind);
    }
    format!(
        "dana@example.com,dana {}\nlee {}\npat {}\neve {}\n",
        k.public("dana"),
        k.public("lee"),
        k.public("pat"),
        k.public("eve")
    )
}

/// A repository adopting verified sign-off: roadlint.toml, the allowed
/// signers and the locked quarter, committed before the lock.
fn adopted(k: &Keys) -> Repo {
    adopted_with(k, CONFIG)
}

/// [`adopted`] with another `roadlint.toml`.
fn adopted_with(k: &Keys, config: &str) -> Repo {
    let r = Repo::init();
    r.write("roadlint.toml", config)
        .write(".roadlint/allowed_signers", &signers(k))
        .write(QUARTER, LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    r.commit("docs: plan 2026-Q1", PLANNED);
    r
}

/// Add an item to the locked quarter (not committed).
fn add_item(r: &Repo, id: &str) {
    let text = std::fs::read_to_string(r.path().join(QUARTER)).expect("quarter");
    r.write(
        QUARTER,
        &format!("{text}\n[[item]]\nid = \"{id}\"\ntitle = \"New\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n"),
    );
}

/// Write an approval file of `key` for the change of `path` from
/// `before` to `after`.
#[allow(clippy::too_many_arguments)]
fn approve(
    r: &Repo,
    k: &Keys,
    key: &str,
    role: &str,
    principal: &str,
    before: &str,
    after: &str,
    name: &str,
) {
    let s = statement(role, principal, before, after);
    let sig = k.sign(key, "roadlint-approval", &s);
    r.write(
        &format!(".roadlint/approvals/{name}.approval"),
        &format!("{s}{sig}"),
    );
}

/// The staged change of the quarter, (before, after) against HEAD.
fn staged_change(r: &Repo, path: &str) -> (String, String) {
    r.git(&["add", "-A"]);
    let after = r
        .git(&["rev-parse", &format!(":{path}")])
        .trim()
        .to_string();
    (blob(r, "HEAD", path), after)
}

/// `check`'s messages of `rule` (json), with `extra` arguments.
fn messages(r: &Repo, rule: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-15",
        "--select",
        rule,
    ];
    args.extend(extra);
    let out = r.roadlint(&args);
    assert!(code(&out) < 2, "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The locked-scope messages of `check`.
fn locked(r: &Repo) -> Vec<String> {
    messages(r, "locked-scope", &[])
}

/// Stage an item added to the quarter, with approvals by `product` and
/// `tech` ((key, principal)); commit it with trailers naming dana and lee.
fn change_approved_by(
    r: &Repo,
    k: &Keys,
    product: Option<(&str, &str)>,
    tech: Option<(&str, &str)>,
) {
    add_item(r, "PAY-140");
    let (before, after) = staged_change(r, QUARTER);
    if let Some((key, who)) = product {
        approve(r, k, key, "product", who, &before, &after, "q1-product");
    }
    if let Some((key, who)) = tech {
        approve(r, k, key, "tech", who, &before, &after, "q1-tech");
    }
    r.commit(
        "feat: add PAY-140\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        AFTER,
    );
}

/// Text with the renderer's wrapping and frame undone, for matching.
fn flat(s: &str) -> String {
    s.replace(['│', '×'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn has(found: &[String], want: &str) -> bool {
    found.iter().any(|m| m.contains(want))
}

#[test]
fn forged_trailers_sign_nothing_under_verify_ssh() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    change_approved_by(&r, &k, None, None);
    let found = locked(&r);
    assert!(
        has(&found, "no product approval for 2026-Q1 ("),
        "{found:?}"
    );
    assert!(has(&found, "no tech approval for 2026-Q1 ("), "{found:?}");
    assert!(
        has(&found, "run `roadlint approve --role product --rev "),
        "{found:?}"
    );
}

#[test]
fn two_verified_approvals_sign_off_with_the_change_or_later() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    change_approved_by(
        &r,
        &k,
        Some(("dana", "dana@example.com")),
        Some(("lee", "lee")),
    );
    assert_eq!(locked(&r), Vec::<String>::new());

    // Approvals that land after the change count too.
    add_item(&r, "PAY-141");
    let (before, after) = staged_change(&r, QUARTER);
    r.commit("feat: add PAY-141", AFTER);
    assert!(has(&locked(&r), "no product approval"), "{:?}", locked(&r));
    approve(
        &r,
        &k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "141-product",
    );
    approve(&r, &k, "pat", "tech", "pat", &before, &after, "141-tech");
    r.commit("docs: approve PAY-141", LATER);
    assert_eq!(locked(&r), Vec::<String>::new());
}

#[test]
fn a_squash_made_with_commit_tree_keeps_its_approvals() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    let base = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    add_item(&r, "PAY-150");
    let before = blob(&r, "HEAD", QUARTER);
    r.commit("feat: add PAY-150", AFTER);
    add_item(&r, "PAY-151");
    let (_, after) = staged_change(&r, QUARTER);
    approve(
        &r,
        &k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "squash-product",
    );
    approve(&r, &k, "lee", "tech", "lee", &before, &after, "squash-tech");
    r.commit("feat: add PAY-151", LATER);
    // GitHub's squash: one commit with the branch's tree on the base.
    let tree = r.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
    let squash = r
        .git_at(
            &[
                "commit-tree",
                &tree,
                "-p",
                &base,
                "-m",
                "feat: PAY-150 and PAY-151 (#7)",
            ],
            Some(LATER),
        )
        .trim()
        .to_string();
    r.git(&["reset", "-q", "--hard", &squash]);
    assert_eq!(locked(&r), Vec::<String>::new());
}

#[test]
fn forged_tampered_replayed_and_lone_approvals_are_refused() {
    let Some(k) = Keys::new() else { return };
    // A key nobody listed, signing as dana.
    let r = adopted(&k);
    change_approved_by(
        &r,
        &k,
        Some(("mallory", "dana@example.com")),
        Some(("lee", "lee")),
    );
    let found = locked(&r);
    assert!(
        has(&found, "signed by a key not listed for dana@example.com"),
        "{found:?}"
    );

    // A statement edited after signing.
    let r = adopted(&k);
    add_item(&r, "PAY-140");
    let (before, after) = staged_change(&r, QUARTER);
    approve(
        &r,
        &k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "q1-product",
    );
    approve(&r, &k, "lee", "tech", "lee", &before, &after, "q1-tech");
    let file = r.path().join(".roadlint/approvals/q1-tech.approval");
    let text = std::fs::read_to_string(&file).expect("approval");
    r.write(
        ".roadlint/approvals/q1-tech.approval",
        &text.replace("principal: lee", "principal: pat"),
    );
    r.commit("feat: add PAY-140", AFTER);
    let found = locked(&r);
    assert!(
        has(
            &found,
            "q1-tech.approval does not count: signature does not verify"
        ),
        "{found:?}"
    );

    // An approval of one change replayed onto another.
    let r = adopted(&k);
    change_approved_by(
        &r,
        &k,
        Some(("dana", "dana@example.com")),
        Some(("lee", "lee")),
    );
    add_item(&r, "PAY-142");
    r.commit("feat: add PAY-142", LATER);
    let found = locked(&r);
    assert!(has(&found, "approves another change"), "{found:?}");

    // One person for both roles.
    let r = adopted(&k);
    change_approved_by(&r, &k, Some(("pat", "pat")), Some(("pat", "pat")));
    let found = locked(&r);
    assert!(has(&found, "pat signed both roles of 2026-Q1"), "{found:?}");

    // A listed key whose principal approves nothing.
    let r = adopted(&k);
    change_approved_by(&r, &k, Some(("eve", "eve")), Some(("lee", "lee")));
    let found = locked(&r);
    assert!(has(&found, "eve is not a product approver"), "{found:?}");
}

#[test]
fn a_long_history_verified_ahead_still_refuses_each_forgery() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    // Enough approved changes that the reader verifies the checked tree's
    // approvals ahead, on every core, with two forgeries among them and an
    // approval of a blob no commit holds (never verified).
    for i in 0..8 {
        let id = format!("PAY-{}", 200 + i);
        add_item(&r, &id);
        let (before, after) = staged_change(&r, QUARTER);
        let (product, tech) = match i {
            3 => ("mallory", "lee"),
            5 => ("dana", "eve"),
            _ => ("dana", "lee"),
        };
        approve(
            &r,
            &k,
            product,
            "product",
            "dana@example.com",
            &before,
            &after,
            &format!("{id}-product"),
        );
        approve(
            &r,
            &k,
            tech,
            "tech",
            "lee",
            &before,
            &after,
            &format!("{id}-tech"),
        );
        r.commit(&format!("feat: add {id}"), AFTER);
    }
    approve(
        &r,
        &k,
        "lee",
        "tech",
        "lee",
        &"0".repeat(40),
        &"7".repeat(40),
        "elsewhere",
    );
    r.commit("chore: an approval of a change made elsewhere", LATER);
    let found = locked(&r);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        has(&found, "signed by a key not listed for dana@example.com"),
        "{found:?}"
    );
    assert!(
        has(&found, "signed by a key not listed for lee"),
        "{found:?}"
    );
    assert!(found.iter().all(|m| !m.contains("elsewhere")), "{found:?}");
}

#[test]
fn the_git_namespace_and_an_expired_key_count_for_nothing() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    add_item(&r, "PAY-140");
    let (before, after) = staged_change(&r, QUARTER);
    let s = statement("product", "dana@example.com", &before, &after);
    let sig = k.sign("dana", "git", &s);
    r.write(".roadlint/approvals/p.approval", &format!("{s}{sig}"));
    approve(&r, &k, "lee", "tech", "lee", &before, &after, "t");
    r.commit("feat: add PAY-140", AFTER);
    let found = locked(&r);
    assert!(
        has(
            &found,
            "p.approval does not count: it is signed for namespace `git`"
        ),
        "{found:?}"
    );

    let r = Repo::init();
    let list = signers(&k).replace("lee ", "lee valid-before=\"20260201\" ");
    r.write("roadlint.toml", CONFIG)
        .write(".roadlint/allowed_signers", &list)
        .write(QUARTER, LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    r.commit("docs: plan 2026-Q1", PLANNED);
    change_approved_by(
        &r,
        &k,
        Some(("dana", "dana@example.com")),
        Some(("lee", "lee")),
    );
    let found = locked(&r);
    assert!(
        has(
            &found,
            "the key of lee (allowed_signers line 2) had expired then"
        ),
        "{found:?}"
    );
}

#[test]
fn the_trust_root_rotates_only_with_the_previous_signers() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    // mallory adds herself and approves the change with her new key.
    let list = format!("{}mallory {}\n", signers(&k), k.public("mallory"));
    r.write(".roadlint/allowed_signers", &list);
    let path = ".roadlint/allowed_signers";
    let (before, after) = staged_change(&r, path);
    approve(
        &r, &k, "mallory", "product", "mallory", &before, &after, "m1",
    );
    approve(&r, &k, "mallory", "tech", "mallory", &before, &after, "m2");
    r.commit("chore: add mallory", AFTER);
    let found = messages(&r, "policy-signoff", &[]);
    assert!(has(&found, "changes the allowed signers"), "{found:?}");
    assert!(
        has(&found, "signed by a key not listed for mallory"),
        "{found:?}"
    );

    // The same change approved by dana and lee with the previous keys passes.
    approve(
        &r,
        &k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "d1",
    );
    approve(&r, &k, "lee", "tech", "lee", &before, &after, "l1");
    r.commit("docs: approve the rotation", LATER);
    assert_eq!(messages(&r, "policy-signoff", &[]), Vec::<String>::new());
}

#[test]
fn a_pinned_trust_root_outlives_a_swapped_in_tree_list() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    let pin = k.dir.path().join("pinned_signers");
    std::fs::write(&pin, signers(&k)).expect("pin");
    // The in-tree list is swapped for mallory's key under dana's name (a
    // bypassed gate), then mallory approves a scope change as dana.
    let swapped = signers(&k).replace(&k.public("dana"), &k.public("mallory"));
    r.write(".roadlint/allowed_signers", &swapped);
    r.commit("chore: tidy", AFTER);
    change_approved_by(
        &r,
        &k,
        Some(("mallory", "dana@example.com")),
        Some(("lee", "lee")),
    );
    let pin = pin.to_string_lossy().to_string();
    let found = messages(&r, "locked-scope", &["--allowed-signers", &pin]);
    assert!(
        has(&found, "signed by a key not listed for dana@example.com"),
        "{found:?}"
    );
    assert_eq!(
        locked(&r),
        Vec::<String>::new(),
        "the in-tree list alone is fooled"
    );
}

#[test]
fn malformed_approval_files_give_a_diagnostic_never_a_crash() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    add_item(&r, "PAY-140");
    let (before, after) = staged_change(&r, QUARTER);
    let s = statement("product", "dana@example.com", &before, &after);
    let sig = k.sign("dana", "roadlint-approval", &s);
    let full = format!("{s}{sig}");
    r.write(
        ".roadlint/approvals/garbage.approval",
        "garbage\n\u{0}\u{1}",
    );
    r.write(
        ".roadlint/approvals/truncated.approval",
        &full[..full.len() - 60],
    );
    r.write_bytes(".roadlint/approvals/huge.approval", &vec![b'x'; 10 << 20]);
    std::os::unix::fs::symlink(
        "/dev/zero",
        r.path().join(".roadlint/approvals/link.approval"),
    )
    .expect("symlink");
    r.commit("feat: add PAY-140", AFTER);
    // A FIFO in the work tree is never read: approvals come from git.
    let fifo = r.path().join(".roadlint/approvals/fifo.approval");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let found = locked(&r);
    assert!(
        has(
            &found,
            "garbage.approval does not count: its first line is not"
        ),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "truncated.approval does not count: its signature does not parse"
        ),
        "{found:?}"
    );
    assert!(
        has(&found, "huge.approval does not count: it is 10485760 bytes"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "link.approval does not count: it is a symbolic link"
        ),
        "{found:?}"
    );
}

#[test]
fn check_runs_no_program_to_verify() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    change_approved_by(
        &r,
        &k,
        Some(("dana", "dana@example.com")),
        Some(("lee", "lee")),
    );
    let bin = tempfile::tempdir().expect("tempdir");
    let marker = bin.path().join("called");
    let fake = bin.path().join("ssh-keygen");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
    )
    .expect("fake");
    common::make_executable(&fake);
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new(common::bin());
    clean_env(&mut cmd)
        .env("PATH", path)
        .current_dir(r.path())
        .args(["check", "--today", "2026-06-15", "--select", "locked-scope"]);
    let out = cmd.output().expect("roadlint runs");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(!Path::new(&marker).exists(), "check ran ssh-keygen");
}

/// Run `roadlint approve` in `r` with `args` (and `GIT_CONFIG_GLOBAL`).
fn approve_cmd(r: &Repo, args: &[&str], global: Option<&Path>) -> std::process::Output {
    let mut cmd = Command::new(common::bin());
    clean_env(&mut cmd)
        .current_dir(r.path())
        .arg("approve")
        .args(args);
    if let Some(g) = global {
        cmd.env("GIT_CONFIG_GLOBAL", g);
    }
    cmd.output().expect("roadlint runs")
}

#[test]
fn roadlint_approve_signs_what_check_accepts() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    add_item(&r, "PAY-140");
    r.git(&["add", "-A"]);
    let dana = k.dir.path().join("dana").to_string_lossy().to_string();
    let out = approve_cmd(&r, &["--key", &dana], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out)
            .contains("approves 2026-Q1: adds `PAY-140` (product approval by dana@example.com"),
        "{}",
        text(&out)
    );
    // The key comes from the user's global config, never the repository's.
    let global = k.dir.path().join("gitconfig");
    let lee = k.dir.path().join("lee");
    std::fs::write(
        &global,
        format!("[user]\n\tsigningKey = {}\n", lee.display()),
    )
    .expect("config");
    let mallory = k.dir.path().join("mallory").to_string_lossy().to_string();
    r.git(&["config", "user.signingKey", &mallory]);
    let out = approve_cmd(&r, &[], Some(&global));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("(tech approval by lee"),
        "{}",
        text(&out)
    );
    // An approval made by hand with ssh-keygen says the same as approve's.
    let (before, after) = staged_change(&r, QUARTER);
    let written = std::fs::read_dir(r.path().join(".roadlint/approvals"))
        .expect("approvals")
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).expect("read"))
        .find(|t| t.contains("role: product"))
        .expect("a product approval");
    assert!(written.starts_with(&statement("product", "dana@example.com", &before, &after)));
    r.commit("feat: add PAY-140", AFTER);
    assert_eq!(locked(&r), Vec::<String>::new());
}

#[test]
fn roadlint_approve_rev_and_its_refusals() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    let key = |n: &str| k.dir.path().join(n).to_string_lossy().to_string();
    let out = approve_cmd(&r, &["--key", &key("dana")], None);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("nothing to approve"), "{}", text(&out));
    // A wording change needs no approval.
    let quarter = std::fs::read_to_string(r.path().join(QUARTER)).expect("quarter");
    r.write(QUARTER, &quarter.replace("\"Checkout\"", "\"Checkout v2\""));
    r.git(&["add", "-A"]);
    let out = approve_cmd(&r, &["--key", &key("dana")], None);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("nothing to approve"), "{}", text(&out));
    add_item(&r, "PAY-140");
    r.commit("feat: add PAY-140", AFTER);
    let out = approve_cmd(&r, &["--rev", "HEAD", "--key", &key("mallory")], None);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("is not listed in HEAD's .roadlint/allowed_signers"),
        "{}",
        text(&out)
    );
    let out = approve_cmd(&r, &["--rev", "HEAD", "--key", &key("pat")], None);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("may approve as product and as tech"),
        "{}",
        text(&out)
    );
    let out = approve_cmd(
        &r,
        &["--rev", "HEAD", "--key", &key("eve"), "--role", "tech"],
        None,
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("is no tech approver"), "{}", text(&out));
    for (who, role) in [("dana", "product"), ("pat", "tech")] {
        let out = approve_cmd(
            &r,
            &["--rev", "HEAD", "--key", &key(who), "--role", role],
            None,
        );
        assert_eq!(code(&out), 0, "{}", text(&out));
    }
    r.commit("docs: approve PAY-140", LATER);
    assert_eq!(locked(&r), Vec::<String>::new());
}

/// `git` in `r` at `date` with the roadlint under test first on PATH (the
/// hooks `roadlint init --hooks` installs call it).
fn hooked_git(r: &Repo, args: &[&str], date: &str) -> std::process::Output {
    let dir = common::bin().parent().expect("bin dir").to_path_buf();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new("git");
    clean_env(&mut cmd)
        .env("PATH", std::env::join_paths(paths).expect("PATH"))
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .current_dir(r.path())
        .args(args);
    cmd.output().expect("git runs")
}

#[test]
fn the_hooks_and_check_agree() {
    let Some(k) = Keys::new() else { return };
    // The plan rules are off: the pre-commit hook judges them, and this
    // test is about the sign-off gate.
    let config = format!("{CONFIG}[rules]\ndebt-share = \"off\"\ndual-ownership = \"off\"\n");
    let r = adopted_with(&k, &config);
    let out = r.roadlint(&["init", "--hooks"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // Forged trailers: the commit-msg hook refuses, as check would.
    add_item(&r, "PAY-140");
    hooked_git(&r, &["add", "-A"], AFTER);
    let message = "feat: add PAY-140\n\nProduct-Approved-By: dana\nTech-Approved-By: lee";
    let out = hooked_git(&r, &["commit", "-q", "-m", message], AFTER);
    assert!(
        !out.status.success(),
        "the hook let forged trailers through"
    );
    assert!(
        flat(&text(&out)).contains("no product approval for 2026-Q1"),
        "{}",
        text(&out)
    );
    // Staged approvals: the hook accepts, and so does check.
    let (before, after) = staged_change(&r, QUARTER);
    approve(
        &r,
        &k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "p",
    );
    approve(&r, &k, "lee", "tech", "lee", &before, &after, "t");
    hooked_git(&r, &["add", "-A"], AFTER);
    let out = hooked_git(&r, &["commit", "-q", "-m", "feat: add PAY-140"], AFTER);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(locked(&r), Vec::<String>::new());
}

#[test]
fn a_merge_brings_in_only_approved_changes() {
    let Some(k) = Keys::new() else { return };
    for approved in [false, true] {
        let r = adopted(&k);
        r.git(&["checkout", "-q", "-b", "topic"]);
        if approved {
            change_approved_by(
                &r,
                &k,
                Some(("dana", "dana@example.com")),
                Some(("lee", "lee")),
            );
        } else {
            change_approved_by(&r, &k, None, None);
        }
        r.git(&["checkout", "-q", "main"]);
        r.git_at(
            &["merge", "--no-ff", "-q", "-m", "Merge topic", "topic"],
            Some(LATER),
        );
        let found = locked(&r);
        if approved {
            assert_eq!(found, Vec::<String>::new());
        } else {
            assert!(
                has(&found, "which is not signed off: no product approval"),
                "{found:?}"
            );
        }
    }
}

#[test]
fn a_waiver_is_approved_like_the_change_it_excuses() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    // An unapproved scope change after the lock: the breach.
    add_item(&r, "PAY-140");
    r.git(&["add", "-A"]);
    r.commit("feat: add PAY-140", AFTER);
    let breach = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert!(has(&locked(&r), "no product approval"), "{:?}", locked(&r));
    // A commit waiver with trailers only: under verify = "ssh" it is an
    // unapproved change of the agreement and waives nothing.
    let text = std::fs::read_to_string(r.path().join(QUARTER)).expect("quarter");
    r.write(
        QUARTER,
        &format!(
            "{text}\n[[waiver]]\nrule = \"locked-scope\"\ncommit = \"{}\"\nreason = \"agreed in review\"\napproved_by = [\"dana\", \"lee\"]\n",
            &breach[..12]
        ),
    );
    let (before, after) = staged_change(&r, QUARTER);
    r.commit(
        "docs: waive PAY-140\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        LATER,
    );
    let policy = messages(&r, "policy-signoff", &[]);
    assert!(
        has(&policy, "adds a waiver of locked-scope for commit"),
        "{policy:?}"
    );
    assert!(has(&policy, "no product approval"), "{policy:?}");
    assert!(has(&locked(&r), "no product approval"), "{:?}", locked(&r));
    // dana and lee approve the waiver's change with their keys: it holds.
    approve(
        &r,
        &k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "w-product",
    );
    approve(&r, &k, "lee", "tech", "lee", &before, &after, "w-tech");
    r.git(&["add", "-A"]);
    r.commit("docs: approvals of the waiver", LATER);
    assert_eq!(messages(&r, "policy-signoff", &[]), Vec::<String>::new());
    assert_eq!(locked(&r), Vec::<String>::new());
    assert_eq!(messages(&r, "waiver", &[]), Vec::<String>::new());
}

/// Stage PAY-140 with dana's and lee's approvals and commit it (with no
/// trailers: the approvals alone sign it) at `date`.
fn approved_change(r: &Repo, k: &Keys, date: &str) -> String {
    add_item(r, "PAY-140");
    let (before, after) = staged_change(r, QUARTER);
    approve(
        r,
        k,
        "dana",
        "product",
        "dana@example.com",
        &before,
        &after,
        "q1-product",
    );
    approve(r, k, "lee", "tech", "lee", &before, &after, "q1-tech");
    r.commit("feat: add PAY-140", date)
}

#[test]
fn approvals_survive_a_rebase_onto_a_moved_main() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    r.git(&["checkout", "-q", "-b", "topic"]);
    let approved = approved_change(&r, &k, AFTER);
    // A branch with trailers only, rebased the same way: the control.
    r.git(&["checkout", "-q", "-b", "forged", "main"]);
    add_item(&r, "PAY-141");
    r.commit(
        "feat: add PAY-141\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        AFTER,
    );
    // main moves on with a change to no gated file.
    r.git(&["checkout", "-q", "main"]);
    r.write("NOTES.md", "# notes\n");
    let moved = r.commit("docs: notes", AFTER);
    for branch in ["topic", "forged"] {
        r.git(&["checkout", "-q", branch]);
        r.git_at(&["rebase", "-q", "main"], Some(LATER));
    }
    r.git(&["checkout", "-q", "topic"]);
    let rebased = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_ne!(rebased, approved, "the rebase made a new commit");
    assert_eq!(r.git(&["rev-parse", "HEAD^"]).trim(), moved);
    assert_eq!(locked(&r), Vec::<String>::new());
    r.git(&["checkout", "-q", "forged"]);
    let found = locked(&r);
    assert!(has(&found, "no product approval"), "{found:?}");
}

#[test]
fn approvals_survive_a_cherry_pick_onto_another_branch() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    r.git(&["checkout", "-q", "-b", "release"]);
    r.write("NOTES.md", "# release notes\n");
    r.commit("docs: release notes", AFTER);
    r.git(&["checkout", "-q", "main"]);
    let approved = approved_change(&r, &k, AFTER);
    // A trailers-only change on main, picked the same way: the control.
    add_item(&r, "PAY-141");
    let forged = r.commit(
        "feat: add PAY-141\n\nProduct-Approved-By: dana\nTech-Approved-By: lee",
        LATER,
    );
    r.git(&["checkout", "-q", "release"]);
    r.git_at(&["cherry-pick", approved.as_str()], Some(LATER));
    let picked = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_ne!(picked, approved, "the pick made a new commit");
    assert_eq!(locked(&r), Vec::<String>::new());
    r.git_at(&["cherry-pick", forged.as_str()], Some(LATER));
    let found = locked(&r);
    assert!(has(&found, "no product approval"), "{found:?}");
}

#[test]
fn a_key_not_yet_valid_counts_for_nothing() {
    let Some(k) = Keys::new() else { return };
    let r = Repo::init();
    let list = signers(&k).replace("lee ", "lee valid-after=\"20270101\" ");
    r.write("roadlint.toml", CONFIG)
        .write(".roadlint/allowed_signers", &list)
        .write(QUARTER, LOCKED)
        .write("roadmap/kpis.toml", KPIS);
    r.commit("docs: plan 2026-Q1", PLANNED);
    approved_change(&r, &k, AFTER);
    let found = locked(&r);
    assert!(
        has(
            &found,
            "q1-tech.approval does not count: the key of lee (allowed_signers line 2) was not yet valid then"
        ),
        "{found:?}"
    );
    // The same approvals under a list whose validity began before: signed.
    let r = adopted(&k);
    approved_change(&r, &k, AFTER);
    assert_eq!(locked(&r), Vec::<String>::new());
}

#[test]
fn allowed_signers_lines_that_verify_nothing_are_warned_about() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    let list = format!(
        "{}ca@example.com cert-authority {}\nsam frobnicate {}\n",
        signers(&k),
        k.public("eve"),
        k.public("eve")
    );
    r.write(".roadlint/allowed_signers", &list);
    let out = r.roadlint(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-15",
        "--select",
        "policy-signoff",
    ]);
    assert!(code(&out) < 2, "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<(String, String, u64, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["span"]["line"].as_u64().unwrap_or_default(),
                format!("{}: {}", d["severity"], d["message"]),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    for ((rule, file, line, said), (want_line, want)) in found
        .iter()
        .zip([(5, "is a `cert-authority` line"), (6, "does not parse")])
    {
        assert_eq!(rule, "policy-signoff", "{said}");
        assert_eq!(file, ".roadlint/allowed_signers", "{said}");
        assert_eq!(*line, want_line, "{said}");
        assert!(said.starts_with("\"warning\""), "{said}");
        assert!(said.contains(want), "{said}");
    }
    // A warning, never a failure; and nothing under trailers.
    assert_eq!(code(&out), 0, "{}", text(&out));
    r.write("roadlint.toml", "[signoff]\nverify = \"trailers\"\n");
    assert_eq!(messages(&r, "policy-signoff", &[]), Vec::<String>::new());
}

#[test]
fn roadlint_approve_reads_the_approvers_as_they_stood() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    let eve = k.dir.path().join("eve").to_string_lossy().to_string();
    // eve becomes a product approver in the work tree only, in the same
    // change she would approve.
    r.write(
        "roadlint.toml",
        &format!("{CONFIG}product_approvers = [\"eve\", \"dana\"]\n"),
    );
    add_item(&r, "PAY-140");
    r.git(&["add", "-A"]);
    let out = approve_cmd(&r, &["--key", &eve, "--role", "product"], None);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("eve is no product approver at HEAD"),
        "{}",
        text(&out)
    );
    // With --rev, the approvers are REV's parent's, not REV's.
    r.commit("feat: add PAY-140 and eve", AFTER);
    let out = approve_cmd(&r, &["--rev", "HEAD", "--key", &eve], None);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("eve is no approver at REV's parent"),
        "{}",
        text(&out)
    );
    // Once the agreement naming her stands, she approves the next change.
    add_item(&r, "PAY-141");
    r.git(&["add", "-A"]);
    let out = approve_cmd(&r, &["--key", &eve], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("(product approval by eve"),
        "{}",
        text(&out)
    );
}

#[test]
fn approvals_in_the_commits_own_tree_count_when_the_checked_tree_lost_them() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    approved_change(&r, &k, AFTER);
    // A later commit deletes the approvals: the checked tree holds none,
    // and the change is judged with those of its own tree.
    r.git(&["rm", "-q", "-r", ".roadlint/approvals"]);
    r.commit("chore: tidy the approvals", LATER);
    assert_eq!(locked(&r), Vec::<String>::new());
    // The control: a change whose approvals never landed is refused.
    add_item(&r, "PAY-141");
    r.commit("feat: add PAY-141", LATER);
    let found = locked(&r);
    assert!(has(&found, "no product approval"), "{found:?}");
}

/// The arguments of the `roadlint approve …` command a message gives for
/// the missing approval of `role`.
fn approve_command(message: &str, role: &str) -> Vec<String> {
    let missing = message
        .find(&format!("no {role} approval"))
        .expect("a missing approval");
    let start = missing
        + message[missing..]
            .find("`roadlint approve")
            .expect("a command")
        + 1;
    let rest = &message[start..];
    let end = rest.find('`').expect("closing backtick");
    rest[..end]
        .split_whitespace()
        .skip(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn deleting_an_approval_is_a_policy_change_approved_like_any_other() {
    let Some(k) = Keys::new() else { return };
    let r = adopted(&k);
    approved_change(&r, &k, AFTER);
    let taken = ".roadlint/approvals/q1-product.approval";
    r.git(&["rm", "-q", taken]);
    r.commit("chore: tidy the approvals", LATER);
    let found = messages(&r, "policy-signoff", &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        has(&found, &format!("deletes the approval {taken}")),
        "{found:?}"
    );
    assert!(
        has(&found, &format!("no product approval for {taken}")),
        "{found:?}"
    );
    // Adding approvals is no policy change; the scope change stays signed
    // (its approvals are in its own tree).
    assert_eq!(locked(&r), Vec::<String>::new());

    // The printed commands, followed literally with each approver's key,
    // sign the deletion off.
    let key = |n: &str| k.dir.path().join(n).to_string_lossy().to_string();
    for (who, role) in [("dana", "product"), ("lee", "tech")] {
        let mut args = approve_command(&found[0], role);
        args.extend(["--key".to_string(), key(who)]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = approve_cmd(&r, &args, None);
        assert_eq!(code(&out), 0, "{}", text(&out));
        assert!(
            text(&out).contains(&format!("approves {taken}: deletes {taken}")),
            "{}",
            text(&out)
        );
    }
    r.commit("docs: approve the tidy", "2026-02-04T10:00:00Z");
    assert_eq!(messages(&r, "policy-signoff", &[]), Vec::<String>::new());
}

#[test]
fn the_hooks_refuse_an_approval_taken_back() {
    let Some(k) = Keys::new() else { return };
    let config = format!("{CONFIG}[rules]\ndebt-share = \"off\"\ndual-ownership = \"off\"\n");
    let r = adopted_with(&k, &config);
    approved_change(&r, &k, AFTER);
    let out = r.roadlint(&["init", "--hooks"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // Rewriting an approval takes it back as surely as deleting it.
    let taken = ".roadlint/approvals/q1-tech.approval";
    r.write(taken, "roadlint approval v1\n");
    hooked_git(&r, &["add", "-A"], LATER);
    let out = hooked_git(&r, &["commit", "-q", "-m", "chore: tidy"], LATER);
    assert!(!out.status.success(), "the hook let an approval go");
    let said = flat(&text(&out));
    assert!(
        said.contains("changes the agreement (rewrites the approval .roadlint/approvals/"),
        "{said}"
    );
    assert!(said.contains("no tech approval for"), "{said}");
    // A new approval beside the others is no policy change.
    hooked_git(&r, &["checkout", "-q", "HEAD", "--", taken], LATER);
    r.write(
        ".roadlint/approvals/note.approval",
        "roadlint approval v1\n",
    );
    hooked_git(&r, &["add", "-A"], LATER);
    let out = hooked_git(&r, &["commit", "-q", "-m", "chore: note"], LATER);
    assert!(out.status.success(), "{}", text(&out));
}
