//! `--format junit`: JUnit XML, for CI systems that show test reports.
//!
//! One test suite per roadmap file, one test case per rule in it: a rule with
//! an error there is a failure carrying the messages and locations; warnings
//! are noted in the case's output. Diagnostics not tied to a file (history
//! notes) form a `repository` suite.

use super::{position, Output};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::registry;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

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
    format!(
        "{place}{}[{}] {}{commit}{help}",
        d.severity.as_str(),
        d.rule,
        d.message
    )
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
        s.set_message(errors[0].message.clone());
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
pub fn render(out: &Output<'_>) -> String {
    let mut report = Report::new("roadlint");
    for (id, file) in out.sources.roadmap_files() {
        let path = crate::escape::escape_data(&file.path).into_owned();
        let mut suite = TestSuite::new(path.clone());
        for rule in registry() {
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
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- roadlint: cannot write JUnit: {e} -->\n"))
}
