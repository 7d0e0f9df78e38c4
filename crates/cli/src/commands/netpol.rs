//! `kubeward netpol`: can-reach, matrix and exposure over manifests, with the NetworkPolicy engine.
//!
//! Paths load exactly as for `scan`. Exit codes: 0 answered (for can-reach: allowed), 1 for a
//! can-reach that is denied, 2 on a usage or input error, or when part of the input could not be
//! read (a policy missing from the input could change the answer either way).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow};
use kubeward_model::{Inventory, objects_from_documents};
use kubeward_netpol::{Engine, PortQuery, SideVerdict, Target, Verdict};
use kubeward_rules::config;
use serde_json::{Value, json};

use super::rbac::{emit, load_inventory};
use crate::args::{NetpolArgs, NetpolCommand, RbacInputArgs};

pub fn run(args: NetpolArgs) -> Result<ExitCode> {
    match args.command {
        NetpolCommand::CanReach {
            from,
            to,
            port,
            input,
        } => can_reach(&from, &to, port, &input),
        NetpolCommand::Matrix { namespace, input } => matrix(namespace.as_deref(), &input),
        NetpolCommand::Exposure { namespace, input } => exposure(namespace.as_deref(), &input),
        NetpolCommand::Generate {
            namespace,
            config,
            input,
        } => generate(namespace.as_deref(), config.as_deref(), &input),
    }
}

/// The engine over the inputs, and whether they were read completely.
fn load(input: &RbacInputArgs) -> (Engine, bool) {
    let (_sources, inventory, incomplete) = load_inventory(input);
    let engine = Engine::build(&inventory);
    for w in &engine.warnings {
        eprintln!(
            "kubeward: warning: NetworkPolicy {} left out (the API server would reject it): {}",
            w.policy, w.message
        );
    }
    if incomplete {
        eprintln!(
            "kubeward: warning: part of the input was not read; the answer may be incomplete"
        );
    }
    (engine, incomplete)
}

