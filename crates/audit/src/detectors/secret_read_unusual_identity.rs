use crate::alert::{Severity, Technique};
use crate::event::Event;
use crate::identity::service_account;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports Secrets read (`get`) or listed/watched in one namespace by an identity that is neither a
    /// system component nor allow-listed. A service account reading Secrets of its own namespace is
    /// the normal pattern of operators and is not reported; listing across all namespaces is AUD012.
    ///
    /// ## Why is this bad?
    /// Secrets hold what attackers want next: database passwords, cloud keys, TLS keys, and
    /// service-account tokens of more powerful identities. Reading them is the pivot from one
    /// compromised credential to many. Humans rarely need to read Secrets in production, and workloads
    /// that do are a short, known list.
    ///
    /// ## MITRE ATT&CK
    /// T1552.007 Unsecured Credentials: Container API.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"s1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/secrets/db-credentials","verb":"get","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"secrets","namespace":"payments","name":"db-credentials","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Good practices for Kubernetes Secrets"
    /// - OWASP Kubernetes Top 10: K08 Secrets Management Failures
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD011",
        name: "secret-read-by-unusual-identity",
        title: "Secret read by an unusual identity",
        severity: Severity::Medium,
        mitre: Technique { id: "T1552.007", name: "Unsecured Credentials: Container API" },
        frameworks: &["owasp:K08", "nsa:threat-detection"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "secrets"
        || !event.subresource().is_empty()
        || !matches!(&*event.verb, "get" | "list" | "watch")
        || event.namespace().is_empty()
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    if let Some((sa_namespace, _)) = service_account(event.username())
        && sa_namespace == event.namespace()
    {
        return None;
    }
    Some(Finding::new(fact(
        event,
        &format!("{} {}", past(&event.verb), target(event)),
    )))
}
