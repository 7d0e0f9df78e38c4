use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may `get` or `create` `nodes/proxy` cluster-wide.
    ///
    /// ## Why is this bad?
    /// `nodes/proxy` reaches the kubelet API of every node through the API server. The kubelet runs
    /// commands in any container on its node (`/exec`, `/run`), outside API-server admission and
    /// largely outside audit: the attacker collects the token of every pod and gets root through any
    /// privileged pod. `get` alone suffices over WebSocket.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: node-metrics}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [nodes/proxy]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: node-metrics}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-metrics}
    /// subjects:
    /// - {kind: ServiceAccount, name: metrics, namespace: monitoring}
    /// ```
    ///
    /// ## Use instead
    /// Scrape kubelet metrics through `nodes/metrics`, which runs nothing:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: node-metrics}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [nodes/metrics]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: node-metrics}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-metrics}
    /// subjects:
    /// - {kind: ServiceAccount, name: metrics, namespace: monitoring}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.10: "Minimize access to the proxy sub-resource of nodes"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC013",
        name: "nodes-proxy-allowed",
        title: "Subject can use the nodes/proxy subresource",
        severity: Severity::Critical,
        frameworks: &["cis:5.1.10", "nsa:rbac", "owasp:K03"],
        aliases: &[("kubescape", "C-0279"), ("trivy", "KSV047")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::NodesProxy;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