fn can_reach(
    from: &str,
    to: &str,
    port: Option<PortQuery>,
    input: &RbacInputArgs,
) -> Result<ExitCode> {
    let (engine, incomplete) = load(input);
    let sources = engine.resolve(from).map_err(|e| anyhow!("SRC: {e}"))?;
    let destinations = engine.resolve(to).map_err(|e| anyhow!("DST: {e}"))?;
    if sources
        .iter()
        .chain(&destinations)
        .all(|t| matches!(t, Target::Cidr(_)))
    {
        return Err(anyhow!(
            "SRC and DST are both addresses: NetworkPolicies only govern traffic of pods"
        ));
    }
    let pairs: Vec<(Target, Target, Verdict)> = sources
        .iter()
        .flat_map(|&s| destinations.iter().map(move |&d| (s, d)))
        .map(|(s, d)| (s, d, engine.verdict(s, d, port)))
        .collect();
    let allowed = pairs.iter().all(|(_, _, v)| v.allowed);
    emit(
        input.format,
        || {
            let pairs: Vec<Value> = pairs
                .iter()
                .map(|(s, d, v)| {
                    let mut value = serde_json::to_value(v)?;
                    if let Some(map) = value.as_object_mut() {
                        map.insert("from".into(), json!(engine.target_name(*s)));
                        map.insert("to".into(), json!(engine.target_name(*d)));
                    }
                    Ok(value)
                })
                .collect::<serde_json::Result<_>>()?;
            Ok(json!({
                "allowed": allowed,
                "from": from,
                "to": to,
                "port": port.map(|p| p.to_string()),
                "pairs": pairs,
            }))
        },
        |out| {
            for (s, d, v) in &pairs {
                write_verdict(out, &engine, *s, *d, v)?;
            }
            if pairs.len() > 1 {
                let n = pairs.iter().filter(|(_, _, v)| v.allowed).count();
                writeln!(out, "{n} of {} pairs allowed", pairs.len())?;
            }
            Ok(())
        },
    )?;
    Ok(if incomplete {
        ExitCode::from(2)
    } else if allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_verdict(
    out: &mut String,
    engine: &Engine,
    from: Target,
    to: Target,
    v: &Verdict,
) -> std::fmt::Result {
    let on = v.port.clone().unwrap_or_else(|| "any port".to_string());
    let answer = if v.allowed { "allowed" } else { "denied" };
    writeln!(
        out,
        "{} -> {} ({on}): {answer}",
        engine.target_name(from),
        engine.target_name(to)
    )?;
    if v.port.is_none() && v.allowed {
        writeln!(out, "  ports allowed end to end: {}", v.ports.join(", "))?;
    }
    for side in [&v.egress, &v.ingress] {
        write_side(out, side)?;
    }
    for note in &v.notes {
        writeln!(out, "  note: {note}")?;
    }
    Ok(())
}

fn write_side(out: &mut String, side: &SideVerdict) -> std::fmt::Result {
    let word = match side.direction {
        kubeward_netpol::Direction::Ingress => "ingress",
        kubeward_netpol::Direction::Egress => "egress ",
    };
    let mark = if side.allowed { "allows" } else { "blocks" };
    writeln!(out, "  {word} {mark}: {}", side.reason)?;
    for r in &side.rules {
        writeln!(
            out,
            "    {} {} allows ports {}",
            r.policy,
            r.rule,
            r.ports.join(", ")
        )?;
    }
    Ok(())
}

/// Endpoint indices of a namespace, or all.
fn subset(engine: &Engine, namespace: Option<&str>) -> Result<Vec<usize>> {
    let ids: Vec<usize> = (0..engine.endpoints().len())
        .filter(|&i| namespace.is_none_or(|ns| engine.endpoints()[i].namespace == ns))
        .collect();
    if let Some(ns) = namespace.filter(|_| ids.is_empty()) {
        return Err(anyhow!("no workload in namespace `{ns}`"));
    }
    Ok(ids)
}

fn matrix(namespace: Option<&str>, input: &RbacInputArgs) -> Result<ExitCode> {
    let (engine, incomplete) = load(input);
    let ids = subset(&engine, namespace)?;
    let cells = engine.matrix(Some(&ids));
    let names: Vec<String> = ids.iter().map(|&i| engine.endpoint_name(i)).collect();
    emit(
        input.format,
        || {
            let rows: Vec<Value> = names
                .iter()
                .zip(&cells)
                .map(|(from, row)| {
                    let to: Vec<&String> = names
                        .iter()
                        .zip(row)
                        .filter(|(_, allowed)| **allowed)
                        .map(|(n, _)| n)
                        .collect();
                    json!({"from": from, "reaches": to})
                })
                .collect();
            Ok(json!({"endpoints": names, "allowed": cells, "rows": rows}))
        },
        |out| {
            writeln!(
                out,
                "rows: source, columns: destination; x = allowed on some port, . = denied"
            )?;
            for (i, n) in names.iter().enumerate() {
                writeln!(out, "  [{}] {n}", i + 1)?;
            }
            let width = names.len().to_string().len();
            write!(out, "{:>w$} ", "", w = width + 2)?;
            for i in 0..names.len() {
                write!(out, "{:>width$} ", i + 1)?;
            }
            writeln!(out)?;
            for (i, row) in cells.iter().enumerate() {
                write!(out, "[{:>width$}] ", i + 1)?;
                for allowed in row {
                    write!(out, "{:>width$} ", if *allowed { "x" } else { "." })?;
                }
                writeln!(out)?;
            }
            let allowed = cells.iter().flatten().filter(|c| **c).count();
            writeln!(
                out,
                "{allowed} of {} pairs allowed",
                names.len() * names.len()
            )
        },
    )?;
    Ok(ExitCode::from(if incomplete { 2 } else { 0 }))
}

fn exposure(namespace: Option<&str>, input: &RbacInputArgs) -> Result<ExitCode> {
    let (engine, incomplete) = load(input);
    let ids = subset(&engine, namespace)?;
    let rows: Vec<_> = ids.iter().map(|&i| engine.exposure_of(i)).collect();
    emit(
        input.format,
        || Ok(json!({"workloads": serde_json::to_value(&rows)?})),
        |out| {
            let yes = |b: bool| if b { "yes" } else { "no" };
            for x in &rows {
                writeln!(
                    out,
                    "{}/{} ({}): any pod: {}, other namespaces: {}, internet: {}",
                    x.endpoint.namespace,
                    x.endpoint.name,
                    x.endpoint.kind,
                    yes(x.from_any_pod),
                    yes(x.from_other_namespaces),
                    yes(x.from_internet),
                )?;
                for b in &x.because {
                    writeln!(out, "  {b}")?;
                }
                if !x.routed_from_outside.is_empty() {
                    writeln!(
                        out,
                        "  routed from outside the cluster by {}",
                        x.routed_from_outside.join(", ")
                    )?;
                }
                for c in &x.cni_policies {
                    writeln!(
                        out,
                        "  also selected by {c} (rules not evaluated: it may restrict more)"
                    )?;
                }
            }
            let open = rows.iter().filter(|x| !x.isolated).count();
            writeln!(
                out,
                "{} workloads: {open} not isolated for ingress",
                rows.len()
            )
        },
    )?;
    Ok(ExitCode::from(if incomplete { 2 } else { 0 }))
}

/// Extra flows from the configuration file, resolved to endpoints.
fn configured_flows(
    config: Option<&std::path::Path>,
    input: &RbacInputArgs,
    inventory: &Inventory,
) -> Result<Vec<kubeward_netpol::Flow>> {
    let path = match config {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let start = input
                .paths
                .iter()
                .find(|p| p.as_os_str() != "-")
                .cloned()
                .unwrap_or_else(|| std::path::PathBuf::from("."));
            config::discover(&start).or_else(|| config::discover(std::path::Path::new(".")))
        }
    };
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let loaded = config::load(&path)?;
    let engine = Engine::build(inventory);
    let endpoint = |text: &str| -> Result<Vec<usize>> {
        engine
            .resolve(text)
            .map_err(|e| anyhow!("{}: netpol.flows: {e}", path.display()))?
            .into_iter()
            .map(|t| match t {
                Target::Endpoint(e) => Ok(e),
                Target::Cidr(c) => Err(anyhow!(
                    "{}: netpol.flows: `{c}` is an address; flows are between workloads",
                    path.display()
                )),
            })
            .collect()
    };
    let mut flows = Vec::new();
    for entry in &loaded.config.netpol.flows {
        let ports = entry
            .ports
            .iter()
            .map(|p| {
                let q: PortQuery = p
                    .parse()
                    .map_err(|e| anyhow!("{}: netpol.flows: {e}", path.display()))?;
                Ok(kubeward_netpol::FlowPort {
                    port: q.port.to_string(),
                    protocol: q.protocol.to_string(),
                })
            })
            .collect::<Result<std::collections::BTreeSet<_>>>()?;
        for from in endpoint(&entry.from)? {
            for to in endpoint(&entry.to)? {
                flows.push(kubeward_netpol::Flow {
                    from,
                    to,
                    ports: ports.clone(),
                    service: "configuration".into(),
                });
            }
        }
    }
    Ok(flows)
}

fn generate(
    namespace: Option<&str>,
    config: Option<&std::path::Path>,
    input: &RbacInputArgs,
) -> Result<ExitCode> {
    let (_sources, inventory, incomplete) = load_inventory(input);
    let extra = configured_flows(config, input, &inventory)?;
    let generated = kubeward_netpol::generate(&inventory, namespace, &extra);
    if let Some(ns) = namespace.filter(|_| generated.namespaces.is_empty()) {
        return Err(anyhow!("no workload in namespace `{ns}`"));
    }
    let yaml = kubeward_netpol::to_yaml(&generated.policies);
    // Verify with the engine: the inputs plus the policies as they will be applied, read back.
    let loaded = kubeward_source::load_text(
        "generated.yaml",
        yaml.clone(),
        &kubeward_source::Limits::default(),
    );
    let mut objects = inventory.objects().to_vec();
    objects.extend(objects_from_documents(loaded.documents).0);
    let engine = Engine::build(&Inventory::new(objects));
    let verification = kubeward_netpol::verify(&engine, &generated);
    let mut out = std::io::stdout().lock();
    match input.format {
        crate::args::QueryFormat::Text => {
            std::io::Write::write_all(&mut out, yaml.as_bytes())?;
        }
        crate::args::QueryFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &json!({"policies": generated.policies}))?;
            std::io::Write::write_all(&mut out, b"\n")?;
        }
    }
    std::io::Write::flush(&mut out).context("writing the policies")?;
    for s in &generated.skipped {
        eprintln!("kubeward: warning: {s}");
    }
    for p in &verification.problems {
        eprintln!("kubeward: verification failed: {p}");
    }
    eprintln!(
        "kubeward: {} policies for {} namespaces; {} declared flows and {} exposed workloads kept ({} port checks), {} other pairs denied",
        generated.policies.len(),
        generated.namespaces.len(),
        generated.flows.len(),
        generated.exposed.len(),
        verification.flows_checked,
        verification.pairs_denied,
    );
    Ok(ExitCode::from(
        if incomplete || !verification.problems.is_empty() {
            2
        } else {
            0
        },
    ))
}
