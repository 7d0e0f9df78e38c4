use crate::alert::{Severity, Technique};
use crate::config::any_match;
use crate::event::Event;

use super::{Context, Finding, fact};

declare_detector! {
    /// ## What it does
    /// Reports CertificateSigningRequests created by an identity other than a node or a bootstrap
    /// token (`system:node:*`, `system:bootstrap:*`, groups `system:nodes`, `system:bootstrappers*`),
    /// and CSRs approved (`certificatesigningrequests/approval`) by anyone but the controller manager.
    ///
    /// ## Why is this bad?
    /// A CSR signed by the cluster's `kubernetes.io/kube-apiserver-client` signer becomes a client
    /// certificate for any user name and groups it asks for, `system:masters` included. Certificates
    /// cannot be revoked: the holder keeps access until the certificate expires, whatever happens to
    /// RBAC bindings and tokens. Creating and approving one is a durable back door.
    ///
    /// ## MITRE ATT&CK
    /// T1649 Steal or Forge Authentication Certificates (Enterprise matrix; the Containers matrix has
    /// no closer technique).
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"c1","stage":"ResponseComplete","requestURI":"/apis/certificates.k8s.io/v1/certificatesigningrequests/backdoor/approval","verb":"update","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"certificatesigningrequests","name":"backdoor","apiGroup":"certificates.k8s.io","apiVersion":"v1","subresource":"approval"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Certificates and Certificate Signing Requests"
    /// - OWASP Kubernetes Top 10: K06 Broken Authentication Mechanisms
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD014",
        name: "csr-by-unexpected-identity",
        title: "Certificate signing request created or approved by an unexpected identity",
        severity: Severity::High,
        mitre: Technique { id: "T1649", name: "Steal or Forge Authentication Certificates" },
        frameworks: &["owasp:K06", "nsa:authentication-authorization"],
    };
}

const EXPECTED_CREATORS: &[&str] = &["system:node:*", "system:bootstrap:*"];
const EXPECTED_GROUPS: &[&str] = &[
    "system:nodes",
    "system:bootstrappers",
    "system:bootstrappers:*",
];

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "certificatesigningrequests"
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let did = match (event.subresource(), &*event.verb) {
        ("", "create") => {
            let expected = any_match(EXPECTED_CREATORS, event.username())
                || event
                    .user
                    .groups
                    .iter()
                    .any(|g| any_match(EXPECTED_GROUPS, g));
            if expected {
                return None;
            }
            format!("created certificate signing request `{}`", event.name())
        }
        ("approval", "update" | "patch") => {
            format!("approved certificate signing request `{}`", event.name())
        }
        _ => return None,
    };
    Some(Finding::new(fact(event, &did)))
}
