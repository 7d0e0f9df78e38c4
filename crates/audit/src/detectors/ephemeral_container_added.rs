use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::workload::{image_list, pod_spec};
use super::{Context, Finding, fact, object_name};

declare_detector! {
    /// ## What it does
    /// Reports ephemeral containers added to running pods (`pods/ephemeralcontainers` update or
    /// patch, what `kubectl debug` does), with their images when the audit level recorded them.
    ///
    /// ## Why is this bad?
    /// An ephemeral container joins a running pod with an image of the requester's choosing: it shares
    /// the pod's network and, with `--target`, its process namespace, so it can read the other
    /// containers' memory and files and use their credentials. It escapes most admission review of the
    /// original workload and leaves no trace in the Deployment.
    ///
    /// ## MITRE ATT&CK
    /// T1610 Deploy Container.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"e1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/pods/api-7d9f/ephemeralcontainers","verb":"patch","user":{"username":"mallory@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"pods","namespace":"payments","name":"api-7d9f","apiVersion":"v1","subresource":"ephemeralcontainers"},"responseStatus":{"metadata":{},"code":200},"requestObject":{"spec":{"ephemeralContainers":[{"name":"debugger-x1","image":"busybox:1.36","targetContainerName":"api"}]}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Ephemeral Containers" and "Debug Running Pods"
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD005",
        name: "ephemeral-container-added",
        title: "Ephemeral container added to a running pod",
        severity: Severity::High,
        mitre: Technique { id: "T1610", name: "Deploy Container" },
        frameworks: &["nsa:threat-detection", "owasp:K01"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "pods"
        || event.subresource() != "ephemeralcontainers"
        || !matches!(&*event.verb, "update" | "patch")
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let images = pod_spec(event)
        .map(|spec| {
            let names: Vec<String> = spec
                .ephemeral_containers
                .iter()
                .map(|c| {
                    format!(
                        "`{}` ({})",
                        c.name,
                        c.image.as_deref().unwrap_or("image not recorded")
                    )
                })
                .collect();
            if names.is_empty() {
                image_list(&spec)
            } else {
                names.join(", ")
            }
        })
        .filter(|s| !s.is_empty())
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    Some(Finding::new(fact(
        event,
        &format!(
            "added an ephemeral container to pod {}{images}",
            object_name(event)
        ),
    )))
}
