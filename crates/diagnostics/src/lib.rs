//! The vocabulary every kubeward crate shares: where something is ([`Span`], [`Location`]), how bad it is
//! ([`Severity`]), what was found ([`Finding`]) and how to repair it ([`Fix`]).
//!
//! This crate has no logic beyond ordering and formatting so that rules, reporters, the store and the server
//! can all depend on it without pulling each other in.

mod finding;
mod fix;
mod location;
mod severity;

pub use finding::{Finding, ObjectRef, Suppression, SuppressionSource};
pub use fix::{Applicability, Edit, Fix, PathSegment, json_pointer as fix_pointer};
pub use location::{Location, Pos, SourceId, Span};
pub use severity::{ParseSeverityError, Severity};
