use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may create, update, patch or delete mutating or validating webhook
    /// configurations, or validating or mutating admission policies and their bindings, cluster-wide.
    ///
    /// ## Why is this bad?
    /// Admission webhooks see, and mutating ones rewrite, every object sent to the API server. The
    /// attacker registers a webhook that injects a container into every new pod or copies every Secret
    /// written, or deletes the policies that enforce the cluster's security.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: webhook-admin}
    /// rules:
    /// - apiGroups: ["admissionregistration.k8s.io"]
    ///   resources: [mutatingwebhookconfigurations]
    ///   verbs: [create, patch]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: webhook-admin}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: webhook-admin}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Let people read the configurations; let only the operator that owns a webhook update it, by
    /// name:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: webhook-admin}
    /// rules:
    /// - apiGroups: ["admissionregistration.k8s.io"]
    ///   resources: [mutatingwebhookconfigurations]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: webhook-admin}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: webhook-admin}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.12: "Minimize access to webhook configuration objects"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC015",
        name: "admission-webhook-write",
        title: "Subject can change admission webhooks or policies",
        severity: Severity::High,
        frameworks: &["cis:5.1.12", "nsa:rbac", "owasp:K03"],
        aliases: &[("kubescape", "C-0281"), ("trivy", "KSV114"), ("checkov", "CKV_K8S_155")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::WebhookConfigWrite;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
