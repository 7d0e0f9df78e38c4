use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Object};
use kubeward_rbac::{
    EscalationPath, GROUP_AUTHENTICATED, GROUP_SERVICE_ACCOUNTS, GROUP_UNAUTHENTICATED, Principal,
    StepKind, Subject, SubjectKind, USER_ANONYMOUS,
};
use kubeward_source::Node;

use super::findings::{object_at, subject_node};
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Off by default for now: select it (`--select RBAC024`, or `select:` in `.kubeward.yaml`). Its
    /// search takes half a second on 10,000 objects but does not yet scale to 100,000, and a default
    /// rule must not make large scans slow; `kubeward rbac escalations` answers the same question.
    ///
    /// Finds, for every user, group and service account named in the scanned RBAC objects, the
    /// shortest chain of steps that ends with cluster-admin power, and reports each subject that has
    /// one, with the path in the message. Steps are what RBAC grants make possible: bind or escalate
    /// a role; impersonate a more privileged subject; create a pod (directly or through a workload)
    /// that runs as a more privileged service account of the same namespace and read its token;
    /// request a token for one; exec into a pod that runs as one; read or mint a service-account
    /// token Secret; update a binding; reach the kubelet through `nodes/proxy`; start a privileged
    /// pod, escape to the node and use the credentials found there; sign a client certificate.
    ///
    /// Subjects that hold cluster-admin power outright are reported by `cluster-admin-bound`;
    /// bootstrap identities (`system:` users and groups, grants of `system:` bindings to `system:`
    /// roles) are left out, except the public groups and `system:anonymous`. Objects that cannot be
    /// read as RBAC input (for example `verbs: get` instead of a list) are left out of the analysis.
    ///
    /// ## Why is this bad?
    /// Each grant on the way can look harmless on its own ("dev may create pods in `ci`"), and the
    /// rules that flag single grants cannot tell which of them lead anywhere. An attacker who
    /// compromises the subject follows the chain: here `dev` starts a pod as `deployer`, reads its
    /// token from inside, and uses it to bind `cluster-admin` to itself. The path shows which link
    /// to cut.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: deployer, namespace: ci}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: deployer-admin}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
    /// subjects:
    /// - {kind: ServiceAccount, name: deployer, namespace: ci}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: pod-creator, namespace: ci}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods]
    ///   verbs: [create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: dev-pods, namespace: ci}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-creator}
    /// subjects:
    /// - {kind: User, name: dev}
    /// ```
    ///
    /// ## Use instead
    /// Keep powerful service accounts out of namespaces where others can create pods, and give
    /// people read access where they do not need more:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: deployer, namespace: ci}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata: {name: deployer-admin}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
    /// subjects:
    /// - {kind: ServiceAccount, name: deployer, namespace: ci}
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata: {name: pod-reader, namespace: ci}
    /// rules:
    /// - apiGroups: [""]
    ///   resources: [pods]
    ///   verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata: {name: dev-pods, namespace: ci}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
    /// subjects:
    /// - {kind: User, name: dev}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: any link of the chain can be cut, and which one is right depends on what
    /// each subject needs. `kubeward rbac escalations --subject SUBJECT` prints the path with the
    /// binding and rule behind every step.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.8: "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", section "Kubernetes
    ///   RBAC - privilege escalation risks"
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K03: Overly Permissive RBAC Configurations
    pub(crate) static RULE = RuleMeta {
        id: "RBAC024",
        name: "privilege-escalation-path",
        title: "Subject can escalate to cluster admin",
        severity: Severity::Critical,
        frameworks: &["cis:5.1.8", "nsa:rbac", "owasp:K03"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: false,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let analysis = super::analysis::analysis(ctx, inventory);
    for path in &analysis.escalations {
        if !is_reportable(path) {
            continue;
        }
        if let Some((object, node)) = locate(inventory, path) {
            ctx.report(object, node, message(path));
        }
    }
}

/// Whether the path is news: the subject does not hold admin power outright (RBAC001 says that),
/// and it is not the bootstrap policy every cluster has by design.
fn is_reportable(path: &EscalationPath) -> bool {
    if path.already_admin || path.steps.is_empty() {
        return false;
    }
    let public = |name: &str| {
        [
            USER_ANONYMOUS,
            GROUP_UNAUTHENTICATED,
            GROUP_AUTHENTICATED,
            GROUP_SERVICE_ACCOUNTS,
        ]
        .contains(&name)
            || name.starts_with("system:serviceaccounts:")
    };
    let named = match &path.subject {
        Principal::User { name } | Principal::Group { name } => {
            !name.starts_with("system:") || public(name)
        }
        Principal::ServiceAccount { .. } => true,
        Principal::NamespaceAdmin { .. } | Principal::NodeRoot | Principal::ClusterAdmin => false,
    };
    // The first step's grants all come from bootstrap bindings of bootstrap roles.
    let first = &path.steps[0].grants;
    let bootstrap = !first.is_empty()
        && first
            .iter()
            .all(|g| g.binding.name.starts_with("system:") && g.role.name.starts_with("system:"));
    named && !bootstrap
}

/// The subject line of the binding behind the first step, else the subject's ServiceAccount.
fn locate<'i>(inventory: &'i Inventory, path: &EscalationPath) -> Option<(&'i Object, &'i Node)> {
    if let Some(grant) = path.steps.first().and_then(|s| s.grants.first())
        && let Some(binding) = object_at(inventory, grant.binding.origin)
    {
        let node = subject_of(&path.subject)
            .and_then(|s| subject_node(binding, &s))
            .or_else(|| binding.root.get("subjects"))
            .unwrap_or(&binding.root);
        return Some((binding, node));
    }
    if let Principal::ServiceAccount { namespace, name } = &path.subject {
        let account = inventory.get("ServiceAccount", Some(namespace), name)?;
        return Some((account, &account.root));
    }
    None
}

fn subject_of(principal: &Principal) -> Option<Subject> {
    let (kind, name, namespace) = match principal {
        Principal::User { name } => (SubjectKind::User, name, None),
        Principal::Group { name } => (SubjectKind::Group, name, None),
        Principal::ServiceAccount { namespace, name } => {
            (SubjectKind::ServiceAccount, name, Some(namespace.clone()))
        }
        _ => return None,
    };
    Some(Subject {
        kind,
        name: name.clone(),
        namespace,
    })
}

/// `User dev can become cluster admin in 2 steps: 1. ... (via ...); 2. ...`
fn message(path: &EscalationPath) -> String {
    let moves = path
        .steps
        .iter()
        .filter(|s| {
            !matches!(
                s.kind,
                StepKind::HoldsClusterAdmin | StepKind::SystemMastersMember
            )
        })
        .count();
    let steps: Vec<String> = path
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let explanation = step.explanation.trim_end_matches('.');
            match step.grants.as_slice() {
                [] => format!("{}. {explanation}", i + 1),
                [grant] => format!("{}. {explanation} (via {grant})", i + 1),
                [grant, more @ ..] => format!(
                    "{}. {explanation} (via {grant}, and {} more)",
                    i + 1,
                    more.len()
                ),
            }
        })
        .collect();
    format!(
        "{} can become cluster admin in {moves} step{}: {}",
        path.subject,
        if moves == 1 { "" } else { "s" },
        steps.join("; ")
    )
}
