//! `extends`: one configuration built from shared presets (SPEC §9.8).
//!
//! A company keeps its policy in one preset that every repository's
//! `roadlint.toml` extends, instead of a copy in each that drifts. The chain
//! is applied deepest first, left to right, the extending file last, each
//! file read over the one before by the same reader that reads a lone
//! `roadlint.toml` (so a value keeps the file and span that set it, and a
//! later value replaces an earlier one key by key). Every path is relative
//! to the repository root, whichever file holds it. An entry may pin the
//! preset by the SHA-256 of its bytes; a missing preset, a mismatch, a cycle
//! or a chain deeper than [`MAX_LEVEL`] is a `config` diagnostic at the
//! entry that names it, and the run stops with exit code 2.

mod origin;

pub(crate) use origin::show;

use crate::config;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::settings::Config;
use crate::source::{FileId, SourceFile, Sources, Span};
use toml::de::{DeTable, DeValue};

/// The deepest level a preset may sit at: `roadlint.toml` is level 0, a
/// preset it names level 1; a preset at level 9 is refused.
pub(crate) const MAX_LEVEL: usize = 8;

/// How a preset's bytes are read from the snapshot being linted (the work
/// tree, the index, a commit's tree): a repository-relative path in, the
/// bytes or why there are none out.
pub(crate) type ReadPreset<'a> = dyn Fn(&str) -> Result<Vec<u8>, String> + 'a;

/// One `extends` entry as written.
struct Entry {
    /// The path, normalised (no `.` components, `/` separators).
    path: String,
    /// The pin: lowercase hex SHA-256 of the preset's bytes.
    sha256: Option<String>,
    /// The entry in the file that holds it.
    span: Span,
}

/// The configuration of the chain that starts at `root` (already added to
/// `sources` as the configuration): presets are read with `read` and added
/// to `sources`. Problems come back as `config` diagnostics, each in the
/// file that caused it; the config is usable only when there are none.
pub(crate) fn load(
    sources: &mut Sources,
    root: FileId,
    read: &ReadPreset<'_>,
) -> (Config, Vec<Diagnostic>) {
    let root_path = normalise(&sources.get(root).path);
    let mut walk = Walk {
        sources,
        read,
        stack: vec![root_path],
        order: Vec::new(),
        diags: Vec::new(),
    };
    walk.visit(root, 0);
    let Walk {
        order, mut diags, ..
    } = walk;
    if !diags.is_empty() {
        diags.sort_by_key(|d| (d.file.map(|f| f.0), d.span.map(|s| s.start)));
        let cfg = Config {
            file: Some(root),
            ..Config::default()
        };
        return (cfg, diags);
    }
    let (mut cfg, diags) = config::parse_chain(root, &order, sources);
    cfg.files = std::iter::once(root)
        .chain(order.iter().copied().filter(|f| *f != root))
        .map(|f| sources.get(f).path.clone())
        .collect();
    (cfg, diags)
}

/// The chain being read: a depth-first walk that records the order in
/// which files apply.
struct Walk<'s, 'r> {
    sources: &'s mut Sources,
    read: &'r ReadPreset<'r>,
    /// The paths from the root to the file being read, for cycles.
    stack: Vec<String>,
    /// Files in the order they apply, the root last.
    order: Vec<FileId>,
    diags: Vec<Diagnostic>,
}

impl Walk<'_, '_> {
    fn visit(&mut self, file: FileId, level: usize) {
        let text = self.sources.get(file).text.clone();
        for entry in entries(file, &text, &mut self.diags) {
            if let Some(id) = self.resolve(file, &entry, level + 1) {
                self.stack.push(entry.path.clone());
                self.visit(id, level + 1);
                self.stack.pop();
            }
        }
        self.order.push(file);
    }

