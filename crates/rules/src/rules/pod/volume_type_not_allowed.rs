use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags volumes of any type other than `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`,
    /// `image`, `persistentVolumeClaim`, `projected` and `secret` (PSA check `restrictedVolumes`,
    /// restricted). `hostPath` volumes are also reported by POD005.
    ///
    /// Where POD005 already reports the same field (it has its own wording, and fixes where it can), this
    /// rule does not repeat the finding; both cite the same framework controls.
    ///
    /// ## Why is this bad?
    /// Inline volume types (`nfs`, `iscsi`, `rbd`, `cephfs`, `hostPath`, …) let the pod author choose
    /// which server or node path to mount, bypassing the PersistentVolume objects an administrator
    /// controls. An attacker who can create pods mounts shares and disks they were never granted, or the
    /// node's own files.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     volumeMounts: [{name: data, mountPath: /data}]
    ///   volumes:
    ///   - name: data
    ///     nfs: {server: nfs.example.com, path: /exports/finance}
    /// ```
    ///
    /// ## Use instead
    /// Claim storage through a PersistentVolumeClaim:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     volumeMounts: [{name: data, mountPath: /data}]
    ///   volumes:
    ///   - name: data
    ///     persistentVolumeClaim: {claimName: app-data}
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV028 forbids a fixed list of volume types instead of allowing a fixed set, so types
    /// it does not list pass there.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Volume Types"
    pub(crate) static RULE = RuleMeta {
        id: "POD026",
        name: "volume-type-not-allowed",
        title: "Volume type outside the restricted set",
        severity: Severity::Medium,
        frameworks: &["nsa:pod-security", "pss:restricted", "pss:restrictedVolumes", "owasp:K01"],
        aliases: &[("trivy", "KSV028")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["restrictedVolumes"]);
}
