use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_rbac::RiskKind;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags subjects that may `create` (or, over WebSocket before Kubernetes 1.35, `get`) `pods/exec`.
    ///
    /// ## Why is this bad?
    /// Exec runs arbitrary commands inside running containers. The attacker reads the pod's mounted
    /// service-account token, its Secrets and its data, and in a privileged pod gets root on the node.
    /// Exec also bypasses every admission control on pod specs: the pod was admitted long ago.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: debugger}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods, pods/exec]
    ///   verbs: [get, create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: debugger, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debugger}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Use instead
    /// Grant read access and logs; use ephemeral debug sessions through a break-glass process:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata: {name: debugger}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods, pods/log]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: debugger, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debugger}
    /// subjects:
    /// - {kind: User, name: alice}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing a permission breaks whatever relies on it, so the change needs
    /// someone who knows the workload. Remove the subject from the binding, or narrow the role's rule.
    ///
    /// ## Differences from other tools
    /// Trivy KSV053 fires on `create`, `update`, `patch`, `delete` or `*` of `pods/exec` but not on
    /// `get`, and the Polaris checks cover `exec` and `attach` together.
    ///
    /// ## References
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC005",
        name: "pod-exec-allowed",
        title: "Subject can exec into pods",
        severity: Severity::High,
        frameworks: &["nsa:rbac", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0002"),
            ("trivy", "KSV053"),
            ("polaris", "clusterrolePodExecAttach"),
            ("polaris", "rolePodExecAttach"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KIND: RiskKind = RiskKind::PodExec;

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::findings::report_grants(ctx, inventory, KIND);
}
