use kubeward_diagnostics::Severity;
use kubeward_model::Workload;
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags capabilities added to a container (`securityContext.capabilities.add`) beyond the set the
    /// Pod Security Standards' Baseline level allows (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`,
    /// `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`,
    /// `SYS_CHROOT`). Names are compared exactly, as Kubernetes does: `CAP_SYS_ADMIN` is not in the
    /// allowed set either.
    ///
    /// ## Why is this bad?
    /// Capabilities are slices of root. `SYS_ADMIN` is nearly full root (mount, BPF, namespaces);
    /// `NET_ADMIN` rewrites the node's or pod's network; `SYS_PTRACE` reads other processes' memory;
    /// `SYS_MODULE` loads kernel code; `ALL` is all of them. Each is a documented container escape route.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: vpn}
    /// spec:
    ///   containers:
    ///   - name: vpn
    ///     image: registry.example.com/vpn:1.2.0
    ///     securityContext:
    ///       capabilities: {add: [NET_ADMIN, SYS_ADMIN]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: vpn}
    /// spec:
    ///   containers:
    ///   - name: vpn
    ///     image: registry.example.com/vpn:1.2.0
    ///     securityContext:
    ///       capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: whether the workload can do without the capability needs a human.
    ///
    /// ## Differences from other tools
    /// Trivy KSV022 and Checkov CKV_K8S_25 fail any added capability, even one the Baseline set
    /// allows, and Kubescape C-0046 uses its own list of 13 dangerous capabilities.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Capabilities"
    /// - CIS Kubernetes Benchmark 5.2.8, 5.2.9
    pub(crate) static RULE = RuleMeta {
        id: "POD006",
        name: "capabilities-added",
        title: "Container adds capabilities beyond the Baseline set",
        severity: Severity::High,
        frameworks: &["cis:5.2.9", "nsa:pod-security", "pss:baseline", "pss:capabilities_baseline", "pss:capabilities_restricted", "owasp:K01"],
        aliases: &[("kubescape", "C-0046"), ("trivy", "KSV022"), ("checkov", "CKV_K8S_25")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

/// Capabilities the Baseline level allows to be added.
pub(crate) const BASELINE_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        let added = container
            .security_field("capabilities")
            .and_then(|c| c.get("add"))
            .into_iter()
            .flat_map(Node::items);
        for cap in added {
            let name = cap.scalar_text().unwrap_or_default();
            if BASELINE_CAPABILITIES.contains(&name.as_str()) {
                continue;
            }
            let message = format!("{} adds capability `{name}`", container.describe());
            ctx.report(workload.object, cap, message);
        }
    }
}
