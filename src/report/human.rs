//! `--format human`: miette's graphical reports, with the source line quoted
//! and the offending value underlined.
//!
//! Source text is shown through [`DisplaySource`], so a control character in a
//! roadmap file is printed as a visible escape, never raw.

use super::{Output, Style};
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape::DisplaySource;
use crate::source::{FileId, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::collections::HashMap;
use std::fmt;

/// A diagnostic in the shape miette renders.
struct Report {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
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

/// Display copies of the sources, made once per file.
struct Displayed<'a> {
    out: &'a Output<'a>,
    cache: HashMap<FileId, DisplaySource>,
    /// Secondary labels in other files (the config line that set a limit)
    /// already quoted: each is quoted once per run, then only named.
    quoted: std::collections::HashSet<(FileId, Span)>,
}

impl Displayed<'_> {
    fn get(&mut self, file: FileId) -> &DisplaySource {
        let sources = self.out.sources;
        self.cache
            .entry(file)
            .or_insert_with(|| DisplaySource::new(&sources.get(file).text))
    }

    fn named(&mut self, file: FileId) -> NamedSource<String> {
        let path = crate::escape::escape_data(&self.out.sources.get(file).path);
        let name = format!("{}{path}", self.out.path_prefix);
        NamedSource::new(name, self.get(file).text.clone()).with_language("toml")
    }

    fn span(&mut self, file: FileId, span: Span) -> SourceSpan {
        let d = self.get(file);
        let start = d.map(span.start);
        let end = d.map(span.end).max(start);
        SourceSpan::new(start.into(), end - start)
    }
}

fn build(d: &Diagnostic, shown: &mut Displayed<'_>) -> Report {
    let mut message = d.message.clone();
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
        report.source = Some(shown.named(file));
        let span = shown.span(file, d.span.unwrap_or_default());
        report
            .labels
            .push(LabeledSpan::new_primary_with_span(d.label.clone(), span));
        for l in d.labels.iter().filter(|l| l.file == file) {
            let span = shown.span(file, l.span);
            report
                .labels
                .push(LabeledSpan::new_with_span(Some(l.text.clone()), span));
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
        let span = shown.span(l.file, l.span);
        report.related.push(Report {
            message: l.text.clone(),
            code: String::new(),
            severity: miette::Severity::Advice,
            help: None,
            source: Some(shown.named(l.file)),
            labels: vec![LabeledSpan::new_primary_with_span(None, span)],
            related: Vec::new(),
        });
    }
    report
}

/// Render every diagnostic, then a summary line.
pub fn render(out: &Output<'_>, style: &Style) -> String {
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
            && d.commit.is_none();
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
