//! `[[roadmap]]` entries (SPEC §9.8): several teams' roadmaps in one
//! repository, each with its files, the code paths whose commits are its
//! work, and optionally its own approvers.
//!
//! `roadmap` is either an array of globs (one roadmap, as before) or an
//! array of these tables, never a mix. Names are unique, kebab-case words
//! (they prefix messages and key JSON), and every glob stays inside the
//! repository like the plain `roadmap` globs.

use crate::diagnostic::{Diagnostic, RuleId};
use crate::model::reader::TableReader;
use crate::settings::{Config, RoadmapDecl};
use crate::source::{FileId, Span};
use toml::de::{DeArray, DeValue};

const KEYS: &[&str] = &["name", "files", "code", "signoff"];
const SIGNOFF: &[&str] = &["product_approvers", "tech_approvers"];

/// Whether `roadmap` is written as tables (`[[roadmap]]`): then it is read
/// here, and a mix of tables and globs is a `config` error at `span`.
pub(super) fn is_tables(a: &DeArray<'_>) -> bool {
    a.iter().any(|v| matches!(v.get_ref(), DeValue::Table(_)))
}

/// Read the `[[roadmap]]` tables of `a` (the value of `roadmap`, at `span`)
/// into `cfg`: its roadmaps, and as its `roadmap` globs every roadmap's files.
pub(super) fn read(
    cfg: &mut Config,
    file: FileId,
    base: usize,
    a: &DeArray<'_>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let problem = |span: Span, message: String, help: &str| {
        Diagnostic::new(RuleId::CONFIG, message)
            .at(file, span)
            .help(help.to_string())
    };
    if a.iter().any(|v| !matches!(v.get_ref(), DeValue::Table(_))) {
        diags.push(problem(
            span,
            "`roadmap` mixes globs and [[roadmap]] tables".into(),
            "write either roadmap = [\"globs\"] for one roadmap, or one [[roadmap]] table per team",
        ));
        return;
    }
    let mut roadmaps: Vec<RoadmapDecl> = Vec::new();
    for v in a.iter() {
        let DeValue::Table(t) = v.get_ref() else {
            continue;
        };
        let at = Span::new(v.span().start + base, v.span().end + base);
        let mut r =
            TableReader::new(file, base, t, "[[roadmap]]", KEYS, diags).with_rule(RuleId::CONFIG);
        let name = r.string("name");
        let files = r.string_list("files");
        let code = r.string_list("code");
        let signoff = r.value("signoff");
        r.require("name", name.is_some(), at);
        r.require("files", files.is_some(), at);
        let mut decl = RoadmapDecl::default();
        if let Some(n) = &name {
            let ok = !n.value.is_empty()
                && n.value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                r.problem(
                    n.span,
                    format!("`{}` is not a roadmap name", n.value.escape_default()),
                    Some("a name is letters, digits, `-` and `_`, e.g. \"payments\"".into()),
                );
            } else if roadmaps.iter().any(|d| d.name == n.value) {
                r.problem(
                    n.span,
                    format!("roadmap `{}` is declared more than once", n.value),
                    Some("give each [[roadmap]] its own name".into()),
                );
            }
            decl.name = n.value.clone();
        }
        for (key, list, out) in [
            ("files", files, &mut decl.files),
            ("code", code, &mut decl.code),
        ] {
            let Some(list) = list else { continue };
            for g in &list.value {
                if let Some(why) = crate::globs::escape_reason(&g.value) {
                    r.problem(
                        g.span,
                        format!("this glob could match files outside the repository: {why}"),
                        Some(format!("`{key}` globs are relative to the repository root")),
                    );
                } else if let Err(e) = globset::Glob::new(&g.value) {
                    r.problem(g.span, format!("invalid glob: {}", e.kind()), None);
                }
            }
            if key == "files" && list.value.is_empty() {
                r.problem(list.span, "`files` lists no glob", None);
            }
            *out = list.value.into_iter().map(|g| g.value).collect();
        }
        let mut signoff_table = None;
        if let Some((span, v)) = signoff {
            match v {
                DeValue::Table(t) => signoff_table = Some(t),
                _ => r.problem(
                    span,
                    "`signoff` must be a table",
                    Some("write `[roadmap.signoff]`".into()),
                ),
            }
        }
        r.finish();
        if let Some(t) = signoff_table {
            read_signoff(&mut decl, file, base, t, diags);
        }
        roadmaps.push(decl);
    }
    cfg.roadmap = Vec::new();
    for d in &roadmaps {
        for g in &d.files {
            if !cfg.roadmap.contains(g) {
                cfg.roadmap.push(g.clone());
            }
        }
    }
    cfg.roadmaps = roadmaps;
}

