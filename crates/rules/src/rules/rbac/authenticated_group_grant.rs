use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags bindings whose subjects include the group `system:authenticated` or
    /// `system:serviceaccounts`, except the discovery roles every cluster binds them to.
    ///
    /// ## Why is this bad?
    /// Every user and every pod's token belongs to these groups. One compromised workload anywhere in
    /// the cluster holds the permissions, and on some managed clusters any account of the cloud
    /// provider authenticates.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: config-reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: everyone-reads-config}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: config-reader}
    /// subjects:
    /// - {kind: Group, name: system:authenticated}
    /// ```
    ///
    /// ## Use instead
    /// Bind the role to the group that needs it:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: config-reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: everyone-reads-config}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: config-reader}
    /// subjects:
    /// - {kind: Group, name: platform-team}
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
        id: "RBAC018",
        name: "authenticated-group-grant",
        title: "Permissions granted to every authenticated user or service account",
        severity: Severity::High,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::AllAuthenticatedGrant;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
