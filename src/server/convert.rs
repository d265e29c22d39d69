//! roadlint's diagnostics in the protocol's terms: UTF-16 ranges, the rule id
//! as the code, secondary labels as related information.

use super::position::LineIndex;
use super::workspace::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Url,
};
use std::path::Path;

/// The `source` of every diagnostic the server publishes.
pub(super) const SOURCE: &str = "roadlint";

/// The URI of a repository-relative path.
pub(super) fn uri_of(root: &Path, path: &str) -> Option<Url> {
    Url::from_file_path(root.join(path)).ok()
}

/// The range of a diagnostic's primary span (the start of the file when it
/// has none), through the index of its file.
pub(super) fn range_of(d: &Diagnostic, index: &LineIndex<'_>) -> Range {
    let span = d.span.unwrap_or_default();
    index.range(span.start, span.end)
}

/// One diagnostic, as published; `index` indexes the file it is about.
pub(super) fn diagnostic(
    d: &Diagnostic,
    index: &LineIndex<'_>,
    analysis: &Analysis,
    root: &Path,
) -> lsp_types::Diagnostic {
    let mut message = d.shown_message().into_owned();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| l.file.0 < analysis.loaded.sources.len())
        .filter_map(|l| {
            let target = analysis.source(l.file);
            Some(DiagnosticRelatedInformation {
                location: Location::new(
                    uri_of(root, &target.path)?,
                    LineIndex::new(&target.text).range(l.span.start, l.span.end),
                ),
                message: l.text.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range_of(d, index),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.as_str().to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
