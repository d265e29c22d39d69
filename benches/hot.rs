//! Criterion benchmarks of the hot inner pieces of a run: parsing a roadmap
//! file, classifying a commit message, and the semantic diff of a quarter's
//! scope. Whole-process timings (against git and taplo) live in `bench/run.sh`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use roadlint::config::Config;
use roadlint::history::{scope_changes, Classifier, MessageFacts, RoadmapVersion};
use roadlint::model::{parse_file, Kind};
use roadlint::source::FileId;
use std::collections::HashMap;
use std::hint::black_box;

/// A quarter file of `n` items, as teams write them.
fn quarter(n: usize, effort_bump: usize) -> String {
    let mut s = String::from(
        "# roadmap/2026-Q1.toml\nquarter = \"2026-Q1\"\ncapacity = 400\nlocked = 2026-01-09\n",
    );
    for i in 0..n {
        let kind = ["feature", "debt", "maintenance", "platform"][i % 4];
        let effort = 1 + (i % 7) + usize::from(i == 3) * effort_bump;
        s.push_str(&format!(
            "\n[[item]]\nid = \"PAY-{i}\"\ntitle = \"Item number {i} of the quarter\"\nkind = \"{kind}\"\neffort = {effort}\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\nkpis = [\"conversion\"]\nstatus = \"planned\"\n"
        ));
    }
    s
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse_file");
    for n in [1, 20] {
        let text = quarter(n, 0);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("{n}_items"), |b| {
            b.iter(|| parse_file(FileId(0), black_box(&text)))
        });
    }
    g.finish();
}

fn classify(c: &mut Criterion) {
    let items = HashMap::from([
        ("OPS-7".to_string(), Kind::Debt),
        ("PAY-1".to_string(), Kind::Feature),
    ]);
    let classifier = Classifier::new(
        &Config::default().history,
        items,
        vec![Kind::Debt, Kind::Maintenance],
    );
    let messages: [&[u8]; 3] = [
        b"feat(checkout): one-click payment\n",
        b"fix(api)!: drop the v1 endpoint\n\nThe old endpoint leaked sessions.\n\nRoadmap-Item: OPS-7\nSigned-off-by: Lee <lee@example.com>\n",
        b"Update README\n",
    ];
    let mut g = c.benchmark_group("classify");
    for (name, msg) in ["subject", "trailers", "non_conventional"]
        .iter()
        .zip(messages)
    {
        g.bench_function(format!("parse_and_classify/{name}"), |b| {
            b.iter(|| classifier.classify(&MessageFacts::parse(black_box(msg))))
        });
    }
    let parsed = MessageFacts::parse(messages[1]);
    g.bench_function("classify_parsed", |b| {
        b.iter(|| classifier.classify(black_box(&parsed)))
    });
    g.finish();
}

fn scope_diff(c: &mut Criterion) {
    let before = quarter(20, 0);
    let after = quarter(20, 5);
    let q1: roadlint::calendar::Quarter = "2026-Q1".parse().expect("a quarter");
    let version =
        |text: &str| RoadmapVersion::from_files([("roadmap/2026-Q1.toml", text.as_bytes())]);
    let mut g = c.benchmark_group("scope");
    g.bench_function("scope_of_and_diff/20_items", |b| {
        b.iter(|| {
            let (a, z) = (version(black_box(&before)), version(black_box(&after)));
            let a = a.quarter(q1).map(|(_, s)| s.clone()).unwrap_or_default();
            let z = z.quarter(q1).map(|(_, s)| s.clone());
            scope_changes(&a, z.as_ref(), None)
        })
    });
    let a = version(&before)
        .quarter(q1)
        .map(|(_, s)| s.clone())
        .unwrap_or_default();
    let z = version(&after).quarter(q1).map(|(_, s)| s.clone());
    g.bench_function("diff_only/20_items", |b| {
        b.iter_batched(
            || (),
            |()| scope_changes(black_box(&a), black_box(z.as_ref()), None),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, parse, classify, scope_diff);
criterion_main!(benches);
