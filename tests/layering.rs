//! The module graph runs one way, and this test keeps it so.
//!
//! Every `crate::…` and `super::…` path in `src/` is an edge from the module
//! that writes it to the module it names. Top-level modules sit in the layers
//! below (a module may use its own layer's leaves only where the table says,
//! and any lower layer); inside a folder module (`history/`, `model/`, …)
//! sibling modules may not import each other in a circle. Test code (`mod
//! tests` and test-only modules) is left out: tests may reach anywhere.
//!
//! A test rather than a workspace crate: the layering is finer than a crate
//! split would give (sixteen layers), the root stays one package for
//! `cargo install --path .`, and the failure names the offending line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first: a module may import modules of lower layers
/// only (and itself).
const LAYERS: &[&[&str]] = &[
    &[
        "limits", "calendar", "escape", "source", "units", "globs", "people", "bounded", "fnv",
    ],
    // The git layer reads objects for everyone above and knows only the leaves.
    &["git"],
    &["diagnostic"],
    &["model"],
    &["settings"],
    &["facts"],
    &["signoff"],
    &["rules"],
    &["config", "schema", "lint", "policy"],
    &["extends"],
    &["history"],
    &["discover"],
    &["report", "output"],
    &["cli", "example"],
    &["server"],
    &["app"],
];

/// One source file: its module path (`history::walk`) and its non-test text.
struct Module {
    path: Vec<String>,
    file: String,
    text: String,
}

fn layer(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// The text before the first `#[cfg(test)]` item that is a test module.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            if let Some(next) = lines.peek() {
                if next.trim_start().starts_with("mod tests") {
                    break;
                }
                // `#[cfg(test)] mod helper;` and test-only items: skip the item line.
                lines.next();
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Module files declared behind `#[cfg(test)]` (e.g. `rules/tester.rs`).
fn test_only_modules(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            if let Some(next) = lines.next() {
                let decl = next.trim().trim_start_matches("pub(crate) ");
                if let Some(name) = decl.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                    out.push(name.to_string());
                }
            }
        }
    }
    out
}

fn load(src: &Path) -> Vec<Module> {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                files.push(p);
            }
        }
    }
    let mut test_only = BTreeSet::new();
    let mut modules = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src).expect("under src");
        let mut path: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if path.last().is_some_and(|l| l == "mod") {
            path.pop();
        }
        if matches!(path.as_slice(), [one] if one == "lib" || one == "main") {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("utf-8 source");
        for name in test_only_modules(&text) {
            let mut p = path.clone();
            p.push(name);
            test_only.insert(p);
        }
        modules.push(Module {
            path,
            file: rel.display().to_string(),
            text: without_tests(&text),
        });
    }
    modules.retain(|m| !test_only.contains(&m.path));
    modules
}

/// The identifiers `crate::a::b` and `super::x` paths start with, and `use
/// super::{x, y}` lists, as module paths relative to the crate root.
fn references(m: &Module, known: &BTreeSet<Vec<String>>) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty())
            .collect()
    };
    for (n, line) in m.text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + 7..];
            let mut target: Vec<String> = Vec::new();
            if let Some(list) = after.strip_prefix('{') {
                for name in list.split([',', '}']).map(str::trim) {
                    target = ident(name);
                    if !target.is_empty() {
                        out.push((resolve(&target, known), n + 1));
                    }
                }
                target.clear();
            } else {
                target = ident(after);
            }
            if !target.is_empty() {
                out.push((resolve(&target, known), n + 1));
            }
            rest = after;
        }
        let mut rest = code;
        while let Some(i) = rest.find("super::") {
            let after = &rest[i + 7..];
            let parent = &m.path[..m.path.len().saturating_sub(1)];
            let names: Vec<Vec<String>> = match after.strip_prefix('{') {
                Some(list) => list
                    .split([',', '}'])
                    .map(|s| ident(s.trim()))
                    .filter(|t| !t.is_empty())
                    .collect(),
                None => vec![ident(after)],
            };
            for name in names {
                let mut target = parent.to_vec();
                target.extend(name);
                out.push((resolve(&target, known), n + 1));
            }
            rest = after;
        }
    }
    out
}

