//! `--format json`: the machine-readable shape of SPEC §5, key for key.

use super::{position, Output};
use serde::Serialize;

/// The document of a run that could not be made (exit code 2).
pub(super) fn failure(message: &str, help: Option<&str>) -> String {
    let doc = serde_json::json!({
        "version": 1,
        "error": { "message": message, "help": help },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    files: usize,
    commits_scanned: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<String>,
    span: Option<Span>,
    quarter: Option<&'a str>,
    item: Option<&'a str>,
    commit: Option<&'a str>,
    /// Only in a repository with `[[roadmap]]` entries (when a diagnostic
    /// names one): the output is unchanged otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    roadmap: Option<Option<&'a str>>,
}

#[derive(Serialize)]
struct Span {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// Render the JSON document, pretty-printed, with a trailing newline.
pub(super) fn render(out: &Output<'_>) -> String {
    // Diagnostics carry "roadmap" (null outside them) only when the
    // repository declares several roadmaps.
    let several = out.diagnostics.iter().any(|d| d.roadmap.is_some());
    let doc = Document {
        version: 1,
        summary: Summary {
            errors: out.summary.errors,
            warnings: out.summary.warnings,
            files: out.summary.files,
            commits_scanned: out.summary.commits_scanned,
        },
        diagnostics: out
            .diagnostics
            .iter()
            .map(|d| {
                let pos = position(d, out.sources);
                Entry {
                    rule: d.rule.as_str(),
                    severity: d.severity.as_str(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    file: pos.as_ref().map(|(p, ..)| p.clone()),
                    span: pos.map(|(_, s, e)| Span {
                        line: s.line,
                        column: s.column,
                        end_line: e.line,
                        end_column: e.column,
                    }),
                    quarter: d.quarter.as_deref(),
                    item: d.item.as_deref(),
                    commit: d.commit.as_ref().map(|c| c.id.as_str()),
                    roadmap: several.then_some(d.roadmap.as_deref()),
                }
            })
            .collect(),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
