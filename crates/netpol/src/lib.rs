//! Kubernetes `networking.k8s.io/v1` NetworkPolicy semantics, for kubeward.
//!
//! [`Engine::build`] reads endpoints (one per workload pod template, one per bare Pod), namespaces
//! and policies from an [`Inventory`](kubeward_model::Inventory) and compiles each policy once: the
//! endpoints it selects and, per rule, the endpoints its peers match. Then:
//! - [`Engine::verdict`]: may SRC connect to DST (on a port)? with the policies and rules that allow
//!   it, or the isolation that blocks it;
//! - [`Engine::allows`] and [`Engine::matrix`]: the same answer as bit tests, for every pair;
//! - [`Engine::exposure`]: per endpoint, reachable from any pod, from other namespaces, from the
//!   internet.
//!
//! Semantics implemented exactly: isolation per direction only by a policy of that type selecting
//! the pod; `policyTypes` defaulting; the union of all policies; missing or empty `from`/`to` (every
//! peer) and `ports` (every port) versus an empty rule list (nothing); `podSelector` and
//! `namespaceSelector` alone and combined in one peer; the `kubernetes.io/metadata.name` namespace
//! label; `ipBlock` with `except`; TCP, UDP, SCTP; named ports resolved on the destination pod's
//! containers; `endPort`; host-network pods neither isolated nor matched by selectors. A connection
//! needs both the source's egress and the destination's ingress to allow a common port.
//!
//! Approximations (also in the user docs): a pod's IP is unknown in manifests, so an `ipBlock`
//! matches such a pod only when it covers every address and its `except`s leave the private ranges
//! pod networks use; Cilium and Calico policies are recognised for coverage ([`CniPolicy`]) but their
//! rules are not evaluated. The crate does no I/O.

mod bitset;
mod cidr;
mod cni;
mod endpoint;
mod engine;
mod exposure;
mod generate;
mod outside;
mod policy;
mod port;
mod query;
mod verdict;

pub use cidr::{Cidr, IpBlock, non_public_ranges};
pub use cni::CniPolicy;
pub use endpoint::{Endpoint, EndpointRef};
pub use engine::{Direction, Engine, NAMESPACE_NAME_LABEL, Target, Warning};
pub use exposure::Exposure;
pub use generate::{
    Exposed, Flow, FlowPort, Generated, ROUTE_KINDS, RouteBackend, Verification, generate,
    route_backends, to_yaml, verify,
};
pub use outside::{OutsideIndex, external_exposure, is_internal_load_balancer};
pub use policy::{Peer, Policy, Rule};
pub use port::{ContainerPort, PolicyPort, PortQuery, PortRange, PortRef, PortSet, Protocol};
pub use query::UnknownTarget;
pub use verdict::{RuleRef, SideVerdict, Verdict};
