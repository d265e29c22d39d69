//! `roadlint check --fix`: the safe fixes diagnostics carry are applied to the
//! work tree's roadmap files, and nothing else is written.

mod common;
use common::{code, text, Repo};

const QUARTER: &str = "quarter = \"2026-Q1\"\ncapacity = 20\n\n[[item]]\nid = \"A-1\"\ntitle = \"t\"\nkind = \"featur\"\nefort = \"4\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\nkpis = [\"conv\"]\n\n[[item]]\nid = \"B-1\"\ntitle = \"u\"\nkind = \"debt\"\neffort = \"2\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n\n[[waiver]]\nrule = \"capacity\"\nreasn = \"x\"\napproved_by = [\"dana\", \"lee\"]\nexpires = 2026-03-31\n";
const KPIS: &str = "[[kpi]]\nid = \"conv\"\ntitle = \"Conversion\"\nkind = \"business\"\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n";

#[test]
fn check_fix_applies_the_safe_fixes_and_reports_what_remains() {
    let repo = Repo::plain();
    repo.write("roadmap/2026-Q1.toml", QUARTER)
        .write("roadmap/kpis.toml", KPIS);
    let out = repo.roadlint(&["check", "--fix", "--no-history", "--today", "2026-02-01"]);
    let all = text(&out);
    let fixed = std::fs::read_to_string(repo.path().join("roadmap/2026-Q1.toml")).unwrap();
    // The misspelt value and key, and the quoted numbers, are fixed.
    assert!(fixed.contains("kind = \"feature\"\n"), "{fixed}");
    assert!(fixed.contains("\neffort = 4\n"), "{fixed}");
    assert!(fixed.contains("\neffort = 2\n"), "{fixed}");
    assert!(!fixed.contains("efort"), "{fixed}");
    // A waiver is a signed agreement: its typo is reported, never rewritten.
    assert!(fixed.contains("reasn = \"x\""), "{fixed}");
    assert!(
        all.contains("roadlint: fixed roadmap/2026-Q1.toml:7: Replace with `feature`"),
        "{all}"
    );
    assert!(
        all.contains("roadlint: fixed roadmap/2026-Q1.toml:8:"),
        "{all}"
    );
    assert!(all.contains("applied 4 fixes in 1 file"), "{all}");
    assert!(all.contains("unknown key `reasn`"), "{all}");
    assert_eq!(code(&out), 1, "{all}");
    // Everything else in the file is kept byte for byte.
    let expected = QUARTER
        .replace("\"featur\"", "\"feature\"")
        .replace("efort = \"4\"", "effort = 4")
        .replace("effort = \"2\"", "effort = 2");
    assert_eq!(fixed, expected);

    // A second run finds nothing more to fix.
    let again = repo.roadlint(&["check", "--fix", "--no-history", "--today", "2026-02-01"]);
    assert!(
        !text(&again).contains("roadlint: fixed"),
        "{}",
        text(&again)
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("roadmap/2026-Q1.toml")).unwrap(),
        expected
    );
}

#[test]
fn check_fix_refuses_the_index_and_other_revisions() {
    // A copy of the scripted `unfixed` (QUARTER in an empty repository's
    // work tree): were the refusal to break, `--fix` would write.
    let repo = common::fixture_copy("unfixed");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("roadmap/2026-Q1.toml")).unwrap(),
        QUARTER,
        "fixtures/repos/fix-quarter.toml is QUARTER"
    );
    for args in [
        &["check", "--fix", "--staged"][..],
        &["check", "--fix", "--rev", "HEAD"][..],
    ] {
        let out = repo.roadlint(args);
        assert_eq!(code(&out), 2, "{}", text(&out));
        assert!(text(&out).contains("cannot be used with"), "{}", text(&out));
    }
    assert_eq!(
        std::fs::read_to_string(repo.path().join("roadmap/2026-Q1.toml")).unwrap(),
        QUARTER
    );
}
