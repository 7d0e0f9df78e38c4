use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Workload};
use kubeward_pss::{Level, Version, evaluate};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads reachable from outside the cluster that also break the Baseline Pod Security
    /// Standard. Reachable means: selected by a Service of type LoadBalancer (not an internal one),
    /// NodePort or with external IPs; behind an Ingress or a Gateway API route (`HTTPRoute`,
    /// `GRPCRoute`, `TLSRoute`) through a Service; or listening on the node through a `hostPort`, or
    /// `hostNetwork` with declared container ports. Breaking Baseline means a privileged container, host namespaces, host paths, added
    /// capabilities beyond the default set, unsafe sysctls, and the like. The host network and host
    /// ports themselves count as the exposure, not as the violation.
    ///
    /// NetworkPolicies are not taken into account: traffic from a load balancer or an ingress
    /// controller usually reaches the pod from a node or controller address, not from the client's.
    ///
    /// ## Why is this bad?
    /// This is the shortest attack path in a cluster: one remote code execution bug in an
    /// internet-facing application gives a shell in a container that already holds the node
    /// (privileged, host PID, the container runtime socket, the node's filesystem). Fix these first.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: "registry.example.com/web:1.0"
    ///         securityContext: {privileged: true}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: web}
    ///   ports: [{port: 443, targetPort: 8443}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: "registry.example.com/web:1.0"
    ///         securityContext: {privileged: false}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: web}
    ///   ports: [{port: 443, targetPort: 8443}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the POD rules that report each violation offer their own fixes.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening", "Pod security"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    /// - Kubernetes Pod Security Standards: Baseline
    pub(crate) static RULE = RuleMeta {
        id: "NET023",
        name: "exposed-workload-not-baseline",
        title: "Internet-exposed workload breaks the Baseline Pod Security Standard",
        severity: Severity::Critical,
        frameworks: &["nsa:network-separation", "nsa:pod-security", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

/// Baseline checks that are the exposure itself rather than a finding of the workload.
const EXPOSURE_CHECKS: [&str; 2] = ["hostNamespaces", "hostPorts"];

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let analysis = super::policy_analysis::analysis(ctx, inventory);
    for (i, e) in analysis.engine.endpoints().iter().enumerate() {
        let paths = analysis.engine.routed_from_outside(i);
        if paths.is_empty() {
            continue;
        }
        let Some(object) = analysis.endpoint_object(inventory, i) else {
            continue;
        };
        let Some(workload) = Workload::of(object) else {
            continue;
        };
        let violations: Vec<String> = evaluate(&workload, Level::Baseline, Version::Latest)
            .violations
            .into_iter()
            .filter(|v| !EXPOSURE_CHECKS.contains(&v.check))
            .map(|v| format!("{}: {}", v.reason, v.detail))
            .collect();
        if violations.is_empty() {
            continue;
        }
        let message = format!(
            "{} `{}` is reachable from outside the cluster through {} and breaks the Baseline Pod Security Standard: {}",
            e.kind,
            e.name,
            paths.join(", "),
            violations.join("; ")
        );
        let node = object.metadata().unwrap_or(&object.root);
        ctx.report(object, node, message);
    }
}
