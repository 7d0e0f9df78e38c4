use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use super::resources;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags init and regular containers that end up without a CPU limit: none on the container,
    /// none at the pod level, and no default from a LimitRange of the namespace among the scanned
    /// objects.
    ///
    /// ## Why is this bad?
    /// Without a CPU limit a container may use every idle core of the node. That is exactly what a
    /// cryptominer planted through an RCE does: it burns all spare CPU, your cloud bill pays for it,
    /// and latency-sensitive neighbours slow down. A limit caps the damage and makes the abuse
    /// visible as throttling. Limits have a cost — a throttled service is slower at peaks — which is
    /// why this rule is low severity, and why many teams set CPU requests everywhere but limits only
    /// where untrusted or batch code runs; suppress it with that reason where it applies.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata: {name: render, namespace: media}
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: render
    ///         image: registry.example.com/render:3.0.0
    ///         resources:
    ///           requests: {cpu: "1", memory: 1Gi}
    ///           limits: {memory: 1Gi}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata: {name: render, namespace: media}
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: render
    ///         image: registry.example.com/render:3.0.0
    ///         resources:
    ///           requests: {cpu: "1", memory: 1Gi}
    ///           limits: {cpu: "2", memory: 1Gi}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a tight limit throttles the workload.
    ///
    /// ## Differences from other tools
    /// Kubescape C-0050 and KubeLinter `unset-cpu-requirements` also want a CPU request (RES001
    /// here).
    ///
    /// ## References
    /// - Kubernetes documentation: "Resource Management for Pods and Containers"
    /// - NSA/CISA Kubernetes Hardening Guide: "Resource policies"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RES003",
        name: "cpu-limit-missing",
        title: "Container has no CPU limit",
        severity: Severity::Low,
        frameworks: &["nsa:resource-policies", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0050"),
            ("trivy", "KSV011"),
            ("checkov", "CKV_K8S_11"),
            ("polaris", "cpuLimitsMissing"),
            ("kube-linter", "unset-cpu-requirements"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    resources::report_missing_limits(ctx, inventory, "cpu", "CPU");
}
