//! Zero-trust policy generation: per namespace, a default deny plus allow rules for the flows the
//! manifests declare, then checked by the engine itself ([`verify`]).
//!
//! Declared flows:
//! - a workload that names a Service (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`,
//!   with or without `:port`) in a container's env values, command or args, or in a ConfigMap it
//!   reads (envFrom, configMapKeyRef, volumes) connects to the Service's pods on its target ports;
//! - a workload behind a LoadBalancer or NodePort Service, external IPs, an Ingress or a Gateway API
//!   route (`HTTPRoute`, `GRPCRoute`, `TLSRoute`) is reachable from every source on those ports: the
//!   generator cannot know where the ingress controller runs, so narrow `from` by hand;
//! - every pod may resolve names through kube-dns (`kube-system`, `k8s-app: kube-dns`, port 53);
//! - flows the user adds (`netpol.flows` in `.kubeward.yaml`).

use std::collections::{BTreeMap, BTreeSet};

use kubeward_model::{Ingress, Inventory, LabelSelector, Object, Service, Workload};
use kubeward_source::Node;
use serde_json::{Map, Value, json};

use crate::endpoint::Endpoint;
use crate::engine::{Engine, NAMESPACE_NAME_LABEL, Target};
use crate::port::{PortQuery, Protocol};

/// A destination port as a NetworkPolicy port entry: a number or a container port name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlowPort {
    pub port: String,
    pub protocol: String,
}

/// A connection the manifests declare: endpoint `from` opens connections to `to` through a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: usize,
    pub to: usize,
    pub ports: BTreeSet<FlowPort>,
    pub service: String,
}

/// An endpoint reachable from outside the cluster, on these ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposed {
    pub endpoint: usize,
    pub ports: BTreeSet<FlowPort>,
    pub via: BTreeSet<String>,
}

/// What [`generate`] found and wrote.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub namespaces: Vec<String>,
    pub flows: Vec<Flow>,
    pub exposed: Vec<Exposed>,
    /// NetworkPolicy objects, as JSON values ([`to_yaml`] renders them).
    pub policies: Vec<Value>,
    /// Endpoints left without allow policies (no labels to select them by), with the reason.
    pub skipped: Vec<String>,
}

struct ServiceInfo<'a> {
    object: &'a Object,
    selector: LabelSelector,
    ports: BTreeSet<FlowPort>,
}

/// Policies for every namespace with workloads (or only `namespace`), for the declared flows plus
/// `extra` (flows from configuration; endpoint indices as in [`Engine::build`] over `inventory`,
/// empty `ports` meaning every port).
pub fn generate(inventory: &Inventory, namespace: Option<&str>, extra: &[Flow]) -> Generated {
    let objects: Vec<&Object> = inventory
        .objects()
        .iter()
        .filter(|o| Endpoint::of(o).is_some())
        .collect();
    let endpoints: Vec<Endpoint> = objects.iter().filter_map(|o| Endpoint::of(o)).collect();
    let services = services(inventory);
    let selected = |svc: &ServiceInfo<'_>| -> Vec<usize> {
        let ns = svc.object.effective_namespace().unwrap_or("default");
        (0..endpoints.len())
            .filter(|&i| {
                let e = &endpoints[i];
                e.namespace == ns && !e.host_network && svc.selector.matches(e.label_pairs())
            })
            .collect()
    };

    let mut flows: BTreeMap<(usize, usize), Flow> = BTreeMap::new();
    for (i, object) in objects.iter().enumerate() {
        let e = &endpoints[i];
        if e.host_network {
            continue;
        }
        for (ns, name) in referenced_services(inventory, object, &e.namespace) {
            let Some(svc) = services.get(&(ns, name.clone())) else {
                continue;
            };
            for to in selected(svc) {
                if to == i {
                    continue;
                }
                let flow = flows.entry((i, to)).or_insert_with(|| Flow {
                    from: i,
                    to,
                    ports: BTreeSet::new(),
                    service: name.clone(),
                });
                flow.ports.extend(svc.ports.iter().cloned());
            }
        }
    }

    for f in extra {
        if f.from >= endpoints.len() || f.to >= endpoints.len() {
            continue;
        }
        match flows.get_mut(&(f.from, f.to)) {
            // An empty port set is every port, and stays so.
            Some(existing) if f.ports.is_empty() || existing.ports.is_empty() => {
                existing.ports.clear();
            }
            Some(existing) => existing.ports.extend(f.ports.iter().cloned()),
            None => {
                flows.insert((f.from, f.to), f.clone());
            }
        }
    }

    let mut exposed: BTreeMap<usize, Exposed> = BTreeMap::new();
    for ((ns, name), how) in exposed_services(inventory) {
        let Some(svc) = services.get(&(ns, name)) else {
            continue;
        };
        for e in selected(svc) {
            let x = exposed.entry(e).or_insert_with(|| Exposed {
                endpoint: e,
                ports: BTreeSet::new(),
                via: BTreeSet::new(),
            });
            x.ports.extend(svc.ports.iter().cloned());
            x.via.insert(how.clone());
        }
    }

    let namespaces: Vec<String> = endpoints
        .iter()
        .map(|e| e.namespace.clone())
        .filter(|ns| namespace.is_none_or(|n| n == ns))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let flows: Vec<Flow> = flows.into_values().collect();
    let exposed: Vec<Exposed> = exposed.into_values().collect();
    let mut generated = Generated {
        namespaces,
        flows,
        exposed,
        ..Generated::default()
    };
    render(&endpoints, &services, &mut generated);
    generated
}

