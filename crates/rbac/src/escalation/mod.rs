//! Escalation paths: can a subject reach cluster-admin power, and by which steps?
//!
//! Every principal (user, group, service account) and pseudo-principal (namespace admin, root on a
//! node) is a node; each attack step an RBAC grant enables is an edge. One breadth-first search
//! backwards from "cluster admin" (0-1 BFS: free hub edges, one for each step) gives every node its
//! distance and next step at once, so answering for all subjects costs one pass over the graph, and
//! cycles cannot loop.

mod caps;
mod graph;
mod steps;

use std::collections::VecDeque;
use std::fmt;

use serde::Serialize;

use crate::grant::GrantInfo;
use crate::index::RbacIndex;
use graph::{Graph, Node, NodeId};

/// Who (or what) an attacker controls at some point of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    User {
        name: String,
    },
    Group {
        name: String,
    },
    ServiceAccount {
        namespace: String,
        name: String,
    },
    /// Full control of namespaced resources in one namespace.
    NamespaceAdmin {
        namespace: String,
    },
    /// Root on a node of the attacker's choosing.
    NodeRoot,
    /// Everything, everywhere.
    ClusterAdmin,
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::User { name } => write!(f, "User {name}"),
            Principal::Group { name } => write!(f, "Group {name}"),
            Principal::ServiceAccount { namespace, name } => {
                write!(f, "ServiceAccount {namespace}/{name}")
            }
            Principal::NamespaceAdmin { namespace } => write!(f, "admin of namespace {namespace}"),
            Principal::NodeRoot => f.write_str("root on a node"),
            Principal::ClusterAdmin => f.write_str("cluster admin"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The principal already holds `*` on `*` in `*` cluster-wide.
    HoldsClusterAdmin,
    /// Members of `system:masters` bypass authorization.
    SystemMastersMember,
    Impersonate,
    CreatePod,
    CreateToken,
    ExecIntoPod,
    ReadTokenSecret,
    MintTokenSecret,
    BindRole,
    EscalateRole,
    NodesProxy,
    EscapeToNode,
    StealNodeTokens,
    UseNodeCredentials,
    SignClientCertificate,
}

/// One step of a path, with the grants (binding, role, rule) that enable it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub from: Principal,
    pub to: Principal,
    pub grants: Vec<GrantInfo>,
    pub explanation: String,
}

/// The shortest path from a subject to cluster-admin power.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationPath {
    pub subject: Principal,
    /// The subject holds cluster-admin power without any step.
    pub already_admin: bool,
    /// The steps, ending with how the last principal holds cluster-admin power.
    pub steps: Vec<Step>,
}

const INF: u32 = u32::MAX;

/// The graph with the backward search done.
#[derive(Debug)]
pub(crate) struct Solved {
    graph: Graph,
    dist: Vec<u32>,
    next: Vec<u32>,
}

impl Solved {
    fn new(graph: Graph) -> Self {
        let n = graph.nodes.len();
        let mut rev: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (e, edge) in graph.edges.iter().enumerate() {
            rev[edge.to as usize].push(e as u32);
        }
        let mut dist = vec![INF; n];
        let mut next = vec![INF; n];
        let mut queue = VecDeque::new();
        if let Some(admin) = graph.id(&Node::P(Principal::ClusterAdmin)) {
            dist[admin as usize] = 0;
            queue.push_back(admin);
        }
        while let Some(v) = queue.pop_front() {
            for &e in &rev[v as usize] {
                let edge = &graph.edges[e as usize];
                let w = edge.weight();
                let u = edge.from as usize;
                let d = dist[v as usize] + w;
                if d < dist[u] {
                    dist[u] = d;
                    next[u] = e;
                    if w == 0 {
                        queue.push_front(edge.from);
                    } else {
                        queue.push_back(edge.from);
                    }
                }
            }
        }
        Solved { graph, dist, next }
    }

    fn path(&self, index: &RbacIndex<'_>, start: NodeId) -> Option<EscalationPath> {
        let (Node::P(subject) | Node::Query(subject)) = &self.graph.nodes[start as usize] else {
            return None;
        };
        if self.dist[start as usize] == INF {
            return None;
        }
        let mut steps: Vec<Step> = Vec::new();
        let mut at = start;
        let mut current = subject.clone();
        // Bounded by the node count: distances strictly decrease or stay on a chain of free edges,
        // and `next` pointers form a tree.
        for _ in 0..self.graph.nodes.len() {
            let e = self.next[at as usize];
            if e == INF {
                break;
            }
            let edge = &self.graph.edges[e as usize];
            let to = &self.graph.nodes[edge.to as usize];
            match (edge.kind, to) {
                (Some(kind), _) => {
                    let target = match to {
                        Node::P(p) => p.clone(),
                        // Resolved when the hub edge that follows picks the concrete principal.
                        Node::Hub(_) | Node::Query(_) => Principal::ClusterAdmin,
                    };
                    steps.push(Step {
                        kind,
                        from: current.clone(),
                        to: target.clone(),
                        grants: unique(edge.grants.iter().map(|g| index.grant_info(*g))),
                        explanation: String::new(),
                    });
                    current = target;
                }
                (None, Node::P(p)) => {
                    if let Some(last) = steps.last_mut() {
                        last.to = p.clone();
                    }
                    current = p.clone();
                }
                (None, Node::Hub(_) | Node::Query(_)) => {}
            }
            if current == Principal::ClusterAdmin && matches!(to, Node::P(_)) {
                break;
            }
            at = edge.to;
        }
        let already_admin = self.dist[start as usize] == 0;
        Some(EscalationPath {
            subject: subject.clone(),
            already_admin,
            steps,
        })
    }
}

