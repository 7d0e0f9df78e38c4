//! Watch mode: one reflector per resource (LIST, then WATCH from the list's resource version with
//! bookmarks, re-LIST when the server says the version is gone) keeps an in-memory copy of the
//! cluster current; the caller gets a fresh [`Collection`] after every burst of changes.
//!
//! The reflectors are ours rather than kube-runtime's: they speak the same protocol, and reuse the
//! collector's metadata-only negotiation and object processing, so a watched object is exactly the
//! object a one-off scan sees.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kube::client::Body;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::collect::{
    CollectOptions, Collection, Key, ListWriter, Prepared, Processor, cluster_meta, collection_url,
    list_pages, prepare, token_secrets,
};
use crate::discovery::Discovered;
use crate::http::{Failure, Http};
use crate::meta::{ClusterMeta, now_rfc3339};
use crate::{Error, KindReport, KindStatus};

/// The objects of one resource, kept current.
struct Reflected {
    processor: Processor,
    base: String,
    accept: &'static str,
    resource_version: String,
    objects: BTreeMap<Key, Value>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Lists the cluster, then watches it: `on_update` gets the first collection and then one after
/// every burst of changes (bursts end after `settle` without a change). Returns when `on_update`
/// returns false.
pub fn watch_blocking(
    options: &CollectOptions,
    settle: Duration,
    on_update: &mut dyn FnMut(&Collection) -> bool,
) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    let (http, kinds, meta, coverage) = runtime.block_on(async {
        match tokio::time::timeout(options.timeout, start(options)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout(options.timeout)),
        }
    })?;
    let http = Arc::new(http);
    if !on_update(&snapshot(&kinds, &meta, &coverage)) {
        return Ok(());
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<()>();
    for kind in &kinds {
        let (http, kind, tx) = (http.clone(), kind.clone(), tx.clone());
        let options = options.clone();
        runtime.spawn(async move { reflect(&http, &kind, &options, &tx).await });
    }
    drop(tx);
    loop {
        if runtime.block_on(rx.recv()).is_none() {
            return Ok(());
        }
        // Let a burst (a rollout touching many objects) settle into one re-evaluation.
        // (The sleep is created inside the runtime: a timer needs its context.)
        runtime.block_on(async { tokio::time::sleep(settle).await });
        while rx.try_recv().is_ok() {}
        let mut meta = meta.clone();
        meta.collected_at = now_rfc3339();
        if !on_update(&snapshot(&kinds, &meta, &coverage)) {
            return Ok(());
        }
    }
}

type Started = (
    Http,
    Vec<Arc<Mutex<Reflected>>>,
    ClusterMeta,
    Vec<KindReport>,
);

/// Discovery and the first LIST of every resource.
async fn start(options: &CollectOptions) -> Result<Started, Error> {
    let Prepared {
        http,
        context,
        server,
        version,
        jobs,
    } = prepare(options).await?;
    let mut kinds = Vec::new();
    let mut coverage = Vec::new();
    for (want, found) in &jobs {
        let (status, resource_version) = match found {
            Discovered::Served(resource) => {
                let (base, accept) = collection_url(resource, want.fetch, options);
                let mut reflected = Reflected {
                    processor: Processor::new(resource, want.fetch, options),
                    base,
                    accept,
                    resource_version: String::new(),
                    objects: BTreeMap::new(),
                };
                match relist(&http, &mut reflected, options).await {
                    Ok(()) => {
                        let n = reflected.objects.len();
                        kinds.push(Arc::new(Mutex::new(reflected)));
                        (KindStatus::Collected, (Some(resource.version.clone()), n))
                    }
                    Err(status) => (status, (None, 0)),
                }
            }
            Discovered::NotServed => (KindStatus::NotServed, (None, 0)),
            Discovered::Failed(Failure::Forbidden(m)) => {
                (KindStatus::Forbidden(m.clone()), (None, 0))
            }
            Discovered::Failed(other) => (KindStatus::Failed(other.to_string()), (None, 0)),
        };
        coverage.push(KindReport {
            group: want.group.to_string(),
            version: resource_version.0,
            kind: want.kind.to_string(),
            plural: want.plural.to_string(),
            optional: want.optional,
            status,
            objects: resource_version.1,
        });
    }
    let meta = cluster_meta(options, context, server, version, Vec::new());
    Ok((http, kinds, meta, coverage))
}

/// Replaces a resource's objects with a fresh LIST.
async fn relist(
    http: &Http,
    reflected: &mut Reflected,
    options: &CollectOptions,
) -> Result<(), KindStatus> {
    let resource = reflected.processor.resource.clone();
    reflected.processor.token_secrets =
        token_secrets(http, &resource, &reflected.base, reflected.accept, options).await?;
    let mut objects = BTreeMap::new();
    let processor = &mut reflected.processor;
    let rv = list_pages(
        http,
        &reflected.base,
        None,
        reflected.accept,
        options,
        &mut |items| {
            for item in items {
                if let Some((key, object)) = processor.process(item) {
                    objects.insert(key, object);
                }
            }
        },
    )
    .await?;
    reflected.objects = objects;
    reflected.resource_version = rv;
    Ok(())
}

