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
        "ignored",
        "planning",
        "coverage",
        "actual debt",
        "drift",
        "state",
        "breaches",
    ];
    let mut rows: Vec<[String; 14]> = Vec::new();
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
            q.ignored_commits.to_string(),
            q.planning_commits.to_string(),
            opt(q.coverage, percent),
            opt(q.actual_debt_share, percent),
            // An unfinished quarter's share is provisional: no drift yet.
            opt(
                q.drift
                    .filter(|_| q.state != super::QuarterState::InProgress),
                |x| format!("{:+.0} pts", x * 100.0),
            ),
            q.state.text().to_string(),
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
                // text columns (quarter, state, breaches) left, numbers right
                if i == 0 || i >= cells.len() - 2 {
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
    let _ = writeln!(out, "\n{}", window(d));
    let _ = writeln!(
        out,
        "actual debt share from effort in {}; debt, feature and other count commits",
        measure_word(d)
    );
    for line in column_notes(d) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "thresholds: planned debt {}–{}, actual debt ≥ {}, drift ≤ {} pts, judged from {} classified commits",
        percent(d.thresholds.debt_share_min),
        percent(d.thresholds.debt_share_max),
        percent(d.thresholds.history_min),
        (d.thresholds.max_drift * 100.0).round(),
        d.thresholds.min_commits
    );
    plan_lines(d, &mut out);
    super::roadmaps::table(&d.roadmaps, &mut out);
    out
}

/// The lines under the quarters: requests and their gaps, technologies,
/// waivers, and the count of breaches.
fn plan_lines(d: &Dashboard, out: &mut String) {
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
            "waiver: {} {} {}{}",
            escape_data(w.rule.as_deref().unwrap_or("?")),
            escape_data(w.quarter.as_deref().unwrap_or("everywhere")),
            w.expires
                .as_deref()
                .map_or("no expiry".to_string(), |e| format!(
                    "until {}",
                    escape_data(e)
                )),
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
}

/// One line per column that needs explaining: what `ignored`, `planning`
/// and `coverage` count (the same words in the table and the page).
pub fn column_notes(d: &Dashboard) -> [String; 3] {
    [
        "ignored: commits by authors matching [history] ignore_authors (bots), counted nowhere"
            .to_string(),
        "planning: commits that change only the plan (roadmap files, roadlint.toml, approvals), counted in no class"
            .to_string(),
        format!(
            "coverage: share of the counted {} linked to a roadmap item (item trailer, or an id with a digit in the subject)",
            measure_word(d)
        ),
    ]
}

/// The unit of the report's effort, in words.
pub fn measure_word(d: &Dashboard) -> &'static str {
    match d.measure {
        crate::facts::Measure::AuthorDays => "author-days",
        crate::facts::Measure::Commits => "commits",
    }
}

/// Which quarters the report shows, and why (`--all` or the default window).
pub fn window(d: &Dashboard) -> String {
    let span = match (d.quarters.first(), d.quarters.last()) {
        (Some(a), Some(b)) if a.quarter != b.quarter => {
            format!("{} – {}", escape_data(&a.quarter), escape_data(&b.quarter))
        }
        (Some(a), _) => escape_data(&a.quarter).into_owned(),
        _ => "no quarter".to_string(),
    };
    let n = d.quarters.len();
    let why = if d.all {
        "every quarter with commits, --all"
    } else {
        "the planned quarters and the four before the first; --all shows every quarter"
    };
    format!(
        "window: {span}, {n} quarter{}: {why}",
        if n == 1 { "" } else { "s" }
    )
}

/// Render the items view (`report --format table --items`): one row per
/// roadmap item, grouped by quarter, plan beside actual, contradictions
/// flagged below their item.
pub fn render_items(d: &Dashboard, color: bool) -> String {
    let header = [
        "quarter",
        "item",
        "kind",
        "status",
        "owners",
        "planned",
        "commits",
        "author-days",
        "authors",
        "first–last commit",
    ];
    let mut order: Vec<&super::items::ItemRow> = d.items.iter().collect();
    // quarter files first (oldest first), then items outside any quarter
    order.sort_by(|a, b| (a.quarter.is_none(), &a.quarter).cmp(&(b.quarter.is_none(), &b.quarter)));
    let dash = || "—".to_string();
    let rows: Vec<[String; 10]> = order
        .iter()
        .map(|i| {
            let owners = [&i.product_owner, &i.tech_owner]
                .iter()
                .map(|o| escape_data(o.as_deref().unwrap_or("?")).into_owned())
                .collect::<Vec<_>>()
                .join(" / ");
            let span = match (&i.first_commit, &i.last_commit) {
                (Some(a), Some(b)) if a != b => format!("{} – {}", escape_data(a), escape_data(b)),
                (Some(a), _) => escape_data(a).into_owned(),
                _ => dash(),
            };
            [
                escape_data(i.quarter.as_deref().unwrap_or("—")).into_owned(),
                escape_data(&i.id).into_owned(),
                escape_data(i.kind.as_deref().unwrap_or("?")).into_owned(),
                escape_data(&i.status).into_owned(),
                owners,
                i.effort.map_or_else(dash, weeks),
                i.commits.map_or_else(dash, |c| c.to_string()),
                i.author_days.map_or_else(dash, weeks),
                i.authors.map_or_else(dash, |a| a.to_string()),
                span,
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = " ".repeat(widths[i].saturating_sub(c.chars().count()));
                if (5..=8).contains(&i) {
                    format!("{pad}{c}")
                } else {
                    format!("{c}{pad}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = String::new();
    let head = line(&header.map(String::from));
    if color {
        let _ = writeln!(out, "\u{1b}[1m{head}\u{1b}[0m");
    } else {
        let _ = writeln!(out, "{head}");
    }
    let mut flagged = 0;
    for (i, r) in order.iter().zip(&rows) {
        let _ = writeln!(out, "{}", line(r));
        for c in &i.contradictions {
            flagged += 1;
            let text = format!("  ! {}: {}", escape_data(&i.id), c.text());
            if color {
                let _ = writeln!(out, "\u{1b}[33m{text}\u{1b}[0m");
            } else {
                let _ = writeln!(out, "{text}");
            }
        }
    }
    if d.items.is_empty() {
        let _ = writeln!(out, "no items in the roadmap");
    }
    for (id, n) in &d.unknown_items {
        let _ = writeln!(
            out,
            "  ! item trailer names `{}`, which is no item of the roadmap ({n} commit{})",
            escape_data(id),
            if *n == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(
        out,
        "\nplanned in engineer-weeks; commits linked by the item trailer or the id in the subject; {flagged} contradiction{} between status and history",
        if flagged == 1 { "" } else { "s" }
    );
    out
}
