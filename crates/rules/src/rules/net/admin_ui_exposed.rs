use kubeward_diagnostics::Severity;
use kubeward_model::{Ingress, Inventory, Object, Service, Workload, labels_of};

use super::admin_ui;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Services and Ingresses that make an administrative web UI (see NET008 for the list)
    /// reachable from outside the cluster: a Service selecting the UI's pods that is a public
    /// `LoadBalancer`, a `NodePort` or has `externalIPs`, or an Ingress in the same namespace routing
    /// to a Service that selects them. Services are matched to pods by label selector, as Kubernetes
    /// does, so a renamed Service is still found.
    ///
    /// ## Why is this bad?
    /// An exposed admin UI is an internet-facing remote-control panel. Attackers scan for them by
    /// fingerprint (Dashboard, Grafana, Jupyter, Argo CD, Kibana login pages), try default
    /// credentials and known authentication bypasses, and then act with the UI's own
    /// service-account token — the 2018 Tesla cryptojacking began with a Kubernetes Dashboard open
    /// to the internet. One unauthenticated page becomes a cluster compromise.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: grafana, namespace: monitoring}
    /// spec:
    ///   selector: {matchLabels: {app: grafana}}
    ///   template:
    ///     metadata: {labels: {app: grafana}}
    ///     spec:
    ///       containers:
    ///       - {name: grafana, image: "grafana/grafana:11.3.0"}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: grafana, namespace: monitoring}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: grafana}
    ///   ports: [{port: 80, targetPort: 3000}]
    /// ```
    ///
    /// ## Use instead
    /// Keep the UI behind `kubectl port-forward`, a VPN, or an authenticating proxy:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: grafana, namespace: monitoring}
    /// spec:
    ///   selector: {matchLabels: {app: grafana}}
    ///   template:
    ///     metadata: {labels: {app: grafana}}
    ///     spec:
    ///       containers:
    ///       - {name: grafana, image: "grafana/grafana:11.3.0"}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: grafana, namespace: monitoring}
    /// spec:
    ///   selector: {app: grafana}
    ///   ports: [{port: 80, targetPort: 3000}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: its users need another way in first.
    ///
    /// ## Differences from other tools
    /// Kubescape C-0021 looks only at NodePort and LoadBalancer Services, with its own list of UIs,
    /// and only in cluster scans.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K06: Broken Authentication; K07: Missing Network Segmentation
    pub(crate) static RULE = RuleMeta {
        id: "NET009",
        name: "admin-ui-exposed",
        title: "Administrative web UI is reachable from outside the cluster",
        severity: Severity::High,
        frameworks: &["nsa:network-separation", "owasp:K06", "owasp:K07"],
        aliases: &[("kubescape", "C-0021")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    for workload in inventory.workloads() {
        // In a cluster, a Deployment's ReplicaSets and Pods match the same Services: report once,
        // through the top-level owner.
        if has_controller(workload.object) {
            continue;
        }
        let Some((_, ui)) = admin_ui::of_workload(&workload) else {
            continue;
        };
        check_workload(ctx, inventory, &workload, ui);
    }
}

fn has_controller(pod: &Object) -> bool {
    pod.metadata()
        .and_then(|m| m.get("ownerReferences"))
        .and_then(|o| o.as_seq())
        .is_some_and(|o| !o.is_empty())
}

fn check_workload(ctx: &mut Context<'_>, inventory: &Inventory, workload: &Workload<'_>, ui: &str) {
    let namespace = workload.object.effective_namespace();
    let labels = labels_of(workload.pod_labels());
    let selecting: Vec<Service<'_>> = inventory
        .of_kind("Service")
        .filter(|s| s.effective_namespace() == namespace)
        .filter_map(Service::of)
        .filter(|s| {
            s.selector()
                .is_some_and(|sel| sel.matches(labels.iter().map(|(k, v)| (*k, v.as_str()))))
        })
        .collect();
    let name = workload.object.name();
    for service in &selecting {
        if let Some(how) = kubeward_netpol::external_exposure(service) {
            let node = service.0.spec().unwrap_or(&service.0.root);
            let message = format!(
                "Service `{}` exposes {ui} ({} `{name}`) through {how}",
                service.0.name(),
                workload.object.kind()
            );
            ctx.report(service.0, node, message);
        }
    }
    for object in inventory
        .of_kind("Ingress")
        .filter(|i| i.effective_namespace() == namespace)
    {
        let Some(ingress) = Ingress::of(object) else {
            continue;
        };
        let routed = ingress
            .backends()
            .into_iter()
            .find(|b| selecting.iter().any(|s| s.0.name() == b.service));
        if let Some(backend) = routed {
            let node = object.spec().unwrap_or(&object.root);
            let host = backend
                .host
                .map(|h| format!(" at `{h}`"))
                .unwrap_or_default();
            let message = format!(
                "Ingress `{}` routes to {ui} ({} `{name}`) through Service `{}`{host}",
                object.name(),
                workload.object.kind(),
                backend.service
            );
            ctx.report(object, node, message);
        }
    }
}
