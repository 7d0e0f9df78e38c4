use serde::Deserialize;

use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports Services created or changed to type `NodePort` or `LoadBalancer`, with their ports. It
    /// reads `requestObject`.
    ///
    /// ## Why is this bad?
    /// These types open a port on every node or on a cloud load balancer, usually reachable from
    /// outside the cluster and past NetworkPolicies that only see pod traffic. An attacker uses one to
    /// expose a back door (a shell listener, a proxy into the cluster network) or an internal
    /// dashboard; a mistake does the same for a database.
    ///
    /// ## MITRE ATT&CK
    /// T1133 External Remote Services.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"n1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/services","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"services","namespace":"default","name":"debug","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Service","apiVersion":"v1","metadata":{"name":"debug"},"spec":{"type":"NodePort","selector":{"app":"debug"},"ports":[{"port":4444,"nodePort":31337}]}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Service": type NodePort and LoadBalancer
    /// - OWASP Kubernetes Top 10: K07 Missing Network Segmentation Controls
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD017",
        name: "exposed-service-created",
        title: "NodePort or LoadBalancer Service created",
        severity: Severity::Medium,
        mitre: Technique { id: "T1133", name: "External Remote Services" },
        frameworks: &["owasp:K07", "nsa:network-separation"],
    };
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    spec: Option<ServiceSpec>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceSpec {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    ports: Option<Vec<Port>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Port {
    #[serde(default)]
    port: Option<u32>,
    #[serde(default)]
    node_port: Option<u32>,
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "services"
        || !event.subresource().is_empty()
        || !event.is_write()
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let spec = event.request_object::<Service>()?.spec?;
    let kind = spec
        .kind
        .filter(|k| k == "NodePort" || k == "LoadBalancer")?;
    let ports: Vec<String> = spec
        .ports
        .unwrap_or_default()
        .iter()
        .map(|p| match (p.port, p.node_port) {
            (Some(port), Some(node)) => format!("{port} (node port {node})"),
            (Some(port), None) => port.to_string(),
            (None, Some(node)) => format!("node port {node}"),
            (None, None) => "?".to_owned(),
        })
        .collect();
    let ports = if ports.is_empty() {
        String::new()
    } else {
        format!(" exposing ports {}", ports.join(", "))
    };
    let did = format!(
        "{} {} as type `{kind}`{ports}",
        past(&event.verb),
        target(event)
    );
    Some(Finding::new(fact(event, &did)))
}
