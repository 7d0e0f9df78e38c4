//! Services, routes and the network: exposed-to-internet, routes-to, selects, can-reach.

use kubeward_model::{Ingress, Inventory, Object, Service};
use kubeward_source::Node;
use petgraph::graph::NodeIndex;

use super::pods::Pods;
use super::{Builder, ObjectKey, evidence};
use crate::model::{EdgeKind, Evidence, NodeKind};

/// Gateway API route kinds; each names Service backends in `spec.rules[].backendRefs`.
const ROUTE_KINDS: [&str; 4] = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"];

pub(crate) fn add(b: &mut Builder<'_>, inventory: &Inventory, pods: &Pods<'_>) {
    let internet = b.node(NodeKind::Internet);
    let mut services: Vec<(&Object, NodeIndex, Vec<usize>)> = Vec::new();
    for service in inventory.of_kind("Service").filter_map(Service::of) {
        let (s, selected) = service_node(b, &service, pods, internet);
        services.push((service.0, s, selected));
    }
    for ingress in inventory.of_kind("Ingress").filter_map(Ingress::of) {
        let key = key_of(ingress.0);
        let route = b.node(NodeKind::Route {
            kind: "Ingress".into(),
            namespace: key.1.clone().unwrap_or_default(),
            name: key.2.clone(),
        });
        let rule = b.finding(&key, &["NET007", "NET006"]);
        let hosts: Vec<String> = ingress
            .backends()
            .into_iter()
            .filter_map(|be| be.host)
            .collect();
        let text = if hosts.is_empty() {
            "Ingress serves every host name through the cluster's ingress controller".to_owned()
        } else {
            format!(
                "Ingress serves {} through the ingress controller",
                hosts.join(", ")
            )
        };
        b.edge(
            internet,
            route,
            EdgeKind::ExposedToInternet,
            evidence(text, &key, rule),
        );
        for backend in ingress.backends() {
            let port = backend.port.as_deref().unwrap_or("(default)");
            route_to(
                b,
                route,
                &key,
                &backend.service,
                &format!("backend Service `{}` port {port}", backend.service),
            );
        }
    }
    for kind in ROUTE_KINDS {
        for route_obj in inventory.of_kind(kind) {
            gateway_route(b, route_obj, internet);
        }
    }
    can_reach(b, pods, &services);
}

fn key_of(o: &Object) -> ObjectKey {
    (
        o.kind().to_owned(),
        Some(o.effective_namespace().unwrap_or("default").to_owned()),
        o.name().to_owned(),
    )
}

