use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::{Inventory, Workload};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads whose pods get a service-account token mounted. Kubernetes mounts one unless
    /// `automountServiceAccountToken: false` is set on the pod spec or, when the pod spec does not say,
    /// on the ServiceAccount the pod runs as. The pod spec's value wins over the ServiceAccount's, so
    /// this rule reads both when the ServiceAccount is among the scanned objects.
    ///
    /// ## Why is this bad?
    /// The token is a credential for the Kubernetes API, readable by any process in the pod. An
    /// attacker with code execution (an RCE in the app, a malicious dependency) uses it to enumerate the
    /// cluster and to act with whatever RBAC grants the service account — often more than anyone
    /// remembers. Most applications never call the API and need no token.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: shop}
    /// spec:
    ///   selector: {matchLabels: {app: shop}}
    ///   template:
    ///     metadata: {labels: {app: shop}}
    ///     spec:
    ///       containers:
    ///       - {name: shop, image: "registry.example.com/shop:7.0.3"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: shop}
    /// spec:
    ///   selector: {matchLabels: {app: shop}}
    ///   template:
    ///     metadata: {labels: {app: shop}}
    ///     spec:
    ///       automountServiceAccountToken: false
    ///       containers:
    ///       - {name: shop, image: "registry.example.com/shop:7.0.3"}
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `automountServiceAccountToken: false` on the pod spec. It is unsafe for workloads
    /// that call the Kubernetes API (operators, controllers); mount a projected token for those instead.
    ///
    /// ## Differences from other tools
    /// Trivy KSV036 and KubeLinter `automount-service-account-token` read only the pod spec, not
    /// the ServiceAccount's setting.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.6
    /// - NSA/CISA Kubernetes Hardening Guide: "Service account tokens"
    pub(crate) static RULE = RuleMeta {
        id: "SA001",
        name: "service-account-token-automounted",
        title: "Pods get a service-account token they may not need",
        severity: Severity::Medium,
        frameworks: &["cis:5.1.6", "nsa:authentication", "nsa:service-account-tokens", "owasp:K03"],
        aliases: &[
            ("kubescape", "C-0034"),
            ("trivy", "KSV036"),
            ("checkov", "CKV_K8S_38"),
            ("polaris", "automountServiceAccountToken"),
            ("kube-linter", "automount-service-account-token"),
        ],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    for workload in inventory.workloads() {
        check_workload(ctx, inventory, &workload);
    }
}

fn check_workload(ctx: &mut Context<'_>, inventory: &Inventory, workload: &Workload<'_>) {
    let pod_value = workload
        .pod_field("automountServiceAccountToken")
        .filter(|n| !n.is_null());
    let account = workload.service_account();
    let (span, message) = match pod_value.map(Node::as_bool) {
        Some(Some(false)) => return,
        Some(_) => (
            pod_value.map_or(workload.pod_spec_key, |n| n.span),
            format!(
                "pods mount the token of service account `{account}` (`automountServiceAccountToken: true`)"
            ),
        ),
        None => {
            let namespace = workload.object.effective_namespace();
            let sa_setting = inventory
                .get("ServiceAccount", namespace, account)
                .and_then(|sa| sa.root.get("automountServiceAccountToken"))
                .and_then(Node::as_bool);
            if sa_setting == Some(false) {
                return;
            }
            (
                workload.pod_spec_key,
                format!(
                    "pods mount the token of service account `{account}` (automounting is on by default)"
                ),
            )
        }
    };
    let fix = Fix::new(
        "Set `automountServiceAccountToken: false` on the pod spec",
        Applicability::Unsafe,
        vec![Edit::Set {
            path: workload.pod_path(&["automountServiceAccountToken"]),
            value: false.into(),
        }],
    );
    let location = kubeward_diagnostics::Location {
        source: workload.object.source,
        span,
    };
    ctx.report_at(workload.object, location, message).fix = Some(fix);
}
