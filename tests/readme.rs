//! The README shows what the binary does: its configuration defaults are the
//! file `roadlint init` writes (generated from the rules' registry), byte for
//! byte. `ROADLINT_UPDATE_README=1 cargo test --test readme` rewrites the
//! block from `roadlint init` instead of failing, for a change that adds a
//! rule or a key.
//!
//! The other README blocks that tests read: the "works today" install path
//! (`tests/install.rs` runs it) and the Neovim 0.7 setup (`tests/editor.rs`
//! runs it in Neovim).

mod common;

use common::readme::{block, blocks, region_blocks};
use common::{code, text, Repo};

#[test]
fn the_config_defaults_block_is_what_init_writes() {
    let dir = Repo::plain();
    let out = dir.roadlint(&["init"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let written = std::fs::read_to_string(dir.path().join("roadlint.toml")).expect("init wrote");
    let readme = common::readme::text();
    let shown = block(&readme, "config-defaults");
    assert_eq!(shown.lang, "toml");
    if shown.body != written && std::env::var_os("ROADLINT_UPDATE_README").is_some() {
        let mut updated = readme.clone();
        updated.replace_range(shown.range.clone(), &written);
        std::fs::write(common::readme::path(), updated).expect("README.md written");
        return;
    }
    assert!(
        shown.body == written,
        "README.md's configuration defaults (line {}) differ from what `roadlint init` writes; \
         ROADLINT_UPDATE_README=1 cargo test --test readme rewrites them.\n--- README\n{}\n--- init\n{}",
        shown.line,
        shown.body,
        written
    );
    // What the issue found missing is there: every rule with a level,
    // approver lists included.
    for key in [
        "technology-signoff",
        "policy-signoff",
        "product_approvers",
        "tech_approvers",
    ] {
        assert!(shown.body.contains(key), "{key} missing from the defaults");
    }
}

#[test]
fn blocks_tags_and_regions_are_read_as_written() {
    let text = "a\n<!-- r -->\n<!-- one: x -->\n\n```sh\necho 1\n```\n```toml\nk = 1\n```\n<!-- /r -->\n```sh\nlast\n```\n";
    let all = blocks(text);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].tag, "one: x");
    assert_eq!(all[0].lang, "sh");
    assert_eq!(all[0].body, "echo 1\n");
    assert_eq!(&text[all[0].range.clone()], "echo 1\n");
    assert_eq!(all[0].line, 5);
    assert_eq!(all[1].tag, "", "a fence is not a tag");
    assert_eq!(block(text, "one").body, "echo 1\n");
    let inside = region_blocks(text, "r");
    assert_eq!(inside.len(), 2);
    assert_eq!(inside[1].body, "k = 1\n");
}