fn services(inventory: &Inventory) -> BTreeMap<(String, String), ServiceInfo<'_>> {
    inventory
        .of_kind("Service")
        .filter_map(|object| {
            let svc = Service::of(object)?;
            let selector = svc.selector()?;
            let ports = svc
                .ports()
                .into_iter()
                .filter_map(|p| {
                    let port = p.target.or_else(|| p.port.map(|n| n.to_string()))?;
                    Some(FlowPort {
                        port,
                        protocol: p.protocol.to_ascii_uppercase(),
                    })
                })
                .collect();
            let key = (
                object
                    .effective_namespace()
                    .unwrap_or("default")
                    .to_string(),
                object.name().to_string(),
            );
            Some((
                key,
                ServiceInfo {
                    object,
                    selector,
                    ports,
                },
            ))
        })
        .collect()
}

/// Services reachable from outside the cluster, with how.
fn exposed_services(inventory: &Inventory) -> BTreeSet<((String, String), String)> {
    let mut out = BTreeSet::new();
    for object in inventory.of_kind("Service") {
        let Some(svc) = Service::of(object) else {
            continue;
        };
        let ns = object
            .effective_namespace()
            .unwrap_or("default")
            .to_string();
        let external_ips = object
            .root
            .path(&["spec", "externalIPs"])
            .and_then(Node::as_seq)
            .is_some_and(|s| !s.is_empty());
        let how = match svc.service_type() {
            "LoadBalancer" | "NodePort" => Some(svc.service_type().to_string()),
            _ if external_ips => Some("externalIPs".to_string()),
            _ => None,
        };
        if let Some(how) = how {
            out.insert(((ns, object.name().to_string()), how));
        }
    }
    for object in inventory.of_kind("Ingress") {
        let (Some(ingress), Some(ns)) = (Ingress::of(object), object.effective_namespace()) else {
            continue;
        };
        for b in ingress.backends() {
            let how = format!("Ingress {}", object.name());
            out.insert(((ns.to_string(), b.service), how));
        }
    }
    for kind in ROUTE_KINDS {
        for object in inventory.of_kind(kind) {
            for b in route_backends(object) {
                out.insert(((b.namespace, b.name), format!("{kind} {}", object.name())));
            }
        }
    }
    out
}

/// Gateway API route kinds whose `backendRefs` name Services.
pub const ROUTE_KINDS: [&str; 3] = ["HTTPRoute", "GRPCRoute", "TLSRoute"];

/// A Service a Gateway API route sends traffic to.
#[derive(Debug, Clone)]
pub struct RouteBackend<'a> {
    pub namespace: String,
    pub name: String,
    pub node: &'a Node,
}

