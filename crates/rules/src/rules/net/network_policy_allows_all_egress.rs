use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_netpol::Direction;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicy egress rules without `to` and without `ports` (or with both empty): such a
    /// rule allows the selected pods to connect to every address on every port.
    ///
    /// ## Why is this bad?
    /// Because policies add up, one such rule cancels every egress restriction on the pods it
    /// selects: a compromised pod can reach the cloud metadata endpoint, the Kubernetes API, every
    /// internal service and any host on the internet.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: allow-all-egress, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: dns-only, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
    ///     ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: name the destinations and ports the pods need.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET014",
        name: "network-policy-allows-all-egress",
        title: "NetworkPolicy rule allows all egress",
        severity: Severity::Low,
        frameworks: &["cis:5.3.2", "nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::network_policy_allows_all::check_open_rules(ctx, inventory, Direction::Egress);
}
