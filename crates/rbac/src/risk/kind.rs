//! The kinds of risky grant, with what an attacker does with each.

use serde::Serialize;

/// Severity this crate suggests for a kind; the rules crate maps it to its own `Severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestedSeverity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    ClusterAdminEquivalent,
    WildcardRule,
    SecretsRead,
    PodCreate,
    PodExec,
    PodAttach,
    PodPortForward,
    PodEphemeralContainers,
    RoleEscalate,
    RoleBind,
    Impersonate,
    ServiceAccountTokenCreate,
    NodesProxy,
    CsrApproval,
    WebhookConfigWrite,
    PersistentVolumeCreate,
    AnonymousGrant,
    AllAuthenticatedGrant,
    DefaultServiceAccountBound,
    DanglingRoleRef,
    DanglingServiceAccount,
    UnusedRole,
}

impl RiskKind {
    pub const ALL: [RiskKind; 22] = [
        RiskKind::ClusterAdminEquivalent,
        RiskKind::WildcardRule,
        RiskKind::SecretsRead,
        RiskKind::PodCreate,
        RiskKind::PodExec,
        RiskKind::PodAttach,
        RiskKind::PodPortForward,
        RiskKind::PodEphemeralContainers,
        RiskKind::RoleEscalate,
        RiskKind::RoleBind,
        RiskKind::Impersonate,
        RiskKind::ServiceAccountTokenCreate,
        RiskKind::NodesProxy,
        RiskKind::CsrApproval,
        RiskKind::WebhookConfigWrite,
        RiskKind::PersistentVolumeCreate,
        RiskKind::AnonymousGrant,
        RiskKind::AllAuthenticatedGrant,
        RiskKind::DefaultServiceAccountBound,
        RiskKind::DanglingRoleRef,
        RiskKind::DanglingServiceAccount,
        RiskKind::UnusedRole,
    ];

