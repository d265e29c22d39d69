//! `--format human`: miette's graphical reports, with the source line quoted
//! and the offending value underlined.
//!
//! Source text is shown through [`DisplaySource`], so a control character in a
//! roadmap file is printed as a visible escape, never raw. Each report quotes an
//! [`Excerpt`] of its file: the lines around its labels, a line longer than
//! [`MAX_SHOWN_LINE_CHARS`] cut to windows around the labels (so a minified
//! file or a 100k-column error renders, and the renderer never sees a column it
//! cannot format), with the file's own line and column numbers.

use super::{Output, Style};
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape::DisplaySource;
use crate::limits::MAX_SHOWN_LINE_CHARS;
use crate::source::{FileId, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::collections::HashMap;
use std::fmt;

/// A diagnostic in the shape miette renders.
struct Report {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

/// Lines quoted around a label (miette's default).
const CONTEXT_LINES: usize = 1;
/// Characters kept before a label's start on a cut line.
const BEFORE: usize = MAX_SHOWN_LINE_CHARS / 3;
/// Most windows kept on one cut line.
const MAX_WINDOWS: usize = 4;
/// What stands for the text cut out of a long line.
const CUT: &str = "…";

/// A file as shown: its escaped text and the line starts of that text.
struct Shown {
    display: DisplaySource,
    lines: Vec<usize>,
}

impl Shown {
    fn new(text: &str) -> Self {
        let display = DisplaySource::new(text);
        let mut lines = vec![0];
        lines.extend(display.text.match_indices('\n').map(|(i, _)| i + 1));
        Shown { display, lines }
    }

    /// 0-based line of a displayed offset.
    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|&s| s <= offset) - 1
    }

    /// The displayed line `i` without its line ending: start and end offsets.
    fn line(&self, i: usize) -> (usize, usize) {
        let start = self.lines[i];
        let text = &self.display.text;
        let mut end = self.lines.get(i + 1).map_or(text.len(), |&n| n - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }
}

/// Display copies of the sources, made once per file.
struct Displayed<'a> {
    out: &'a Output<'a>,
    cache: HashMap<FileId, Shown>,
    /// Secondary labels in other files (the config line that set a limit)
    /// already quoted: each is quoted once per run, then only named.
    quoted: std::collections::HashSet<(FileId, Span)>,
}

impl Displayed<'_> {
    fn get(&mut self, file: FileId) -> &Shown {
        let sources = self.out.sources;
        self.cache
            .entry(file)
            .or_insert_with(|| Shown::new(&sources.get(file).text))
    }

    /// The excerpt of `file` that quotes `spans`, and each span in it.
    fn excerpt(&mut self, file: FileId, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        let path = crate::escape::escape_data(&self.out.sources.get(file).path);
        let name = format!("{}{path}", self.out.path_prefix);
        let shown = self.get(file);
        Excerpt::new(name, shown, spans)
    }
}

/// One stretch of the excerpt: `from..to` of the displayed text, shown at
/// `at` (a cut stretch is shown as [`CUT`]).
#[derive(Clone, Copy)]
struct Piece {
    from: usize,
    to: usize,
    at: usize,
    cut: bool,
}

