//! Collection: discovery, then one paginated LIST per resource, cluster-wide (or in the one
//! namespace asked for), a bounded number at a time, within an overall deadline.

use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::connect::{ConnectOptions, connect};
use crate::discovery::{ApiResource, Discovered, discover};
use crate::http::{Counters, Failure, Http};
use crate::kinds::{Fetch, TEMPLATE_OWNERS, WANTED, Wanted};
use crate::meta::{ClusterMeta, NodeInfo, now_rfc3339};
use crate::{Error, KindList, KindReport, KindStatus};

/// What to collect and how.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    pub connect: ConnectOptions,
    /// Only this namespace (namespaced kinds listed in it; cluster-scoped kinds still read).
    pub namespace: Option<String>,
    /// Namespaces whose objects are dropped.
    pub exclude_namespaces: Vec<String>,
    /// Read Secrets (as metadata only). False skips them entirely.
    pub secrets: bool,
    /// Overall deadline of the collection.
    pub timeout: Duration,
    /// LIST requests in flight at once.
    pub concurrency: usize,
    /// Objects per LIST page.
    pub page_size: u32,
    pub max_retries: u32,
    pub initial_backoff: Duration,
}

impl Default for CollectOptions {
    fn default() -> Self {
        Self {
            connect: ConnectOptions::default(),
            namespace: None,
            exclude_namespaces: Vec::new(),
            secrets: true,
            timeout: Duration::from_secs(120),
            concurrency: 4,
            page_size: 500,
            max_retries: 5,
            initial_backoff: Duration::from_millis(250),
        }
    }
}

/// Everything collected, and what could not be.
#[derive(Debug, Clone)]
pub struct Collection {
    pub meta: ClusterMeta,
    /// One `List` document per collected resource.
    pub lists: Vec<KindList>,
    /// One entry per wanted resource: collected, forbidden, not served, skipped or failed.
    pub coverage: Vec<KindReport>,
    /// HTTP requests made (retries included), and how many were retries.
    pub requests: usize,
    pub retries: usize,
}

impl Collection {
    /// Whether something the rules need could not be read (forbidden or failed).
    pub fn is_incomplete(&self) -> bool {
        self.coverage
            .iter()
            .any(|k| matches!(k.status, KindStatus::Forbidden(_) | KindStatus::Failed(_)))
    }
}

/// Collects with a runtime of its own (for callers that are not async).
pub fn collect_blocking(options: &CollectOptions) -> Result<Collection, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    runtime.block_on(collect(options))
}

pub async fn collect(options: &CollectOptions) -> Result<Collection, Error> {
    match tokio::time::timeout(options.timeout, collect_inner(options)).await {
        Ok(result) => result,
        Err(_) => Err(Error::Timeout(options.timeout)),
    }
}

/// A connected client, what `/version` said, and which wanted resources are served.
pub(crate) struct Prepared {
    pub(crate) http: Http,
    pub(crate) context: String,
    pub(crate) server: String,
    pub(crate) version: Value,
    pub(crate) jobs: Vec<(Wanted, Discovered)>,
}

pub(crate) async fn prepare(options: &CollectOptions) -> Result<Prepared, Error> {
    let connection = connect(&options.connect).await?;
    let http = Http {
        client: connection.client,
        max_retries: options.max_retries,
        initial_backoff: options.initial_backoff,
        counters: Counters::default(),
    };
    let version = match http.get("/version", "application/json").await {
        Ok(body) => serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null),
        Err(Failure::Transport(message)) => return Err(Error::Unreachable(message)),
        Err(Failure::Status(401, message)) => return Err(Error::Unauthorized(message)),
        Err(_) => Value::Null,
    };
    let wanted: Vec<Wanted> = WANTED
        .iter()
        .copied()
        .filter(|w| options.secrets || w.plural != "secrets" || !w.group.is_empty())
        .collect();
    let discovered = discover(&http, &wanted).await.map_err(|e| match e {
        Failure::Status(401, m) => Error::Unauthorized(m),
        other => Error::Discovery(other.to_string()),
    })?;
    Ok(Prepared {
        http,
        context: connection.context,
        server: connection.server,
        version,
        jobs: wanted.into_iter().zip(discovered).collect(),
    })
}

