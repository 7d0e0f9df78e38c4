//! Workload edges: runs-as, mounts, escapes-to-node, node-holds, and the hostNetwork/hostPort
//! exposure that comes from the pod spec.

use std::collections::{BTreeSet, HashMap};

use kubeward_model::{Inventory, Object, ServiceAccount, Workload, labels_of};
use kubeward_source::Node;
use petgraph::graph::NodeIndex;

use super::{Builder, ObjectKey, evidence};
use crate::model::{EdgeKind, NodeKind};
use crate::reach::Reachability;

/// Capabilities that each give a well-known way out of the container to the node.
const ESCAPE_CAPABILITIES: [&str; 7] = [
    "ALL",
    "SYS_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "DAC_READ_SEARCH",
    "SYS_RAWIO",
    "BPF",
];

/// One workload as the later passes need it.
pub(crate) struct Pod<'a> {
    pub(crate) object: &'a Object,
    pub(crate) node: NodeIndex,
    pub(crate) namespace: String,
    pub(crate) labels: Vec<(&'a str, String)>,
}

pub(crate) struct Pods<'a> {
    pub(crate) all: Vec<Pod<'a>>,
    /// Indexes into `all` per namespace, for Service selection.
    pub(crate) by_namespace: HashMap<String, Vec<usize>>,
}

/// What a pod leaves on the node it runs on: its token and its Secrets.
struct Held {
    pinned: Option<String>,
    nodes: Vec<(NodeIndex, String)>,
}

pub(crate) fn add<'a>(
    b: &mut Builder<'_>,
    inventory: &'a Inventory,
    reachability: Option<&Reachability>,
) -> Pods<'a> {
    let automount: HashMap<(&str, &str), Option<bool>> = inventory
        .of_kind("ServiceAccount")
        .filter_map(ServiceAccount::of)
        .map(|sa| {
            let ns = sa.0.effective_namespace().unwrap_or("default");
            b.node(NodeKind::ServiceAccount {
                namespace: ns.to_owned(),
                name: sa.0.name().to_owned(),
            });
            ((ns, sa.0.name()), sa.automount_token())
        })
        .collect();
    secrets(b, inventory);
    let egress_denied = default_deny_egress(inventory);
    let mut pods = Pods {
        all: Vec::new(),
        by_namespace: HashMap::new(),
    };
    let mut held: Vec<Held> = Vec::new();
    let mut named_nodes: BTreeSet<String> = inventory
        .of_kind("Node")
        .map(|n| n.name().to_owned())
        .collect();
    for workload in inventory.workloads() {
        let object = workload.object;
        let namespace = object.effective_namespace().unwrap_or("default").to_owned();
        let key: ObjectKey = (
            object.kind().to_owned(),
            Some(namespace.clone()),
            object.name().to_owned(),
        );
        let w = b.node(NodeKind::Workload {
            kind: key.0.clone(),
            namespace: namespace.clone(),
            name: key.2.clone(),
        });
        let pinned = workload
            .pod_spec
            .get("nodeName")
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if let Some(n) = &pinned {
            named_nodes.insert(n.clone());
        }
        let node = b.node(NodeKind::Node {
            name: pinned.clone(),
        });
        host_access(b, &workload, &key, w, node);
        let mut leaves = mounts(b, &workload, &key, w, &namespace, pinned.as_ref(), node);
        if let Some(sa) = runs_as(b, &workload, &key, w, &namespace, &automount) {
            leaves.push((sa, format!("the token of {}", key_text(&key))));
        }
        metadata(b, &workload, &key, w, reachability, &egress_denied);
        held.push(Held {
            pinned,
            nodes: leaves,
        });
        pods.by_namespace
            .entry(namespace.clone())
            .or_default()
            .push(pods.all.len());
        pods.all.push(Pod {
            object,
            node: w,
            namespace,
            labels: labels_of(workload.pod_labels()),
        });
    }
    node_holds(b, &held, &named_nodes);
    pods
}

fn key_text(key: &ObjectKey) -> String {
    super::object_label(key)
}

