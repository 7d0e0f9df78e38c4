use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Service};

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::net::pods_by_namespace::pods_by_namespace;
use kubeward_netpol::external_exposure;

declare_rule! {
    /// ## What it does
    /// Flags Services that forward to a Kubernetes control-plane or node port (API server 6443,
    /// kubelet 10250 and read-only 10255, etcd 2379/2380, controller-manager 10257, scheduler 10259,
    /// kube-proxy 10256) when the Service leaves the cluster (LoadBalancer, NodePort, external IPs),
    /// has no selector (its endpoints are set by hand, typically to node addresses), or selects
    /// host-network pods (the port is then the node's). The built-in `default/kubernetes` Service is
    /// not flagged; nor are ordinary pods that happen to listen on such a port (metrics-server on
    /// 10250).
    ///
    /// ## Why is this bad?
    /// These ports run the cluster. An exposed kubelet lets anyone who reaches it list and exec into
    /// pods when authentication is weak; the read-only port leaks every pod spec with its
    /// environment; etcd holds every Secret; an API server behind a public load balancer is open to
    /// credential stuffing and every future CVE.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: kubelet-proxy, namespace: ops}
    /// spec:
    ///   type: NodePort
    ///   ports: [{port: 10250, targetPort: 10250}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: metrics, namespace: ops}
    /// spec:
    ///   selector: {app: exporter}
    ///   ports: [{port: 9100, targetPort: 9100}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: reach the API server through its own endpoint and the kubelet through the
    /// API server's proxy, with RBAC.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening" (control plane)
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET022",
        name: "service-exposes-control-plane-port",
        title: "Service forwards to a control-plane or kubelet port",
        severity: Severity::High,
        frameworks: &["nsa:control-plane", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

const PORTS: [(i64, &str); 8] = [
    (6443, "the Kubernetes API server"),
    (10250, "the kubelet API"),
    (10255, "the kubelet read-only API"),
    (2379, "etcd"),
    (2380, "etcd peer traffic"),
    (10257, "kube-controller-manager"),
    (10259, "kube-scheduler"),
    (10256, "kube-proxy health"),
];

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let pods = pods_by_namespace(ctx, inventory);
    for object in inventory.of_kind("Service") {
        let Some(service) = Service::of(object) else {
            continue;
        };
        let ns = object.effective_namespace();
        if ns == Some("default") && object.name() == "kubernetes" {
            continue;
        }
        let selector = service.selector();
        let why = if let Some(how) = external_exposure(&service) {
            format!("exposed through {how}")
        } else if let Some(selector) = &selector {
            let host_network = ns.is_some_and(|ns| {
                pods.get(ns)
                    .iter()
                    .any(|p| p.host_network && p.selected_by(selector))
            });
            if !host_network {
                continue;
            }
            "to host-network pods, so to the node's own port".to_string()
        } else {
            "with hand-set endpoints (no selector)".to_string()
        };
        for port in service.ports() {
            let target = port
                .target
                .as_deref()
                .and_then(|t| t.parse::<i64>().ok())
                .or(port.port);
            let hit = PORTS
                .iter()
                .find(|(p, _)| Some(*p) == target || Some(*p) == port.port);
            if let Some((number, what)) = hit {
                let message = format!(
                    "Service `{}` forwards port {} to {number} ({what}), {why}",
                    object.name(),
                    port.port.unwrap_or(*number)
                );
                let node = object.root.path(&["spec", "ports"]).unwrap_or(&object.root);
                ctx.report(object, node, message);
                break;
            }
        }
    }
}
