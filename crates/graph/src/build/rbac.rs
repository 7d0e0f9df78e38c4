//! RBAC edges from the RBAC engine: granted, member-of, can-read-secret, can-exec,
//! can-create-pods, includes, can-escalate. Semantics (aggregation, scopes, wildcards) are the
//! engine's; this module asks who-can once per request over every namespace and turns each grant
//! into one edge to what it reaches in its scope.

use std::collections::{BTreeMap, HashMap};

use kubeward_model::Inventory;
use kubeward_rbac::{
    EscalationPath, GROUP_AUTHENTICATED, GROUP_SERVICE_ACCOUNTS, GrantInfo, Principal, RbacIndex,
    Request, Subject, SubjectKind, WhoCan,
};
use petgraph::graph::NodeIndex;

use super::pods::Pods;
use super::{Builder, ObjectKey};
use crate::model::{Collection, EdgeKind, Evidence, NodeKind};

/// What a grant lets its holder do, per kind of edge.
struct Capability {
    edge: EdgeKind,
    /// What the grant reaches in its scope.
    of: Collection,
    requests: &'static [(&'static str, &'static str)],
    /// Findings of the binding that report this grant.
    rules: &'static [&'static str],
}

const CAPABILITIES: [Capability; 3] = [
    Capability {
        edge: EdgeKind::CanReadSecret,
        of: Collection::Secrets,
        requests: &[("get", "secrets"), ("list", "secrets")],
        rules: &["RBAC003", "RBAC001"],
    },
    Capability {
        edge: EdgeKind::CanExec,
        of: Collection::Workloads,
        requests: &[("create", "pods/exec")],
        rules: &["RBAC005", "RBAC001"],
    },
    Capability {
        edge: EdgeKind::CanCreatePods,
        of: Collection::ServiceAccounts,
        requests: &[("create", "pods")],
        rules: &["RBAC004", "RBAC001"],
    },
];

/// Objects a grant can reach, by namespace: each collection gets an [`NodeKind::Every`] node per
/// namespace (and one for every namespace) the first time a grant reaches it, so a cluster-wide
/// grant is one edge, not one per Secret, workload or service account.
struct Members {
    accounts: HashMap<String, Vec<NodeIndex>>,
    secrets: HashMap<String, Vec<NodeIndex>>,
    workloads: HashMap<String, Vec<NodeIndex>>,
    /// Whether Pod Security Admission enforces baseline or restricted, per namespace with a
    /// Namespace object or with objects in the map.
    blocks_privileged: BTreeMap<String, bool>,
}

impl Members {
    fn of(b: &Builder<'_>, pods: &Pods<'_>, input: &kubeward_rbac::RbacInput) -> Self {
        let mut m = Members {
            accounts: HashMap::new(),
            secrets: HashMap::new(),
            workloads: HashMap::new(),
            blocks_privileged: BTreeMap::new(),
        };
        for n in b.graph.graph.node_indices() {
            match &b.graph.graph[n].kind {
                NodeKind::ServiceAccount { namespace, .. } => {
                    m.accounts.entry(namespace.clone()).or_default().push(n);
                }
                NodeKind::Secret { namespace, .. } => {
                    m.secrets.entry(namespace.clone()).or_default().push(n);
                }
                _ => {}
            }
        }
        for pod in &pods.all {
            m.workloads
                .entry(pod.namespace.clone())
                .or_default()
                .push(pod.node);
        }
        for ns in m
            .accounts
            .keys()
            .chain(m.secrets.keys())
            .chain(m.workloads.keys())
        {
            m.blocks_privileged.insert(ns.clone(), false);
        }
        for n in &input.namespaces {
            m.blocks_privileged
                .insert(n.name.clone(), n.blocks_privileged_pods());
        }
        m
    }

    fn by_namespace(&self, of: Collection) -> &HashMap<String, Vec<NodeIndex>> {
        match of {
            Collection::Secrets => &self.secrets,
            Collection::Workloads => &self.workloads,
            Collection::ServiceAccounts => &self.accounts,
        }
    }

