//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure).
//!
//! Built from `serde-sarif`'s types, so the structure follows the official
//! schema; a test validates the output against that schema.

use super::{position, Output};
use crate::diagnostic::Severity;
use crate::rules::registry;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn rules() -> Vec<ReportingDescriptor> {
    registry()
        .iter()
        .map(|r| {
            let mut d = ReportingDescriptor::builder()
                .id(r.id.as_str())
                .name(r.id.as_str())
                .short_description(text(r.summary))
                .full_description(text(r.explanation().trim()))
                .help(
                    MultiformatMessageString::builder()
                        .text(format!(
                            "{}\n\nRun `roadlint explain {}` for the full explanation.",
                            r.summary, r.id
                        ))
                        .markdown(r.explanation())
                        .build(),
                )
                .build();
            d.default_configuration = Some(ReportingConfiguration {
                level: Some(serde_json::Value::String(
                    match r.default_level {
                        crate::settings::Level::Warn => "warning",
                        crate::settings::Level::Off => "none",
                        crate::settings::Level::Error => "error",
                    }
                    .into(),
                )),
                ..Default::default()
            });
            d
        })
        .collect()
}

/// A repository-relative path as a URI reference: every byte but the
/// unreserved characters and `/` percent-encoded (RFC 3986), so `%`, `#`,
/// `?`, spaces and non-ASCII names survive.
pub(super) fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The log of a run that could not be made (exit code 2): one run, no
/// results, an unsuccessful invocation carrying the error.
pub(super) fn failure(message: &str, help: Option<&str>) -> String {
    let mut text = message.to_string();
    if let Some(h) = help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let notification = Notification::builder()
        .message(Message {
            text: Some(text),
            ..Default::default()
        })
        .level(serde_json::Value::String("error".into()))
        .build();
    let invocation = Invocation::builder()
        .execution_successful(false)
        .tool_execution_notifications(vec![notification])
        .build();
    log(Vec::new(), Some(vec![invocation]))
}

/// Render one SARIF log with one run.
pub(super) fn render(out: &Output<'_>) -> String {
    let rules = rules();
    let results: Vec<SarifResult> = out
        .diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let locations = position(d, out.sources).map(|(_, start, end)| {
                let path = d.file.map(|f| uri(&out.sources.get(f).path));
                vec![Location {
                    physical_location: Some(PhysicalLocation {
                        artifact_location: Some(ArtifactLocation {
                            uri: path,
                            ..Default::default()
                        }),
                        region: Some(Region {
                            start_line: Some(start.line as i64),
                            start_column: Some(start.column as i64),
                            end_line: Some(end.line as i64),
                            end_column: Some(end.column.max(if end.line == start.line {
                                start.column + 1
                            } else {
                                1
                            }) as i64),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]
            });
            let mut props = BTreeMap::new();
            if let Some(r) = &d.roadmap {
                props.insert("roadmap".to_string(), serde_json::Value::String(r.clone()));
            }
            if let Some(c) = &d.commit {
                props.insert(
                    "commit".to_string(),
                    serde_json::Value::String(c.id.clone()),
                );
                props.insert(
                    "commitSubject".to_string(),
                    serde_json::Value::String(c.subject.clone()),
                );
            }
            if let Some(q) = &d.quarter {
                props.insert("quarter".to_string(), serde_json::Value::String(q.clone()));
            }
            if let Some(i) = &d.item {
                props.insert("item".to_string(), serde_json::Value::String(i.clone()));
            }
            let mut result = SarifResult::builder()
                .message(Message {
                    text: Some(message),
                    ..Default::default()
                })
                .rule_id(d.rule.as_str())
                .level(match d.severity {
                    Severity::Error => ResultLevel::Error,
                    Severity::Warning => ResultLevel::Warning,
                })
                .build();
            result.rule_index = rules
                .iter()
                .position(|r| r.id == d.rule.as_str())
                .map(|i| i as i64);
            result.locations = locations;
            result.properties = (!props.is_empty()).then(|| PropertyBag {
                additional_properties: props,
                ..Default::default()
            });
            result
        })
        .collect();
    log(results, None)
}

/// The SARIF log of one run of roadlint.
fn log(results: Vec<SarifResult>, invocations: Option<Vec<Invocation>>) -> String {
    let driver = ToolComponent::builder()
        .name("roadlint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/roadlint/roadlint")
        .rules(rules())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::Value::String("unicodeCodePoints".into()))
        .build();
    run.invocations = invocations;
    let log = Sarif::builder()
        .schema(SCHEMA)
        .runs(vec![run])
        .version(serde_json::Value::String("2.1.0".into()))
        .build();
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("roadmap/100% plan #1.toml"),
            "roadmap/100%25%20plan%20%231.toml"
        );
        assert_eq!(uri("roadmap/é?.toml"), "roadmap/%C3%A9%3F.toml");
        assert_eq!(uri("roadmap/a-b_c.d~e.toml"), "roadmap/a-b_c.d~e.toml");
    }
}
