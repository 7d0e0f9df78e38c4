use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags service-account subjects with no matching ServiceAccount among the scanned objects. Only
    /// reported when the scan contains at least one ServiceAccount, so that a folder of RBAC manifests
    /// alone does not flag every subject.
    ///
    /// ## Why is this bad?
    /// Whoever can create service accounts in that namespace creates one with that name and inherits
    /// the permissions. The binding also documents access nobody uses, which hides what is actually
    /// granted.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: shop-api, namespace: shop}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: reader, namespace: shop}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
    /// subjects:
    /// - {kind: ServiceAccount, name: shop-worker}
    /// ```
    ///
    /// ## Use instead
    /// Bind only service accounts that exist (or ship them with the binding):
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: shop-api, namespace: shop}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: reader, namespace: shop}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [configmaps]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
    /// subjects:
    /// - {kind: ServiceAccount, name: shop-api}
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
        id: "RBAC021",
        name: "missing-service-account-bound",
        title: "Binding grants permissions to a service account that does not exist",
        severity: Severity::Medium,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::DanglingServiceAccount;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
