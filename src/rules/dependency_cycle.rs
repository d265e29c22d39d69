//! `dependency-cycle`: `depends_on` never goes round in a circle.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Item;
use std::collections::{BTreeMap, BTreeSet};

declare_rule! {
    /// ## What it checks
    /// Following `depends_on` from any item never leads back to that item.
    ///
    /// ## Why
    /// A cycle means none of its items can start: the plan is unschedulable,
    /// and usually one of the dependencies is wrong.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "A"
    /// depends_on = ["B"]
    /// [[item]]
    /// id = "B"
    /// depends_on = ["A"]
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "A"
    /// depends_on = ["B"]
    /// [[item]]
    /// id = "B"
    /// ```
    pub const RULE = {
        id: "dependency-cycle",
        group: Structural,
        level: Error,
        summary: "depends_on has no cycles",
        needs: crate::facts::Needs::NOTHING,
        check: Some(check),
    };
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut graph: BTreeMap<&str, (&Item, Vec<&str>)> = BTreeMap::new();
    for item in ctx.roadmap.items() {
        if let Some(id) = &item.id {
            graph.entry(id.value.as_str()).or_insert_with(|| {
                (
                    item,
                    item.depends_on.iter().map(|d| d.value.as_str()).collect(),
                )
            });
        }
    }
    // Iterative DFS with colours; each cycle is reported once, at its smallest id.
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut reported: BTreeSet<Vec<&str>> = BTreeSet::new();
    for &start in graph.keys() {
        if done.contains(start) {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        let mut next_index: Vec<usize> = vec![0];
        let mut on_path: BTreeSet<&str> = BTreeSet::from([start]);
        while let Some(&node) = path.last() {
            let idx = next_index.last_mut().expect("stacks move together");
            let deps = graph.get(node).map(|(_, d)| d.as_slice()).unwrap_or(&[]);
            if *idx < deps.len() {
                let dep = deps[*idx];
                *idx += 1;
                if on_path.contains(dep) {
                    let pos = path.iter().position(|&n| n == dep).unwrap_or(0);
                    let mut cycle: Vec<&str> = path[pos..].to_vec();
                    let min = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, n)| **n)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(min);
                    if reported.insert(cycle.clone()) {
                        let (item, _) = graph[cycle[0]];
                        let next = cycle.get(1).copied().unwrap_or(cycle[0]);
                        let dep_span = item
                            .depends_on
                            .iter()
                            .find(|d| d.value == next)
                            .map_or(item.name_span(), |d| d.span);
                        let mut chain = cycle.join(" → ");
                        chain.push_str(" → ");
                        chain.push_str(cycle[0]);
                        out.push(
                            Diagnostic::new(ID, format!("dependency cycle: {chain}"))
                                .at(item.file, dep_span)
                                .label("this dependency closes the cycle")
                                .item(cycle[0])
                                .help("remove one of the dependencies in the cycle"),
                        );
                    }
                } else if !done.contains(dep) && graph.contains_key(dep) {
                    path.push(dep);
                    next_index.push(0);
                    on_path.insert(dep);
                }
            } else {
                done.insert(node);
                on_path.remove(node);
                path.pop();
                next_index.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    #[test]
    fn pass() {
        tester::pass(
            ID,
            &["[[item]]\nid = \"A\"\ndepends_on = [\"B\", \"C\"]\n[[item]]\nid = \"B\"\ndepends_on = [\"C\"]\n[[item]]\nid = \"C\"\n"],
        );
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                ("[[item]]\nid = \"A\"\ndepends_on = [\"B\"]\n[[item]]\nid = \"B\"\ndepends_on = [\"A\"]\n", &[(3, "A → B → A")]),
                ("[[item]]\nid = \"S\"\ndepends_on = [\"S\"]\n", &[(3, "S → S")]),
                (
                    "[[item]]\nid = \"C\"\ndepends_on = [\"A\"]\n[[item]]\nid = \"A\"\ndepends_on = [\"B\"]\n[[item]]\nid = \"B\"\ndepends_on = [\"C\"]\n",
                    &[(6, "A → B → C → A")],
                ),
            ],
        );
    }
}
