//! How a Service reaches outside the cluster, shared by the exposure rules.

use kubeward_model::Service;
use kubeward_source::Node;

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
pub(crate) fn is_internal_load_balancer(service: &Service<'_>) -> bool {
    INTERNAL_ANNOTATIONS.iter().any(|(key, values)| {
        service
            .0
            .annotation(key)
            .and_then(Node::scalar_text)
            .is_some_and(|v| values.contains(&v.as_str()))
    })
}

/// How a Service is reachable from outside the cluster, if it is: `LoadBalancer` (not internal),
/// `NodePort` or `externalIPs`. Public for the graph crate's exposed-to-internet edges.
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
