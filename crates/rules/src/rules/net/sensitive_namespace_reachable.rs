use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Service};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags workloads of sensitive namespaces (`kube-system`, and the namespaces of service meshes,
    /// certificate, secret and policy managers, GitOps controllers and CNIs) that NetworkPolicies
    /// leave reachable from every pod of every namespace. Cluster DNS, which every pod must reach, is
    /// not flagged; nor are workloads a Cilium or Calico policy selects, nor workloads with neither a
    /// declared container port nor a Service (nothing shows they accept connections).
    ///
    /// ## Why is this bad?
    /// These workloads hold cluster-wide power: service account tokens that can read every Secret,
    /// mint certificates, or change what runs. A compromised application pod that can open a
    /// connection to them can attack their APIs, metrics and debug endpoints directly, one step
    /// from taking the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: cert-manager-webhook, namespace: cert-manager}
    /// spec:
    ///   selector: {matchLabels: {app: webhook}}
    ///   template:
    ///     metadata: {labels: {app: webhook}}
    ///     spec:
    ///       containers:
    ///       - name: webhook
    ///         image: "quay.io/jetstack/cert-manager-webhook:v1.16.2"
    ///         ports: [{containerPort: 10250}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: cert-manager-webhook, namespace: cert-manager}
    /// spec:
    ///   selector: {matchLabels: {app: webhook}}
    ///   template:
    ///     metadata: {labels: {app: webhook}}
    ///     spec:
    ///       containers:
    ///       - name: webhook
    ///         image: "quay.io/jetstack/cert-manager-webhook:v1.16.2"
    ///         ports: [{containerPort: 10250}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: webhook-from-apiserver, namespace: cert-manager}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from: [{ipBlock: {cidr: 10.0.0.0/24}}]
    ///     ports: [{port: 10250}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which clients these components serve depends on the installation.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET019",
        name: "sensitive-namespace-reachable",
        title: "Workload of a sensitive namespace is reachable from every namespace",
        severity: Severity::Medium,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

/// Namespaces whose workloads hold cluster-wide power.
const SENSITIVE: &[&str] = &[
    "kube-system",
    "cert-manager",
    "istio-system",
    "linkerd",
    "argocd",
    "flux-system",
    "vault",
    "external-secrets",
    "gatekeeper-system",
    "kyverno",
    "calico-system",
    "tigera-operator",
    "cilium",
    "ingress-nginx",
];

/// Cluster DNS must be reachable from every pod.
fn is_cluster_dns(labels: &[(String, String)], name: &str) -> bool {
    matches!(name, "coredns" | "kube-dns")
        || labels
            .iter()
            .any(|(k, v)| k == "k8s-app" && (v == "kube-dns" || v == "coredns"))
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let analysis = super::policy_analysis::analysis(ctx, inventory);
    let engine = &analysis.engine;
    for (i, e) in engine.endpoints().iter().enumerate() {
        if !SENSITIVE.contains(&e.namespace.as_str())
            || e.host_network
            || is_cluster_dns(&e.labels, &e.name)
            || analysis.cni_covered(i)
        {
            continue;
        }
        // Without a declared port or a Service in front, nothing says the workload listens at all
        // (installers, node agents that only dial out).
        if e.ports.is_empty() && !has_service(inventory, e) {
            continue;
        }
        let exposure = engine.exposure_of(i);
        if !exposure.from_any_pod {
            continue;
        }
        let Some(object) = analysis.endpoint_object(inventory, i) else {
            continue;
        };
        let why = exposure.because.join("; ");
        let message = format!(
            "{} `{}` in sensitive namespace `{}` accepts connections from every pod of every namespace ({why})",
            e.kind, e.name, e.namespace
        );
        let node = object.metadata().unwrap_or(&object.root);
        ctx.report(object, node, message);
    }
}

fn has_service(inventory: &Inventory, endpoint: &kubeward_netpol::Endpoint) -> bool {
    inventory
        .of_kind("Service")
        .filter(|s| s.effective_namespace() == Some(endpoint.namespace.as_str()))
        .filter_map(Service::of)
        .any(|s| {
            s.selector()
                .is_some_and(|sel| sel.matches(endpoint.label_pairs()))
        })
}
