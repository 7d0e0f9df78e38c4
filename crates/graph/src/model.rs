//! The typed nodes and edges of the risk map.

use std::fmt;

use kubeward_diagnostics::Severity;
use serde::Serialize;

/// What a node of the map stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum NodeKind {
    /// Anyone on the internet.
    Internet,
    /// An Ingress or a Gateway API route (`HTTPRoute`, `GRPCRoute`, `TLSRoute`, `TCPRoute`).
    Route {
        kind: String,
        namespace: String,
        name: String,
    },
    Service {
        namespace: String,
        name: String,
    },
    /// A pod-bearing object (Pod, Deployment, CronJob, ...): code running in its pods.
    Workload {
        kind: String,
        namespace: String,
        name: String,
    },
    ServiceAccount {
        namespace: String,
        name: String,
    },
    /// A group that service accounts are in (`system:serviceaccounts`, `system:serviceaccounts:NS`,
    /// `system:authenticated`), when a binding names it: its grants are every member's.
    Group {
        name: String,
    },
    /// Every object of a collection in one namespace (`None`: in every namespace), what a grant
    /// reaches: a grant on Secrets, pods or service accounts points here once, not at each object.
    Every {
        of: Collection,
        namespace: Option<String>,
    },
    /// One RBAC grant: a binding of a role, in its scope.
    Permission {
        binding: String,
        role: String,
        scope: String,
    },
    Secret {
        namespace: String,
        name: String,
    },
    ConfigMap {
        namespace: String,
        name: String,
    },
    /// A `hostPath` volume: a directory of the node the pod runs on.
    HostPath {
        /// The node, when the pod is pinned with `nodeName`.
        node: Option<String>,
        path: String,
    },
    /// Root on a node: the named one, or (`None`) any node the scheduler may pick.
    Node {
        name: Option<String>,
    },
    /// The pod network as a hub: workloads whose egress lets every pod through reach it, and it
    /// reaches every Service with a pod whose ingress lets every pod through (under a flat network:
    /// every workload and every Service).
    PodNetwork,
    /// The cloud instance metadata endpoint, 169.254.169.254: node credentials on most clouds.
    MetadataEndpoint,
    /// Every verb on every resource, cluster-wide.
    ClusterAdmin,
}

/// What an [`NodeKind::Every`] node collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Collection {
    Secrets,
    /// Pod-bearing objects (what `pods/exec` reaches).
    Workloads,
    ServiceAccounts,
}

impl Collection {
    fn noun(self) -> &'static str {
        match self {
            Collection::Secrets => "Secret",
            Collection::Workloads => "workload",
            Collection::ServiceAccounts => "ServiceAccount",
        }
    }
}

impl NodeKind {
    /// The object a node stands for as `Kind/namespace/name`, as findings name objects.
    pub fn object_key(&self) -> Option<(String, Option<String>, String)> {
        let namespaced = |kind: &str, ns: &str, name: &str| {
            Some((kind.to_owned(), Some(ns.to_owned()), name.to_owned()))
        };
        match self {
            NodeKind::Route {
                kind,
                namespace,
                name,
            }
            | NodeKind::Workload {
                kind,
                namespace,
                name,
            } => namespaced(kind, namespace, name),
            NodeKind::Service { namespace, name } => namespaced("Service", namespace, name),
            NodeKind::ServiceAccount { namespace, name } => {
                namespaced("ServiceAccount", namespace, name)
            }
            NodeKind::Secret { namespace, name } => namespaced("Secret", namespace, name),
            NodeKind::ConfigMap { namespace, name } => namespaced("ConfigMap", namespace, name),
            NodeKind::Node { name: Some(name) } => Some(("Node".into(), None, name.clone())),
            _ => None,
        }
    }

