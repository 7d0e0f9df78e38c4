use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags bindings whose subjects include the user `system:anonymous` or the group
    /// `system:unauthenticated`, except the discovery roles every cluster binds them to.
    ///
    /// ## Why is this bad?
    /// These subjects are anyone who can reach the API server, without credentials. Whatever the role
    /// allows, the whole network (often the whole internet) is allowed too.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: status-reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: public-status}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-reader}
    /// subjects:
    /// - {kind: Group, name: system:unauthenticated}
    /// ```
    ///
    /// ## Use instead
    /// Bind the role to authenticated identities:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: status-reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: public-status}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-reader}
    /// subjects:
    /// - {kind: Group, name: status-page}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 1.2.1: "Ensure that the --anonymous-auth argument is set to false"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC017",
        name: "anonymous-or-unauthenticated-grant",
        title: "Permissions granted to anonymous or unauthenticated requests",
        severity: Severity::Critical,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[("kubescape", "C-0262"), ("trivy", "KSV122")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::AnonymousGrant;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
