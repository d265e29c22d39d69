//! Code actions on the diagnostics under the cursor: apply a "did you mean"
//! suggestion, add a missing request field, or write a `[[waiver]]`
//! skeleton for the breach.

use super::convert::{self, uri_of};
use super::position::LineIndex;
use super::workspace::Analysis;
use crate::calendar::{Date, Quarter};
use crate::diagnostic::Diagnostic;
use crate::rules::{self, RuleGroup};
use crate::source::{FileId, SourceFile};
use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, WorkspaceEdit};
use std::collections::HashMap;
use std::path::Path;

/// The id of the rule whose "has no `x`" gets an add-the-field action.
const REQUEST_FIELDS: &str = "request-fields";

/// The actions for the diagnostics of `path` that touch `range`.
pub fn actions(
    analysis: &Analysis,
    root: &Path,
    path: &str,
    range: Range,
    today: Date,
) -> Vec<CodeAction> {
    let Some((file, diags)) = analysis.diagnostics_of(path) else {
        return Vec::new();
    };
    let index = LineIndex::new(&file.text);
    let (from, to) = (index.offset(range.start), index.offset(range.end));
    let mut out = Vec::new();
    for d in diags {
        let span = d.span.unwrap_or_default();
        if span.start > to || span.end < from {
            continue;
        }
        let shown = convert::diagnostic(d, &index, analysis, root);
        let mut push = |title: String, edit: Option<(String, TextEdit)>, preferred: bool| {
            let Some((target, edit)) = edit else { return };
            let Some(uri) = uri_of(root, &target) else {
                return;
            };
            out.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri, vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            });
        };
        if let Some(word) = suggestion(d) {
            let edit = replace_keeping_quotes(file, d, word);
            push(
                format!("Replace with `{word}`"),
                Some((path.to_string(), edit)),
                true,
            );
        }
        if let Some(field) = missing_request_field(d) {
            let edit = add_request_field(analysis, file, d, field);
            push(
                format!("Add `{field}` to the request"),
                edit.map(|e| (path.to_string(), e)),
                false,
            );
        }
        if waivable(d) {
            push(
                format!("Waive `{}` here (add a [[waiver]])", d.rule),
                waiver_skeleton(analysis, d, today),
                false,
            );
        }
    }
    out
}

/// The word of a "did you mean `x`?" help.
fn suggestion(d: &Diagnostic) -> Option<&str> {
    let help = d.help.as_deref()?;
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    let word = &rest[..rest.find('`')?];
    (!word.is_empty()).then_some(word)
}

/// Replace the diagnostic's text with `word`, in quotes when the text was a
/// quoted string.
fn replace_keeping_quotes(file: &SourceFile, d: &Diagnostic, word: &str) -> TextEdit {
    let span = d.span.unwrap_or_default();
    let old = file.text.get(span.range()).unwrap_or("");
    let new = match old.chars().next() {
        Some(q @ ('"' | '\'')) if old.len() >= 2 && old.ends_with(q) => format!("{q}{word}{q}"),
        _ => word.to_string(),
    };
    TextEdit::new(LineIndex::new(&file.text).range(span.start, span.end), new)
}

/// The field a `request-fields` "has no `x`" diagnostic asks for.
fn missing_request_field(d: &Diagnostic) -> Option<&str> {
    if d.rule != REQUEST_FIELDS {
        return None;
    }
    let rest = &d.message[d.message.find("has no `")? + "has no `".len()..];
    Some(&rest[..rest.find('`')?])
}

/// `field = ""` (or `[]` for a list) at the end of the request's entry.
fn add_request_field(
    analysis: &Analysis,
    file: &SourceFile,
    d: &Diagnostic,
    field: &str,
) -> Option<TextEdit> {
    let (id, span) = (d.file?, d.span?);
    let request = analysis
        .loaded
        .roadmap
        .requests()
        .find(|r| r.file == id && r.name_span() == span)?;
    let empty = if field == "acceptance_criteria" {
        "[]"
    } else {
        "\"\""
    };
    // The entry's span is its header; the fields follow it.
    let end = [
        request.id.as_ref().map(|s| s.span),
        request.customer.as_ref().map(|s| s.span),
        request.title.as_ref().map(|s| s.span),
        request.status.as_ref().map(|s| s.span),
        request.acceptance_criteria.as_ref().map(|s| s.span),
        request.item.as_ref().map(|s| s.span),
    ]
    .into_iter()
    .flatten()
    .chain(request.texts.values().map(|s| s.span))
    .map(|s| s.end)
    .fold(request.span.end, usize::max);
    let at = LineIndex::new(&file.text).position(end);
    Some(TextEdit::new(
        Range::new(at, at),
        format!("\n{field} = {empty}"),
    ))
}

/// Whether a `[[waiver]]` can suppress `d`: a rule's diagnostic, not a
/// structural one, not about a waiver itself.
fn waivable(d: &Diagnostic) -> bool {
    rules::find(d.rule.as_str())
        .is_some_and(|r| r.group != RuleGroup::Structural && r.id != rules::waiver::ID)
}

/// A `[[waiver]]` for `d`, appended to the file whose waivers cover it: the
/// file of the quarter it names, else a file without a quarter (whose
/// waivers hold everywhere).
fn waiver_skeleton(analysis: &Analysis, d: &Diagnostic, today: Date) -> Option<(String, TextEdit)> {
    let roadmap = &analysis.loaded.roadmap;
    let fy = analysis.config.fiscal_year_start;
    let quarter: Option<Quarter> = d.quarter.as_deref().and_then(|q| q.parse().ok());
    let quarterless = |id: &FileId| {
        roadmap
            .files
            .iter()
            .any(|f| f.file == *id && f.quarter.is_none())
    };
    let target: FileId = match quarter {
        Some(q) => roadmap
            .quarter_files()
            .find(|(_, fq)| *fq == q)
            .map(|(f, _)| f.file)
            .or(d.file)?,
        None => d
            .file
            .filter(quarterless)
            .or_else(|| {
                roadmap
                    .files
                    .iter()
                    .find(|f| f.quarter.is_none())
                    .map(|f| f.file)
            })
            .or(d.file)?,
    };
    let expires = quarter
        .unwrap_or_else(|| Quarter::containing(today, fy))
        .last_day(fy);
    let source = analysis.source(target);
    let mut text = String::new();
    if !source.text.is_empty() && !source.text.ends_with('\n') {
        text.push('\n');
    }
    if !source.text.is_empty() {
        text.push('\n');
    }
    text.push_str("[[waiver]]\n");
    text.push_str(&format!("rule = {}\n", quoted(d.rule.as_str())));
    if let Some(item) = &d.item {
        text.push_str(&format!("item = {}\n", quoted(item)));
    }
    text.push_str("reason = \"\"\napproved_by = []\n");
    text.push_str(&format!("expires = {expires}\n"));
    let end = LineIndex::new(&source.text).end();
    Some((
        source.path.clone(),
        TextEdit::new(Range::new(end, end), text),
    ))
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}
