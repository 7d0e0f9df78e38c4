use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;
use kubeward_netpol::Direction;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags namespaces that run pods but have no default-deny egress NetworkPolicy: a policy with
    /// `podSelector: {}` of type `Egress` and no rule that allows every destination on every port.
    /// Namespaces whose pods are all selected by a Cilium or Calico policy are not flagged.
    ///
    /// ## Why is this bad?
    /// Without egress isolation a compromised pod can reach the cloud metadata endpoint for node
    /// credentials, every internal service of the cluster, and any host on the internet to download
    /// tools or send out stolen data. Egress control is what turns a foothold into a dead end.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   containers: [{name: api, image: "registry.example.com/api:2.1"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny-ingress, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api, namespace: payments}
    /// spec:
    ///   containers: [{name: api, image: "registry.example.com/api:2.1"}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: payments}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    ///   egress:
    ///   - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
    ///     ports: [{port: 53, protocol: UDP}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: denying egress breaks DNS and every dependency until allow rules exist.
    /// `kubeward netpol generate` writes both, DNS included.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.3.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET011",
        name: "namespace-without-default-deny-egress",
        title: "Namespace has no default-deny egress NetworkPolicy",
        severity: Severity::Low,
        frameworks: &["cis:5.3.2", "nsa:network-separation", "owasp:K07"],
        aliases: &[("kubescape", "C-0260")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    super::policy_analysis::check_default_deny(ctx, inventory, Direction::Egress);
}
