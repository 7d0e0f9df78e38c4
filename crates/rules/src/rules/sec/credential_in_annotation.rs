use kubeward_diagnostics::Severity;
use kubeward_model::Object;

use super::patterns;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags annotations, on any object, whose value looks like a credential by its format — the
    /// known token formats of SEC001 (private keys, cloud and SaaS keys, JSON Web Tokens, URLs with
    /// a password) and credential lines in embedded files. Unlike SEC001, the annotation's name is
    /// not used: annotations such as ingress-nginx's `auth-secret` or cert-manager's `…-secret`
    /// conventionally hold the *name* of a Secret, not its value.
    /// `kubectl.kubernetes.io/last-applied-configuration` is checked too, except on Secrets, where it
    /// only repeats the Secret's own data (SEC004's finding). The value is never shown.
    ///
    /// ## Why is this bad?
    /// Annotations are metadata: every controller, dashboard and user that may `list` the object
    /// reads them, `get` on Deployments or Services is granted far more widely than on Secrets, and
    /// they are copied into events, audit logs and monitoring labels. A token in an annotation — a
    /// webhook secret for a CI integration, a basic-auth URL for a probe, a private key pasted into
    /// a description — is readable by anyone with read access to that kind.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   annotations:
    ///     monitoring.example.com/probe-url: "https://probe:S3cretPass@api.example.com/health"
    /// spec:
    ///   selector: {app: api}
    ///   ports: [{port: 443}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   annotations:
    ///     monitoring.example.com/probe-url: "https://api.example.com/health"
    ///     monitoring.example.com/probe-credentials-secret: probe-auth
    /// spec:
    ///   selector: {app: api}
    ///   ports: [{port: 443}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the credential must be rotated, then referenced from a Secret.
    ///
    /// ## References
    /// - OWASP Kubernetes Top 10 K08: Secrets Management Failures
    /// - NSA/CISA Kubernetes Hardening Guide: "Secrets"
    pub(crate) static RULE = RuleMeta {
        id: "SEC005",
        name: "credential-in-annotation",
        title: "Annotation holds a credential-like value",
        severity: Severity::High,
        frameworks: &["nsa:secrets", "owasp:K08"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Every kind has annotations, so this runs over the whole inventory rather than a kind list.
pub(crate) fn check(ctx: &mut Context<'_>, inventory: &kubeward_model::Inventory) {
    for object in inventory.objects() {
        check_object(ctx, object);
    }
}

fn check_object(ctx: &mut Context<'_>, object: &Object) {
    let Some(annotations) = object.annotations() else {
        return;
    };
    for entry in annotations.entries() {
        if object.kind() == "Secret" && &*entry.key == LAST_APPLIED {
            continue;
        }
        let Some(value) = entry.value.scalar_text() else {
            continue;
        };
        // No key name: judged by the value's format only (see the docs).
        let Some(what) = patterns::classify("", &value) else {
            continue;
        };
        let message = format!(
            "annotation `{}` of {} `{}` holds {what} (value redacted)",
            entry.key,
            object.kind(),
            object.name()
        );
        ctx.report(object, &entry.value, message).sensitive = true;
    }
}
