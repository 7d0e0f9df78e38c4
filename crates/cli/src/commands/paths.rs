//! `kubeward paths`: attack paths over the risk map.
//!
//! Paths load exactly as for `scan` and are scanned with the default rule selection, so the
//! findings on each step are the ones `scan` reports without a configuration file. The map, the
//! search and the wording are the graph crate's; this file only loads, calls and prints.
//!
//! Exit codes: 0 no path found; 1 at least one path; 2 on a usage or input error, or when part of
//! the input could not be read (the map may then miss edges).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use kubeward_graph::{GraphInput, RiskGraph, render};
use kubeward_rules::{Settings, scan_loaded};
use kubeward_source::LoadOptions;

use crate::args::{PathsArgs, PathsFormat};

pub fn run(args: PathsArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut options = LoadOptions::default();
    options.exclude.extend(args.exclude.iter().cloned());
    if let Ok(helm) = std::env::var("KUBEWARD_HELM") {
        options.helm = Some(PathBuf::from(helm));
    }
    let loaded = kubeward_source::load(&paths, &options);
    for problem in &loaded.problems {
        eprintln!("kubeward: warning: {}: {}", problem.path, problem.kind);
    }
    let scan = scan_loaded(loaded, &Settings::default());
    if scan.incomplete {
        eprintln!("kubeward: warning: part of the input was not read; the map may miss edges");
    }
    let graph = RiskGraph::build(&GraphInput {
        inventory: &scan.inventory,
        findings: &scan.result.findings,
        reachability: None,
    });
    let mut target = args.to.clone();
    if let kubeward_graph::Target::Group { name, members } = &mut target {
        let groups = super::groups::load_groups(args.config.as_deref(), &paths)?;
        let group = kubeward_rules::groups::find(&groups, name).map_err(anyhow::Error::msg)?;
        *members = kubeward_graph::CrownJewel::of(group, &scan.inventory).objects;
    }
    let report = graph.attack_paths(&args.from, &target, usize::from(args.k))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        PathsFormat::Text => {
            writeln!(
                out,
                "Risk map: {} nodes, {} edges.\n",
                graph.graph.node_count(),
                graph.graph.edge_count()
            )?;
            out.write_all(render::text(&report).as_bytes())?;
        }
        PathsFormat::Json => {
            let mut value = serde_json::to_value(&report)?;
            let edges: serde_json::Map<String, serde_json::Value> = graph
                .edge_counts()
                .into_iter()
                .map(|(kind, n)| (kind.name().to_owned(), n.into()))
                .collect();
            if let Some(map) = value.as_object_mut() {
                map.insert(
                    "graph".into(),
                    serde_json::json!({
                        "nodes": graph.graph.node_count(),
                        "edges": edges,
                        "flat_network": graph.flat_network,
                    }),
                );
            }
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        PathsFormat::Dot => out.write_all(render::dot(&report).as_bytes())?,
        PathsFormat::Mermaid => out.write_all(render::mermaid(&report).as_bytes())?,
    }
    out.flush()?;
    // The trees are no longer needed; the process ends now, and freeing them node by node costs
    // more than the OS reclaiming the heap.
    let incomplete = scan.incomplete;
    std::mem::forget(graph);
    std::mem::forget(scan);
    Ok(if incomplete {
        ExitCode::from(2)
    } else if report.paths.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
