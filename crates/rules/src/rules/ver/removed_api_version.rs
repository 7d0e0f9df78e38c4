use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::{Inventory, Object};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags objects written with an API version that Kubernetes has removed: `extensions/v1beta1`
    /// and `apps/v1beta1`/`v1beta2` workloads (removed in v1.16), the `v1beta1` Ingress, CRD,
    /// webhook, RBAC, CSR, Lease, PriorityClass and storage APIs (v1.22), `policy/v1beta1`
    /// PodSecurityPolicy and PodDisruptionBudget, `batch/v1beta1` CronJob, `autoscaling/v2beta1`,
    /// `discovery.k8s.io/v1beta1`, `events.k8s.io/v1beta1`, `node.k8s.io/v1beta1` (v1.25),
    /// `autoscaling/v2beta2` (v1.26), `storage.k8s.io/v1beta1` CSIStorageCapacity (v1.27) and the
    /// `flowcontrol.apiserver.k8s.io` betas (v1.26, v1.29, v1.32). The message names the release that
    /// removed it and the version to use instead.
    ///
    /// ## Why is this bad?
    /// The API server of a current cluster rejects these manifests, so they either fail to deploy or
    /// — worse — pin the cluster to an old, unpatched Kubernetes release because "the upgrade breaks
    /// our manifests". Every month on an unsupported release is a month of public CVEs without
    /// fixes. A `PodSecurityPolicy` in the repository also means the pod security it promised is no
    /// longer enforced anywhere since v1.25.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1
    /// kind: Ingress
    /// metadata: {name: shop}
    /// spec:
    ///   tls: [{secretName: shop-tls}]
    ///   backend: {serviceName: shop, servicePort: 80}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop}
    /// spec:
    ///   tls: [{secretName: shop-tls}]
    ///   defaultBackend: {service: {name: shop, port: {number: 80}}}
    /// ```
    ///
    /// ## Fix safety
    /// Where the replacement has the same schema (RBAC, PriorityClass, Lease, CronJob,
    /// `autoscaling/v2beta2`, the flowcontrol betas) the fix rewrites `apiVersion` and is safe. Other
    /// moves change fields (Ingress backends, CRD schemas, PodDisruptionBudget selectors) and get no
    /// fix; PodSecurityPolicy has no successor kind at all — use Pod Security Admission labels.
    ///
    /// ## Differences from other tools
    /// KubeLinter `no-extensions-v1beta` covers only the `extensions` group's beta versions.
    ///
    /// ## References
    /// - Kubernetes documentation: "Deprecated API Migration Guide"
    /// - NSA/CISA Kubernetes Hardening Guide: "Upgrading and application security practices"
    /// - OWASP Kubernetes Top 10 K10: Outdated and Vulnerable Kubernetes Components
    pub(crate) static RULE = RuleMeta {
        id: "VER005",
        name: "removed-api-version",
        title: "Object uses an API version removed from Kubernetes",
        severity: Severity::Medium,
        frameworks: &["nsa:upgrades", "owasp:K10"],
        aliases: &[("kube-linter", "no-extensions-v1beta")],
        fix: FixAvailability::Sometimes,
        default_enabled: true,
    };
}

/// A removed API: group/version, kinds (empty: every kind of the group/version), the minor
/// release that removed it, the replacement group/version (empty: none), and whether moving to the
/// replacement is a pure `apiVersion` change.
struct Removed {
    api_version: &'static str,
    kinds: &'static [&'static str],
    removed_in: &'static str,
    replacement: &'static str,
    same_schema: bool,
}

const fn removed(
    api_version: &'static str,
    kinds: &'static [&'static str],
    removed_in: &'static str,
    replacement: &'static str,
    same_schema: bool,
) -> Removed {
    Removed {
        api_version,
        kinds,
        removed_in,
        replacement,
        same_schema,
    }
}

