use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may `get`, `list` or `watch` Secrets in every namespace (a
    /// ClusterRoleBinding), or in a namespace where cluster credentials live (`kube-system`,
    /// `kube-public`, `kube-node-lease`, `cert-manager`, `argocd`, `flux-system`, `istio-system`,
    /// `vault`). Rules limited by `resourceNames` are not flagged here.
    ///
    /// ## Why is this bad?
    /// Reading Secrets hands over what they hold: service-account tokens, registry credentials, TLS
    /// keys, database and cloud passwords. `list` and `watch` return the values too, not just the
    /// names. In `kube-system` and similar namespaces these credentials belong to highly privileged
    /// controllers, so reading them is usually one step from cluster admin.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: secret-reader}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [secrets]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: read-all-secrets}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Grant access to the named Secrets the application needs, in its own namespace:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: db-credentials, namespace: shop}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [secrets]
    ///   verbs: [get]
    ///   resourceNames: [db-credentials]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: db-credentials, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: db-credentials}
    /// subjects:
    /// - {kind: ServiceAccount, name: shop, namespace: shop}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## Differences from other tools
    /// Trivy KSV041 judges ClusterRoles rather than bindings and also counts write verbs, and
    /// Checkov CKV2_K8S_5 looks only at service-account and node subjects.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.2: "Minimize access to secrets"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC003",
        name: "secrets-readable",
        title: "Subject can read Secrets cluster-wide or in a sensitive namespace",
        severity: Severity::High,
        frameworks: &["cis:5.1.2", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0015"),
            ("kubescape", "C-0186"),
            ("trivy", "KSV041"),
            ("checkov", "CKV2_K8S_5"),
            ("kube-linter", "access-to-secrets"),
            ("kube-linter", "cluster-wide-secrets-access"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::SecretsRead;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
