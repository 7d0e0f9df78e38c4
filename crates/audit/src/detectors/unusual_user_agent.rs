use crate::alert::{Severity, Technique};
use crate::config::any_match;
use crate::event::Event;
use crate::identity::service_account;

use super::{Context, Finding, fact, identity_listed, what};

declare_detector! {
    /// ## What it does
    /// Reports authenticated requests whose user agent is an HTTP library or an attack tool rather
    /// than a Kubernetes client (`curl/`, `python-requests/`, `kube-hunter`, ...; the list is
    /// `suspicious-user-agents`), and `kubectl` used by a service account, or by an identity missing
    /// from `kubectl-users` when that list is set. User agents in `allow.user-agents` are skipped.
    ///
    /// ## Why is this bad?
    /// Controllers and operators use client libraries with their own user agents, and people use
    /// kubectl. A service-account token driven by curl or by kubectl usually means someone took the
    /// token out of its pod and is exploring by hand; offensive tools announce themselves the same
    /// way. The user agent is client-controlled, so its absence proves nothing; its presence is a
    /// cheap, strong hint.
    ///
    /// ## MITRE ATT&CK
    /// T1078 Valid Accounts.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"ua1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/web/pods","verb":"list","user":{"username":"system:serviceaccount:web:frontend","groups":["system:serviceaccounts","system:authenticated"]},"sourceIPs":["10.244.1.17"],"userAgent":"curl/8.5.0","objectRef":{"resource":"pods","namespace":"web","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Auditing": `userAgent`
    /// - NSA/CISA Kubernetes Hardening Guide: threat detection
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD023",
        name: "unusual-user-agent",
        title: "Request from an unusual client",
        severity: Severity::Low,
        mitre: Technique { id: "T1078", name: "Valid Accounts" },
        frameworks: &["nsa:threat-detection"],
    };
}

pub(crate) fn check(ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    let agent = event.user_agent();
    if agent.is_empty()
        || event.username().is_empty()
        || any_match(&ctx.config.allow.user_agents, agent)
    {
        return None;
    }
    let lower = agent.to_ascii_lowercase();
    let why = if let Some(fragment) = ctx
        .suspicious_user_agents
        .iter()
        .find(|f| lower.contains(f.as_str()))
    {
        format!("a client matching `{fragment}`")
    } else if lower.starts_with("kubectl/") {
        let kubectl_users = &ctx.config.kubectl_users;
        if service_account(event.username()).is_some() && !identity_listed(kubectl_users, event) {
            "kubectl with a service-account identity".to_owned()
        } else if !kubectl_users.is_empty() && !identity_listed(kubectl_users, event) {
            "kubectl, not being listed in `kubectl-users`".to_owned()
        } else {
            return None;
        }
    } else {
        return None;
    };
    let mut finding = Finding::new(fact(
        event,
        &format!("used {why} to `{}` {}", event.verb, what(event)),
    ));
    finding.dedup_target = Some(agent.split(' ').next().unwrap_or(agent).to_owned());
    Some(finding)
}
