//! `kubeward node` and `kubeward audit-policy lint`: the host crate's checks, rendered in every format.
//!
//! Text is kube-bench-like (every check with its status); JSON is the full node report; SARIF, JUnit
//! and Markdown go through the shared reporters, with failed and warning checks as findings that point
//! into the node's files.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use kubeward_diagnostics::{Finding, Location, ObjectRef, Span};
use kubeward_host::{CheckResult, CollectOptions, EvalOptions, NodeReport, Status};
use kubeward_report::{Format, Report, Summary, TextOptions};
use kubeward_source::{Origin, SourceFile, SourceMap};

use crate::args::{AuditPolicyArgs, AuditPolicyCommand, NodeArgs};
use crate::commands::scan::parse_fail_on;

/// Version of the JSON document `kubeward node --format json` writes.
pub const NODE_SCHEMA: &str = "kubeward/node/v1";

pub fn run(args: NodeArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let format: Format = args.format.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let fail_on = parse_fail_on(args.fail_on.as_deref())?;
    if !args.root.is_dir() {
        bail!("--root {}: not a directory", args.root.display());
    }
    let eval = EvalOptions {
        cert_expiry_days: args.cert_expiry_days,
        cluster_version: args.cluster_version.clone(),
        kubelet_versions: args.kubelet_version.clone(),
        process_allow_list: args.allow_process.clone(),
        benchmark: args.benchmark.clone(),
        ..EvalOptions::default()
    };
    let facts = kubeward_host::collect(
        &args.root,
        &CollectOptions {
            read_proc: args.proc,
        },
    )
    .with_context(|| format!("reading the node under {}", args.root.display()))?;
    let report = match &args.cve_db {
        Some(path) => {
            let cves = kubeward_host::load_cve_db(path)
                .with_context(|| format!("--cve-db {}", path.display()))?;
            let releases = kubeward_host::Releases::embedded()?;
            kubeward_host::evaluate_with(&facts, &eval, &cves, &releases)
        }
        None => kubeward_host::evaluate(&facts, &eval)?,
    };

    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match format {
        Format::Text => kubeward_host::render_text(&report, &mut out)?,
        Format::Json => {
            let mut doc = serde_json::to_value(&report)?;
            if let Some(map) = doc.as_object_mut() {
                map.insert("schema".into(), NODE_SCHEMA.into());
            }
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        Format::Sarif | Format::Junit | Format::Markdown => {
            let (findings, sources) = findings(&report, &args.root);
            let summary = Summary {
                objects: 1,
                sources: sources.len(),
                rules_run: report.results.len(),
                incomplete: report.is_incomplete(),
                duration_ms: started.elapsed().as_millis() as u64,
                fail_on,
                not_evaluated: Vec::new(),
            };
            let report = Report::new(&findings, &sources, summary);
            kubeward_report::render(format, &report, &TextOptions::default(), &mut out)?;
        }
    }
    out.flush()?;

    let failing = fail_on.is_some_and(|threshold| {
        report
            .results
            .iter()
            .any(|r| r.status == Status::Fail && r.severity >= threshold)
    });
    Ok(if report.is_incomplete() {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The host crate keeps its own severity type (it has no other kubeward dependency); same scale.
/// Failed and warning checks as findings, with the node files they point into loaded as sources.
fn findings(report: &NodeReport, root: &Path) -> (Vec<Finding>, SourceMap) {
    let catalog = kubeward_host::catalog();
    let node = ObjectRef {
        api_version: "v1".into(),
        kind: "Node".into(),
        namespace: None,
        name: report.root.clone(),
    };
    let mut sources = SourceMap::default();
    let mut ids: Vec<(String, kubeward_diagnostics::SourceId)> = Vec::new();
    let mut findings = Vec::new();
    for result in &report.results {
        if !matches!(result.status, Status::Fail | Status::Warn) {
            continue;
        }
        let Some(def) = catalog.iter().find(|d| d.id == result.id) else {
            continue;
        };
        let location = result.file.as_ref().map(|file| {
            let source = match ids.iter().find(|(f, _)| f == file) {
                Some((_, id)) => *id,
                None => {
                    let on_disk = root.join(file.trim_start_matches('/'));
                    // Only small text files are loaded, for snippets; certificates and keys never are.
                    let text = std::fs::metadata(&on_disk)
                        .ok()
                        .filter(|m| m.len() < 1 << 20 && !is_key_material(file))
                        .and_then(|_| std::fs::read_to_string(&on_disk).ok())
                        .unwrap_or_default();
                    let id = sources.add(SourceFile::new(
                        file.clone(),
                        Some(on_disk),
                        Origin::File,
                        text,
                    ));
                    ids.push((file.clone(), id));
                    id
                }
            };
            let line = result.line.unwrap_or(1);
            let col = result.column.map_or(0, |c| c.saturating_sub(1));
            Location {
                source,
                span: Span::point(line, col),
            }
        });
        findings.push(Finding {
            rule_id: def.id,
            rule_name: def.name,
            severity: result.severity,
            message: message(result),
            location,
            object: Some(node.clone()),
            fix: None,
            suppression: None,
            sensitive: false,
        });
    }
    (findings, sources)
}

fn message(r: &CheckResult) -> String {
    let cis = if r.benchmark_ids.is_empty() {
        String::new()
    } else {
        format!(" [CIS {}]", r.benchmark_ids.join(", "))
    };
    let warn = if r.status == Status::Warn {
        "warning: "
    } else {
        ""
    };
    format!("{warn}{}{cis}. Remediation: {}", r.message, r.remediation)
}

fn is_key_material(path: &str) -> bool {
    path.ends_with(".key")
        || path.ends_with(".pem")
        || path.ends_with(".crt")
        || path.contains("/pki/")
}

pub fn audit_policy(args: AuditPolicyArgs) -> Result<ExitCode> {
    let AuditPolicyCommand::Lint { file, format } = args.command;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let issues = kubeward_host::lint_audit_policy(&text);
    let mut out = std::io::stdout().lock();
    match format.as_str() {
        "json" => {
            serde_json::to_writer_pretty(&mut out, &issues)?;
            writeln!(out)?;
        }
        "text" => {
            for issue in &issues {
                writeln!(
                    out,
                    "{}:{}:{}: {:?} {}: {}",
                    file.display(),
                    issue.line.unwrap_or(0),
                    issue.column.unwrap_or(0),
                    issue.severity,
                    issue.code,
                    issue.message
                )?;
            }
            if issues.is_empty() {
                writeln!(out, "{}: no issues", file.display())?;
            }
        }
        other => bail!("unknown format `{other}` for `audit-policy lint` (expected text or json)"),
    }
    let errors = issues
        .iter()
        .any(|i| i.severity == kubeward_host::IssueSeverity::Error);
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
