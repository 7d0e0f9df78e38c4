use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use super::resources;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags namespaces that run workloads but have no LimitRange among the scanned objects. The
    /// finding points at the Namespace object when it was scanned, otherwise at the namespace's
    /// first workload.
    ///
    /// ## Why is this bad?
    /// A LimitRange is the safety net for the containers nobody sized: it fills in default requests
    /// and limits at admission and rejects containers outside a min/max. Without it, every container
    /// that forgot its `resources` runs unbounded — the opening a cryptominer or a runaway process
    /// needs to exhaust a node. With a ResourceQuota but no LimitRange, such pods are simply
    /// rejected, which teams then "fix" by removing the quota.
    ///
    /// ## Example
    /// ```yaml
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
    /// kind: LimitRange
    /// metadata: {name: defaults, namespace: team-a}
    /// spec:
    ///   limits:
    ///   - type: Container
    ///     defaultRequest: {cpu: 100m, memory: 128Mi}
    ///     default: {cpu: 500m, memory: 512Mi}
    ///     max: {memory: 4Gi}
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
    /// No automatic fix: defaults that are too small get containers OOM-killed or throttled.
    ///
    /// ## Differences from other tools
    /// Trivy KSV039 is an optional check that judges each object on its own, not each namespace.
    ///
    /// ## References
    /// - Kubernetes documentation: "Limit Ranges"
    /// - NSA/CISA Kubernetes Hardening Guide: "Resource policies"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RES005",
        name: "namespace-without-limit-range",
        title: "Namespace runs workloads without a LimitRange",
        severity: Severity::Low,
        frameworks: &["nsa:resource-policies", "owasp:K01"],
        aliases: &[("trivy", "KSV039")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    resources::report_namespaces_without(ctx, inventory, "LimitRange");
}
