//! The whole catalogue's coverage of a framework: scan rules, audit detectors and `kubeward node` checks,
//! each inverted from the references it declares.

use crate::{Coverage, Framework, coverage};

/// The coverage of `framework` by every evaluator kubeward has. Rules and audit detectors make a control
/// automated; node checks are attached to the CIS controls they cite (their status is `node` already).
pub fn catalog_coverage(framework: &Framework) -> Coverage<'_> {
    let rules = kubeward_rules::registry::RULES
        .iter()
        .map(|r| (r.meta.id, r.meta.frameworks))
        .chain(kubeward_audit::detectors().map(|d| (d.id, d.frameworks)));
    let mut cov = coverage(framework, rules);
    if framework.prefix == "cis" {
        // Node checks cite bare CIS numbers (`1.2.1`).
        let checks = kubeward_host::catalog().into_iter().map(|c| {
            let refs: Vec<String> = c.cis.iter().map(|n| format!("cis:{n}")).collect();
            (c.id, refs)
        });
        cov.attach_checks(checks);
    }
    cov
}