const REMOVED: &[Removed] = &[
    removed(
        "extensions/v1beta1",
        &["Deployment", "DaemonSet", "ReplicaSet"],
        "1.16",
        "apps/v1",
        false,
    ),
    removed(
        "extensions/v1beta1",
        &["NetworkPolicy"],
        "1.16",
        "networking.k8s.io/v1",
        false,
    ),
    removed(
        "extensions/v1beta1",
        &["PodSecurityPolicy"],
        "1.16",
        "",
        false,
    ),
    removed(
        "extensions/v1beta1",
        &["Ingress"],
        "1.22",
        "networking.k8s.io/v1",
        false,
    ),
    removed("apps/v1beta1", &[], "1.16", "apps/v1", false),
    removed("apps/v1beta2", &[], "1.16", "apps/v1", false),
    removed(
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        "1.22",
        "networking.k8s.io/v1",
        false,
    ),
    removed(
        "apiextensions.k8s.io/v1beta1",
        &[],
        "1.22",
        "apiextensions.k8s.io/v1",
        false,
    ),
    removed(
        "admissionregistration.k8s.io/v1beta1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        "1.22",
        "admissionregistration.k8s.io/v1",
        false,
    ),
    removed(
        "apiregistration.k8s.io/v1beta1",
        &[],
        "1.22",
        "apiregistration.k8s.io/v1",
        true,
    ),
    removed(
        "rbac.authorization.k8s.io/v1beta1",
        &[],
        "1.22",
        "rbac.authorization.k8s.io/v1",
        true,
    ),
    removed(
        "rbac.authorization.k8s.io/v1alpha1",
        &[],
        "1.22",
        "rbac.authorization.k8s.io/v1",
        true,
    ),
    removed(
        "certificates.k8s.io/v1beta1",
        &[],
        "1.22",
        "certificates.k8s.io/v1",
        false,
    ),
    removed(
        "coordination.k8s.io/v1beta1",
        &[],
        "1.22",
        "coordination.k8s.io/v1",
        true,
    ),
    removed(
        "scheduling.k8s.io/v1beta1",
        &[],
        "1.22",
        "scheduling.k8s.io/v1",
        true,
    ),
    removed(
        "scheduling.k8s.io/v1alpha1",
        &[],
        "1.22",
        "scheduling.k8s.io/v1",
        true,
    ),
    removed(
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        "1.22",
        "storage.k8s.io/v1",
        false,
    ),
    removed(
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        "1.27",
        "storage.k8s.io/v1",
        true,
    ),
    removed("policy/v1beta1", &["PodSecurityPolicy"], "1.25", "", false),
    removed(
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        "1.25",
        "policy/v1",
        false,
    ),
    removed("batch/v1beta1", &["CronJob"], "1.25", "batch/v1", true),
    removed("batch/v2alpha1", &["CronJob"], "1.21", "batch/v1", true),
    removed(
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        "1.25",
        "autoscaling/v2",
        false,
    ),
    removed(
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        "1.26",
        "autoscaling/v2",
        true,
    ),
    removed(
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        "1.25",
        "discovery.k8s.io/v1",
        false,
    ),
    removed(
        "events.k8s.io/v1beta1",
        &["Event"],
        "1.25",
        "events.k8s.io/v1",
        false,
    ),
    removed(
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        "1.25",
        "node.k8s.io/v1",
        false,
    ),
    removed(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &[],
        "1.26",
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    removed(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        &[],
        "1.29",
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    removed(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &[],
        "1.32",
        "flowcontrol.apiserver.k8s.io/v1",
        true,
    ),
];

fn lookup(object: &Object) -> Option<&'static Removed> {
    REMOVED.iter().find(|r| {
        r.api_version == object.api_version()
            && (r.kinds.is_empty() || r.kinds.contains(&object.kind()))
    })
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    for object in inventory.objects() {
        let Some(entry) = lookup(object) else {
            continue;
        };
        let node = object.root.get("apiVersion").unwrap_or(&object.root);
        let instead = if entry.replacement.is_empty() {
            match object.kind() {
                "PodSecurityPolicy" => {
                    "; there is no successor: use Pod Security Admission".to_string()
                }
                _ => String::new(),
            }
        } else {
            format!("; use `{}`", entry.replacement)
        };
        let message = format!(
            "{} uses `{}`, removed in Kubernetes v{}{instead}",
            object.kind(),
            entry.api_version,
            entry.removed_in
        );
        let finding = ctx.report(object, node, message);
        if entry.same_schema {
            finding.fix = Some(Fix::new(
                format!("Use `apiVersion: {}`", entry.replacement),
                Applicability::Safe,
                vec![Edit::Set {
                    path: vec!["apiVersion".into()],
                    value: entry.replacement.into(),
                }],
            ));
        }
    }
}
