//! Times the analyzer with every detector on over a log file (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release -p kubeward-audit --example bench_audit -- --input audit.log [--threads N]
//! ```
//! The configuration turns on the detectors that are off by default (registry allow-list, source
//! ranges, kubectl users), so all of them run.

use std::path::PathBuf;
use std::time::Instant;

use kubeward_audit::render::Summary;
use kubeward_audit::{Analyzer, AuditConfig, ScanOptions, scan_paths};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut input: Option<PathBuf> = None;
    let mut threads = 0usize;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--input" => input = Some(PathBuf::from(value)),
            "--threads" => threads = value.parse().unwrap_or(0),
            other => {
                eprintln!("unknown argument `{other}`; usage: --input FILE [--threads N]");
                return std::process::ExitCode::from(2);
            }
        }
        i += 2;
    }
    let Some(input) = input else {
        eprintln!("--input FILE is required");
        return std::process::ExitCode::from(2);
    };
    let config: AuditConfig = match serde_json::from_str(
        r#"{"allowed-registries":["registry.example.com"],"allow":{"source-cidrs":["10.0.0.0/8","172.16.0.0/12"]},"kubectl-users":["*@example.com"]}"#,
    ) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("config: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut analyzer = Analyzer::new(config);
    let options = ScanOptions {
        threads,
        ..ScanOptions::default()
    };
    let mut summary = Summary::default();
    let started = Instant::now();
    let outcome = scan_paths(&[input], &mut analyzer, &options, &mut |alert| {
        summary.add(&alert)
    });
    for alert in analyzer.finish() {
        summary.add(&alert);
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Err(e) = outcome {
        eprintln!("scan failed: {e}");
        return std::process::ExitCode::from(2);
    }
    let stats = analyzer.stats();
    let mut stdout = std::io::stdout().lock();
    let _ = summary.write_text(stats, &mut stdout);
    println!();
    println!(
        "events: {}  malformed: {}  alerts: {}  threads: {}  seconds: {elapsed:.3}  events/s: {:.0}",
        stats.events,
        stats.malformed,
        summary.alerts(),
        if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        },
        stats.events as f64 / elapsed
    );
    std::process::ExitCode::SUCCESS
}
