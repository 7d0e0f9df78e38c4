use kubeward_diagnostics::Severity;
use kubeward_model::Object;
use kubeward_source::Node;

use super::patterns;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags ConfigMap values that look like credentials: well-known token formats (private keys, AWS
    /// access keys, GitHub, GitLab, Slack, Google and Stripe keys, JSON Web Tokens, URLs with a password),
    /// values under keys whose name ends in a credential word (`db_password`, `apiKey`, `AUTH_TOKEN` —
    /// but not `password_min_length` or `max_connections`), and such lines inside embedded files
    /// (`application.properties`). The value is never shown: messages, snippets and every output format
    /// redact it.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are not treated as secrets: they are readable by anyone with broad `get configmaps`
    /// rights, shown by dashboards, written to audit logs at `RequestResponse` level, and committed to
    /// Git. A credential there is a credential handed to everyone who can read the namespace — and to
    /// whoever gets the repository.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: app}
    /// data:
    ///   DB_HOST: db.internal
    ///   DB_PASSWORD: Sup3r-S3cret!
    /// ```
    ///
    /// ## Use instead
    /// Keep the credential in a Secret (ideally synced from a vault) and reference it:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: app}
    /// data:
    ///   DB_HOST: db.internal
    ///   DB_SECRET_NAME: app-db
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the credential must be rotated, not just moved, once it has been in a ConfigMap.
    ///
    /// ## Differences from other tools
    /// KubeLinter `configmap-with-credentials` judges key names only.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: secrets
    /// - OWASP Kubernetes Top 10 K08: Secrets Management Failures
    pub(crate) static RULE = RuleMeta {
        id: "SEC001",
        name: "credential-in-config-map",
        title: "ConfigMap holds a credential-like value",
        severity: Severity::High,
        frameworks: &["nsa:secrets", "owasp:K08"],
        aliases: &[
            ("kubescape", "C-0012"),
            ("trivy", "KSV0109"),
            ("polaris", "sensitiveConfigmapContent"),
            ("kube-linter", "configmap-with-credentials"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["ConfigMap"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    for field in ["data", "binaryData"] {
        for entry in object.root.get(field).into_iter().flat_map(Node::entries) {
            let Some(value) = entry.value.scalar_text() else {
                continue;
            };
            let Some(what) = patterns::classify(&entry.key, &value) else {
                continue;
            };
            let message = format!(
                "ConfigMap key `{}` holds {what} (value redacted)",
                entry.key
            );
            ctx.report(object, &entry.value, message).sensitive = true;
        }
    }
}
