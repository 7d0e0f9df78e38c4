//! `kubeward pss check` and `kubeward pss predict`: Pod Security Admission's verdicts, offline.
//!
//! `check` says, for every pod and pod template, whether the API server would admit it at a level and
//! version, and which PSA checks it violates. `predict` answers the question asked before labelling a
//! namespace `pod-security.kubernetes.io/enforce=LEVEL`: which of its workloads would stop being
//! admitted, and how strongly each namespace in the inputs enforces today.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use kubeward_model::{Namespace, Object, Workload, objects_from_documents};
use kubeward_pss::{Evaluation, Level, Version, Violation, evaluate};
use kubeward_source::{LoadOptions, SourceMap};
use serde_json::{Value, json};

use crate::args::{PssArgs, PssCheckArgs, PssCommand, PssFormat, PssPredictArgs};

pub fn run(args: PssArgs) -> Result<ExitCode> {
    match args.command {
        PssCommand::Check(a) => check(a),
        PssCommand::Predict(a) => predict(a),
    }
}

/// Objects read from the inputs, and whether every input could be read.
struct Inputs {
    sources: SourceMap,
    objects: Vec<Object>,
    complete: bool,
}

fn load(paths: &[PathBuf], exclude: &[String]) -> Inputs {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let options = LoadOptions {
        exclude: exclude.to_vec(),
        ..LoadOptions::default()
    };
    let loaded = kubeward_source::load(&paths, &options);
    // Unreadable input is reported and the rest is still evaluated; the exit code says it was incomplete.
    for problem in &loaded.problems {
        eprintln!("kubeward: {}: {}", problem.path, problem.kind);
    }
    let complete = loaded.problems.is_empty();
    let (objects, _) = objects_from_documents(loaded.documents);
    Inputs {
        sources: loaded.sources,
        objects,
        complete,
    }
}

fn parse_policy(level: &str, version: &str) -> Result<(Level, Version)> {
    let level = level.parse::<Level>().context("--level")?;
    let version = version.parse::<Version>().context("--version")?;
    Ok((level, version))
}

/// `file:line` of an object.
fn position(sources: &SourceMap, object: &Object) -> String {
    format!(
        "{}:{}",
        sources.name(object.source),
        object.root.span.start.line
    )
}

/// `file:line:col` (1-based column, as the scan reporters print) of a violation's first location.
fn violation_position(sources: &SourceMap, object: &Object, violation: &Violation) -> String {
    let span = violation
        .locations
        .first()
        .copied()
        .unwrap_or(object.root.span);
    format!(
        "{}:{}:{}",
        sources.name(object.source),
        span.start.line,
        span.start.col + 1
    )
}

fn violations_json(evaluation: &Evaluation) -> Value {
    evaluation
        .violations
        .iter()
        .map(|v| json!({"check": v.check, "message": v.message()}))
        .collect()
}

