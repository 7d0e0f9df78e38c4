//! The permissions of one principal that matter for escalation, read once from its grants.

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
#[derive(Debug, Default)]
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

impl<'a> Caps<'a> {
    pub(super) fn of(index: &RbacIndex<'a>, grants: &[Grant]) -> Self {
        let mut caps = Caps::default();
        for &grant in grants {
            let rule = index.grant_rule(grant);
            let scope = index.grant_scope(grant);
            caps.add(grant, rule, scope);
        }
        caps
    }

    fn add(&mut self, grant: Grant, rule: &'a PolicyRule, scope: Option<&'a str>) {
        let cap = Cap {
            grant,
            scope,
            names: &rule.resource_names,
        };
        let cluster = scope.is_none();
        let unnamed = rule.resource_names.is_empty();
        if cluster && is_full_wildcard(rule) && self.admin.is_none() {
            self.admin = Some(grant);
        }
        let has =
            |verbs: &[&str], group: &str, resource: &str| rule_grants(rule, verbs, group, resource);
        let push = |list: &mut Vec<Cap<'a>>, ok: bool| {
            if ok {
                list.push(cap);
            }
        };
        push(
            &mut self.impersonate_users,
            cluster && has(&["impersonate"], "", "users"),
        );
        push(
            &mut self.impersonate_groups,
            cluster && has(&["impersonate"], "", "groups"),
        );
        push(
            &mut self.impersonate_sas,
            has(&["impersonate"], "", "serviceaccounts"),
        );
        for (group, resource, verbs) in POD_CREATORS {
            // Creates carry no name, so a create limited by resourceNames allows nothing; updates of a
            // named workload do work.
            let by_create = unnamed && has(&["create"], group, resource);
            let by_update = verbs.len() > 1 && has(&["update", "patch"], group, resource);
            if by_create || by_update {
                self.create_pods.push((cap, resource));
                break;
            }
        }
        push(
            &mut self.create_token,
            has(&["create"], "", "serviceaccounts/token"),
        );
        // `get` counts: API servers before 1.35 (AuthorizePodWebsocketUpgradeCreatePermission)
        // authorize exec over WebSocket as `get`.
        if has(&["create", "get"], "", "pods/exec") {
            self.exec.push((cap, "exec"));
        } else if has(&["update", "patch"], "", "pods/ephemeralcontainers") {
            self.exec.push((cap, "ephemeral container"));
        }
        push(
            &mut self.read_secrets,
            has(&["get", "list", "watch"], "", "secrets"),
        );
        push(
            &mut self.create_secrets,
            unnamed && has(&["create"], "", "secrets"),
        );
        push(
            &mut self.bind_clusterroles,
            has(&["bind"], RBAC, "clusterroles"),
        );
        push(&mut self.bind_roles, has(&["bind"], RBAC, "roles"));
        push(
            &mut self.escalate_clusterroles,
            cluster && has(&["escalate"], RBAC, "clusterroles"),
        );
        push(&mut self.escalate_roles, has(&["escalate"], RBAC, "roles"));
        push(
            &mut self.update_clusterroles,
            cluster && has(&["update", "patch"], RBAC, "clusterroles"),
        );
        push(
            &mut self.update_roles,
            has(&["update", "patch"], RBAC, "roles"),
        );
        push(
            &mut self.create_crb,
            cluster && unnamed && has(&["create"], RBAC, "clusterrolebindings"),
        );
        push(
            &mut self.update_crb,
            cluster && has(&["update", "patch"], RBAC, "clusterrolebindings"),
        );
        push(
            &mut self.create_rb,
            unnamed && has(&["create"], RBAC, "rolebindings"),
        );
        push(
            &mut self.update_rb,
            has(&["update", "patch"], RBAC, "rolebindings"),
        );
        push(
            &mut self.nodes_proxy,
            cluster && has(&["get", "create"], "", "nodes/proxy"),
        );
        push(
            &mut self.csr_create,
            cluster && unnamed && has(&["create"], CERTS, "certificatesigningrequests"),
        );
        push(
            &mut self.csr_read,
            cluster
                && has(
                    &["get", "list", "watch"],
                    CERTS,
                    "certificatesigningrequests",
                ),
        );
        push(
            &mut self.csr_approval,
            cluster
                && has(
                    &["update", "patch"],
                    CERTS,
                    "certificatesigningrequests/approval",
                ),
        );
        // The API server checks `approve` on the signer name and on `<domain>/*`.
        push(
            &mut self.signer_approve,
            cluster
                && has(&["approve"], CERTS, "signers")
                && (unnamed
                    || cap.allows_name("kubernetes.io/kube-apiserver-client")
                    || cap.allows_name("kubernetes.io/*")),
        );
        push(
            &mut self.create_pv,
            cluster && unnamed && has(&["create"], "", "persistentvolumes"),
        );
        push(
            &mut self.create_pvc,
            unnamed && has(&["create"], "", "persistentvolumeclaims"),
        );
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
