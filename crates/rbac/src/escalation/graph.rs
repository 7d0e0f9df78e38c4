//! The escalation graph: principals and pseudo-principals as nodes, attack steps as edges.
//!
//! Hubs ("any service account in namespace X", "every pod in X") keep the graph linear in the input:
//! a principal that can create pods everywhere gets one edge to a hub, not one per service account.
//! Hub edges cost nothing; every real step costs one.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::caps::{Cap, Caps, meet};
use super::{Principal, StepKind};
use crate::authz::{GROUP_MASTERS, UserInfo, split_service_account};
use crate::grant::Grant;
use crate::index::{RbacIndex, subject_sa_namespace};
use crate::input::SubjectKind;
use crate::risk::is_full_wildcard;

pub(super) type NodeId = u32;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Hub {
    /// Every service account of a namespace (`None`: of every namespace).
    AnySa(Option<String>),
    AnyUser,
    AnyGroup,
    /// Every pod of a namespace, for exec.
    PodsIn(Option<String>),
    /// Every service-account token Secret of a namespace.
    TokenSecretsIn(Option<String>),
    /// Every service account whose token is mounted in some pod (what node access yields).
    MountedTokens,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Node {
    P(Principal),
    Hub(Hub),
    /// An identity asked about that is not one of the graph's principals (a user with groups).
    Query(Principal),
}

#[derive(Debug, Clone)]
pub(super) struct Edge {
    pub(super) from: NodeId,
    pub(super) to: NodeId,
    /// `None` for a hub edge (free).
    pub(super) kind: Option<StepKind>,
    pub(super) grants: Vec<Grant>,
    pub(super) via: String,
}

impl Edge {
    pub(super) fn weight(&self) -> u32 {
        match self.kind {
            None | Some(StepKind::HoldsClusterAdmin | StepKind::SystemMastersMember) => 0,
            Some(_) => 1,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub(super) struct Graph {
    pub(super) nodes: Vec<Node>,
    ids: HashMap<Node, NodeId>,
    pub(super) edges: Vec<Edge>,
    /// Number of leading nodes that are real principals (the possible starting points).
    pub(super) principals: usize,
    seen: HashSet<(NodeId, NodeId, Option<StepKind>)>,
    namespaces: BTreeSet<String>,
    blocked_ns: HashSet<String>,
    sa_by_ns: HashMap<String, Vec<NodeId>>,
    sa_by_name: HashMap<String, Vec<NodeId>>,
    pods_by_ns: HashMap<String, Vec<usize>>,
    token_secrets_by_ns: HashMap<String, Vec<usize>>,
    any_escape_pod: bool,
    /// `automountServiceAccountToken` of each ServiceAccount that sets it.
    sa_automount: HashMap<(String, String), bool>,
    admin_roles: Vec<String>,
}

pub(super) const ADMIN_ROLE: &str = "cluster-admin";
/// Default ClusterRoles that, bound in one namespace, give what escalation needs there (pods,
/// secrets, exec, tokens).
const NS_ADMIN_ROLES: [&str; 3] = ["cluster-admin", "admin", "edit"];

impl Graph {
    pub(super) fn build(index: &RbacIndex<'_>) -> Self {
        let mut g = Graph {
            admin_roles: admin_cluster_roles(index),
            ..Graph::default()
        };
        g.collect(index);
        for p in 0..g.principals {
            let Node::P(principal) = &g.nodes[p] else {
                continue;
            };
            let user = principal_user(principal);
            g.identity_edges(index, p as NodeId, &user);
        }
        g.pseudo_edges();
        g
    }

    /// Adds `user` (any identity, with its groups) as a starting node labelled `label`.
    pub(super) fn add_query(
        &mut self,
        index: &RbacIndex<'_>,
        user: &UserInfo,
        label: Principal,
    ) -> NodeId {
        let id = self.node(Node::Query(label));
        self.identity_edges(index, id, user);
        // New namespace-admin nodes need their own edges; existing ones are deduplicated.
        self.pseudo_edges();
        id
    }

    fn identity_edges(&mut self, index: &RbacIndex<'_>, p: NodeId, user: &UserInfo) {
        let grants = index.grants_of(user);
        if user.groups.iter().any(|x| x == GROUP_MASTERS) {
            let admin = self.node(Node::P(Principal::ClusterAdmin));
            self.edge(
                p,
                admin,
                StepKind::SystemMastersMember,
                vec![],
                String::new(),
            );
        }
        let caps = Caps::of(index, &grants);
        self.principal_edges(index, p, &caps, &grants);
    }

    /// Nodes for every principal named anywhere, in a stable order.
    fn collect(&mut self, index: &RbacIndex<'_>) {
        let input = index.input;
        let mut namespaces: BTreeSet<String> = ["default", "kube-system"].map(str::to_owned).into();
        namespaces.extend(input.namespaces.iter().map(|n| n.name.clone()));
        namespaces.extend(input.service_accounts.iter().map(|s| s.namespace.clone()));
        namespaces.extend(input.pods.iter().map(|p| p.namespace.clone()));
        namespaces.extend(input.secrets.iter().map(|s| s.namespace.clone()));
        namespaces.extend(input.roles.iter().filter_map(|r| r.namespace.clone()));
        namespaces.extend(input.bindings.iter().filter_map(|b| b.namespace.clone()));
        let mut principals: BTreeSet<Principal> = BTreeSet::new();
        principals.insert(Principal::Group {
            name: GROUP_MASTERS.to_owned(),
        });
        for ns in &namespaces {
            principals.insert(sa(ns, "default"));
        }
        for binding in &input.bindings {
            for subject in &binding.subjects {
                match subject.kind {
                    SubjectKind::User => {
                        principals.insert(match split_service_account(&subject.name) {
                            Ok((ns, name)) => sa(ns, name),
                            Err(_) => Principal::User {
                                name: subject.name.clone(),
                            },
                        })
                    }
                    SubjectKind::Group => principals.insert(Principal::Group {
                        name: subject.name.clone(),
                    }),
                    SubjectKind::ServiceAccount => match subject_sa_namespace(binding, subject) {
                        Some(ns) => principals.insert(sa(ns, &subject.name)),
                        None => false,
                    },
                    SubjectKind::Unknown => false,
                };
            }
        }
        principals.extend(
            input
                .service_accounts
                .iter()
                .map(|s| sa(&s.namespace, &s.name)),
        );
        principals.extend(
            input
                .pods
                .iter()
                .map(|p| sa(&p.namespace, &p.service_account)),
        );
        for secret in input
            .secrets
            .iter()
            .filter(|s| s.is_service_account_token())
        {
            if let Some(name) = &secret.service_account {
                principals.insert(sa(&secret.namespace, name));
            }
        }
        for principal in principals {
            let id = self.node(Node::P(principal.clone()));
            if let Principal::ServiceAccount { namespace, name } = principal {
                self.sa_by_ns.entry(namespace).or_default().push(id);
                self.sa_by_name.entry(name).or_default().push(id);
            }
        }
        self.principals = self.nodes.len();
        for s in &input.service_accounts {
            if let Some(automount) = s.automount_token {
                self.sa_automount
                    .insert((s.namespace.clone(), s.name.clone()), automount);
            }
        }
        for (i, pod) in input.pods.iter().enumerate() {
            self.pods_by_ns
                .entry(pod.namespace.clone())
                .or_default()
                .push(i);
            self.any_escape_pod |= pod.is_node_escape();
        }
        for (i, secret) in input.secrets.iter().enumerate() {
            if secret.is_service_account_token() {
                self.token_secrets_by_ns
                    .entry(secret.namespace.clone())
                    .or_default()
                    .push(i);
            }
        }
        self.blocked_ns = input
            .namespaces
            .iter()
            .filter(|n| n.blocks_privileged_pods())
            .map(|n| n.name.clone())
            .collect();
        self.namespaces = namespaces;
        // Fixed pseudo-principals.
        self.node(Node::P(Principal::ClusterAdmin));
        self.node(Node::P(Principal::NodeRoot));
        self.hubs_for(index);
    }

    /// Hubs need the input; create the ones every graph has up front.
    fn hubs_for(&mut self, index: &RbacIndex<'_>) {
        let input = index.input;
        let mounted = self.node(Node::Hub(Hub::MountedTokens));
        let mut targets = BTreeSet::new();
        for pod in &input.pods {
            if self.token_mounted(pod) {
                targets.insert(self.id(&Node::P(sa(&pod.namespace, &pod.service_account))));
            }
        }
        for t in targets.into_iter().flatten() {
            self.hub_edge(mounted, t);
        }
        let mut pods_hubs: Vec<(Option<String>, Vec<usize>)> = self
            .pods_by_ns
            .iter()
            .map(|(ns, p)| (Some(ns.clone()), p.clone()))
            .collect();
        pods_hubs.sort();
        for (ns, pods) in pods_hubs {
            let hub = self.node(Node::Hub(Hub::PodsIn(ns)));
            for i in pods {
                let pod = &input.pods[i];
                if self.token_mounted(pod)
                    && let Some(t) = self.id(&Node::P(sa(&pod.namespace, &pod.service_account)))
                {
                    self.hub_edge(hub, t);
                }
                if pod.is_node_escape() {
                    let root = self.node(Node::P(Principal::NodeRoot));
                    self.edge(
                        hub,
                        root,
                        StepKind::EscapeToNode,
                        vec![],
                        format!("exec into {}/{}", pod.namespace, pod.name),
                    );
                }
            }
        }
        let mut secret_hubs: Vec<(String, Vec<usize>)> = self
            .token_secrets_by_ns
            .iter()
            .map(|(ns, s)| (ns.clone(), s.clone()))
            .collect();
        secret_hubs.sort();
        for (ns, secrets) in secret_hubs {
            let hub = self.node(Node::Hub(Hub::TokenSecretsIn(Some(ns))));
            for i in secrets {
                let secret = &input.secrets[i];
                if let Some(t) = secret
                    .service_account
                    .as_deref()
                    .and_then(|n| self.id(&Node::P(sa(&secret.namespace, n))))
                {
                    self.hub_edge(hub, t);
                }
            }
        }
    }

    pub(super) fn id(&self, node: &Node) -> Option<NodeId> {
        self.ids.get(node).copied()
    }

    fn node(&mut self, node: Node) -> NodeId {
        if let Some(id) = self.ids.get(&node) {
            return *id;
        }
        let id = self.nodes.len() as NodeId;
        self.ids.insert(node.clone(), id);
        self.nodes.push(node);
        id
    }

    /// A hub node, created with its out-edges on first use.
    fn hub(&mut self, hub: Hub) -> NodeId {
        let key = Node::Hub(hub.clone());
        if let Some(id) = self.id(&key) {
            return id;
        }
        let id = self.node(key);
        let targets: Vec<NodeId> = match &hub {
            Hub::AnySa(Some(ns)) => self.sa_by_ns.get(ns).cloned().unwrap_or_default(),
            Hub::AnySa(None) => {
                let nss: Vec<String> = self.sa_by_ns.keys().cloned().collect();
                nss.into_iter()
                    .map(|ns| self.hub(Hub::AnySa(Some(ns))))
                    .collect()
            }
            Hub::AnyUser => self.principal_ids(|p| matches!(p, Principal::User { .. })),
            Hub::AnyGroup => self.principal_ids(|p| matches!(p, Principal::Group { .. })),
            Hub::PodsIn(None) | Hub::TokenSecretsIn(None) => {
                let nss: Vec<String> = self.namespaces.iter().cloned().collect();
                let per_ns = |ns: String| match &hub {
                    Hub::PodsIn(_) => Node::Hub(Hub::PodsIn(Some(ns))),
                    _ => Node::Hub(Hub::TokenSecretsIn(Some(ns))),
                };
                nss.into_iter()
                    .filter_map(|ns| self.id(&per_ns(ns)))
                    .collect()
            }
            // Per-namespace pod and secret hubs and MountedTokens are created up front; an absent one
            // is a namespace without pods or token secrets.
            Hub::PodsIn(Some(_)) | Hub::TokenSecretsIn(Some(_)) | Hub::MountedTokens => vec![],
        };
        for t in targets {
            self.hub_edge(id, t);
        }
        id
    }

    fn principal_ids(&self, keep: impl Fn(&Principal) -> bool) -> Vec<NodeId> {
        (0..self.principals)
            .filter(|&i| matches!(&self.nodes[i], Node::P(p) if keep(p)))
            .map(|i| i as NodeId)
            .collect()
    }

    fn hub_edge(&mut self, from: NodeId, to: NodeId) {
        if from != to && self.seen.insert((from, to, None)) {
            self.edges.push(Edge {
                from,
                to,
                kind: None,
                grants: vec![],
                via: String::new(),
            });
        }
    }

    fn edge(&mut self, from: NodeId, to: NodeId, kind: StepKind, grants: Vec<Grant>, via: String) {
        if from != to && self.seen.insert((from, to, Some(kind))) {
            self.edges.push(Edge {
                from,
                to,
                kind: Some(kind),
                grants,
                via,
            });
        }
    }

    fn token_mounted(&self, pod: &crate::input::PodInfo) -> bool {
        pod.token_mounted.unwrap_or_else(|| {
            self.sa_automount
                .get(&(pod.namespace.clone(), pod.service_account.clone()))
                .copied()
                .unwrap_or(true)
        })
    }

    fn ns_allows_privileged(&self, scope: Option<&str>) -> bool {
        match scope {
            Some(ns) => !self.blocked_ns.contains(ns),
            None => self
                .namespaces
                .iter()
                .any(|ns| !self.blocked_ns.contains(ns)),
        }
    }

    /// Service-account targets of a grant on service accounts (impersonate, create token): all in its
    /// scope, or the named ones.
    fn sa_targets(&mut self, cap: &Cap<'_>) -> Vec<NodeId> {
        if cap.names.is_empty() {
            return vec![self.hub(Hub::AnySa(cap.scope.map(str::to_owned)))];
        }
        let mut out = Vec::new();
        for name in cap.names {
            for &id in self.sa_by_name.get(name).map(Vec::as_slice).unwrap_or(&[]) {
                if let Node::P(Principal::ServiceAccount { namespace, .. }) =
                    &self.nodes[id as usize]
                    && cap.covers(namespace)
                {
                    out.push(id);
                }
            }
        }
        out
    }

    fn principal_edges(
        &mut self,
        index: &RbacIndex<'_>,
        p: NodeId,
        caps: &Caps<'_>,
        grants: &[Grant],
    ) {
        if let Some(grant) = caps.admin {
            let admin = self.node(Node::P(Principal::ClusterAdmin));
            self.edge(
                p,
                admin,
                StepKind::HoldsClusterAdmin,
                vec![grant],
                String::new(),
            );
        }
        self.impersonation_edges(p, caps);
        for cap in &caps.create_token {
            for t in self.sa_targets(cap) {
                self.edge(p, t, StepKind::CreateToken, vec![cap.grant], String::new());
            }
        }
        self.pod_edges(index, p, caps);
        self.secret_edges(index, p, caps);
        self.binding_edges(index, p, caps);
        self.escalate_edges(index, p, caps, grants);
        self.node_and_csr_edges(p, caps);
    }

    fn impersonation_edges(&mut self, p: NodeId, caps: &Caps<'_>) {
        for cap in &caps.impersonate_sas {
            for t in self.sa_targets(cap) {
                self.edge(p, t, StepKind::Impersonate, vec![cap.grant], String::new());
            }
        }
        for cap in &caps.impersonate_users {
            let targets = if cap.names.is_empty() {
                vec![self.hub(Hub::AnyUser)]
            } else {
                cap.names
                    .iter()
                    .filter_map(|n| self.id(&Node::P(Principal::User { name: n.clone() })))
                    .collect()
            };
            for t in targets {
                self.edge(p, t, StepKind::Impersonate, vec![cap.grant], String::new());
            }
        }
        // Impersonating groups needs a user to impersonate alongside (the API server rejects
        // Impersonate-Group without Impersonate-User).
        let Some(user_cap) = caps
            .impersonate_users
            .first()
            .or(caps.impersonate_sas.first())
        else {
            return;
        };
        for cap in &caps.impersonate_groups {
            let targets = if cap.names.is_empty() {
                vec![self.hub(Hub::AnyGroup)]
            } else {
                cap.names
                    .iter()
                    .filter_map(|n| self.id(&Node::P(Principal::Group { name: n.clone() })))
                    .collect()
            };
            for t in targets {
                self.edge(
                    p,
                    t,
                    StepKind::Impersonate,
                    vec![cap.grant, user_cap.grant],
                    String::new(),
                );
            }
        }
    }

    fn pod_edges(&mut self, index: &RbacIndex<'_>, p: NodeId, caps: &Caps<'_>) {
        let root = self.node(Node::P(Principal::NodeRoot));
        for (cap, resource) in &caps.create_pods {
            let hub = self.hub(Hub::AnySa(cap.scope.map(str::to_owned)));
            self.edge(
                p,
                hub,
                StepKind::CreatePod,
                vec![cap.grant],
                (*resource).to_owned(),
            );
            if self.ns_allows_privileged(cap.scope) {
                self.edge(
                    p,
                    root,
                    StepKind::EscapeToNode,
                    vec![cap.grant],
                    format!("a privileged pod ({resource})"),
                );
            }
        }
        // A hostPath PersistentVolume escapes even where Pod Security blocks hostPath volumes.
        if let Some(pv) = caps.create_pv.first() {
            'outer: for pvc in &caps.create_pvc {
                for (pod, resource) in &caps.create_pods {
                    if meet(pvc.scope, pod.scope).is_some() {
                        let grants = vec![pv.grant, pvc.grant, pod.grant];
                        self.edge(
                            p,
                            root,
                            StepKind::EscapeToNode,
                            grants,
                            format!("a hostPath PersistentVolume claimed by a pod ({resource})"),
                        );
                        break 'outer;
                    }
                }
            }
        }
        for (cap, how) in &caps.exec {
            if cap.names.is_empty() {
                let hub = self.hub(Hub::PodsIn(cap.scope.map(str::to_owned)));
                self.edge(
                    p,
                    hub,
                    StepKind::ExecIntoPod,
                    vec![cap.grant],
                    (*how).to_owned(),
                );
                continue;
            }
            for pod in index
                .input
                .pods
                .iter()
                .filter(|pod| cap.covers(&pod.namespace) && cap.allows_name(&pod.name))
            {
                let via = format!("{how} into {}/{}", pod.namespace, pod.name);
                if self.token_mounted(pod)
                    && let Some(t) = self.id(&Node::P(sa(&pod.namespace, &pod.service_account)))
                {
                    self.edge(p, t, StepKind::ExecIntoPod, vec![cap.grant], via.clone());
                }
                if pod.is_node_escape() {
                    self.edge(p, root, StepKind::EscapeToNode, vec![cap.grant], via);
                }
            }
        }
    }

    fn secret_edges(&mut self, index: &RbacIndex<'_>, p: NodeId, caps: &Caps<'_>) {
        for cap in &caps.read_secrets {
            if cap.names.is_empty() {
                let hub = self.hub(Hub::TokenSecretsIn(cap.scope.map(str::to_owned)));
                self.edge(
                    p,
                    hub,
                    StepKind::ReadTokenSecret,
                    vec![cap.grant],
                    String::new(),
                );
                continue;
            }
            for secret in index.input.secrets.iter().filter(|s| {
                s.is_service_account_token() && cap.covers(&s.namespace) && cap.allows_name(&s.name)
            }) {
                let target = secret
                    .service_account
                    .as_deref()
                    .and_then(|n| self.id(&Node::P(sa(&secret.namespace, n))));
                if let Some(t) = target {
                    self.edge(
                        p,
                        t,
                        StepKind::ReadTokenSecret,
                        vec![cap.grant],
                        format!("{}/{}", secret.namespace, secret.name),
                    );
                }
            }
        }
        // Create a Secret of type service-account-token annotated with any service account: the token
        // controller fills in a token, which the attacker then reads.
        'outer: for create in &caps.create_secrets {
            for read in caps.read_secrets.iter().filter(|c| c.names.is_empty()) {
                if let Some(scope) = meet(create.scope, read.scope) {
                    let hub = self.hub(Hub::AnySa(scope.map(str::to_owned)));
                    self.edge(
                        p,
                        hub,
                        StepKind::MintTokenSecret,
                        vec![create.grant, read.grant],
                        String::new(),
                    );
                    break 'outer;
                }
            }
        }
    }

    /// `bind`: create (or update) a binding to a role stronger than the attacker.
    fn binding_edges(&mut self, index: &RbacIndex<'_>, p: NodeId, caps: &Caps<'_>) {
        let admin_roles = std::mem::take(&mut self.admin_roles);
        self.binding_edges_with(index, p, caps, &admin_roles);
        self.admin_roles = admin_roles;
    }

    fn binding_edges_with(
        &mut self,
        index: &RbacIndex<'_>,
        p: NodeId,
        caps: &Caps<'_>,
        admin_roles: &[String],
    ) {
        let admin = self.node(Node::P(Principal::ClusterAdmin));
        // ClusterRoleBinding: the bind check runs with an empty namespace, so only cluster-wide grants.
        for bind in caps.bind_clusterroles.iter().filter(|c| c.scope.is_none()) {
            let Some(role) = admin_roles.iter().find(|r| bind.allows_name(r)).cloned() else {
                continue;
            };
            if let Some(create) = caps.create_crb.first() {
                self.edge(
                    p,
                    admin,
                    StepKind::BindRole,
                    vec![create.grant, bind.grant],
                    format!("creates a ClusterRoleBinding to ClusterRole {role}"),
                );
            }
            for update in &caps.update_crb {
                let existing = index.input.bindings.iter().find(|b| {
                    b.namespace.is_none()
                        && update.allows_name(&b.name)
                        && bind.allows_name(&b.role_ref.name)
                        && admin_roles.contains(&b.role_ref.name)
                });
                if let Some(b) = existing {
                    self.edge(
                        p,
                        admin,
                        StepKind::BindRole,
                        vec![update.grant, bind.grant],
                        format!(
                            "ClusterRoleBinding {} (ClusterRole {}), adding itself as a subject",
                            b.name, b.role_ref.name
                        ),
                    );
                }
            }
        }
        // RoleBinding to an admin-like ClusterRole: namespace admin.
        for create in &caps.create_rb {
            for bind in &caps.bind_clusterroles {
                let Some(scope) = meet(create.scope, bind.scope) else {
                    continue;
                };
                let Some(role) = NS_ADMIN_ROLES
                    .iter()
                    .copied()
                    .chain(admin_roles.iter().map(String::as_str))
                    .find(|r| bind.allows_name(r))
                else {
                    continue;
                };
                let nss: Vec<String> = match scope {
                    Some(ns) => vec![ns.to_owned()],
                    None => self.namespaces.iter().cloned().collect(),
                };
                for ns in nss {
                    let t = self.node(Node::P(Principal::NamespaceAdmin {
                        namespace: ns.clone(),
                    }));
                    self.edge(
                        p,
                        t,
                        StepKind::BindRole,
                        vec![create.grant, bind.grant],
                        format!("creates a RoleBinding in {ns} to ClusterRole {role}"),
                    );
                }
            }
        }
    }

    /// `escalate`: rewrite a role already bound to the attacker so it holds everything.
    fn escalate_edges(
        &mut self,
        index: &RbacIndex<'_>,
        p: NodeId,
        caps: &Caps<'_>,
        grants: &[Grant],
    ) {
        if caps.escalate_clusterroles.is_empty() && caps.escalate_roles.is_empty() {
            return;
        }
        let mut bindings: Vec<u32> = grants.iter().map(|g| g.slot.binding).collect();
        bindings.dedup();
        for b in bindings {
            let binding = &index.input.bindings[b as usize];
            let Some(r) = index.binding_role[b as usize] else {
                continue;
            };
            let role = &index.input.roles[r];
            if crate::index::is_aggregated(role) {
                // The aggregation controller would overwrite the change.
                continue;
            }
            let (escalate, update) = if role.namespace.is_none() {
                (&caps.escalate_clusterroles, &caps.update_clusterroles)
            } else {
                (&caps.escalate_roles, &caps.update_roles)
            };
            let ns = role.namespace.as_deref();
            let fits = |c: &&Cap<'_>| c.allows_name(&role.name) && ns.is_none_or(|ns| c.covers(ns));
            let (Some(e), Some(u)) = (escalate.iter().find(fits), update.iter().find(fits)) else {
                continue;
            };
            let target = match &binding.namespace {
                None => Principal::ClusterAdmin,
                Some(ns) => Principal::NamespaceAdmin {
                    namespace: ns.clone(),
                },
            };
            let t = self.node(Node::P(target));
            let what = if role.namespace.is_some() {
                "Role"
            } else {
                "ClusterRole"
            };
            self.edge(
                p,
                t,
                StepKind::EscalateRole,
                vec![e.grant, u.grant],
                format!("{what} {} (bound to it by {})", role.name, binding.name),
            );
        }
    }

    fn node_and_csr_edges(&mut self, p: NodeId, caps: &Caps<'_>) {
        if let Some(cap) = caps.nodes_proxy.first() {
            let mounted = self.node(Node::Hub(Hub::MountedTokens));
            self.edge(
                p,
                mounted,
                StepKind::NodesProxy,
                vec![cap.grant],
                String::new(),
            );
            if self.any_escape_pod {
                let root = self.node(Node::P(Principal::NodeRoot));
                self.edge(
                    p,
                    root,
                    StepKind::NodesProxy,
                    vec![cap.grant],
                    "exec into a privileged pod".to_owned(),
                );
            }
        }
        if let (Some(create), Some(read), Some(approval), Some(signer)) = (
            caps.csr_create.first(),
            caps.csr_read.first(),
            caps.csr_approval.first(),
            caps.signer_approve.first(),
        ) {
            let admin = self.node(Node::P(Principal::ClusterAdmin));
            let grants = vec![create.grant, approval.grant, signer.grant, read.grant];
            self.edge(
                p,
                admin,
                StepKind::SignClientCertificate,
                grants,
                String::new(),
            );
        }
    }

    /// Edges out of pseudo-principals: node root and namespace admin.
    fn pseudo_edges(&mut self) {
        let root = self.node(Node::P(Principal::NodeRoot));
        let mounted = self.node(Node::Hub(Hub::MountedTokens));
        self.edge(
            root,
            mounted,
            StepKind::StealNodeTokens,
            vec![],
            String::new(),
        );
        if let Some(nodes) = self.id(&Node::P(Principal::Group {
            name: "system:nodes".to_owned(),
        })) {
            self.edge(
                root,
                nodes,
                StepKind::UseNodeCredentials,
                vec![],
                String::new(),
            );
        }
        let ns_admins: Vec<(NodeId, String)> = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n {
                Node::P(Principal::NamespaceAdmin { namespace }) => {
                    Some((i as NodeId, namespace.clone()))
                }
                _ => None,
            })
            .collect();
        for (id, ns) in ns_admins {
            let hub = self.hub(Hub::AnySa(Some(ns.clone())));
            self.edge(id, hub, StepKind::CreatePod, vec![], "pods".to_owned());
            if self.ns_allows_privileged(Some(&ns)) {
                self.edge(
                    id,
                    root,
                    StepKind::EscapeToNode,
                    vec![],
                    "a privileged pod (pods)".to_owned(),
                );
            }
            if let Some(pods) = self.id(&Node::Hub(Hub::PodsIn(Some(ns)))) {
                self.edge(id, pods, StepKind::ExecIntoPod, vec![], "exec".to_owned());
            }
        }
    }
}

pub(super) fn sa(namespace: &str, name: &str) -> Principal {
    Principal::ServiceAccount {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    }
}

/// The identity an attacker holding this principal's credentials presents.
pub(super) fn principal_user(principal: &Principal) -> UserInfo {
    match principal {
        Principal::User { name } => UserInfo::user(name, &[]),
        Principal::Group { name } => UserInfo::group_member(name),
        Principal::ServiceAccount { namespace, name } => UserInfo::service_account(namespace, name),
        Principal::ClusterAdmin | Principal::NamespaceAdmin { .. } | Principal::NodeRoot => {
            UserInfo::raw("", &[])
        }
    }
}

/// ClusterRoles that hold everything: `cluster-admin` (present in every cluster) and any ClusterRole
/// whose effective rules include `*` verbs on `*` resources in `*` groups.
pub(super) fn admin_cluster_roles(index: &RbacIndex<'_>) -> Vec<String> {
    let mut out = vec![ADMIN_ROLE.to_owned()];
    for (i, role) in index.input.roles.iter().enumerate() {
        if role.namespace.is_none()
            && role.name != ADMIN_ROLE
            && index.effective[i]
                .iter()
                .any(|er| is_full_wildcard(index.rule(*er)))
        {
            out.push(role.name.clone());
        }
    }
    out
}
