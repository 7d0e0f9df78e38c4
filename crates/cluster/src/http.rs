//! GET requests with retries: 429 and 5xx answers and transport errors are retried with
//! exponential backoff, waiting at least what `Retry-After` asks; other errors are returned with
//! the message of the server's `metav1.Status`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http::{Request, StatusCode, header};
use kube::client::Body;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 403: the credentials may not do this.
    Forbidden(String),
    /// 404: the resource is not served.
    NotFound,
    /// 410: a continue token expired.
    Gone,
    /// Any other status, after retries for those that are retried.
    Status(u16, String),
    /// No answer (connection, TLS, timeout), after retries.
    Transport(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Forbidden(m) => write!(f, "forbidden: {m}"),
            Failure::NotFound => f.write_str("not found"),
            Failure::Gone => f.write_str("expired (410 Gone)"),
            Failure::Status(code, m) => write!(f, "HTTP {code}: {m}"),
            Failure::Transport(m) => f.write_str(m),
        }
    }
}

/// Counts requests, for the report and for tests of how many calls a scan makes.
#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicUsize,
    pub retries: AtomicUsize,
}

/// The requester: a kube client, retry policy and counters.
pub struct Http {
    pub client: kube::Client,
    pub max_retries: u32,
    pub initial_backoff: Duration,
    pub counters: Counters,
}

/// Retry-After is capped so that a confused server cannot stall a scan for hours.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl Http {
    /// GET `path_and_query` with `accept`; the body on 200.
    pub async fn get(&self, path_and_query: &str, accept: &str) -> Result<Vec<u8>, Failure> {
        let mut attempt = 0u32;
        loop {
            let request = Request::get(path_and_query)
                .header(header::ACCEPT, accept)
                .body(Body::empty())
                .map_err(|e| Failure::Transport(e.to_string()))?;
            self.counters.requests.fetch_add(1, Ordering::Relaxed);
            let backoff = self.initial_backoff * 2u32.saturating_pow(attempt);
            let (status, retry_after, body) = match self.client.send(request).await {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
                    match response.into_body().collect_bytes().await {
                        Ok(bytes) => (status, retry_after, bytes.to_vec()),
                        Err(e) => {
                            if attempt >= self.max_retries {
                                return Err(Failure::Transport(e.to_string()));
                            }
                            attempt += 1;
                            self.counters.retries.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(backoff).await;
                            continue;
                        }
                    }
                }
                Err(e) => {
                    if attempt >= self.max_retries {
                        return Err(Failure::Transport(e.to_string()));
                    }
                    attempt += 1;
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(backoff).await;
                    continue;
                }
            };
            if status == StatusCode::OK {
                return Ok(body);
            }
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if retryable && attempt < self.max_retries {
                attempt += 1;
                self.counters.retries.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(retry_after.map_or(backoff, |r| r.max(backoff))).await;
                continue;
            }
            let message = status_message(&body);
            return Err(match status {
                StatusCode::FORBIDDEN => Failure::Forbidden(message),
                StatusCode::NOT_FOUND => Failure::NotFound,
                StatusCode::GONE => Failure::Gone,
                _ => Failure::Status(status.as_u16(), message),
            });
        }
    }
}

/// The `message` of a `metav1.Status` body, or the start of whatever the body is.
fn status_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Status {
        message: Option<String>,
    }
    match serde_json::from_slice::<Status>(body) {
        Ok(Status {
            message: Some(message),
        }) => message,
        _ => String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    }
}
