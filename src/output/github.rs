//! `--format github`: GitHub Actions workflow commands, escaped exactly as the
//! Actions toolkit escapes them, so annotations land on the right line.

use super::{position, Output};
use crate::diagnostic::Severity;
use std::fmt::Write;

/// Escape a command's message (`%`, CR, LF).
pub(super) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`%`, CR, LF, `:`, `,`).
pub(super) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotation of a run that could not be made (exit code 2).
pub(super) fn failure(message: &str, help: Option<&str>) -> String {
    let mut text = message.to_string();
    if let Some(h) = help {
        let _ = write!(text, "\nhelp: {h}");
    }
    format!("::error title=roadlint::{}\n", escape_data(&text))
}

/// Render one workflow command per diagnostic.
pub(super) fn render(out: &Output<'_>) -> String {
    let mut s = String::new();
    for d in out.diagnostics {
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some((path, start, end)) = position(d, out.sources) {
            props.push(format!("file={}", escape_property(&path)));
            props.push(format!("line={}", start.line));
            props.push(format!("col={}", start.column));
            props.push(format!("endLine={}", end.line));
            props.push(format!("endColumn={}", end.column));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("roadlint {}", d.rule))
        ));
        let mut message = d.shown_message().into_owned();
        if let Some(c) = &d.commit {
            let _ = write!(message, "\ncommit {} {}", c.id, c.subject);
        }
        if let Some(h) = &d.help {
            let _ = write!(message, "\nhelp: {h}");
        }
        let _ = writeln!(s, "::{cmd} {}::{}", props.join(","), escape_data(&message));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
