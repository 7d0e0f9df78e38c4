use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports creates, changes and deletions of admission control configuration:
    /// MutatingWebhookConfigurations, ValidatingWebhookConfigurations, ValidatingAdmissionPolicies
    /// and their bindings.
    ///
    /// ## Why is this bad?
    /// Admission control is where policy is enforced. Deleting or loosening a validating webhook
    /// (a `failurePolicy: Ignore`, a narrower `namespaceSelector`) switches off the guard that stops
    /// privileged pods; a new mutating webhook sees, and can rewrite, every object it selects, Secrets
    /// included, so it can inject sidecars or steal data from every new pod.
    ///
    /// ## MITRE ATT&CK
    /// T1562.001 Impair Defenses: Disable or Modify Tools.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"w1","stage":"ResponseComplete","requestURI":"/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/policy-guard","verb":"delete","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"validatingwebhookconfigurations","name":"policy-guard","apiGroup":"admissionregistration.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Dynamic Admission Control"
    /// - OWASP Kubernetes Top 10: K04 Lack of Centralized Policy Enforcement
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD015",
        name: "admission-webhook-changed",
        title: "Admission control configuration changed",
        severity: Severity::High,
        mitre: Technique { id: "T1562.001", name: "Impair Defenses: Disable or Modify Tools" },
        frameworks: &["owasp:K04", "nsa:threat-detection"],
    };
}

const ADMISSION_RESOURCES: [&str; 4] = [
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
];

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if !ADMISSION_RESOURCES.contains(&event.resource())
        || !matches!(
            &*event.verb,
            "create" | "update" | "patch" | "delete" | "deletecollection"
        )
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
