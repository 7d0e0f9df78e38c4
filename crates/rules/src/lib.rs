//! The rules and the engine that runs them.
//!
//! A rule is one file under `rules/<area>/`: its doc comment is its documentation, its metadata says
//! which objects it inspects, and its check function reports [`Finding`](kubeward_diagnostics::Finding)s
//! through a [`Context`]. The [`registry`] lists every rule once. The [`engine`] runs the selected rules
//! over an [`Inventory`](kubeward_model::Inventory) on all cores, then applies severity overrides and
//! suppressions. Rules never print; reporters never judge.

#[macro_use]
mod macros;

pub mod config;
mod context;
pub mod date;
pub mod docs;
pub mod engine;
pub mod groups;
pub mod incremental;
pub mod input;
pub mod pipeline;
pub mod registry;
mod rules;
pub mod runs;
pub mod selection;
pub mod settings;
mod suppress;

pub use config::{Config, ConfigError};
pub use context::{Context, Shared};
pub use engine::{Engine, ScanResult};
pub use incremental::{Incremental, Reuse};
pub use pipeline::{Scan, scan_loaded, scan_loaded_incremental};
pub use registry::{Area, Check, FixAvailability, Rule, RuleMeta, Target};
/// The scanned objects as RBAC engine input, shared with `kubeward rbac` so queries and rules agree.
pub use rules::rbac::input::{Converted as RbacConverted, rbac_input};
pub use runs::{RuleRun, rule_runs};
pub use selection::{Selection, SelectionError};
pub use settings::{Options, Settings};
