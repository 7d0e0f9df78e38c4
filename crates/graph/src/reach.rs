//! Where `can-reach` edges come from: a pluggable network reachability source.
//!
//! Until the NetworkPolicy engine (`netpol`) is wired in, the builder is given no source and treats
//! the network as flat: every pod may connect to every Service and to the cloud metadata endpoint,
//! unless a default-deny egress NetworkPolicy selects the pod. Paths that use `can-reach` edges are
//! then an upper bound, and every output says so.

use kubeward_model::Object;

/// Answers network questions for the builder. Implemented by the NetworkPolicy engine.
pub trait Reachability {
    /// Whether pods of the workload `from` may open a connection to pods of the workload `to`, and
    /// if so why (the policies that allow it, or "no policy selects either pod").
    fn can_reach(&self, from: &Object, to: &Object) -> Option<String>;

    /// Whether pods of `from` may connect to 169.254.169.254, and if so why.
    fn can_reach_metadata(&self, from: &Object) -> Option<String>;
}

/// Wording every output carries while the network is assumed flat.
pub const FLAT_NETWORK_NOTE: &str = "network edges (can-reach, can-reach-metadata) assume no NetworkPolicy enforcement: every pod reaches every Service and the metadata endpoint unless a default-deny egress policy selects it; this is an upper bound until the NetworkPolicy engine is wired in";