    /// The node standing for every object of `of` in `namespace` (`None`: every namespace), with
    /// its `includes` edges; `None` when there is no such object.
    fn every(
        &self,
        b: &mut Builder<'_>,
        of: Collection,
        namespace: Option<&str>,
    ) -> Option<NodeIndex> {
        let kind = NodeKind::Every {
            of,
            namespace: namespace.map(str::to_owned),
        };
        if let Some(n) = b.existing(&kind) {
            return Some(n);
        }
        let lists = self.by_namespace(of);
        // The hub for every namespace includes each object itself (not each namespace's hub), so
        // a path names the object one step after the grant either way.
        let members: Vec<(&str, NodeIndex)> = match namespace {
            Some(ns) => lists.get(ns)?.iter().map(|&n| (ns, n)).collect(),
            None => {
                let mut namespaces: Vec<&String> = lists.keys().collect();
                namespaces.sort();
                namespaces
                    .into_iter()
                    .flat_map(|ns| lists[ns].iter().map(move |&n| (ns.as_str(), n)))
                    .collect()
            }
        };
        if members.is_empty() {
            return None;
        }
        let hub = b.node(kind);
        for (ns, member) in members {
            let text = format!("{} is in namespace {ns}", b.graph.graph[member].kind);
            let evidence = about(b, member, text);
            b.edge(hub, member, EdgeKind::Includes, evidence);
        }
        Some(hub)
    }

    /// A namespace the grant's scope covers where Pod Security Admission lets a privileged pod
    /// in, if any.
    fn allows_privileged<'m>(&'m self, scope: Option<&'m str>) -> Option<&'m str> {
        match scope {
            Some(ns) => (!self.blocks_privileged.get(ns).copied().unwrap_or(false)).then_some(ns),
            None => self
                .blocks_privileged
                .iter()
                .find(|(_, blocks)| !**blocks)
                .map(|(ns, _)| ns.as_str()),
        }
    }
}

/// What the map needs from the RBAC engine. It depends on the inventory alone, so
/// [`RiskGraph::build`](super::RiskGraph::build) works it out on a thread of its own beside the
/// workload and network phases.
pub(crate) struct Answers {
    input: kubeward_rbac::RbacInput,
    /// Per capability and request: who may make it in some namespace, each grant with its scope.
    who: Vec<(usize, &'static str, &'static str, WhoCan)>,
    /// The escalation paths of service accounts.
    escalations: Vec<EscalationPath>,
}

impl Answers {
    pub(crate) fn compute(inventory: &Inventory) -> Self {
        let converted = kubeward_rules::rbac_input(inventory);
        let index = RbacIndex::build(&converted.input);
        let mut who = Vec::new();
        for (i, cap) in CAPABILITIES.iter().enumerate() {
            for &(verb, resource) in cap.requests {
                // One pass over every namespace's bindings; each grant keeps its scope.
                let answer = index.who_can_in_any_namespace(&Request::resource(verb, resource));
                who.push((i, verb, resource, answer));
            }
        }
        let escalations = index
            .escalations(None)
            .into_iter()
            .filter(|p| matches!(p.subject, Principal::ServiceAccount { .. }))
            .collect();
        drop(index);
        Answers {
            input: converted.input,
            who,
            escalations,
        }
    }
}

