use kubeward_diagnostics::Severity;
use kubeward_model::{Level, Workload};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers whose effective `runAsGroup` is 0: set on the container, or set on the pod
    /// and not overridden by the container (a container's own non-zero `runAsGroup` wins over the
    /// pod's 0, and is not flagged). A container that sets nothing runs with the image's group,
    /// which this rule cannot see and does not guess. Windows pods are skipped.
    ///
    /// ## Why is this bad?
    /// Group 0 is root's group. Many files on the node and in images are group-root writable
    /// (`/etc` files installed with mode 0664, OpenShift-style images that make application paths
    /// `g=u`), so a process running with GID 0 writes where a root process would. After a container
    /// escape or through a shared volume, it owns whatever root's group owns; it also defeats
    /// `runAsNonRoot`, which checks only the user.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: worker}
    /// spec:
    ///   securityContext: {runAsUser: 10001, runAsGroup: 0}
    ///   containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:8.2.0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: worker}
    /// spec:
    ///   securityContext: {runAsUser: 10001, runAsGroup: 10001}
    ///   containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:8.2.0
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the group must match the ownership of the files the process uses.
    ///
    /// ## Differences from other tools
    /// Trivy KSV116 reads only the pod level, where it also flags a `supplementalGroups` or
    /// `fsGroup` of 0, so it misses a container's own `runAsGroup: 0`.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Non-root containers"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "POD014",
        name: "runs-as-root-group",
        title: "Container runs with the root group (GID 0)",
        severity: Severity::Low,
        frameworks: &["nsa:pod-security", "nsa:non-root-containers", "owasp:K01"],
        aliases: &[("trivy", "KSV116")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    if workload.is_windows() {
        return;
    }
    for container in workload.all_containers() {
        let Some((node, level)) = workload.effective_security(&container, "runAsGroup") else {
            continue;
        };
        if node.as_i64() != Some(0) {
            continue;
        }
        let origin = match level {
            Level::Pod => " (from the pod's securityContext)",
            Level::Container => "",
        };
        let message = format!("{} runs with group ID 0{origin}", container.describe());
        ctx.report(workload.object, node, message);
    }
}
