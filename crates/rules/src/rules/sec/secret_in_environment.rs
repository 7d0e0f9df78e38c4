use kubeward_diagnostics::Severity;
use kubeward_model::Workload;
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers that receive Secrets as environment variables: an `env` entry with
    /// `valueFrom.secretKeyRef`, or an `envFrom` entry with `secretRef` (which imports every key of
    /// the Secret). Init, regular and ephemeral containers are all checked.
    ///
    /// ## Why is this bad?
    /// Environment variables leak far more easily than files. Every child process inherits them;
    /// they sit in `/proc/<pid>/environ`, readable by anything sharing the PID namespace or by a
    /// debugger; frameworks dump them on error pages, in crash reports and on debug endpoints
    /// (`/actuator/env`, `phpinfo()`); logging agents and APM tools capture them. An attacker with a
    /// file-read or SSRF bug usually gets the environment first. Mounted Secret files stay on a
    /// `tmpfs`, can be made readable by one user only, and are updated in place when the Secret
    /// rotates — environment variables keep the old value until a restart.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.1.0
    ///     env:
    ///     - name: DB_PASSWORD
    ///       valueFrom: {secretKeyRef: {name: db, key: password}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.1.0
    ///     env:
    ///     - {name: DB_PASSWORD_FILE, value: /var/run/secrets/db/password}
    ///     volumeMounts: [{name: db, mountPath: /var/run/secrets/db, readOnly: true}]
    ///   volumes:
    ///   - name: db
    ///     secret: {secretName: db, defaultMode: 0400}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the application must learn to read the value from a file.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.4.1
    /// - Kubernetes documentation: "Good practices for Kubernetes Secrets"
    /// - OWASP Kubernetes Top 10 K08: Secrets Management Failures
    pub(crate) static RULE = RuleMeta {
        id: "SEC002",
        name: "secret-in-environment",
        title: "Secret passed to a container as an environment variable",
        severity: Severity::Low,
        frameworks: &["cis:5.4.1", "nsa:secrets", "owasp:K08"],
        aliases: &[("checkov", "CKV_K8S_35"), ("kube-linter", "read-secret-from-env-var")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        for env in container.node.get("env").into_iter().flat_map(Node::items) {
            let Some(reference) = env.path(&["valueFrom", "secretKeyRef"]) else {
                continue;
            };
            let variable = env
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let secret = name_of(reference);
            let message = format!(
                "{} gets Secret `{secret}` as environment variable `{variable}`",
                container.describe()
            );
            ctx.report(workload.object, reference, message);
        }
        for source in container
            .node
            .get("envFrom")
            .into_iter()
            .flat_map(Node::items)
        {
            let Some(reference) = source.get("secretRef") else {
                continue;
            };
            let message = format!(
                "{} imports every key of Secret `{}` as environment variables",
                container.describe(),
                name_of(reference)
            );
            ctx.report(workload.object, reference, message);
        }
    }
}

fn name_of(reference: &Node) -> String {
    reference
        .get("name")
        .and_then(Node::scalar_text)
        .unwrap_or_default()
}
