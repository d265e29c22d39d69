use super::*;
use crate::rules::{debt_share, kpi_link};
use crate::settings::{Level, RuleSettings};
use std::collections::BTreeMap;

/// Load `root` with the presets in `files` (path → text).
fn load_with(root: &str, files: &[(&str, &str)]) -> (Config, Vec<Diagnostic>, Sources) {
    let files: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    let mut sources = Sources::default();
    let id = sources.add_config(SourceFile::new("roadlint.toml", root));
    let read = |p: &str| files.get(p).cloned().ok_or_else(|| "not found".to_string());
    let (cfg, diags) = load(&mut sources, id, &read);
    (cfg, diags, sources)
}

fn at(d: &Diagnostic, sources: &Sources) -> String {
    let f = sources.get(d.file.expect("a file"));
    format!("{}:{}", f.path, &f.text[d.span.expect("a span").range()])
}

const ORG: &str = "fiscal_year_start = 4\n[rules]\ndebt-share = { level = \"error\", min = 0.25, max = 0.5 }\nkpi-link = \"error\"\n";
const TEAM: &str =
    "extends = [\"policy/org.toml\"]\n[rules]\ndebt-share = \"warn\"\n[signoff]\nproduct_approvers = [\"dana\"]\n";

#[test]
fn a_two_level_chain_merges_key_by_key_the_root_last() {
    let root = "extends = [\"./policy//team.toml\"]\n[rules]\ndebt-share = { max = 0.6 }\n";
    let (cfg, diags, sources) = load_with(
        root,
        &[("policy/org.toml", ORG), ("policy/team.toml", TEAM)],
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(cfg.fiscal_year_start, 4);
    // "warn" is { level = "warn" }: it keeps the org's min, the root's max wins.
    assert_eq!(cfg.level(debt_share::ID), Level::Warn);
    let s = debt_share::Settings::of(&cfg);
    assert_eq!((s.min.value, s.max.value), (0.25, 0.6));
    assert_eq!(cfg.level(kpi_link::ID), Level::Error);
    assert_eq!(cfg.signoff.product_approvers, vec!["dana".to_string()]);
    // A value keeps the file that set it, for "set here" labels.
    let min_file = s.min.file.map(|f| sources.get(f).path.clone());
    assert_eq!(min_file.as_deref(), Some("policy/org.toml"));
    assert_eq!(
        cfg.files_read(),
        ["roadlint.toml", "policy/org.toml", "policy/team.toml"]
    );
    assert_eq!(cfg.presets(), ["policy/org.toml", "policy/team.toml"]);
}

#[test]
fn show_origin_names_the_file_and_line_of_each_key() {
    let root = "extends = [\"policy/team.toml\"]\n[rules]\ndebt-share = { max = 0.6 }\n";
    let (cfg, diags, sources) = load_with(
        root,
        &[("policy/org.toml", ORG), ("policy/team.toml", TEAM)],
    );
    assert!(diags.is_empty(), "{diags:?}");
    let text = show(&cfg, &sources, true).expect("shown");
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("{key} in {text}"))
            .to_string()
    };
    assert_eq!(
        line("fiscal_year_start"),
        "fiscal_year_start = 4  # policy/org.toml:1"
    );
    let rules = text.find("[rules.debt-share]").expect("the rule's table");
    let table: Vec<&str> = text[rules..].lines().skip(1).take(5).collect();
    assert!(
        table.contains(&"level = \"warn\"  # policy/team.toml:3"),
        "{table:?}"
    );
    assert!(
        table.contains(&"min = 0.25  # policy/org.toml:3"),
        "{table:?}"
    );
    assert!(table.contains(&"max = 0.6  # roadlint.toml:3"), "{table:?}");
    assert!(table
        .iter()
        .any(|l| l.starts_with("kinds = ") && l.ends_with("# default")));
    assert!(text.contains("product_approvers = [\"dana\"]  # policy/team.toml:5"));
    assert!(!text.contains("extends"), "{text}");
    // Without origins: valid TOML that reads back as the same config.
    let plain = show(&cfg, &sources, false).expect("shown");
    let (again, diags) = crate::config::parse(FileId(0), &plain);
    assert!(diags.is_empty(), "{diags:?}\n{plain}");
    assert_eq!(again.fiscal_year_start, 4);
    assert_eq!(debt_share::Settings::of(&again).min.value, 0.25);
    assert_eq!(again.level(debt_share::ID), Level::Warn);
}

