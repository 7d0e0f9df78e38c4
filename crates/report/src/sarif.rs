//! SARIF 2.1.0 (OASIS), as GitHub code scanning and IDE viewers read it.
//!
//! Decisions worth knowing:
//! - Columns are UTF-16 code units (`run.columnKind`), converted from the character columns findings
//!   carry, because that is what the viewers count.
//! - Files are referenced relative to `SRCROOT` (the report's `base_dir`) so that the log is portable.
//! - Rendered sources (Helm, Kustomize) point at the template or chart directory without a region: the
//!   line numbers belong to rendered text that is not in the repository.
//! - `partialFingerprints` hash what identifies a problem (rule, file, object, message), never line
//!   numbers, so that an alert survives unrelated edits above it.
//! - No `snippet`s: a region's text may be a secret, and viewers show the file anyway.
//! - When the risk map was built, each result's `rank` is its risk score scaled from 1–150 to
//!   0–100, and `properties.risk` carries the factors as the JSON report does.
//! - `scan --framework` adds the framework as a `taxonomy` (one taxon per control, with this scan's
//!   outcome) and links each rule descriptor to the controls it evaluates.

mod fingerprint;
mod uri;

use std::collections::HashMap;
use std::io::{self, Write};

use kubeward_diagnostics::{Finding, Location, Severity, SuppressionSource};
use kubeward_frameworks::Assessment;
use kubeward_rules::RuleMeta;
use kubeward_rules::registry::RULES;
use kubeward_source::Origin;
use serde_json::{Value, json};

use crate::report::Report;
use crate::{TOOL_NAME, TOOL_VERSION};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/kubeward/kubeward";
/// The `uriBaseId` of every relative artifact location.
const SRCROOT: &str = "SRCROOT";

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let log = log(report);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

fn log(report: &Report) -> Value {
    let rules = RuleTable::new(report.findings);
    let mut fingerprints = fingerprint::Fingerprints::default();
    let results: Vec<Value> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut r = result(report, &rules, &mut fingerprints, f);
            if let Some(score) = report.risk(i) {
                // `rank` orders results for viewers; the factors explain it.
                r["rank"] = json!(score.rank());
                r["properties"]["risk"] =
                    serde_json::to_value(crate::json::risk(score)).unwrap_or(Value::Null);
            }
            r
        })
        .collect();
    let mut invocation = json!({ "executionSuccessful": !report.summary.incomplete });
    if report.summary.incomplete {
        invocation["toolExecutionNotifications"] = json!([{
            "level": "warning",
            "message": { "text": "The scan is incomplete: some input could not be read, parsed or rendered." },
        }]);
    }
    let mut descriptors = rules.descriptors();
    let mut run = json!({
        "tool": { "driver": {
            "name": TOOL_NAME,
            "version": TOOL_VERSION,
            "semanticVersion": TOOL_VERSION,
            "informationUri": INFORMATION_URI,
            "rules": [],
        }},
        "columnKind": "utf16CodeUnits",
        "originalUriBaseIds": { SRCROOT: uri::base(report.base_dir) },
        "invocations": [invocation],
        "results": results,
    });
    if let Some(assessment) = report.framework {
        relate_to_taxa(&mut descriptors, assessment);
        run["taxonomies"] = json!([taxonomy(assessment)]);
    }
    run["tool"]["driver"]["rules"] = Value::Array(descriptors);
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// `scan --framework` as a SARIF taxonomy: each control a taxon carrying this scan's outcome, so viewers
/// that understand taxonomies can group results by control.
fn taxonomy(assessment: &Assessment) -> Value {
    let f = assessment.framework;
    let taxa: Vec<Value> = assessment
        .controls
        .iter()
        .map(|c| {
            json!({
                "id": c.control.id,
                "shortDescription": { "text": c.control.title },
                "properties": {
                    "section": c.control.section,
                    "outcome": c.outcome,
                    "reason": c.reason,
                    "rules": c.rules,
                    "findings": c.findings,
                    "suppressed": c.suppressed,
                },
            })
        })
        .collect();
    json!({
        "name": f.id,
        "fullName": f.name,
        "version": f.version,
        "informationUri": f.url,
        "shortDescription": { "text": f.description },
        "isComprehensive": false,
        "taxa": taxa,
        "properties": { "selected": assessment.name, "coverage": assessment.coverage_line() },
    })
}

/// Links each reported rule to the controls of the framework it evaluates.
fn relate_to_taxa(descriptors: &mut [Value], assessment: &Assessment) {
    let name = &assessment.framework.id;
    for descriptor in descriptors {
        let Some(id) = descriptor["id"].as_str() else {
            continue;
        };
        let relationships: Vec<Value> = assessment
            .controls
            .iter()
            .filter(|c| c.rules.iter().any(|r| r == id))
            .map(|c| {
                json!({
                    "target": { "id": c.control.id, "toolComponent": { "name": name } },
                    "kinds": ["relevant"],
                })
            })
            .collect();
        if !relationships.is_empty() {
            descriptor["relationships"] = Value::Array(relationships);
        }
    }
}

