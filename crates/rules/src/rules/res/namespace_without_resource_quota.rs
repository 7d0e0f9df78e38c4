use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use super::resources;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags namespaces that run workloads but have no ResourceQuota among the scanned objects. The
    /// finding points at the Namespace object when it was scanned, otherwise at the namespace's
    /// first workload.
    ///
    /// ## Why is this bad?
    /// A quota is the namespace's budget. Without one, whoever can create pods there — a CI job, a
    /// compromised deployment pipeline, an attacker with a stolen token — can start as many pods,
    /// as large, as the cluster will schedule: thousands of miner replicas, or enough pods and
    /// PersistentVolumeClaims to starve every other team and trigger autoscaling bills. Quotas turn
    /// "can create pods" into "can create this much".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata: {name: team-a}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api, namespace: team-a}
    /// spec:
    ///   containers:
    ///   - {name: api, image: "registry.example.com/api:2.0.0"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata: {name: team-a}
    /// ---
    /// apiVersion: v1
    /// kind: ResourceQuota
    /// metadata: {name: budget, namespace: team-a}
    /// spec:
    ///   hard: {requests.cpu: "20", requests.memory: 40Gi, limits.memory: 60Gi, pods: "100"}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api, namespace: team-a}
    /// spec:
    ///   containers:
    ///   - {name: api, image: "registry.example.com/api:2.0.0"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the budget depends on the team and the cluster.
    ///
    /// ## Differences from other tools
    /// Trivy KSV040 is an optional check that judges each object on its own, not each namespace.
    ///
    /// ## References
    /// - Kubernetes documentation: "Resource Quotas"
    /// - NSA/CISA Kubernetes Hardening Guide: "Resource policies"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RES004",
        name: "namespace-without-resource-quota",
        title: "Namespace runs workloads without a ResourceQuota",
        severity: Severity::Low,
        frameworks: &["nsa:resource-policies", "owasp:K01"],
        aliases: &[("trivy", "KSV040")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    resources::report_namespaces_without(ctx, inventory, "ResourceQuota");
}
