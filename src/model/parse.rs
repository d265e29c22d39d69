//! Turning the bytes of one roadmap file into a [`RoadmapFile`] plus diagnostics.
//!
//! Parsing never fails as a whole: malformed TOML is reported as `parse`
//! diagnostics (every error the TOML parser recovers from), schema problems as
//! `schema` diagnostics, and whatever could be read is returned for the rules.

use super::reader::{type_name, TableReader};
use super::*;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::limits::MAX_WEEKS;
use crate::source::{FileId, SourceFile, Span};
use toml::de::{DeTable, DeValue};

/// A parsed file: its model and the problems found while reading it.
pub struct Parsed {
    /// What could be read.
    pub model: RoadmapFile,
    /// `parse` and `schema` diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Decode `bytes` into a displayable [`SourceFile`], reporting invalid UTF-8.
/// Returns the source and, when the bytes are not UTF-8, a `parse` diagnostic
/// pointing at the first bad byte (the file is then not parsed).
pub fn decode(path: &str, bytes: &[u8]) -> (SourceFile, Option<(Span, String)>) {
    // A byte order mark is invisible in editors: drop it so it neither shifts
    // the columns of line 1 nor reaches the terminal.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (SourceFile::new(path, s), None),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let at = e.valid_up_to();
            let bad = bytes.get(at).copied().unwrap_or(0);
            let src = SourceFile::new(path, text);
            let end = src.text[at..]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            (
                src,
                Some((
                    Span::new(at, end),
                    format!("invalid UTF-8 (byte 0x{bad:02x})"),
                )),
            )
        }
    }
}

/// Parse the text of a roadmap file registered as `file`.
pub fn parse_file(file: FileId, text: &str) -> Parsed {
    let mut diagnostics = Vec::new();
    let mut model = RoadmapFile::empty(file);
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (doc, mut errors) = DeTable::parse_recoverable(&text[base..]);
    // Unclosed deep nesting makes the parser repeat one error per level.
    errors.dedup_by(|a, b| a.span() == b.span() && a.message() == b.message());
    for e in &errors {
        let span = e
            .span()
            .map(|r| Span::new(r.start + base, r.end + base))
            .unwrap_or_else(|| SourceFile::new("", text).first_line());
        diagnostics.push(
            Diagnostic::new(
                RuleId::PARSE,
                format!("invalid TOML: {}", e.message().trim()),
            )
            .at(file, span)
            .help("fix the TOML syntax; nothing else in this file can be trusted until then"),
        );
    }
    // A crafted file can declare a huge number of entries within the size cap;
    // report it once instead of checking (and reporting on) every one.
    let entries: usize = ["item", "request", "kpi", "technology", "waiver"]
        .iter()
        .filter_map(|k| doc.get_ref().get(*k))
        .map(|v| match v.get_ref() {
            DeValue::Array(a) => a.len(),
            _ => 1,
        })
        .sum();
    if entries > crate::limits::MAX_ITEMS_PER_FILE {
        diagnostics.push(
            Diagnostic::new(
                RuleId::PARSE,
                format!(
                    "too many entries ({entries}; the limit is {} per file), not checked",
                    crate::limits::MAX_ITEMS_PER_FILE
                ),
            )
            .at(file, SourceFile::new("", text).first_line())
            .help("split the roadmap into several files"),
        );
        return Parsed { model, diagnostics };
    }
    // After a syntax error the recovered table is only good for its ids and
    // references; its values may be fragments, so schema findings are noise.
    let mut schema = Vec::new();
    read_file(&mut model, base, doc.get_ref(), &mut schema);
    if errors.is_empty() {
        diagnostics.extend(schema);
    }
    Parsed { model, diagnostics }
}