fn result(
    report: &Report,
    rules: &RuleTable,
    fingerprints: &mut fingerprint::Fingerprints,
    finding: &Finding,
) -> Value {
    let artifact = finding.location.and_then(|l| artifact(report, l));
    let mut location = serde_json::Map::new();
    if let Some((artifact_location, region)) = &artifact {
        let mut physical = json!({ "artifactLocation": artifact_location });
        if let Some(region) = region {
            physical["region"] = region.clone();
        }
        location.insert("physicalLocation".into(), physical);
    }
    if let Some(object) = &finding.object {
        location.insert(
            "logicalLocations".into(),
            json!([{
                "name": object.name,
                "fullyQualifiedName": object.to_string(),
                "kind": "resource",
            }]),
        );
    }
    let file_key = match (&artifact, finding.location) {
        (Some((artifact_location, _)), _) => {
            artifact_location["uri"].as_str().unwrap_or("").to_string()
        }
        (None, Some(l)) => report.sources.name(l.source).to_string(),
        (None, None) => String::new(),
    };
    let mut result = json!({
        "ruleId": finding.rule_id,
        "ruleIndex": rules.index(finding.rule_id),
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "partialFingerprints": { fingerprint::KEY: fingerprints.next(finding, &file_key) },
        "properties": { "severity": finding.severity.as_str() },
    });
    if !location.is_empty() {
        result["locations"] = json!([location]);
    }
    if let Some(suppression) = &finding.suppression {
        let kind = match suppression.source {
            SuppressionSource::Annotation => "inSource",
            SuppressionSource::Config => "external",
        };
        result["suppressions"] = json!([{ "kind": kind, "justification": suppression.reason }]);
    }
    result
}

/// The artifact location of a finding, and its region when the text it points into is on disk.
fn artifact(report: &Report, location: Location) -> Option<(Value, Option<Value>)> {
    let file = report.sources.get(location.source)?;
    match &file.origin {
        Origin::Stdin | Origin::Cluster => None,
        Origin::File => {
            let path = file.path.as_deref()?;
            let span = location.span;
            // Lines are 1-based already; a 0 would mean "no position", which SARIF cannot say.
            let region = (span.start.line > 0).then(|| {
                let end_line = span.end.line.max(span.start.line);
                json!({
                    "startLine": span.start.line,
                    "startColumn": file.utf16_col(span.start.line, span.start.col) + 1,
                    "endLine": end_line,
                    "endColumn": file.utf16_col(end_line, span.end.col) + 1,
                })
            });
            Some((uri::artifact_location(path, report.base_dir), region))
        }
        Origin::Helm { chart } => {
            // `# Source: app/templates/x.yaml` names the chart, then the path inside it.
            let template = report.template(&location).and_then(|t| {
                let inside = t.split_once('/')?.1.to_string();
                Some(chart.join(inside))
            });
            let path = template.unwrap_or_else(|| chart.clone());
            Some((uri::artifact_location(&path, report.base_dir), None))
        }
        Origin::Kustomize { dir } => Some((uri::artifact_location(dir, report.base_dir), None)),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning ranks security alerts by this CVSS-like score.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The rules that have findings, in registry order, with the index results refer to them by.
struct RuleTable {
    rules: Vec<(&'static str, &'static str, Option<&'static RuleMeta>)>,
    index: HashMap<&'static str, usize>,
}

impl RuleTable {
    fn new(findings: &[Finding]) -> Self {
        let mut rules: Vec<(&'static str, &'static str, Option<&'static RuleMeta>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for finding in findings {
            if seen.insert(finding.rule_id) {
                let meta = RULES
                    .iter()
                    .map(|r| r.meta)
                    .find(|m| m.id == finding.rule_id);
                rules.push((finding.rule_id, finding.rule_name, meta));
            }
        }
        // Registry order (which is ID order); rules the registry does not know go last, by ID.
        let position = |id: &str| {
            RULES
                .iter()
                .position(|r| r.meta.id == id)
                .unwrap_or(usize::MAX)
        };
        rules.sort_by(|a, b| position(a.0).cmp(&position(b.0)).then(a.0.cmp(b.0)));
        let index = rules.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
        Self { rules, index }
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    fn descriptors(&self) -> Vec<Value> {
        self.rules
            .iter()
            .map(|(id, name, meta)| match meta {
                Some(meta) => descriptor(meta),
                None => json!({ "id": id, "name": name, "shortDescription": { "text": name } }),
            })
            .collect()
    }
}

fn descriptor(meta: &RuleMeta) -> Value {
    let docs = meta.documentation();
    let full = meta
        .section("What it does")
        .unwrap_or_else(|| meta.title.to_string());
    let mut tags = vec!["security".to_string(), "kubernetes".to_string()];
    tags.extend(meta.frameworks.iter().map(|f| f.to_string()));
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": { "text": meta.title },
        "fullDescription": { "text": full },
        "help": { "text": docs, "markdown": docs },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": {
            "security-severity": security_severity(meta.severity),
            "tags": tags,
        },
    })
}