/// The collection as it stands: every resource's objects as `List` documents.
fn snapshot(
    kinds: &[Arc<Mutex<Reflected>>],
    meta: &ClusterMeta,
    coverage: &[KindReport],
) -> Collection {
    let mut meta = meta.clone();
    let lists: Vec<_> = kinds
        .iter()
        .map(|kind| {
            let reflected = lock(kind);
            let mut writer = ListWriter::new(reflected.processor.clone());
            for object in reflected.objects.values() {
                writer.write(object);
            }
            writer.finish()
        })
        .collect();
    if let Some(nodes) = lists.iter().find(|l| l.resource.kind == "Node") {
        meta.nodes = nodes.nodes.clone();
    }
    let mut coverage = coverage.to_vec();
    for entry in &mut coverage {
        if let Some(list) = lists
            .iter()
            .find(|l| l.resource.kind == entry.kind && l.resource.group == entry.group)
        {
            entry.objects = list.objects;
        }
    }
    Collection {
        meta,
        lists,
        coverage,
        requests: 0,
        retries: 0,
    }
}

#[derive(Deserialize)]
struct WatchEvent {
    #[serde(rename = "type")]
    kind: String,
    object: Value,
}

/// Keeps one resource current until the receiver goes away: WATCH from the last resource version,
/// apply each event, re-LIST when the version is gone (410), back off on errors.
async fn reflect(
    http: &Http,
    kind: &Mutex<Reflected>,
    options: &CollectOptions,
    changed: &mpsc::UnboundedSender<()>,
) {
    let mut backoff = options.initial_backoff;
    loop {
        if changed.is_closed() {
            return;
        }
        let (url, accept) = {
            let r = lock(kind);
            (
                format!(
                    "{}?watch=1&allowWatchBookmarks=true&timeoutSeconds=290&resourceVersion={}",
                    r.base, r.resource_version
                ),
                r.accept,
            )
        };
        match watch_once(http, kind, &url, accept, changed).await {
            Ok(()) => backoff = options.initial_backoff,
            Err(Failure::Gone) => {
                let mut fresh = {
                    let r = lock(kind);
                    Reflected {
                        processor: r.processor.clone(),
                        base: r.base.clone(),
                        accept: r.accept,
                        resource_version: String::new(),
                        objects: BTreeMap::new(),
                    }
                };
                if relist(http, &mut fresh, options).await.is_ok() {
                    *lock(kind) = fresh;
                    let _ = changed.send(());
                }
            }
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// One WATCH request, applied event by event until the server ends it.
async fn watch_once(
    http: &Http,
    kind: &Mutex<Reflected>,
    url: &str,
    accept: &str,
    changed: &mpsc::UnboundedSender<()>,
) -> Result<(), Failure> {
    let request = Request::get(url)
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let response = http
        .client
        .send(request)
        .await
        .map_err(|e| Failure::Transport(e.to_string()))?;
    match response.status() {
        StatusCode::OK => {}
        StatusCode::GONE => return Err(Failure::Gone),
        StatusCode::FORBIDDEN => return Err(Failure::Forbidden(String::new())),
        other => return Err(Failure::Status(other.as_u16(), String::new())),
    }
    let mut body = response.into_body();
    let mut buffer: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Failure::Transport(e.to_string()))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buffer.extend_from_slice(&data);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            if let Ok(event) = serde_json::from_slice::<WatchEvent>(&line) {
                apply(kind, event, changed)?;
            }
        }
    }
    Ok(())
}

fn apply(
    kind: &Mutex<Reflected>,
    event: WatchEvent,
    changed: &mpsc::UnboundedSender<()>,
) -> Result<(), Failure> {
    let mut r = lock(kind);
    if let Some(rv) = event.object["metadata"]["resourceVersion"].as_str() {
        r.resource_version = rv.to_string();
    }
    match event.kind.as_str() {
        "ADDED" | "MODIFIED" => {
            let key = Processor::key(&event.object);
            match r.processor.process(event.object) {
                Some((key, object)) => {
                    r.objects.insert(key, object);
                }
                // Now excluded (say, a controller took ownership): no longer scanned.
                None => {
                    r.objects.remove(&key);
                }
            }
        }
        "DELETED" => {
            let key = Processor::key(&event.object);
            r.objects.remove(&key);
        }
        "BOOKMARK" => return Ok(()),
        // `ERROR` carries a Status; 410 means the version is too old: re-list.
        "ERROR" if event.object["code"].as_u64() == Some(410) => return Err(Failure::Gone),
        _ => return Ok(()),
    }
    let _ = changed.send(());
    Ok(())
}
