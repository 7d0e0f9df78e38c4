use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads whose `metadata.namespace` is explicitly `default` (in files, or everything in
    /// the `default` namespace of a live cluster). A manifest without a namespace is not flagged: it
    /// lands wherever `kubectl apply -n` or the Helm release puts it, and most charts are written that
    /// way on purpose.
    ///
    /// ## Why is this bad?
    /// `default` is the namespace nobody owns. It usually has no NetworkPolicy, no Pod Security
    /// Admission label, no quota, and its `default` service account picks up bindings over the years;
    /// anything deployed there shares that weak perimeter with every forgotten test pod. An intruder
    /// who lands in one workload reaches the others unhindered, and RBAC cannot give a team the
    /// namespace without giving it everything else there.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: billing, namespace: default}
    /// spec:
    ///   selector: {matchLabels: {app: billing}}
    ///   template:
    ///     metadata: {labels: {app: billing}}
    ///     spec:
    ///       containers:
    ///       - {name: billing, image: "registry.example.com/billing:3.3.0"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: billing, namespace: billing}
    /// spec:
    ///   selector: {matchLabels: {app: billing}}
    ///   template:
    ///     metadata: {labels: {app: billing}}
    ///     spec:
    ///       containers:
    ///       - {name: billing, image: "registry.example.com/billing:3.3.0"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: moving a workload changes DNS names, RBAC and policies around it.
    ///
    /// ## Differences from other tools
    /// Checkov CKV_K8S_21 also fails manifests with no namespace and objects that are not
    /// workloads.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.6.4
    /// - NSA/CISA Kubernetes Hardening Guide: "Namespaces"
    pub(crate) static RULE = RuleMeta {
        id: "POD015",
        name: "workload-in-default-namespace",
        title: "Workload runs in the `default` namespace",
        severity: Severity::Low,
        frameworks: &["cis:5.6.4", "nsa:namespaces", "owasp:K07"],
        aliases: &[
            ("kubescape", "C-0061"),
            ("trivy", "KSV110"),
            ("checkov", "CKV_K8S_21"),
            ("kube-linter", "use-namespace"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    let Some(node) = workload
        .object
        .metadata()
        .and_then(|m| m.get("namespace"))
        .filter(|n| n.as_str() == Some("default"))
    else {
        return;
    };
    let message = format!(
        "{} `{}` runs in the `default` namespace",
        workload.object.kind(),
        workload.object.name()
    );
    ctx.report(workload.object, node, message);
}
