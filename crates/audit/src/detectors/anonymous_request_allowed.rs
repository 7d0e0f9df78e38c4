use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, what};

declare_detector! {
    /// ## What it does
    /// Reports requests the API server accepted from the anonymous user (`system:anonymous`, group
    /// `system:unauthenticated`), other than the health, version and discovery paths RBAC opens to
    /// everyone by default.
    ///
    /// ## Why is this bad?
    /// Anything anonymous users may do, anyone who can reach the API server may do, without a stolen
    /// credential. A binding of a role to `system:anonymous` or `system:unauthenticated` (often left from
    /// debugging) hands an attacker on the network or the internet a foothold: list pods and secrets,
    /// read configuration, sometimes create workloads.
    ///
    /// ## MITRE ATT&CK
    /// T1078 Valid Accounts (the default anonymous account).
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"6f1c","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods","verb":"list","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["203.0.113.9"],"userAgent":"curl/8.5.0","objectRef":{"resource":"pods","namespace":"default","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.010000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Authenticating": anonymous requests
    /// - CIS Kubernetes Benchmark 1.2.1 (`--anonymous-auth=false`)
    /// - OWASP Kubernetes Top 10: K06 Broken Authentication Mechanisms
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD001",
        name: "anonymous-request-allowed",
        title: "Anonymous request allowed",
        severity: Severity::High,
        mitre: Technique { id: "T1078", name: "Valid Accounts" },
        frameworks: &["owasp:K06", "cis:1.2.1", "nsa:authentication-authorization"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    let anonymous = event.username() == "system:anonymous"
        || event
            .user
            .groups
            .iter()
            .any(|g| g == "system:unauthenticated");
    if !anonymous || !event.is_allowed() {
        return None;
    }
    Some(Finding::new(fact(
        event,
        &format!("was allowed to `{}` {}", event.verb, what(event)),
    )))
}
