use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may update `certificatesigningrequests/approval` or `approve` signers in
    /// `certificates.k8s.io`, cluster-wide.
    ///
    /// ## Why is this bad?
    /// Approving a CertificateSigningRequest for the `kubernetes.io/kube-apiserver-client` signer
    /// issues a client certificate for any identity the attacker writes into it, `system:masters`
    /// included. Certificates cannot be revoked by RBAC and stay valid until they expire.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: csr-approver}
    /// rules:
    /// - apiGroups: ["certificates.k8s.io"]
    ///   resources: [certificatesigningrequests/approval]
    ///   verbs: [update]
    /// - apiGroups: ["certificates.k8s.io"]
    ///   resources: [signers]
    ///   verbs: [approve]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: csr-approver}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr-approver}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Let only the controller that needs it approve, and read-only access for people:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: csr-approver}
    /// rules:
    /// - apiGroups: ["certificates.k8s.io"]
    ///   resources: [certificatesigningrequests]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: csr-approver}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr-approver}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.11: "Minimize access to the approval sub-resource of
    /// certificatesigningrequests objects"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC014",
        name: "csr-approval",
        title: "Subject can approve CertificateSigningRequests",
        severity: Severity::High,
        frameworks: &["cis:5.1.11", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0280"),
            ("checkov", "CKV_K8S_156"),
            ("kube-linter", "approve-signers-without-resource-names"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::CsrApproval;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
