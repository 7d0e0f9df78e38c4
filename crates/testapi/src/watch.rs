//! WATCH: a stream of JSON lines (`{"type":"ADDED","object":{...}}`), as the API server sends them.
//! Without a `resourceVersion` (or with `0`) the stream starts with the current objects as ADDED;
//! with one, it replays the changes after it. `allowWatchBookmarks` adds BOOKMARK events;
//! `sendInitialEvents=true` ends the initial objects with the `k8s.io/initial-events-end` bookmark.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use crate::api::query_param;
use crate::negotiate::Media;
use crate::server::{Shared, lock, with_type};
use crate::store::Change;

pub(crate) fn watch(
    shared: Arc<Shared>,
    index: usize,
    namespace: Option<&str>,
    query: &str,
    media: Media,
) -> Response {
    let namespace = namespace.map(String::from);
    let bookmarks = matches!(
        query_param(query, "allowWatchBookmarks").as_deref(),
        Some("true" | "1")
    );
    let initial_events = matches!(
        query_param(query, "sendInitialEvents").as_deref(),
        Some("true" | "1")
    );
    let timeout = query_param(query, "timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map_or(Duration::from_secs(1800), Duration::from_secs);
    let from_rv = query_param(query, "resourceVersion")
        .and_then(|r| r.parse::<u64>().ok())
        .filter(|rv| *rv > 0);
    // Subscribe before reading the store, so no change falls between the two.
    let mut live = shared.changes.subscribe();
    let in_scope = {
        let ns = namespace.clone();
        move |c: &Change| c.resource == index && ns.as_ref().is_none_or(|n| *n == c.namespace)
    };
    let (mut first, mut last_rv, current_rv, types) = {
        let store = lock(&shared.store);
        let resource = &store.catalog.resources()[index];
        let types = (resource.kind.clone(), resource.api_version());
        let mut lines = Vec::new();
        let start = match from_rv {
            Some(rv) if !initial_events => {
                for change in store.changes.iter().filter(|c| c.resource_version > rv) {
                    if in_scope(change) {
                        lines.push(event_line(change.kind.as_str(), &change.object, media));
                    }
                }
                rv
            }
            _ => {
                for ((ns, _), stored) in &store.objects[index] {
                    if namespace.as_ref().is_none_or(|n| n == ns) {
                        lines.push(event_line("ADDED", &stored.object, media));
                    }
                }
                store.resource_version
            }
        };
        (lines, start, store.resource_version, types)
    };
    if initial_events {
        first.push(bookmark_line(&types, current_rv, true));
    }
    last_rv = last_rv.max(if from_rv.is_some() { 0 } else { current_rv });

    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let interval = shared.options.bookmark_interval;
    tokio::spawn(async move {
        for line in first {
            if tx.send(line).await.is_err() {
                return;
            }
        }
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut ticker = tokio::time::interval(interval);
        ticker.tick().await;
        loop {
            let line = tokio::select! {
                () = &mut deadline => return,
                change = live.recv() => match change {
                    Ok(change) if change.resource_version > last_rv && in_scope(&change) => {
                        last_rv = change.resource_version;
                        event_line(change.kind.as_str(), &change.object, media)
                    }
                    Ok(_) => continue,
                    // Too slow a reader: a real server ends the watch and the client re-lists.
                    Err(broadcast::error::RecvError::Lagged(_)) => return,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = ticker.tick(), if bookmarks => {
                    let rv = lock(&shared.store).resource_version.max(last_rv);
                    bookmark_line(&types, rv, false)
                }
            };
            if tx.send(line).await.is_err() {
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx))
    });
    with_type(Body::from_stream(stream), "application/json")
}

fn event_line(kind: &str, object: &Value, media: Media) -> Bytes {
    let object = match media {
        Media::Json => object.clone(),
        Media::Metadata => json!({
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": object["metadata"],
        }),
    };
    let mut line = json!({"type": kind, "object": object}).to_string();
    line.push('\n');
    Bytes::from(line)
}

/// A bookmark carries the resource's kind and version and only a resource version in its metadata.
fn bookmark_line(types: &(String, String), rv: u64, initial_events_end: bool) -> Bytes {
    let mut metadata = json!({"resourceVersion": rv.to_string()});
    if initial_events_end {
        metadata["annotations"] = json!({"k8s.io/initial-events-end": "true"});
    }
    let mut line = json!({"type": "BOOKMARK", "object": {
        "kind": types.0, "apiVersion": types.1, "metadata": metadata}})
    .to_string();
    line.push('\n');
    Bytes::from(line)
}
