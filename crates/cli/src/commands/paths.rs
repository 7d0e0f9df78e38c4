//! `kubeward paths`: attack paths over the risk map.
//!
//! Input is read as for `scan`: files, directories, a snapshot or (`--cluster`) a live cluster, with
//! the configuration file `scan` would use (`--config`, `--no-config`), so the findings on each step
//! are the ones `scan` reports. Network edges follow the NetworkPolicies (the netpol engine built
//! once over the inventory) unless `--flat-network`. The map, the search and the wording are the
//! graph crate's; this file only loads, calls and prints.
//!
//! Exit codes: 0 no path found; 1 at least one path; 2 on a usage or input error, or when part of
//! the input could not be read (the map may then miss edges).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use kubeward_graph::{GraphInput, Reachability, RiskGraph, render};
use kubeward_rules::config::{self, Config};
use kubeward_rules::scan_loaded;
use kubeward_source::LoadOptions;

use crate::args::{PathsArgs, PathsFormat};

pub fn run(args: PathsArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if !args.cluster && args.cluster_args.any_given() {
        bail!(
            "--kubeconfig, --context, -n, -A, --exclude-namespaces and --no-secrets need --cluster"
        );
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let loaded_config = super::scan::find_config(args.no_config, args.config.as_ref(), &paths)?;
    let default_config = Config::default();
    let config = loaded_config
        .as_ref()
        .map_or(&default_config, |l| &l.config);
    let mut options = LoadOptions::default();
    config.limits.apply(&mut options.limits);
    options.exclude.extend(config.exclude.iter().cloned());
    options.exclude.extend(args.exclude.iter().cloned());
    if let Ok(helm) = std::env::var("KUBEWARD_HELM") {
        options.helm = Some(PathBuf::from(helm));
    }
    let (mut loaded, gaps) = if args.cluster {
        let collection = super::cluster::collect(&args.cluster_args)?;
        super::cluster::load(collection, &options.limits)
    } else {
        let loaded = kubeward_source::load(&paths, &options);
        (loaded, super::cluster::snapshot_gaps(&paths))
    };
    for problem in &loaded.problems {
        eprintln!("kubeward: warning: {}: {}", problem.path, problem.kind);
    }
    for gap in &gaps {
        eprintln!(
            "kubeward: warning: {} could not be read; the map may miss edges",
            gap.kind
        );
    }
    let config_source = loaded_config
        .as_ref()
        .map(|l| l.add_to(&mut loaded.sources));
    let mut settings =
        config::build_settings(config, loaded_config.as_ref(), &[], &[], config_source)?;
    super::cluster::disable_blind_rules(&gaps, &mut settings);
    let read = started.elapsed();
    let scan = scan_loaded(loaded, &settings);
    let incomplete = scan.incomplete || !gaps.is_empty();
    if scan.incomplete {
        eprintln!("kubeward: warning: part of the input was not read; the map may miss edges");
    }
    let scanned = started.elapsed();
    let reach = (!args.flat_network).then(|| Reachability::build(&scan.inventory));
    let engine = started.elapsed() - scanned;
    let graph = RiskGraph::build(&GraphInput {
        inventory: &scan.inventory,
        findings: &scan.result.findings,
        reachability: reach.as_ref(),
    });
    let mut target = args.to.clone();
    if let kubeward_graph::Target::Group { name, members } = &mut target {
        let groups = super::groups::load_groups(args.config.as_deref(), &paths)?;
        let group = kubeward_rules::groups::find(&groups, name).map_err(anyhow::Error::msg)?;
        *members = kubeward_graph::CrownJewel::of(group, &scan.inventory).objects;
    }
    let built = started.elapsed();
    let report = graph.attack_paths(&args.from, &target, usize::from(args.k))?;
    let searched = started.elapsed();
    if args.verbose {
        let phases: Vec<String> = graph
            .phases
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect();
        eprintln!(
            "kubeward: {} objects read in {} ms, scanned in {} ms; map of {} nodes and {} edges built in {} ms (NetworkPolicy engine {}; {}); {} paths found in {} ms",
            scan.inventory.len(),
            read.as_millis(),
            (scanned - read).as_millis(),
            graph.graph.node_count(),
            graph.graph.edge_count(),
            (built - scanned).as_millis(),
            if reach.is_some() {
                format!("compiled in {} ms", engine.as_millis())
            } else {
                "not used".to_owned()
            },
            phases.join(", "),
            report.paths.len(),
            (searched - built).as_millis(),
        );
    }
    let body = render_report(&args.format, &graph, &report)?;
    match &args.output {
        Some(file) => std::fs::write(file, body)
            .with_context(|| format!("cannot write {}", file.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&body)?;
            out.flush()?;
        }
    }
    // The trees are no longer needed; the process ends now, and freeing them node by node costs
    // more than the OS reclaiming the heap.
    std::mem::forget(graph);
    std::mem::forget(reach);
    std::mem::forget(scan);
    Ok(if incomplete && !args.cluster_args.allow_incomplete {
        ExitCode::from(2)
    } else if report.paths.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn render_report(
    format: &PathsFormat,
    graph: &RiskGraph,
    report: &kubeward_graph::PathReport,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        PathsFormat::Text => {
            writeln!(
                out,
                "Risk map: {} nodes, {} edges.\n",
                graph.graph.node_count(),
                graph.graph.edge_count()
            )?;
            out.write_all(render::text(report).as_bytes())?;
        }
        PathsFormat::Json => {
            let mut value = serde_json::to_value(report)?;
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
        PathsFormat::Dot => out.write_all(render::dot(report).as_bytes())?,
        PathsFormat::Mermaid => out.write_all(render::mermaid(report).as_bytes())?,
        PathsFormat::Html => out.write_all(render::html(report).as_bytes())?,
    }
    Ok(out)
}
