//! Compliance frameworks as data: the CIS Kubernetes Benchmark, the NSA/CISA Kubernetes Hardening Guide,
//! the Pod Security Standards and the OWASP Kubernetes Top 10.
//!
//! Each framework is a JSON file under `data/`, embedded at build time: its controls with their IDs (data
//! fields, as the framework numbers them), a short title in our own words, a section, and the status a
//! control has when no rule evaluates it (`manual`, `not-evaluated-yet`, or evaluated by a kubeward command:
//! `node` for `kubeward node`, `pss` for `kubeward pss check`).
//!
//! Which rules evaluate a control is *not* in the data: rules declare references such as `cis:5.2.2`,
//! `nsa:rbac` or `owasp:K01` in their metadata, and [`coverage`] inverts them. The mapping thus lives in one
//! place (next to the check, as a rule's metadata); audit detectors and node checks are mapped the same
//! way. [`catalog_coverage`] gathers all three, and [`assess`] judges each control on one scan's results
//! (`kubeward scan --framework`).
//!
//! ```
//! let frameworks = kubeward_frameworks::frameworks()?;
//! let cis = kubeward_frameworks::find(&frameworks, "cis").ok_or("no CIS")?;
//! let refs: &[&str] = &["cis:5.2.2", "owasp:K01"];
//! let coverage = kubeward_frameworks::coverage(cis, [("POD001", refs)]);
//! let control = coverage.control("5.2.2").ok_or("no 5.2.2")?;
//! assert_eq!(control.rules, ["POD001"]);
//! assert_eq!(control.status, kubeward_frameworks::Status::Automated);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assess;
mod catalog;
mod coverage;
mod error;
mod framework;

pub use assess::{Assessment, ControlResult, NAMES, Outcome, Scope, assess, select};
pub use catalog::catalog_coverage;
pub use coverage::{ControlCoverage, Coverage, Unresolved, coverage, unresolved};
pub use error::Error;
pub use framework::{Control, Framework, Status, find, frameworks, resolve};
