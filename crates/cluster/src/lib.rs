//! Live, read-only collection of a cluster's objects, and snapshots of them.
//!
//! kubeward connects as kubectl does ([`connect`]), discovers which of the resources its rules need
//! are served ([`kinds::WANTED`]), and LISTs each one cluster-wide in pages: the number of requests
//! grows with the number of kinds, not of namespaces. Secrets are read as metadata only
//! (`PartialObjectMetadataList`), never their data. Each resource becomes one `List` document —
//! the text the scanner parses and what a snapshot stores — so a live object, a snapshot and a
//! manifest file get the same verdict from the same engine. A resource that cannot be read (403)
//! is reported in the coverage, never skipped silently.
//!
//! This is the only crate with a Kubernetes client; it never writes to the cluster.

mod collect;
pub mod connect;
pub mod discovery;
mod http;
pub mod kinds;
pub mod meta;
pub mod snapshot;
pub mod watch;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use collect::{CollectOptions, Collection, collect, collect_blocking};
pub use connect::ConnectOptions;
pub use discovery::ApiResource;
pub use meta::{ClusterMeta, NodeInfo};

/// The collected objects of one resource.
#[derive(Debug, Clone)]
pub struct KindList {
    pub resource: ApiResource,
    /// A `List` document, one item per line, items with their `apiVersion` and `kind`.
    pub text: String,
    pub objects: usize,
    /// Objects not kept because a controller made them from a template another object holds.
    pub skipped_owned: usize,
    pub nodes: Vec<NodeInfo>,
}

impl KindList {
    /// The source name findings show for objects of this list: `cluster://apps/v1/deployments`.
    pub fn source_name(&self) -> String {
        format!(
            "cluster://{}/{}",
            self.resource.api_version(),
            self.resource.plural
        )
    }
}

/// Whether and how much of one resource was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KindReport {
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub kind: String,
    pub plural: String,
    /// An add-on resource (Gateway API, Cilium, Calico): not being served is normal.
    pub optional: bool,
    pub status: KindStatus,
    pub objects: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "message")]
pub enum KindStatus {
    Collected,
    /// 403: the credentials may not list it.
    Forbidden(String),
    /// The cluster does not serve it.
    NotServed,
    /// Not asked for (`--no-secrets`).
    Skipped(String),
    /// Could not be read for another reason (after retries).
    Failed(String),
}

impl KindStatus {
    /// Whether rules that need this resource could not be evaluated.
    pub fn is_gap(&self) -> bool {
        matches!(self, KindStatus::Forbidden(_) | KindStatus::Failed(_))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the kubeconfig ({what})")]
    Kubeconfig {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("no kubeconfig found (KUBECONFIG, ~/.kube/config), so --context cannot be used")]
    NoKubeconfig,
    #[error("no kubeconfig found and not running in a cluster")]
    InCluster(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("cannot create the Kubernetes client")]
    Client(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the API server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the API server refused the credentials (401): {0}")]
    Unauthorized(String),
    #[error("API discovery failed: {0}")]
    Discovery(String),
    #[error("collection did not finish within {0:?} (raise --timeout)")]
    Timeout(Duration),
    #[error("{0}")]
    Runtime(String),
    #[error("cannot write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
