use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{BurstSpec, Context, Finding};

declare_detector! {
    /// ## What it does
    /// Counts requests refused authentication (HTTP 401) per source IP and reports when a source
    /// reaches `auth-failures.threshold` failures within `auth-failures.window` (default: 10 in 5
    /// minutes).
    ///
    /// ## Why is this bad?
    /// A stream of 401s from one address is someone trying credentials: guessed or leaked tokens,
    /// old kubeconfigs, a sprayer walking through a list of service-account tokens. One success among
    /// them gives the attacker whatever the credential grants. A broken client makes the same pattern;
    /// the alert names the source so either can be found quickly.
    ///
    /// ## MITRE ATT&CK
    /// T1110 Brute Force.
    ///
    /// ## Example
    /// Ten or more of these from `198.51.100.23` within five minutes:
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"9a0e","stage":"ResponseStarted","requestURI":"/api/v1/secrets","verb":"list","user":{},"sourceIPs":["198.51.100.23"],"userAgent":"python-requests/2.31.0","responseStatus":{"metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.000300Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Auditing": stages and response status
    /// - OWASP Kubernetes Top 10: K06 Broken Authentication Mechanisms
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD002",
        name: "authentication-failure-burst",
        title: "Burst of authentication failures from one source",
        severity: Severity::Medium,
        mitre: Technique { id: "T1110", name: "Brute Force" },
        frameworks: &["owasp:K06", "nsa:threat-detection"],
    };
}

pub(crate) fn check(ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.response_code() != Some(401) {
        return None;
    }
    let key = event
        .source_ips
        .first()
        .map_or("unknown", |ip| ip.as_ref())
        .to_owned();
    let burst = ctx.config.auth_failures;
    Some(Finding {
        message: String::new(),
        burst: Some(BurstSpec {
            key,
            threshold: burst.threshold,
            window: burst.window,
            what: "authentication failures (401) from source IP",
        }),
        dedup_target: None,
    })
}
