//! Typed, read-only views over loaded documents.
//!
//! [`Object`]s are built from documents (`*List` kinds expanded, each item keeping its own position) and
//! collected in an [`Inventory`] indexed by kind, namespace and name. [`Workload`] normalises every
//! pod-bearing kind to its pod spec so that no rule forgets CronJobs, init or ephemeral containers, and
//! answers effective security-context questions with Kubernetes' override semantics.

mod image;
mod inventory;
mod kinds;
mod object;
mod selector;
mod views;
mod workload;

pub use image::ImageRef;
pub use inventory::Inventory;
pub use kinds::{is_cluster_scoped, is_pod_bearing};
pub use object::{NotAnObject, Object, objects_from_documents};
pub use selector::{LabelSelector, Requirement, SelectorError, labels_of};
pub use views::{
    Binding, DataObject, Ingress, IngressBackend, LimitRange, Namespace, NetworkPolicy, Port,
    ResourceQuota, RoleRule, Service, ServiceAccount, Subject,
};
pub use workload::{Container, ContainerKind, Level, Workload};
