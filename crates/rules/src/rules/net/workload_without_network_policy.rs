use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_netpol::Direction;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads that no NetworkPolicy selects (for ingress nor egress) in a namespace that
    /// does have NetworkPolicies (a namespace with none is NET001's finding). Workloads selected by a
    /// Cilium or Calico policy, and host-network pods (which NetworkPolicy does not govern), are not
    /// flagged.
    ///
    /// ## Why is this bad?
    /// The namespace looks segmented, yet this workload accepts connections from every pod in the
    /// cluster and may connect anywhere. It is usually a workload added after the policies were
    /// written, or one whose labels no longer match: the gap an attacker moving laterally finds first.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: reports, namespace: payments}
    /// spec:
    ///   selector: {matchLabels: {app: reports}}
    ///   template:
    ///     metadata: {labels: {app: reports}}
    ///     spec:
    ///       containers: [{name: reports, image: "registry.example.com/reports:1.2"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: reports, namespace: payments}
    /// spec:
    ///   selector: {matchLabels: {app: reports}}
    ///   template:
    ///     metadata: {labels: {app: reports}}
    ///     spec:
    ///       containers: [{name: reports, image: "registry.example.com/reports:1.2"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which traffic the workload needs is not in its manifest.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET012",
        name: "workload-without-network-policy",
        title: "Workload is selected by no NetworkPolicy",
        severity: Severity::Low,
        frameworks: &["cis:5.3.2", "nsa:network-separation", "owasp:K07"],
        aliases: &[("kube-linter", "non-isolated-pod"), ("kubescape", "C-0260")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let analysis = super::policy_analysis::analysis(ctx, inventory);
    let engine = &analysis.engine;
    for (i, e) in engine.endpoints().iter().enumerate() {
        if e.host_network || analysis.cni_covered(i) {
            continue;
        }
        if !engine.policies().any(|p| p.namespace == e.namespace) {
            continue;
        }
        if engine.is_isolated(i, Direction::Ingress) || engine.is_isolated(i, Direction::Egress) {
            continue;
        }
        let Some(object) = analysis.endpoint_object(inventory, i) else {
            continue;
        };
        let message = format!(
            "{} `{}` is selected by no NetworkPolicy: its ingress and egress are not restricted",
            e.kind, e.name
        );
        let node = object.metadata().unwrap_or(&object.root);
        ctx.report(object, node, message);
    }
}
