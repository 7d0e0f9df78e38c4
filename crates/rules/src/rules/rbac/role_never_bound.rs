use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that no binding references, directly or through aggregation into a
    /// bound ClusterRole. Built-in roles (`cluster-admin`, `admin`, `edit`, `view`, `system:`) are left
    /// out.
    ///
    /// ## Why is this bad?
    /// An unbound role is dead configuration: it hides what is actually granted, and it is a ready-made
    /// target for a careless binding later. A powerful unused role is also an attacker's persistence:
    /// binding to an existing role draws less attention than creating one.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: legacy-reader, namespace: shop}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get]
    /// ```
    ///
    /// ## Use instead
    /// Delete it, or bind it:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: legacy-reader, namespace: shop}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: legacy-reader, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: legacy-reader}
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
        id: "RBAC022",
        name: "role-never-bound",
        title: "Role is not bound to anyone",
        severity: Severity::Info,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::UnusedRole;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