fn read_file(model: &mut RoadmapFile, base: usize, doc: &DeTable<'_>, diags: &mut Vec<Diagnostic>) {
    let file = model.file;
    let mut r = TableReader::new(file, base, doc, "the file", FILE_FIELDS, diags);
    model.quarter_line = r.entry_span("quarter");
    if let Some(q) = r.string("quarter") {
        match q.value.parse::<Quarter>() {
            Ok(v) => model.quarter = Some(Spanned::new(v, q.span)),
            Err(e) => {
                let d = Diagnostic::new(RuleId::SCHEMA, e.to_string())
                    .at(file, q.span)
                    .help("write the quarter as `2026-Q1`");
                r.push(d);
            }
        }
    }
    model.capacity = r.number(
        "capacity",
        "a number of engineer-weeks from 0 to 10,000",
        |n| (0.0..=MAX_WEEKS).contains(&n),
    );
    model.locked = r.date("locked");
    let quarter = model.quarter.as_ref().map(|q| q.value);

    let mut tables = Vec::new();
    for key in ["item", "request", "kpi", "technology", "waiver"] {
        tables.push((key, entries(&mut r, key)));
    }
    model.flawed = r.finish();

    for (key, list) in tables {
        for (span, table) in list {
            match key {
                "item" => model
                    .items
                    .push(read_item(file, base, span, table, quarter, diags)),
                "request" => model
                    .requests
                    .push(read_request(file, base, span, table, diags)),
                "kpi" => model.kpis.push(read_kpi(file, base, span, table, diags)),
                "technology" => model
                    .technologies
                    .push(read_technology(file, base, span, table, diags)),
                _ => model
                    .waivers
                    .push(read_waiver(file, base, span, table, quarter, diags)),
            }
        }
    }
}

/// The tables of an array-of-tables key (`[[item]]`), reporting other shapes.
fn entries<'a, 'i>(
    r: &mut TableReader<'a, 'i, '_>,
    key: &'static str,
) -> Vec<(Span, &'a DeTable<'i>)> {
    let Some((span, value)) = r.value(key) else {
        return Vec::new();
    };
    let base = r.base();
    match value {
        DeValue::Array(a) => {
            let mut out = Vec::new();
            for e in a.iter() {
                let es = Span::new(e.span().start + base, e.span().end + base);
                match e.get_ref() {
                    DeValue::Table(t) => out.push((es, t)),
                    other => r.push(
                        Diagnostic::new(
                            RuleId::SCHEMA,
                            format!("each `{key}` must be a table, found {}", type_name(other)),
                        )
                        .at(r.file(), es)
                        .help(format!("write each entry as a `[[{key}]]` section")),
                    ),
                }
            }
            out
        }
        DeValue::Table(t) => {
            r.push(
                Diagnostic::new(
                    RuleId::SCHEMA,
                    format!("`{key}` must be an array of tables"),
                )
                .at(r.file(), span)
                .help(format!(
                    "write `[[{key}]]` (double brackets), one per entry"
                )),
            );
            vec![(span, t)]
        }
        other => {
            r.push(
                Diagnostic::new(
                    RuleId::SCHEMA,
                    format!(
                        "`{key}` must be an array of tables, found {}",
                        type_name(other)
                    ),
                )
                .at(r.file(), span)
                .help(format!(
                    "write `[[{key}]]` (double brackets), one per entry"
                )),
            );
            Vec::new()
        }
    }
}

fn head(span: Span) -> Span {
    // Point at the start of an entry rather than underlining all of it.
    Span::new(span.start, span.start + 1)
}

