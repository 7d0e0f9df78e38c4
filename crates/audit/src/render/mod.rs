//! Turning alerts into text for people and other systems. Pure functions and plain writers: the
//! transport (a socket, an HTTP client) belongs to the caller.

mod summary;
mod syslog;
mod webhook;

pub use summary::Summary;
pub use syslog::{SyslogOptions, syslog_line};
pub use webhook::{slack_payload, webhook_payload};
