use crate::alert::{Severity, Technique};
use crate::event::Event;
use crate::identity::service_account;

use super::{Context, Finding, fact};

declare_detector! {
    /// ## What it does
    /// Reports tokens requested for a service account (`serviceaccounts/token` create, the
    /// TokenRequest API behind `kubectl create token`) by anyone other than that service account
    /// itself. Kubelets requesting tokens for their pods are system components and are not reported.
    ///
    /// ## Why is this bad?
    /// A token minted for a service account is that service account, for as long as the requester
    /// asked (up to the API server's maximum), usable from anywhere. An attacker who may create
    /// tokens for a privileged service account (a controller, a CI deployer) gets its permissions
    /// without touching its pod, and the token outlives any password rotation.
    ///
    /// ## MITRE ATT&CK
    /// T1528 Steal Application Access Token.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"t1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/ci/serviceaccounts/deployer/token","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"serviceaccounts","namespace":"ci","name":"deployer","apiVersion":"v1","subresource":"token"},"responseStatus":{"metadata":{},"code":201},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Managing Service Accounts": TokenRequest API
    /// - OWASP Kubernetes Top 10: K06 Broken Authentication Mechanisms
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD013",
        name: "service-account-token-requested",
        title: "Service-account token requested by another identity",
        severity: Severity::High,
        mitre: Technique { id: "T1528", name: "Steal Application Access Token" },
        frameworks: &["owasp:K06", "nsa:authentication-authorization"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "serviceaccounts"
        || event.subresource() != "token"
        || event.verb != "create"
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let (namespace, name) = (event.namespace(), event.name());
    if service_account(event.username()) == Some((namespace, name)) {
        return None;
    }
    Some(Finding::new(fact(
        event,
        &format!("requested a token for service account `{namespace}/{name}`"),
    )))
}
