//! `VER`: versions — APIs and components that block or lag behind Kubernetes upgrades.

pub(crate) mod removed_api_version;
