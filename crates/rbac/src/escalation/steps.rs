//! Edges out of one principal: each attack step its grants enable.

use super::Principal;
use super::StepKind;
use super::caps::{Cap, Caps, meet};
use super::graph::{Graph, Hub, NS_ADMIN_ROLES, Node, NodeId, sa};
use crate::grant::Grant;
use crate::index::RbacIndex;

impl Graph {
    /// Service-account targets of a grant on service accounts (impersonate, create token): all in its
    /// scope, or the named ones.
    pub(super) fn sa_targets(&mut self, cap: &Cap<'_>) -> Vec<NodeId> {
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

    pub(super) fn principal_edges(
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
        for cap in caps.create_token.iter().filter(|c| !c.inherited) {
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
        for cap in caps.impersonate_sas.iter().filter(|c| !c.inherited) {
            for t in self.sa_targets(cap) {
                self.edge(p, t, StepKind::Impersonate, vec![cap.grant], String::new());
            }
        }
        for cap in caps.impersonate_users.iter().filter(|c| !c.inherited) {
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
        for (cap, resource) in caps.create_pods.iter().filter(|(c, _)| !c.inherited) {
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
        for (cap, how) in caps.exec.iter().filter(|(c, _)| !c.inherited) {
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
        for cap in caps.read_secrets.iter().filter(|c| !c.inherited) {
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
                    format!("creates a ClusterRoleBinding of ClusterRole {role} to itself"),
                );
            }
            for update in caps
                .update_crb
                .iter()
                .filter(|u| !(u.inherited && bind.inherited))
            {
                let existing = self
                    .strong_role_bindings
                    .cluster
                    .iter()
                    .map(|&i| &index.input.bindings[i as usize])
                    .find(|b| {
                        update.allows_name(&b.name)
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
        // RoleBinding to an admin-like ClusterRole: namespace admin. Once a pair reaches every
        // namespace, later pairs can only repeat its edges (the first edge of a kind wins).
        let mut every_namespace = false;
        for create in &caps.create_rb {
            for bind in &caps.bind_clusterroles {
                if every_namespace {
                    break;
                }
                if create.inherited && bind.inherited {
                    continue;
                }
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
                let (t, via) = match scope {
                    Some(ns) => (
                        self.node(Node::P(Principal::NamespaceAdmin {
                            namespace: ns.to_owned(),
                        })),
                        format!("creates a RoleBinding in {ns} of ClusterRole {role} to itself"),
                    ),
                    // One edge to a hub of every namespace's admin, not one per namespace: the
                    // graph stays linear in principals + namespaces.
                    None => {
                        every_namespace = true;
                        (
                            self.hub(Hub::NamespaceAdmins),
                            format!(
                                "creates a RoleBinding of ClusterRole {role} to itself in that namespace"
                            ),
                        )
                    }
                };
                self.edge(
                    p,
                    t,
                    StepKind::BindRole,
                    vec![create.grant, bind.grant],
                    via,
                );
            }
        }
        // Adding oneself to an existing RoleBinding also needs `bind` on its role (or holding it).
        // Only RoleBindings of admin-like ClusterRoles can make namespace admin (computed once per
        // graph: scanning every binding for every principal was quadratic).
        // Any binding, anywhere, with `bind` on any ClusterRole everywhere: one edge to the hub of
        // every namespace with such a binding (which names the binding), not one per namespace.
        let bind_any = caps
            .bind_clusterroles
            .iter()
            .find(|c| c.scope.is_none() && c.names.is_empty());
        let update_any = caps
            .update_rb
            .iter()
            .find(|c| c.scope.is_none() && c.names.is_empty());
        if let (Some(update), Some(bind)) = (update_any, bind_any) {
            let hub = self.hub(Hub::StrongRoleBindings);
            self.edge(
                p,
                hub,
                StepKind::BindRole,
                vec![update.grant, bind.grant],
                "adds itself to a RoleBinding of an admin-like ClusterRole".to_owned(),
            );
            return;
        }
        let strong = std::mem::take(&mut self.strong_role_bindings);
        let all_binds_inherited = caps.bind_clusterroles.iter().all(|c| c.inherited);
        for update in caps
            .update_rb
            .iter()
            .filter(|u| !(u.inherited && all_binds_inherited))
        {
            let candidates: &[u32] = match update.scope {
                Some(ns) => strong.by_namespace.get(ns).map_or(&[], Vec::as_slice),
                None => &strong.all,
            };
            for &i in candidates {
                let b = &index.input.bindings[i as usize];
                let Some(ns) = b.namespace.as_deref() else {
                    continue;
                };
                if !update.allows_name(&b.name) {
                    continue;
                }
                let bind = caps
                    .bind_clusterroles
                    .iter()
                    .find(|c| c.covers(ns) && c.allows_name(&b.role_ref.name));
                if let Some(bind) = bind {
                    let t = self.node(Node::P(Principal::NamespaceAdmin {
                        namespace: ns.to_owned(),
                    }));
                    self.edge(
                        p,
                        t,
                        StepKind::BindRole,
                        vec![update.grant, bind.grant],
                        format!(
                            "adds itself to RoleBinding {ns}/{} (ClusterRole {})",
                            b.name, b.role_ref.name
                        ),
                    );
                }
            }
        }
        self.strong_role_bindings = strong;
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
        // With each binding, whether the principal holds it only through inherited groups.
        let mut bindings: Vec<(u32, bool)> = grants
            .iter()
            .map(|g| (g.slot.binding, self.inherited(&[*g])))
            .collect();
        bindings.dedup();
        for (b, binding_inherited) in bindings {
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
            if binding_inherited && e.inherited && u.inherited {
                continue;
            }
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
            self.edge_always(
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
}
