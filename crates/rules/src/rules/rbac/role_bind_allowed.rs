use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that hold the `bind` verb on `roles` or `clusterroles`.
    ///
    /// ## Why is this bad?
    /// RBAC normally refuses a binding to a role with more permissions than its creator holds. `bind`
    /// switches that check off: together with `create` on bindings, the holder binds `cluster-admin` to
    /// itself.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: binder}
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: [clusterroles]
    ///   verbs: [bind]
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: [clusterrolebindings]
    ///   verbs: [create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: binder}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Limit `bind` to the named roles the subject may hand out:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: binder}
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: [clusterrolebindings]
    ///   verbs: [create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: binder}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.8: "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC010",
        name: "role-bind-allowed",
        title: "Subject can bind Roles or ClusterRoles it does not hold",
        severity: Severity::Critical,
        frameworks: &["cis:5.1.8", "nsa:rbac", "owasp:K03"],
        aliases: &[("kubescape", "C-0191"), ("kube-linter", "bind-verb-in-role")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::RoleBind;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
