use std::net::IpAddr;

use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, what};

declare_detector! {
    /// ## What it does
    /// When `allow.source-cidrs` is set, reports authenticated requests with a source IP outside
    /// those ranges. Every address of `sourceIPs` is checked: the `X-Forwarded-For` entries a client
    /// may forge come first, the address of the connection last, and any of them outside the ranges
    /// is reported. With no ranges configured it is off.
    ///
    /// ## Why is this bad?
    /// Kubeconfigs and service-account tokens do not know where they are used from. A token stolen
    /// from a pod or a laptop and replayed from the attacker's own infrastructure looks like normal
    /// use in every other respect; the source address is often the only sign.
    ///
    /// ## MITRE ATT&CK
    /// T1078 Valid Accounts.
    ///
    /// ## Example
    /// With `allow: {source-cidrs: [10.0.0.0/8]}`:
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"ip1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/ci/pods","verb":"list","user":{"username":"system:serviceaccount:ci:deployer","groups":["system:serviceaccounts","system:authenticated"]},"sourceIPs":["198.51.100.77"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"pods","namespace":"ci","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Auditing": `sourceIPs`
    /// - NSA/CISA Kubernetes Hardening Guide: threat detection
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD022",
        name: "source-ip-outside-ranges",
        title: "Request from a source IP outside the expected ranges",
        severity: Severity::Medium,
        mitre: Technique { id: "T1078", name: "Valid Accounts" },
        frameworks: &["nsa:threat-detection", "owasp:K06"],
    };
}

pub(crate) fn check(ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    let ranges = &ctx.config.allow.source_cidrs;
    if ranges.is_empty() || event.username().is_empty() {
        return None;
    }
    let outside = event.source_ips.iter().find(|ip| {
        ip.parse::<IpAddr>()
            .is_ok_and(|ip| !ranges.iter().any(|range| range.contains(ip)))
    })?;
    let mut finding = Finding::new(fact(
        event,
        &format!(
            "sent `{}` {}, from `{outside}` which is outside the expected ranges,",
            event.verb,
            what(event)
        ),
    ));
    finding.dedup_target = Some(outside.to_string());
    Some(finding)
}
