use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, what};

declare_detector! {
    /// ## What it does
    /// Reports allowed requests made through impersonation (`Impersonate-User` / `Impersonate-Group`
    /// headers, `kubectl --as`), recorded as `impersonatedUser` in the event.
    ///
    /// ## Why is this bad?
    /// Impersonation lets one identity act with another's permissions, and the audit trail then
    /// shows the request under the impersonated name unless someone reads `user` too. An attacker with
    /// the `impersonate` verb becomes `system:masters` or a privileged service account without holding
    /// its credential. Legitimate uses (authenticating proxies, admins testing RBAC) are few and
    /// known: allow-list them.
    ///
    /// ## MITRE ATT&CK
    /// T1078 Valid Accounts.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"i1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/secrets","verb":"list","user":{"username":"dev@example.com","groups":["system:authenticated"]},"impersonatedUser":{"username":"system:admin","groups":["system:masters"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"secrets","namespace":"payments","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Authenticating": user impersonation
    /// - OWASP Kubernetes Top 10: K03 Overly Permissive RBAC Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD010",
        name: "impersonation-used",
        title: "Request made through impersonation",
        severity: Severity::Medium,
        mitre: Technique { id: "T1078", name: "Valid Accounts" },
        frameworks: &["owasp:K03", "nsa:authentication-authorization"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    let impersonated = event.impersonated_user.as_ref()?;
    if !event.is_allowed() {
        return None;
    }
    let groups = if impersonated.groups.is_empty() {
        String::new()
    } else {
        let groups: Vec<&str> = impersonated.groups.iter().map(|g| g.as_ref()).collect();
        format!(" with groups [{}]", groups.join(", "))
    };
    let did = format!(
        "used impersonation{groups} to `{}` {}",
        event.verb,
        what(event)
    );
    Some(Finding::new(fact(event, &did)))
}