/// Secret objects, and which service account a token Secret authenticates as.
fn secrets(b: &mut Builder<'_>, inventory: &Inventory) {
    for secret in inventory.of_kind("Secret") {
        let namespace = secret.effective_namespace().unwrap_or("default").to_owned();
        let s = b.node(NodeKind::Secret {
            namespace: namespace.clone(),
            name: secret.name().to_owned(),
        });
        let is_token = secret.root.get("type").and_then(Node::as_str)
            == Some("kubernetes.io/service-account-token");
        let Some(sa) = secret
            .annotation("kubernetes.io/service-account.name")
            .and_then(Node::as_str)
            .filter(|_| is_token)
        else {
            continue;
        };
        let key: ObjectKey = (
            "Secret".into(),
            Some(namespace.clone()),
            secret.name().into(),
        );
        let to = b.node(NodeKind::ServiceAccount {
            namespace,
            name: sa.to_owned(),
        });
        let rule = b.finding(&key, &["RBAC023"]);
        b.edge(
            s,
            to,
            EdgeKind::AuthenticatesAs,
            evidence(
                format!("a service-account-token Secret for `{sa}`: its token authenticates as it"),
                &key,
                rule,
            ),
        );
    }
}

/// hostNetwork, hostPID, hostPort, privileged and dangerous capabilities.
fn host_access(
    b: &mut Builder<'_>,
    w: &Workload<'_>,
    key: &ObjectKey,
    node: NodeIndex,
    host: NodeIndex,
) {
    let spec = w.pod_spec;
    let flag = |f: &str| spec.get(f).and_then(Node::as_bool).unwrap_or(false);
    let internet = b.node(NodeKind::Internet);
    if flag("hostNetwork") {
        let rule = b.finding(key, &["POD004"]);
        b.edge(
            internet,
            node,
            EdgeKind::ExposedToInternet,
            evidence(
                "`hostNetwork: true`: every port the pod listens on is open on the node's address"
                    .into(),
                key,
                rule,
            ),
        );
        b.edge(
            node,
            host,
            EdgeKind::EscapesToNode,
            evidence(
                "`hostNetwork: true`: the pod sees the node's interfaces and loopback services (kubelet, local admin ports)".into(),
                key,
                rule,
            ),
        );
    }
    if flag("hostPID") {
        let rule = b.finding(key, &["POD004"]);
        b.edge(
            node,
            host,
            EdgeKind::EscapesToNode,
            evidence(
                "`hostPID: true`: the pod sees and can signal or trace every process of the node"
                    .into(),
                key,
                rule,
            ),
        );
    }
    for c in w.all_containers() {
        let name = c.name();
        if c.security_field("privileged").and_then(Node::as_bool) == Some(true) {
            let rule = b.finding(key, &["POD001"]);
            b.edge(
                node,
                host,
                EdgeKind::EscapesToNode,
                evidence(
                    format!("container `{name}` runs privileged: every device of the node, mount the host disk"),
                    key,
                    rule,
                ),
            );
        }
        let added = c
            .security_field("capabilities")
            .and_then(|caps| caps.get("add"))
            .into_iter()
            .flat_map(Node::items)
            .filter_map(Node::as_str)
            .map(|cap| cap.trim_start_matches("CAP_").to_ascii_uppercase())
            .filter(|cap| ESCAPE_CAPABILITIES.contains(&cap.as_str()));
        for cap in added {
            let rule = b.finding(key, &["POD011", "POD012", "POD006", "POD030"]);
            b.edge(
                node,
                host,
                EdgeKind::EscapesToNode,
                evidence(
                    format!("container `{name}` adds capability {cap}"),
                    key,
                    rule,
                ),
            );
        }
        for port in c.node.get("ports").into_iter().flat_map(Node::items) {
            if let Some(hp) = port
                .get("hostPort")
                .and_then(Node::as_i64)
                .filter(|p| *p > 0)
            {
                let rule = b.finding(key, &["POD018"]);
                b.edge(
                    internet,
                    node,
                    EdgeKind::ExposedToInternet,
                    evidence(
                        format!("container `{name}` binds hostPort {hp} on the node's address"),
                        key,
                        rule,
                    ),
                );
            }
        }
    }
}

