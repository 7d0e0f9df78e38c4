use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::{RiskKind, RiskyGrant};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags bindings whose `roleRef` names a Role or ClusterRole that is not among the scanned objects
    /// (the built-in `cluster-admin`, `admin`, `edit`, `view` and `system:` ClusterRoles count as
    /// present), and ClusterRoleBindings that reference a Role.
    ///
    /// ## Why is this bad?
    /// The binding grants nothing today. Whoever later creates a role with that name (someone with
    /// `create` on roles in the namespace, or a Helm chart installed later) decides what the binding's
    /// subjects get, and nobody reviews the binding again.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Delete the binding, or ship the role with it:
    /// ```yaml
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
        id: "RBAC020",
        name: "dangling-binding",
        title: "Binding references a role that does not exist",
        severity: Severity::Low,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::DanglingRoleRef;

/// Built-in ClusterRoles exist in every cluster even though manifests never ship them.
fn is_builtin(inventory: &Inventory, grant: &RiskyGrant) -> bool {
    let Some(binding) = grant.binding.as_ref() else {
        return false;
    };
    let role_ref =
        super::findings::object_at(inventory, binding.origin).and_then(|o| o.root.get("roleRef"));
    let text = |key: &str| {
        role_ref
            .and_then(|r| r.get(key))
            .and_then(Node::scalar_text)
    };
    text("kind").as_deref() == Some("ClusterRole")
        && text("name").is_some_and(|name| name.starts_with("system:"))
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants_where(ctx, inventory, KIND, |inventory, grant| {
        !is_builtin(inventory, grant)
    });
}
