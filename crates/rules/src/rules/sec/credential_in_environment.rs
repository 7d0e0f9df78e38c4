use kubeward_diagnostics::Severity;
use kubeward_model::Workload;
use kubeward_source::Node;

use super::patterns;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags literal `env` values (`value:`, not `valueFrom`) that look like credentials, with the
    /// same recognisers as SEC001: known token formats (private keys, cloud and SaaS keys, JSON Web
    /// Tokens, URLs with a password), and values of variables whose name ends in a credential word
    /// (`DB_PASSWORD`, `API_KEY`, `authToken` — not `TOKEN_TTL` or `PASSWORD_MIN_LENGTH`). References
    /// such as `$(OTHER_VAR)` and `${VAR}` are not credentials. The value is never shown in any output.
    ///
    /// ## Why is this bad?
    /// A literal in the pod spec is stored in plain text in the workload object, which far more
    /// people and controllers may read than Secrets (`get deployments` is in the built-in `view`
    /// role); it is in Git, in Helm release history, in `kubectl describe` output and in audit logs.
    /// Anyone with read access to workloads holds the credential, and rotating it means a new
    /// commit and a redeploy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:2.1.0
    ///         env:
    ///         - {name: DATABASE_URL, value: "postgres://api:Pa55word@db:5432/shop"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:2.1.0
    ///         env:
    ///         - {name: DATABASE_HOST, value: "db:5432"}
    ///         volumeMounts: [{name: db, mountPath: /var/run/secrets/db, readOnly: true}]
    ///       volumes:
    ///       - {name: db, secret: {secretName: api-db}}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the credential has been exposed and must be rotated, then moved to a Secret.
    ///
    /// ## Differences from other tools
    /// Polaris `sensitiveContainerEnvVar` judges variable names, so it also fails `secretKeyRef`
    /// entries (SEC002 here), and KubeLinter `env-var-secret` only looks at names containing
    /// `secret`.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.4.1
    /// - OWASP Kubernetes Top 10 K08: Secrets Management Failures
    pub(crate) static RULE = RuleMeta {
        id: "SEC003",
        name: "credential-in-environment",
        title: "Container environment holds a literal credential",
        severity: Severity::High,
        frameworks: &["cis:5.4.1", "nsa:secrets", "owasp:K08"],
        aliases: &[
            ("kubescape", "C-0012"),
            ("polaris", "sensitiveContainerEnvVar"),
            ("kube-linter", "env-var-secret"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        for env in container.node.get("env").into_iter().flat_map(Node::items) {
            let name = env
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let Some(value_node) = env.get("value") else {
                continue;
            };
            let Some(value) = value_node.scalar_text() else {
                continue;
            };
            let Some(what) = patterns::classify(&name, &value) else {
                continue;
            };
            let message = format!(
                "{} environment variable `{name}` holds {what} (value redacted)",
                container.describe()
            );
            ctx.report(workload.object, value_node, message).sensitive = true;
        }
    }
}
