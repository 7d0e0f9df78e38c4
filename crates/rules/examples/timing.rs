//! Times the pipeline stages on a directory: `cargo run --release -p kubeward-rules --example timing -- DIR`.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let t = Instant::now();
    let loaded = kubeward_source::load(&paths, &kubeward_source::LoadOptions::default());
    let load = t.elapsed();
    let docs = loaded.documents.len();
    let problems = loaded.problems.len();
    let t2 = Instant::now();
    let scan = kubeward_rules::scan_loaded(loaded, &kubeward_rules::Settings::default());
    let engine = t2.elapsed();
    println!(
        "documents {docs}, objects {}, load problems {problems}, findings {}, load {load:?}, engine {engine:?}, total {:?}",
        scan.result.objects,
        scan.result.findings.len(),
        t.elapsed()
    );
}