    /// Kebab-case name, usable as a rule name.
    pub fn name(self) -> &'static str {
        match self {
            RiskKind::ClusterAdminEquivalent => "cluster-admin-equivalent",
            RiskKind::WildcardRule => "wildcard-rule",
            RiskKind::SecretsRead => "secrets-read",
            RiskKind::PodCreate => "pod-create",
            RiskKind::PodExec => "pod-exec",
            RiskKind::PodAttach => "pod-attach",
            RiskKind::PodPortForward => "pod-port-forward",
            RiskKind::PodEphemeralContainers => "pod-ephemeral-containers",
            RiskKind::RoleEscalate => "role-escalate",
            RiskKind::RoleBind => "role-bind",
            RiskKind::Impersonate => "impersonate",
            RiskKind::ServiceAccountTokenCreate => "service-account-token-create",
            RiskKind::NodesProxy => "nodes-proxy",
            RiskKind::CsrApproval => "csr-approval",
            RiskKind::WebhookConfigWrite => "webhook-config-write",
            RiskKind::PersistentVolumeCreate => "persistent-volume-create",
            RiskKind::AnonymousGrant => "anonymous-grant",
            RiskKind::AllAuthenticatedGrant => "all-authenticated-grant",
            RiskKind::DefaultServiceAccountBound => "default-service-account-bound",
            RiskKind::DanglingRoleRef => "dangling-role-ref",
            RiskKind::DanglingServiceAccount => "dangling-service-account",
            RiskKind::UnusedRole => "unused-role",
        }
    }

    pub fn suggested_severity(self) -> SuggestedSeverity {
        use SuggestedSeverity::*;
        match self {
            RiskKind::ClusterAdminEquivalent
            | RiskKind::RoleEscalate
            | RiskKind::RoleBind
            | RiskKind::Impersonate
            | RiskKind::NodesProxy
            | RiskKind::AnonymousGrant => Critical,
            RiskKind::WildcardRule
            | RiskKind::SecretsRead
            | RiskKind::PodExec
            | RiskKind::PodEphemeralContainers
            | RiskKind::ServiceAccountTokenCreate
            | RiskKind::CsrApproval
            | RiskKind::WebhookConfigWrite
            | RiskKind::PersistentVolumeCreate
            | RiskKind::AllAuthenticatedGrant => High,
            RiskKind::PodCreate
            | RiskKind::PodAttach
            | RiskKind::PodPortForward
            | RiskKind::DefaultServiceAccountBound
            | RiskKind::DanglingServiceAccount => Medium,
            RiskKind::DanglingRoleRef => Low,
            RiskKind::UnusedRole => Info,
        }
    }

    /// What an attacker who holds this grant does with it.
    pub fn attack(self) -> &'static str {
        match self {
            RiskKind::ClusterAdminEquivalent => {
                "Every verb on every resource in every API group, cluster-wide: whoever holds this \
                 credential owns the cluster, reads every Secret, runs privileged pods on any node and \
                 can create more bindings to keep access after this one is removed."
            }
            RiskKind::WildcardRule => {
                "A `*` grants everything that exists now and every resource, verb or API group added \
                 later (CRDs included), so the rule silently grows; wildcards routinely cover \
                 Secrets, subresources such as pods/exec, and the escalate, bind and impersonate verbs."
            }
            RiskKind::SecretsRead => {
                "Reading Secrets hands over whatever they hold: service-account tokens, registry \
                 credentials, TLS keys, database and cloud passwords. `list` and `watch` return the \
                 values too, not just names. In kube-system and similar namespaces these credentials \
                 usually belong to highly privileged controllers."
            }
            RiskKind::PodCreate => {
                "Whoever can create pods, directly or through a controller (Deployment, Job, \
                 CronJob...), can run any image as any service account of the namespace and read its \
                 token, and, unless Pod Security Admission blocks it, start a privileged or hostPath \
                 pod that escapes to the node."
            }
            RiskKind::PodExec => {
                "Exec runs arbitrary commands inside running containers: the attacker reads the \
                 pod's mounted service-account token and secrets, and in a privileged pod gets root on \
                 the node. Before Kubernetes 1.35 (feature gate \
                 AuthorizePodWebsocketUpgradeCreatePermission) exec over WebSocket needs only `get`."
            }
            RiskKind::PodAttach => {
                "Attach connects to the main process of a running container, letting the attacker \
                 send input to (and read output of) interactive processes such as shells and \
                 debuggers inside the pod."
            }
            RiskKind::PodPortForward => {
                "Port-forward tunnels into a pod's ports from outside, bypassing Services, Ingress \
                 and NetworkPolicy to reach admin ports, databases and debug endpoints."
            }
            RiskKind::PodEphemeralContainers => {
                "Adding an ephemeral container to a running pod runs an attacker-chosen image inside \
                 it, with access to its volumes, including the service-account token: exec without \
                 the exec permission."
            }
            RiskKind::RoleEscalate => {
                "The `escalate` verb lets its holder write Roles/ClusterRoles with permissions it \
                 does not have: it adds `*` to a role bound to itself and becomes administrator."
            }
            RiskKind::RoleBind => {
                "The `bind` verb lets its holder create bindings to roles with permissions it does \
                 not have: it binds cluster-admin (or any stronger role) to itself."
            }
            RiskKind::Impersonate => {
                "Impersonation makes requests as another user, group or service account: the holder \
                 gets every permission of whoever it impersonates, for example a cluster-admin user \
                 or the `system:masters` group."
            }
            RiskKind::ServiceAccountTokenCreate => {
                "Creating `serviceaccounts/token` mints a fresh token for a service account: the \
                 holder then acts as that service account with all its permissions, without touching \
                 any pod."
            }
            RiskKind::NodesProxy => {
                "`nodes/proxy` reaches the kubelet API of every node, which runs commands in any \
                 container on it (`/exec`, `/run`) outside API-server admission and audit: tokens of \
                 every pod, and root through privileged pods. `get` is enough over WebSocket."
            }
            RiskKind::CsrApproval => {
                "Approving CertificateSigningRequests for the kube-apiserver-client signer lets the \
                 holder sign a client certificate with any identity, for example a user in the \
                 `system:masters` group, which RBAC cannot restrict or revoke."
            }
            RiskKind::WebhookConfigWrite => {
                "Admission webhooks and policies see and can rewrite every object sent to the API \
                 server: writing them lets an attacker inject containers into new pods, steal \
                 Secrets in flight, or delete the policies that enforce security."
            }
            RiskKind::PersistentVolumeCreate => {
                "A PersistentVolume can point at a hostPath: a pod that claims it gets the node's \
                 filesystem, bypassing the Pod Security checks on hostPath volumes."
            }
            RiskKind::AnonymousGrant => {
                "Grants to `system:anonymous` or `system:unauthenticated` are open to anyone who can \
                 reach the API server, without credentials."
            }
            RiskKind::AllAuthenticatedGrant => {
                "Grants to `system:authenticated` (or every service account) reach every user and \
                 every pod's token: one compromised workload anywhere in the cluster holds them; on \
                 some managed clusters any account of the cloud provider authenticates."
            }
            RiskKind::DefaultServiceAccountBound => {
                "Every pod that names no service account runs as `default`, so permissions bound to \
                 it are handed to all such pods, including ones added later for other purposes."
            }
            RiskKind::DanglingRoleRef => {
                "The binding references a role that does not exist, so it grants nothing today; \
                 whoever later creates a role with that name decides what its subjects get."
            }
            RiskKind::DanglingServiceAccount => {
                "The binding grants permissions to a service account that does not exist: whoever \
                 can create service accounts in that namespace creates it and inherits the \
                 permissions."
            }
            RiskKind::UnusedRole => {
                "The role is bound to nobody: it is dead configuration that hides what is actually \
                 granted, and a ready-made target for a future careless binding."
            }
        }
    }
}
