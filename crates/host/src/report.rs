//! The node report: results of every check plus what was detected, as JSON (serde) or as kube-bench-like
//! text.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::checks::{CheckResult, Ctx, EvalOptions, Severity, Status, run_all};
use crate::collect::NodeFacts;
use crate::detect::{Benchmark, Distribution, NodeRoles, benchmark};
use crate::error::HostError;
use crate::facts::CollectIssue;
use crate::versions::{CveDb, Releases};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub manual: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeReport {
    pub root: String,
    pub roles: NodeRoles,
    pub distribution: Distribution,
    pub benchmark: Benchmark,
    /// OS pretty name from `/etc/os-release`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    pub results: Vec<CheckResult>,
    pub summary: Summary,
    /// Files that could not be read or parsed; their checks say `manual`. A non-empty list means the
    /// scan was incomplete.
    pub issues: Vec<CollectIssue>,
}

impl NodeReport {
    /// The result for a check ID.
    pub fn result(&self, id: &str) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.id == id)
    }

    /// Something could not be read or evaluated: the CLI's exit code 2 ("incomplete scan").
    pub fn is_incomplete(&self) -> bool {
        !self.issues.is_empty()
    }

    /// Highest severity among failed checks.
    pub fn worst_failure(&self) -> Option<Severity> {
        self.results
            .iter()
            .filter(|r| r.status == Status::Fail)
            .map(|r| r.severity)
            .max()
    }
}

/// Evaluate every check with the embedded release and CVE data.
pub fn evaluate(facts: &NodeFacts, opts: &EvalOptions) -> Result<NodeReport, HostError> {
    let cves = CveDb::embedded()?;
    Ok(evaluate_with(facts, opts, &cves, &Releases::embedded()?))
}

/// Evaluate with caller-supplied data (e.g. a CVE database from [`crate::load_cve_db`]).
pub fn evaluate_with(
    facts: &NodeFacts,
    opts: &EvalOptions,
    cves: &CveDb,
    releases: &Releases,
) -> NodeReport {
    let ctx = Ctx {
        facts,
        opts,
        cves,
        releases,
    };
    let mut results = run_all(&ctx);
    let benchmark = benchmark(facts.distribution, opts.benchmark.as_deref());
    let ids = benchmark_id_map(&benchmark.id);
    for r in &mut results {
        let mut mapped: Vec<String> = r
            .cis
            .iter()
            .flat_map(|c| ids.get(c).cloned().unwrap_or_default())
            .collect();
        mapped.extend(
            ids.get(&format!("check:{}", r.id))
                .cloned()
                .unwrap_or_default(),
        );
        mapped.dedup();
        r.benchmark_ids = mapped;
    }
    let mut summary = Summary::default();
    for r in &results {
        match r.status {
            Status::Pass => summary.pass += 1,
            Status::Fail => summary.fail += 1,
            Status::Warn => summary.warn += 1,
            Status::Manual => summary.manual += 1,
            Status::NotApplicable => summary.not_applicable += 1,
        }
    }
    NodeReport {
        root: facts.root.clone(),
        roles: facts.roles,
        distribution: facts.distribution,
        benchmark,
        os: facts.os.as_ref().map(|o| o.pretty_name.clone()),
        results,
        summary,
        issues: facts.issues.clone(),
    }
}

const BENCHMARK_IDS_JSON: &str = include_str!("../data/benchmark-ids.json");

#[derive(serde::Deserialize)]
struct BenchmarkIdData {
    benchmarks: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// Generic CIS number (or `check:<ID>`) -> numbers in `benchmark`. Unknown benchmarks map nothing.
fn benchmark_id_map(benchmark: &str) -> BTreeMap<String, Vec<String>> {
    serde_json::from_str::<BenchmarkIdData>(BENCHMARK_IDS_JSON)
        .ok()
        .and_then(|mut d| d.benchmarks.remove(benchmark))
        .unwrap_or_default()
}

/// kube-bench-like text: a header, results grouped by section, remediations for failures and warnings,
/// and summary counts.
pub fn render_text(report: &NodeReport, out: &mut dyn Write) -> Result<(), HostError> {
    write_text(report, out).map_err(HostError::Write)
}

fn write_text(report: &NodeReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "[INFO] node {} — roles: {}; distribution: {:?}; benchmark: {} ({})",
        report.root,
        report.roles.names().join(", "),
        report.distribution,
        report.benchmark.id,
        report.benchmark.reason
    )?;
    let mut section = "";
    for r in &report.results {
        if r.section != section {
            section = &r.section;
            writeln!(out, "[INFO] {section}")?;
        }
        // Numbers of the report's benchmark, as kube-bench prints them.
        let cis = if r.benchmark_ids.is_empty() {
            "-".to_string()
        } else {
            r.benchmark_ids.join(",")
        };
        // A passing line states the fact; the title names the problem, so it is shown only when there is one.
        match r.status {
            Status::Fail | Status::Warn => writeln!(
                out,
                "[{}] {cis} {} {}: {}",
                r.status.label(),
                r.id,
                r.title,
                r.message
            )?,
            _ => writeln!(out, "[{}] {cis} {} {}", r.status.label(), r.id, r.message)?,
        }
        if let (Some(file), true) = (&r.file, matches!(r.status, Status::Fail | Status::Warn)) {
            match r.line {
                Some(l) => writeln!(out, "       at {file}:{l}")?,
                None => writeln!(out, "       at {file}")?,
            }
        }
    }
    let attention: Vec<_> = report
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Warn))
        .collect();
    if !attention.is_empty() {
        writeln!(out)?;
        writeln!(out, "== Remediations ==")?;
        for r in attention {
            writeln!(
                out,
                "{} {} ({:?}): {}",
                r.id, r.name, r.severity, r.remediation
            )?;
        }
    }
    for i in &report.issues {
        writeln!(out, "[WARN] could not use {}: {}", i.path, i.message)?;
    }
    let s = &report.summary;
    writeln!(out)?;
    writeln!(out, "== Summary ==")?;
    writeln!(out, "{} checks PASS", s.pass)?;
    writeln!(out, "{} checks FAIL", s.fail)?;
    writeln!(out, "{} checks WARN", s.warn)?;
    writeln!(out, "{} checks MANUAL", s.manual)?;
    writeln!(out, "{} checks N/A", s.not_applicable)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_ids_load_and_map_variants() {
        let data: BenchmarkIdData = serde_json::from_str(BENCHMARK_IDS_JSON).unwrap();
        assert!(data.benchmarks.contains_key(crate::GENERIC_BENCHMARK));
        // RKE2's guide numbers the API server section one higher from 1.2.12 on.
        assert_eq!(
            benchmark_id_map("rke2-cis-1.8").get("1.2.14"),
            Some(&vec!["1.2.15".to_string()])
        );
        assert_eq!(
            benchmark_id_map("eks-1.8.0").get("4.2.1"),
            Some(&vec!["3.2.1".to_string()])
        );
        assert!(benchmark_id_map("no-such-benchmark").is_empty());
    }
}
