//! Node and control-plane security checks for kubeward (`kubeward node --root DIR`).
//!
//! The crate reads a node's filesystem mounted at a root directory — static pod manifests, kubelet
//! configuration and systemd units, k3s/RKE2 configuration, the API server's encryption and audit
//! configuration, PKI files and kubeconfigs, `sshd_config`, persisted firewall rules, `os-release`, and
//! optionally `/proc` — into [`NodeFacts`] ([`collect`]). [`evaluate`] then runs the check catalog
//! ([`catalog`]: CIS Kubernetes benchmark sections 1–4 plus host, certificate and version checks) over
//! those facts without touching the filesystem, and returns a [`NodeReport`] that serialises to JSON or
//! renders as kube-bench-like text ([`render_text`]).
//!
//! Every fact and every result keeps the node path (and line, for text files) it came from. A file that
//! is not there is a fact too: a check over a missing file is `Manual` or `NotApplicable`, never `Pass`.
//!
//! Comparison operators follow kube-bench's recorded semantics ([`compare::Op`]). Release and CVE data
//! are embedded (see `data/SOURCES.md`); the CVE database can be replaced ([`load_cve_db`], format in
//! [`versions`]).
//!
//! # Using it from the CLI
//! - [`collect`] with [`CollectOptions`] (`read_proc` when `/proc` of the node is under the root), then
//!   [`evaluate`] with [`EvalOptions`] (`now`/[`EvalOptions::on_date`], certificate thresholds, cluster
//!   and kubelet versions, process allow-list, benchmark override) — or [`scan`] for both. Use
//!   [`evaluate_with`] and [`load_cve_db`] / [`Releases::load`] to replace the embedded data.
//! - Every [`CheckResult`] has what text, JSON, SARIF, JUnit and Markdown need: `id`, `name`, `severity`,
//!   `status`, `message`, `title`, `remediation`, `cis` / `benchmark_ids`, `file`, `line`, `column`,
//!   and the `evidence` list.
//! - Exit codes: [`NodeReport::worst_failure`] against `--fail-on`; [`NodeReport::is_incomplete`]
//!   (files that could not be read or parsed, or no Kubernetes component under the root) for exit code 2.
//! - [`lint_audit_policy`] also works on its own, on any audit Policy text.
//!
//! ```no_run
//! use kubeward_host::{CollectOptions, EvalOptions, collect, evaluate, render_text};
//! let facts = collect(std::path::Path::new("/host"), &CollectOptions::default())?;
//! let report = evaluate(&facts, &EvalOptions::default())?;
//! render_text(&report, &mut std::io::stdout())?;
//! # Ok::<(), kubeward_host::HostError>(())
//! ```

pub mod audit_policy;
mod checks;
mod collect;
pub mod compare;
mod detect;
mod error;
pub mod facts;
pub mod flags;
mod report;
mod text;
pub mod versions;

pub use audit_policy::{IssueSeverity, PolicyIssue, explain_level, lint_audit_policy};
pub use checks::{Area, CheckDef, CheckResult, EvalOptions, Evidence, Severity, Status, catalog};
pub use collect::{
    CLUSTER_VIEW_ROOT, CollectOptions, NodeFacts, cluster_view, collect, is_immutable_os_image,
    parse_manifest,
};
pub use detect::{Benchmark, Distribution, GENERIC_BENCHMARK, NodeRoles, benchmark};
pub use error::HostError;
pub use facts::CollectIssue;
pub use report::{NodeReport, Summary, evaluate, evaluate_with, render_text};
pub use versions::{CveDb, Releases, Version, load_cve_db};

/// Collect and evaluate in one call.
pub fn scan(
    root: &std::path::Path,
    collect_opts: &CollectOptions,
    eval_opts: &EvalOptions,
) -> Result<NodeReport, HostError> {
    let facts = collect(root, collect_opts)?;
    evaluate(&facts, eval_opts)
}
