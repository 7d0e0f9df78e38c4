use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, LabelSelector, NetworkPolicy};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags `namespaceSelector`s in NetworkPolicy peers that match no namespace of the scan, when
    /// the scan includes Namespace objects (their labels are then known). Every namespace carries
    /// `kubernetes.io/metadata.name`, so selecting by name works even for namespaces the scan only
    /// sees through the objects in them; and the namespaces every cluster has (`kube-system`,
    /// `kube-public`, `kube-node-lease`, `default`) count as present.
    ///
    /// ## Why is this bad?
    /// The rule allows nothing, so the traffic the authors meant to allow is blocked, and the usual
    /// reaction to a broken application is to loosen the policy (`namespaceSelector: {}`), opening
    /// it to every namespace. A selector on a label nobody sets is also one an attacker who can label
    /// a namespace can satisfy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata: {name: monitoring}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: metrics, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from: [{namespaceSelector: {matchLabels: {name: monitoring}}}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata: {name: monitoring}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: metrics, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the intended namespace is a guess.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET018",
        name: "namespace-selector-matches-nothing",
        title: "NetworkPolicy namespaceSelector matches no namespace",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    if inventory.of_kind("Namespace").next().is_none() {
        return;
    }
    let analysis = super::policy_analysis::analysis(ctx, inventory);
    for object in inventory.of_kind("NetworkPolicy") {
        if NetworkPolicy::of(object).is_none() {
            continue;
        }
        let peers = [("ingress", "from"), ("egress", "to")]
            .into_iter()
            .flat_map(|(field, peers)| {
                object
                    .root
                    .path(&["spec", field])
                    .into_iter()
                    .flat_map(Node::items)
                    .flat_map(move |r| r.get(peers).into_iter().flat_map(Node::items))
            });
        for node in peers.filter_map(|p| p.get("namespaceSelector")) {
            let Ok(selector) = LabelSelector::from_node(node) else {
                continue;
            };
            if !analysis.engine.namespaces_matching(&selector).is_empty()
                || selects_builtin_namespace(&selector)
            {
                continue;
            }
            let message = format!(
                "NetworkPolicy `{}` has a namespaceSelector that matches none of the {} namespaces of the scan",
                object.name(),
                analysis.engine.namespaces().count()
            );
            ctx.report(object, node, message);
        }
    }
}

/// Namespaces every cluster has, whether or not the scan includes them.
const BUILTIN: [&str; 4] = ["kube-system", "kube-public", "kube-node-lease", "default"];

fn selects_builtin_namespace(selector: &LabelSelector) -> bool {
    BUILTIN
        .iter()
        .any(|ns| selector.matches([(kubeward_netpol::NAMESPACE_NAME_LABEL, *ns)]))
}
