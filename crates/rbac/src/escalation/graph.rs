//! The escalation graph: principals and pseudo-principals as nodes, attack steps as edges.
//!
//! Hubs ("any service account in namespace X", "every pod in X") keep the graph linear in the input:
//! a principal that can create pods everywhere gets one edge to a hub, not one per service account.
//! Hub edges cost nothing; every real step costs one.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::caps::{Caps, CapsTable};
use super::{Principal, StepKind};
use crate::authz::{
    GROUP_AUTHENTICATED, GROUP_MASTERS, GROUP_SERVICE_ACCOUNTS, UserInfo, split_service_account,
};
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
    /// Admin of every namespace (a RoleBinding to an admin-like ClusterRole anywhere).
    NamespaceAdmins,
    /// Whoever is in exactly these groups (sorted) and named by no binding: what every service
    /// account of a namespace holds through `system:serviceaccounts[:NS]` and
    /// `system:authenticated`, worked out once.
    Groups(Vec<String>),
    /// Admin of each namespace holding a RoleBinding of an admin-like ClusterRole, through the
    /// first such binding (its edges name it).
    StrongRoleBindings,
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
    pub(super) seen: HashSet<(NodeId, NodeId, Option<StepKind>)>,
    pub(super) namespaces: BTreeSet<String>,
    pub(super) blocked_ns: HashSet<String>,
    pub(super) sa_by_ns: HashMap<String, Vec<NodeId>>,
    pub(super) sa_by_name: HashMap<String, Vec<NodeId>>,
    pub(super) pods_by_ns: HashMap<String, Vec<usize>>,
    pub(super) token_secrets_by_ns: HashMap<String, Vec<usize>>,
    pub(super) any_escape_pod: bool,
    /// `automountServiceAccountToken` of each ServiceAccount that sets it.
    pub(super) sa_automount: HashMap<(String, String), bool>,
    pub(super) admin_roles: Vec<String>,
    /// RoleBindings of admin-like ClusterRoles, the only ones whose update makes namespace admin.
    pub(super) strong_role_bindings: StrongRoleBindings,
    pub(super) caps_table: CapsTable,
    /// Per binding and subject line: the group the line names, if it names one.
    line_group: Vec<Vec<Option<String>>>,
    /// While adding the edges of a node that also reaches the shared node of these groups: edges
    /// whose grants all come through them are there already.
    base_groups: Vec<String>,
}

/// What a set of groups holds, for the principals in exactly those groups: their shared node, and
/// the groups' grants and capabilities (marked inherited), to which a principal that bindings also
/// name adds its own.
pub(super) struct Shared<'a> {
    node: NodeId,
    caps: Caps<'a>,
    grants: Vec<Grant>,
}

/// Groups whole classes of principals are in: every service account, every authenticated user.
const GLOBAL_GROUPS: [&str; 2] = [GROUP_SERVICE_ACCOUNTS, GROUP_AUTHENTICATED];

/// Indexes into the input's bindings, in input order (so that ties between equally short paths
/// break as before).
#[derive(Debug, Default, Clone)]
pub(super) struct StrongRoleBindings {
    /// ClusterRoleBindings (of any role: which roles count is checked where they are used).
    pub(super) cluster: Vec<u32>,
    pub(super) all: Vec<u32>,
    pub(super) by_namespace: HashMap<String, Vec<u32>>,
    /// Per namespace (sorted), how its first strong RoleBinding makes its admin.
    pub(super) first_per_namespace: Vec<(String, String)>,
}

impl StrongRoleBindings {
    fn new(index: &RbacIndex<'_>, admin_roles: &[String]) -> Self {
        let mut out = Self::default();
        for (i, b) in index.input.bindings.iter().enumerate() {
            let Some(ns) = &b.namespace else {
                out.cluster.push(i as u32);
                continue;
            };
            let strong = b.role_ref.kind == crate::input::RoleRefKind::ClusterRole
                && (NS_ADMIN_ROLES.contains(&b.role_ref.name.as_str())
                    || admin_roles.contains(&b.role_ref.name));
            if strong {
                out.all.push(i as u32);
                out.by_namespace
                    .entry(ns.clone())
                    .or_default()
                    .push(i as u32);
            }
        }
        let mut firsts: Vec<(String, String)> = out
            .by_namespace
            .iter()
            .filter_map(|(ns, list)| {
                let b = &index.input.bindings[*list.first()? as usize];
                Some((
                    ns.clone(),
                    format!(
                        "adds itself to RoleBinding {ns}/{} (ClusterRole {})",
                        b.name, b.role_ref.name
                    ),
                ))
            })
            .collect();
        firsts.sort();
        out.first_per_namespace = firsts;
        out
    }
}

