use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::{ContainerKind, Workload};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags init and regular containers whose `securityContext.readOnlyRootFilesystem` is not true.
    /// The field exists only on containers: a `readOnlyRootFilesystem` written in the pod's
    /// `securityContext` is not a Kubernetes field, is dropped by the API server, and protects nothing,
    /// so it does not count. Ephemeral (debug) containers are not flagged: they are added by hand to
    /// investigate, and tools there often need to write.
    ///
    /// ## Why is this bad?
    /// A writable root filesystem is where an intruder drops tools: a downloaded cryptominer binary, a
    /// reverse shell, a replaced `/bin/sh` or a tampered configuration file that survives a process
    /// restart. With a read-only root the attacker is confined to the volumes the application
    /// declared, which are few, known, and can be mounted `noexec`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:3.1.0
    /// ```
    ///
    /// ## Use instead
    /// Make the root read-only and give the process an `emptyDir` for what it must write:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:3.1.0
    ///         securityContext: {readOnlyRootFilesystem: true}
    ///         volumeMounts: [{name: tmp, mountPath: /tmp}]
    ///       volumes:
    ///       - {name: tmp, emptyDir: {}}
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `readOnlyRootFilesystem: true`. It is unsafe: a process that writes to its root
    /// (caches, PID files, `/tmp`) fails until those paths get an `emptyDir` volume.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Immutable container file systems"
    /// - CIS Kubernetes Benchmark 5.6.3 (security contexts applied to pods and containers)
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "POD007",
        name: "read-only-root-filesystem-not-set",
        title: "Container's root filesystem is writable",
        severity: Severity::Low,
        frameworks: &["cis:5.6.3", "nsa:pod-security", "nsa:immutable-filesystems", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0017"),
            ("trivy", "KSV014"),
            ("checkov", "CKV_K8S_22"),
            ("polaris", "notReadOnlyRootFilesystem"),
            ("kube-linter", "no-read-only-root-fs"),
        ],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        if container.kind == ContainerKind::Ephemeral {
            continue;
        }
        let value = container
            .security_field("readOnlyRootFilesystem")
            .filter(|n| !n.is_null());
        if value.and_then(|n| n.as_bool()) == Some(true) {
            continue;
        }
        let (node, message) = match value {
            Some(n) => (
                n,
                format!(
                    "{} sets `readOnlyRootFilesystem: false`",
                    container.describe()
                ),
            ),
            None => (
                container.node,
                format!(
                    "{} has a writable root filesystem (`readOnlyRootFilesystem` not set)",
                    container.describe()
                ),
            ),
        };
        let fix = Fix::new(
            "Set `readOnlyRootFilesystem: true`",
            Applicability::Unsafe,
            vec![Edit::Set {
                path: workload
                    .container_path(&container, &["securityContext", "readOnlyRootFilesystem"]),
                value: true.into(),
            }],
        );
        ctx.report_fix(workload.object, node, message, fix);
    }
}