impl RbacIndex<'_> {
    fn solved(&self) -> &Solved {
        self.escalation
            .get_or_init(|| Solved::new(Graph::build(self)))
    }

    /// Shortest escalation path of `subject`, or of every principal named in the input (users,
    /// groups, service accounts) that can reach cluster-admin power, `system:masters` excepted.
    /// The graph is built on the first call and reused.
    pub fn escalations(&self, subject: Option<&Principal>) -> Vec<EscalationPath> {
        let solved = self.solved();
        let starts: Vec<NodeId> = match subject {
            Some(p) => solved.graph.id(&Node::P(p.clone())).into_iter().collect(),
            None => (0..solved.graph.principals as NodeId).collect(),
        };
        starts
            .into_iter()
            .filter(|&s| {
                subject.is_some()
                    || !matches!(&solved.graph.nodes[s as usize], Node::P(Principal::Group { name }) if name == crate::authz::GROUP_MASTERS)
            })
            .filter_map(|s| solved.path_with_via(self, s))
            .collect()
    }
}

impl RbacIndex<'_> {
    /// Shortest escalation path of an arbitrary identity (user name plus groups, as an authenticator
    /// hands them over; build it with [`crate::UserInfo::user`] so implicit groups are present), for
    /// example a user that no binding names directly. Builds a private copy of the graph.
    pub fn escalation_of_user(&self, user: &crate::authz::UserInfo) -> Option<EscalationPath> {
        let mut graph = self.solved().graph.clone();
        let label = match crate::authz::split_service_account(&user.name) {
            Ok((namespace, name)) => Principal::ServiceAccount {
                namespace: namespace.to_owned(),
                name: name.to_owned(),
            },
            Err(_) => Principal::User {
                name: user.name.clone(),
            },
        };
        let start = graph.add_query(self, user, label);
        Solved::new(graph).path_with_via(self, start)
    }
}

impl Solved {
    /// `path`, with each step's `via` detail from its edge.
    fn path_with_via(&self, index: &RbacIndex<'_>, start: NodeId) -> Option<EscalationPath> {
        let mut path = self.path(index, start)?;
        let vias = self.vias(start);
        for (step, via) in path.steps.iter_mut().zip(vias) {
            step.explanation = explain(step, via);
        }
        Some(path)
    }

    fn vias(&self, start: NodeId) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = start;
        for _ in 0..self.graph.nodes.len() {
            let e = self.next[at as usize];
            if e == INF {
                break;
            }
            let edge = &self.graph.edges[e as usize];
            if edge.kind.is_some() {
                out.push(edge.via.as_str());
            } else if !edge.via.is_empty()
                && let Some(last) = out.last_mut()
            {
                *last = edge.via.as_str();
            }
            at = edge.to;
        }
        out
    }
}

/// Grants in order, each once (one rule often enables two parts of a step).
fn unique(grants: impl Iterator<Item = GrantInfo>) -> Vec<GrantInfo> {
    let mut out: Vec<GrantInfo> = Vec::new();
    for g in grants {
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

fn explain(step: &Step, via: &str) -> String {
    let to = &step.to;
    let from = match &step.from {
        p @ (Principal::NamespaceAdmin { .. } | Principal::NodeRoot | Principal::ClusterAdmin) => {
            format!("As {p}, the attacker")
        }
        p => p.to_string(),
    };
    match step.kind {
        StepKind::HoldsClusterAdmin => {
            format!("{from} is granted every verb on every resource cluster-wide.")
        }
        StepKind::SystemMastersMember => {
            format!("Members of {from} bypass authorization: the API server allows every request.")
        }
        StepKind::Impersonate => {
            format!("{from} sends requests impersonating {to} and gets its permissions.")
        }
        StepKind::CreatePod if via == "pods" => {
            format!("{from} creates a pod that runs as {to} and reads its mounted token.")
        }
        StepKind::CreatePod => format!(
            "{from} creates or changes {via} so that their pods run as {to}, and reads the mounted token."
        ),
        StepKind::CreateToken => {
            format!("{from} requests a token for {to} (serviceaccounts/token) and uses it.")
        }
        StepKind::ExecIntoPod => {
            format!("{from} runs commands in a pod of {to} ({via}) and reads its mounted token.")
        }
        StepKind::ReadTokenSecret => format!(
            "{from} reads the service-account token Secret of {to}{}.",
            if via.is_empty() {
                String::new()
            } else {
                format!(" ({via})")
            }
        ),
        StepKind::MintTokenSecret => format!(
            "{from} creates a Secret of type kubernetes.io/service-account-token for {to}; the token controller fills it in and {from} reads it."
        ),
        StepKind::BindRole => {
            format!("{from} holds `bind` on the role and {via}, becoming {to}.")
        }
        StepKind::EscalateRole => format!(
            "{from} holds `escalate` and rewrites {via} to allow everything, becoming {to}."
        ),
        StepKind::NodesProxy => format!(
            "{from} calls the kubelet API through nodes/proxy to run commands in pods{}, taking {to}.",
            if via.is_empty() {
                String::new()
            } else {
                format!(" ({via})")
            }
        ),
        StepKind::EscapeToNode => {
            format!("{from} escapes to the node through {via} and is root there.")
        }
        StepKind::StealNodeTokens => format!(
            "From the node, the attacker reads the token of every pod scheduled there (it can pin pods to any node), including {to}."
        ),
        StepKind::UseNodeCredentials => {
            format!("From the node, the attacker uses the kubelet's credentials as {to}.")
        }
        StepKind::SignClientCertificate => format!(
            "{from} submits a CertificateSigningRequest for a client certificate in group system:masters, approves it itself and downloads it."
        ),
    }
}
