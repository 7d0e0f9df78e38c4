//! Criterion benchmarks: parsing and the full rule pipeline on a deterministic synthetic corpus (built
//! here, so the bench runs on a fresh clone), and on `../shared` corpora when present.

use std::fmt::Write;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kubeward_rules::{Settings, scan_loaded};
use kubeward_source::{Limits, LoadOptions, load, load_text, parse_stream};

/// `n` Deployments with a Service and a ConfigMap each, with a mix of good and bad settings.
fn synthetic(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let privileged = if i % 7 == 0 { "yes" } else { "false" };
        let tag = if i % 5 == 0 { "latest" } else { "1.2.3" };
        let _ = write!(
            out,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: ns-{ns}\n  labels: {{app: app-{i}}}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: app-{i}}}\n  template:\n    metadata:\n      labels: {{app: app-{i}}}\n    spec:\n      securityContext:\n        runAsNonRoot: true\n      containers:\n      - name: app\n        image: registry.example.com/app-{i}:{tag}\n        ports:\n        - containerPort: 8080\n        securityContext:\n          privileged: {privileged}\n          allowPrivilegeEscalation: false\n        resources:\n          limits: {{cpu: 500m, memory: 256Mi}}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: ns-{ns}\nspec:\n  selector: {{app: app-{i}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-{i}\n  namespace: ns-{ns}\ndata:\n  LOG_LEVEL: info\n  max_connections: \"100\"\n",
            ns = i % 50
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = synthetic(1000);
    let mut group = c.benchmark_group("synthetic-3000-objects");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| black_box(parse_stream(&text, &Limits::default())))
    });
    let settings = Settings::default();
    group.bench_function("load+rules", |b| {
        b.iter(|| {
            black_box(scan_loaded(
                load_text("bench.yaml", text.clone(), &Limits::default()),
                &settings,
            ))
        })
    });
    group.finish();

    let realworld = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/realworld"
    ));
    if realworld.is_dir() {
        let mut group = c.benchmark_group("realworld");
        group.sample_size(10);
        group.bench_function("scan", |b| {
            b.iter(|| {
                black_box(scan_loaded(
                    load(std::slice::from_ref(&realworld), &LoadOptions::default()),
                    &settings,
                ))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
