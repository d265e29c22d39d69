//! Hover: on a diagnostic, the rule's explanation (what `roadlint explain`
//! prints); on a KPI or item id where one is referenced, the entry it names.

use super::position::LineIndex;
use super::workspace::Analysis;
use crate::rules;
use crate::source::{Span, Spanned};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The most lines of an entry a hover quotes.
const MAX_ENTRY_LINES: usize = 30;

/// What a referenced id names.
enum Target {
    Kpi,
    Item,
}

/// The hover at `pos` in the file at `path`, if there is anything to show.
pub(super) fn hover(analysis: &Analysis, path: &str, pos: Position) -> Option<Hover> {
    let (file, diags) = analysis.diagnostics_of(path)?;
    let index = LineIndex::new(&file.text);
    let offset = index.offset(pos);
    let mut parts: Vec<String> = Vec::new();
    let mut range = None;
    let mut seen = Vec::new();
    for d in diags {
        let span = d.span.unwrap_or_default();
        if !(span.start <= offset && offset <= span.end) || seen.contains(&d.rule) {
            continue;
        }
        seen.push(d.rule);
        let mut text = format!("**roadlint({})**: {}\n\n", d.rule, d.message);
        if let Some(info) = rules::find(d.rule.as_str()) {
            text.push_str(&info.explanation());
        }
        parts.push(text);
        range.get_or_insert(index.range(span.start, span.end));
    }
    if let Some((span, text)) = reference(analysis, path, offset) {
        parts.push(text);
        range = Some(index.range(span.start, span.end));
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n---\n\n"),
        }),
        range,
    })
}

/// The id under `offset` in a `kpis`, `depends_on`, `item` or `experiment`
/// value, with the entry it names rendered.
fn reference(analysis: &Analysis, path: &str, offset: usize) -> Option<(Span, String)> {
    let id = analysis.file_id(path)?;
    let roadmap = &analysis.loaded.roadmap;
    let file = roadmap.files.iter().find(|f| f.file == id)?;
    let mut refs: Vec<(&Spanned<String>, Target)> = Vec::new();
    for item in &file.items {
        refs.extend(item.kpis.iter().map(|k| (k, Target::Kpi)));
        refs.extend(item.depends_on.iter().map(|k| (k, Target::Item)));
    }
    for r in &file.requests {
        refs.extend(r.item.iter().map(|k| (k, Target::Item)));
    }
    for t in &file.technologies {
        refs.extend(t.experiment.iter().map(|k| (k, Target::Item)));
    }
    for w in &file.waivers {
        refs.extend(w.item.iter().map(|k| (k, Target::Item)));
    }
    let (name, target) = refs
        .into_iter()
        .find(|(s, _)| s.span.start <= offset && offset <= s.span.end)?;
    let (what, entry) = match target {
        Target::Kpi => (
            "KPI",
            roadmap
                .kpis()
                .find(|k| k.id.as_ref().is_some_and(|i| i.value == name.value))
                .map(|k| (k.file, k.span)),
        ),
        Target::Item => ("item", roadmap.item(&name.value).map(|i| (i.file, i.span))),
    };
    let shown = crate::escape::escape_text(&name.value);
    let text = match entry {
        Some((file, span)) => {
            let source = analysis.source(file);
            let line = source.line_col(span.start).line;
            let quoted = entry_lines(&source.text, span.start);
            format!(
                "{what} `{shown}` ({}:{line})\n\n```toml\n{}\n```\n",
                source.path,
                quoted.join("\n").replace("```", "` ` `")
            )
        }
        None => format!("no {what} has the id `{shown}`\n"),
    };
    Some((name.span, text))
}

/// The lines of the entry whose header starts at `start`: up to the next
/// table header, without trailing blank lines.
fn entry_lines(text: &str, start: usize) -> Vec<&str> {
    let mut lines: Vec<&str> = Vec::new();
    for (n, line) in text.get(start..).unwrap_or("").lines().enumerate() {
        if n > 0 && line.trim_start().starts_with('[') {
            break;
        }
        if lines.len() == MAX_ENTRY_LINES {
            lines.push("…");
            break;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}