fn read_item(
    file: FileId,
    base: usize,
    span: Span,
    t: &DeTable<'_>,
    quarter: Option<Quarter>,
    diags: &mut Vec<Diagnostic>,
) -> Item {
    let mut r = TableReader::new(file, base, t, "an item", ITEM_FIELDS, diags);
    let id = r.string("id");
    if let Some(id) = id.as_ref().filter(|i| !i.value.trim().is_empty()) {
        r.naming_item(&id.value);
    }
    let at = id.as_ref().map_or(head(span), |s| s.span);
    for key in ["id", "title", "kind", "effort"] {
        r.require(key, false, at);
    }
    let _description = r.string("description");
    let item = Item {
        file,
        span,
        quarter,
        id,
        title: r.string("title"),
        kind: r.keyword("kind"),
        effort: r.number(
            "effort",
            "a number of engineer-weeks > 0 and at most 10,000",
            |n| n > 0.0 && n <= MAX_WEEKS,
        ),
        product_owner: r.person("product_owner"),
        tech_owner: r.person("tech_owner"),
        kpis: r.string_list("kpis").map(|l| l.value).unwrap_or_default(),
        depends_on: r
            .string_list("depends_on")
            .map(|l| l.value)
            .unwrap_or_default(),
        status: r.keyword("status"),
        flag: r.string("flag"),
        ends: r.date("ends"),
        rollback: r.string("rollback"),
        timebox_weeks: r.number(
            "timebox_weeks",
            "a number of weeks > 0 and at most 10,000",
            |n| n > 0.0 && n <= MAX_WEEKS,
        ),
        flawed: Default::default(),
    };
    Item {
        flawed: r.finish(),
        ..item
    }
}

