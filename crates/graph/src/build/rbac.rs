//! RBAC edges from the RBAC engine: granted, can-read-secret, can-exec, can-create-pods,
//! can-escalate. Semantics (aggregation, scopes, wildcards) are the engine's; this module only asks
//! who-can per namespace and turns the answers into edges.

use std::collections::HashMap;

use kubeward_model::Inventory;
use kubeward_rbac::{
    GROUP_AUTHENTICATED, GROUP_SERVICE_ACCOUNTS, GrantInfo, Principal, RbacIndex, Request, Subject,
    SubjectKind,
};
use petgraph::graph::NodeIndex;

use super::pods::Pods;
use super::{Builder, ObjectKey};
use crate::model::{EdgeKind, Evidence, NodeKind};

/// What a grant lets its holder do, per kind of edge.
struct Capability {
    edge: EdgeKind,
    requests: &'static [(&'static str, &'static str)],
    /// Findings of the binding that report this grant.
    rules: &'static [&'static str],
}

const CAPABILITIES: [Capability; 3] = [
    Capability {
        edge: EdgeKind::CanReadSecret,
        requests: &[("get", "secrets"), ("list", "secrets")],
        rules: &["RBAC003", "RBAC001"],
    },
    Capability {
        edge: EdgeKind::CanExec,
        requests: &[("create", "pods/exec")],
        rules: &["RBAC005", "RBAC001"],
    },
    Capability {
        edge: EdgeKind::CanCreatePods,
        requests: &[("create", "pods")],
        rules: &["RBAC004", "RBAC001"],
    },
];

/// Service-account nodes by namespace, and the targets of each capability per namespace.
struct Targets {
    accounts: HashMap<String, Vec<NodeIndex>>,
    secrets: HashMap<String, Vec<NodeIndex>>,
    workloads: HashMap<String, Vec<NodeIndex>>,
}

pub(crate) fn add(b: &mut Builder<'_>, inventory: &Inventory, pods: &Pods<'_>) {
    let converted = kubeward_rules::rbac_input(inventory);
    let index = RbacIndex::build(&converted.input);
    let targets = targets(b, pods);
    let blocks_privileged: HashMap<&str, bool> = converted
        .input
        .namespaces
        .iter()
        .map(|n| (n.name.as_str(), n.blocks_privileged_pods()))
        .collect();
    let mut namespaces: Vec<&String> = targets
        .accounts
        .keys()
        .chain(targets.secrets.keys())
        .chain(targets.workloads.keys())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    for ns in namespaces {
        for cap in &CAPABILITIES {
            for (verb, resource) in cap.requests {
                let answer = index.who_can(&Request::resource(verb, resource).in_namespace(ns));
                for sg in &answer.subjects {
                    let holders = holders(b, &sg.subject, &targets.accounts);
                    if holders.is_empty() {
                        continue;
                    }
                    for grant in &sg.grants {
                        let p = permission(b, grant, &holders);
                        let binding = binding_key(grant);
                        let rule = b.finding(&binding, cap.rules);
                        let what = format!("{verb} {resource} in namespace {ns}");
                        capability_edges(
                            b,
                            cap.edge,
                            p,
                            ns,
                            &targets,
                            &what,
                            grant,
                            rule,
                            &blocks_privileged,
                        );
                    }
                }
            }
        }
    }
    escalations(b, &index);
}

fn targets(b: &Builder<'_>, pods: &Pods<'_>) -> Targets {
    let mut t = Targets {
        accounts: HashMap::new(),
        secrets: HashMap::new(),
        workloads: HashMap::new(),
    };
    for n in b.graph.graph.node_indices() {
        match &b.graph.graph[n].kind {
            NodeKind::ServiceAccount { namespace, .. } => {
                t.accounts.entry(namespace.clone()).or_default().push(n);
            }
            NodeKind::Secret { namespace, .. } => {
                t.secrets.entry(namespace.clone()).or_default().push(n);
            }
            _ => {}
        }
    }
    for pod in &pods.all {
        t.workloads
            .entry(pod.namespace.clone())
            .or_default()
            .push(pod.node);
    }
    t
}

