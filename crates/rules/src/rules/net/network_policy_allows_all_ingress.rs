use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_netpol::Direction;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicy ingress rules without `from` and without `ports` (or with both empty):
    /// such a rule allows every source, in every namespace and on the internet, on every port, to
    /// the pods the policy selects.
    ///
    /// ## Why is this bad?
    /// The policy looks like segmentation but isolates nothing; worse, because policies add up, it
    /// silently cancels a namespace's default deny for the pods it selects. An attacker in any pod
    /// of the cluster reaches them as if no policy existed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: allow-all, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api-from-web, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress:
    ///   - from: [{podSelector: {matchLabels: {app: web}}}]
    ///     ports: [{port: 8080}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: name the sources and ports the pods need.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET013",
        name: "network-policy-allows-all-ingress",
        title: "NetworkPolicy rule allows all ingress",
        severity: Severity::Medium,
        frameworks: &["cis:5.3.2", "nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::network_policy_allows_all::check_open_rules(ctx, inventory, Direction::Ingress);
}