/// Secret, ConfigMap and hostPath volumes and env references. Returns what the pod leaves on its
/// node (its Secrets), for node-holds.
fn mounts(
    b: &mut Builder<'_>,
    w: &Workload<'_>,
    key: &ObjectKey,
    node: NodeIndex,
    namespace: &str,
    pinned: Option<&String>,
    host: NodeIndex,
) -> Vec<(NodeIndex, String)> {
    let mut leaves = Vec::new();
    let mut secret = |b: &mut Builder<'_>, name: &str, how: String, rule: Option<&'static str>| {
        let s = b.node(NodeKind::Secret {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        });
        b.edge(node, s, EdgeKind::Mounts, evidence(how, key, rule));
        leaves.push((
            s,
            format!("Secret {namespace}/{name}, mounted by {}", key_text(key)),
        ));
    };
    let config_map = |b: &mut Builder<'_>, name: &str, how: String| {
        let c = b.node(NodeKind::ConfigMap {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        });
        b.edge(node, c, EdgeKind::Mounts, evidence(how, key, None));
    };
    let text = |n: &Node, k: &str| n.get(k).and_then(Node::as_str).map(str::to_owned);
    for v in w.pod_spec.get("volumes").into_iter().flat_map(Node::items) {
        let vol = text(v, "name").unwrap_or_default();
        if let Some(name) = v.get("secret").and_then(|s| text(s, "secretName")) {
            secret(
                b,
                &name,
                format!("volume `{vol}` mounts Secret `{name}`"),
                None,
            );
        }
        if let Some(name) = v.get("configMap").and_then(|s| text(s, "name")) {
            config_map(
                b,
                &name,
                format!("volume `{vol}` mounts ConfigMap `{name}`"),
            );
        }
        for source in v
            .path(&["projected", "sources"])
            .into_iter()
            .flat_map(Node::items)
        {
            if let Some(name) = source.get("secret").and_then(|s| text(s, "name")) {
                secret(
                    b,
                    &name,
                    format!("projected volume `{vol}` mounts Secret `{name}`"),
                    None,
                );
            }
            if let Some(name) = source.get("configMap").and_then(|s| text(s, "name")) {
                config_map(
                    b,
                    &name,
                    format!("projected volume `{vol}` mounts ConfigMap `{name}`"),
                );
            }
        }
        if let Some(path) = v.get("hostPath").and_then(|h| text(h, "path")) {
            let rule = b.finding(key, &["POD009", "POD017", "POD005"]);
            let dir = b.node(NodeKind::HostPath {
                node: pinned.cloned(),
                path: path.clone(),
            });
            b.edge(
                node,
                dir,
                EdgeKind::Mounts,
                evidence(
                    format!("volume `{vol}` mounts host directory `{path}`"),
                    key,
                    rule,
                ),
            );
            b.edge(
                dir,
                host,
                EdgeKind::EscapesToNode,
                evidence(
                    format!("host directory `{path}`: the node's files (binaries, kubelet credentials, container runtime socket) are reachable from the pod"),
                    key,
                    rule,
                ),
            );
        }
    }
    for c in w.all_containers() {
        let cname = c.name();
        for env in c.node.get("env").into_iter().flat_map(Node::items) {
            let var = text(env, "name").unwrap_or_default();
            if let Some(name) = env
                .path(&["valueFrom", "secretKeyRef"])
                .and_then(|r| text(r, "name"))
            {
                let rule = b.finding(key, &["SEC002"]);
                secret(
                    b,
                    &name,
                    format!("container `{cname}` env `{var}` reads Secret `{name}`"),
                    rule,
                );
            }
            if let Some(name) = env
                .path(&["valueFrom", "configMapKeyRef"])
                .and_then(|r| text(r, "name"))
            {
                config_map(
                    b,
                    &name,
                    format!("container `{cname}` env `{var}` reads ConfigMap `{name}`"),
                );
            }
        }
        for from in c.node.get("envFrom").into_iter().flat_map(Node::items) {
            if let Some(name) = from.get("secretRef").and_then(|r| text(r, "name")) {
                let rule = b.finding(key, &["SEC002"]);
                secret(
                    b,
                    &name,
                    format!("container `{cname}` envFrom Secret `{name}`"),
                    rule,
                );
            }
            if let Some(name) = from.get("configMapRef").and_then(|r| text(r, "name")) {
                config_map(
                    b,
                    &name,
                    format!("container `{cname}` envFrom ConfigMap `{name}`"),
                );
            }
        }
    }
    leaves
}

/// runs-as, when the token is in the pod: the pod's `automountServiceAccountToken`, else the
/// service account's, else Kubernetes' default (mounted); a projected token is always there.
fn runs_as(
    b: &mut Builder<'_>,
    w: &Workload<'_>,
    key: &ObjectKey,
    node: NodeIndex,
    namespace: &str,
    automount: &HashMap<(&str, &str), Option<bool>>,
) -> Option<NodeIndex> {
    let sa = w.service_account();
    let projected = w
        .pod_spec
        .get("volumes")
        .into_iter()
        .flat_map(Node::items)
        .flat_map(|v| {
            v.path(&["projected", "sources"])
                .into_iter()
                .flat_map(Node::items)
        })
        .any(|s| s.get("serviceAccountToken").is_some());
    let pod_says = w
        .pod_spec
        .get("automountServiceAccountToken")
        .and_then(Node::as_bool);
    let sa_says = automount.get(&(namespace, sa)).copied().flatten();
    let (mounted, why) = match (projected, pod_says, sa_says) {
        (true, _, _) => (true, "a projected serviceAccountToken volume".to_owned()),
        (_, Some(v), _) => (
            v,
            format!("the pod sets `automountServiceAccountToken: {v}`"),
        ),
        (_, None, Some(v)) => (
            v,
            format!("ServiceAccount `{sa}` sets `automountServiceAccountToken: {v}`"),
        ),
        (_, None, None) => (true, "the token is mounted by default".to_owned()),
    };
    if !mounted {
        return None;
    }
    let to = b.node(NodeKind::ServiceAccount {
        namespace: namespace.to_owned(),
        name: sa.to_owned(),
    });
    let rule = b.finding(key, &["SA001", "SA003"]);
    b.edge(
        node,
        to,
        EdgeKind::RunsAs,
        evidence(format!("runs as ServiceAccount `{sa}`; {why}"), key, rule),
    );
    Some(to)
}

