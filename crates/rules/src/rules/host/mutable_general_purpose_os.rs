use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::cluster::nodes;

declare_rule! {
    /// ## What it does
    /// Reports Nodes whose operating system (`status.nodeInfo.osImage`) is a general-purpose,
    /// package-managed distribution rather than an immutable container OS (Flatcar, Bottlerocket,
    /// Talos, Container-Optimized OS, Fedora CoreOS, RHEL CoreOS). Informational: the same judgement
    /// as `kubeward node`'s HOST005, made from the API.
    ///
    /// ## Why is this bad?
    /// It is not wrong, but it is more to defend. A general-purpose OS has a writable system
    /// partition, a package manager and a shell toolbox that an attacker who escapes a container can
    /// use to persist and to pivot; updates happen package by package, so nodes drift apart. Immutable
    /// container operating systems mount the system read-only, update atomically with rollback, and
    /// ship little beyond what the kubelet needs.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {osImage: Ubuntu 22.04.4 LTS}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   nodeInfo: {osImage: "Bottlerocket OS 1.24.0 (aws-k8s-1.33)"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: moving node pools to another OS is a platform decision; new node pools can
    /// start with an immutable image and replace the old ones.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Kubernetes Pod security" (immutable infrastructure)
    /// - CIS Kubernetes Benchmark: outside its scope (host OS benchmarks apply)
    pub(crate) static RULE = RuleMeta {
        id: "HOST005",
        name: "mutable-general-purpose-os",
        title: "Node runs a general-purpose, mutable operating system",
        severity: Severity::Info,
        frameworks: &["nsa:immutable-filesystems"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    for node in nodes(inventory) {
        let Some((field, image)) = node.info("osImage") else {
            continue;
        };
        if image.is_empty() || kubeward_host::is_immutable_os_image(image) {
            continue;
        }
        let message = format!(
            "node `{}` runs `{image}`, a general-purpose OS with a writable system and a package manager",
            node.object.name()
        );
        ctx.report(node.object, field, message);
    }
}
