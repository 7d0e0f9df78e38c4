use kubeward_diagnostics::{Applicability, Edit, Fix, PathSegment, Severity};
use kubeward_model::{Namespace, Object};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Namespace objects whose Pod Security Admission `enforce` label is missing or set to
    /// `privileged` (`pod-security.kubernetes.io/enforce`). `audit` and `warn` labels only report;
    /// they do not count as enforcement. Namespaces are judged on their own labels: a cluster-wide
    /// default in the API server's `AdmissionConfiguration` is not visible in manifests, so clusters
    /// that set one can suppress this rule with that reason.
    ///
    /// ## Why is this bad?
    /// Without enforcement, anyone who may create a pod or a Deployment in the namespace — a CI
    /// pipeline, a developer, a compromised controller — may create a privileged pod with `hostPID`
    /// and the node's root filesystem mounted, and so becomes root on a node. Pod Security Admission
    /// is the built-in guard that turns "may create pods" back into "may run ordinary pods".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: payments
    ///   labels:
    ///     pod-security.kubernetes.io/warn: restricted
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: payments
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    ///     pod-security.kubernetes.io/enforce-version: latest
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `pod-security.kubernetes.io/enforce: baseline`. It is unsafe: new pods that break
    /// the Baseline level (host namespaces, privileged, hostPath) are rejected from then on; run
    /// `kubeward pss predict --level baseline` first. Existing pods keep running.
    ///
    /// ## Differences from other tools
    /// Kubescape C-0192 is weaker: any `pod-security.kubernetes.io/*` label (even `audit` or
    /// `warn`), or a namespaced admission webhook, passes there.
    ///
    /// ## References
    /// - Kubernetes documentation: "Pod Security Admission", "Enforce Pod Security Standards with
    ///   Namespace Labels"
    /// - CIS Kubernetes Benchmark 5.2.1
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    pub(crate) static RULE = RuleMeta {
        id: "POD016",
        name: "namespace-pod-security-not-enforced",
        title: "Namespace does not enforce a Pod Security Standard",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.1", "nsa:pod-security", "pss:baseline", "owasp:K04"],
        aliases: &[("kubescape", "C-0192")],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Namespace"];

const LABEL: &str = "pod-security.kubernetes.io/enforce";

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(namespace) = Namespace::of(object) else {
        return;
    };
    let (level, _) = namespace.pod_security("enforce");
    let label_node = object.labels().and_then(|l| l.get(LABEL));
    let (node, message) = match (level.as_deref(), label_node) {
        (Some("privileged"), Some(node)) => (
            node,
            format!(
                "namespace `{}` enforces the `privileged` level, which allows everything",
                object.name()
            ),
        ),
        (Some(_), _) => return,
        (None, _) => (
            object.metadata().unwrap_or(&object.root),
            format!(
                "namespace `{}` has no `{LABEL}` label: pods are not checked against any Pod Security Standard",
                object.name()
            ),
        ),
    };
    let fix = Fix::new(
        "Enforce the Baseline level",
        Applicability::Unsafe,
        vec![Edit::Set {
            path: vec![
                PathSegment::from("metadata"),
                PathSegment::from("labels"),
                PathSegment::from(LABEL),
            ],
            value: "baseline".into(),
        }],
    );
    ctx.report_fix(object, node, message, fix);
}
