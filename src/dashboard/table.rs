//! `report --format table`: an aligned terminal table with the same numbers.
//!
//! Colors only on a terminal (the caller decides); every piece of text from
//! the repository goes through [`escape_data`], so no escape sequence from
//! data reaches the terminal.

use super::Dashboard;
use crate::escape::escape_data;
use crate::units::{percent, weeks};
use std::fmt::Write;

/// A number, or a dash where there is none.
fn opt(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map_or("—".to_string(), f)
}

/// Render the quarters as a table, then requests, technologies and waivers.
pub fn render(d: &Dashboard, color: bool) -> String {
    let header = [
        "quarter",
        "capacity",
        "planned",
        "plan debt",
        "debt",
        "feature",
        "other",
        "actual debt",
        "drift",
        "breaches",
    ];
    let mut rows: Vec<[String; 10]> = Vec::new();
    for q in &d.quarters {
        let errors = q
            .diagnostics
            .iter()
            .filter(|x| x.severity == "error")
            .count();
        let warnings = q.diagnostics.len() - errors;
        let breaches = match (errors, warnings) {
            (0, 0) => "—".to_string(),
            (e, 0) => format!("{e}E"),
            (0, w) => format!("{w}W"),
            (e, w) => format!("{e}E {w}W"),
        };
        rows.push([
            escape_data(&q.quarter).into_owned(),
            opt(q.capacity, weeks),
            opt(q.planned_effort, weeks),
            opt(q.planned_debt_share, percent),
            q.commits.debt.to_string(),
            q.commits.feature.to_string(),
            q.commits.unclassified.to_string(),
            opt(q.actual_debt_share, percent),
            opt(q.drift, |x| format!("{:+.0} pts", x * 100.0)),
            breaches,
        ]);
    }
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let bold = |s: &str| {
        if color {
            format!("\u{1b}[1m{s}\u{1b}[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                // text columns (quarter, breaches) left, numbers right
                if i == 0 || i == cells.len() - 1 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let _ = writeln!(out, "{}", bold(&line(&header.map(String::from))));
    for (q, r) in d.quarters.iter().zip(&rows) {
        let mut text = line(r);
        let breached = q.diagnostics.iter().any(|x| x.severity == "error");
        if color && breached {
            text = format!("\u{1b}[31m{text}\u{1b}[0m");
        }
        let _ = writeln!(out, "{text}");
    }
    let _ = writeln!(
        out,
        "\nthresholds: planned debt {}–{}, actual debt ≥ {}, drift ≤ {} pts, judged from {} classified commits",
        percent(d.thresholds.debt_share_min),
        percent(d.thresholds.debt_share_max),
        percent(d.thresholds.history_min),
        (d.thresholds.max_drift * 100.0).round(),
        d.thresholds.min_commits
    );
    if !d.requests.by_status.is_empty() {
        let counts: Vec<String> = d
            .requests
            .by_status
            .iter()
            .map(|(s, n)| format!("{n} {}", escape_data(s)))
            .collect();
        let _ = writeln!(out, "requests: {}", counts.join(", "));
        for g in &d.requests.gaps {
            let _ = writeln!(
                out,
                "  {} ({}:{}) lacks {}",
                escape_data(&g.id),
                escape_data(&g.file),
                g.line,
                escape_data(&g.missing.join(", "))
            );
        }
    }
    if !d.technologies.is_empty() {
        let techs: Vec<String> = d
            .technologies
            .iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    escape_data(&t.name),
                    escape_data(t.stage.as_deref().unwrap_or("?"))
                )
            })
            .collect();
        let _ = writeln!(out, "technologies: {}", techs.join(", "));
    }
    for w in &d.waivers {
        let _ = writeln!(
            out,
            "waiver: {} {} until {}{}",
            escape_data(w.rule.as_deref().unwrap_or("?")),
            escape_data(w.quarter.as_deref().unwrap_or("everywhere")),
            escape_data(w.expires.as_deref().unwrap_or("?")),
            if w.expired { " (expired)" } else { "" }
        );
    }
    let errors = d.errors();
    let warnings = d.diagnostics.len() - errors;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        out,
        "breaches: {} (E), {} (W); run `roadlint check` for details",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    out
}
