//! The audit `Event` (`audit.k8s.io/v1` and `v1beta1`), borrowed from the input line.
//!
//! Only the fields detectors read are declared; serde skips the rest without building them. Strings are
//! `Cow<str>` so they borrow from the line unless JSON escapes force a copy. `requestObject` stays a
//! [`RawValue`]: it is only decoded by the few detectors that need it, and only for writes.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::time::Timestamp;

/// One audit event. Construct with [`Event::from_json`] or through [`EventList::from_json`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub api_version: Option<Cow<'a, str>>,
    #[serde(default)]
    pub level: Level,
    #[serde(borrow, rename = "auditID", default)]
    pub audit_id: Cow<'a, str>,
    pub stage: Stage,
    #[serde(borrow, rename = "requestURI")]
    pub request_uri: Cow<'a, str>,
    #[serde(borrow)]
    pub verb: Cow<'a, str>,
    #[serde(borrow)]
    pub user: UserInfo<'a>,
    #[serde(borrow, default)]
    pub impersonated_user: Option<UserInfo<'a>>,
    #[serde(borrow, rename = "sourceIPs", default, deserialize_with = "vec_str")]
    pub source_ips: Vec<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub user_agent: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub object_ref: Option<ObjectReference<'a>>,
    #[serde(default)]
    pub response_status: Option<ResponseStatus>,
    #[serde(borrow, default)]
    pub request_object: Option<&'a RawValue>,
    #[serde(default, deserialize_with = "timestamp")]
    pub request_received_timestamp: Option<Timestamp>,
    /// Kept as text: only parsed when `requestReceivedTimestamp` is missing (see [`Event::time`]).
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub stage_timestamp: Option<Cow<'a, str>>,
    /// `v1beta1` only; superseded by the two timestamps above.
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub annotations: Option<Annotations<'a>>,
}

/// `user` and `impersonatedUser`.
#[derive(Debug, Deserialize, Default)]
pub struct UserInfo<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub username: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "vec_str")]
    pub groups: Vec<Cow<'a, str>>,
}

/// `objectRef`: what the request was about.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub resource: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub namespace: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub api_group: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub subresource: Option<Cow<'a, str>>,
}

/// `responseStatus` (a `metav1.Status`); only the code matters here.
#[derive(Debug, Deserialize, Default, Clone, Copy)]
pub struct ResponseStatus {
    #[serde(default)]
    pub code: Option<u16>,
}

/// The annotations the authorizer and admission add.
#[derive(Debug, Deserialize, Default)]
pub struct Annotations<'a> {
    /// `allow` or `forbid`.
    #[serde(
        borrow,
        rename = "authorization.k8s.io/decision",
        default,
        deserialize_with = "opt_str"
    )]
    pub decision: Option<Cow<'a, str>>,
}

/// How much of the request the audit policy recorded.
#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    None,
    #[default]
    Metadata,
    Request,
    RequestResponse,
}

/// Where in its life the request was when the event was written.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    RequestReceived,
    /// Only long-running requests (watch, exec, attach, port-forward, proxy) have this stage.
    ResponseStarted,
    ResponseComplete,
    Panic,
    #[serde(other)]
    Unknown,
}

/// A string that borrows from the input whenever it has no escapes. serde's own `Cow<str>` only
/// borrows as a direct field; inside `Option` or `Vec` it always allocates.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        deserializer.deserialize_str(Visit).map(Text)
    }
}

fn opt_str<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    Ok(Option::<Text<'a>>::deserialize(d)?.map(|t| t.0))
}

/// A list of strings; `null` is an empty list.
fn vec_str<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'a, str>>, D::Error> {
    let items = Option::<Vec<Text<'a>>>::deserialize(d)?.unwrap_or_default();
    Ok(items.into_iter().map(|t| t.0).collect())
}

fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    let text: Option<Text<'de>> = Option::deserialize(deserializer)?;
    match text {
        None => Ok(None),
        Some(Text(text)) => Timestamp::parse(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid timestamp `{text}`"))),
    }
}

/// Why a line is not an audit event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    Json(String),
    NotAnEvent(String),
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventError::Json(e) => write!(f, "invalid JSON: {e}"),
            EventError::NotAnEvent(why) => write!(f, "not an audit event: {why}"),
        }
    }
}

