//! `HOST`: nodes as the Kubernetes API shows them (Node objects), without access to the node itself.

pub(crate) mod mutable_general_purpose_os;
pub(crate) mod node_public_address;
