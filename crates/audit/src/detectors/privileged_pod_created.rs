use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::workload::pod_spec;
use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports creates and changes of pod-bearing objects (Pods, Deployments, ReplicaSets,
    /// StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, PodTemplates) whose pod spec
    /// asks for a privileged container, a `hostPath` volume, `hostNetwork`, `hostPID` or `hostIPC`.
    /// It reads `requestObject`, so it sees these writes when the audit policy logs them at level
    /// `Request` or `RequestResponse`.
    ///
    /// ## Why is this bad?
    /// Each of these is a door out of the container: a privileged container or a `hostPath` of `/`
    /// gives root on the node, `hostPID` lets it enter any process, `hostNetwork` lets it sniff and
    /// reach node-local services. Attackers with `create pods` use them to turn namespace access into
    /// node and then cluster access.
    ///
    /// ## MITRE ATT&CK
    /// T1611 Escape to Host.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"p1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"pods","namespace":"default","name":"node-shell","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"node-shell"},"spec":{"hostPID":true,"containers":[{"name":"shell","image":"alpine:3.20","securityContext":{"privileged":true}}],"volumes":[{"name":"root","hostPath":{"path":"/"}}]}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.030000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: Privileged Containers, HostPath Volumes, Host Namespaces
    /// - OWASP Kubernetes Top 10: K01 Insecure Workload Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD006",
        name: "privileged-pod-created",
        title: "Pod with host access created",
        severity: Severity::High,
        mitre: Technique { id: "T1611", name: "Escape to Host" },
        frameworks: &["owasp:K01", "nsa:pod-security", "pss:baseline"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if !event.is_allowed() || !event.is_success() {
        return None;
    }
    let spec = pod_spec(event)?;
    let mut reasons = Vec::new();
    for (set, field) in [
        (spec.host_network, "hostNetwork"),
        (spec.host_pid, "hostPID"),
        (spec.host_ipc, "hostIPC"),
    ] {
        if set == Some(true) {
            reasons.push(format!("`{field}: true`"));
        }
    }
    for container in spec.all_containers() {
        if container
            .security_context
            .as_ref()
            .and_then(|s| s.privileged)
            == Some(true)
        {
            reasons.push(format!("privileged container `{}`", container.name));
        }
    }
    for volume in &spec.volumes {
        if let Some(host_path) = &volume.host_path {
            reasons.push(format!(
                "hostPath volume `{}` of `{}`",
                volume.name, host_path.path
            ));
        }
    }
    if reasons.is_empty() {
        return None;
    }
    let did = format!(
        "{} {} with {}",
        past(&event.verb),
        target(event),
        reasons.join(", ")
    );
    Some(Finding::new(fact(event, &did)))
}
