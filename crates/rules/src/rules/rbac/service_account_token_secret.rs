use kubeward_diagnostics::Severity;
use kubeward_model::Object;
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Secrets of type `kubernetes.io/service-account-token`: long-lived tokens that the token
    /// controller fills in for the service account named in the `kubernetes.io/service-account.name`
    /// annotation.
    ///
    /// ## Why is this bad?
    /// Such a token never expires and is not bound to a pod: whoever reads the Secret once (anyone
    /// with `get` on Secrets in the namespace, a backup, a leaked `kubectl get -o yaml`) can act as
    /// the service account until the Secret is deleted. Creating one is also an escalation step: a
    /// subject that may create Secrets gets a token for any service account of the namespace. Since
    /// Kubernetes 1.24 pods receive short-lived, audience-bound tokens through projected volumes and
    /// need no such Secret.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: ci-token
    ///   namespace: ci
    ///   annotations: {kubernetes.io/service-account.name: deployer}
    /// type: kubernetes.io/service-account-token
    /// ```
    ///
    /// ## Use instead
    /// Request short-lived tokens (`kubectl create token deployer --duration 1h`, the TokenRequest
    /// API), or let pods mount a projected token:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: deploy, namespace: ci}
    /// spec:
    ///   serviceAccountName: deployer
    ///   automountServiceAccountToken: false
    ///   containers:
    ///   - name: deploy
    ///     image: registry.example.com/deploy:2.1.0
    ///     volumeMounts: [{name: token, mountPath: /var/run/secrets/tokens}]
    ///   volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///       - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: deploy}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: deleting the Secret revokes the token, and whatever uses it (a CI system
    /// outside the cluster, typically) stops working until it requests tokens instead.
    ///
    /// ## References
    /// - Kubernetes documentation: "Manually create a long-lived API token for a ServiceAccount" and
    ///   "Service account token Secrets" (legacy tokens)
    /// - NSA/CISA Kubernetes Hardening Guide: "Authentication and authorization"
    /// - OWASP Kubernetes Top 10 K08: Secrets Management Failures
    pub(crate) static RULE = RuleMeta {
        id: "RBAC023",
        name: "service-account-token-secret",
        title: "Long-lived service-account token Secret",
        severity: Severity::Medium,
        frameworks: &["nsa:authentication", "owasp:K08"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Secret"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    if object.api_version() != "v1" {
        return;
    }
    let Some(type_node) = object.root.get("type") else {
        return;
    };
    if type_node.as_str() != Some(kubeward_rbac::SecretInfo::SERVICE_ACCOUNT_TOKEN) {
        return;
    }
    let account = object
        .annotation("kubernetes.io/service-account.name")
        .and_then(Node::scalar_text);
    let message = match account {
        Some(account) => format!(
            "Secret `{}` holds a long-lived token of service account `{account}`",
            object.name()
        ),
        None => format!(
            "Secret `{}` is a long-lived service-account token Secret",
            object.name()
        ),
    };
    ctx.report(object, type_node, message);
}
