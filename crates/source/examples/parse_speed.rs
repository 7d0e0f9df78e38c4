//! Single-thread parse throughput: `cargo run --release -p kubeward-source --example parse_speed -- FILES...`.

use std::time::Instant;

fn main() {
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let limits = kubeward_source::Limits::default();
    let t = Instant::now();
    let mut docs = 0;
    for text in &texts {
        docs += kubeward_source::parse_stream(text, &limits).docs.len();
    }
    let e = t.elapsed();
    println!(
        "{docs} docs, {bytes} bytes in {e:?}: {:.1} MB/s",
        bytes as f64 / e.as_secs_f64() / 1e6
    );
}
