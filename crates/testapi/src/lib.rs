//! A fake Kubernetes API server for tests and benchmarks, faithful to the protocol where clients
//! depend on it: discovery (`/api`, `/apis`, `/apis/GROUP/VERSION`, `/version`), LIST with
//! `limit`/`continue`/`resourceVersion` and items without `kind`/`apiVersion`, `PartialObjectMetadata`
//! content negotiation, WATCH with bookmarks, `metav1.Status` errors, TLS with its own CA, and
//! bearer-token authentication. It can refuse one resource (403) and throttle once (429 with
//! `Retry-After`), and it records every request so tests can prove what a client asked for.
//!
//! What it does not implement it refuses as an older server would (404 for OpenAPI, 406 for Table,
//! protobuf and aggregated discovery when no fallback is offered), so clients take their fallbacks.

mod api;
pub mod catalog;
mod negotiate;
mod server;
pub mod store;
mod tls;
mod watch;

pub use catalog::{Catalog, Resource};
pub use negotiate::{Media, negotiate};
pub use server::{Fault, Options, RecordedRequest, TestApi};
pub use store::{Rejected, Store};
