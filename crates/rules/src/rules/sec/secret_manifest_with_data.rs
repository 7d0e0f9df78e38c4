use kubeward_diagnostics::Severity;
use kubeward_model::{DataObject, Object};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Secret manifests that carry values in `data` or `stringData`. Empty values are not
    /// counted. Values are never shown: messages name the number of keys, and snippets are redacted.
    /// The rule is meant for manifests in repositories and CI; in a live-cluster scan every Secret
    /// has data by definition, so select it off there (`--ignore SEC004`).
    ///
    /// ## Why is this bad?
    /// `data` is base64, which is an encoding, not encryption. A Secret committed to Git is readable
    /// by everyone with the repository, its forks, its CI logs and its backups, forever — deleting
    /// the file does not remove it from history. Leaked repositories and public forks are one of the
    /// most common ways cloud and database credentials reach attackers.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata: {name: db}
    /// type: Opaque
    /// data:
    ///   password: aHVudGVyMg==
    /// ```
    ///
    /// ## Use instead
    /// Commit an encrypted or referenced form and let a controller create the Secret in the cluster
    /// (External Secrets Operator, Sealed Secrets, SOPS, the Secrets Store CSI driver):
    /// ```yaml
    /// apiVersion: external-secrets.io/v1
    /// kind: ExternalSecret
    /// metadata: {name: db}
    /// spec:
    ///   secretStoreRef: {name: vault, kind: ClusterSecretStore}
    ///   target: {name: db}
    ///   data:
    ///   - secretKey: password
    ///     remoteRef: {key: shop/db, property: password}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the committed values must be rotated, and the history cleaned.
    ///
    /// ## References
    /// - Kubernetes documentation: "Good practices for Kubernetes Secrets"
    /// - NSA/CISA Kubernetes Hardening Guide: "Secrets"
    /// - OWASP Kubernetes Top 10 K08: Secrets Management Failures
    pub(crate) static RULE = RuleMeta {
        id: "SEC004",
        name: "secret-manifest-with-data",
        title: "Secret manifest carries its values",
        severity: Severity::Medium,
        frameworks: &["nsa:secrets", "owasp:K08"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Secret"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    if DataObject::of(object).is_none() {
        return;
    }
    for field in ["data", "stringData"] {
        let Some(node) = object.root.get(field) else {
            continue;
        };
        let count = node
            .entries()
            .filter(|e| e.value.scalar_text().is_some_and(|v| !v.is_empty()))
            .count();
        if count == 0 {
            continue;
        }
        let message = format!(
            "Secret `{}` carries {count} value{} in `{field}` (values redacted; base64 is not encryption)",
            object.name(),
            if count == 1 { "" } else { "s" }
        );
        ctx.report(object, node, message).sensitive = true;
    }
}
