use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that hold the `escalate` verb on `roles` or `clusterroles`.
    ///
    /// ## Why is this bad?
    /// RBAC normally refuses to let anyone write a role granting more than they hold. `escalate`
    /// switches that check off: the holder edits a role bound to itself, adds `*` on `*`, and is
    /// cluster admin.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: role-editor}
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: [clusterroles]
    ///   verbs: [get, update, escalate]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: role-editor}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-editor}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Without `escalate`, the API server only accepts role changes within the editor's own
    /// permissions:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: role-editor}
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: [clusterroles]
    ///   verbs: [get, update]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: role-editor}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-editor}
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
        id: "RBAC009",
        name: "role-escalate-allowed",
        title: "Subject can escalate Roles or ClusterRoles",
        severity: Severity::Critical,
        frameworks: &["cis:5.1.8", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0191"),
            ("checkov", "CKV_K8S_158"),
            ("kube-linter", "escalate-verb-in-role"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::RoleEscalate;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