impl<'a> Event<'a> {
    /// Parses one JSON line (or document) into an event, checking it is an audit event.
    pub fn from_json(bytes: &'a [u8]) -> Result<Event<'a>, EventError> {
        // One UTF-8 check of the whole line is cheaper than serde_json's check of every string.
        let text =
            std::str::from_utf8(bytes).map_err(|e| EventError::Json(format!("not UTF-8: {e}")))?;
        let event: Event<'a> =
            serde_json::from_str(text).map_err(|e| EventError::Json(e.to_string()))?;
        event.validate()?;
        Ok(event)
    }

    fn validate(&self) -> Result<(), EventError> {
        if let Some(kind) = &self.kind
            && kind != "Event"
        {
            return Err(EventError::NotAnEvent(format!("kind is `{kind}`")));
        }
        if let Some(api_version) = &self.api_version
            && !api_version.starts_with("audit.k8s.io/")
        {
            return Err(EventError::NotAnEvent(format!(
                "apiVersion is `{api_version}`"
            )));
        }
        if self.time().is_none() {
            return Err(EventError::NotAnEvent("no timestamp".to_owned()));
        }
        Ok(())
    }

    /// When the API server received the request (falls back to the stage time, then `v1beta1`'s).
    pub fn time(&self) -> Option<Timestamp> {
        self.request_received_timestamp.or_else(|| {
            [&self.stage_timestamp, &self.timestamp]
                .into_iter()
                .flatten()
                .find_map(|text| Timestamp::parse(text))
        })
    }

    /// The authenticated user name; empty when authentication failed.
    pub fn username(&self) -> &str {
        self.user.username.as_deref().unwrap_or("")
    }

    pub fn response_code(&self) -> Option<u16> {
        self.response_status.and_then(|s| s.code)
    }

    /// Whether the API server let the request through authentication and authorization. A 404 or 409
    /// still means it was authorized; only 401 and 403 mean refused.
    pub fn is_allowed(&self) -> bool {
        match self.response_code() {
            Some(401 | 403) => false,
            Some(_) => true,
            None => self
                .annotations
                .as_ref()
                .and_then(|a| a.decision.as_deref())
                .is_none_or(|d| d == "allow"),
        }
    }

    /// Whether the request reached its handler and succeeded (2xx/1xx).
    pub fn is_success(&self) -> bool {
        self.response_code().is_none_or(|c| c < 300)
    }

    pub fn resource(&self) -> &str {
        self.object_ref
            .as_ref()
            .and_then(|o| o.resource.as_deref())
            .unwrap_or("")
    }

    pub fn subresource(&self) -> &str {
        self.object_ref
            .as_ref()
            .and_then(|o| o.subresource.as_deref())
            .unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.object_ref
            .as_ref()
            .and_then(|o| o.namespace.as_deref())
            .unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.object_ref
            .as_ref()
            .and_then(|o| o.name.as_deref())
            .unwrap_or("")
    }

    pub fn api_group(&self) -> &str {
        self.object_ref
            .as_ref()
            .and_then(|o| o.api_group.as_deref())
            .unwrap_or("")
    }

    pub fn user_agent(&self) -> &str {
        self.user_agent.as_deref().unwrap_or("")
    }

    /// The request path without its query string.
    pub fn path(&self) -> &str {
        let uri: &str = &self.request_uri;
        match uri.bytes().position(|b| b == b'?') {
            Some(i) => &uri[..i],
            None => uri,
        }
    }

    /// Whether the verb writes the object (create, update, patch).
    pub fn is_write(&self) -> bool {
        matches!(&*self.verb, "create" | "update" | "patch")
    }

    /// `requestObject`, decoded into `T` when present; `None` when absent or of another shape.
    pub fn request_object<T: Deserialize<'a>>(&self) -> Option<T> {
        self.request_object
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }
}

/// A batch as the API server's webhook backend posts it.
#[derive(Debug, Deserialize)]
pub struct EventList<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub items: Vec<&'a RawValue>,
}

impl<'a> EventList<'a> {
    /// Parses an `EventList` document. Items stay raw so one bad item does not lose the batch; decode
    /// each with [`Event::from_json`].
    pub fn from_json(bytes: &'a [u8]) -> Result<EventList<'a>, EventError> {
        let list: EventList<'a> =
            serde_json::from_slice(bytes).map_err(|e| EventError::Json(e.to_string()))?;
        if let Some(kind) = &list.kind
            && kind != "EventList"
        {
            return Err(EventError::NotAnEvent(format!(
                "kind is `{kind}`, expected `EventList`"
            )));
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXEC: &str = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseStarted","requestURI":"/api/v1/namespaces/default/pods/web/exec?command=sh","verb":"create","user":{"username":"alice","groups":["dev","system:authenticated"]},"sourceIPs":["10.0.0.7"],"userAgent":"kubectl/v1.30.0","objectRef":{"resource":"pods","namespace":"default","name":"web","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2024-05-01T10:00:00.000001Z","stageTimestamp":"2024-05-01T10:00:00.100000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}"#;

    #[test]
    fn parses_borrowed_fields() {
        let e = Event::from_json(EXEC.as_bytes()).unwrap();
        assert!(matches!(e.verb, Cow::Borrowed("create")));
        assert!(matches!(e.user.username, Some(Cow::Borrowed("alice"))));
        assert!(matches!(e.user.groups[0], Cow::Borrowed("dev")));
        assert!(matches!(
            e.source_ips[0],
            Cow::Borrowed("10.0.7.0") | Cow::Borrowed(_)
        ));
        assert!(matches!(
            e.object_ref.as_ref().unwrap().subresource,
            Some(Cow::Borrowed("exec"))
        ));
        assert_eq!(e.username(), "alice");
        assert_eq!(e.subresource(), "exec");
        assert_eq!(e.path(), "/api/v1/namespaces/default/pods/web/exec");
        assert!(e.is_allowed());
        assert_eq!(e.stage, Stage::ResponseStarted);
    }

    #[test]
    fn rejects_other_kinds() {
        let err = Event::from_json(br#"{"kind":"Pod","stage":"ResponseComplete","requestURI":"/","verb":"get","user":{},"requestReceivedTimestamp":"2024-05-01T10:00:00Z"}"#);
        assert!(matches!(err, Err(EventError::NotAnEvent(_))));
        assert!(matches!(
            Event::from_json(b"{\"kind\":"),
            Err(EventError::Json(_))
        ));
    }

    #[test]
    fn parses_event_list() {
        let doc = format!(
            r#"{{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{{}},"items":[{EXEC},{{"bad":1}}]}}"#
        );
        let list = EventList::from_json(doc.as_bytes()).unwrap();
        assert_eq!(list.items.len(), 2);
        assert!(Event::from_json(list.items[0].get().as_bytes()).is_ok());
        assert!(Event::from_json(list.items[1].get().as_bytes()).is_err());
    }
}