async fn collect_inner(options: &CollectOptions) -> Result<Collection, Error> {
    let Prepared {
        http,
        context,
        server,
        version,
        jobs,
    } = prepare(options).await?;
    let results: Vec<(usize, Result<Option<KindList>, KindStatus>)> =
        futures_util::stream::iter(jobs.iter().enumerate())
            .map(|(i, (want, found))| {
                let http = &http;
                async move {
                    let result = match found {
                        Discovered::Served(resource) => {
                            list_resource(http, resource, want.fetch, options)
                                .await
                                .map(Some)
                        }
                        Discovered::NotServed => Err(KindStatus::NotServed),
                        Discovered::Failed(Failure::Forbidden(m)) => {
                            Err(KindStatus::Forbidden(m.clone()))
                        }
                        Discovered::Failed(other) => Err(KindStatus::Failed(other.to_string())),
                    };
                    (i, result)
                }
            })
            .buffer_unordered(options.concurrency.max(1))
            .collect()
            .await;

    let mut ordered: Vec<Option<Result<Option<KindList>, KindStatus>>> =
        (0..jobs.len()).map(|_| None).collect();
    for (i, r) in results {
        ordered[i] = Some(r);
    }
    let mut lists = Vec::new();
    let mut coverage = Vec::new();
    let mut nodes = Vec::new();
    for ((want, found), result) in jobs.iter().zip(ordered) {
        let version = match found {
            Discovered::Served(r) => Some(r.version.clone()),
            _ => None,
        };
        let (status, objects) = match result {
            Some(Ok(Some(list))) => {
                let n = list.objects;
                if want.kind == "Node" {
                    nodes = list.nodes.clone();
                }
                lists.push(list);
                (KindStatus::Collected, n)
            }
            Some(Ok(None)) | None => (KindStatus::Failed("not collected".into()), 0),
            Some(Err(KindStatus::NotServed)) if want.optional => (KindStatus::NotServed, 0),
            Some(Err(status)) => (status, 0),
        };
        coverage.push(KindReport {
            group: want.group.to_string(),
            version,
            kind: want.kind.to_string(),
            plural: want.plural.to_string(),
            optional: want.optional,
            status,
            objects,
        });
    }
    if !options.secrets {
        coverage.push(KindReport {
            group: String::new(),
            version: None,
            kind: "Secret".into(),
            plural: "secrets".into(),
            optional: false,
            status: KindStatus::Skipped("--no-secrets".into()),
            objects: 0,
        });
    }
    let meta = cluster_meta(options, context, server, version, nodes);
    Ok(Collection {
        meta,
        lists,
        coverage,
        requests: http.counters.requests.load(Ordering::Relaxed),
        retries: http.counters.retries.load(Ordering::Relaxed),
    })
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(default)]
    items: Vec<Value>,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    next: Option<String>,
    #[serde(rename = "resourceVersion", default)]
    resource_version: Option<String>,
}

const METADATA_ACCEPT: &str = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

/// LISTs one resource page by page into a `List` document.
async fn list_resource(
    http: &Http,
    resource: &ApiResource,
    fetch: Fetch,
    options: &CollectOptions,
) -> Result<KindList, KindStatus> {
    let (base, accept) = collection_url(resource, fetch, options);
    let mut processor = Processor::new(resource, fetch, options);
    processor.token_secrets = token_secrets(http, resource, &base, accept, options).await?;
    let mut out = ListWriter::new(processor);
    list_pages(http, &base, None, accept, options, &mut |items| {
        for item in items {
            out.push(item);
        }
    })
    .await?;
    Ok(out.finish())
}

/// The URL of a resource's collection (in the one namespace asked for, if any) and the media type
/// to ask for.
pub(crate) fn collection_url(
    resource: &ApiResource,
    fetch: Fetch,
    options: &CollectOptions,
) -> (String, &'static str) {
    let scope = match (&options.namespace, resource.namespaced) {
        (Some(ns), true) => format!("/namespaces/{}", encode(ns)),
        _ => String::new(),
    };
    let accept = match fetch {
        Fetch::Full => "application/json",
        Fetch::Metadata => METADATA_ACCEPT,
    };
    (
        format!("{}{scope}/{}", resource.prefix(), resource.plural),
        accept,
    )
}

