//! Who and what is excluded before any detector runs, unless `include-system: true`.
//!
//! These identities make most of the API traffic of every cluster and none of it is an attack by
//! itself; alerting on them would bury the few alerts that matter. The price is explicit: a stolen
//! kubelet or kube-system controller credential is not seen by the detectors, which is why
//! `include-system` exists for investigations.

use crate::config::{AuditConfig, any_match};
use crate::event::Event;

/// Control-plane and node identities, as `*` patterns:
/// - `system:apiserver` (loopback client), `system:kube-controller-manager`, `system:kube-scheduler`,
///   `system:kube-proxy`, `system:volume-scheduler`, `system:konnectivity-server`;
/// - `system:node:*`: kubelets (also matched through the `system:nodes` group);
/// - `system:serviceaccount:kube-system:*`: the controllers of kube-controller-manager when it runs
///   with `--use-service-account-credentials`, and the kube-system add-ons (CoreDNS, CNI, kube-proxy).
pub const SYSTEM_USERS: &[&str] = &[
    "system:apiserver",
    "system:kube-controller-manager",
    "system:kube-scheduler",
    "system:kube-proxy",
    "system:volume-scheduler",
    "system:konnectivity-server",
    "system:node:*",
    "system:serviceaccount:kube-system:*",
];

/// Groups whose members are system components: `system:nodes`.
pub const SYSTEM_GROUPS: &[&str] = &["system:nodes"];

/// Paths of health checks, metrics scrapes, version and OpenAPI discovery and the public OIDC
/// documents. Load balancers and monitoring hit them constantly, often anonymously, and by default
/// RBAC lets anyone read them (`system:public-info-viewer`).
pub const HEALTH_CHECK_PATHS: &[&str] = &[
    "/healthz",
    "/healthz/*",
    "/livez",
    "/livez/*",
    "/readyz",
    "/readyz/*",
    "/metrics",
    "/metrics/*",
    "/version",
    "/version/",
    "/openapi/*",
    "/.well-known/openid-configuration",
    "/openid/v1/jwks",
];

/// Whether the user is a built-in system component.
pub fn is_system_identity(user: &str, groups: &[impl AsRef<str>]) -> bool {
    // Every system name starts with `system:`: people and OIDC identities skip the pattern scan.
    (user.starts_with("system:") && any_match(SYSTEM_USERS, user))
        || groups
            .iter()
            .any(|g| g.as_ref().starts_with("system:") && any_match(SYSTEM_GROUPS, g.as_ref()))
}

/// Why an event is not looked at, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    RequestReceived,
    HealthCheck,
    System,
    AllowListed,
}

/// The checks every event passes before detectors see it.
pub(crate) fn skip_reason(config: &AuditConfig, event: &Event<'_>) -> Option<Skip> {
    if event.stage == crate::event::Stage::RequestReceived {
        // Logged again at ResponseStarted/ResponseComplete with the outcome.
        return Some(Skip::RequestReceived);
    }
    if event.object_ref.is_none() {
        let path = event.path();
        if any_match(HEALTH_CHECK_PATHS, path) || any_match(&config.extra_ignored_paths, path) {
            return Some(Skip::HealthCheck);
        }
    }
    let user = event.username();
    if !config.include_system && is_system_identity(user, &event.user.groups) {
        return Some(Skip::System);
    }
    let allow = &config.allow;
    if any_match(&allow.users, user)
        || event
            .user
            .groups
            .iter()
            .any(|g| any_match(&allow.groups, g))
        || (!event.namespace().is_empty() && any_match(&allow.namespaces, event.namespace()))
    {
        return Some(Skip::AllowListed);
    }
    None
}

/// `system:serviceaccount:ns:name` split into `(ns, name)`.
pub fn service_account(user: &str) -> Option<(&str, &str)> {
    user.strip_prefix("system:serviceaccount:")?.split_once(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_identities() {
        let none: [&str; 0] = [];
        assert!(is_system_identity("system:node:worker-1", &none));
        assert!(is_system_identity(
            "system:serviceaccount:kube-system:replicaset-controller",
            &none
        ));
        assert!(!is_system_identity(
            "system:serviceaccount:default:default",
            &none
        ));
        assert!(!is_system_identity("system:anonymous", &none));
        assert!(is_system_identity("x", &["system:nodes"]));
        assert_eq!(
            service_account("system:serviceaccount:ci:builder"),
            Some(("ci", "builder"))
        );
    }
}
