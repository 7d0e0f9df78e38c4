//! The HTTPS server: TLS with a generated CA, bearer-token authentication, the request log, and
//! the routing of Kubernetes API paths to discovery, LIST, GET and WATCH.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::negotiate::{Media, negotiate};
use crate::store::{Change, Store};
use crate::{api, watch};

/// How the server behaves beyond serving its objects.
#[derive(Debug, Clone)]
pub struct Options {
    /// The bearer token every request must carry (401 without it).
    pub token: String,
    /// Resources answered with 403 on LIST, GET and WATCH, named `pods` or `roles.rbac.authorization.k8s.io`.
    pub forbidden: Vec<String>,
    /// Answers to give once, to the first request for a resource, before serving it normally.
    pub faults_once: Vec<Fault>,
    /// How often WATCH streams that asked for bookmarks get one.
    pub bookmark_interval: Duration,
    /// `gitVersion` of `/version`.
    pub git_version: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            token: "kubeward-test-token".into(),
            forbidden: Vec::new(),
            faults_once: Vec::new(),
            bookmark_interval: Duration::from_secs(1),
            git_version: "v1.37.0".into(),
        }
    }
}

/// An error answer given once (a 429 with `Retry-After`, a 503...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The resource, named as in [`Options::forbidden`].
    pub resource: String,
    pub status: u16,
    pub retry_after: Option<u64>,
}

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub accept: String,
    pub status: u16,
}

impl RecordedRequest {
    /// The value of a query parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        api::query_param(&self.query, name)
    }

    /// Whether this request could have returned a Secret's data: any request under a `secrets`
    /// resource path that did not negotiate metadata only.
    pub fn may_read_secret_data(&self) -> bool {
        let segments: Vec<&str> = self.path.split('/').collect();
        let secrets = segments.len() >= 4 && segments[1] == "api" && segments.contains(&"secrets");
        secrets && negotiate(&self.accept, true) != Some(Media::Metadata)
    }
}

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) options: Options,
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) requests: Mutex<Vec<RecordedRequest>>,
    pub(crate) changes: broadcast::Sender<Change>,
    pub(crate) addr: SocketAddr,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it (tests only read it).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running server; stops when dropped.
pub struct TestApi {
    shared: Arc<Shared>,
    ca_pem: String,
    handle: axum_server::Handle<SocketAddr>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestApi {
    /// Starts serving `store` on 127.0.0.1 (a free port) with a fresh CA, on a thread of its own.
    pub fn start(store: Store, options: Options) -> anyhow::Result<Self> {
        let (ca_pem, tls) = crate::tls::generate()?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (changes, _) = broadcast::channel(4096);
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            faults: Mutex::new(options.faults_once.clone()),
            options,
            requests: Mutex::new(Vec::new()),
            changes,
            addr,
        });
        let handle = axum_server::Handle::new();
        let app = Router::new()
            .fallback(handle_request)
            .with_state(shared.clone());
        let server_handle = handle.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("kubeward-testapi".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let config = axum_server::tls_rustls::RustlsConfig::from_config(tls);
                    if let Ok(server) = axum_server::from_tcp_rustls(listener, config) {
                        let _ = server
                            .handle(server_handle)
                            .serve(app.into_make_service())
                            .await;
                    }
                });
            })?;
        Ok(Self {
            shared,
            ca_pem,
            handle,
            thread: Some(thread),
        })
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.shared.addr)
    }

    /// The CA certificate (PEM) the server's certificate chains to.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    pub fn token(&self) -> &str {
        &self.shared.options.token
    }

    /// A kubeconfig (YAML) with the server, its CA and the token, in a context named `context`.
    pub fn kubeconfig(&self, context: &str) -> String {
        let ca = data_encoding::BASE64.encode(self.ca_pem.as_bytes());
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: {context}-cluster\n  cluster:\n    \
             server: {url}\n    certificate-authority-data: {ca}\nusers:\n- name: {context}-user\n  \
             user:\n    token: {token}\ncontexts:\n- name: {context}\n  context:\n    cluster: \
             {context}-cluster\n    user: {context}-user\n    namespace: default\n\
             current-context: {context}\n",
            url = self.url(),
            token = self.token(),
        )
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Forgets the requests recorded so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Number of objects served.
    pub fn object_count(&self) -> usize {
        lock(&self.shared.store).len()
    }

    /// Creates or replaces an object, as `kubectl apply` would; WATCH streams see the change.
    pub fn apply(&self, object: Value) -> Result<(), String> {
        let change = lock(&self.shared.store).put(object, true)?;
        let _ = self.shared.changes.send(change);
        Ok(())
    }

    /// Deletes an object of `api_version`/`kind`; false if there was none.
    pub fn delete(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> bool {
        let change = {
            let mut store = lock(&self.shared.store);
            let index = store
                .catalog
                .resource_for(api_version, kind, !namespace.is_empty());
            store.delete(index, namespace, name)
        };
        match change {
            Some(change) => {
                let _ = self.shared.changes.send(change);
                true
            }
            None => false,
        }
    }
}

