//! The permissions of one principal that matter for escalation, read once from its grants.
//!
//! Which capabilities a rule gives depends only on the rule and on whether its binding is
//! cluster-wide, so [`RuleCaps`] works that out once per rule; a principal's [`Caps`] then only sorts
//! its grants into lists (thousands of service accounts share the same group grants).

use crate::grant::Grant;
use crate::index::RbacIndex;
use crate::input::PolicyRule;
use crate::risk::{is_full_wildcard, rule_grants};

const RBAC: &str = "rbac.authorization.k8s.io";
const CERTS: &str = "certificates.k8s.io";

/// One grant of a capability: where it applies and which names it is limited to (empty: any name).
#[derive(Debug, Clone, Copy)]
pub(super) struct Cap<'a> {
    pub(super) grant: Grant,
    /// `None`: cluster-wide (ClusterRoleBinding).
    pub(super) scope: Option<&'a str>,
    pub(super) names: &'a [String],
    /// The grant comes through groups whose shared node already has its steps: only steps that
    /// combine it with a grant of the principal's own are new.
    pub(super) inherited: bool,
}

impl Cap<'_> {
    pub(super) fn allows_name(&self, name: &str) -> bool {
        self.names.is_empty() || self.names.iter().any(|n| n == name)
    }

    pub(super) fn covers(&self, namespace: &str) -> bool {
        self.scope.is_none_or(|s| s == namespace)
    }
}

/// Capability lists; each entry is one grant. Cluster-scoped resources (users, groups, nodes,
/// clusterroles, clusterrolebindings, CSRs, persistent volumes) only count from ClusterRoleBindings,
/// because a RoleBinding never applies to a request outside its namespace.
#[derive(Debug, Default, Clone)]
pub(super) struct Caps<'a> {
    pub(super) admin: Option<Grant>,
    pub(super) impersonate_users: Vec<Cap<'a>>,
    pub(super) impersonate_groups: Vec<Cap<'a>>,
    pub(super) impersonate_sas: Vec<Cap<'a>>,
    /// (cap, resource used): pods or a pod-creating workload.
    pub(super) create_pods: Vec<(Cap<'a>, &'static str)>,
    pub(super) create_token: Vec<Cap<'a>>,
    /// (cap, how): exec over SPDY/WebSocket or an ephemeral container.
    pub(super) exec: Vec<(Cap<'a>, &'static str)>,
    pub(super) read_secrets: Vec<Cap<'a>>,
    pub(super) create_secrets: Vec<Cap<'a>>,
    pub(super) bind_clusterroles: Vec<Cap<'a>>,
    pub(super) bind_roles: Vec<Cap<'a>>,
    pub(super) escalate_clusterroles: Vec<Cap<'a>>,
    pub(super) escalate_roles: Vec<Cap<'a>>,
    pub(super) update_clusterroles: Vec<Cap<'a>>,
    pub(super) update_roles: Vec<Cap<'a>>,
    pub(super) create_crb: Vec<Cap<'a>>,
    pub(super) update_crb: Vec<Cap<'a>>,
    pub(super) create_rb: Vec<Cap<'a>>,
    pub(super) update_rb: Vec<Cap<'a>>,
    pub(super) nodes_proxy: Vec<Cap<'a>>,
    pub(super) csr_create: Vec<Cap<'a>>,
    pub(super) csr_read: Vec<Cap<'a>>,
    pub(super) csr_approval: Vec<Cap<'a>>,
    pub(super) signer_approve: Vec<Cap<'a>>,
    pub(super) create_pv: Vec<Cap<'a>>,
    pub(super) create_pvc: Vec<Cap<'a>>,
}

const POD_CREATORS: [(&str, &str, &[&str]); 8] = [
    ("", "pods", &["create"]),
    ("apps", "deployments", &["create", "update", "patch"]),
    ("apps", "replicasets", &["create", "update", "patch"]),
    ("apps", "statefulsets", &["create", "update", "patch"]),
    ("apps", "daemonsets", &["create", "update", "patch"]),
    ("batch", "jobs", &["create"]),
    ("batch", "cronjobs", &["create", "update", "patch"]),
    ("", "replicationcontrollers", &["create", "update", "patch"]),
];

/// The plain capability lists of [`Caps`], as bits of [`RuleCaps::lists`].
#[derive(Debug, Clone, Copy)]
enum List {
    ImpersonateUsers,
    ImpersonateGroups,
    ImpersonateSas,
    CreateToken,
    ReadSecrets,
    CreateSecrets,
    BindClusterroles,
    BindRoles,
    EscalateClusterroles,
    EscalateRoles,
    UpdateClusterroles,
    UpdateRoles,
    CreateCrb,
    UpdateCrb,
    CreateRb,
    UpdateRb,
    NodesProxy,
    CsrCreate,
    CsrRead,
    CsrApproval,
    SignerApprove,
    CreatePv,
    CreatePvc,
}

