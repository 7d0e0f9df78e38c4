use kubeward_diagnostics::{Location, Severity};
use kubeward_model::{Inventory, Workload};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads that run as their namespace's `default` service account — by naming it or by
    /// naming none — and get its token mounted. Workloads that opt out of the token
    /// (`automountServiceAccountToken: false` on the pod spec, or on the `default` ServiceAccount
    /// when it is among the scanned objects and the pod spec does not say) are not flagged: without
    /// the token the shared identity cannot be used.
    ///
    /// ## Why is this bad?
    /// Every pod that names no account shares `default`. Whatever a binding grants it — often added
    /// for one job years ago — every other pod in the namespace gets too, and an intruder in the
    /// least important of them acts with it. Audit logs cannot tell the workloads apart, and
    /// least-privilege RBAC is impossible when there is only one identity to grant to.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: worker, namespace: jobs}
    /// spec:
    ///   selector: {matchLabels: {app: worker}}
    ///   template:
    ///     metadata: {labels: {app: worker}}
    ///     spec:
    ///       containers:
    ///       - {name: worker, image: "registry.example.com/worker:2.0.0"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: worker, namespace: jobs}
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: worker, namespace: jobs}
    /// spec:
    ///   selector: {matchLabels: {app: worker}}
    ///   template:
    ///     metadata: {labels: {app: worker}}
    ///     spec:
    ///       serviceAccountName: worker
    ///       containers:
    ///       - {name: worker, image: "registry.example.com/worker:2.0.0"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a dedicated account needs its own object and bindings.
    ///
    /// ## Differences from other tools
    /// KubeLinter `default-service-account` also fails pods that opt out of the token.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.5
    /// - NSA/CISA Kubernetes Hardening Guide: "Service account tokens"
    pub(crate) static RULE = RuleMeta {
        id: "SA002",
        name: "default-service-account-used",
        title: "Workload runs as the namespace's `default` service account",
        severity: Severity::Low,
        frameworks: &["cis:5.1.5", "nsa:authentication", "owasp:K03"],
        aliases: &[("kube-linter", "default-service-account")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    for workload in inventory.workloads() {
        check_workload(ctx, inventory, &workload);
    }
}

fn check_workload(ctx: &mut Context<'_>, inventory: &Inventory, workload: &Workload<'_>) {
    if workload.service_account() != "default" {
        return;
    }
    let pod_value = workload
        .pod_field("automountServiceAccountToken")
        .filter(|n| !n.is_null())
        .and_then(Node::as_bool);
    let mounted = pod_value.unwrap_or_else(|| {
        let namespace = workload.object.effective_namespace();
        inventory
            .get("ServiceAccount", namespace, "default")
            .and_then(|sa| sa.root.get("automountServiceAccountToken"))
            .and_then(Node::as_bool)
            != Some(false)
    });
    if !mounted {
        return;
    }
    let named = workload
        .pod_field("serviceAccountName")
        .or_else(|| workload.pod_field("serviceAccount"));
    let span = named.map_or(workload.pod_spec_key, |n| n.span);
    let how = if named.is_some() {
        "name"
    } else {
        "fall back to"
    };
    let message = format!("pods {how} the `default` service account and mount its token");
    let location = Location {
        source: workload.object.source,
        span,
    };
    ctx.report_at(workload.object, location, message);
}