/// The part of a file one report quotes (see the module docs).
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line of the excerpt's first line in the file.
    first_line: usize,
    /// (offset in `text`, line, byte column in the displayed file) of each
    /// label's start: the position miette prints in the report's header.
    starts: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    fn new(name: String, shown: &Shown, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        let text = &shown.display.text;
        let mapped: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let start = shown.display.map(s.start).min(text.len());
                let end = shown.display.map(s.end).clamp(start, text.len());
                (start, end)
            })
            .collect();
        let lo = mapped
            .iter()
            .map(|&(s, _)| shown.line_of(s))
            .min()
            .unwrap_or(0)
            .saturating_sub(CONTEXT_LINES);
        let hi = mapped
            .iter()
            .map(|&(_, e)| shown.line_of(e))
            .max()
            .unwrap_or(0)
            .saturating_add(CONTEXT_LINES)
            .min(shown.lines.len() - 1);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut out = String::new();
        let mut keep = |from: usize, to: usize, cut: bool, out: &mut String| {
            pieces.push(Piece {
                from,
                to,
                at: out.len(),
                cut,
            });
            out.push_str(if cut { CUT } else { &text[from..to] });
        };
        for i in lo..=hi {
            let (start, end) = shown.line(i);
            let next = shown.lines.get(i + 1).copied().unwrap_or(text.len());
            let line = &text[start..end];
            if line.len() <= MAX_SHOWN_LINE_CHARS || line.chars().count() <= MAX_SHOWN_LINE_CHARS {
                keep(start, next, false, &mut out);
                continue;
            }
            let mut at = 0;
            for (from, to) in windows(text, start, end, &mapped) {
                if from > at + start {
                    keep(start + at, from, true, &mut out);
                }
                keep(from, to, false, &mut out);
                at = to - start;
            }
            if start + at < end {
                keep(start + at, end, true, &mut out);
            }
            keep(end, next, false, &mut out);
        }
        let map = |p: usize, is_end: bool| -> usize {
            let i = pieces.partition_point(|x| x.from <= p).saturating_sub(1);
            match pieces.get(i) {
                Some(x) if x.cut => x.at + if is_end && p > x.from { CUT.len() } else { 0 },
                Some(x) => x.at + (p.min(x.to) - x.from),
                None => 0,
            }
        };
        let mut starts = Vec::new();
        let spans = mapped
            .iter()
            .map(|&(s, e)| {
                let a = map(s, false);
                let b = map(e, true).max(a);
                let line = shown.line_of(s);
                starts.push((a, line, s - shown.lines[line]));
                SourceSpan::new(a.into(), b - a)
            })
            .collect();
        let excerpt = Excerpt {
            name,
            text: out,
            first_line: lo,
            starts,
        };
        (excerpt, spans)
    }
}