/// The Service `backendRefs` of a route (kind `Service` in the core group, the defaults); the
/// namespace defaults to the route's.
pub fn route_backends(route: &Object) -> Vec<RouteBackend<'_>> {
    let route_ns = route.effective_namespace().unwrap_or("default");
    route
        .root
        .path(&["spec", "rules"])
        .into_iter()
        .flat_map(Node::items)
        .flat_map(|r| r.get("backendRefs").into_iter().flat_map(Node::items))
        .filter(|r| {
            r.get("kind").and_then(Node::as_str).unwrap_or("Service") == "Service"
                && r.get("group")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .is_empty()
        })
        .filter_map(|node| {
            Some(RouteBackend {
                name: node.get("name").and_then(Node::scalar_text)?,
                namespace: node
                    .get("namespace")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| route_ns.to_string()),
                node,
            })
        })
        .collect()
}

/// `(namespace, service)` names a workload mentions.
fn referenced_services(
    inventory: &Inventory,
    object: &Object,
    namespace: &str,
) -> BTreeSet<(String, String)> {
    let Some(workload) = Workload::of(object) else {
        return BTreeSet::new();
    };
    let mut texts: Vec<String> = Vec::new();
    let mut config_maps: BTreeSet<String> = BTreeSet::new();
    for c in workload.all_containers() {
        for field in ["command", "args"] {
            texts.extend(
                c.node
                    .get(field)
                    .into_iter()
                    .flat_map(Node::items)
                    .filter_map(Node::scalar_text),
            );
        }
        for env in c.node.get("env").into_iter().flat_map(Node::items) {
            texts.extend(env.get("value").and_then(Node::scalar_text));
            if let Some(name) = env
                .path(&["valueFrom", "configMapKeyRef", "name"])
                .and_then(Node::scalar_text)
            {
                config_maps.insert(name);
            }
        }
        for from in c.node.get("envFrom").into_iter().flat_map(Node::items) {
            config_maps.extend(
                from.path(&["configMapRef", "name"])
                    .and_then(Node::scalar_text),
            );
        }
    }
    for volume in workload
        .pod_spec
        .get("volumes")
        .into_iter()
        .flat_map(Node::items)
    {
        config_maps.extend(
            volume
                .path(&["configMap", "name"])
                .and_then(Node::scalar_text),
        );
        for source in volume
            .path(&["projected", "sources"])
            .into_iter()
            .flat_map(Node::items)
        {
            config_maps.extend(
                source
                    .path(&["configMap", "name"])
                    .and_then(Node::scalar_text),
            );
        }
    }
    for name in &config_maps {
        if let Some(cm) = inventory.get("ConfigMap", Some(namespace), name) {
            texts.extend(
                cm.root
                    .get("data")
                    .into_iter()
                    .flat_map(Node::entries)
                    .filter_map(|e| e.value.scalar_text()),
            );
        }
    }
    let mut out = BTreeSet::new();
    for text in &texts {
        for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
            let token = token.trim_matches('.').to_ascii_lowercase();
            let parts: Vec<&str> = token.split('.').collect();
            let name = match parts.as_slice() {
                [svc] => Some((namespace.to_string(), svc.to_string())),
                [svc, ns] | [svc, ns, "svc"] | [svc, ns, "svc", "cluster", "local"] => {
                    Some((ns.to_string(), svc.to_string()))
                }
                _ => None,
            };
            out.extend(name.filter(|(_, s)| !s.is_empty()));
        }
    }
    out
}

fn port_entries(ports: &BTreeSet<FlowPort>) -> Value {
    ports
        .iter()
        .map(|p| {
            let port = p
                .port
                .parse::<u16>()
                .map_or_else(|_| json!(p.port), |n| json!(n));
            json!({"port": port, "protocol": p.protocol})
        })
        .collect()
}

fn labels_value(labels: &[(String, String)]) -> Value {
    Value::Object(
        labels
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect::<Map<String, Value>>(),
    )
}

/// A peer for `endpoint`, seen from a policy in `namespace`.
fn peer(endpoint: &Endpoint, labels: Value, namespace: &str) -> Value {
    let mut p = json!({"podSelector": {"matchLabels": labels}});
    if endpoint.namespace != namespace
        && let Some(map) = p.as_object_mut()
    {
        map.insert(
            "namespaceSelector".into(),
            json!({"matchLabels": {NAMESPACE_NAME_LABEL: endpoint.namespace}}),
        );
    }
    p
}