/// The Service node, its exposure and the workloads it selects (indexes into `pods.all`).
fn service_node(
    b: &mut Builder<'_>,
    service: &Service<'_>,
    pods: &Pods<'_>,
    internet: NodeIndex,
) -> (NodeIndex, Vec<usize>) {
    let key = key_of(service.0);
    let namespace = key.1.clone().unwrap_or_default();
    let s = b.node(NodeKind::Service {
        namespace: namespace.clone(),
        name: key.2.clone(),
    });
    if let Some(how) = kubeward_netpol::external_exposure(service) {
        let rule = b.finding(&key, &["NET005", "NET004", "NET002", "NET003"]);
        let ports: Vec<String> = service
            .ports()
            .iter()
            .filter_map(|p| p.port.or(p.node_port).map(|n| n.to_string()))
            .collect();
        b.edge(
            internet,
            s,
            EdgeKind::ExposedToInternet,
            evidence(
                format!(
                    "`type: {}`: reachable through {how} (ports {})",
                    service.service_type(),
                    ports.join(", ")
                ),
                &key,
                rule,
            ),
        );
    }
    let mut selected = Vec::new();
    if let Some(selector) = service.selector() {
        let text = service
            .0
            .root
            .path(&["spec", "selector"])
            .into_iter()
            .flat_map(Node::entries)
            .map(|e| format!("{}={}", e.key, e.value.scalar_text().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(",");
        for &i in pods
            .by_namespace
            .get(&namespace)
            .map_or(&[][..], Vec::as_slice)
        {
            let pod = &pods.all[i];
            if selector.matches(pod.labels.iter().map(|(k, v)| (*k, v.as_str()))) {
                selected.push(i);
                b.edge(
                    s,
                    pod.node,
                    EdgeKind::Selects,
                    evidence(
                        format!("selector {text} matches the pod labels"),
                        &key,
                        None,
                    ),
                );
            }
        }
    }
    (s, selected)
}

fn route_to(b: &mut Builder<'_>, route: NodeIndex, key: &ObjectKey, service: &str, text: &str) {
    let target = NodeKind::Service {
        namespace: key.1.clone().unwrap_or_default(),
        name: service.to_owned(),
    };
    // A backend naming a Service that is not in the input leads nowhere we can follow.
    if let Some(s) = b.existing(&target) {
        b.edge(
            route,
            s,
            EdgeKind::RoutesTo,
            evidence(text.to_owned(), key, None),
        );
    }
}

/// A Gateway API route: exposed through its parent Gateway (assumed internet-facing; Gateway
/// addresses are not in manifests), routing to its Service backends.
fn gateway_route(b: &mut Builder<'_>, route_obj: &Object, internet: NodeIndex) {
    let key = key_of(route_obj);
    let route = b.node(NodeKind::Route {
        kind: key.0.clone(),
        namespace: key.1.clone().unwrap_or_default(),
        name: key.2.clone(),
    });
    let parents: Vec<String> = route_obj
        .root
        .path(&["spec", "parentRefs"])
        .into_iter()
        .flat_map(Node::items)
        .filter_map(|p| p.get("name").and_then(Node::scalar_text))
        .collect();
    if !parents.is_empty() {
        b.edge(
            internet,
            route,
            EdgeKind::ExposedToInternet,
            evidence(
                format!(
                    "attached to Gateway {} (assumed internet-facing)",
                    parents.join(", ")
                ),
                &key,
                None,
            ),
        );
    }
    for rule in route_obj
        .root
        .path(&["spec", "rules"])
        .into_iter()
        .flat_map(Node::items)
    {
        for backend in rule.get("backendRefs").into_iter().flat_map(Node::items) {
            let is_service = backend
                .get("kind")
                .and_then(Node::as_str)
                .is_none_or(|k| k == "Service");
            let same_ns = backend.get("namespace").is_none();
            if let (true, true, Some(name)) = (
                is_service,
                same_ns,
                backend.get("name").and_then(Node::scalar_text),
            ) {
                let port = backend
                    .get("port")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| "(default)".into());
                route_to(
                    b,
                    route,
                    &key,
                    &name,
                    &format!("backendRef Service `{name}` port {port}"),
                );
            }
        }
    }
}

/// can-reach: without a reachability source every workload reaches the flat pod network, which
/// reaches every Service. With one, a workload reaches a Service when it may reach any of the
/// Service's pods.
fn can_reach(b: &mut Builder<'_>, pods: &Pods<'_>, services: &[(&Object, NodeIndex, Vec<usize>)]) {
    if b.graph.flat_network {
        if pods.all.is_empty() || services.is_empty() {
            return;
        }
        let net = b.node(NodeKind::PodNetwork);
        for pod in &pods.all {
            b.edge(
                pod.node,
                net,
                EdgeKind::CanReach,
                Evidence {
                    text: "pod network assumed flat (no NetworkPolicy engine yet)".into(),
                    object: Some(super::object_label(&key_of(pod.object))),
                    rule: None,
                },
            );
        }
        for (object, s, _) in services {
            b.edge(
                net,
                *s,
                EdgeKind::CanReach,
                Evidence {
                    text: "every pod may connect to every Service (flat network assumed)".into(),
                    object: Some(super::object_label(&key_of(object))),
                    rule: None,
                },
            );
        }
        return;
    }
    // Only reached with a reachability source; the builder checked `flat_network` from it.
    let Some(reach) = b.reachability else {
        return;
    };
    for pod in &pods.all {
        for (_, s, selected) in services {
            let why = selected
                .iter()
                .filter(|&&i| pods.all[i].node != pod.node)
                .find_map(|&i| reach.can_reach(pod.object, pods.all[i].object));
            if let Some(why) = why {
                b.edge(
                    pod.node,
                    *s,
                    EdgeKind::CanReach,
                    evidence(why, &key_of(pod.object), None),
                );
            }
        }
    }
}
