//! `NET`: network exposure and NetworkPolicy.

pub(crate) mod namespace_without_network_policy;
