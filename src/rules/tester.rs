//! The shared tester behind every rule's `pass` and `fail` tables.
//!
//! A case is the text of one or more roadmap files: lines `# file: PATH` start a
//! new file (the first file defaults to `roadmap/2026-Q1.toml`); a file named
//! `roadlint.toml` is the case's own configuration. The case runs through the
//! real pipeline (config, parse, all rules, waivers) with `today = 2026-06-15`.
//! [`render`] shows a rule's diagnostics exactly as `roadlint check` prints
//! them, for snapshots.

use crate::calendar::Date;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::lint::{lint, load, Loaded};
use crate::output::{Format, Output, Style, Summary};
use crate::settings::Config;
use crate::source::Sources;
use crate::source::{RawFile, SourceFile};

/// The date tests run as of.
pub(crate) fn today() -> Date {
    Date::new(2026, 6, 15).expect("valid date")
}

fn split(case: &str) -> Vec<RawFile> {
    let mut files = Vec::new();
    let mut path = "roadmap/2026-Q1.toml".to_string();
    let mut text = String::new();
    for line in case.split_inclusive('\n') {
        if let Some(p) = line.strip_prefix("# file: ") {
            if !text.trim().is_empty() {
                files.push(RawFile {
                    path: path.clone(),
                    content: Ok(std::mem::take(&mut text).into_bytes()),
                });
            }
            text.clear();
            path = p.trim().to_string();
        } else {
            text.push_str(line);
        }
    }
    files.push(RawFile {
        path,
        content: Ok(text.into_bytes()),
    });
    files
}

/// Run a case with `config` and return every diagnostic with its line.
pub(crate) fn run_with(case: &str, config: &Config) -> Vec<(Diagnostic, usize, String)> {
    run_full(case, config, None)
}

/// Run a case with history facts, default config.
pub(crate) fn run_history(
    case: &str,
    facts: &crate::facts::Facts,
) -> Vec<(Diagnostic, usize, String)> {
    run_full(case, &Config::default(), Some(facts))
}

/// Run a case whose files are uncommitted changes on top of a HEAD that
/// holds `head`, default config.
pub(crate) fn run_head(
    case: &str,
    head: &crate::facts::HeadStages,
) -> Vec<(Diagnostic, usize, String)> {
    let (mut loaded, config) = load_case(case, &Config::default());
    loaded.head = Some(head.clone());
    lines(&loaded, lint(&loaded, &config, today(), None, Vec::new()))
}

/// The case loaded, with its own configuration when it has a `roadlint.toml`.
fn load_case(case: &str, config: &Config) -> (Loaded, Config) {
    let (config_files, raw): (Vec<RawFile>, Vec<RawFile>) = split(case)
        .into_iter()
        .partition(|f| f.path == "roadlint.toml");
    let mut sources = Sources::default();
    let config = match config_files.into_iter().next() {
        Some(RawFile {
            content: Ok(text), ..
        }) => {
            let text = String::from_utf8(text).expect("UTF-8 config");
            let id = sources.add_config(SourceFile::new("roadlint.toml", text));
            let (config, diags) = crate::config::parse(id, &sources.get(id).text);
            assert!(diags.is_empty(), "the case's config is invalid: {diags:?}");
            config
        }
        _ => config.clone(),
    };
    (load(raw, sources), config)
}

/// The diagnostics of `rule` for `case`, rendered as `roadlint check` prints
/// them (plain text, no summary line).
pub(crate) fn render(rule: RuleId, case: &str) -> String {
    render_with(rule, case, None)
}

/// [`render`] with history facts.
pub(crate) fn render_with(rule: RuleId, case: &str, facts: Option<&crate::facts::Facts>) -> String {
    let (loaded, config) = load_case(case, &Config::default());
    let diags: Vec<Diagnostic> = lint(&loaded, &config, today(), facts, Vec::new())
        .into_iter()
        .filter(|d| d.rule == rule)
        .collect();
    let out = Output {
        diagnostics: &diags,
        sources: &loaded.sources,
        summary: Summary::new(&diags, loaded.files, 0),
        path_prefix: "",
        skipped: &[],
    };
    let style = Style {
        quiet: true,
        ..Style::plain()
    };
    crate::output::render(Format::Human, &out, &style)
}

fn run_full(
    case: &str,
    config: &Config,
    facts: Option<&crate::facts::Facts>,
) -> Vec<(Diagnostic, usize, String)> {
    let (loaded, config) = load_case(case, config);
    lines(&loaded, lint(&loaded, &config, today(), facts, Vec::new()))
}

/// Each diagnostic with its line and path.
fn lines(loaded: &Loaded, diags: Vec<Diagnostic>) -> Vec<(Diagnostic, usize, String)> {
    diags
        .into_iter()
        .map(|d| {
            let (line, path) = match (d.file, d.span) {
                (Some(f), Some(s)) => {
                    let src = loaded.sources.get(f);
                    (src.line_col(s.start).line, src.path.clone())
                }
                _ => (0, String::new()),
            };
            (d, line, path)
        })
        .collect()
}

/// Diagnostics of `rule` for `case`, as (line, message).
pub(crate) fn of_rule(rule: RuleId, case: &str) -> Vec<(usize, String)> {
    run_with(case, &Config::default())
        .into_iter()
        .filter(|(d, ..)| d.rule == rule)
        .map(|(d, line, _)| (line, d.message))
        .collect()
}

/// Every case must produce no diagnostic of `rule`.
pub(crate) fn pass(rule: RuleId, cases: &[&str]) {
    for case in cases {
        let got = of_rule(rule, case);
        assert!(
            got.is_empty(),
            "rule {rule} fired on a passing case:\n{case}\n=> {got:?}"
        );
    }
}

/// Every case must produce exactly the listed diagnostics of `rule`:
/// (line, a fragment of the message).
pub(crate) fn fail(rule: RuleId, cases: &[(&str, &[(usize, &str)])]) {
    for (case, expected) in cases {
        let got = of_rule(rule, case);
        assert_eq!(
            got.len(),
            expected.len(),
            "rule {rule} on:\n{case}\n=> {got:?}"
        );
        for ((line, msg), (want_line, want_msg)) in got.iter().zip(expected.iter()) {
            assert_eq!(line, want_line, "line of `{msg}` in:\n{case}");
            assert!(
                msg.contains(want_msg),
                "`{msg}` does not contain `{want_msg}`"
            );
        }
    }
}
