use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags bound role rules with `*` in `verbs`, `resources`, `apiGroups` or `nonResourceURLs`, once
    /// per subject that receives them. A rule that is all wildcards cluster-wide is reported by
    /// `cluster-admin-bound` instead.
    ///
    /// ## Why is this bad?
    /// A `*` grants everything that exists now and everything added later, CRDs included, so the rule
    /// grows silently with every upgrade and operator install. Wildcards routinely cover Secrets,
    /// `pods/exec`, and the `escalate`, `bind` and `impersonate` verbs, each of which an attacker turns
    /// into more access.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: app-manager}
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["*"]
    ///   verbs: [get, list, update]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: app-manager, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: app-manager}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// List the resources and verbs:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: app-manager}
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: [deployments]
    ///   verbs: [get, list, update]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: app-manager, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: app-manager}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## Differences from other tools
    /// Trivy KSV044 is the all-wildcard rule, which is RBAC001's finding here when bound
    /// cluster-wide.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.3: "Minimize wildcard use in Roles and ClusterRoles"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC002",
        name: "wildcard-permissions",
        title: "Role rule uses `*` for verbs, resources or API groups",
        severity: Severity::High,
        frameworks: &["cis:5.1.3", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0187"),
            ("trivy", "KSV044"),
            ("trivy", "KSV045"),
            ("trivy", "KSV046"),
            ("checkov", "CKV_K8S_49"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::WildcardRule;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
