//! The check catalog: one table per area, each entry with our ID (never reused), a kebab-case name, the
//! CIS IDs it evaluates, a default severity, our own title and remediation, and the function that judges
//! collected [`NodeFacts`]. Checks never read files: everything they need was collected.

mod apiserver;
mod apiserver_data;
mod certs;
mod controlplane;
mod etcd;
mod files;
mod host;
mod kubelet;
mod support;
mod versions;

use serde::Serialize;

use crate::collect::NodeFacts;
use crate::facts::Origin;
use crate::versions::{CveDb, Releases};

pub(crate) use support::*;

/// The same severity scale as every kubeward finding, so node checks and scan rules compare and render alike.
pub use kubeward_diagnostics::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Manual,
    NotApplicable,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::Manual => "MANUAL",
            Status::NotApplicable => "N/A",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Area {
    Cp,
    Etcd,
    Klt,
    Host,
    Ver,
}

/// One observed value behind a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What was looked at: `--anonymous-auth`, `mode`, `PermitRootLogin`, `CVE-2024-3177`.
    pub subject: String,
    /// What was found; `None` when it is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Static description of a check.
#[derive(Debug, Clone, Copy)]
pub struct CheckDef {
    pub id: &'static str,
    pub name: &'static str,
    pub area: Area,
    pub cis: &'static [&'static str],
    pub severity: Severity,
    pub title: &'static str,
    pub remediation: &'static str,
    pub(crate) run: fn(&Ctx) -> Outcome,
}

/// A check's verdict before it is combined with its description.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub status: Status,
    pub message: String,
    pub evidence: Vec<Evidence>,
}

/// The result of one check on one node: everything a text, JSON, SARIF, JUnit or Markdown reporter needs.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub name: String,
    pub area: Area,
    /// CIS recommendation numbers of the generic benchmark (empty when CIS has none).
    pub cis: Vec<String>,
    /// Recommendation numbers in the benchmark the report is for (kube-bench's numbering of that
    /// variant); empty when that benchmark has no matching recommendation.
    pub benchmark_ids: Vec<String>,
    /// Grouping for reports, e.g. `1.2 API Server`.
    pub section: String,
    pub severity: Severity,
    pub title: String,
    pub status: Status,
    /// States the finding with values: "`--anonymous-auth` is `true`".
    pub message: String,
    pub remediation: String,
    pub evidence: Vec<Evidence>,
    /// Primary location (first evidence with a real file), node-absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in characters, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// Inputs of evaluation besides the facts.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// "Now" as Unix seconds: certificate expiry, end-of-life dates. Fixed in tests.
    pub now: i64,
    /// Certificates expiring within this many days are reported (default 30).
    pub cert_expiry_days: i64,
    /// Leaf certificates valid for longer than this are reported (default 398, the public-TLS maximum;
    /// kubeadm issues 365-day leaves).
    pub cert_max_validity_days: i64,
    /// CA certificates valid for longer than this are reported (default 3653, kubeadm's ten years).
    pub ca_max_validity_days: i64,
    /// Cluster (control plane) version when known from outside, e.g. `v1.33.2` or `1.33.2+k3s1`.
    pub cluster_version: Option<String>,
    /// Kubelet versions of the cluster's nodes (from the API), for the skew check.
    pub kubelet_versions: Vec<String>,
    /// Process names (`comm`) that are expected on this node besides the built-in list.
    pub process_allow_list: Vec<String>,
    /// Use this benchmark instead of the detected one.
    pub benchmark: Option<String>,
}

impl Default for EvalOptions {
    fn default() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self {
            now,
            cert_expiry_days: 30,
            cert_max_validity_days: 398,
            ca_max_validity_days: 3653,
            cluster_version: None,
            kubelet_versions: Vec::new(),
            process_allow_list: Vec::new(),
            benchmark: None,
        }
    }
}

impl EvalOptions {
    /// Evaluate as of midnight UTC of `date` (`YYYY-MM-DD`); `None` when the date does not parse.
    pub fn on_date(mut self, date: &str) -> Option<Self> {
        self.now = crate::versions::Date::parse(date)?.to_unix();
        Some(self)
    }
}

