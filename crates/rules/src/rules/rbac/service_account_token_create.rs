use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may `create` `serviceaccounts/token` (the TokenRequest API).
    ///
    /// ## Why is this bad?
    /// A token request returns a fresh, valid token for any service account the rule covers: the holder
    /// then acts as that service account, with all its permissions, without touching a pod or leaving a
    /// Secret behind.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: token-minter}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [serviceaccounts/token]
    ///   verbs: [create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: token-minter, namespace: kube-system}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: token-minter}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Let pods get their tokens through projected volumes; people need no token-minting right:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: token-minter}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [serviceaccounts]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: token-minter, namespace: kube-system}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: token-minter}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.13: "Minimize access to the service account token creation"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC012",
        name: "service-account-token-create",
        title: "Subject can mint service-account tokens",
        severity: Severity::High,
        frameworks: &["cis:5.1.13", "nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::ServiceAccountTokenCreate;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