#[test]
fn a_pin_that_does_not_match_names_both_digests() {
    let want = "0".repeat(64);
    let root = format!("extends = [{{ path = \"policy/org.toml\", sha256 = \"{want}\" }}]\n");
    let (_, diags, sources) = load_with(&root, &[("policy/org.toml", ORG)]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let got = sha256_hex(ORG.as_bytes());
    assert!(diags[0].message.contains(&got), "{}", diags[0].message);
    assert!(diags[0].message.contains(&want));
    assert!(diags[0].message.contains("policy/org.toml"));
    assert!(at(&diags[0], &sources).starts_with("roadlint.toml:{ path"));
    // The right pin reads.
    let root = format!("extends = [{{ path = \"policy/org.toml\", sha256 = \"{got}\" }}]\n");
    let (cfg, diags, _) = load_with(&root, &[("policy/org.toml", ORG)]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(cfg.fiscal_year_start, 4);
}

#[test]
fn a_missing_preset_an_escape_and_a_bad_pin_point_at_their_entries() {
    let root = "extends = [\"policy/gone.toml\", \"../up.toml\", { path = \"a.toml\", sha256 = \"ABC\" }, 3]\n";
    let (_, diags, sources) = load_with(root, &[]);
    let got: Vec<String> = diags.iter().map(|d| at(d, &sources)).collect();
    assert_eq!(
        got,
        [
            "roadlint.toml:\"policy/gone.toml\"",
            "roadlint.toml:\"../up.toml\"",
            "roadlint.toml:{ path = \"a.toml\", sha256 = \"ABC\" }",
            "roadlint.toml:3"
        ]
    );
    assert!(diags[0]
        .message
        .contains("names no regular file inside the repository: not found"));
    assert!(diags[1].message.contains("`..`"));
    assert!(diags[2].message.contains("64 lowercase hex"));
    assert!(diags.iter().all(|d| d.rule == RuleId::CONFIG));
}

#[test]
fn a_cycle_is_refused_at_the_entry_that_closes_it() {
    let a = "extends = [\"b.toml\"]\n";
    let b = "fiscal_year_start = 2\nextends = [\"a.toml\"]\n";
    let (_, diags, sources) =
        load_with("extends = [\"a.toml\"]\n", &[("a.toml", a), ("b.toml", b)]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        diags[0].message,
        "`extends` cycle: a.toml → b.toml → a.toml"
    );
    assert_eq!(at(&diags[0], &sources), "b.toml:\"a.toml\"");
    // roadlint.toml itself closes a cycle too.
    let (_, diags, _) = load_with(
        "extends = [\"a.toml\"]\n",
        &[("a.toml", "extends = [\"roadlint.toml\"]")],
    );
    assert_eq!(
        diags[0].message,
        "`extends` cycle: roadlint.toml → a.toml → roadlint.toml"
    );
}

#[test]
fn a_preset_at_level_nine_is_refused() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 1..=9 {
        files.push((
            format!("p{i}.toml"),
            format!("extends = [\"p{}.toml\"]\n", i + 1),
        ));
    }
    files.push(("p10.toml".into(), String::new()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (_, diags, sources) = load_with("extends = [\"p1.toml\"]\n", &refs);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("level 9"), "{}", diags[0].message);
    assert_eq!(at(&diags[0], &sources), "p8.toml:\"p9.toml\"");
    // Eight levels are fine.
    let mut short = refs.clone();
    short[7] = ("p8.toml", "");
    let (_, diags, _) = load_with("extends = [\"p1.toml\"]\n", &short);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn a_bad_value_in_a_preset_is_reported_in_the_preset() {
    let (_, diags, sources) = load_with(
        "extends = [\"org.toml\"]\n",
        &[("org.toml", "[rules]\ncapacity = \"loud\"\n")],
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(at(&diags[0], &sources), "org.toml:\"loud\"");
}

#[test]
fn presets_are_not_roadmap_files() {
    let (_, diags, sources) = load_with("extends = [\"org.toml\"]\n", &[("org.toml", ORG)]);
    assert!(diags.is_empty());
    assert_eq!(sources.roadmap_files().count(), 0);
}
