use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past};

declare_detector! {
    /// ## What it does
    /// Reports Secrets listed or watched across all namespaces (no namespace in the request) by an
    /// identity that is neither a system component nor allow-listed.
    ///
    /// ## Why is this bad?
    /// One request returns every Secret of the cluster with its data: every service-account token
    /// still stored as a Secret, every registry credential and TLS key. It is the single most
    /// valuable read an attacker can make, and tools that harvest credentials start with it.
    ///
    /// ## MITRE ATT&CK
    /// T1552.007 Unsecured Credentials: Container API.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"s2","stage":"ResponseComplete","requestURI":"/api/v1/secrets?limit=500","verb":"list","user":{"username":"system:serviceaccount:web:frontend","groups":["system:serviceaccounts","system:serviceaccounts:web","system:authenticated"]},"sourceIPs":["10.244.1.17"],"userAgent":"python-requests/2.31.0","objectRef":{"resource":"secrets","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Good practices for Kubernetes Secrets": least-privilege access
    /// - OWASP Kubernetes Top 10: K08 Secrets Management Failures
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD012",
        name: "secrets-listed-cluster-wide",
        title: "Secrets listed across all namespaces",
        severity: Severity::High,
        mitre: Technique { id: "T1552.007", name: "Unsecured Credentials: Container API" },
        frameworks: &["owasp:K08", "owasp:K03", "nsa:threat-detection"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "secrets"
        || !event.namespace().is_empty()
        || !matches!(&*event.verb, "list" | "watch")
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    Some(Finding::new(fact(
        event,
        &format!("{} Secrets in all namespaces", past(&event.verb)),
    )))
}