/// What checks see.
pub(crate) struct Ctx<'a> {
    pub facts: &'a NodeFacts,
    pub opts: &'a EvalOptions,
    pub cves: &'a CveDb,
    pub releases: &'a Releases,
}

/// Every check, in report order.
pub fn catalog() -> Vec<CheckDef> {
    [
        files::CHECKS,
        apiserver::CHECKS,
        controlplane::CHECKS,
        certs::CHECKS,
        etcd::CHECKS,
        kubelet::CHECKS,
        host::CHECKS,
        versions::CHECKS,
    ]
    .concat()
}

pub(crate) fn run_all(ctx: &Ctx) -> Vec<CheckResult> {
    let mut results: Vec<CheckResult> = catalog()
        .into_iter()
        .map(|def| {
            let outcome = (def.run)(ctx);
            let primary = outcome
                .evidence
                .iter()
                .filter_map(|e| e.origin.as_ref())
                .find(|o| !o.is_builtin())
                .cloned();
            CheckResult {
                id: def.id.into(),
                name: def.name.into(),
                area: def.area,
                cis: def.cis.iter().map(|s| s.to_string()).collect(),
                benchmark_ids: Vec::new(),
                section: section(&def),
                severity: def.severity,
                title: def.title.into(),
                status: outcome.status,
                message: outcome.message,
                remediation: def.remediation.into(),
                evidence: outcome.evidence,
                file: primary.as_ref().map(|o| o.path.clone()),
                line: primary.as_ref().and_then(|o| o.line),
                column: primary.and_then(|o| o.column),
            }
        })
        .collect();
    results.sort_by_key(|r| (section_key(&r.section), cis_key(r.cis.first())));
    results
}

/// `1.1.10` sorts after `1.1.9`; checks without a CIS number go last in their section.
fn cis_key(cis: Option<&String>) -> Vec<u32> {
    match cis {
        Some(c) => c
            .split('.')
            .map(|p| p.parse().unwrap_or(u32::MAX))
            .collect(),
        None => vec![u32::MAX],
    }
}

fn section_key(section: &str) -> (u32, u32, String) {
    let num = section.split_whitespace().next().unwrap_or_default();
    let mut parts = num.split('.').map(|p| p.parse::<u32>().unwrap_or(99));
    (
        parts.next().unwrap_or(99),
        parts.next().unwrap_or(0),
        section.to_string(),
    )
}

fn section(def: &CheckDef) -> String {
    let cis = def.cis.first().copied().unwrap_or_default();
    let mut parts = cis.split('.');
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().unwrap_or_default();
    match (major, minor) {
        ("1", "1") => "1.1 Control Plane Configuration Files",
        ("1", "2") => "1.2 API Server",
        ("1", "3") => "1.3 Controller Manager",
        ("1", "4") => "1.4 Scheduler",
        ("2", _) => "2 etcd",
        ("3", _) => "3.2 Logging",
        ("4", "1") => "4.1 Worker Node Configuration Files",
        ("4", "2") => "4.2 Kubelet",
        ("4", "3") => "4.3 kube-proxy",
        _ => match def.area {
            Area::Cp => "5.1 Control Plane (beyond CIS)",
            Area::Etcd => "2 etcd",
            Area::Klt => "4.2 Kubelet",
            Area::Host => "6 Node Operating System",
            Area::Ver => "7 Versions and CVEs",
        },
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let all = catalog();
        let mut ids: Vec<&str> = all.iter().map(|c| c.id).collect();
        ids.sort();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate check id");
        let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate check name");
        for c in &all {
            let prefix = match c.area {
                Area::Cp => "CP",
                Area::Etcd => "ETCD",
                Area::Klt => "KLT",
                Area::Host => "HOST",
                Area::Ver => "VER",
            };
            let digits =
                c.id.strip_prefix(prefix)
                    .unwrap_or_else(|| panic!("{} prefix", c.id));
            assert!(
                digits.len() == 3 && digits.chars().all(|d| d.is_ascii_digit()),
                "{}",
                c.id
            );
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{}",
                c.name
            );
            assert!(!c.title.is_empty() && !c.remediation.is_empty(), "{}", c.id);
        }
    }
}