impl List {
    const ALL: [List; 23] = [
        List::ImpersonateUsers,
        List::ImpersonateGroups,
        List::ImpersonateSas,
        List::CreateToken,
        List::ReadSecrets,
        List::CreateSecrets,
        List::BindClusterroles,
        List::BindRoles,
        List::EscalateClusterroles,
        List::EscalateRoles,
        List::UpdateClusterroles,
        List::UpdateRoles,
        List::CreateCrb,
        List::UpdateCrb,
        List::CreateRb,
        List::UpdateRb,
        List::NodesProxy,
        List::CsrCreate,
        List::CsrRead,
        List::CsrApproval,
        List::SignerApprove,
        List::CreatePv,
        List::CreatePvc,
    ];

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// What one rule gives for escalation, bound cluster-wide or in a namespace.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RuleCaps {
    admin: bool,
    lists: u32,
    /// The pod-creating resource the rule allows creating or changing.
    pod_creator: Option<&'static str>,
    /// How the rule allows running commands in pods.
    exec: Option<&'static str>,
}

impl RuleCaps {
    fn of(rule: &PolicyRule, cluster: bool) -> Self {
        let unnamed = rule.resource_names.is_empty();
        let has =
            |verbs: &[&str], group: &str, resource: &str| rule_grants(rule, verbs, group, resource);
        // Creates carry no name, so a create limited by resourceNames allows nothing; updates of a
        // named workload do work.
        let pod_creator = POD_CREATORS
            .iter()
            .find(|(group, resource, verbs)| {
                let by_create = unnamed && has(&["create"], group, resource);
                let by_update = verbs.len() > 1 && has(&["update", "patch"], group, resource);
                by_create || by_update
            })
            .map(|(_, resource, _)| *resource);
        // `get` counts: API servers before 1.35 (AuthorizePodWebsocketUpgradeCreatePermission)
        // authorize exec over WebSocket as `get`.
        let exec = if has(&["create", "get"], "", "pods/exec") {
            Some("exec")
        } else if has(&["update", "patch"], "", "pods/ephemeralcontainers") {
            Some("ephemeral container")
        } else {
            None
        };
        let allows_name = |name: &str| unnamed || rule.resource_names.iter().any(|n| n == name);
        let lists = List::ALL
            .iter()
            .filter(|list| match list {
                List::ImpersonateUsers => cluster && has(&["impersonate"], "", "users"),
                List::ImpersonateGroups => cluster && has(&["impersonate"], "", "groups"),
                List::ImpersonateSas => has(&["impersonate"], "", "serviceaccounts"),
                List::CreateToken => has(&["create"], "", "serviceaccounts/token"),
                List::ReadSecrets => has(&["get", "list", "watch"], "", "secrets"),
                List::CreateSecrets => unnamed && has(&["create"], "", "secrets"),
                List::BindClusterroles => has(&["bind"], RBAC, "clusterroles"),
                List::BindRoles => has(&["bind"], RBAC, "roles"),
                List::EscalateClusterroles => cluster && has(&["escalate"], RBAC, "clusterroles"),
                List::EscalateRoles => has(&["escalate"], RBAC, "roles"),
                List::UpdateClusterroles => {
                    cluster && has(&["update", "patch"], RBAC, "clusterroles")
                }
                List::UpdateRoles => has(&["update", "patch"], RBAC, "roles"),
                List::CreateCrb => {
                    cluster && unnamed && has(&["create"], RBAC, "clusterrolebindings")
                }
                List::UpdateCrb => {
                    cluster && has(&["update", "patch"], RBAC, "clusterrolebindings")
                }
                List::CreateRb => unnamed && has(&["create"], RBAC, "rolebindings"),
                List::UpdateRb => has(&["update", "patch"], RBAC, "rolebindings"),
                List::NodesProxy => cluster && has(&["get", "create"], "", "nodes/proxy"),
                List::CsrCreate => {
                    cluster && unnamed && has(&["create"], CERTS, "certificatesigningrequests")
                }
                List::CsrRead => {
                    cluster
                        && has(
                            &["get", "list", "watch"],
                            CERTS,
                            "certificatesigningrequests",
                        )
                }
                List::CsrApproval => {
                    cluster
                        && has(
                            &["update", "patch"],
                            CERTS,
                            "certificatesigningrequests/approval",
                        )
                }
                // The API server checks `approve` on the signer name and on `<domain>/*`.
                List::SignerApprove => {
                    cluster
                        && has(&["approve"], CERTS, "signers")
                        && (allows_name("kubernetes.io/kube-apiserver-client")
                            || allows_name("kubernetes.io/*"))
                }
                List::CreatePv => cluster && unnamed && has(&["create"], "", "persistentvolumes"),
                List::CreatePvc => unnamed && has(&["create"], "", "persistentvolumeclaims"),
            })
            .fold(0, |bits, list| bits | list.bit());
        RuleCaps {
            admin: cluster && is_full_wildcard(rule),
            lists,
            pod_creator,
            exec,
        }
    }
}