pub(super) const ADMIN_ROLE: &str = "cluster-admin";
/// Default ClusterRoles that, bound in one namespace, give what escalation needs there (pods,
/// secrets, exec, tokens).
pub(super) const NS_ADMIN_ROLES: [&str; 3] = ["cluster-admin", "admin", "edit"];

impl Graph {
    pub(super) fn build<'a>(index: &RbacIndex<'a>) -> Self {
        let admin_roles = admin_cluster_roles(index);
        let mut g = Graph {
            strong_role_bindings: StrongRoleBindings::new(index, &admin_roles),
            admin_roles,
            caps_table: CapsTable::build(index),
            line_group: index
                .input
                .bindings
                .iter()
                .map(|b| {
                    b.subjects
                        .iter()
                        .map(|s| (s.kind == SubjectKind::Group).then(|| s.name.clone()))
                        .collect()
                })
                .collect(),
            ..Graph::default()
        };
        g.collect(index);
        let mut shared: HashMap<Vec<String>, Shared<'a>> = HashMap::new();
        for p in 0..g.principals {
            let Node::P(principal) = &g.nodes[p] else {
                continue;
            };
            let user = principal_user(principal);
            g.principal_identity_edges(index, p as NodeId, &user, &mut shared);
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

    /// Edges of a principal of the graph. What a principal holds through its groups is the same
    /// for every member, so each set of groups gets one shared node whose edges are worked out
    /// once, and its members reach it by a free edge: clusters bind `system:authenticated` or
    /// `system:serviceaccounts` a few dozen times, and every service account would otherwise repeat
    /// all of those steps. A principal that bindings also name gets its own edges on top, except
    /// those whose grants all come through its groups.
    fn principal_identity_edges<'a>(
        &mut self,
        index: &RbacIndex<'a>,
        p: NodeId,
        user: &UserInfo,
        shared: &mut HashMap<Vec<String>, Shared<'a>>,
    ) {
        let mut groups = user.groups.clone();
        groups.sort();
        groups.dedup();
        let node = self.shared_node(index, groups.clone(), shared);
        self.hub_edge(p, node);
        if !index.names_user(&user.name) {
            return;
        }
        // The groups' capabilities were sorted once; only the principal's own grants are new.
        let Some(groups_part) = shared.get(&groups) else {
            return;
        };
        let own = index.grants_of_name(&user.name);
        let mut caps = Caps::of(index, &self.caps_table, &own, |_| false);
        caps.inherit(&groups_part.caps);
        let mut grants = own;
        grants.extend_from_slice(&groups_part.grants);
        self.with_base(groups, |g| g.edges_of(index, p, user, &caps, &grants));
    }

    /// The node of whoever is in exactly `groups` (sorted). The groups every service account or
    /// every user is in form a shared node of their own, which this one reaches by a free edge, so
    /// that the steps of `system:authenticated` are not repeated for each namespace's service
    /// accounts either.
    fn shared_node<'a>(
        &mut self,
        index: &RbacIndex<'a>,
        groups: Vec<String>,
        shared: &mut HashMap<Vec<String>, Shared<'a>>,
    ) -> NodeId {
        if let Some(known) = shared.get(&groups) {
            return known.node;
        }
        let node = self.node(Node::Hub(Hub::Groups(groups.clone())));
        let members = UserInfo {
            name: String::new(),
            groups: groups.clone(),
        };
        let grants = index.grants_of(&members);
        let base: Vec<String> = groups
            .iter()
            .filter(|g| GLOBAL_GROUPS.contains(&g.as_str()))
            .cloned()
            .collect();
        let base = if base.is_empty() || base.len() == groups.len() {
            Vec::new()
        } else {
            let base_node = self.shared_node(index, base.clone(), shared);
            self.hub_edge(node, base_node);
            base
        };
        self.with_base(base, |g| {
            let caps = Caps::of(index, &g.caps_table, &grants, |grant| g.inherited(&[grant]));
            g.edges_of(index, node, &members, &caps, &grants);
        });
        // What members that bindings also name inherit: every group grant.
        let caps = Caps::of(index, &self.caps_table, &grants, |_| true);
        shared.insert(groups, Shared { node, caps, grants });
        node
    }

    /// Runs `add` skipping edges whose grants all come through `base` groups.
    fn with_base(&mut self, base: Vec<String>, add: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.base_groups, base);
        add(self);
        self.base_groups = outer;
    }

    fn identity_edges(&mut self, index: &RbacIndex<'_>, p: NodeId, user: &UserInfo) {
        let grants = index.grants_of(user);
        let caps = Caps::of(index, &self.caps_table, &grants, |g| self.inherited(&[g]));
        self.edges_of(index, p, user, &caps, &grants);
    }

    fn edges_of(
        &mut self,
        index: &RbacIndex<'_>,
        p: NodeId,
        user: &UserInfo,
        caps: &Caps<'_>,
        grants: &[Grant],
    ) {
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
        self.principal_edges(index, p, caps, grants);
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

    pub(super) fn node(&mut self, node: Node) -> NodeId {
        if let Some(id) = self.ids.get(&node) {
            return *id;
        }
        let id = self.nodes.len() as NodeId;
        self.ids.insert(node.clone(), id);
        self.nodes.push(node);
        id
    }

    /// A hub node, created with its out-edges on first use.
    pub(super) fn hub(&mut self, hub: Hub) -> NodeId {
        let key = Node::Hub(hub.clone());
        if let Some(id) = self.id(&key) {
            return id;
        }
        let id = self.node(key);
        let targets: Vec<NodeId> = match &hub {
            Hub::AnySa(Some(ns)) => self.sa_by_ns.get(ns).cloned().unwrap_or_default(),
            Hub::AnySa(None) => {
                // Namespaces in sorted order so that ties between equally short paths break the
                // same way on every run.
                let nss: Vec<String> = self
                    .namespaces
                    .iter()
                    .filter(|ns| self.sa_by_ns.contains_key(*ns))
                    .cloned()
                    .collect();
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
            // Its edges are the group grants' steps, added by the caller.
            Hub::Groups(_) => vec![],
            Hub::StrongRoleBindings => {
                let firsts = self.strong_role_bindings.first_per_namespace.clone();
                for (namespace, via) in firsts {
                    let t = self.node(Node::P(Principal::NamespaceAdmin { namespace }));
                    self.hub_edge_via(id, t, via);
                }
                vec![]
            }
            Hub::NamespaceAdmins => {
                let nss: Vec<String> = self.namespaces.iter().cloned().collect();
                nss.into_iter()
                    .map(|namespace| self.node(Node::P(Principal::NamespaceAdmin { namespace })))
                    .collect()
            }
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

    /// Whether every one of `grants` (at least one) comes through the base groups of the node whose
    /// edges are being added: the base groups' shared node has the step already.
    pub(super) fn inherited(&self, grants: &[Grant]) -> bool {
        !self.base_groups.is_empty()
            && !grants.is_empty()
            && grants.iter().all(|g| {
                self.line_group
                    .get(g.slot.binding as usize)
                    .and_then(|lines| lines.get(g.slot.subject as usize))
                    .and_then(Option::as_ref)
                    .is_some_and(|group| self.base_groups.contains(group))
            })
    }

    pub(super) fn hub_edge(&mut self, from: NodeId, to: NodeId) {
        self.hub_edge_via(from, to, String::new());
    }

    /// A hub edge whose `via` replaces the one of the step into the hub (it names which of the
    /// hub's objects the step used).
    pub(super) fn hub_edge_via(&mut self, from: NodeId, to: NodeId, via: String) {
        if from != to && self.seen.insert((from, to, None)) {
            self.edges.push(Edge {
                from,
                to,
                kind: None,
                grants: vec![],
                via,
            });
        }
    }

    pub(super) fn edge(
        &mut self,
        from: NodeId,
        to: NodeId,
        kind: StepKind,
        grants: Vec<Grant>,
        via: String,
    ) {
        if !self.inherited(&grants) {
            self.edge_always(from, to, kind, grants, via);
        }
    }

    /// [`Self::edge`] for a step that needs more than its grants (a binding the principal holds
    /// itself), which the base groups' node may lack even when every grant is inherited.
    pub(super) fn edge_always(
        &mut self,
        from: NodeId,
        to: NodeId,
        kind: StepKind,
        grants: Vec<Grant>,
        via: String,
    ) {
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

    pub(super) fn token_mounted(&self, pod: &crate::input::PodInfo) -> bool {
        pod.token_mounted.unwrap_or_else(|| {
            self.sa_automount
                .get(&(pod.namespace.clone(), pod.service_account.clone()))
                .copied()
                .unwrap_or(true)
        })
    }

    pub(super) fn ns_allows_privileged(&self, scope: Option<&str>) -> bool {
        match scope {
            Some(ns) => !self.blocked_ns.contains(ns),
            None => self
                .namespaces
                .iter()
                .any(|ns| !self.blocked_ns.contains(ns)),
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
