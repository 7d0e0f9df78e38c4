//! Services, routes and the network: exposed-to-internet, routes-to, selects, can-reach.

use kubeward_model::{Ingress, Inventory, Object, Service};
use kubeward_source::Node;
use petgraph::graph::NodeIndex;

use kubeward_netpol::Direction;

use super::pods::Pods;
use super::{Builder, ObjectKey, evidence};
use crate::model::{EdgeKind, Evidence, NodeKind};
use crate::reach::Reachability;

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
/// reaches every Service. With one, a workload reaches a Service when the NetworkPolicies let it
/// connect to any of the Service's pods.
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
                    text: "pod network assumed flat (NetworkPolicies not evaluated)".into(),
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
    if let Some(reach) = b.reachability {
        can_reach_policies(b, reach, pods, services);
    }
}

/// can-reach under the NetworkPolicies, without asking about every workload × Service pair.
///
/// A workload whose egress lets every pod through reaches the "pod network" hub, and the hub
/// reaches every Service with a pod whose ingress lets every pod through: each path through the
/// hub is an allowed connection. The other pairs are direct edges, found from the restricted
/// side's candidate peers (a few per policy rule) and checked with the engine's bit tests:
/// Services whose pods all restrict ingress, from the open-egress workloads their rules admit;
/// and workloads that restrict egress, to the pods their rules admit.
fn can_reach_policies(
    b: &mut Builder<'_>,
    reach: &Reachability,
    pods: &Pods<'_>,
    services: &[(&Object, NodeIndex, Vec<usize>)],
) {
    let n = reach.engine().endpoints().len();
    let endpoint: Vec<Option<usize>> = pods
        .all
        .iter()
        .map(|p| reach.endpoint_of(p.object))
        .collect();
    let mut pods_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in endpoint.iter().enumerate() {
        if let Some(e) = *e {
            pods_of[e].push(i);
        }
    }
    let mut services_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (si, (_, _, selected)) in services.iter().enumerate() {
        for e in selected.iter().filter_map(|&i| endpoint[i]) {
            if services_of[e].last() != Some(&si) {
                services_of[e].push(si);
            }
        }
    }
    let used = |e: &usize| !pods_of[*e].is_empty() || !services_of[*e].is_empty();
    let mut egress_open: Vec<Option<String>> = vec![None; n];
    let mut ingress_open: Vec<Option<String>> = vec![None; n];
    for e in (0..n).filter(used) {
        egress_open[e] = reach.open(e, Direction::Egress);
        ingress_open[e] = reach.open(e, Direction::Ingress);
    }
    hub(b, pods, services, &endpoint, &egress_open, &ingress_open);
    let direct = |b: &mut Builder<'_>, from: usize, to: usize, service_list: &[usize]| {
        let ev = reach.explain(from, to);
        for &p in &pods_of[from] {
            for &si in service_list {
                b.edge(
                    pods.all[p].node,
                    services[si].1,
                    EdgeKind::CanReach,
                    ev.clone(),
                );
            }
        }
    };
    // Services whose every pod restricts ingress: the open-egress workloads its rules admit.
    for (si, (_, _, selected)) in services.iter().enumerate() {
        let targets: Vec<usize> = selected.iter().filter_map(|&i| endpoint[i]).collect();
        if targets.iter().any(|&d| ingress_open[d].is_some()) {
            continue;
        }
        for &d in &targets {
            for w in reach.candidates(d, Direction::Ingress) {
                if w != d
                    && !pods_of[w].is_empty()
                    && egress_open[w].is_some()
                    && reach.allows(w, d)
                {
                    direct(b, w, d, &[si]);
                }
            }
        }
    }
    // Workloads that restrict egress: the selected pods their rules admit.
    for e in (0..n).filter(|&e| !pods_of[e].is_empty() && egress_open[e].is_none()) {
        for d in reach.candidates(e, Direction::Egress) {
            if d != e && !services_of[d].is_empty() && reach.allows(e, d) {
                direct(b, e, d, &services_of[d]);
            }
        }
    }
}

/// Open egress → the pod network hub → Services with an open-ingress pod.
fn hub(
    b: &mut Builder<'_>,
    pods: &Pods<'_>,
    services: &[(&Object, NodeIndex, Vec<usize>)],
    endpoint: &[Option<usize>],
    egress_open: &[Option<String>],
    ingress_open: &[Option<String>],
) {
    let into: Vec<(NodeIndex, Evidence)> = pods
        .all
        .iter()
        .zip(endpoint)
        .filter_map(|(p, e)| {
            let text = egress_open[(*e)?].clone()?;
            Some((p.node, evidence(text, &key_of(p.object), None)))
        })
        .collect();
    let out: Vec<(NodeIndex, Evidence)> = services
        .iter()
        .filter_map(|(object, s, selected)| {
            let text = selected
                .iter()
                .find_map(|&i| ingress_open[endpoint[i]?].clone())?;
            Some((*s, evidence(text, &key_of(object), None)))
        })
        .collect();
    if into.is_empty() || out.is_empty() {
        return;
    }
    let net = b.node(NodeKind::PodNetwork);
    for (from, ev) in into {
        b.edge(from, net, EdgeKind::CanReach, ev);
    }
    for (to, ev) in out {
        b.edge(net, to, EdgeKind::CanReach, ev);
    }
}
