use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact};

declare_detector! {
    /// ## What it does
    /// Reports requests to the `nodes/proxy` subresource that the API server allowed, with the
    /// kubelet path requested.
    ///
    /// ## Why is this bad?
    /// `nodes/proxy` forwards the request to the kubelet's API with the API server's own credentials.
    /// Through it the caller can list every pod on the node and run commands in any of them
    /// (`/exec`, `/run`), bypassing the `pods/exec` permission, admission control and most of the
    /// audit trail of the exec itself. It is a documented privilege escalation path.
    ///
    /// ## MITRE ATT&CK
    /// T1609 Container Administration Command.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"np1","stage":"ResponseComplete","requestURI":"/api/v1/nodes/worker-1/proxy/runningpods/","verb":"get","user":{"username":"system:serviceaccount:monitoring:scraper","groups":["system:serviceaccounts","system:authenticated"]},"sourceIPs":["10.244.2.9"],"userAgent":"curl/8.5.0","objectRef":{"resource":"nodes","name":"worker-1","apiVersion":"v1","subresource":"proxy"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Kubelet authentication/authorization": `nodes/proxy`
    /// - Kubernetes docs, "Role Based Access Control Good Practices": escalation risks
    /// - OWASP Kubernetes Top 10: K03 Overly Permissive RBAC Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD021",
        name: "node-proxy-access",
        title: "Kubelet API reached through nodes/proxy",
        severity: Severity::High,
        mitre: Technique { id: "T1609", name: "Container Administration Command" },
        frameworks: &["owasp:K03", "nsa:authentication-authorization"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "nodes" || event.subresource() != "proxy" || !event.is_allowed() {
        return None;
    }
    let did = format!(
        "reached the kubelet of node `{}` through `{} {}`",
        event.name(),
        event.verb,
        event.path()
    );
    Some(Finding::new(fact(event, &did)))
}