/// Adds the RBAC edges; `phase` records when each part ended.
pub(crate) fn add(
    b: &mut Builder<'_>,
    answers: &Answers,
    pods: &Pods<'_>,
    mut phase: impl FnMut(&'static str),
) {
    let members = Members::of(b, pods, &answers.input);
    for (i, verb, resource, answer) in &answers.who {
        let Some(cap) = CAPABILITIES.get(*i) else {
            continue;
        };
        for sg in &answer.subjects {
            let holders = holders(b, &sg.subject, &members);
            if holders.is_empty() {
                continue;
            }
            for grant in &sg.grants {
                let scope = grant.binding.namespace.as_deref();
                let Some(target) = members.every(b, cap.of, scope) else {
                    continue;
                };
                let p = permission(b, grant, &holders);
                let binding = binding_key(grant);
                let rule = b.finding(&binding, cap.rules);
                let what = match scope {
                    Some(ns) => format!("{verb} {resource} in namespace {ns}"),
                    None => format!("{verb} {resource} in every namespace"),
                };
                capability_edges(b, cap.edge, p, target, &what, grant, rule, &members);
            }
        }
    }
    phase("RBAC grants");
    escalations(b, &answers.escalations);
    phase("RBAC escalations");
}

/// The nodes a binding subject stands for in the map: a service account, or a group that service
/// accounts are in (`system:serviceaccounts`, `system:serviceaccounts:NS`,
/// `system:authenticated`), with `member-of` edges from its accounts. Users and other groups hold
/// no pod, so no path starts with them.
fn holders(b: &mut Builder<'_>, subject: &Subject, members: &Members) -> Vec<NodeIndex> {
    let group_members: Vec<NodeIndex> = match subject.kind {
        SubjectKind::ServiceAccount => {
            return b
                .existing(&NodeKind::ServiceAccount {
                    namespace: subject.namespace.clone().unwrap_or_default(),
                    name: subject.name.clone(),
                })
                .into_iter()
                .collect();
        }
        SubjectKind::Group
            if subject.name == GROUP_SERVICE_ACCOUNTS || subject.name == GROUP_AUTHENTICATED =>
        {
            let mut namespaces: Vec<&String> = members.accounts.keys().collect();
            namespaces.sort();
            namespaces
                .into_iter()
                .flat_map(|ns| members.accounts[ns].iter().copied())
                .collect()
        }
        SubjectKind::Group => match subject.name.strip_prefix("system:serviceaccounts:") {
            Some(ns) => members.accounts.get(ns).cloned().unwrap_or_default(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    if group_members.is_empty() {
        return Vec::new();
    }
    let kind = NodeKind::Group {
        name: subject.name.clone(),
    };
    if let Some(group) = b.existing(&kind) {
        return vec![group];
    }
    let group = b.node(kind);
    for account in group_members {
        let text = format!(
            "{} is in group {} (as every service account{})",
            b.graph.graph[account].kind,
            subject.name,
            if subject.name.starts_with("system:serviceaccounts:") {
                " of its namespace"
            } else {
                ""
            }
        );
        let evidence = about(b, account, text);
        b.edge(account, group, EdgeKind::MemberOf, evidence);
    }
    vec![group]
}

/// Evidence whose object is the one node `n` stands for.
fn about(b: &Builder<'_>, n: NodeIndex, text: String) -> Evidence {
    Evidence {
        text,
        object: b.graph.graph[n]
            .kind
            .object_key()
            .map(|k| super::object_label(&k)),
        rule: None,
    }
}

fn binding_key(grant: &GrantInfo) -> ObjectKey {
    (
        match grant.binding.kind {
            kubeward_rbac::BindingKind::RoleBinding => "RoleBinding".into(),
            kubeward_rbac::BindingKind::ClusterRoleBinding => "ClusterRoleBinding".into(),
        },
        grant.binding.namespace.clone(),
        grant.binding.name.clone(),
    )
}

/// The permission node of a grant, with `granted` edges from its holders.
fn permission(b: &mut Builder<'_>, grant: &GrantInfo, holders: &[NodeIndex]) -> NodeIndex {
    let kind = NodeKind::Permission {
        binding: grant.binding.to_string(),
        role: grant.role.to_string(),
        scope: grant.scope.to_string(),
    };
    // who-can reports a cluster-wide grant again for every namespace and capability: once its
    // node and its holders' edges exist, there is nothing to add (and no evidence to format).
    if let Some(p) = b.existing(&kind)
        && holders.iter().all(|h| b.has_edge(*h, p, EdgeKind::Granted))
    {
        return p;
    }
    let p = b.node(kind);
    let binding = binding_key(grant);
    b.link_object(binding.clone(), p);
    let role_kind = match grant.role.kind {
        kubeward_rbac::RoleKind::Role => "Role",
        kubeward_rbac::RoleKind::ClusterRole => "ClusterRole",
    };
    b.link_object(
        (
            role_kind.into(),
            grant.role.namespace.clone(),
            grant.role.name.clone(),
        ),
        p,
    );
    for holder in holders {
        if b.has_edge(*holder, p, EdgeKind::Granted) {
            continue;
        }
        let who = b.graph.graph[*holder].kind.to_string();
        b.edge(
            *holder,
            p,
            EdgeKind::Granted,
            super::evidence(
                format!(
                    "{} binds {} to {who} {}",
                    grant.binding,
                    grant.role,
                    grant.scope.phrase()
                ),
                &binding,
                None,
            ),
        );
    }
    p
}

#[allow(clippy::too_many_arguments)]
fn capability_edges(
    b: &mut Builder<'_>,
    edge: EdgeKind,
    p: NodeIndex,
    target: NodeIndex,
    what: &str,
    grant: &GrantInfo,
    rule: Option<&'static str>,
    members: &Members,
) {
    let ev = |text: String| Evidence {
        text,
        object: Some(super::object_label(&binding_key(grant))),
        rule,
    };
    if !b.has_edge(p, target, edge) {
        let text = match edge {
            EdgeKind::CanCreatePods => format!(
                "{what} ({grant}): a new pod may run as any of these service accounts and read its token"
            ),
            _ => format!("{what} ({grant})"),
        };
        b.edge(p, target, edge, ev(text));
    }
    if edge != EdgeKind::CanCreatePods {
        return;
    }
    let node = NodeKind::Node { name: None };
    if b.existing(&node).is_some_and(|n| b.has_edge(p, n, edge)) {
        return;
    }
    if let Some(ns) = members.allows_privileged(grant.binding.namespace.as_deref()) {
        let node = b.node(node);
        b.edge(
            p,
            node,
            edge,
            ev(format!(
                "{what} ({grant}): a privileged pod escapes to its node; Pod Security Admission does not enforce baseline in {ns}"
            )),
        );
    }
}

/// can-escalate: the RBAC engine's escalation paths of service accounts that are in the map.
fn escalations(b: &mut Builder<'_>, paths: &[EscalationPath]) {
    let admin_kind = NodeKind::ClusterAdmin;
    for path in paths {
        let Principal::ServiceAccount { namespace, name } = &path.subject else {
            continue;
        };
        let Some(sa) = b.existing(&NodeKind::ServiceAccount {
            namespace: namespace.clone(),
            name: name.clone(),
        }) else {
            continue;
        };
        let steps: Vec<String> = path
            .steps
            .iter()
            .map(|s| {
                if s.explanation.is_empty() {
                    format!("{} -> {} ({:?})", s.from, s.to, s.kind)
                } else {
                    s.explanation.clone()
                }
            })
            .collect();
        let text = format!("RBAC escalation path: {}", steps.join(" Then: "));
        let first_grant = path.steps.first().and_then(|s| s.grants.first());
        let admin = b.node(admin_kind.clone());
        match first_grant {
            Some(grant) => {
                let p = permission(b, grant, &[sa]);
                let key = binding_key(grant);
                let rule = b.finding(&key, &["RBAC024", "RBAC001"]);
                b.edge(
                    p,
                    admin,
                    EdgeKind::CanEscalate,
                    super::evidence(text, &key, rule),
                );
            }
            None => {
                b.edge(
                    sa,
                    admin,
                    EdgeKind::CanEscalate,
                    Evidence {
                        text,
                        object: None,
                        rule: None,
                    },
                );
            }
        }
    }
}
