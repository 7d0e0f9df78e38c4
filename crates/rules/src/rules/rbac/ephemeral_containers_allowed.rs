use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may `update` or `patch` `pods/ephemeralcontainers` (what `kubectl debug`
    /// uses).
    ///
    /// ## Why is this bad?
    /// An ephemeral container runs an image of the attacker's choice inside a running pod, with its
    /// volumes and its service-account token: exec without the exec permission, and with the attacker's
    /// own tools.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: debug}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods/ephemeralcontainers]
    ///   verbs: [patch]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: debug, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debug}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Keep debugging behind a break-glass role bound on demand; give everyday access read-only:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: debug}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: debug, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debug}
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
        id: "RBAC008",
        name: "ephemeral-containers-allowed",
        title: "Subject can add ephemeral containers to pods",
        severity: Severity::High,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::PodEphemeralContainers;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
