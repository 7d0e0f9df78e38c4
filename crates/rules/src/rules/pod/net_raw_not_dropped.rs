use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;

use super::capability_set;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers that keep the `NET_RAW` capability: they add it, or they do not drop it (by
    /// name or with `drop: [ALL]`). Docker, containerd and CRI-O grant `NET_RAW` by default, so a
    /// container that says nothing has it. Names are read as the runtime reads them
    /// (`cap_net_raw` counts). Privileged containers (POD001), containers that add `ALL` (POD012)
    /// and Windows pods are left to other rules.
    ///
    /// ## Why is this bad?
    /// `NET_RAW` lets a process forge packets. From a compromised pod an attacker spoofs ARP and DNS
    /// replies to other pods on the same node's bridge and intercepts their traffic, sniffs
    /// unencrypted service-to-service calls, and reaches kernel packet-socket code that has had
    /// privilege-escalation bugs (CVE-2020-14386). Applications almost never need it: `ping` works
    /// through ICMP sockets without it on current kernels.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: web}
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:2.4.0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: web}
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:2.4.0
    ///     securityContext:
    ///       capabilities: {drop: [ALL]}
    /// ```
    ///
    /// ## Fix safety
    /// For a container that does not drop it, the fix appends `NET_RAW` to `capabilities.drop`. It is
    /// unsafe: network diagnostics inside the container (raw-socket `ping`, `traceroute`, `tcpdump`)
    /// stop working. A container that adds `NET_RAW` on purpose gets no fix.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Capabilities"
    /// - CIS Kubernetes Benchmark 5.2.8
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    pub(crate) static RULE = RuleMeta {
        id: "POD010",
        name: "net-raw-capability-kept",
        title: "Container keeps the NET_RAW capability",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.8", "nsa:pod-security", "pss:restricted", "owasp:K01"],
        aliases: &[("checkov", "CKV_K8S_28"), ("kube-linter", "drop-net-raw-capability")],
        fix: FixAvailability::Sometimes,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    if workload.is_windows() {
        return;
    }
    for container in workload.all_containers() {
        if capability_set::is_privileged(&container)
            || capability_set::added(&container, "ALL").is_some()
        {
            continue;
        }
        if let Some(node) = capability_set::added(&container, "NET_RAW") {
            let message = format!("{} adds capability `NET_RAW`", container.describe());
            ctx.report(workload.object, node, message);
            continue;
        }
        if capability_set::is_dropped(&container, "NET_RAW") {
            continue;
        }
        let fix = Fix::new(
            "Add `NET_RAW` to `capabilities.drop`",
            Applicability::Unsafe,
            vec![Edit::Append {
                path: workload
                    .container_path(&container, &["securityContext", "capabilities", "drop"]),
                value: "NET_RAW".into(),
            }],
        );
        let message = format!(
            "{} keeps the runtime's default `NET_RAW` capability (not dropped)",
            container.describe()
        );
        ctx.report_fix(workload.object, container.node, message, fix);
    }
}
