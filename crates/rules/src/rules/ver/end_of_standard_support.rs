use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::ver::components::{data, today, versioned};
use crate::rules::ver::support::{Window, lifecycle};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes components past the end of *standard* support of their minor release, but not
    /// yet at end of life (VER001 reports those): each Node's kubelet and the control plane's mirror
    /// pods, against the embedded release calendar (`kubeward node`'s VER002). In this window only
    /// critical security fixes are still released.
    ///
    /// ## Why is this bad?
    /// The clock is running: a release in maintenance mode gets fewer fixes each month and reaches end
    /// of life within weeks. Upgrading under pressure, after a CVE lands, is how clusters end up
    /// skipping testing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {kubeletVersion: v1.35.2}
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
    /// No automatic fix: plan the upgrade to the next minor release now.
    ///
    /// ## References
    /// - Kubernetes documentation: "Releases" (support period of each minor release)
    /// - OWASP Kubernetes Top 10 K10: Outdated and Vulnerable Kubernetes Components
    pub(crate) static RULE = RuleMeta {
        id: "VER002",
        name: "kubernetes-version-end-of-standard-support",
        title: "Kubernetes component is past end of standard support",
        severity: Severity::Medium,
        frameworks: &["nsa:upgrades", "owasp:K10"],
        aliases: &[],
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
        lifecycle(ctx, &v, releases, today, Window::EndOfStandardSupport);
    }
}
