use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::ver::components::{data, versioned};

/// CVEs named in one message before "and N more".
const LISTED: usize = 5;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes components whose version has known CVEs with a fixed release: each Node's
    /// kubelet and the control plane's mirror pods, matched on the affected version ranges of the
    /// embedded Kubernetes CVE data (`kubeward node`'s VER004, same data). The finding takes the
    /// highest severity among the matching CVEs and lists them with the version that fixes each.
    /// CVEs without any fix (such as CVE-2020-8554, which needs an admission policy instead) are left
    /// out: upgrading cannot close them.
    ///
    /// ## Why is this bad?
    /// Kubernetes CVEs are published with affected versions and often with proof-of-concept details;
    /// a kubelet or API server on an affected patch release is a known way in (privilege escalation
    /// through volumes, node takeover through the kubelet API, request smuggling through the API
    /// server), and scanners on the attacker's side check versions first.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.27.2}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.36.4}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: move to at least the fixed patch release listed for each CVE (patch upgrades
    /// within a minor release are low-risk); where none exists for the minor release, upgrade it.
    ///
    /// ## References
    /// - Kubernetes documentation: "Official CVE Feed"
    /// - NSA/CISA Kubernetes Hardening Guide: "Upgrading and application security practices"
    /// - OWASP Kubernetes Top 10 K10: Outdated and Vulnerable Kubernetes Components
    pub(crate) static RULE = RuleMeta {
        id: "VER004",
        name: "known-vulnerable-component-version",
        title: "Kubernetes component version has known CVEs",
        severity: Severity::High,
        frameworks: &["nsa:upgrades", "owasp:K10"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let data = data(ctx);
    let Some(cves) = &data.cves else {
        return;
    };
    for v in versioned(inventory) {
        let mut matches: Vec<_> = cves
            .matches(v.component, &v.version)
            .into_iter()
            .filter(|m| m.fixed.is_some())
            .collect();
        if matches.is_empty() {
            continue;
        }
        matches.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
        let severity = matches[0].severity;
        let listed: Vec<String> = matches
            .iter()
            .take(LISTED)
            .map(|m| {
                format!(
                    "{} ({}, fixed in {})",
                    m.id,
                    m.severity,
                    m.fixed.as_deref().unwrap_or("?")
                )
            })
            .collect();
        let more = matches.len().saturating_sub(LISTED);
        let message = format!(
            "{} has {} known CVE{} fixed in newer releases: {}{}",
            v.describe(),
            matches.len(),
            if matches.len() == 1 { "" } else { "s" },
            listed.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
        ctx.report(v.object, v.node, message).severity = severity;
    }
}
