//! `--format junit`: JUnit XML, for CI systems that show test reports.
//!
//! One test suite per roadmap file, one test case per rule in it: a rule with
//! an error there is a failure carrying the messages and locations; warnings
//! are noted in the case's output. Diagnostics not tied to a file (history
//! notes) form a `repository` suite. Rules that did not run are skipped
//! cases, never passed ones.
//!
//! The XML is well-formed whatever the data: every string is passed through
//! [`xml_safe`], which writes a character XML 1.0 forbids (C0 controls,
//! U+FFFE, U+FFFF) as a visible `\u{…}` escape.

use super::{position, Output};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::registry;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::borrow::Cow;

/// `s` with every character XML 1.0 does not allow written as `\u{…}`.
pub(super) fn xml_safe(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    if s.chars().all(allowed) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if allowed(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

fn describe(d: &Diagnostic, out: &Output<'_>) -> String {
    let place = match position(d, out.sources) {
        Some((path, start, _)) => format!("{path}:{}:{}: ", start.line, start.column),
        None => String::new(),
    };
    let commit = d
        .commit
        .as_ref()
        .map(|c| format!(" (commit {} {})", c.id, c.subject))
        .unwrap_or_default();
    let help = d
        .help
        .as_ref()
        .map(|h| format!("\n  help: {h}"))
        .unwrap_or_default();
    xml_safe(&format!(
        "{place}{}[{}] {}{commit}{help}",
        d.severity.as_str(),
        d.rule,
        d.shown_message()
    ))
    .into_owned()
}

fn case(rule: &str, classname: &str, diags: &[&Diagnostic], out: &Output<'_>) -> TestCase {
    let errors: Vec<&&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let lines: Vec<String> = diags.iter().map(|d| describe(d, out)).collect();
    let status = if errors.is_empty() {
        TestCaseStatus::success()
    } else {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(xml_safe(&errors[0].shown_message()).into_owned());
        s.set_type(rule.to_string());
        s.set_description(lines.join("\n"));
        s
    };
    let mut tc = TestCase::new(rule.to_string(), status);
    tc.set_classname(classname.to_string());
    if errors.is_empty() && !lines.is_empty() {
        tc.set_system_out(lines.join("\n"));
    }
    tc
}

/// Render the JUnit XML report.
pub(super) fn render(out: &Output<'_>) -> String {
    let mut report = Report::new("roadlint");
    for (id, file) in out.sources.roadmap_files() {
        let path = xml_safe(&crate::escape::escape_data(&file.path)).into_owned();
        let mut suite = TestSuite::new(path.clone());
        for rule in registry() {
            if out.skipped.contains(&rule.id) {
                let mut tc = TestCase::new(rule.id.as_str(), TestCaseStatus::skipped());
                tc.set_classname(path.clone());
                suite.add_test_case(tc);
                continue;
            }
            let diags: Vec<&Diagnostic> = out
                .diagnostics
                .iter()
                .filter(|d| d.file == Some(id) && d.rule == rule.id)
                .collect();
            suite.add_test_case(case(rule.id.as_str(), &path, &diags, out));
        }
        report.add_test_suite(suite);
    }
    let loose: Vec<&Diagnostic> = out
        .diagnostics
        .iter()
        .filter(|d| d.file.is_none())
        .collect();
    if !loose.is_empty() {
        let mut suite = TestSuite::new("repository");
        let mut rules: Vec<&str> = loose.iter().map(|d| d.rule.as_str()).collect();
        rules.dedup();
        for rule in rules {
            let diags: Vec<&Diagnostic> =
                loose.iter().copied().filter(|d| d.rule == rule).collect();
            suite.add_test_case(case(rule, "repository", &diags, out));
        }
        report.add_test_suite(suite);
    }
    write(&report)
}

fn write(report: &Report) -> String {
    match report.to_string() {
        // Every string was made safe on the way in; this is the last guard.
        Ok(s) => xml_safe(&s).into_owned(),
        Err(e) => format!("<!-- roadlint: cannot write JUnit: {e} -->\n"),
    }
}

/// The report of a run that could not be made (exit code 2): one suite
/// whose one case is an error carrying the message.
pub(super) fn failure(message: &str, help: Option<&str>) -> String {
    let mut report = Report::new("roadlint");
    let mut suite = TestSuite::new("roadlint");
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status.set_message(xml_safe(message).into_owned());
    status.set_type("roadlint-error");
    if let Some(h) = help {
        status.set_description(xml_safe(&format!("{message}\n  help: {h}")).into_owned());
    }
    let mut tc = TestCase::new("roadlint", status);
    tc.set_classname("roadlint");
    suite.add_test_case(tc);
    report.add_test_suite(suite);
    write(&report)
}

#[cfg(test)]
mod tests {
    use super::xml_safe;

    #[test]
    fn characters_xml_forbids_are_escaped_visibly() {
        assert_eq!(
            xml_safe("a\u{ffff}b\u{fffe}\u{1}"),
            "a\\u{ffff}b\\u{fffe}\\u{1}"
        );
        assert_eq!(xml_safe("é\t\n😀"), "é\t\n😀");
    }
}
