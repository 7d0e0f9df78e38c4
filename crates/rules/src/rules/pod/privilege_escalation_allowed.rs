use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Linux containers whose `securityContext.allowPrivilegeEscalation` is not explicitly `false`.
    /// Kubernetes defaults it to true, so leaving it out is the same as allowing it.
    ///
    /// ## Why is this bad?
    /// With escalation allowed, `no_new_privs` is not set on the process: a setuid binary in the image
    /// (`su`, `sudo`, `ping` on old images) or a file capability lets an attacker who has code execution
    /// as an unprivileged user become root inside the container, the first step of most container escapes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: registry.example.com/web:2.1.0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: registry.example.com/web:2.1.0
    ///         securityContext: {allowPrivilegeEscalation: false}
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `allowPrivilegeEscalation: false`. It is unsafe only for images that rely on setuid
    /// binaries at run time, which is rare for services.
    ///
    /// ## Differences from other tools
    /// Polaris `privilegeEscalationAllowed` fails only an explicit
    /// `allowPrivilegeEscalation: true`; an unset field passes there but is flagged here.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Privilege Escalation"
    /// - CIS Kubernetes Benchmark 5.2.6
    /// - Windows pods are exempt: the field has no effect there.
    pub(crate) static RULE = RuleMeta {
        id: "POD002",
        name: "privilege-escalation-allowed",
        title: "Container allows privilege escalation",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.6", "nsa:pod-security", "pss:restricted", "pss:allowPrivilegeEscalation", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0016"),
            ("trivy", "KSV001"),
            ("checkov", "CKV_K8S_20"),
            ("polaris", "privilegeEscalationAllowed"),
            ("kube-linter", "privilege-escalation-container"),
        ],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    if workload.is_windows() {
        return;
    }
    for container in workload.all_containers() {
        let value = container.security_field("allowPrivilegeEscalation");
        if value.and_then(|v| v.as_bool()) == Some(false) {
            continue;
        }
        let (node, message) = match value {
            Some(v) if !v.is_null() => (
                v,
                format!("{} allows privilege escalation", container.describe()),
            ),
            _ => (
                container.node,
                format!(
                    "{} does not set `allowPrivilegeEscalation: false` (Kubernetes defaults to allowing it)",
                    container.describe()
                ),
            ),
        };
        let fix = Fix::new(
            "Set `allowPrivilegeEscalation: false`",
            Applicability::Unsafe,
            vec![Edit::Set {
                path: workload
                    .container_path(&container, &["securityContext", "allowPrivilegeEscalation"]),
                value: false.into(),
            }],
        );
        ctx.report_fix(workload.object, node, message, fix);
    }
}
