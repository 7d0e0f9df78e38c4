use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may `create` or `get` `pods/portforward`.
    ///
    /// ## Why is this bad?
    /// Port-forward tunnels from the attacker's machine into any port of a pod, bypassing Services,
    /// Ingress, authentication proxies and NetworkPolicy. Admin consoles, databases and debug endpoints
    /// that were only reachable inside the pod become reachable from a laptop.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: forwarder}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods/portforward]
    ///   verbs: [create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: forwarder, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: forwarder}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Expose what people need through a Service with authentication:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: forwarder}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [services]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: forwarder, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: forwarder}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC007",
        name: "pod-port-forward-allowed",
        title: "Subject can port-forward into pods",
        severity: Severity::Medium,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[("kubescape", "C-0063")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::PodPortForward;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
