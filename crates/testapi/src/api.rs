//! The bodies of discovery documents and LIST responses.

use std::net::SocketAddr;
use std::ops::Bound;

use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::negotiate::Media;
use crate::store::{Key, Store};

pub fn version(git_version: &str) -> Value {
    let trimmed = git_version.trim_start_matches('v');
    let mut parts = trimmed.split('.');
    let major = parts.next().unwrap_or("1");
    let minor = parts.next().unwrap_or("0");
    json!({
        "major": major,
        "minor": minor,
        "gitVersion": git_version,
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.25.0",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

pub fn core_versions(addr: SocketAddr) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": addr.to_string()}],
    })
}

fn group_entry(group: &str, versions: &[String]) -> Value {
    let list: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
        .collect();
    json!({
        "name": group,
        "versions": list,
        "preferredVersion": list.first().cloned().unwrap_or(Value::Null),
    })
}

fn versions_of(catalog: &Catalog, group: &str) -> Vec<String> {
    catalog
        .group_versions()
        .into_iter()
        .filter(|(g, _)| g == group)
        .map(|(_, v)| v)
        .collect()
}

pub fn group_list(catalog: &Catalog) -> Value {
    let mut groups: Vec<String> = Vec::new();
    for (g, _) in catalog.group_versions() {
        if !g.is_empty() && !groups.contains(&g) {
            groups.push(g);
        }
    }
    let entries: Vec<Value> = groups
        .iter()
        .map(|g| group_entry(g, &versions_of(catalog, g)))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": entries})
}

pub fn group(catalog: &Catalog, group: &str) -> Option<Value> {
    let versions = versions_of(catalog, group);
    if versions.is_empty() || group.is_empty() {
        return None;
    }
    let mut entry = group_entry(group, &versions);
    entry["kind"] = json!("APIGroup");
    entry["apiVersion"] = json!("v1");
    Some(entry)
}

/// Verbs of every resource: the server is read-only, but a real one lists these, and clients
/// (kubectl, kube's discovery) look for `list` and `watch`.
const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

pub fn resource_list(catalog: &Catalog, group: &str, version: &str) -> Value {
    let resources: Vec<Value> = catalog
        .resources()
        .iter()
        .filter(|r| r.group == group && r.version == version)
        .map(|r| {
            json!({
                "name": r.plural,
                "singularName": r.kind.to_ascii_lowercase(),
                "namespaced": r.namespaced,
                "kind": r.kind,
                "verbs": VERBS,
                "shortNames": r.short_names,
                "storageVersionHash": "",
            })
        })
        .collect();
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    })
}

/// The value of a query parameter (percent-decoded).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub enum ListError {
    BadContinue,
    BadFieldSelector,
    TooLargeResourceVersion(u64),
}

/// A field selector: `type=kubernetes.io/service-account-token,metadata.name!=x`. The real server
/// supports a few fields per resource; this one any field path, with `=`, `==` and `!=`.
struct FieldSelector {
    terms: Vec<(Vec<String>, bool, String)>,
}

impl FieldSelector {
    fn parse(text: &str) -> Option<Self> {
        let mut terms = Vec::new();
        for term in text.split(',').filter(|t| !t.is_empty()) {
            let (path, equal, value) = if let Some((p, v)) = term.split_once("!=") {
                (p, false, v)
            } else if let Some((p, v)) = term.split_once("==") {
                (p, true, v)
            } else {
                let (p, v) = term.split_once('=')?;
                (p, true, v)
            };
            let path = path.split('.').map(String::from).collect();
            terms.push((path, equal, value.to_string()));
        }
        Some(Self { terms })
    }

    fn matches(&self, object: &Value) -> bool {
        self.terms.iter().all(|(path, equal, value)| {
            let found = path
                .iter()
                .try_fold(object, |v, key| v.get(key))
                .and_then(Value::as_str)
                .unwrap_or("");
            (found == value) == *equal
        })
    }
}