    /// Read the preset an entry names, or say why not.
    fn resolve(&mut self, file: FileId, entry: &Entry, level: usize) -> Option<FileId> {
        let problem = |message: String, help: &str| {
            Diagnostic::new(RuleId::CONFIG, message)
                .at(file, entry.span)
                .help(help.to_string())
        };
        if level > MAX_LEVEL {
            self.diags.push(problem(
                format!(
                    "`extends` entry `{}` would be a preset at level {level}: a chain may be at most {MAX_LEVEL} presets deep",
                    entry.path
                ),
                "flatten the chain: let fewer presets extend each other",
            ));
            return None;
        }
        if let Some(at) = self.stack.iter().position(|p| *p == entry.path) {
            let mut cycle: Vec<&str> = self.stack[at..].iter().map(String::as_str).collect();
            cycle.push(&entry.path);
            self.diags.push(problem(
                format!("`extends` cycle: {}", cycle.join(" → ")),
                "a preset may not extend a file that extends it",
            ));
            return None;
        }
        let bytes = match (self.read)(&entry.path) {
            Ok(b) => b,
            Err(why) => {
                self.diags.push(problem(
                    format!(
                        "`extends` entry `{}` names no regular file inside the repository: {why}",
                        entry.path
                    ),
                    "presets are regular files, named by their path from the repository root",
                ));
                return None;
            }
        };
        if let Some(want) = &entry.sha256 {
            let got = sha256_hex(&bytes);
            if *want != got {
                self.diags.push(problem(
                    format!(
                        "`extends` entry `{}`: its SHA-256 is {got}, the pin says {want}",
                        entry.path
                    ),
                    "the preset changed since it was pinned: review the change, then update `sha256`",
                ));
                return None;
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            self.diags.push(problem(
                format!("`extends` entry `{}` is not UTF-8 text", entry.path),
                "a preset is a TOML file",
            ));
            return None;
        };
        let id = self
            .sources
            .add_preset(SourceFile::new(entry.path.clone(), text));
        if let Some(span) = roadmap_tables(&self.sources.get(id).text) {
            self.diags.push(
                Diagnostic::new(
                    RuleId::CONFIG,
                    "a preset may not declare `[[roadmap]]` entries: only the repository's roadlint.toml does",
                )
                .at(id, span)
                .help("move the `[[roadmap]]` tables into roadlint.toml"),
            );
        }
        Some(id)
    }
}

/// The span of a `[[roadmap]]` table array in a preset, if it has one.
fn roadmap_tables(text: &str) -> Option<Span> {
    let (base, doc) = parse_doc(text)?;
    let (key, value) = doc.get_key_value("roadmap")?;
    let DeValue::Array(a) = value.get_ref() else {
        return None;
    };
    a.iter()
        .any(|v| matches!(v.get_ref(), DeValue::Table(_)))
        .then(|| Span::new(key.span().start + base, key.span().end + base))
}

fn parse_doc(text: &str) -> Option<(usize, DeTable<'_>)> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let doc = DeTable::parse(&text[base..]).ok()?;
    Some((base, doc.into_inner()))
}

/// The `extends` entries of a file, with a diagnostic for each malformed
/// one. A file that is not TOML has none here: the config reader reports it.
fn entries(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let Some((base, doc)) = parse_doc(text) else {
        return Vec::new();
    };
    let Some(value) = doc.get("extends") else {
        return Vec::new();
    };
    let span_of = |r: std::ops::Range<usize>| Span::new(r.start + base, r.end + base);
    let help = "write extends = [\"policy/org.toml\", { path = \"policy/team.toml\", sha256 = \"<hex>\" }]";
    let DeValue::Array(items) = value.get_ref() else {
        diags.push(
            Diagnostic::new(RuleId::CONFIG, "`extends` must be an array of presets")
                .at(file, span_of(value.span()))
                .help(help),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let span = span_of(item.span());
        match entry(item.get_ref()) {
            Ok((path, sha256)) => match checked_path(&path) {
                Ok(path) => out.push(Entry { path, sha256, span }),
                Err(why) => diags.push(
                    Diagnostic::new(
                        RuleId::CONFIG,
                        format!("`extends` entry `{path}` cannot name a preset: {why}"),
                    )
                    .at(file, span)
                    .help("presets are named by their path from the repository root"),
                ),
            },
            Err(why) => diags.push(
                Diagnostic::new(RuleId::CONFIG, why)
                    .at(file, span)
                    .help(help),
            ),
        }
    }
    out
}

/// An entry's path and pin, or why it is not an entry.
fn entry(v: &DeValue<'_>) -> Result<(String, Option<String>), String> {
    match v {
        DeValue::String(s) => Ok((s.to_string(), None)),
        DeValue::Table(t) => {
            let mut path = None;
            let mut sha256 = None;
            for (k, v) in t.iter() {
                match (k.get_ref().as_ref(), v.get_ref()) {
                    ("path", DeValue::String(s)) => path = Some(s.to_string()),
                    ("sha256", DeValue::String(s)) => {
                        let ok = s.len() == 64
                            && s.bytes()
                                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                        if !ok {
                            return Err(format!(
                                "`sha256` must be 64 lowercase hex digits, not `{s}`"
                            ));
                        }
                        sha256 = Some(s.to_string());
                    }
                    (k @ ("path" | "sha256"), _) => {
                        return Err(format!("`{k}` of an `extends` entry must be a string"))
                    }
                    (k, _) => return Err(format!("unknown key `{k}` in an `extends` entry")),
                }
            }
            path.map(|p| (p, sha256))
                .ok_or_else(|| "an `extends` entry needs a `path`".to_string())
        }
        _ => Err("an `extends` entry is a path or { path, sha256 }".into()),
    }
}

/// The path normalised (`./a//b.toml` is `a/b.toml`), or why it could
/// leave the repository.
fn checked_path(path: &str) -> Result<String, &'static str> {
    if let Some(why) = crate::globs::escape_reason(path) {
        return Err(why);
    }
    if path.contains('\\') {
        return Err("it has a `\\`: separate directories with `/`");
    }
    let n = normalise(path);
    if n.is_empty() {
        return Err("it is empty");
    }
    Ok(n)
}

fn normalise(path: &str) -> String {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// The lowercase hex SHA-256 of `bytes`: what a pin compares.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests;
