use kubeward_diagnostics::Severity;
use kubeward_host::versions::kubelet_skew_problem;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::cluster::{control_plane_version, nodes};

declare_rule! {
    /// ## What it does
    /// Flags Nodes whose kubelet is newer than the API server, or more minor releases older than the
    /// Kubernetes version-skew policy allows (three since v1.28, two before). The API server's version
    /// is read from the control plane's mirror pods (the oldest `kube-apiserver` image tag, as during an
    /// upgrade); clusters that do not show them (managed control planes) are not judged by this rule.
    /// Same check as `kubeward node`'s VER003.
    ///
    /// ## Why is this bad?
    /// Outside the supported skew nobody tests the combination: API fields the kubelet does not know
    /// are silently dropped, and security features that need both sides (bound service account
    /// tokens, `NodeRestriction`, Pod Security fields) can quietly not apply on those nodes. A node
    /// left behind is usually also a node past end of life.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver-cp-1
    ///   namespace: kube-system
    ///   labels: {component: kube-apiserver}
    /// spec:
    ///   containers:
    ///     - {name: kube-apiserver, image: "registry.k8s.io/kube-apiserver:v1.36.4", command: [kube-apiserver]}
    /// ---
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.32.9}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver-cp-1
    ///   namespace: kube-system
    ///   labels: {component: kube-apiserver}
    /// spec:
    ///   containers:
    ///     - {name: kube-apiserver, image: "registry.k8s.io/kube-apiserver:v1.36.4", command: [kube-apiserver]}
    /// ---
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.35.8}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: upgrade the kubelets (or, if they are newer, finish the control-plane upgrade
    /// first).
    ///
    /// ## References
    /// - Kubernetes documentation: "Version Skew Policy"
    /// - OWASP Kubernetes Top 10 K10: Outdated and Vulnerable Kubernetes Components
    pub(crate) static RULE = RuleMeta {
        id: "VER003",
        name: "kubelet-version-skew",
        title: "Kubelet and API server are further apart than Kubernetes supports",
        severity: Severity::Medium,
        frameworks: &["nsa:upgrades", "owasp:K10"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let Some(api) = control_plane_version(inventory) else {
        return;
    };
    for node in nodes(inventory) {
        let Some((field, kubelet)) = node.kubelet_version() else {
            continue;
        };
        if let Some(problem) = kubelet_skew_problem(&api, &kubelet) {
            let message = format!("node `{}`: {problem}", node.object.name());
            ctx.report(node.object, field, message);
        }
    }
}
