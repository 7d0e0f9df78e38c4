use std::collections::BTreeMap;

use serde::Deserialize;

use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports ConfigMaps created or changed with data that looks like a credential: keys named like
    /// passwords, tokens, API or private keys, or values shaped like private keys, cloud access keys,
    /// vendor tokens or URLs with embedded passwords. It reads `requestObject`. Values are never
    /// copied into the alert: only key names are reported, and the value shows as `REDACTED`.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are meant to be readable: RBAC commonly grants `get configmaps` widely, they are
    /// not encrypted at rest by default, and they end up in logs, dashboards and backups. A credential
    /// placed there is available to anyone who can read the namespace, which is how attackers find
    /// database passwords and cloud keys after a first foothold.
    ///
    /// ## MITRE ATT&CK
    /// T1552 Unsecured Credentials.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"m1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/configmaps","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"configmaps","namespace":"shop","name":"app-config","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"app-config"},"data":{"LOG_LEVEL":"info","DB_PASSWORD":"example-not-a-real-password"}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "ConfigMaps" (not for confidential data) and "Good practices for Kubernetes Secrets"
    /// - OWASP Kubernetes Top 10: K08 Secrets Management Failures
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD018",
        name: "credentials-in-configmap",
        title: "ConfigMap with credential-like data written",
        severity: Severity::Medium,
        mitre: Technique { id: "T1552", name: "Unsecured Credentials" },
        frameworks: &["owasp:K08", "cis:5.4.1"],
    };
}

#[derive(Deserialize)]
struct ConfigMap {
    #[serde(default)]
    data: Option<BTreeMap<String, Option<String>>>,
}

/// Key fragments (lowercase, separators removed) that name a credential.
const KEY_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "credential",
];

/// Keys that contain a fragment above but name something else.
const BENIGN_KEYS: &[&str] = &[
    "tokenttl",
    "tokenexpiry",
    "tokenlifetime",
    "passwordpolicy",
    "secretname",
    "secretref",
];

/// Value shapes that are credentials whatever the key.
fn value_is_credential(value: &str) -> bool {
    value.contains("PRIVATE KEY-----")
        || has_token_with_prefix(value, "AKIA", 16)
        || has_token_with_prefix(value, "ghp_", 36)
        || has_token_with_prefix(value, "glpat-", 20)
        || has_token_with_prefix(value, "xoxb-", 20)
        || has_token_with_prefix(value, "sk_live_", 20)
        || url_with_password(value)
}

fn has_token_with_prefix(value: &str, prefix: &str, min_len: usize) -> bool {
    value.match_indices(prefix).any(|(i, _)| {
        value[i + prefix.len()..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
            .count()
            >= min_len
    })
}

/// `scheme://user:password@host`.
fn url_with_password(value: &str) -> bool {
    value.split("://").skip(1).any(|rest| {
        let authority = rest.split(['/', ' ', '\n', '"']).next().unwrap_or("");
        authority.split_once('@').is_some_and(|(userinfo, _)| {
            userinfo.split_once(':').is_some_and(|(_, p)| !p.is_empty())
        })
    })
}

fn key_is_credential(key: &str) -> bool {
    let normalised: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    KEY_FRAGMENTS.iter().any(|f| normalised.contains(f))
        && !BENIGN_KEYS.iter().any(|b| normalised.contains(b))
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "configmaps"
        || !event.subresource().is_empty()
        || !event.is_write()
        || !event.is_allowed()
        || !event.is_success()
    {
        return None;
    }
    let data = event.request_object::<ConfigMap>()?.data?;
    let keys: Vec<String> = data
        .iter()
        .filter_map(|(key, value)| {
            let value = value.as_deref().unwrap_or("");
            let credential =
                !value.is_empty() && (key_is_credential(key) || value_is_credential(value));
            credential.then(|| format!("`{key}` = REDACTED"))
        })
        .collect();
    if keys.is_empty() {
        return None;
    }
    let did = format!(
        "{} {} holding credential-like data in {}",
        past(&event.verb),
        target(event),
        keys.join(", ")
    );
    Some(Finding::new(fact(event, &did)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_credentials_without_false_friends() {
        assert!(key_is_credential("DB_PASSWORD"));
        assert!(key_is_credential("api-key"));
        assert!(!key_is_credential("token-ttl"));
        assert!(!key_is_credential("LOG_LEVEL"));
        assert!(value_is_credential("postgres://app:hunter2@db:5432/shop"));
        assert!(!value_is_credential("https://example.com/a@b"));
        assert!(value_is_credential("key: AKIAABCDEFGHIJKLMNOP"));
        assert!(!value_is_credential("AKIA-short"));
    }
}
