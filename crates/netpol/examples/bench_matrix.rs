//! Times the NetworkPolicy engine on a generated cluster: N pods (one workload each) and M policies
//! over 20 namespaces, written as YAML and read back as `scan` reads files.
//!
//! ```text
//! cargo run --release -p kubeward-netpol --example bench_matrix -- 1000 1000 [--dump FILE]
//! cargo run --release -p kubeward-netpol --example bench_matrix -- 0 0 --path DIR
//! ```
//! Prints the time to parse, to build the engine (compile every policy), and to compute the full
//! pod × pod matrix, with the number of allowed pairs so that runs can be compared.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use kubeward_model::{Inventory, objects_from_documents};
use kubeward_netpol::Engine;
use kubeward_source::{Limits, load_text};

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pods: usize = args.get(1).map_or(1000, |a| a.parse().unwrap());
    let policies: usize = args.get(2).map_or(1000, |a| a.parse().unwrap());
    let t = Instant::now();
    // `--path DIR`: time a corpus from disk instead (files read as `scan` reads them).
    let loaded = if let Some(i) = args.iter().position(|a| a == "--path") {
        let path = std::path::PathBuf::from(&args[i + 1]);
        kubeward_source::load(&[path], &kubeward_source::LoadOptions::default())
    } else {
        let text = synthetic::corpus(pods, policies);
        if let Some(i) = args.iter().position(|a| a == "--dump") {
            std::fs::write(&args[i + 1], &text).unwrap();
        }
        load_text("bench.yaml", text, &Limits::default())
    };
    let inventory = Inventory::new(objects_from_documents(loaded.documents).0);
    let parse = t.elapsed();
    let t = Instant::now();
    let engine = Engine::build(&inventory);
    let build = t.elapsed();
    let t = Instant::now();
    let matrix = engine.matrix(None);
    let full = t.elapsed();
    let allowed: usize = matrix.iter().flatten().filter(|c| **c).count();
    println!(
        "{} endpoints, {} policies ({} rejected): parse {:.1} ms, build {:.1} ms, matrix {:.1} ms; build + matrix {:.1} ms; {allowed} of {} pairs allowed",
        engine.endpoints().len(),
        engine.policies().count(),
        engine.warnings.len(),
        parse.as_secs_f64() * 1e3,
        build.as_secs_f64() * 1e3,
        full.as_secs_f64() * 1e3,
        (build + full).as_secs_f64() * 1e3,
        engine.endpoints().len() * engine.endpoints().len()
    );
}