/// The stretches of the long line `start..end` kept around the label starts
/// (or ends) on it: at most [`MAX_WINDOWS`], merged, on character boundaries.
fn windows(text: &str, start: usize, end: usize, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut points: Vec<usize> = spans
        .iter()
        .filter_map(|&(s, e)| {
            if (start..=end).contains(&s) {
                Some(s)
            } else if (start..=end).contains(&e) {
                Some(e)
            } else {
                None
            }
        })
        .collect();
    if points.is_empty() {
        points.push(start);
    }
    points.sort_unstable();
    let back = |mut p: usize, n: usize| {
        for _ in 0..n {
            if p <= start {
                return start;
            }
            p -= 1;
            while !text.is_char_boundary(p) {
                p -= 1;
            }
        }
        p
    };
    let forth = |mut p: usize, n: usize| {
        for _ in 0..n {
            if p >= end {
                return end;
            }
            p += 1;
            while !text.is_char_boundary(p) {
                p += 1;
            }
        }
        p
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    for p in points {
        let from = back(p, BEFORE);
        let to = forth(p, MAX_SHOWN_LINE_CHARS - BEFORE);
        let full = out.len() == MAX_WINDOWS;
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ if full => break,
            _ => out.push((from, to)),
        }
    }
    out
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let (line, column) = match self.starts.iter().find(|s| s.0 == span.offset()) {
            Some(&(_, line, column)) if before == 0 => (line, column),
            _ => (inner.line() + self.first_line, inner.column()),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

fn build(d: &Diagnostic, shown: &mut Displayed<'_>) -> Report {
    let mut message = d.shown_message().into_owned();
    if let Some(c) = &d.commit {
        message.push_str(&format!(
            "\n  commit {}: {}",
            &c.id[..c.id.len().min(12)],
            c.subject
        ));
    }
    let mut report = Report {
        message,
        code: format!("roadlint({})", d.rule),
        severity: match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        },
        help: d.help.clone(),
        source: None,
        labels: Vec::new(),
        related: Vec::new(),
    };
    if let Some(file) = d.file {
        let mut spans = vec![d.span.unwrap_or_default()];
        let same: Vec<_> = d.labels.iter().filter(|l| l.file == file).collect();
        spans.extend(same.iter().map(|l| l.span));
        let (excerpt, spans) = shown.excerpt(file, &spans);
        report.source = Some(excerpt);
        report.labels.push(LabeledSpan::new_primary_with_span(
            d.label.clone(),
            spans[0],
        ));
        for (l, span) in same.iter().zip(&spans[1..]) {
            report
                .labels
                .push(LabeledSpan::new_with_span(Some(l.text.clone()), *span));
        }
    }
    for l in d.labels.iter().filter(|l| Some(l.file) != d.file) {
        if !shown.quoted.insert((l.file, l.span)) {
            let at = shown.out.sources.get(l.file);
            let pos = at.line_col(l.span.start);
            let note = format!(
                "{} at {}{}:{}:{} (quoted above)",
                l.text,
                shown.out.path_prefix,
                crate::escape::escape_data(&at.path),
                pos.line,
                pos.column
            );
            report.help = Some(match report.help.take() {
                Some(h) => format!("{h}\n{note}"),
                None => note,
            });
            continue;
        }
        let (excerpt, spans) = shown.excerpt(l.file, &[l.span]);
        report.related.push(Report {
            message: l.text.clone(),
            code: String::new(),
            severity: miette::Severity::Advice,
            help: None,
            source: Some(excerpt),
            labels: vec![LabeledSpan::new_primary_with_span(None, spans[0])],
            related: Vec::new(),
        });
    }
    report
}

/// Render every diagnostic, then a summary line.
pub(super) fn render(out: &Output<'_>, style: &Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        // Trailer names and rule ids are hyphenated: never break lines inside them.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .without_syntax_highlighting();
    // A history finding points at a quarter or item line whose neighbours say
    // nothing about it: quote that line alone, so a run with a finding per
    // quarter still reads in one screen.
    let terse = handler.clone().with_context_lines(0);
    let mut shown = Displayed {
        out,
        cache: HashMap::new(),
        quoted: Default::default(),
    };
    let mut s = String::new();
    for d in out.diagnostics {
        // The terse handler would cut a quoted config line to its span.
        let quotes_config = d
            .labels
            .iter()
            .any(|l| Some(l.file) != d.file && !shown.quoted.contains(&(l.file, l.span)));
        let history = crate::rules::find(d.rule.as_str()).is_some_and(|r| r.needs_history())
            && d.commit.is_none()
            && spans_its_line(d, out);
        let report = build(d, &mut shown);
        let handler = if history && !quotes_config {
            &terse
        } else {
            &handler
        };
        if handler.render_report(&mut s, &report).is_err() {
            s.push_str(&report.message);
        }
        s.push('\n');
    }
    if !style.quiet {
        s.push_str(&summary_line(out, style.color));
        s.push('\n');
    }
    s
}

/// Whether `d` underlines its whole line (the terse handler quotes only the
/// span: a value alone, `"trial"`, would lose its key).
fn spans_its_line(d: &Diagnostic, out: &Output<'_>) -> bool {
    let (Some(file), Some(span)) = (d.file, d.span) else {
        return false;
    };
    let text = &out.sources.get(file).text;
    let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
        return false;
    };
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let rest = after.split('\n').next().unwrap_or("");
    before[start..].trim().is_empty()
        && (rest.trim().is_empty() || rest.trim_start().starts_with('#'))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary_line(out: &Output<'_>, color: bool) -> String {
    let sum = out.summary;
    let files = plural(sum.files, "roadmap file", "roadmap files");
    let commits = if sum.commits_scanned > 0 {
        format!(
            ", {} scanned",
            plural(sum.commits_scanned, "commit", "commits")
        )
    } else {
        String::new()
    };
    let (mark, text, code) = if sum.errors > 0 {
        let warnings = if sum.warnings > 0 {
            format!(", {}", plural(sum.warnings, "warning", "warnings"))
        } else {
            String::new()
        };
        (
            "✗",
            format!(
                "{}{warnings} in {files}{commits}",
                plural(sum.errors, "error", "errors")
            ),
            "31",
        )
    } else if sum.warnings > 0 {
        (
            "!",
            format!(
                "{} in {files}{commits}",
                plural(sum.warnings, "warning", "warnings")
            ),
            "33",
        )
    } else {
        ("✓", format!("no problems in {files}{commits}"), "32")
    };
    if color {
        format!("\u{1b}[1;{code}m{mark}\u{1b}[0m {text}")
    } else {
        format!("{mark} {text}")
    }
}
