use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicies whose `podSelector` matches no workload or pod of their namespace,
    /// when the scan has workloads in that namespace (a folder of policies alone is not judged).
    ///
    /// ## Why is this bad?
    /// The policy protects nothing: usually a label typo or a renamed app. The team believes the
    /// workload is isolated while every pod can reach it, which is worse than knowing it is open.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   selector: {matchLabels: {app: payments-api}}
    ///   template:
    ///     metadata: {labels: {app: payments-api}}
    ///     spec:
    ///       containers: [{name: api, image: "registry.example.com/api:2.1"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   selector: {matchLabels: {app: payments-api}}
    ///   template:
    ///     metadata: {labels: {app: payments-api}}
    ///     spec:
    ///       containers: [{name: api, image: "registry.example.com/api:2.1"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: payments-api}}
    ///   ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the intended pods are a guess.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET017",
        name: "network-policy-selects-no-pods",
        title: "NetworkPolicy selects no pods",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let analysis = super::policy_analysis::analysis(ctx, inventory);
    let engine = &analysis.engine;
    let namespaces = analysis.by_namespace();
    for (p, policy) in engine.policies().enumerate() {
        if !engine.selected_by(p).is_empty() {
            continue;
        }
        let Some(pods) = namespaces.get(policy.namespace.as_str()) else {
            continue;
        };
        let Some(object) = inventory.get("NetworkPolicy", Some(&policy.namespace), &policy.name)
        else {
            continue;
        };
        let node = object
            .root
            .path(&["spec", "podSelector"])
            .unwrap_or(&object.root);
        let message = format!(
            "NetworkPolicy `{}` selects no workload of namespace `{}` ({} in the scan)",
            policy.name,
            policy.namespace,
            pods.len()
        );
        ctx.report(object, node, message);
    }
}