/// Service-account nodes a subject stands for: the account itself, or the accounts of the groups
/// every service account is in (`system:serviceaccounts`, `system:serviceaccounts:NS`,
/// `system:authenticated`). Users and other groups hold no pod, so no path starts with them.
fn holders(
    b: &Builder<'_>,
    subject: &Subject,
    accounts: &HashMap<String, Vec<NodeIndex>>,
) -> Vec<(NodeIndex, String)> {
    let members = |list: Option<&Vec<NodeIndex>>| -> Vec<(NodeIndex, String)> {
        list.into_iter()
            .flatten()
            .map(|&n| (n, format!(" (a member of group {})", subject.name)))
            .collect()
    };
    match subject.kind {
        SubjectKind::ServiceAccount => b
            .existing(&NodeKind::ServiceAccount {
                namespace: subject.namespace.clone().unwrap_or_default(),
                name: subject.name.clone(),
            })
            .map(|n| (n, String::new()))
            .into_iter()
            .collect(),
        SubjectKind::Group
            if subject.name == GROUP_SERVICE_ACCOUNTS || subject.name == GROUP_AUTHENTICATED =>
        {
            let mut all: Vec<(NodeIndex, String)> = Vec::new();
            for list in accounts.values() {
                all.extend(members(Some(list)));
            }
            all
        }
        SubjectKind::Group => match subject.name.strip_prefix("system:serviceaccounts:") {
            Some(ns) => members(accounts.get(ns)),
            None => Vec::new(),
        },
        _ => Vec::new(),
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
fn permission(
    b: &mut Builder<'_>,
    grant: &GrantInfo,
    holders: &[(NodeIndex, String)],
) -> NodeIndex {
    let kind = NodeKind::Permission {
        binding: grant.binding.to_string(),
        role: grant.role.to_string(),
        scope: grant.scope.to_string(),
    };
    // who-can reports a cluster-wide grant again for every namespace and capability: once its
    // node and its holders' edges exist, there is nothing to add (and no evidence to format).
    if let Some(p) = b.existing(&kind)
        && holders
            .iter()
            .all(|(h, _)| b.has_edge(*h, p, EdgeKind::Granted))
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
    for (holder, via) in holders {
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
                    "{} binds {} to {who}{via} {}",
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
    ns: &str,
    targets: &Targets,
    what: &str,
    grant: &GrantInfo,
    rule: Option<&'static str>,
    blocks_privileged: &HashMap<&str, bool>,
) {
    let ev = |text: String| Evidence {
        text,
        object: Some(super::object_label(&binding_key(grant))),
        rule,
    };
    let list = match edge {
        EdgeKind::CanReadSecret => targets.secrets.get(ns),
        EdgeKind::CanExec => targets.workloads.get(ns),
        _ => targets.accounts.get(ns),
    };
    for &t in list.into_iter().flatten() {
        if b.has_edge(p, t, edge) {
            continue;
        }
        let text = match edge {
            EdgeKind::CanCreatePods => {
                format!(
                    "{what} ({grant}): a new pod may run as this service account and read its token"
                )
            }
            _ => format!("{what} ({grant})"),
        };
        b.edge(p, t, edge, ev(text));
    }
    if edge == EdgeKind::CanCreatePods && !blocks_privileged.get(ns).copied().unwrap_or(false) {
        let node = b.node(NodeKind::Node { name: None });
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
fn escalations(b: &mut Builder<'_>, index: &RbacIndex<'_>) {
    let admin_kind = NodeKind::ClusterAdmin;
    for path in index.escalations(None) {
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
                let p = permission(b, grant, &[(sa, String::new())]);
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
