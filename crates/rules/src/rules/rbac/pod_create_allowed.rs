use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may create pods, or create or change a controller that creates them
    /// (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers).
    ///
    /// ## Why is this bad?
    /// Creating a pod is acting as any service account of its namespace: the attacker names the service
    /// account in the pod spec and reads its token from inside. Unless Pod Security Admission blocks
    /// it, the same pod can be privileged or mount the node's filesystem and take over the node, and
    /// from there every pod scheduled on it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: deployer}
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: [deployments]
    ///   verbs: [create, update]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: deployer, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Let a delivery pipeline with a reviewed service account deploy, and give people read access:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: viewer}
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: [deployments]
    ///   verbs: [get, list, watch]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: viewer, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: viewer}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## Differences from other tools
    /// Trivy KSV048 also counts `update`, `patch` and `delete` on workloads.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.4: "Minimize access to create pods"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC004",
        name: "pod-create-allowed",
        title: "Subject can create pods or pod-creating workloads",
        severity: Severity::Medium,
        frameworks: &["cis:5.1.4", "nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0188"),
            ("trivy", "KSV048"),
            ("kube-linter", "access-to-create-pods"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::PodCreate;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
