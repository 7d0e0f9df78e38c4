//! How traffic from outside the cluster reaches pods: Services of type LoadBalancer (unless their cloud
//! makes them internal), NodePort or with external IPs; Ingresses and Gateway API routes through
//! Services; host ports and host-network pods. Shared by `netpol exposure` and the NET rules.

use std::collections::HashMap;

use kubeward_model::{Ingress, Inventory, LabelSelector, Service, Workload, labels_of};
use kubeward_source::Node;

use crate::generate::{ROUTE_KINDS, route_backends};

/// Annotations cloud controllers read to make a LoadBalancer internal (a private address in the
/// VPC rather than a public one), with the values that mean "internal".
const INTERNAL_ANNOTATIONS: [(&str, &[&str]); 7] = [
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        &["true", "0.0.0.0/0"],
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        &["internal"],
    ),
    (
        "networking.gke.io/load-balancer-type",
        &["Internal", "internal"],
    ),
    (
        "cloud.google.com/load-balancer-type",
        &["Internal", "internal"],
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        &["true"],
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        &["true"],
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        &["private"],
    ),
];

/// Whether a LoadBalancer Service asks its cloud for an internal load balancer.
pub fn is_internal_load_balancer(service: &Service<'_>) -> bool {
    INTERNAL_ANNOTATIONS.iter().any(|(key, values)| {
        service
            .0
            .annotation(key)
            .and_then(Node::scalar_text)
            .is_some_and(|v| values.contains(&v.as_str()))
    })
}

/// How a Service is reachable from outside the cluster, if it is: `LoadBalancer`, `NodePort` or
/// `externalIPs`.
pub fn external_exposure(service: &Service<'_>) -> Option<&'static str> {
    match service.service_type() {
        "LoadBalancer" if !is_internal_load_balancer(service) => {
            return Some("a public load balancer");
        }
        "NodePort" => return Some("a port on every node"),
        _ => {}
    }
    service
        .0
        .root
        .path(&["spec", "externalIPs"])
        .and_then(Node::as_seq)
        .filter(|ips| !ips.is_empty())
        .map(|_| "external IPs")
}

/// Exposure facts of an inventory indexed by namespace, built once so that each workload's paths cost
/// only the Services of its own namespace.
pub struct OutsideIndex<'a> {
    services: HashMap<&'a str, Vec<ServiceEntry<'a>>>,
}

struct ServiceEntry<'a> {
    service: Service<'a>,
    selector: LabelSelector,
    /// `Ingress `x`` and `HTTPRoute `y`` that route to it.
    routed_by: Vec<String>,
}

impl<'a> OutsideIndex<'a> {
    pub fn new(inventory: &'a Inventory) -> Self {
        let mut routed_by: HashMap<(String, String), Vec<String>> = HashMap::new();
        for object in inventory.of_kind("Ingress") {
            let (Some(ingress), Some(ns)) = (Ingress::of(object), object.effective_namespace())
            else {
                continue;
            };
            for b in ingress.backends() {
                routed_by
                    .entry((ns.to_string(), b.service))
                    .or_default()
                    .push(format!("Ingress `{}`", object.name()));
            }
        }
        for object in ROUTE_KINDS.iter().flat_map(|k| inventory.of_kind(k)) {
            for b in route_backends(object) {
                routed_by
                    .entry((b.namespace, b.name))
                    .or_default()
                    .push(format!("{} `{}`", object.kind(), object.name()));
            }
        }
        let mut services: HashMap<&str, Vec<ServiceEntry<'_>>> = HashMap::new();
        for object in inventory.of_kind("Service") {
            let (Some(service), Some(ns)) = (Service::of(object), object.effective_namespace())
            else {
                continue;
            };
            let Some(selector) = service.selector() else {
                continue;
            };
            let routed = routed_by
                .remove(&(ns.to_string(), object.name().to_string()))
                .unwrap_or_default();
            services.entry(ns).or_default().push(ServiceEntry {
                service,
                selector,
                routed_by: routed,
            });
        }
        Self { services }
    }

    /// Every way outside traffic reaches a workload's pods, described (`Service `web` (a public
    /// load balancer)`, `Ingress `shop``, `HTTPRoute `files``, `a host port`, `the host network`). A
    /// host-network pod counts only when it declares container ports: it is reachable where it
    /// listens.
    pub fn paths(&self, workload: &Workload<'_>) -> Vec<String> {
        let ns = workload.object.effective_namespace().unwrap_or("default");
        let labels = labels_of(workload.pod_labels());
        let pairs = || labels.iter().map(|(k, v)| (*k, v.as_str()));
        let mut paths = Vec::new();
        let mut routes = Vec::new();
        for entry in self.services.get(ns).into_iter().flatten() {
            if !entry.selector.matches(pairs()) {
                continue;
            }
            if let Some(how) = external_exposure(&entry.service) {
                paths.push(format!("Service `{}` ({how})", entry.service.0.name()));
            }
            routes.extend(entry.routed_by.iter().cloned());
        }
        paths.extend(routes);
        let declared_ports: Vec<&Node> = workload
            .all_containers()
            .flat_map(|c| c.node.get("ports").into_iter().flat_map(Node::items))
            .collect();
        if workload.pod_field("hostNetwork").and_then(Node::as_bool) == Some(true) {
            if !declared_ports.is_empty() {
                paths.push("the host network".to_string());
            }
        } else if declared_ports.iter().any(|p| {
            p.get("hostPort")
                .and_then(Node::as_i64)
                .is_some_and(|h| h > 0)
        }) {
            paths.push("a host port".to_string());
        }
        // The same Service may be read twice (a chart rendered next to its own manifests).
        let mut seen = std::collections::HashSet::new();
        paths.retain(|p| seen.insert(p.clone()));
        paths
    }
}
