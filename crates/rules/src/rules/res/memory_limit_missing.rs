use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use super::resources;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags init and regular containers that end up without a memory limit: none on the container,
    /// none at the pod level (`spec.resources`), and no default from a LimitRange of the namespace
    /// among the scanned objects (a LimitRange `default` or `max` for memory counts).
    ///
    /// ## Why is this bad?
    /// A container without a memory limit may take all of the node's memory. A memory leak, a
    /// decompression bomb sent by an attacker, or a miner's large working set then pushes the node
    /// into out-of-memory: the kernel kills processes of other pods, the kubelet evicts them, and
    /// system daemons can die too. One unbounded pod turns a bug into a node-wide outage — a cheap
    /// denial of service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: importer, namespace: etl}
    /// spec:
    ///   containers:
    ///   - name: importer
    ///     image: registry.example.com/importer:1.2.0
    ///     resources:
    ///       requests: {cpu: 500m, memory: 512Mi}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: importer, namespace: etl}
    /// spec:
    ///   containers:
    ///   - name: importer
    ///     image: registry.example.com/importer:1.2.0
    ///     resources:
    ///       requests: {cpu: 500m, memory: 512Mi}
    ///       limits: {memory: 1Gi}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a limit below the real peak gets the container OOM-killed.
    ///
    /// ## Differences from other tools
    /// Kubescape C-0004 and KubeLinter `unset-memory-requirements` also want a memory request
    /// (RES001 here).
    ///
    /// ## References
    /// - Kubernetes documentation: "Resource Management for Pods and Containers"
    /// - NSA/CISA Kubernetes Hardening Guide: "Resource policies"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RES002",
        name: "memory-limit-missing",
        title: "Container has no memory limit",
        severity: Severity::Medium,
        frameworks: &["nsa:resource-policies", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0004"),
            ("trivy", "KSV018"),
            ("checkov", "CKV_K8S_13"),
            ("polaris", "memoryLimitsMissing"),
            ("kube-linter", "unset-memory-requirements"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    resources::report_missing_limits(ctx, inventory, "memory", "memory");
}
