use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Service};

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::net::pods_by_namespace::pods_by_namespace;

declare_rule! {
    /// ## What it does
    /// Flags Services whose `selector` matches no workload or pod of their namespace, when the scan
    /// has workloads in that namespace. Services without a selector (manually managed endpoints,
    /// `ExternalName`) are not judged.
    ///
    /// ## Why is this bad?
    /// A dangling Service keeps its DNS name and, for LoadBalancer and NodePort types, its public
    /// address. Anyone who can create a pod with matching labels in the namespace receives the
    /// traffic meant for the missing app (credentials, webhooks, user sessions), and an exposed
    /// dangling address is an invitation to take it over.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers: [{name: api, image: "registry.example.com/api:2.1"}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   selector: {app: payments-api}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers: [{name: api, image: "registry.example.com/api:2.1"}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   selector: {app: api}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: delete the Service or correct its selector.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET020",
        name: "service-selects-no-pods",
        title: "Service selects no pods",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[("kube-linter", "dangling-service")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let pods = pods_by_namespace(ctx, inventory);
    for object in inventory.of_kind("Service") {
        let (Some(service), Some(ns)) = (Service::of(object), object.effective_namespace()) else {
            continue;
        };
        let Some(selector) = service.selector() else {
            continue;
        };
        let pods = pods.get(ns);
        // A namespace without workloads in the input: nothing to judge the selector against.
        if pods.iter().all(|p| p.template_only) {
            continue;
        }
        if pods
            .iter()
            .any(|p| !p.template_only && p.selected_by(&selector))
        {
            continue;
        }
        let node = object
            .root
            .path(&["spec", "selector"])
            .unwrap_or(&object.root);
        let message = format!(
            "Service `{}` selects no workload or pod of namespace `{ns}`",
            object.name()
        );
        ctx.report(object, node, message);
    }
}
