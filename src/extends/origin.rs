//! `roadlint config [--show-origin]`: the effective configuration as TOML,
//! one leaf key per line, each with the file and line that set it.
//!
//! Reading a chain of presets is only trustworthy when a reviewer can see
//! what each key ended up as and which file decided it. The values are
//! taken from the same files in the same order as the reader applies them
//! (defaults, then each preset, `roadlint.toml` last), a rule given as a
//! bare level standing for its `level` key, so what is printed is what is
//! in force.

use crate::settings::Config;
use crate::source::{SourceFile, Sources};
use std::collections::HashMap;
use toml::de::{DeTable, DeValue};

/// A leaf key: its table path and name, its value and where it was set.
struct Leaf {
    path: Vec<String>,
    value: toml::Value,
    origin: Option<String>,
}

/// The leaves of the effective configuration, in the order first set.
#[derive(Default)]
struct Leaves {
    list: Vec<Leaf>,
    index: HashMap<Vec<String>, usize>,
}

impl Leaves {
    fn set(&mut self, path: Vec<String>, value: toml::Value, origin: Option<String>) {
        match self.index.get(&path) {
            Some(&i) => {
                self.list[i].value = value;
                self.list[i].origin = origin;
            }
            None => {
                self.index.insert(path.clone(), self.list.len());
                self.list.push(Leaf {
                    path,
                    value,
                    origin,
                });
            }
        }
    }

    /// Every leaf of `table` (a file's parsed value), `at` saying where a
    /// leaf was set.
    fn add(
        &mut self,
        prefix: &[String],
        table: &toml::Table,
        at: &dyn Fn(&[String]) -> Option<String>,
    ) {
        for (k, v) in table {
            if prefix.is_empty() && k == "extends" {
                continue;
            }
            let mut path = prefix.to_vec();
            path.push(k.clone());
            let is_rule = prefix.len() == 1 && prefix[0] == "rules";
            match v {
                toml::Value::Table(t) => self.add(&path, t, at),
                toml::Value::String(_) if is_rule => {
                    let origin = at(&path);
                    path.push("level".into());
                    self.set(path, v.clone(), origin);
                }
                _ => {
                    let origin = at(&path);
                    self.set(path, v.clone(), origin);
                }
            }
        }
    }
}

/// The offset of every key in a file, by its table path.
fn key_offsets(
    table: &DeTable<'_>,
    prefix: &[String],
    base: usize,
    out: &mut HashMap<Vec<String>, usize>,
) {
    for (k, v) in table.iter() {
        let mut path = prefix.to_vec();
        path.push(k.get_ref().to_string());
        out.insert(path.clone(), k.span().start + base);
        if let DeValue::Table(t) = v.get_ref() {
            key_offsets(t, &path, base, out);
        }
    }
}

/// The effective configuration `cfg` (read from files in `sources`) as
/// TOML; with `origins`, each line ends with `# <path>:<line>` or
/// `# default`. `None` when a file of the chain no longer parses.
pub(crate) fn show(cfg: &Config, sources: &Sources, origins: bool) -> Option<String> {
    let mut leaves = Leaves::default();
    let defaults: toml::Table = toml::from_str(&crate::config::default_config_text()).ok()?;
    leaves.add(&[], &defaults, &|_| None);
    for &file in &cfg.chain {
        let src: &SourceFile = sources.get(file);
        let base = if src.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let value: toml::Table = toml::from_str(&src.text[base..]).ok()?;
        let doc = DeTable::parse(&src.text[base..]).ok()?;
        let mut offsets = HashMap::new();
        key_offsets(doc.get_ref(), &[], base, &mut offsets);
        let at = |path: &[String]| {
            let line = offsets.get(path).map_or(1, |&o| src.line_col(o).line);
            Some(format!("{}:{line}", src.path))
        };
        leaves.add(&[], &value, &at);
    }
    Some(render(&leaves, origins))
}

fn render(leaves: &Leaves, origins: bool) -> String {
    let mut tables: Vec<&[String]> = Vec::new();
    for l in &leaves.list {
        let parent = &l.path[..l.path.len() - 1];
        if !tables.contains(&parent) {
            tables.push(parent);
        }
    }
    // Top-level keys first: after a table header they would belong to it.
    tables.sort_by_key(|t| !t.is_empty());
    let mut out = String::new();
    for table in tables {
        if !table.is_empty() {
            let name: Vec<String> = table.iter().map(|k| key(k)).collect();
            out.push_str(&format!("\n[{}]\n", name.join(".")));
        }
        for l in leaves
            .list
            .iter()
            .filter(|l| &l.path[..l.path.len() - 1] == table)
        {
            let name = l.path.last().map(|k| key(k)).unwrap_or_default();
            let mut line = format!("{name} = {}", l.value);
            if origins {
                let from = l.origin.as_deref().unwrap_or("default");
                line.push_str(&format!("  # {from}"));
            }
            out.push_str(&crate::escape::escape_data(&line));
            out.push('\n');
        }
    }
    out
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}
