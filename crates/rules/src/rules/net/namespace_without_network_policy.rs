use std::collections::{BTreeMap, BTreeSet};

use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Object};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags namespaces that run workloads but have no network policy at all: no
    /// `networking.k8s.io/v1` NetworkPolicy, no Cilium `CiliumNetworkPolicy` and no Calico
    /// `NetworkPolicy` in the namespace, and no cluster-wide Cilium or Calico policy among the scanned
    /// objects. CNI policies count as coverage because they do isolate pods; whether they isolate the
    /// right pods is a question for the NetworkPolicy engine, not for this rule.
    ///
    /// ## Why is this bad?
    /// Without a policy every pod accepts connections from every other pod in the cluster and may
    /// connect anywhere, including the cloud metadata endpoint. One compromised pod can then reach
    /// every database and internal API in the namespace, and the attacker's lateral movement leaves no
    /// trace at the network layer.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: db, namespace: payments}
    /// spec:
    ///   containers:
    ///   - {name: db, image: "registry.example.com/postgres:16.4"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: db, namespace: payments}
    /// spec:
    ///   containers:
    ///   - {name: db, image: "registry.example.com/postgres:16.4"}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix here: a default-deny policy without the allow rules the application needs
    /// breaks it. `kubeward netpol generate` writes both.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET001",
        name: "namespace-without-network-policy",
        title: "Namespace runs workloads without any network policy",
        severity: Severity::Medium,
        frameworks: &["cis:5.3.2", "nsa:network-separation", "owasp:K07"],
        aliases: &[
            ("kubescape", "C-0260"),
            ("kubescape", "C-0206"),
            ("checkov", "CKV2_K8S_6"),
            ("polaris", "missingNetworkPolicy"),
            ("kube-linter", "non-isolated-pod"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

/// Whether an object is a network policy of a kind we recognise, and whether it is cluster-wide.
fn policy_scope(object: &Object) -> Option<bool> {
    let group = object.api_version().split('/').next().unwrap_or("");
    match (object.kind(), group) {
        (
            "NetworkPolicy",
            "networking.k8s.io" | "cilium.io" | "crd.projectcalico.org" | "projectcalico.org",
        ) => Some(false),
        ("CiliumNetworkPolicy", "cilium.io") => Some(false),
        ("CiliumClusterwideNetworkPolicy", "cilium.io") => Some(true),
        ("GlobalNetworkPolicy", "crd.projectcalico.org" | "projectcalico.org") => Some(true),
        _ => None,
    }
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let mut covered = BTreeSet::new();
    for object in inventory.objects() {
        match policy_scope(object) {
            Some(true) => return,
            Some(false) => {
                if let Some(ns) = object.effective_namespace() {
                    covered.insert(ns);
                }
            }
            None => {}
        }
    }
    // First workload per namespace, in load order, to point at when there is no Namespace object.
    let mut namespaces: BTreeMap<&str, (&Object, usize)> = BTreeMap::new();
    for workload in inventory.workloads() {
        // Pods owned by a controller are counted through the controller.
        let Some(ns) = workload.object.effective_namespace() else {
            continue;
        };
        namespaces.entry(ns).or_insert((workload.object, 0)).1 += 1;
    }
    for (ns, (first, count)) in namespaces {
        if covered.contains(ns) {
            continue;
        }
        let target = inventory.get("Namespace", None, ns).unwrap_or(first);
        let message = format!(
            "namespace `{ns}` runs {count} workload{} but has no network policy: every pod accepts traffic from anywhere",
            if count == 1 { "" } else { "s" }
        );
        ctx.report(target, &target.root, message);
    }
}
