use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{BurstSpec, Context, Finding};

declare_detector! {
    /// ## What it does
    /// Counts requests refused by authorization (HTTP 403) per authenticated user and reports when a
    /// user reaches `authz-denials.threshold` denials within `authz-denials.window` (default: 20 in 5
    /// minutes).
    ///
    /// ## Why is this bad?
    /// An attacker holding a stolen token does not know what it may do, so they try: list secrets,
    /// create pods, read nodes, in every namespace. Tools such as `kubectl auth can-i --list` or
    /// permission scanners leave exactly this trail of denials. Legitimate workloads are configured
    /// once and rarely hit many 403s in a short time.
    ///
    /// ## MITRE ATT&CK
    /// T1613 Container and Resource Discovery.
    ///
    /// ## Example
    /// Twenty or more of these for `system:serviceaccount:web:frontend` within five minutes:
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"1b2c","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/kube-system/secrets","verb":"list","user":{"username":"system:serviceaccount:web:frontend","groups":["system:serviceaccounts","system:serviceaccounts:web","system:authenticated"]},"sourceIPs":["10.244.1.17"],"userAgent":"curl/8.5.0","objectRef":{"resource":"secrets","namespace":"kube-system","apiVersion":"v1"},"responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden","code":403},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.000400Z","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Authorization": request attributes and decisions
    /// - OWASP Kubernetes Top 10: K03 Overly Permissive RBAC Configurations
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD003",
        name: "authorization-denial-burst",
        title: "Burst of authorization denials for one user",
        severity: Severity::Medium,
        mitre: Technique { id: "T1613", name: "Container and Resource Discovery" },
        frameworks: &["owasp:K03", "nsa:threat-detection"],
    };
}

pub(crate) fn check(ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.response_code() != Some(403) || event.username().is_empty() {
        return None;
    }
    let burst = ctx.config.authz_denials;
    Some(Finding {
        message: String::new(),
        burst: Some(BurstSpec {
            key: event.username().to_owned(),
            threshold: burst.threshold,
            window: burst.window,
            what: "authorization denials (403) for user",
        }),
        dedup_target: None,
    })
}
