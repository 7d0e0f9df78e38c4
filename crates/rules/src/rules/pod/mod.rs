//! `POD`: pod and container security.

pub(crate) mod capabilities_added;
pub(crate) mod host_namespaces;
pub(crate) mod host_path_volume;
pub(crate) mod privilege_escalation_allowed;
pub(crate) mod privileged_container;
pub(crate) mod runs_as_root;
