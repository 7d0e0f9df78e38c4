use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::workload::{POD_BEARING, image_list, pod_spec};
use super::{Context, Finding, fact, target};

declare_detector! {
    /// ## What it does
    /// Reports pod-bearing objects (Pods, Deployments, DaemonSets, ...) created in `kube-system` by an
    /// identity that is not a system component (see `SYSTEM_USERS`) nor allow-listed.
    ///
    /// ## Why is this bad?
    /// `kube-system` is where the cluster's own components run, with powerful service accounts,
    /// host access and exemptions from Pod Security admission. A workload planted there hides among
    /// legitimate components (`kube-proxy-x7f2q` looks familiar), inherits those exemptions and is
    /// rarely reviewed. Add-ons are installed there too; allow-list the identity that installs them.
    ///
    /// ## MITRE ATT&CK
    /// T1036.005 Masquerading: Match Legitimate Name or Location.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"k1","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/kube-system/daemonsets","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"daemonsets","namespace":"kube-system","name":"kube-proxy-metrics","apiGroup":"apps","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Namespaces": initial namespaces
    /// - OWASP Kubernetes Top 10: K01 Insecure Workload Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD007",
        name: "workload-in-kube-system",
        title: "Workload created in kube-system by a non-system identity",
        severity: Severity::High,
        mitre: Technique { id: "T1036.005", name: "Masquerading: Match Legitimate Name or Location" },
        frameworks: &["owasp:K01", "nsa:threat-detection"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.verb != "create"
        || event.namespace() != "kube-system"
        || !event.subresource().is_empty()
        || !POD_BEARING.contains(&event.resource())
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let images = pod_spec(event)
        .map(|s| image_list(&s))
        .filter(|s| !s.is_empty());
    let images = images
        .map(|s| format!(" (images: {s})"))
        .unwrap_or_default();
    Some(Finding::new(fact(
        event,
        &format!("created {}{images}", target(event)),
    )))
}