/// [`RuleCaps`] of every effective rule of every role, namespaced (`[0]`) and cluster-wide (`[1]`).
#[derive(Debug, Clone, Default)]
pub(super) struct CapsTable {
    per_role: Vec<Vec<[RuleCaps; 2]>>,
}

impl CapsTable {
    pub(super) fn build(index: &RbacIndex<'_>) -> Self {
        let per_role = index
            .effective
            .iter()
            .map(|rules| {
                rules
                    .iter()
                    .map(|er| {
                        let rule = index.rule(*er);
                        [RuleCaps::of(rule, false), RuleCaps::of(rule, true)]
                    })
                    .collect()
            })
            .collect();
        CapsTable { per_role }
    }

    fn get(&self, grant: Grant, cluster: bool) -> RuleCaps {
        self.per_role
            .get(grant.role as usize)
            .and_then(|rules| rules.get(grant.eff as usize))
            .map(|both| both[usize::from(cluster)])
            .unwrap_or_default()
    }
}

impl<'a> Caps<'a> {
    pub(super) fn of(
        index: &RbacIndex<'a>,
        table: &CapsTable,
        grants: &[Grant],
        inherited: impl Fn(Grant) -> bool,
    ) -> Self {
        let mut caps = Caps::default();
        for &grant in grants {
            let scope = index.grant_scope(grant);
            let rule_caps = table.get(grant, scope.is_none());
            if rule_caps.lists == 0
                && !rule_caps.admin
                && rule_caps.pod_creator.is_none()
                && rule_caps.exec.is_none()
            {
                continue;
            }
            let cap = Cap {
                grant,
                scope,
                names: &index.grant_rule(grant).resource_names,
                inherited: inherited(grant),
            };
            caps.add(cap, &rule_caps);
        }
        caps
    }

    fn add(&mut self, cap: Cap<'a>, rule: &RuleCaps) {
        if rule.admin && self.admin.is_none() {
            self.admin = Some(cap.grant);
        }
        if let Some(resource) = rule.pod_creator {
            self.create_pods.push((cap, resource));
        }
        if let Some(how) = rule.exec {
            self.exec.push((cap, how));
        }
        for list in List::ALL {
            if rule.lists & list.bit() != 0 {
                self.list(list).push(cap);
            }
        }
    }

    /// Adds `groups`' capabilities after this principal's own, marked inherited.
    pub(super) fn inherit(&mut self, groups: &Caps<'a>) {
        let inherited = |cap: &Cap<'a>| Cap {
            inherited: true,
            ..*cap
        };
        if self.admin.is_none() {
            self.admin = groups.admin;
        }
        self.create_pods
            .extend(groups.create_pods.iter().map(|(c, r)| (inherited(c), *r)));
        self.exec
            .extend(groups.exec.iter().map(|(c, how)| (inherited(c), *how)));
        let mut groups = groups.clone();
        for list in List::ALL {
            let theirs = std::mem::take(groups.list(list));
            self.list(list).extend(theirs.iter().map(inherited));
        }
    }

    fn list(&mut self, list: List) -> &mut Vec<Cap<'a>> {
        match list {
            List::ImpersonateUsers => &mut self.impersonate_users,
            List::ImpersonateGroups => &mut self.impersonate_groups,
            List::ImpersonateSas => &mut self.impersonate_sas,
            List::CreateToken => &mut self.create_token,
            List::ReadSecrets => &mut self.read_secrets,
            List::CreateSecrets => &mut self.create_secrets,
            List::BindClusterroles => &mut self.bind_clusterroles,
            List::BindRoles => &mut self.bind_roles,
            List::EscalateClusterroles => &mut self.escalate_clusterroles,
            List::EscalateRoles => &mut self.escalate_roles,
            List::UpdateClusterroles => &mut self.update_clusterroles,
            List::UpdateRoles => &mut self.update_roles,
            List::CreateCrb => &mut self.create_crb,
            List::UpdateCrb => &mut self.update_crb,
            List::CreateRb => &mut self.create_rb,
            List::UpdateRb => &mut self.update_rb,
            List::NodesProxy => &mut self.nodes_proxy,
            List::CsrCreate => &mut self.csr_create,
            List::CsrRead => &mut self.csr_read,
            List::CsrApproval => &mut self.csr_approval,
            List::SignerApprove => &mut self.signer_approve,
            List::CreatePv => &mut self.create_pv,
            List::CreatePvc => &mut self.create_pvc,
        }
    }
}

/// The namespace where two grants both apply: `Some(None)` for everywhere, `Some(Some(ns))` for one
/// namespace, `None` when they never meet.
pub(super) fn meet<'a>(a: Option<&'a str>, b: Option<&'a str>) -> Option<Option<&'a str>> {
    match (a, b) {
        (None, None) => Some(None),
        (Some(x), None) | (None, Some(x)) => Some(Some(x)),
        (Some(x), Some(y)) if x == y => Some(Some(x)),
        _ => None,
    }
}
