use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::miners;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers whose image is a known cryptocurrency miner: XMRig and its proxies,
    /// xmr-stak, cpuminer, ethminer, lolMiner, PhoenixMiner, NBMiner, T-Rex, TeamRedMiner, SRBMiner,
    /// cgminer and similar, recognised in any segment of the repository path (`metal3d/xmrig`,
    /// `ghcr.io/someone/xmrig-proxy`).
    ///
    /// ## Why is this bad?
    /// Miners are the most common payload of Kubernetes intrusions: an attacker with `create pods`
    /// rights, an exposed dashboard or a stolen kubeconfig deploys one and bills the victim's
    /// compute, often as a DaemonSet on every node. A miner image in manifests means either such
    /// an intrusion left traces in the source of truth, or someone runs a miner on company
    /// infrastructure; either way it must be investigated, not tuned.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: kube-metrics, namespace: kube-system}
    /// spec:
    ///   selector: {matchLabels: {app: kube-metrics}}
    ///   template:
    ///     metadata: {labels: {app: kube-metrics}}
    ///     spec:
    ///       containers:
    ///       - {name: metrics, image: "docker.io/metal3d/xmrig:latest"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: kube-metrics, namespace: kube-system}
    /// spec:
    ///   selector: {matchLabels: {app: kube-metrics}}
    ///   template:
    ///     metadata: {labels: {app: kube-metrics}}
    ///     spec:
    ///       containers:
    ///       - {name: metrics, image: "registry.k8s.io/metrics-server/metrics-server:v0.7.2"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: treat it as an incident. Find who created the workload (audit log), remove
    /// it, and rotate the credentials that allowed it.
    ///
    /// ## References
    /// - MITRE ATT&CK for Containers: T1496 Resource Hijacking
    /// - OWASP Kubernetes Top 10 K02: Supply Chain Vulnerabilities
    pub(crate) static RULE = RuleMeta {
        id: "IMG005",
        name: "cryptominer-image",
        title: "Container runs a known cryptocurrency miner image",
        severity: Severity::Critical,
        frameworks: &["nsa:supply-chain", "owasp:K02"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        let Some((node, image)) = container.image_ref() else {
            continue;
        };
        let Some(miner) = miners::miner_image(&image.repository) else {
            continue;
        };
        let message = format!(
            "{} runs image `{}`, a known cryptocurrency miner (`{miner}`)",
            container.describe(),
            image.full_name()
        );
        ctx.report(workload.object, node, message);
    }
}
