//! The `kubeward/scan/v1` JSON document, described by `schema/scan-v1.schema.json`.
//!
//! The schema ID is part of the output so that consumers can check what they parse. Within `v1` fields
//! are only ever added; renaming or removing one, or changing its meaning, makes `v2`. Every key is
//! always present (`null` when it does not apply) so that `jq` paths never depend on the finding.

use std::io::{self, Write};

use kubeward_diagnostics::{Finding, Severity, SuppressionSource};
use kubeward_frameworks::{Assessment, Outcome};
use kubeward_graph::{Exposure, RiskScore};
use serde::Serialize;

use crate::report::Report;
use crate::{TOOL_NAME, TOOL_VERSION};

/// The value of the document's `schema` key.
pub const SCHEMA_ID: &str = "kubeward/scan/v1";

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = document(report);
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

fn document<'r>(report: &'r Report) -> Document<'r> {
    let counts = report.counts();
    let summary = &report.summary;
    Document {
        schema: SCHEMA_ID,
        tool: Tool {
            name: TOOL_NAME,
            version: TOOL_VERSION,
        },
        summary: SummaryOut {
            findings: counts.active(),
            severities: Severities {
                critical: counts.critical,
                high: counts.high,
                medium: counts.medium,
                low: counts.low,
                info: counts.info,
            },
            suppressed: counts.suppressed,
            objects: summary.objects,
            sources: summary.sources,
            rules_run: summary.rules_run,
            incomplete: summary.incomplete,
            duration_ms: summary.duration_ms,
            fail_on: summary.fail_on,
            at_or_above_fail_on: counts.at_or_above_fail_on,
            not_evaluated: summary
                .not_evaluated
                .iter()
                .map(|g| NotEvaluatedOut {
                    input: &g.input,
                    reason: &g.reason,
                    message: &g.message,
                    rules: &g.rules,
                })
                .collect(),
        },
        findings: report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| finding(report, f, report.risk(i)))
            .collect(),
        framework: report.framework.map(framework),
    }
}

fn framework<'r>(a: &'r Assessment<'r>) -> FrameworkOut<'r> {
    let f = a.framework;
    FrameworkOut {
        id: &f.id,
        name: &f.name,
        version: &f.version,
        selected: &a.name,
        coverage: CoverageOut {
            total: a.total(),
            evaluated: a.evaluated(),
            percent: a.coverage_percent(),
            fail: a.count(Outcome::Fail),
            pass: a.count(Outcome::Pass),
            not_applicable: a.count(Outcome::NotApplicable),
            not_evaluated: a.count(Outcome::NotEvaluated),
            manual: a.count(Outcome::Manual),
        },
        controls: a
            .controls
            .iter()
            .map(|c| ControlOut {
                id: &c.control.id,
                reference: &c.reference,
                section: &c.control.section,
                title: &c.control.title,
                outcome: c.outcome,
                rules: &c.rules,
                findings: c.findings,
                suppressed: c.suppressed,
                reason: &c.reason,
            })
            .collect(),
    }
}

/// The score and its factors, as `risk` of a finding.
pub(crate) fn risk(r: &RiskScore) -> RiskOut<'_> {
    let b = &r.blast_radius;
    RiskOut {
        score: r.score,
        severity: r.severity,
        exposure: r.exposure,
        exposure_factor: r.exposure_factor,
        blast_radius: BlastOut {
            cluster_admin: b.cluster_admin,
            nodes: b.nodes,
            secrets: b.secrets,
            crown_jewel: b.crown_jewel.as_ref().map(|j| JewelOut {
                name: &j.name,
                criticality: j.criticality.as_str(),
            }),
            factor: r.blast_factor,
        },
    }
}

fn finding<'r>(report: &'r Report, f: &'r Finding, score: Option<&'r RiskScore>) -> FindingOut<'r> {
    FindingOut {
        rule: Rule {
            id: f.rule_id,
            name: f.rule_name,
        },
        severity: f.severity,
        message: &f.message,
        location: f.location.map(|location| {
            let span = location.span;
            LocationOut {
                file: report.sources.name(location.source),
                line: span.start.line,
                column: span.start.col + 1,
                end_line: span.end.line,
                end_column: span.end.col + 1,
                template: report.template(&location),
            }
        }),
        object: f.object.as_ref().map(|o| ObjectOut {
            api_version: &o.api_version,
            kind: &o.kind,
            namespace: o.namespace.as_deref(),
            name: &o.name,
        }),
        fix: f.fix.as_ref().map(|fix| FixOut {
            title: &fix.title,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let (op, value) = match edit {
                        kubeward_diagnostics::Edit::Set { value, .. } => ("set", Some(value)),
                        kubeward_diagnostics::Edit::Remove { .. } => ("remove", None),
                        kubeward_diagnostics::Edit::Append { value, .. } => ("append", Some(value)),
                    };
                    EditOut {
                        op,
                        path: edit.pointer(),
                        value,
                    }
                })
                .collect(),
        }),
        suppression: f.suppression.as_ref().map(|s| SuppressionOut {
            source: &s.source,
            reason: &s.reason,
            expires: s.expires.as_deref(),
        }),
        sensitive: f.sensitive,
        risk: score.map(risk),
    }
}

