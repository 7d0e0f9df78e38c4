use serde::Deserialize;

use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports Roles and ClusterRoles created or changed with rules that grant wildcard verbs or
    /// resources (`*`), or the verbs `escalate`, `bind` or `impersonate`. It reads `requestObject`.
    ///
    /// ## Why is this bad?
    /// These rules defeat RBAC's own guard rails: `escalate` lets the holder write roles with
    /// permissions they do not have, `bind` lets them bind any role (including `cluster-admin`),
    /// `impersonate` lets them act as any user or group, and `*` grants whatever the API will ever
    /// serve, including custom resources added later. An attacker who can edit roles creates one of
    /// these to climb to cluster-admin or to keep a quiet back door.
    ///
    /// ## MITRE ATT&CK
    /// T1098.006 Account Manipulation: Additional Container Cluster Roles.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"r1","stage":"ResponseComplete","requestURI":"/apis/rbac.authorization.k8s.io/v1/clusterroles","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"clusterroles","name":"helper","apiGroup":"rbac.authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"helper"},"rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["escalate","bind"]}]},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Using RBAC Authorization": privilege escalation prevention and bootstrapping
    /// - Kubernetes docs, "Role Based Access Control Good Practices"
    /// - OWASP Kubernetes Top 10: K03 Overly Permissive RBAC Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD009",
        name: "risky-role-changed",
        title: "Role with wildcard, escalate, bind or impersonate rules written",
        severity: Severity::High,
        mitre: Technique { id: "T1098.006", name: "Account Manipulation: Additional Container Cluster Roles" },
        frameworks: &["owasp:K03", "nsa:authentication-authorization", "cis:5.1.3"],
    };
}

#[derive(Deserialize)]
struct Role {
    #[serde(default)]
    rules: Option<Vec<Rule>>,
}

#[derive(Deserialize)]
struct Rule {
    #[serde(default)]
    verbs: Option<Vec<String>>,
    #[serde(default)]
    resources: Option<Vec<String>>,
}

const RISKY_VERBS: [&str; 4] = ["*", "escalate", "bind", "impersonate"];

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if !matches!(event.resource(), "roles" | "clusterroles")
        || !event.subresource().is_empty()
        || !event.is_write()
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let role: Role = event.request_object()?;
    let mut grants: Vec<String> = Vec::new();
    for rule in role.rules.unwrap_or_default() {
        let verbs = rule.verbs.unwrap_or_default();
        let resources = rule.resources.unwrap_or_default();
        let risky: Vec<&str> = verbs
            .iter()
            .map(String::as_str)
            .filter(|v| RISKY_VERBS.contains(v))
            .collect();
        let wildcard_resources = resources.iter().any(|r| r == "*");
        if risky.is_empty() && !wildcard_resources {
            continue;
        }
        let grant = format!(
            "verbs [{}] on resources [{}]",
            verbs.join(", "),
            resources.join(", ")
        );
        if !grants.contains(&grant) {
            grants.push(grant);
        }
    }
    if grants.is_empty() {
        return None;
    }
    let did = format!(
        "{} {} with rules granting {}",
        past(&event.verb),
        target(event),
        grants.join("; ")
    );
    Some(Finding::new(fact(event, &did)))
}
