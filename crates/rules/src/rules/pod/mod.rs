//! `POD`: pod and container security.

pub(crate) mod all_capabilities_added;
pub(crate) mod capabilities_added;
mod capability_set;
pub(crate) mod host_namespaces;
pub(crate) mod host_path_volume;
mod host_paths;
pub(crate) mod namespace_pod_security_not_enforced;
pub(crate) mod net_raw_not_dropped;
pub(crate) mod privilege_escalation_allowed;
pub(crate) mod privileged_container;
pub(crate) mod process_namespace_shared;
pub(crate) mod read_only_root_filesystem;
pub(crate) mod runs_as_root;
pub(crate) mod runs_as_root_group;
pub(crate) mod runtime_socket_mounted;
pub(crate) mod sensitive_host_path;
pub(crate) mod sys_admin_capability_added;
pub(crate) mod workload_in_default_namespace;
pub(crate) mod writable_host_mount;