    /// `namespace/name` for namespaced objects.
    pub fn namespaced_name(&self) -> Option<(&str, &str)> {
        match self {
            NodeKind::Route {
                namespace, name, ..
            }
            | NodeKind::Workload {
                namespace, name, ..
            }
            | NodeKind::Service { namespace, name }
            | NodeKind::ServiceAccount { namespace, name }
            | NodeKind::Secret { namespace, name }
            | NodeKind::ConfigMap { namespace, name } => Some((namespace, name)),
            _ => None,
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeKind::Internet => f.write_str("the internet"),
            NodeKind::Route {
                kind,
                namespace,
                name,
            }
            | NodeKind::Workload {
                kind,
                namespace,
                name,
            } => write!(f, "{kind} {namespace}/{name}"),
            NodeKind::Service { namespace, name } => write!(f, "Service {namespace}/{name}"),
            NodeKind::ServiceAccount { namespace, name } => {
                write!(f, "ServiceAccount {namespace}/{name}")
            }
            NodeKind::Group { name } => write!(f, "Group {name}"),
            NodeKind::Every {
                of,
                namespace: Some(ns),
            } => write!(f, "every {} in namespace {ns}", of.noun()),
            NodeKind::Every {
                of,
                namespace: None,
            } => write!(f, "every {} in every namespace", of.noun()),
            NodeKind::Permission {
                binding,
                role,
                scope,
            } => write!(f, "grant {binding} -> {role} ({scope})"),
            NodeKind::Secret { namespace, name } => write!(f, "Secret {namespace}/{name}"),
            NodeKind::ConfigMap { namespace, name } => write!(f, "ConfigMap {namespace}/{name}"),
            NodeKind::HostPath { node: None, path } => write!(f, "host directory {path}"),
            NodeKind::HostPath {
                node: Some(node),
                path,
            } => write!(f, "host directory {path} on node {node}"),
            NodeKind::Node { name: Some(name) } => write!(f, "root on node {name}"),
            NodeKind::Node { name: None } => f.write_str("root on a node"),
            NodeKind::PodNetwork => f.write_str("the pod network"),
            NodeKind::MetadataEndpoint => {
                f.write_str("the cloud metadata endpoint 169.254.169.254")
            }
            NodeKind::ClusterAdmin => f.write_str("cluster-admin power"),
        }
    }
}

/// A finding attached to the node of its object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeFinding {
    pub rule_id: &'static str,
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphNode {
    pub kind: NodeKind,
    /// Unsuppressed findings on this node's object.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<NodeFinding>,
}

