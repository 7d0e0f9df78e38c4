use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags every subject (user, group or service account, outside the built-in `system:` identities)
    /// bound cluster-wide to `cluster-admin` or to any ClusterRole whose rules, after aggregation,
    /// allow every verb on every resource in every API group.
    ///
    /// ## Why is this bad?
    /// Whoever holds this credential owns the cluster: they read every Secret, run privileged pods on
    /// any node, change the audit and admission configuration, and create more bindings to keep their
    /// access after this one is removed. A leaked CI token or a compromised operator pod bound this way
    /// is a full cluster compromise in one step.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: ci-admin}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
    /// subjects:
    /// - {kind: ServiceAccount, name: deployer, namespace: ci}
    /// ```
    ///
    /// ## Use instead
    /// Bind a role limited to what the subject does, in the namespaces it works in:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: ci-deploy, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
    /// subjects:
    /// - {kind: ServiceAccount, name: deployer, namespace: ci}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## Differences from other tools
    /// Trivy KSV044 judges the all-wildcard role itself, not who is bound to it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.1: "Ensure that the cluster-admin role is only used where
    /// required"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC001",
        name: "cluster-admin-bound",
        title: "Subject holds cluster-admin power",
        severity: Severity::Critical,
        frameworks: &["cis:5.1.1", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0035"),
            ("kubescape", "C-0185"),
            ("trivy", "KSV044"),
            ("polaris", "clusterrolebindingClusterAdmin"),
            ("polaris", "rolebindingClusterAdminClusterRole"),
            ("kube-linter", "cluster-admin-role-binding"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::ClusterAdminEquivalent;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
