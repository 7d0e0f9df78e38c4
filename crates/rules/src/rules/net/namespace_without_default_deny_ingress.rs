use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_netpol::Direction;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags namespaces that run pods but have no default-deny ingress NetworkPolicy: a policy with
    /// `podSelector: {}` of type `Ingress` and no rule that allows every source on every port.
    /// Namespaces whose pods are all selected by a Cilium or Calico policy are not flagged (those
    /// rules are not evaluated). Namespaces without any policy are also NET001's.
    ///
    /// ## Why is this bad?
    /// Allow-lists on individual workloads protect only the pods they select today. A pod added
    /// tomorrow, or one whose labels change, accepts connections from every pod in the cluster; an
    /// attacker in any compromised pod scans for exactly such forgotten services (debug endpoints,
    /// databases without authentication, metrics with secrets).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: db, namespace: payments, labels: {app: db}}
    /// spec:
    ///   containers: [{name: db, image: "registry.example.com/postgres:16.4"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api-egress, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: db, namespace: payments, labels: {app: db}}
    /// spec:
    ///   containers: [{name: db, image: "registry.example.com/postgres:16.4"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny-ingress, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a default deny without the allow rules the application needs cuts its
    /// traffic. `kubeward netpol generate` writes both.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening" (default deny)
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET010",
        name: "namespace-without-default-deny-ingress",
        title: "Namespace has no default-deny ingress NetworkPolicy",
        severity: Severity::Medium,
        frameworks: &["cis:5.3.2", "nsa:network-separation", "owasp:K07"],
        aliases: &[("kubescape", "C-0260"), ("kube-linter", "non-isolated-pod")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::policy_analysis::check_default_deny(ctx, inventory, Direction::Ingress);
}
