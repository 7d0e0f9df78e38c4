use kubeward_diagnostics::Severity;
use kubeward_model::Object;

use super::egress_blocks::egress_blocks;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicy egress rules whose `ipBlock` is `0.0.0.0/0` or `::/0`: every address,
    /// apart from the `except` entries.
    ///
    /// ## Why is this bad?
    /// Egress to any address lets a compromised pod download tools, reach command-and-control
    /// servers and send data out, and usually reach other pods and the nodes too (their addresses are
    /// in the block). If the pods need a few external services, name their ranges; if they need the
    /// internet, route them through an egress proxy that can log and filter.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api-egress, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    ///     ports: [{port: 443}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api-egress, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
    ///     ports: [{port: 443}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which external ranges the pods need is not in the manifests.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET015",
        name: "egress-to-any-address",
        title: "NetworkPolicy allows egress to every address",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["NetworkPolicy"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    for b in egress_blocks(object) {
        if !b.block.cidr.is_everything() {
            continue;
        }
        let message = format!(
            "NetworkPolicy `{}` allows egress to every address ({})",
            object.name(),
            b.block
        );
        ctx.report(object, b.node, message);
    }
}
