use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags liveness, readiness and startup probes and `postStart`/`preStop` handlers whose `httpGet.host`
    /// or `tcpSocket.host` is set (PSA check `hostProbesAndHostLifecycle`, baseline, from policy v1.34).
    ///
    /// ## Why is this bad?
    /// The kubelet runs probes and lifecycle handlers from the node. With `host` set, anyone who can create
    /// a pod makes the kubelet send requests to any address the node can reach (cloud metadata services,
    /// node-local admin ports, other tenants' pods): a server-side request forgery through the kubelet,
    /// with the node's network position.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     livenessProbe:
    ///       httpGet: {host: 169.254.169.254, path: /latest/meta-data/, port: 80}
    /// ```
    ///
    /// ## Use instead
    /// Probe the pod itself (the default when `host` is absent):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     livenessProbe:
    ///       httpGet: {path: /healthz, port: 8080}
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Probes / Lifecycle Hooks"
    pub(crate) static RULE = RuleMeta {
        id: "POD025",
        name: "probe-targets-host",
        title: "Probe or lifecycle handler targets another host",
        severity: Severity::Medium,
        frameworks: &["nsa:pod-security", "pss:baseline", "pss:hostProbesAndHostLifecycle", "owasp:K01"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["hostProbesAndHostLifecycle"]);
}