fn read_signoff(
    decl: &mut RoadmapDecl,
    file: FileId,
    base: usize,
    t: &toml::de::DeTable<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut r = TableReader::new(file, base, t, "[roadmap.signoff]", SIGNOFF, diags)
        .with_rule(RuleId::CONFIG);
    if let Some(l) = r.string_list("product_approvers") {
        decl.product_approvers = Some(l.value.into_iter().map(|s| s.value).collect());
    }
    if let Some(l) = r.string_list("tech_approvers") {
        decl.tech_approvers = Some(l.value.into_iter().map(|s| s.value).collect());
    }
    r.finish();
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;

    fn parse(text: &str) -> (crate::settings::Config, Vec<String>) {
        let (cfg, diags) = crate::config::parse(FileId(0), text);
        (cfg, diags.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn roadmaps_are_read_and_their_files_are_the_globs() {
        let (cfg, diags) = parse(
            "[[roadmap]]\nname = \"payments\"\nfiles = [\"services/payments/roadmap/*.toml\"]\ncode = [\"services/payments/**\", \"shared/**\"]\n[roadmap.signoff]\nproduct_approvers = [\"dana\"]\ntech_approvers = [\"lee\"]\n\n[[roadmap]]\nname = \"search\"\nfiles = [\"services/search/roadmap/*.toml\"]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.roadmaps.len(), 2);
        assert_eq!(
            cfg.roadmap,
            [
                "services/payments/roadmap/*.toml",
                "services/search/roadmap/*.toml"
            ]
        );
        let pay = &cfg.roadmaps[0];
        assert_eq!(pay.code, ["services/payments/**", "shared/**"]);
        assert_eq!(
            pay.product_approvers.as_deref(),
            Some(&["dana".to_string()][..])
        );
        assert_eq!(cfg.roadmaps[1].product_approvers, None);
        assert_eq!(
            cfg.roadmap_of("services/search/roadmap/2026-Q1.toml"),
            Some("search")
        );
        assert_eq!(cfg.roadmap_of("roadmap/2026-Q1.toml"), None);
        // Messages name where each approver list came from.
        assert_eq!(
            cfg.approvers_listed_in("services/payments/roadmap/2026-Q1.toml"),
            (
                Some("`[[roadmap]] \"payments\" signoff.product_approvers`".into()),
                Some("`[[roadmap]] \"payments\" signoff.tech_approvers`".into())
            )
        );
        assert_eq!(
            cfg.approvers_listed_in("services/search/roadmap/2026-Q1.toml"),
            (None, None)
        );
    }

    #[test]
    fn a_mix_a_bad_name_a_duplicate_and_an_escape_are_config_errors() {
        let (_, diags) =
            parse("roadmap = [\"roadmap/*.toml\", { name = \"a\", files = [\"a/*.toml\"] }]\n");
        assert_eq!(diags, ["`roadmap` mixes globs and [[roadmap]] tables"]);
        let (_, diags) = parse(
            "[[roadmap]]\nname = \"a b\"\nfiles = [\"a/*.toml\"]\n[[roadmap]]\nname = \"c\"\nfiles = [\"../c/*.toml\"]\n[[roadmap]]\nname = \"c\"\nfiles = [\"d/*.toml\"]\n[[roadmap]]\nfiles = [\"e/*.toml\"]\n",
        );
        assert_eq!(diags.len(), 4, "{diags:?}");
        assert!(diags[0].contains("`a b` is not a roadmap name"));
        assert!(diags[1].contains("outside the repository"));
        assert!(diags[2].contains("roadmap `c` is declared more than once"));
        assert!(diags[3].contains("has no `name`"));
    }
}
