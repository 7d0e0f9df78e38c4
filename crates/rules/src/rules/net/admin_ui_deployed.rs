use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::admin_ui;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads that run an administrative web UI, recognised by image: the Kubernetes
    /// Dashboard, Argo CD's API server, Grafana, Prometheus, Alertmanager, Kibana, Jupyter and
    /// JupyterHub, Portainer, Rancher, Weave Scope, Headlamp, Octant, pgAdmin, phpMyAdmin, Adminer,
    /// mongo-express, Kafka UI and Redis Commander. When the UI is also reachable from outside the
    /// cluster, NET009 reports that with a higher severity.
    ///
    /// ## Why is this bad?
    /// These UIs run code, read data or manage the cluster on behalf of whoever reaches them, with
    /// their own — often powerful — service account. Many ship without authentication or with
    /// default credentials (the Dashboard's skip-login, Grafana's `admin/admin`, Jupyter without a
    /// token, Prometheus with no auth at all). They are the entry point of many real cluster
    /// compromises, cryptomining campaigns included. Each one deployed is an attack surface to
    /// inventory, authenticate and keep patched.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: kubernetes-dashboard, namespace: kubernetes-dashboard}
    /// spec:
    ///   selector: {matchLabels: {app: dashboard}}
    ///   template:
    ///     metadata: {labels: {app: dashboard}}
    ///     spec:
    ///       containers:
    ///       - name: dashboard
    ///         image: kubernetesui/dashboard:v2.7.0
    ///         args: [--enable-skip-login]
    /// ```
    ///
    /// ## Use instead
    /// Use `kubectl` or a UI that runs on the operator's machine with their own credentials (such
    /// as Headlamp desktop); if a shared UI is needed, document it with a suppression.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: shop, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: shop}}
    ///   template:
    ///     metadata: {labels: {app: shop}}
    ///     spec:
    ///       containers:
    ///       - {name: shop, image: "registry.example.com/shop:4.0.0"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## Differences from other tools
    /// Checkov CKV_K8S_33 recognises only the Kubernetes Dashboard.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Threat model" (exposed dashboards)
    /// - OWASP Kubernetes Top 10 K06: Broken Authentication
    pub(crate) static RULE = RuleMeta {
        id: "NET008",
        name: "admin-ui-deployed",
        title: "Workload runs an administrative web UI",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K06"],
        aliases: &[("checkov", "CKV_K8S_33")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    let Some((container, name)) = admin_ui::of_workload(workload) else {
        return;
    };
    let node = container.image().unwrap_or(container.node);
    let message = format!(
        "{} runs {name}, an administrative web UI",
        container.describe()
    );
    ctx.report(workload.object, node, message);
}
