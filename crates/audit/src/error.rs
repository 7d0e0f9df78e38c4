//! Errors of the audit crate. Bad lines are not errors: they are counted in [`crate::Stats`].

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the audit input")]
    Stream(#[source] std::io::Error),
    #[error("a worker thread stopped unexpectedly")]
    Worker,
}
