//! `RES`: requests, limits, quotas — the bounds that keep one workload (or one intruder's
//! cryptominer) from taking a node or a namespace's share of the cluster.

pub(crate) mod cpu_limit_missing;
pub(crate) mod memory_limit_missing;
pub(crate) mod namespace_without_limit_range;
pub(crate) mod namespace_without_resource_quota;
pub(crate) mod requests_missing;
mod resources;
