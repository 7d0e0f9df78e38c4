//! Kubernetes API server audit logs, read fast, turned into few, well-explained alerts.
//!
//! - Input: [`Event`] (`audit.k8s.io/v1` and `v1beta1`) borrowed from JSON lines; [`scan_paths`] and
//!   [`scan_reader`] stream files, gzip'd rotations, directories and stdin on several threads with
//!   flat memory; [`Follower`] tails a growing log across rotation; [`Analyzer::feed_event_list`]
//!   takes the webhook backend's `EventList` batches.
//! - Detection: one file per detector in `detectors/` (IDs `AUD001`...), pure functions of an event;
//!   [`Analyzer`] adds burst windows, deduplication with counts and the noise filters of
//!   [`AuditConfig`] and [`identity`].
//! - Output: [`Alert`] (one JSON line each), and in [`render`] a text summary, RFC 5424 syslog lines,
//!   generic webhook and Slack payloads.
//! - [`rbac`]: least-privilege Roles derived from what a subject was seen doing.
//!
//! Detectors do no I/O; only the scan and follow helpers read files.

mod alert;
mod analyzer;
mod config;
mod detectors;
mod error;
mod event;
mod follow;
pub mod identity;
pub mod rbac;
mod reader;
pub mod render;
mod scan;
mod stats;
mod time;

pub use alert::{Actor, Alert, DetectorMeta, Location, ObjectRef, Severity, Technique};
pub use analyzer::{Analyzer, Position};
pub use config::{AllowList, AuditConfig, Burst, Cidr, DEFAULT_SUSPICIOUS_USER_AGENTS, Seconds};
pub use detectors::{detector, detectors};
pub use error::AuditError;
pub use event::{Event, EventError, EventList, Level, Stage};
pub use follow::{FollowOptions, Follower, LineSink, PollOutcome};
pub use identity::{HEALTH_CHECK_PATHS, SYSTEM_GROUPS, SYSTEM_USERS};
pub use reader::{DEFAULT_MAX_LINE_BYTES, expand_paths, open_log};
pub use scan::{ScanOptions, scan_paths, scan_reader};
pub use stats::{Malformed, Stats, Unreadable};
pub use time::Timestamp;
