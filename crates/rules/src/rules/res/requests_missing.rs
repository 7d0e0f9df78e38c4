use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use super::resources::{self, RESOURCES};
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags init and regular containers that end up without a CPU or memory request. A request
    /// counts when the container sets it, when it sets only a limit (Kubernetes then copies the limit
    /// into the request), when the pod spec sets pod-level `resources`, or when a LimitRange of the
    /// namespace among the scanned objects fills in a default. Ephemeral containers cannot have
    /// resources and are never flagged.
    ///
    /// ## Why is this bad?
    /// Without requests the scheduler places pods as if they cost nothing, so nodes get
    /// overcommitted, and such pods (`BestEffort`) are the first evicted under pressure. An attacker —
    /// or a cryptominer dropped into one of these pods — competes for CPU with everything on the node
    /// with nothing reserved for the real workloads, and a noisy neighbour becomes a denial of
    /// service. Requests are also what quotas and autoscalers count.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   containers:
    ///   - {name: api, image: "registry.example.com/api:2.0.0"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.0
    ///     resources:
    ///       requests: {cpu: 250m, memory: 256Mi}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the right values come from the workload's measured usage.
    ///
    /// ## References
    /// - Kubernetes documentation: "Resource Management for Pods and Containers", "Limit Ranges"
    /// - NSA/CISA Kubernetes Hardening Guide: "Resource policies"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RES001",
        name: "resource-requests-missing",
        title: "Container has no CPU or memory request",
        severity: Severity::Low,
        frameworks: &["nsa:resource-policies", "owasp:K01"],
        aliases: &[
            ("trivy", "KSV015"),
            ("trivy", "KSV016"),
            ("checkov", "CKV_K8S_10"),
            ("checkov", "CKV_K8S_12"),
            ("polaris", "cpuRequestsMissing"),
            ("polaris", "memoryRequestsMissing"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let defaults = resources::namespace_defaults(inventory);
    for workload in inventory.workloads() {
        let ns_defaults = workload
            .object
            .effective_namespace()
            .and_then(|ns| defaults.get(ns));
        for container in resources::containers(&workload) {
            let missing: Vec<&str> = RESOURCES
                .into_iter()
                .filter(|r| !resources::has_request(&workload, &container, ns_defaults, r))
                .map(|r| if r == "cpu" { "CPU" } else { r })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let message = format!(
                "{} has no {} request",
                container.describe(),
                missing.join(" or ")
            );
            ctx.report(workload.object, resources::anchor(&container), message);
        }
    }
}