/// For Secrets, the (namespace, name) of those of type service-account-token; empty otherwise.
pub(crate) async fn token_secrets(
    http: &Http,
    resource: &ApiResource,
    base: &str,
    accept: &str,
    options: &CollectOptions,
) -> Result<std::collections::HashSet<Key>, KindStatus> {
    let mut tokens = std::collections::HashSet::new();
    if resource.group.is_empty() && resource.plural == "secrets" {
        // Metadata does not carry a Secret's `type`, which rules need (long-lived service account
        // tokens). The server can still say which Secrets have it: a field selector on `type`,
        // answered as metadata too.
        let selector = format!("type={SERVICE_ACCOUNT_TOKEN}");
        list_pages(http, base, Some(&selector), accept, options, &mut |items| {
            for item in items {
                tokens.insert(Processor::key(&item));
            }
        })
        .await?;
    }
    Ok(tokens)
}

/// A paginated LIST, handing each page's items to `sink` as it arrives (a whole resource is never
/// held as JSON trees).
pub(crate) async fn list_pages(
    http: &Http,
    base: &str,
    field_selector: Option<&str>,
    accept: &str,
    options: &CollectOptions,
    sink: &mut (dyn FnMut(Vec<Value>) + Send),
) -> Result<String, KindStatus> {
    let mut token: Option<String> = None;
    let mut resource_version = None;
    loop {
        let mut url = format!("{base}?limit={}", options.page_size);
        if let Some(selector) = field_selector {
            url.push_str("&fieldSelector=");
            url.push_str(&encode(selector));
        }
        if let Some(t) = &token {
            url.push_str("&continue=");
            url.push_str(&encode(t));
        }
        let body = match http.get(&url, accept).await {
            Ok(body) => body,
            // The continue token expired (the list took longer than etcd keeps its revision).
            // client-go starts again; pages already handed on cannot be taken back, so this is
            // reported as a failure of the kind rather than risk duplicates.
            Err(Failure::Gone) => {
                return Err(KindStatus::Failed(
                    "the list's continue token expired (410 Gone); retry the scan".into(),
                ));
            }
            Err(Failure::Forbidden(m)) => return Err(KindStatus::Forbidden(m)),
            Err(other) => return Err(KindStatus::Failed(other.to_string())),
        };
        let page: Page = serde_json::from_slice(&body)
            .map_err(|e| KindStatus::Failed(format!("unreadable list: {e}")))?;
        if resource_version.is_none() {
            resource_version = page.metadata.resource_version;
        }
        sink(page.items);
        match page.metadata.next.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    Ok(resource_version.unwrap_or_default())
}

/// Percent-encodes a query or path value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Turns a listed or watched item into the object kubeward scans: type restored, bookkeeping
/// dropped, and left out when excluded or made by a controller from another object's template.
#[derive(Debug, Clone)]
pub(crate) struct Processor {
    pub(crate) resource: ApiResource,
    fetch: Fetch,
    namespace: Option<String>,
    exclude_namespaces: Vec<String>,
    /// (namespace, name) of the Secrets of type service-account-token.
    pub(crate) token_secrets: std::collections::HashSet<(String, String)>,
    pub(crate) skipped_owned: usize,
}

/// (namespace, name).
pub(crate) type Key = (String, String);

impl Processor {
    pub(crate) fn new(resource: &ApiResource, fetch: Fetch, options: &CollectOptions) -> Self {
        Self {
            resource: resource.clone(),
            fetch,
            namespace: options.namespace.clone(),
            exclude_namespaces: options.exclude_namespaces.clone(),
            token_secrets: std::collections::HashSet::new(),
            skipped_owned: 0,
        }
    }

    pub(crate) fn key(item: &Value) -> Key {
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        (
            text(&item["metadata"]["namespace"]),
            text(&item["metadata"]["name"]),
        )
    }

    pub(crate) fn process(&mut self, mut item: Value) -> Option<(Key, Value)> {
        let key = Self::key(&item);
        let (namespace, name) = (&key.0, &key.1);
        let excluded = |ns: &str| self.exclude_namespaces.iter().any(|e| e == ns);
        if excluded(namespace) || (self.resource.kind == "Namespace" && excluded(name)) {
            return None;
        }
        if self.resource.kind == "Namespace"
            && self.namespace.as_deref().is_some_and(|ns| ns != name)
        {
            return None;
        }
        if is_template_copy(&item) {
            self.skipped_owned += 1;
            return None;
        }
        let map = item.as_object_mut()?;
        // List items come without their type (the server leaves it to the list); metadata-only
        // items say `PartialObjectMetadata`. Either way the object gets its real type back.
        map.insert("apiVersion".into(), json!(self.resource.api_version()));
        map.insert("kind".into(), json!(self.resource.kind));
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            // Bookkeeping of server-side apply: large, and never a security setting.
            meta.remove("managedFields");
            if self.fetch == Fetch::Metadata
                && let Some(annotations) =
                    meta.get_mut("annotations").and_then(Value::as_object_mut)
            {
                // `kubectl apply` keeps the whole applied object here, Secret data included.
                annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
            }
        }
        if !self.token_secrets.is_empty() && self.token_secrets.contains(&key) {
            map.insert("type".into(), json!(SERVICE_ACCOUNT_TOKEN));
        }
        Some((key, item))
    }
}

