use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags bindings that grant anything to a namespace's `default` service account.
    ///
    /// ## Why is this bad?
    /// Every pod that names no service account runs as `default`, so its permissions go to all of them,
    /// including pods added later for unrelated purposes. A remote code execution in any of those pods
    /// hands the attacker the role.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: default-reads, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
    /// subjects:
    /// - {kind: ServiceAccount, name: default}
    /// ```
    ///
    /// ## Use instead
    /// Create a service account for the workload that needs the role:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: shop-api, namespace: shop}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: api-reads, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
    /// subjects:
    /// - {kind: ServiceAccount, name: shop-api}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.5: "Ensure that default service accounts are not actively used"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC019",
        name: "default-service-account-bound",
        title: "Permissions granted to a `default` service account",
        severity: Severity::Medium,
        frameworks: &["cis:5.1.5", "nsa:rbac", "owasp:K03"],
        aliases: &[("kubescape", "C-0189")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::DefaultServiceAccountBound;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
