//! `kubeward-testapi`: serves manifests as a Kubernetes API server, for benchmarks and manual tries.
//!
//! ```text
//! kubeward-testapi --kubeconfig OUT [--forbid RESOURCE]... [--throttle-once RESOURCE]... DIR...
//! ```
//! Writes a kubeconfig for the server to OUT, prints `ready URL OBJECTS` and serves until its
//! standard input closes.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use kubeward_testapi::{Fault, Options, Store, TestApi};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kubeward-testapi: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut kubeconfig = None;
    let mut dirs = Vec::new();
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--kubeconfig" => kubeconfig = args.next().map(PathBuf::from),
            "--forbid" => options.forbidden.extend(args.next()),
            "--throttle-once" => options
                .faults_once
                .extend(args.next().map(|resource| Fault {
                    resource,
                    status: 429,
                    retry_after: Some(1),
                })),
            "-h" | "--help" => {
                println!(
                    "usage: kubeward-testapi --kubeconfig OUT [--forbid RESOURCE]... \
                     [--throttle-once RESOURCE]... DIR..."
                );
                return Ok(());
            }
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    let kubeconfig = kubeconfig.ok_or_else(|| anyhow::anyhow!("--kubeconfig OUT is required"))?;
    let mut store = Store::new();
    for rejected in store.load_dirs(&dirs) {
        eprintln!(
            "kubeward-testapi: {}: not served: {}",
            rejected.source, rejected.reason
        );
    }
    let server = TestApi::start(store, options)?;
    std::fs::write(&kubeconfig, server.kubeconfig("testapi"))?;
    println!("ready {} {}", server.url(), server.object_count());
    // Serve until the parent closes our standard input (or kills us).
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}