/// Builds the `List` text item by item, one object per line, so that whole lists are never held as
/// JSON trees.
pub(crate) struct ListWriter {
    pub(crate) processor: Processor,
    text: String,
    objects: usize,
    nodes: Vec<NodeInfo>,
}

const SERVICE_ACCOUNT_TOKEN: &str = "kubernetes.io/service-account-token";

impl ListWriter {
    pub(crate) fn new(processor: Processor) -> Self {
        Self {
            processor,
            text: String::new(),
            objects: 0,
            nodes: Vec::new(),
        }
    }

    fn push(&mut self, item: Value) {
        if let Some((_, object)) = self.processor.process(item) {
            self.write(&object);
        }
    }

    /// Appends an object already processed, on a line of its own: compact JSON parses about a
    /// third faster than pretty-printed JSON and takes less memory, and a finding's line is still
    /// its object's line.
    pub(crate) fn write(&mut self, object: &Value) {
        if self.processor.resource.kind == "Node" {
            self.nodes.push(NodeInfo::from_node(object));
        }
        if self.objects > 0 {
            self.text.push_str(",\n");
        }
        self.text
            .push_str(&serde_json::to_string(object).unwrap_or_default());
        self.objects += 1;
    }

    pub(crate) fn finish(self) -> KindList {
        let header = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n";
        let mut text = String::with_capacity(header.len() + self.text.len() + 8);
        text.push_str(header);
        text.push_str(&self.text);
        text.push_str(if self.objects > 0 {
            "\n  ]\n}\n"
        } else {
            "  ]\n}\n"
        });
        KindList {
            resource: self.processor.resource,
            text,
            objects: self.objects,
            skipped_owned: self.processor.skipped_owned,
            nodes: self.nodes,
        }
    }
}

/// Whether the object was made by a controller from a pod template another object holds.
fn is_template_copy(item: &Value) -> bool {
    item["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|owners| {
            owners.iter().any(|o| {
                o["controller"].as_bool() == Some(true)
                    && o["kind"]
                        .as_str()
                        .is_some_and(|k| TEMPLATE_OWNERS.contains(&k))
            })
        })
}

/// What a collection (or a watch) records about the cluster and how it was read, stamped now.
pub(crate) fn cluster_meta(
    options: &CollectOptions,
    context: String,
    server: String,
    version: Value,
    nodes: Vec<NodeInfo>,
) -> ClusterMeta {
    ClusterMeta {
        context,
        server,
        version,
        collected_at: now_rfc3339(),
        namespace: options.namespace.clone(),
        exclude_namespaces: options.exclude_namespaces.clone(),
        secrets: if options.secrets {
            "metadata-only".into()
        } else {
            "skipped".into()
        },
        nodes,
    }
}