fn read_request(
    file: FileId,
    base: usize,
    span: Span,
    t: &DeTable<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Request {
    let mut r = TableReader::new(file, base, t, "a request", REQUEST_FIELDS, diags);
    let id = r.string("id");
    let at = id.as_ref().map_or(head(span), |s| s.span);
    for key in ["id", "customer", "title", "status"] {
        r.require(key, false, at);
    }
    let mut texts = HashMap::new();
    for key in [
        "business_commitment",
        "technical_feasibility",
        "roadmap_impact",
    ] {
        if let Some(v) = r.string(key) {
            texts.insert(key, v);
        }
    }
    let req = Request {
        file,
        span,
        id,
        customer: r.string("customer"),
        title: r.string("title"),
        status: r.keyword("status"),
        texts,
        acceptance_criteria: r.string_list("acceptance_criteria"),
        item: r.string("item"),
        flawed: Default::default(),
    };
    Request {
        flawed: r.finish(),
        ..req
    }
}

fn read_kpi(
    file: FileId,
    base: usize,
    span: Span,
    t: &DeTable<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Kpi {
    let mut r = TableReader::new(file, base, t, "a KPI", KPI_FIELDS, diags);
    let id = r.string("id");
    r.require("id", id.is_some(), head(span));
    let kpi = Kpi {
        file,
        span,
        id,
        description: r.string("description"),
        kind: r.keyword("kind"),
        product_owner: r.person("product_owner"),
        tech_owner: r.person("tech_owner"),
        flawed: Default::default(),
    };
    Kpi {
        flawed: r.finish(),
        ..kpi
    }
}

fn read_technology(
    file: FileId,
    base: usize,
    span: Span,
    t: &DeTable<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Technology {
    let mut r = TableReader::new(file, base, t, "a technology", TECHNOLOGY_FIELDS, diags);
    let name = r.string("name");
    let at = name.as_ref().map_or(head(span), |s| s.span);
    r.require("name", name.is_some(), at);
    r.require("stage", false, at);
    let tech = Technology {
        file,
        span,
        name,
        stage: r.keyword("stage"),
        criteria: r.string_list("criteria"),
        experiment: r.string("experiment"),
        flawed: Default::default(),
    };
    Technology {
        flawed: r.finish(),
        ..tech
    }
}

fn read_waiver(
    file: FileId,
    base: usize,
    span: Span,
    t: &DeTable<'_>,
    quarter: Option<Quarter>,
    diags: &mut Vec<Diagnostic>,
) -> Waiver {
    let mut r =
        TableReader::new(file, base, t, "a waiver", WAIVER_FIELDS, diags).fixes_for_review();
    let rule = r.string("rule");
    r.require("rule", rule.is_some(), head(span));
    let w = Waiver {
        file,
        span,
        quarter,
        rule,
        reason: r.string("reason"),
        approved_by: r.people("approved_by"),
        expires: r.date("expires"),
        item: r.string("item"),
        commit: r.string("commit"),
    };
    r.finish();
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        parse_file(FileId(0), text)
    }

    fn rules_of(p: &Parsed) -> Vec<&'static str> {
        p.diagnostics.iter().map(|d| d.rule.as_str()).collect()
    }

    #[test]
    fn a_full_item_reads_cleanly() {
        let p = parse(
            "quarter = \"2026-Q1\"\ncapacity = 40\nlocked = 2026-01-09\n\n[[item]]\nid = \"A-1\"\ntitle = \"t\"\nkind = \"feature\"\neffort = 6\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\nkpis = [\"conv\"]\nstatus = \"in-progress\"\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let item = &p.model.items[0];
        assert_eq!(item.id_str(), "A-1");
        assert_eq!(item.kind(), Some(Kind::Feature));
        assert_eq!(item.effort.as_ref().unwrap().value, 6.0);
        assert_eq!(p.model.capacity.as_ref().unwrap().value, 40.0);
        assert_eq!(
            p.model.locked.as_ref().unwrap().value.to_string(),
            "2026-01-09"
        );
        assert_eq!(
            p.model.quarter.as_ref().unwrap().value.to_string(),
            "2026-Q1"
        );
    }

    #[test]
    fn unknown_key_is_reported_and_the_rest_still_read() {
        let p =
            parse("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nefort = 3\n");
        assert_eq!(rules_of(&p), vec!["schema"]);
        assert!(p.diagnostics[0].message.contains("unknown key `efort`"));
        assert_eq!(
            p.diagnostics[0].help.as_deref(),
            Some("did you mean `effort`?")
        );
        assert_eq!(p.model.items[0].kind(), Some(Kind::Debt));
    }

    #[test]
    fn a_stray_key_beside_a_valid_one_leaves_the_valid_one_in_use() {
        let p =
            parse("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 4\nefort = 4\n");
        assert_eq!(rules_of(&p), vec!["schema"]);
        let item = &p.model.items[0];
        assert_eq!(item.effort.as_ref().map(|e| e.value), Some(4.0));
        assert!(!item.flawed.has("effort"), "the valid `effort` is no typo");
        let p = parse("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\nefort = 4\n");
        assert_eq!(rules_of(&p), vec!["schema"], "no `has no effort` as well");
        assert!(
            p.model.items[0].flawed.has("effort"),
            "left out of the sums"
        );
    }

    #[test]
    fn diagnostics_about_an_items_field_name_the_item() {
        let p = parse(
            "[[item]]\nid = \"U-3\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\ntech_owner = \"kim\u{200B}\"\nstatus = \"doen\"\n[[item]]\ntitle = \"t\"\nkind = \"debt\"\neffort = 1\n",
        );
        let got: Vec<(&str, Option<&str>)> = p
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.item.as_deref()))
            .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[0].0.starts_with("`tech_owner` of item `U-3` is \"kim"),
            "{got:?}"
        );
        assert!(
            got[1].0.starts_with("`status` of item `U-3` is `doen`"),
            "{got:?}"
        );
        assert_eq!((got[0].1, got[1].1), (Some("U-3"), Some("U-3")));
        assert_eq!(got[2], ("an item has no `id`", None), "no id, no name");
    }

    #[test]
    fn wrong_type_reports_that_field_only() {
        let p = parse("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = \"six\"\ntech_owner = \"lee\"\n");
        assert_eq!(rules_of(&p), vec!["schema"]);
        assert!(
            p.diagnostics[0].message.contains("must be a number"),
            "{}",
            p.diagnostics[0].message
        );
        assert!(p.model.items[0].effort.is_none());
        assert_eq!(p.model.items[0].tech_owner.as_ref().unwrap().value, "lee");
    }

    #[test]
    fn bad_enum_and_bad_date() {
        let p = parse("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"feture\"\neffort = 1\nends = \"2026-02-01\"\n");
        assert_eq!(rules_of(&p), vec!["schema", "schema"]);
        assert!(p
            .diagnostics
            .iter()
            .any(|d| d.help.as_deref() == Some("did you mean `feature`?")));
        assert!(p
            .diagnostics
            .iter()
            .any(|d| d.help.as_deref() == Some("drop the quotes: `ends = 2026-02-01`")));
    }

    #[test]
    fn malformed_toml_is_a_parse_diagnostic() {
        let p = parse("quarter = \"2026-Q1\"\ncapacity = \n");
        assert_eq!(rules_of(&p)[0], "parse");
    }

    #[test]
    fn bom_keeps_spans_aligned() {
        let text = "\u{feff}quarter = \"2026-Q9\"\n";
        let p = parse(text);
        let d = &p.diagnostics[0];
        assert_eq!(&text[d.span.unwrap().range()], "\"2026-Q9\"");
    }

    #[test]
    fn crlf_is_accepted() {
        let p = parse("quarter = \"2026-Q1\"\r\ncapacity = 4\r\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn single_bracket_table_is_reported_but_read() {
        let p = parse("[item]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 1\n");
        assert_eq!(rules_of(&p), vec!["schema"]);
        assert_eq!(p.model.items.len(), 1);
    }

    /// Every place the roadmap names a person checks the name: (TOML, the
    /// key, the severity, a fragment of the message).
    #[test]
    fn names_with_invisible_characters_or_mixed_scripts() {
        use crate::diagnostic::Severity;
        let cases: &[(&str, &str, Severity, &str)] = &[
            (
                "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 1\nproduct_owner = \"da\u{200B}na\"\n",
                "product_owner",
                Severity::Error,
                "is \"da<U+200B>na\": the name holds an invisible character (U+200B)",
            ),
            (
                "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 1\ntech_owner = \"\\u202Eeel\"\n",
                "tech_owner",
                Severity::Error,
                "invisible character (U+202E)",
            ),
            (
                "[[kpi]]\nid = \"k\"\nproduct_owner = \"d\u{430}na\"\n",
                "product_owner",
                Severity::Warning,
                "mixes Latin and Cyrillic letters (`\u{430}` is Cyrillic U+0430)",
            ),
            (
                "[[kpi]]\nid = \"k\"\ntech_owner = \"l\u{3B5}e\"\n",
                "tech_owner",
                Severity::Warning,
                "mixes Latin and Greek letters",
            ),
            (
                "[[waiver]]\nrule = \"capacity\"\napproved_by = [\"dana\", \"l\u{2060}ee\"]\n",
                "approved_by",
                Severity::Error,
                "`approved_by` of a waiver is \"l<U+2060>ee\"",
            ),
        ];
        for (text, key, severity, fragment) in cases {
            let p = parse(text);
            assert_eq!(p.diagnostics.len(), 1, "{text}: {:?}", p.diagnostics);
            let d = &p.diagnostics[0];
            assert_eq!(d.rule, RuleId::SCHEMA);
            assert_eq!(d.severity, *severity, "{text}");
            assert!(d.message.contains(fragment), "{}", d.message);
            assert!(d.message.contains(key), "{}", d.message);
            // The diagnostic points at the value.
            let span = d.span.unwrap();
            assert!(text[span.range()].starts_with('"'), "{text}: {span:?}");
            assert!(!d.message.contains('\u{200B}') && !d.message.contains('\u{202E}'));
        }
        // An invisible character leaves the owner out of the rules (one
        // diagnostic), a mixed script does not (it may be a real name).
        let p = parse(cases[0].0);
        assert!(p.model.items[0].flawed.has("product_owner"));
        let p = parse(cases[2].0);
        assert!(!p.model.kpis[0].flawed.has("product_owner"));
        // Plain names in any one script are fine.
        let p = parse("[[kpi]]\nid = \"k\"\nproduct_owner = \"Jos\u{E9} Garc\u{ED}a\"\ntech_owner = \"\u{414}\u{43C}\u{438}\u{442}\u{440}\u{438}\u{439}\"\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let (src, err) = decode("a.toml", b"a = 1\nb = \"\xff\"\n");
        let (span, msg) = err.unwrap();
        assert_eq!(src.line_col(span.start).line, 2);
        assert_eq!(src.line_col(span.start).column, 6);
        assert!(msg.contains("0xff"));
    }
}
