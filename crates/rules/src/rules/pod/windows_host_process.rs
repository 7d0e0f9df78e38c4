use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods and containers with `windowsOptions.hostProcess: true` (PSA check `windowsHostProcess`,
    /// baseline).
    ///
    /// ## Why is this bad?
    /// A HostProcess container is a process on the Windows node, with the node's network and file system
    /// and, typically, as `NT AUTHORITY\SYSTEM`. Code execution in it is administrator access to the node
    /// and to every pod's secrets on it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   securityContext:
    ///     windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\SYSTEM"}
    ///   hostNetwork: true
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   securityContext:
    ///     windowsOptions: {runAsUserName: ContainerUser}
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "HostProcess"
    /// - CIS Kubernetes Benchmark 5.2.10
    pub(crate) static RULE = RuleMeta {
        id: "POD024",
        name: "windows-host-process",
        title: "Windows HostProcess container",
        severity: Severity::Critical,
        frameworks: &["cis:5.2.10", "nsa:pod-security", "pss:baseline", "pss:windowsHostProcess", "owasp:K01"],
        aliases: &[("trivy", "KSV103")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["windowsHostProcess"]);
}
