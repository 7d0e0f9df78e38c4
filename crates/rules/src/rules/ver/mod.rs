//! `VER`: versions — APIs and components that block or lag behind Kubernetes upgrades.

mod components;
pub(crate) mod end_of_life;
pub(crate) mod end_of_standard_support;
pub(crate) mod known_vulnerable_version;
pub(crate) mod kubelet_version_skew;
pub(crate) mod removed_api_version;
mod support;
