use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that hold the `impersonate` verb on `users`, `groups` or `serviceaccounts`.
    ///
    /// ## Why is this bad?
    /// Impersonation sends requests as someone else (`kubectl --as`, `--as-group`): the holder gets
    /// every permission of whoever it impersonates, including a cluster-admin user or the
    /// `system:masters` group, which bypasses authorization entirely.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: impersonator}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [users, groups]
    ///   verbs: [impersonate]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: impersonator}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Let people request elevated access through a reviewed process instead of impersonation:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: impersonator}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [users]
    ///   verbs: [get]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: impersonator}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## Differences from other tools
    /// Trivy KSV043 looks only at impersonation of groups.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.8: "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC011",
        name: "impersonation-allowed",
        title: "Subject can impersonate users, groups or service accounts",
        severity: Severity::Critical,
        frameworks: &["cis:5.1.8", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0065"),
            ("kubescape", "C-0191"),
            ("trivy", "KSV043"),
            ("checkov", "CKV2_K8S_3"),
            ("kube-linter", "impersonate-without-resource-names"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::Impersonate;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
