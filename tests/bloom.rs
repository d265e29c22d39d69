//! git's changed-path Bloom filters in the commit-graph: used to skip the
//! tree reads of commits that left the roadmap alone, never changing a
//! verdict.

mod common;

use common::{text, Repo};

/// 2026-Q1 locked on 2026-01-10, then many commits that leave the roadmap
/// alone around one (HEAD~6) that changes it without sign-off: a private
/// copy of the scripted `bloom-breached`, since the test writes, removes
/// and forges commit-graphs in it.
fn breached_repo() -> Repo {
    common::fixture_copy("bloom-breached")
}

/// Offsets of a commit-graph's chunks, by id.
fn chunk(graph: &[u8], name: &[u8; 4]) -> (usize, usize) {
    let n = graph[6] as usize;
    let entry = |i: usize| {
        let e = &graph[8 + 12 * i..8 + 12 * (i + 1)];
        (
            e[..4].to_vec(),
            u64::from_be_bytes(e[4..12].try_into().unwrap()) as usize,
        )
    };
    let i = (0..n).find(|&i| entry(i).0 == name).expect("chunk");
    (entry(i).1, entry(i + 1).1)
}

#[test]
fn filters_skip_tree_reads_without_changing_a_verdict() {
    let r = breached_repo();
    let check = [
        "check",
        "--today",
        "2026-03-01",
        "--format",
        "json",
        "--no-cache",
    ];
    let truth = r.roadlint(&check);
    assert!(
        String::from_utf8_lossy(&truth.stdout).contains("locked-scope"),
        "{}",
        text(&truth)
    );
    r.git(&["commit-graph", "write", "--reachable", "--changed-paths"]);
    let with = r.roadlint(&check);
    assert_eq!(with.stdout, truth.stdout, "{}", text(&with));
    let report = ["report", "--format", "json", "--no-cache"];
    let with_report = r.roadlint(&report);
    std::fs::remove_file(r.path().join(".git/objects/info/commit-graph")).unwrap();
    assert_eq!(with_report.stdout, r.roadlint(&report).stdout);

    // The filters are what decides: one that (with a checksum made to
    // match) says the breaching commit touched nothing hides the breach.
    r.git(&["commit-graph", "write", "--reachable", "--changed-paths"]);
    let file = r.path().join(".git/objects/info/commit-graph");
    let mut graph = std::fs::read(&file).unwrap();
    let breach = r.git(&["rev-parse", "HEAD~6"]);
    let (oidl, oidl_end) = chunk(&graph, b"OIDL");
    let id: Vec<u8> = (0..20)
        .map(|i| u8::from_str_radix(&breach.trim()[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let lex = (0..(oidl_end - oidl) / 20)
        .find(|i| graph[oidl + 20 * i..oidl + 20 * (i + 1)] == id[..])
        .expect("in the graph");
    let (bidx, _) = chunk(&graph, b"BIDX");
    let (bdat, _) = chunk(&graph, b"BDAT");
    let be = |at: usize| u32::from_be_bytes(graph[at..at + 4].try_into().unwrap()) as usize;
    let end = be(bidx + 4 * lex);
    let start = if lex == 0 {
        0
    } else {
        be(bidx + 4 * (lex - 1))
    };
    assert!(end > start, "the commit has a filter");
    graph[bdat + 12 + start..bdat + 12 + end].fill(0);
    let body = graph.len() - 20;
    let mut h = gix_hash::hasher(gix_hash::Kind::Sha1);
    h.update(&graph[..body]);
    let sum = h.try_finalize().expect("sha1");
    graph[body..].copy_from_slice(sum.as_bytes());
    std::fs::write(&file, &graph).unwrap();
    let forged = r.roadlint(&check);
    assert!(
        !String::from_utf8_lossy(&forged.stdout).contains("locked-scope"),
        "the filters were not consulted: {}",
        text(&forged)
    );
}