fn policy(name: &str, namespace: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/managed-by": "kubeward"},
        },
        "spec": spec,
    })
}

fn render(
    endpoints: &[Endpoint],
    services: &BTreeMap<(String, String), ServiceInfo<'_>>,
    generated: &mut Generated,
) {
    let mut policies = Vec::new();
    for ns in &generated.namespaces {
        policies.push(policy(
            "kubeward-default-deny",
            ns,
            json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
        ));
        policies.push(policy(
            "kubeward-allow-dns",
            ns,
            json!({
                "podSelector": {},
                "policyTypes": ["Egress"],
                "egress": [{
                    "to": [{
                        "namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                    }],
                    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
                }],
            }),
        ));
        for (i, e) in endpoints.iter().enumerate() {
            if e.namespace != *ns || e.host_network {
                continue;
            }
            let base = format!("kubeward-{}-{}", e.kind.to_ascii_lowercase(), e.name);
            let inbound: Vec<&Flow> = generated.flows.iter().filter(|f| f.to == i).collect();
            let outbound: Vec<&Flow> = generated.flows.iter().filter(|f| f.from == i).collect();
            let exposure = generated.exposed.iter().find(|x| x.endpoint == i);
            if inbound.is_empty() && outbound.is_empty() && exposure.is_none() {
                continue;
            }
            if e.labels.is_empty() {
                generated.skipped.push(format!(
                    "{}/{}: no pod labels to select it by; it stays denied",
                    e.namespace, e.name
                ));
                continue;
            }
            if !inbound.is_empty() || exposure.is_some() {
                let mut rules: Vec<Value> = inbound
                    .iter()
                    .map(|f| {
                        let client = &endpoints[f.from];
                        json!({
                            "from": [peer(client, labels_value(&client.labels), ns)],
                            "ports": port_entries(&f.ports),
                        })
                    })
                    .collect();
                if let Some(x) = exposure {
                    rules.push(json!({"ports": port_entries(&x.ports)}));
                }
                policies.push(policy(
                    &format!("{base}-ingress"),
                    ns,
                    json!({
                        "podSelector": {"matchLabels": labels_value(&e.labels)},
                        "policyTypes": ["Ingress"],
                        "ingress": rules,
                    }),
                ));
            }
            if !outbound.is_empty() {
                let rules: Vec<Value> = outbound
                    .iter()
                    .map(|f| {
                        let server = &endpoints[f.to];
                        let key = (server.namespace.clone(), f.service.clone());
                        // The Service's own selector names the server pods as the app does.
                        let labels = services.get(&key).map_or_else(
                            || labels_value(&server.labels),
                            |s| selector_labels(&s.selector),
                        );
                        json!({"to": [peer(server, labels, ns)], "ports": port_entries(&f.ports)})
                    })
                    .collect();
                policies.push(policy(
                    &format!("{base}-egress"),
                    ns,
                    json!({
                        "podSelector": {"matchLabels": labels_value(&e.labels)},
                        "policyTypes": ["Egress"],
                        "egress": rules,
                    }),
                ));
            }
        }
    }
    generated.policies = policies;
}

fn selector_labels(selector: &LabelSelector) -> Value {
    let pairs: Vec<(String, String)> = selector
        .requirements
        .iter()
        .filter_map(|r| match r {
            kubeward_model::Requirement::Equals(k, v) => Some((k.clone(), v.clone())),
            _ => None,
        })
        .collect();
    labels_value(&pairs)
}

/// What checking generated policies with the engine found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    pub flows_checked: usize,
    pub pairs_denied: usize,
    /// Every declared flow the policies block, and every other pair they allow.
    pub problems: Vec<String>,
}

/// Checks policies against the flows they were generated from, with an engine built over the
/// original objects plus the generated policies: every declared flow stays allowed on each of its
/// ports, every exposed port stays reachable from the internet, and every other pair of endpoints
/// in the generated namespaces is denied.
pub fn verify(engine: &Engine, generated: &Generated) -> Verification {
    let mut v = Verification::default();
    let endpoints = engine.endpoints();
    let port_queries = |to: usize, ports: &BTreeSet<FlowPort>| -> Vec<PortQuery> {
        ports
            .iter()
            .flat_map(|p| {
                let protocol = p.protocol.parse().unwrap_or(Protocol::Tcp);
                match p.port.parse::<u16>() {
                    Ok(port) => vec![PortQuery { port, protocol }],
                    // A named target port is checked on the numbers it resolves to on the pod.
                    Err(_) => endpoints[to]
                        .ports
                        .iter()
                        .filter(|c| {
                            c.name.as_deref() == Some(p.port.as_str()) && c.protocol == protocol
                        })
                        .map(|c| PortQuery {
                            port: c.number,
                            protocol,
                        })
                        .collect(),
                }
            })
            .collect()
    };
    let mut declared = BTreeSet::new();
    for f in &generated.flows {
        declared.insert((f.from, f.to));
        if f.ports.is_empty() {
            v.flows_checked += 1;
            if !engine.allows(f.from, f.to, None) {
                v.problems.push(format!(
                    "declared flow {} -> {} is blocked",
                    engine.endpoint_name(f.from),
                    engine.endpoint_name(f.to)
                ));
            }
        }
        for q in port_queries(f.to, &f.ports) {
            v.flows_checked += 1;
            let verdict = engine.verdict(Target::Endpoint(f.from), Target::Endpoint(f.to), Some(q));
            if !verdict.allowed {
                v.problems.push(format!(
                    "declared flow {} -> {} on {q} is blocked",
                    engine.endpoint_name(f.from),
                    engine.endpoint_name(f.to)
                ));
            }
        }
    }
    let internet = crate::Cidr::parse("0.0.0.0/0");
    for x in &generated.exposed {
        for q in port_queries(x.endpoint, &x.ports) {
            let Some(internet) = internet else { break };
            v.flows_checked += 1;
            if !engine
                .verdict(
                    Target::Cidr(internet),
                    Target::Endpoint(x.endpoint),
                    Some(q),
                )
                .allowed
            {
                v.problems.push(format!(
                    "exposed {} on {q} is not reachable from outside",
                    engine.endpoint_name(x.endpoint)
                ));
            }
        }
    }
    let scope: Vec<usize> = (0..endpoints.len())
        .filter(|&i| {
            !endpoints[i].host_network && generated.namespaces.contains(&endpoints[i].namespace)
        })
        .collect();
    for &s in &scope {
        for &d in &scope {
            if declared.contains(&(s, d)) {
                continue;
            }
            if engine.allows(s, d, None) {
                v.problems.push(format!(
                    "{} -> {} is allowed but not declared",
                    engine.endpoint_name(s),
                    engine.endpoint_name(d)
                ));
            } else {
                v.pairs_denied += 1;
            }
        }
    }
    v
}

/// The policies as a multi-document YAML stream, ready for `kubectl apply -f -`.
pub fn to_yaml(policies: &[Value]) -> String {
    let mut out = String::new();
    for p in policies {
        out.push_str("---\n");
        write_value(p, 0, &mut out);
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
                );
            if plain {
                s.clone()
            } else {
                serde_json::to_string(s).unwrap_or_default()
            }
        }
        Value::Object(m) if m.is_empty() => "{}".to_string(),
        Value::Array(a) if a.is_empty() => "[]".to_string(),
        other => other.to_string(),
    }
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::Object(m) if !m.is_empty()) || matches!(v, Value::Array(a) if !a.is_empty())
}

fn write_value(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, val) in m {
                let key = scalar(&Value::String(k.clone()));
                if is_block(val) {
                    out.push_str(&format!("{pad}{key}:\n"));
                    let child = if val.is_array() { indent } else { indent + 2 };
                    write_value(val, child, out);
                } else {
                    out.push_str(&format!("{pad}{key}: {}\n", scalar(val)));
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                if is_block(item) {
                    let mut inner = String::new();
                    write_value(item, indent + 2, &mut inner);
                    // The first line of the item goes after the dash.
                    out.push_str(&format!(
                        "{pad}- {}",
                        &inner[(indent + 2).min(inner.len())..]
                    ));
                } else {
                    out.push_str(&format!("{pad}- {}\n", scalar(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}
