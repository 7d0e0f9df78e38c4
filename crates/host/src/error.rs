//! The crate's error type. Unreadable or malformed *scanned* files are not errors: they are recorded as
//! [`crate::CollectIssue`]s and the scan goes on. Errors are for things the caller asked for directly
//! (a root that does not exist, a CVE database file that cannot be loaded).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("node root `{}` is not a readable directory", path.display())]
    Root {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a valid data file (CVE database or release list)", path.display())]
    DataFile {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("embedded {what} data is malformed")]
    EmbeddedData {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write the report")]
    Write(#[source] std::io::Error),
}
