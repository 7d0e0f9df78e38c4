use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::capability_set;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers whose `capabilities.add` contains `ALL` (any case, with or without the
    /// `CAP_` prefix). A `drop` list does not undo it for the capabilities it does not name.
    ///
    /// ## Why is this bad?
    /// `add: [ALL]` gives the process every Linux capability — everything a privileged container has
    /// short of device access and the lifted confinement, and often written by someone who wanted
    /// "privileged" without a scanner noticing. An intruder gets `SYS_ADMIN`, `SYS_MODULE`,
    /// `SYS_PTRACE`, `DAC_READ_SEARCH` and `NET_ADMIN` at once: enough to load kernel modules, read
    /// other processes' memory, reconfigure the node's network and break out through the cgroup or
    /// mount escapes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata: {name: migrate}
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: migrate
    ///         image: registry.example.com/migrate:5.0.0
    ///         securityContext:
    ///           capabilities: {add: [ALL]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata: {name: migrate}
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: migrate
    ///         image: registry.example.com/migrate:5.0.0
    ///         securityContext:
    ///           capabilities: {drop: [ALL], add: [CHOWN]}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which capabilities the process really uses needs a human (or a trace).
    ///
    /// ## Differences from other tools
    /// No other tool has a check for `ALL` alone: Polaris `dangerousCapabilities` also fails
    /// `SYS_ADMIN` and `NET_ADMIN`.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Capabilities"
    /// - CIS Kubernetes Benchmark 5.2.9
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    pub(crate) static RULE = RuleMeta {
        id: "POD012",
        name: "all-capabilities-added",
        title: "Container adds every capability (`ALL`)",
        severity: Severity::Critical,
        frameworks: &["cis:5.2.9", "nsa:pod-security", "pss:baseline", "owasp:K01"],
        aliases: &[("polaris", "dangerousCapabilities")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        if let Some(node) = capability_set::added(&container, "ALL") {
            let message = format!("{} adds every capability (`ALL`)", container.describe());
            ctx.report(workload.object, node, message);
        }
    }
}
