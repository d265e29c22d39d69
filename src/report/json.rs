//! `report --format json`: SPEC §5's shape (more keys may follow; none renamed).

use super::Dashboard;

/// Pretty JSON with a trailing newline.
pub fn render(d: &Dashboard) -> String {
    let mut s =
        serde_json::to_string_pretty(d).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