/// A continue token: the list's resource version and the key after which the next page starts,
/// base64url-encoded JSON as the real server does it.
fn encode_continue(rv: u64, key: &Key) -> String {
    let token = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": [key.0, key.1]});
    data_encoding::BASE64URL_NOPAD.encode(token.to_string().as_bytes())
}

fn decode_continue(token: &str) -> Option<(u64, Key)> {
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(token.as_bytes())
        .ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    let rv = value["rv"].as_u64()?;
    let ns = value["start"][0].as_str()?.to_string();
    let name = value["start"][1].as_str()?.to_string();
    Some((rv, (ns, name)))
}

/// A LIST response of resource `index`, optionally in one namespace, honouring `limit`,
/// `continue` and `resourceVersion`.
pub fn list(
    store: &Store,
    index: usize,
    namespace: Option<&str>,
    query: &str,
    media: Media,
) -> Result<String, ListError> {
    let resource = &store.catalog.resources()[index];
    let limit = query_param(query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0);
    let (list_rv, start) = match query_param(query, "continue").filter(|c| !c.is_empty()) {
        Some(token) => {
            let (rv, key) = decode_continue(&token).ok_or(ListError::BadContinue)?;
            (rv, Bound::Excluded(key))
        }
        None => {
            if let Some(rv) = query_param(query, "resourceVersion").and_then(|r| r.parse().ok())
                && rv > store.resource_version
            {
                return Err(ListError::TooLargeResourceVersion(rv));
            }
            let from = match namespace {
                Some(ns) => Bound::Included((ns.to_string(), String::new())),
                None => Bound::Unbounded,
            };
            (store.resource_version, from)
        }
    };
    let selector = FieldSelector::parse(&query_param(query, "fieldSelector").unwrap_or_default())
        .ok_or(ListError::BadFieldSelector)?;
    let objects = &store.objects[index];
    let mut in_scope = objects
        .range((start, Bound::Unbounded))
        .take_while(|((ns, _), _)| namespace.is_none_or(|n| n == ns))
        .filter(|(_, stored)| selector.matches(&stored.object));
    let mut items = Vec::new();
    let mut last_returned: Option<&Key> = None;
    let mut more = false;
    for (key, stored) in in_scope.by_ref() {
        if limit.is_some_and(|l| items.len() >= l) {
            more = true;
            break;
        }
        items.push(match media {
            Media::Json => stored.item.clone(),
            Media::Metadata => stored.metadata_item.clone(),
        });
        last_returned = Some(key);
    }
    let mut metadata = json!({"resourceVersion": list_rv.to_string()});
    if more && let Some(key) = last_returned {
        // The item that stopped the page is counted too.
        let remaining = 1 + in_scope.count();
        metadata["continue"] = json!(encode_continue(list_rv, key));
        metadata["remainingItemCount"] = json!(remaining);
    }
    let (kind, api_version) = match media {
        Media::Json => (format!("{}List", resource.kind), resource.api_version()),
        Media::Metadata => (
            "PartialObjectMetadataList".to_string(),
            "meta.k8s.io/v1".to_string(),
        ),
    };
    let mut body = String::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 200);
    body.push_str(&format!(
        "{{\"kind\":{},\"apiVersion\":{},\"metadata\":{},\"items\":[",
        json!(kind),
        json!(api_version),
        metadata
    ));
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push_str("]}");
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_decoded() {
        assert_eq!(
            query_param("limit=5&continue=a%3Db", "continue").as_deref(),
            Some("a=b")
        );
        assert_eq!(query_param("watch", "watch").as_deref(), Some(""));
        assert_eq!(query_param("limit=5", "continue"), None);
    }

    #[test]
    fn continue_tokens_round_trip() {
        let key = ("ns".to_string(), "name".to_string());
        assert_eq!(decode_continue(&encode_continue(7, &key)), Some((7, key)));
        assert_eq!(decode_continue("not a token"), None);
    }
}
