//! `roadlint check --fix`: apply the safe fixes that diagnostics carry to the
//! roadmap files in the work tree.
//!
//! Only [`Applicability::Safe`] fixes are applied (a misspelt key or value,
//! quotes around a number or a date): each keeps what the author meant. The
//! fixes inside a `[[waiver]]` are marked for review by the reader (a waiver
//! is a signed agreement, changed only by a person), so they are never
//! applied here, and nothing else is written: not `roadlint.toml`, not the
//! index, not the history. A file that changed on disk since it was read is
//! left alone.

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::lint::Loaded;
use crate::source::FileId;
use std::collections::BTreeMap;
use std::path::Path;

/// One fix that was applied, for the report.
pub(super) struct Applied {
    /// The repository-relative path of the file.
    pub(super) path: String,
    /// The 1-based line of the change.
    pub(super) line: usize,
    /// What it did.
    pub(super) title: String,
}

/// Apply the safe fixes of `diags` to the files of `loaded` under `root`:
/// what was applied, or the first file that could not be written.
pub(super) fn apply(
    root: &Path,
    loaded: &Loaded,
    diags: &[Diagnostic],
) -> Result<Vec<Applied>, String> {
    let mut by_file: BTreeMap<FileId, Vec<(&Edit, &str)>> = BTreeMap::new();
    for d in diags {
        let Some(fix) = d
            .fix
            .as_ref()
            .filter(|f| f.applicability == Applicability::Safe)
        else {
            continue;
        };
        for e in &fix.edits {
            by_file.entry(e.file).or_default().push((e, &fix.title));
        }
    }
    let mut applied = Vec::new();
    for (file, mut edits) in by_file {
        let source = loaded.sources.get(file);
        if !loaded.sources.roadmap_files().any(|(id, _)| id == file) {
            continue;
        }
        edits.sort_by_key(|(e, _)| (e.span.start, e.span.end));
        // Two fixes for the same text: the first wins, the run after the
        // fix reports what is left.
        let mut kept: Vec<(&Edit, &str)> = Vec::new();
        for (e, title) in edits {
            if kept.last().is_none_or(|(k, _)| k.span.end <= e.span.start) {
                kept.push((e, title));
            }
        }
        let path = root.join(&source.path);
        let on_disk = std::fs::read(&path).map_err(|e| format!("{}: {e}", source.path))?;
        if on_disk != source.text.as_bytes() {
            return Err(format!(
                "{}: changed on disk while roadlint read it; not fixed",
                source.path
            ));
        }
        let mut text = source.text.clone();
        for (e, _) in kept.iter().rev() {
            if text.get(e.span.range()).is_none() {
                continue;
            }
            text.replace_range(e.span.range(), &e.text);
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", source.path))?;
        for (e, title) in kept {
            applied.push(Applied {
                path: source.path.clone(),
                line: source.line_col(e.span.start).line,
                title: title.to_string(),
            });
        }
    }
    Ok(applied)
}
