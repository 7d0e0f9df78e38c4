use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::{Object, ServiceAccount};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags `default` ServiceAccount objects that do not set `automountServiceAccountToken: false`.
    /// Every namespace gets a `default` account, and every pod that names no account runs as it.
    ///
    /// ## Why is this bad?
    /// With automounting on, every pod in the namespace that forgot to name an account carries an API
    /// token for `default` — including pods that never talk to the API server. An intruder in any of
    /// them gets a credential to enumerate the cluster and to use whatever anyone ever bound to
    /// `default`. Turning it off at the account makes "no token" the default for the namespace, and
    /// workloads that need one use a dedicated account.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: default, namespace: shop}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: default, namespace: shop}
    /// automountServiceAccountToken: false
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `automountServiceAccountToken: false`. It is unsafe: pods running as `default`
    /// that do call the API (and whose pod spec does not set the field) lose their token at their
    /// next start.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.5
    /// - NSA/CISA Kubernetes Hardening Guide: "Service account tokens"
    pub(crate) static RULE = RuleMeta {
        id: "SA003",
        name: "default-service-account-automounts-token",
        title: "The `default` service account mounts its token into pods",
        severity: Severity::Low,
        frameworks: &["cis:5.1.5", "nsa:authentication", "nsa:service-account-tokens", "owasp:K03"],
        aliases: &[("checkov", "CKV_K8S_41")],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["ServiceAccount"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(account) = ServiceAccount::of(object) else {
        return;
    };
    if object.name() != "default" || account.automount_token() == Some(false) {
        return;
    }
    let node = object
        .root
        .get("automountServiceAccountToken")
        .unwrap_or(&object.root);
    let namespace = object.effective_namespace().unwrap_or("default");
    let message = format!(
        "the `default` service account of namespace `{namespace}` lets pods mount its token"
    );
    let fix = Fix::new(
        "Set `automountServiceAccountToken: false`",
        Applicability::Unsafe,
        vec![Edit::Set {
            path: vec!["automountServiceAccountToken".into()],
            value: false.into(),
        }],
    );
    ctx.report_fix(object, node, message, fix);
}