impl Drop for TestApi {
    fn drop(&mut self) {
        self.handle.shutdown();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn handle_request(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", shared.options.token));
    let response = if !authorized {
        status(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Unauthorized",
            None,
        )
    } else if method != Method::GET {
        status(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "this test server is read-only",
            None,
        )
    } else {
        route(&shared, &path, &query, &accept)
    };
    lock(&shared.requests).push(RecordedRequest {
        method: method.to_string(),
        path,
        query,
        accept,
        status: response.status().as_u16(),
    });
    response
}

fn route(shared: &Arc<Shared>, path: &str, query: &str, accept: &str) -> Response {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let discovery = |body: Value| match negotiate(accept, false) {
        Some(_) => json_response(&body),
        None => not_acceptable(),
    };
    match segments.as_slice() {
        ["version"] => discovery(api::version(&shared.options.git_version)),
        ["api"] => discovery(api::core_versions(shared.addr)),
        ["apis"] => discovery(api::group_list(&lock(&shared.store).catalog)),
        ["api", "v1"] => discovery(api::resource_list(&lock(&shared.store).catalog, "", "v1")),
        ["apis", group] => {
            let body = api::group(&lock(&shared.store).catalog, group);
            match body {
                Some(b) => discovery(b),
                None => not_found(path),
            }
        }
        ["apis", group, version] => {
            let catalog = &lock(&shared.store).catalog;
            if catalog
                .group_versions()
                .iter()
                .any(|(g, v)| g == group && v == version)
            {
                discovery(api::resource_list(catalog, group, version))
            } else {
                not_found(path)
            }
        }
        ["api", "v1", rest @ ..] => resource_request(shared, "", "v1", rest, query, accept, path),
        ["apis", group, version, rest @ ..] => {
            resource_request(shared, group, version, rest, query, accept, path)
        }
        // `/openapi/v2`, `/openapi/v3`, `/healthz`...: not implemented, answered as a server without
        // them would, so that clients fall back.
        _ => not_found(path),
    }
}

fn resource_request(
    shared: &Arc<Shared>,
    group: &str,
    version: &str,
    rest: &[&str],
    query: &str,
    accept: &str,
    path: &str,
) -> Response {
    let (namespace, plural, name) = match rest {
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        _ => return not_found(path),
    };
    let Some(index) = lock(&shared.store).catalog.find(group, version, plural) else {
        return not_found(path);
    };
    let resource = lock(&shared.store).catalog.resources()[index].clone();
    if namespace.is_some() && !resource.namespaced {
        return not_found(path);
    }
    let is_watch = matches!(
        api::query_param(query, "watch").as_deref(),
        Some("true" | "1")
    );
    let verb = match (name, is_watch) {
        (_, true) => "watch",
        (Some(_), false) => "get",
        (None, false) => "list",
    };
    let qualified = resource.qualified();
    if shared.options.forbidden.contains(&qualified) {
        let scope = match namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".into(),
        };
        let message = format!(
            "{qualified} is forbidden: User \"system:serviceaccount:kubeward:scanner\" cannot {verb} \
             resource \"{plural}\" in API group \"{group}\" {scope}",
            plural = resource.plural,
        );
        return status(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &message,
            Some(json!({"group": group, "kind": resource.plural})),
        );
    }
    let fault = {
        let mut faults = lock(&shared.faults);
        let position = faults.iter().position(|f| f.resource == qualified);
        position.map(|p| faults.remove(p))
    };
    if let Some(fault) = fault {
        let code = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let reason = if code == StatusCode::TOO_MANY_REQUESTS {
            "TooManyRequests"
        } else {
            "ServiceUnavailable"
        };
        let mut response = status(code, reason, "please try again later", None);
        if let Some(seconds) = fault.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let Some(media) = negotiate(accept, true) else {
        return not_acceptable();
    };
    let store = &shared.store;
    match (name, is_watch) {
        (_, true) => watch::watch(shared.clone(), index, namespace, query, media),
        (Some(name), false) => {
            let found = lock(store).objects[index]
                .get(&(namespace.unwrap_or("").to_string(), name.to_string()))
                .map(|s| s.object.clone());
            match found {
                Some(object) if media == Media::Json => json_response(&object),
                Some(object) => with_type(
                    Body::from(
                        json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                               "metadata": object["metadata"]})
                        .to_string(),
                    ),
                    media.content_type(),
                ),
                None => status(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    &format!("{qualified} \"{name}\" not found"),
                    Some(json!({"name": name, "group": group, "kind": resource.plural})),
                ),
            }
        }
        (None, false) => match api::list(&lock(store), index, namespace, query, media) {
            Ok(body) => with_type(Body::from(body), media.content_type()),
            Err(api::ListError::BadFieldSelector) => status(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "invalid field selector",
                None,
            ),
            Err(api::ListError::BadContinue) => status(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "invalid value for continue",
                None,
            ),
            Err(api::ListError::TooLargeResourceVersion(rv)) => status(
                StatusCode::GATEWAY_TIMEOUT,
                "Timeout",
                &format!("Too large resource version: {rv}"),
                None,
            ),
        },
    }
}

pub(crate) fn with_type(body: Body, content_type: &'static str) -> Response {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn json_response(value: &Value) -> Response {
    with_type(Body::from(value.to_string()), "application/json")
}

/// A `metav1.Status` failure, as every API server error is.
pub(crate) fn status(
    code: StatusCode,
    reason: &str,
    message: &str,
    details: Option<Value>,
) -> Response {
    let mut body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code.as_u16(),
    });
    if let Some(d) = details {
        body["details"] = d;
    }
    let mut response = json_response(&body);
    *response.status_mut() = code;
    response
}

fn not_found(path: &str) -> Response {
    status(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("the server could not find the requested resource ({path})"),
        None,
    )
}

fn not_acceptable() -> Response {
    status(
        StatusCode::NOT_ACCEPTABLE,
        "NotAcceptable",
        "only the following media types are accepted: application/json, \
         application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
        None,
    )
}
