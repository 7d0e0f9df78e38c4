//! What the analyzer reports: [`Alert`], and the metadata every detector declares.

use serde::Serialize;

use crate::event::Event;
use crate::time::Timestamp;

/// How urgent an alert is, by default; the CLI may override it per detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A MITRE ATT&CK technique (ATT&CK for Containers matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Technique {
    pub id: &'static str,
    pub name: &'static str,
}

/// What a detector declares about itself. `docs` is its doc comment, captured by `declare_detector!`.
#[derive(Debug)]
pub struct DetectorMeta {
    /// `AUD001`; never reused.
    pub id: &'static str,
    /// kebab-case, names the pattern: `anonymous-request-allowed`.
    pub name: &'static str,
    /// One line, used as the alert title.
    pub title: &'static str,
    pub severity: Severity,
    pub mitre: Technique,
    /// `owasp:K01`, `nsa:audit-logging`, ...
    pub frameworks: &'static [&'static str],
    /// The doc comment: What it does / Why is this bad? / MITRE ATT&CK / Example / References.
    pub docs: &'static str,
}

/// Who made the request(s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Actor {
    pub user: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    pub source_ips: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonated_user: Option<String>,
}

impl Actor {
    pub(crate) fn from_event(event: &Event<'_>) -> Actor {
        Actor {
            user: event.username().to_owned(),
            groups: event.user.groups.iter().map(|g| g.to_string()).collect(),
            source_ips: event.source_ips.iter().map(|ip| ip.to_string()).collect(),
            user_agent: event.user_agent.as_ref().map(|ua| ua.to_string()),
            impersonated_user: event
                .impersonated_user
                .as_ref()
                .and_then(|u| u.username.as_ref())
                .map(|u| u.to_string()),
        }
    }
}

/// What the request(s) touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ObjectRef {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_group: String,
    pub resource: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subresource: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl ObjectRef {
    pub(crate) fn from_event(event: &Event<'_>) -> Option<ObjectRef> {
        event.object_ref.as_ref()?;
        Some(ObjectRef {
            api_group: event.api_group().to_owned(),
            resource: event.resource().to_owned(),
            subresource: event.subresource().to_owned(),
            namespace: event.namespace().to_owned(),
            name: event.name().to_owned(),
        })
    }
}

/// Where the first event of an alert was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u64,
}

/// One alert: one detector, one actor, one target, possibly many events within the dedup window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// The facts of the first event: who did what to which object, from where, when.
    pub message: String,
    pub actor: Actor,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    pub verb: String,
    pub request_uri: String,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub count: u64,
    /// The first few audit IDs (at most [`Alert::MAX_AUDIT_IDS`]).
    pub audit_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub mitre: Technique,
    pub frameworks: &'static [&'static str],
}

impl Alert {
    pub const MAX_AUDIT_IDS: usize = 5;
    const MAX_SOURCE_IPS: usize = 8;

    /// One JSON object, no trailing newline.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub(crate) fn absorb(&mut self, other: Alert) {
        self.count += other.count;
        self.first_seen = self.first_seen.min(other.first_seen);
        self.last_seen = self.last_seen.max(other.last_seen);
        for id in other.audit_ids {
            if self.audit_ids.len() >= Self::MAX_AUDIT_IDS {
                break;
            }
            if !self.audit_ids.contains(&id) {
                self.audit_ids.push(id);
            }
        }
        for ip in other.actor.source_ips {
            if self.actor.source_ips.len() < Self::MAX_SOURCE_IPS
                && !self.actor.source_ips.contains(&ip)
            {
                self.actor.source_ips.push(ip);
            }
        }
    }
}