/// The kind of an edge: what the attacker at the source gains at the target.
///
/// Each kind is documented in the crate docs and in `docs/paths.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    ExposedToInternet,
    RoutesTo,
    Selects,
    RunsAs,
    Granted,
    CanReadSecret,
    CanExec,
    CanCreatePods,
    CanEscalate,
    Mounts,
    AuthenticatesAs,
    EscapesToNode,
    NodeHolds,
    CanReach,
    CanReachMetadata,
    MemberOf,
    Includes,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 17] = [
        EdgeKind::ExposedToInternet,
        EdgeKind::RoutesTo,
        EdgeKind::Selects,
        EdgeKind::RunsAs,
        EdgeKind::Granted,
        EdgeKind::CanReadSecret,
        EdgeKind::CanExec,
        EdgeKind::CanCreatePods,
        EdgeKind::CanEscalate,
        EdgeKind::Mounts,
        EdgeKind::AuthenticatesAs,
        EdgeKind::EscapesToNode,
        EdgeKind::NodeHolds,
        EdgeKind::CanReach,
        EdgeKind::CanReachMetadata,
        EdgeKind::MemberOf,
        EdgeKind::Includes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::ExposedToInternet => "exposed-to-internet",
            EdgeKind::RoutesTo => "routes-to",
            EdgeKind::Selects => "selects",
            EdgeKind::RunsAs => "runs-as",
            EdgeKind::Granted => "granted",
            EdgeKind::CanReadSecret => "can-read-secret",
            EdgeKind::CanExec => "can-exec",
            EdgeKind::CanCreatePods => "can-create-pods",
            EdgeKind::CanEscalate => "can-escalate",
            EdgeKind::Mounts => "mounts",
            EdgeKind::AuthenticatesAs => "authenticates-as",
            EdgeKind::EscapesToNode => "escapes-to-node",
            EdgeKind::NodeHolds => "node-holds",
            EdgeKind::CanReach => "can-reach",
            EdgeKind::CanReachMetadata => "can-reach-metadata",
            EdgeKind::MemberOf => "member-of",
            EdgeKind::Includes => "includes",
        }
    }

    /// Cost of taking the edge in path search. Lateral movement over the network is weighted
    /// higher: reaching a pod is not owning it.
    ///
    /// `member-of` and `includes` cost nothing: they only say which objects a group or a grant's
    /// reach stands for, so a path through them costs what the direct edges would.
    pub fn cost(self) -> u32 {
        match self {
            EdgeKind::CanReach => 3,
            EdgeKind::MemberOf | EdgeKind::Includes => 0,
            _ => 1,
        }
    }

    /// Whether removing edges of this kind is a configuration fix (an unexposed Service, a
    /// removed binding, an unprivileged pod), as opposed to how Kubernetes works (a Service
    /// selecting its pods, a node holding its pods' tokens).
    pub fn is_fixable(self) -> bool {
        !matches!(
            self,
            EdgeKind::Selects
                | EdgeKind::RoutesTo
                | EdgeKind::NodeHolds
                | EdgeKind::AuthenticatesAs
                | EdgeKind::MemberOf
                | EdgeKind::Includes
        )
    }

    /// Source node, edge, target node: what the edge means, for docs.
    pub fn meaning(self) -> &'static str {
        match self {
            EdgeKind::ExposedToInternet => {
                "internet → Service (LoadBalancer not internal, NodePort, externalIPs), Route (Ingress, Gateway API route) or workload (hostNetwork, hostPort)"
            }
            EdgeKind::RoutesTo => "Route → Service named by a backend (with its port)",
            EdgeKind::Selects => "Service → workload whose pod labels match the selector",
            EdgeKind::RunsAs => {
                "workload → ServiceAccount whose token is mounted in its pods (pod, then service account `automountServiceAccountToken`, default mounted)"
            }
            EdgeKind::Granted => {
                "ServiceAccount or Group → permission: a (Cluster)RoleBinding names it"
            }
            EdgeKind::CanReadSecret => {
                "permission → every Secret of the grant's namespace, or of every namespace for a ClusterRoleBinding: get or list on secrets (RBAC engine)"
            }
            EdgeKind::CanExec => {
                "permission → every workload of the grant's namespace (or of every namespace): create pods/exec"
            }
            EdgeKind::CanCreatePods => {
                "permission → every ServiceAccount of the grant's namespace or of every namespace (a new pod can run as any of them) and → any node (a privileged pod) unless Pod Security Admission enforces baseline in every namespace the grant covers"
            }
            EdgeKind::CanEscalate => {
                "permission or ServiceAccount → cluster-admin: the RBAC engine's escalation path (bind, escalate, impersonate, token creation, ...)"
            }
            EdgeKind::Mounts => {
                "workload → Secret / ConfigMap (volume, projected volume, env, envFrom) or hostPath directory"
            }
            EdgeKind::AuthenticatesAs => {
                "Secret of type service-account-token → its ServiceAccount"
            }
            EdgeKind::EscapesToNode => {
                "workload → node: privileged container, hostPID, hostNetwork, dangerous capability; hostPath directory → node"
            }
            EdgeKind::NodeHolds => {
                "node → ServiceAccount tokens and Secrets of every pod that may run on it (pinned with nodeName, or any node when unpinned)"
            }
            EdgeKind::CanReach => {
                "workload → Service it may connect to under the NetworkPolicies (both the source's egress and a selected pod's ingress allow some port), through the pod-network hub when both sides let every pod through; without the engine, a flat network"
            }
            EdgeKind::CanReachMetadata => {
                "workload → cloud metadata endpoint, when its egress NetworkPolicies allow 169.254.169.254 (or none selects it)"
            }
            EdgeKind::MemberOf => {
                "ServiceAccount → Group it is in: system:serviceaccounts and system:authenticated (every service account), system:serviceaccounts:NS (those of NS); costs nothing"
            }
            EdgeKind::Includes => {
                "every-X-in-every-namespace → every-X-in-namespace → each Secret, workload or ServiceAccount it stands for; costs nothing"
            }
        }
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an edge exists: the field, grant or finding that creates it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Evidence {
    /// The fact, with its values.
    pub text: String,
    /// The object holding the field or grant, as `Kind/namespace/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// A finding of that object that reports the same thing, when the scan produced one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub kind: EdgeKind,
    pub evidence: Evidence,
}
