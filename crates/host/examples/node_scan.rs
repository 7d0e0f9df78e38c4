//! Scan a node root and print the report: `cargo run -p kubeward-host --example node_scan -- ROOT
//! [--json] [--proc] [--now UNIX_SECONDS]`. Prints the collect + evaluate time to stderr.

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use kubeward_host::{CollectOptions, EvalOptions, collect, evaluate, render_text};

fn main() -> Result<(), Box<dyn Error>> {
    let mut root: Option<PathBuf> = None;
    let mut json = false;
    let mut collect_opts = CollectOptions::default();
    let mut eval_opts = EvalOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--proc" => collect_opts.read_proc = true,
            "--now" => eval_opts.now = args.next().ok_or("--now needs a value")?.parse()?,
            other => root = Some(PathBuf::from(other)),
        }
    }
    let root = root.ok_or("usage: node_scan ROOT [--json] [--proc] [--now UNIX_SECONDS]")?;
    let start = Instant::now();
    let facts = collect(&root, &collect_opts)?;
    let collected = start.elapsed();
    let report = evaluate(&facts, &eval_opts)?;
    let total = start.elapsed();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        render_text(&report, &mut std::io::stdout().lock())?;
    }
    eprintln!(
        "collect {:.2} ms, collect+evaluate {:.2} ms, {} checks",
        collected.as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0,
        report.results.len()
    );
    Ok(())
}
