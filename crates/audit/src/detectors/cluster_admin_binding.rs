use serde::Deserialize;

use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports ClusterRoleBindings and RoleBindings created or changed to grant the `cluster-admin`
    /// ClusterRole, naming the subjects. It reads `requestObject` (audit level `Request` or higher for
    /// RBAC objects).
    ///
    /// ## Why is this bad?
    /// `cluster-admin` is every verb on every resource: all secrets, all nodes through privileged pods,
    /// the audit policy's own webhooks. Binding it to a new user, group or service account is the
    /// most direct way to keep full control of a cluster after a first compromise, and one of the
    /// first things an attacker with `bind` or `escalate` does.
    ///
    /// ## MITRE ATT&CK
    /// T1098.006 Account Manipulation: Additional Container Cluster Roles.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"b1","stage":"ResponseComplete","requestURI":"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"clusterrolebindings","name":"backup-admin","apiGroup":"rbac.authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"backup-admin"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"default"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Using RBAC Authorization": user-facing roles
    /// - OWASP Kubernetes Top 10: K03 Overly Permissive RBAC Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD008",
        name: "cluster-admin-binding",
        title: "Binding to cluster-admin created",
        severity: Severity::Critical,
        mitre: Technique { id: "T1098.006", name: "Account Manipulation: Additional Container Cluster Roles" },
        frameworks: &["owasp:K03", "nsa:authentication-authorization", "cis:5.1.1"],
    };
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Binding {
    #[serde(default)]
    role_ref: Option<RoleRef>,
    #[serde(default)]
    subjects: Option<Vec<Subject>>,
}

#[derive(Deserialize)]
struct RoleRef {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Subject {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if !matches!(event.resource(), "clusterrolebindings" | "rolebindings")
        || !event.subresource().is_empty()
        || !event.is_write()
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let binding: Binding = event.request_object()?;
    let role = binding.role_ref?;
    if role.kind != "ClusterRole" || role.name != "cluster-admin" {
        return None;
    }
    let subjects: Vec<String> = binding
        .subjects
        .unwrap_or_default()
        .iter()
        .map(|s| match &s.namespace {
            Some(ns) if !ns.is_empty() => format!("{} `{ns}/{}`", s.kind, s.name),
            _ => format!("{} `{}`", s.kind, s.name),
        })
        .collect();
    let subjects = if subjects.is_empty() {
        "no subjects yet".to_owned()
    } else {
        subjects.join(", ")
    };
    let did = format!(
        "{} {} granting `cluster-admin` to {subjects}",
        past(&event.verb),
        target(event)
    );
    Some(Finding::new(fact(event, &did)))
}
