use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports Kubernetes Events (`events` in the core and `events.k8s.io` groups) deleted through
    /// the API, one by one or by collection. The API server expires Events on its own (`--event-ttl`)
    /// without an API call, so a deletion is a person or a program choosing to remove them.
    ///
    /// ## Why is this bad?
    /// Events record what happened to objects: which image was pulled, which pod was scheduled where,
    /// which exec failed. Deleting them removes evidence an investigator would use to rebuild an
    /// intrusion, and attackers clean them up after noisy steps.
    ///
    /// ## MITRE ATT&CK
    /// T1070 Indicator Removal.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"d1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/events","verb":"deletecollection","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"events","namespace":"payments","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Event" API reference
    /// - OWASP Kubernetes Top 10: K05 Inadequate Logging and Monitoring
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD016",
        name: "events-deleted",
        title: "Kubernetes Events deleted",
        severity: Severity::Medium,
        mitre: Technique { id: "T1070", name: "Indicator Removal" },
        frameworks: &["owasp:K05", "nsa:audit-logging"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "events"
        || !matches!(event.api_group(), "" | "events.k8s.io")
        || !matches!(&*event.verb, "delete" | "deletecollection")
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    Some(Finding::new(fact(
        event,
        &format!("{} {}", past(&event.verb), target(event)),
    )))
}