/// can-reach-metadata: from the reachability source, or (flat network) unless a default-deny
/// egress policy selects the pod.
fn metadata(
    b: &mut Builder<'_>,
    w: &Workload<'_>,
    key: &ObjectKey,
    node: NodeIndex,
    reachability: Option<&Reachability>,
    egress_denied: &HashMap<String, Vec<kubeward_model::LabelSelector>>,
) {
    let why = match reachability {
        // A workload without an endpoint (a PodTemplate, a pod whose controller is not in the
        // input) runs nothing the engine knows of: no edge.
        Some(r) => r
            .endpoint_of(w.object)
            .and_then(|e| r.metadata(e))
            .map(|mut ev| {
                ev.object = ev.object.or_else(|| Some(key_text(key)));
                ev
            }),
        None => {
            let labels = labels_of(w.pod_labels());
            let pairs = labels.iter().map(|(k, v)| (*k, v.as_str()));
            let blocked = key
                .1
                .as_ref()
                .and_then(|ns| egress_denied.get(ns))
                .is_some_and(|sels| sels.iter().any(|s| s.matches(pairs.clone())));
            (!blocked).then(|| {
                evidence(
                    "no default-deny egress NetworkPolicy selects the pod (flat network assumed)"
                        .to_owned(),
                    key,
                    None,
                )
            })
        }
    };
    if let Some(why) = why {
        let to = b.node(NodeKind::MetadataEndpoint);
        b.edge(node, to, EdgeKind::CanReachMetadata, why);
    }
}

/// Selectors of NetworkPolicies that deny all egress (Egress type, no egress rule), per namespace.
fn default_deny_egress(
    inventory: &Inventory,
) -> HashMap<String, Vec<kubeward_model::LabelSelector>> {
    let mut out: HashMap<String, Vec<_>> = HashMap::new();
    for p in inventory
        .of_kind("NetworkPolicy")
        .filter_map(kubeward_model::NetworkPolicy::of)
    {
        let (_, egress) = p.policy_types();
        let no_rules =
            p.0.root
                .path(&["spec", "egress"])
                .and_then(Node::as_seq)
                .is_none_or(<[Node]>::is_empty);
        if let (true, true, Ok(selector)) = (egress, no_rules, p.pod_selector()) {
            out.entry(p.0.effective_namespace().unwrap_or("default").to_owned())
                .or_default()
                .push(selector);
        }
    }
    out
}

/// node-holds: a node holds the tokens and Secrets of the pods that may run on it — the pinned
/// ones on their node; the unpinned ones on any node, named nodes included.
fn node_holds(b: &mut Builder<'_>, held: &[Held], named: &BTreeSet<String>) {
    let named: Vec<NodeIndex> = named
        .iter()
        .map(|n| {
            b.node(NodeKind::Node {
                name: Some(n.clone()),
            })
        })
        .collect();
    let mut any: Option<NodeIndex> = None;
    for h in held {
        let hosts: Vec<NodeIndex> = match &h.pinned {
            Some(name) => b
                .existing(&NodeKind::Node {
                    name: Some(name.clone()),
                })
                .into_iter()
                .collect(),
            None => {
                let a = *any.get_or_insert_with(|| b.node(NodeKind::Node { name: None }));
                std::iter::once(a).chain(named.iter().copied()).collect()
            }
        };
        for &host in &hosts {
            for (target, what) in &h.nodes {
                b.edge(
                    host,
                    *target,
                    EdgeKind::NodeHolds,
                    crate::model::Evidence {
                        text: format!("the kubelet of the node holds {what}"),
                        object: None,
                        rule: None,
                    },
                );
            }
        }
    }
}