/// The longest prefix of `path` that is a module.
fn resolve(path: &[String], known: &BTreeSet<Vec<String>>) -> Vec<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains(p))
        .unwrap_or_else(|| path[..1].to_vec())
}

/// Every edge against the layering, as a readable line.
fn violations(modules: &[Module]) -> Vec<String> {
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
    let mut bad = Vec::new();
    // (folder, from sibling) -> sibling it imports, with the line.
    let mut siblings: BTreeMap<Vec<String>, BTreeMap<String, BTreeMap<String, String>>> =
        BTreeMap::new();
    for m in modules {
        let from = &m.path[0];
        let Some(from_layer) = layer(from) else {
            bad.push(format!(
                "{}: module `{from}` has no layer in LAYERS",
                m.file
            ));
            continue;
        };
        for (target, line) in references(m, &known) {
            let to = &target[0];
            if to == from {
                // Inside one top-level module: siblings of one folder.
                let depth = m.path.len().min(target.len());
                let common = m
                    .path
                    .iter()
                    .zip(&target)
                    .take_while(|(a, b)| a == b)
                    .count();
                if common + 1 == depth && m.path.len() == target.len() {
                    siblings
                        .entry(m.path[..common].to_vec())
                        .or_default()
                        .entry(m.path[common].clone())
                        .or_default()
                        .insert(target[common].clone(), format!("{}:{line}", m.file));
                }
                continue;
            }
            match layer(to) {
                Some(to_layer) if to_layer < from_layer => {}
                Some(_) => bad.push(format!(
                    "{}:{line}: `{from}` imports `{to}`, which is not in a lower layer",
                    m.file
                )),
                None => {}
            }
        }
    }
    for (folder, graph) in &siblings {
        if let Some(cycle) = find_cycle(graph) {
            let at: Vec<String> = cycle
                .windows(2)
                .map(|w| graph[&w[0]][&w[1]].clone())
                .collect();
            bad.push(format!(
                "{}: import cycle {} ({})",
                folder.join("::"),
                cycle.join(" -> "),
                at.join(", ")
            ));
        }
    }
    bad
}

/// A cycle in a directed graph, as the names along it (first = last).
fn find_cycle(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            match state.get(next.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|s| s == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node) {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_crate_runs_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = load(&src);
    assert!(modules.len() > 40, "read {} modules", modules.len());
    let bad = violations(&modules);
    assert!(
        bad.is_empty(),
        "module graph breaks the layering:\n{}",
        bad.join("\n")
    );
}

fn module(path: &str, text: &str) -> Module {
    Module {
        path: path.split("::").map(str::to_string).collect(),
        file: format!("{}.rs", path.replace("::", "/")),
        text: without_tests(text),
    }
}

/// The check fails on a back edge (the model importing the rules, as it once
/// did) and on a cycle between siblings (the history cache and its digest).
#[test]
fn a_back_edge_or_a_sibling_cycle_is_caught() {
    let back = vec![
        module("rules", "use crate::model::Roadmap;\n"),
        module("model", "use crate::rules::ids;\n"),
    ];
    let bad = violations(&back);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].starts_with("model.rs:1: `model` imports `rules`"),
        "{bad:?}"
    );

    let cycle = vec![
        module("history", "mod cache;\nmod digest;\n"),
        module("history::cache", "use super::digest::Digest;\n"),
        module("history::digest", "use super::cache::{In, Out};\n"),
    ];
    let bad = violations(&cycle);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].contains("import cycle cache -> digest -> cache"),
        "{bad:?}"
    );

    let tests_may_reach_anywhere = vec![
        module("rules", ""),
        module(
            "model",
            "fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::rules::x;\n}\n",
        ),
    ];
    assert!(violations(&tests_may_reach_anywhere).is_empty());
}