fn check(args: PssCheckArgs) -> Result<ExitCode> {
    let (level, version) = parse_policy(&args.level, &args.version)?;
    let inputs = load(&args.paths, &args.exclude);
    let results: Vec<(&Object, Evaluation)> = inputs
        .objects
        .iter()
        .filter_map(|o| Workload::of(o).map(|w| (o, evaluate(&w, level, version))))
        .collect();

    let mut out = std::io::stdout().lock();
    match args.format {
        PssFormat::Json => {
            let objects: Vec<Value> = results
                .iter()
                .map(|(o, e)| {
                    json!({
                        "file": inputs.sources.name(o.source),
                        "kind": o.kind(),
                        "namespace": o.namespace(),
                        "name": o.name(),
                        "allowed": e.allowed,
                        "violations": violations_json(e),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json!({ "objects": objects }))?;
            writeln!(out)?;
        }
        PssFormat::Text => {
            for (o, e) in &results {
                let verdict = if e.allowed { "allowed" } else { "rejected" };
                writeln!(
                    out,
                    "{} {} {}: {verdict}",
                    position(&inputs.sources, o),
                    o.kind(),
                    display_name(o)
                )?;
                for v in &e.violations {
                    let at = violation_position(&inputs.sources, o, v);
                    writeln!(out, "  {at} {}: {}", v.check, v.message())?;
                }
            }
            let rejected = results.iter().filter(|(_, e)| !e.allowed).count();
            writeln!(
                out,
                "{} pods and templates checked at {level}:{version}: {} allowed, {rejected} rejected",
                results.len(),
                results.len() - rejected,
            )?;
        }
    }
    let all_allowed = results.iter().all(|(_, e)| e.allowed);
    Ok(exit_code(inputs.complete, all_allowed))
}

fn exit_code(complete: bool, clean: bool) -> ExitCode {
    if !complete {
        ExitCode::from(2)
    } else if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn display_name(o: &Object) -> String {
    match o.namespace() {
        Some(ns) => format!("{ns}/{}", o.name()),
        None => o.name().to_string(),
    }
}

/// How a namespace in the inputs enforces Pod Security today.
struct Enforcement {
    /// The label value as written, if any.
    label: Option<String>,
    /// What the API server applies: an invalid value falls back to `restricted` (PSA fails closed).
    level: Level,
    version: Version,
    invalid: Vec<String>,
}

fn enforcement(ns: &Namespace<'_>) -> Enforcement {
    let (level_label, version_label) = ns.pod_security("enforce");
    let mut invalid = Vec::new();
    let level = match level_label.as_deref() {
        None => Level::Privileged,
        Some(l) => l.parse().unwrap_or_else(|e| {
            invalid.push(format!("{e}"));
            Level::Restricted
        }),
    };
    let version = match version_label.as_deref() {
        None => Version::Latest,
        Some(v) => v.parse().unwrap_or_else(|e| {
            invalid.push(format!("{e}"));
            Version::Latest
        }),
    };
    Enforcement {
        label: level_label,
        level,
        version,
        invalid,
    }
}

/// One namespace's prediction.
struct NamespaceReport<'a> {
    name: String,
    enforcement: Option<Enforcement>,
    workloads: usize,
    rejected: Vec<(&'a Object, Evaluation)>,
    /// Workloads the namespace's current enforce label already rejects (pods of a Deployment that
    /// would never be created).
    rejected_now: Vec<&'a Object>,
}

impl NamespaceReport<'_> {
    /// A Namespace object in the inputs that enforces nothing (or `privileged`): every pod is admitted.
    fn is_weak(&self) -> bool {
        self.enforcement
            .as_ref()
            .is_some_and(|e| e.level == Level::Privileged)
    }
}

fn predict(args: PssPredictArgs) -> Result<ExitCode> {
    let (level, version) = parse_policy(&args.level, &args.version)?;
    let inputs = load(&args.paths, &args.exclude);

    let mut reports: BTreeMap<String, NamespaceReport<'_>> = BTreeMap::new();
    // Namespaces first: a workload may come before its Namespace in the inputs.
    for o in &inputs.objects {
        if let Some(ns) = Namespace::of(o) {
            entry(&mut reports, o.name()).enforcement = Some(enforcement(&ns));
        }
    }
    for o in &inputs.objects {
        let (Some(w), Some(ns)) = (Workload::of(o), o.effective_namespace()) else {
            continue;
        };
        let evaluation = evaluate(&w, level, version);
        let report = entry(&mut reports, ns);
        report.workloads += 1;
        if let Some(now) = &report.enforcement
            && !evaluate(&w, now.level, now.version).allowed
        {
            report.rejected_now.push(o);
        }
        if !evaluation.allowed {
            report.rejected.push((o, evaluation));
        }
    }

    let mut out = std::io::stdout().lock();
    match args.format {
        PssFormat::Json => write_predict_json(&mut out, &inputs, &reports, level, version)?,
        PssFormat::Text => write_predict_text(&mut out, &inputs, &reports, level, version)?,
    }
    let clean = reports
        .values()
        .all(|r| r.rejected.is_empty() && !r.is_weak());
    Ok(exit_code(inputs.complete, clean))
}

fn entry<'m, 'a>(
    reports: &'m mut BTreeMap<String, NamespaceReport<'a>>,
    name: &str,
) -> &'m mut NamespaceReport<'a> {
    reports
        .entry(name.to_string())
        .or_insert_with(|| NamespaceReport {
            name: name.to_string(),
            enforcement: None,
            workloads: 0,
            rejected: Vec::new(),
            rejected_now: Vec::new(),
        })
}

fn enforcement_text(e: Option<&Enforcement>) -> String {
    match e {
        None => "no Namespace object in the inputs; its labels are unknown".to_string(),
        Some(e) if e.label.is_none() => {
            "enforces nothing (no pod-security.kubernetes.io/enforce label): every pod is admitted"
                .to_string()
        }
        Some(e) if !e.invalid.is_empty() => format!(
            "invalid labels ({}); the API server enforces {}:{}",
            e.invalid.join("; "),
            e.level,
            e.version
        ),
        Some(e) if e.level == Level::Privileged => {
            "enforces privileged: every pod is admitted".to_string()
        }
        Some(e) => format!("enforces {}:{}", e.level, e.version),
    }
}

fn write_predict_text(
    out: &mut impl Write,
    inputs: &Inputs,
    reports: &BTreeMap<String, NamespaceReport<'_>>,
    level: Level,
    version: Version,
) -> Result<()> {
    for r in reports.values() {
        writeln!(
            out,
            "namespace {}: {}",
            r.name,
            enforcement_text(r.enforcement.as_ref())
        )?;
        if let Some(e) = r
            .enforcement
            .as_ref()
            .filter(|e| e.level != Level::Privileged)
        {
            writeln!(
                out,
                "  under the current labels ({}:{}): {} of {} workloads are rejected already",
                e.level,
                e.version,
                r.rejected_now.len(),
                r.workloads
            )?;
            for o in &r.rejected_now {
                writeln!(
                    out,
                    "    {} {} {}",
                    position(&inputs.sources, o),
                    o.kind(),
                    o.name()
                )?;
            }
        }
        writeln!(
            out,
            "  at enforce={level} (version {version}): {} of {} workloads would be rejected",
            r.rejected.len(),
            r.workloads
        )?;
        for (o, e) in &r.rejected {
            writeln!(
                out,
                "  {} {} {}",
                position(&inputs.sources, o),
                o.kind(),
                o.name()
            )?;
            for v in &e.violations {
                let at = violation_position(&inputs.sources, o, v);
                writeln!(out, "    {at} {}: {}", v.check, v.message())?;
            }
        }
    }
    let weak = reports.values().filter(|r| r.is_weak()).count();
    let rejected: usize = reports.values().map(|r| r.rejected.len()).sum();
    writeln!(
        out,
        "{} namespaces: {rejected} workloads would be rejected at {level}:{version}; {weak} namespaces enforce nothing or privileged",
        reports.len()
    )?;
    Ok(())
}

fn write_predict_json(
    out: &mut impl Write,
    inputs: &Inputs,
    reports: &BTreeMap<String, NamespaceReport<'_>>,
    level: Level,
    version: Version,
) -> Result<()> {
    let namespaces: Vec<Value> = reports
        .values()
        .map(|r| {
            let enforce = r.enforcement.as_ref().map(|e| {
                json!({
                    "label": e.label,
                    "level": e.level.as_str(),
                    "version": e.version.to_string(),
                    "invalid": e.invalid,
                })
            });
            let rejected: Vec<Value> = r
                .rejected
                .iter()
                .map(|(o, e)| {
                    json!({
                        "file": inputs.sources.name(o.source),
                        "kind": o.kind(),
                        "name": o.name(),
                        "violations": violations_json(e),
                    })
                })
                .collect();
            let rejected_now: Vec<Value> = r
                .rejected_now
                .iter()
                .map(|o| {
                    json!({
                        "file": inputs.sources.name(o.source),
                        "kind": o.kind(),
                        "name": o.name(),
                    })
                })
                .collect();
            json!({
                "name": r.name,
                "enforce": enforce,
                "rejected_now": rejected_now,
                "weak": r.is_weak(),
                "workloads": r.workloads,
                "rejected": rejected,
            })
        })
        .collect();
    let doc = json!({
        "level": level.as_str(),
        "version": version.to_string(),
        "namespaces": namespaces,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}
