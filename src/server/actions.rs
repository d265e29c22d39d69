//! Code actions on the diagnostics under the cursor: the fix a diagnostic
//! carries (a misspelt key or value, a missing request field), or a
//! `[[waiver]]` skeleton for the breach.

use super::convert::{self, uri_of};
use super::position::LineIndex;
use super::workspace::Analysis;
use crate::calendar::{Date, Quarter};
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::rules::{self, RuleGroup};
use crate::source::FileId;
use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, WorkspaceEdit};
use std::collections::HashMap;
use std::path::Path;

/// The actions for the diagnostics of `path` that touch `range`.
pub(super) fn actions(
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
        let mut push = |title: String, edit: Option<(String, Vec<TextEdit>)>, preferred: bool| {
            let Some((target, edits)) = edit else { return };
            let Some(uri) = uri_of(root, &target) else {
                return;
            };
            out.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri, edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            });
        };
        if let Some(fix) = &d.fix {
            push(
                fix.title.clone(),
                text_edits(analysis, fix),
                fix.applicability == Applicability::Safe,
            );
        }
        if waivable(d) {
            push(
                format!("Waive `{}` here (add a [[waiver]])", d.rule),
                waiver_skeleton(analysis, d, today).map(|(p, e)| (p, vec![e])),
                false,
            );
        }
    }
    out
}

/// A fix's edits as the editor's, when they all change one file.
fn text_edits(analysis: &Analysis, fix: &Fix) -> Option<(String, Vec<TextEdit>)> {
    let file = fix.edits.first()?.file;
    if fix.edits.iter().any(|e| e.file != file) {
        return None;
    }
    let source = analysis.source(file);
    let index = LineIndex::new(&source.text);
    let edits = fix
        .edits
        .iter()
        .map(|e| TextEdit::new(index.range(e.span.start, e.span.end), e.text.clone()))
        .collect();
    Some((source.path.clone(), edits))
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
