//! `--format short`: `path:line:col: severity[rule] message`, one per line.

use super::{position, Output};
use std::fmt::Write;

/// Render one line per diagnostic.
pub(super) fn render(out: &Output<'_>) -> String {
    let mut s = String::new();
    for d in out.diagnostics {
        let message = d.shown_message().replace('\n', " ");
        let commit = d
            .commit
            .as_ref()
            .map(|c| format!(" (commit {})", &c.id[..c.id.len().min(12)]))
            .unwrap_or_default();
        match position(d, out.sources) {
            Some((path, start, _)) => {
                let _ = writeln!(
                    s,
                    "{}{path}:{}:{}: {}[{}] {message}{commit}",
                    out.path_prefix,
                    start.line,
                    start.column,
                    d.severity.as_str(),
                    d.rule
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "roadlint: {}[{}] {message}{commit}",
                    d.severity.as_str(),
                    d.rule
                );
            }
        }
    }
    s
}
