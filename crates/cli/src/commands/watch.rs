//! `kubeward scan --cluster --watch`: keeps the cluster's objects current and prints the findings
//! that appear and disappear, as text lines or JSON lines, until interrupted.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use kubeward_diagnostics::Finding;
use kubeward_report::kubectl_get;
use kubeward_rules::{Incremental, Settings, scan_loaded_incremental};
use kubeward_source::Limits;
use serde_json::{Value, json};

use crate::args::ScanArgs;

/// How long a burst of changes may go on before the cluster is re-evaluated.
const SETTLE: Duration = Duration::from_millis(500);

pub fn run(args: &ScanArgs, settings: &Settings, limits: &Limits, json: bool) -> Result<ExitCode> {
    let mut options = super::cluster::collect_options(&args.cluster_args);
    // Watch streams stay open for minutes between events: a per-request read timeout would cut
    // them. --timeout still bounds the first listing; connecting keeps kube's own timeout.
    options.connect.request_timeout = None;
    let mut previous: Option<BTreeMap<String, Value>> = None;
    // Objects unchanged since the last burst keep their findings; see kubeward_rules::incremental.
    let mut state = Incremental::default();
    let stdout = std::io::stdout();
    kubeward_cluster::watch::watch_blocking(&options, SETTLE, &mut |collection| {
        let (loaded, gaps) = super::cluster::load(collection.clone(), limits);
        let mut settings = settings.clone();
        super::cluster::disable_blind_rules(&gaps, &mut settings);
        let (scan, reuse) = scan_loaded_incremental(loaded, &settings, &mut state);
        if args.verbose {
            eprintln!(
                "kubeward: re-evaluated {} of {} objects ({} removed), ran {} cross-object rules, kept {}",
                reuse.objects_checked,
                reuse.objects_checked + reuse.objects_kept,
                reuse.objects_removed,
                reuse.cross_rules_run,
                reuse.cross_rules_kept
            );
        }
        let current: BTreeMap<String, Value> = scan
            .result
            .findings
            .iter()
            .filter(|f| !f.is_suppressed() && f.object.is_some())
            .map(|f| (key(f), describe(f)))
            .collect();
        let mut lines = Vec::new();
        if previous.is_none() {
            let objects = scan.result.objects;
            lines.push(if json {
                json!({"event": "ready", "objects": objects, "findings": current.len(),
                       "notEvaluated": gaps.iter().map(|g| &g.plural).collect::<Vec<_>>()})
                .to_string()
            } else {
                format!(
                    "watching {objects} objects: {} findings{}",
                    current.len(),
                    if gaps.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (not evaluated: {})",
                            gaps.iter()
                                .map(|g| g.plural.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                )
            });
        }
        let empty = BTreeMap::new();
        let before = previous.as_ref().unwrap_or(&empty);
        for (k, finding) in &current {
            if !before.contains_key(k) {
                lines.push(line("new", finding, json));
            }
        }
        for (k, finding) in before {
            if !current.contains_key(k) {
                lines.push(line("resolved", finding, json));
            }
        }
        previous = Some(current);
        let mut out = stdout.lock();
        for l in lines {
            if writeln!(out, "{l}").is_err() {
                // A closed pipe (`| head`) ends the watch normally.
                return false;
            }
        }
        out.flush().is_ok()
    })
    .context("cannot watch the cluster")?;
    Ok(ExitCode::SUCCESS)
}

/// What makes a finding the same finding across re-evaluations: rule, object and message (not its
/// line, which moves as other objects come and go).
fn key(f: &Finding) -> String {
    let o = f
        .object
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    format!("{}\u{0}{o}\u{0}{}", f.rule_id, f.message)
}

fn describe(f: &Finding) -> Value {
    let object = f.object.as_ref();
    json!({
        "rule": {"id": f.rule_id, "name": f.rule_name},
        "severity": f.severity.as_str(),
        "message": f.message,
        "object": object.map(|o| json!({
            "apiVersion": o.api_version, "kind": o.kind, "namespace": o.namespace, "name": o.name,
        })),
        "kubectl": object.map(kubectl_get),
    })
}

fn line(event: &str, finding: &Value, json: bool) -> String {
    if json {
        let mut v = finding.clone();
        v["event"] = json!(event);
        return v.to_string();
    }
    let object = &finding["object"];
    let name = match object["namespace"].as_str() {
        Some(ns) => format!("{} {ns}/{}", text(&object["kind"]), text(&object["name"])),
        None => format!("{} {}", text(&object["kind"]), text(&object["name"])),
    };
    format!(
        "{} {} {} {}: {}  ({})",
        if event == "new" { "+" } else { "- resolved" },
        text(&finding["severity"]).to_ascii_uppercase(),
        text(&finding["rule"]["id"]),
        name,
        text(&finding["message"]),
        text(&finding["kubectl"]),
    )
}

/// A string for a terminal: control characters (escape sequences in object names) neutralised.
fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
