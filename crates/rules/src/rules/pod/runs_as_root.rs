use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::{Level, Workload};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Linux containers that may run as root: the effective `runAsUser` is 0, or neither
    /// `runAsNonRoot: true` nor a non-zero `runAsUser` is in effect. Effective means as Kubernetes applies
    /// it: a container's own `securityContext` value wins, otherwise the pod's applies — so a pod-level
    /// `runAsNonRoot: true` protects every container, and a container-level `runAsNonRoot: false`
    /// overrides it.
    ///
    /// An explicit `runAsUser: 0` is left to POD028, which reports it with Pod Security Admission's
    /// wording; this rule does not repeat it.
    ///
    /// ## Why is this bad?
    /// Root in a container is root on the node's kernel, only fenced by namespaces and capabilities. A
    /// kernel or runtime bug (runc CVE-2019-5736, CVE-2024-21626) turns root in the container into root
    /// on the node; as root the attacker also owns every file on any volume the pod mounts.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   securityContext: {runAsNonRoot: true}
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.0.1
    ///     securityContext: {runAsNonRoot: false}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   securityContext: {runAsNonRoot: true, runAsUser: 10001}
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.0.1
    /// ```
    ///
    /// ## Fix safety
    /// When no UID is set, the fix sets `runAsNonRoot: true` on the container (an explicit UID 0 gets no
    /// fix: only the owner can pick the UID). It is unsafe: an image whose user is root then
    /// fails to start until it gets a non-root `USER` or a `runAsUser`.
    ///
    /// ## Differences from other tools
    /// Kubescape C-0013 is stricter (it also wants `runAsUser`/`runAsGroup` above 999 and no
    /// privilege escalation), and KubeLinter `run-as-non-root` also flags a missing or zero
    /// `runAsGroup`; Trivy KSV012, which ignores `runAsUser`, matches POD027 instead.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Running as Non-root" and "Running as Non-root user"
    /// - CIS Kubernetes Benchmark 5.2.7
    pub(crate) static RULE = RuleMeta {
        id: "POD003",
        name: "runs-as-root",
        title: "Container may run as root",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.7", "nsa:pod-security", "nsa:non-root-containers", "pss:restricted", "pss:runAsNonRoot", "pss:runAsUser", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0013"),
            ("checkov", "CKV_K8S_23"),
            ("polaris", "runAsRootAllowed"),
            ("kube-linter", "run-as-non-root"),
        ],
        fix: FixAvailability::Sometimes,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    if workload.is_windows() {
        return;
    }
    for container in workload.all_containers() {
        let user = workload.effective_security(&container, "runAsUser");
        if let Some((node, level)) = user.filter(|(n, _)| n.as_i64() == Some(0)) {
            let origin = match level {
                Level::Pod => " (from the pod's securityContext)",
                Level::Container => "",
            };
            let message = format!("{} runs as UID 0{origin}", container.describe());
            ctx.report(workload.object, node, message);
            continue;
        }
        let non_root = workload.effective_security(&container, "runAsNonRoot");
        let non_root_ok = non_root.is_some_and(|(n, _)| n.as_bool() == Some(true));
        let user_ok = user.is_some_and(|(n, _)| n.as_i64().is_some_and(|u| u > 0));
        if non_root_ok || user_ok {
            continue;
        }
        let (node, message) = match non_root {
            Some((n, Level::Container)) => (
                n,
                format!("{} sets `runAsNonRoot: false`", container.describe()),
            ),
            Some((n, Level::Pod)) => (
                n,
                format!(
                    "{} inherits `runAsNonRoot: false` from the pod",
                    container.describe()
                ),
            ),
            None => (
                container.node,
                format!(
                    "{} may run as root: neither `runAsNonRoot: true` nor a non-zero `runAsUser` applies",
                    container.describe()
                ),
            ),
        };
        let fix = Fix::new(
            "Set `runAsNonRoot: true`",
            Applicability::Unsafe,
            vec![Edit::Set {
                path: workload.container_path(&container, &["securityContext", "runAsNonRoot"]),
                value: true.into(),
            }],
        );
        ctx.report_fix(workload.object, node, message, fix);
    }
}