#[derive(Serialize)]
struct Document<'r> {
    schema: &'static str,
    tool: Tool,
    summary: SummaryOut<'r>,
    findings: Vec<FindingOut<'r>>,
    /// The per-control report of `scan --framework`; `null` without it.
    framework: Option<FrameworkOut<'r>>,
}

#[derive(Serialize)]
struct FrameworkOut<'r> {
    id: &'r str,
    name: &'r str,
    version: &'r str,
    /// The `--framework` value (`pss-baseline`).
    selected: &'r str,
    coverage: CoverageOut,
    controls: Vec<ControlOut<'r>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CoverageOut {
    total: usize,
    /// Controls judged by this scan: pass, fail or not applicable.
    evaluated: usize,
    percent: usize,
    fail: usize,
    pass: usize,
    not_applicable: usize,
    not_evaluated: usize,
    manual: usize,
}

#[derive(Serialize)]
struct ControlOut<'r> {
    id: &'r str,
    reference: &'r str,
    section: &'r str,
    title: &'r str,
    outcome: Outcome,
    rules: &'r [String],
    findings: usize,
    suppressed: usize,
    reason: &'r str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryOut<'r> {
    /// Unsuppressed findings.
    findings: usize,
    severities: Severities,
    suppressed: usize,
    objects: usize,
    sources: usize,
    rules_run: usize,
    incomplete: bool,
    duration_ms: u64,
    fail_on: Option<Severity>,
    at_or_above_fail_on: usize,
    not_evaluated: Vec<NotEvaluatedOut<'r>>,
}

#[derive(Serialize)]
struct NotEvaluatedOut<'r> {
    input: &'r str,
    reason: &'r str,
    message: &'r str,
    rules: &'r [String],
}

#[derive(Serialize)]
struct Severities {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
struct FindingOut<'r> {
    rule: Rule,
    severity: Severity,
    message: &'r str,
    location: Option<LocationOut<'r>>,
    object: Option<ObjectOut<'r>>,
    fix: Option<FixOut<'r>>,
    suppression: Option<SuppressionOut<'r>>,
    sensitive: bool,
    /// `null` unless the risk map was built (`scan --sort risk`, or a top-risks section).
    risk: Option<RiskOut<'r>>,
}

/// severity × exposure × blast radius; see docs/risk.md.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RiskOut<'r> {
    score: u32,
    severity: u32,
    exposure: Exposure,
    exposure_factor: u32,
    blast_radius: BlastOut<'r>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlastOut<'r> {
    cluster_admin: bool,
    nodes: bool,
    secrets: bool,
    crown_jewel: Option<JewelOut<'r>>,
    factor: u32,
}

#[derive(Serialize)]
struct JewelOut<'r> {
    name: &'r str,
    criticality: &'static str,
}

#[derive(Serialize)]
struct Rule {
    id: &'static str,
    name: &'static str,
}

/// Lines and columns are 1-based; columns count Unicode characters (scalar values), as editors do.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut<'r> {
    file: &'r str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    template: Option<String>,
}

/// `namespace` is `null` for cluster-scoped objects.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectOut<'r> {
    api_version: &'r str,
    kind: &'r str,
    namespace: Option<&'r str>,
    name: &'r str,
}

#[derive(Serialize)]
struct FixOut<'r> {
    title: &'r str,
    applicability: kubeward_diagnostics::Applicability,
    edits: Vec<EditOut<'r>>,
}

#[derive(Serialize)]
struct EditOut<'r> {
    op: &'static str,
    /// RFC 6901 JSON pointer from the object's root.
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'r serde_json::Value>,
}

#[derive(Serialize)]
struct SuppressionOut<'r> {
    source: &'r SuppressionSource,
    reason: &'r str,
    expires: Option<&'r str>,
}
