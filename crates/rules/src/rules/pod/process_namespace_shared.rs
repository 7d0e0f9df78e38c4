use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pod specs with `shareProcessNamespace: true`, where all containers of the pod see each
    /// other's processes.
    ///
    /// ## Why is this bad?
    /// In a shared process namespace, an intruder in one container — say an exposed web front-end —
    /// sees the sidecar's processes, reads their environment and command lines through `/proc`
    /// (database passwords, tokens passed as arguments) and, as the same user, reaches their files
    /// through `/proc/<pid>/root` and can signal or trace them. The container boundary inside the pod
    /// is gone, so the weakest container decides the pod's security.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   shareProcessNamespace: true
    ///   containers:
    ///   - {name: web, image: "registry.example.com/web:1.0.0"}
    ///   - {name: vault-agent, image: "registry.example.com/vault:1.17.2"}
    /// ```
    ///
    /// ## Use instead
    /// Debug with an ephemeral container targeting one container (`kubectl debug --target`) instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - {name: web, image: "registry.example.com/web:1.0.0"}
    ///   - {name: vault-agent, image: "registry.example.com/vault:1.17.2"}
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes `shareProcessNamespace`. It is unsafe for sidecars that signal the main process
    /// (config reloaders sending `SIGHUP`) or that rely on seeing it.
    ///
    /// ## References
    /// - Kubernetes documentation: "Share Process Namespace between Containers in a Pod"
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    pub(crate) static RULE = RuleMeta {
        id: "POD013",
        name: "process-namespace-shared",
        title: "Pod shares one process namespace between its containers",
        severity: Severity::Low,
        frameworks: &["nsa:pod-security", "owasp:K01"],
        aliases: &[],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    let Some(value) = workload.pod_field("shareProcessNamespace") else {
        return;
    };
    if value.as_bool() != Some(true) {
        return;
    }
    let fix = Fix::new(
        "Remove `shareProcessNamespace`",
        Applicability::Unsafe,
        vec![Edit::Remove {
            path: workload.pod_path(&["shareProcessNamespace"]),
        }],
    );
    let message =
        "pod shares one process namespace between its containers (`shareProcessNamespace: true`)"
            .to_string();
    ctx.report_fix(workload.object, value, message, fix);
}
