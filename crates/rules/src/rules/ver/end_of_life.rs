use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::ver::components::{data, today, versioned};
use crate::rules::ver::support::{Window, lifecycle};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes components past the end of life of their minor release: each Node's kubelet
    /// (`status.nodeInfo.kubeletVersion`) and the control plane's mirror pods (the image tag of
    /// `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`), judged against the embedded
    /// Kubernetes release calendar (the same data and check as `kubeward node`'s VER001). Builds of
    /// managed offerings (`-eks-`, `-gke.`) are reported one severity lower, with a reminder that their
    /// provider's calendar applies.
    ///
    /// ## Why is this bad?
    /// After end of life a release gets no patches at all: every Kubernetes CVE published since then
    /// stays open on these nodes, and attackers read the same advisories. Old kubelets also miss
    /// hardening that newer releases turned on by default.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.29.3}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.36.4}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: upgrade the control plane one minor release at a time, then the nodes (drain,
    /// upgrade the kubelet or replace the node, uncordon).
    ///
    /// ## Differences from other tools
    /// Kubescape C-0273 judges kubelets outdated (outside the three newest minors it knows), not
    /// end of life, and ignores the control plane.
    ///
    /// ## References
    /// - Kubernetes documentation: "Releases" (support period of each minor release)
    /// - NSA/CISA Kubernetes Hardening Guide: "Upgrading and application security practices"
    /// - OWASP Kubernetes Top 10 K10: Outdated and Vulnerable Kubernetes Components
    pub(crate) static RULE = RuleMeta {
        id: "VER001",
        name: "kubernetes-version-end-of-life",
        title: "Kubernetes component is past end of life",
        severity: Severity::High,
        frameworks: &["nsa:upgrades", "owasp:K10"],
        aliases: &[("kubescape", "C-0273")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let data = data(ctx);
    let Some(releases) = &data.releases else {
        return;
    };
    let today = today(ctx);
    for v in versioned(inventory) {
        lifecycle(ctx, &v, releases, today, Window::EndOfLife);
    }
}
