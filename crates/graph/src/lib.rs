//! The risk map of kubeward: what an attacker can reach from where, and why.
//!
//! [`RiskGraph::build`] turns an [`Inventory`](kubeward_model::Inventory), the scan's findings and
//! the RBAC engine's answers into a directed graph of typed nodes ([`NodeKind`]) and typed edges
//! ([`EdgeKind`]), each edge carrying its [`Evidence`]: the field, grant or finding that creates
//! it. On that map, [`RiskGraph::attack_paths`] finds the cheapest paths from entry points
//! (the internet, any pod, one workload) to targets (cluster-admin power, Secrets, nodes, the
//! metadata endpoint, one object) and the single fixes that cut the most of them, and
//! [`risk_scores`] ranks findings by severity × exposure × blast radius (`docs/risk.md`). Configured
//! asset groups become [`CrownJewel`]s: path targets (`group:NAME`) and a weight on blast radius.
//!
//! The crate does no I/O. Network edges come from [`Reachability`], the NetworkPolicy engine
//! (`kubeward-netpol`) compiled once over the inventory; without it the network is assumed flat,
//! and every path report says so ([`FLAT_NETWORK_NOTE`]).
//!
//! # Edges
//!
//! | edge | from → to, and when | evidence |
//! |---|---|---|
//! | `exposed-to-internet` | internet → Service of `type: LoadBalancer` without an internal-LB annotation, `NodePort`, or with `externalIPs`; → Ingress; → Gateway API route with a parent Gateway; → workload with `hostNetwork` or a `hostPort` | the type and ports / hosts / field; NET002–NET007, POD004, POD018 |
//! | `routes-to` | Ingress or route → Service named by a backend in the same namespace | backend and port |
//! | `selects` | Service → workload whose pod-template labels match the selector | the selector |
//! | `runs-as` | workload → ServiceAccount, when the token is mounted (pod, then account `automountServiceAccountToken`, default mounted; a projected token always) | the deciding field; SA001, SA003 |
//! | `granted` | ServiceAccount or Group → permission (one binding of one role in its scope) | binding, role, scope |
//! | `member-of` | ServiceAccount → Group `system:serviceaccounts`, `system:authenticated` (every account), `system:serviceaccounts:NS` (those of NS), when a binding names it | account and group |
//! | `can-read-secret` | permission → every Secret of the grant's namespace, or of every namespace for a ClusterRoleBinding, when the RBAC engine allows `get` or `list` secrets there | the grant; RBAC003 |
//! | `can-exec` | permission → every workload of the grant's namespace (or every namespace) when `create pods/exec` is allowed | the grant; RBAC005 |
//! | `can-create-pods` | permission → every ServiceAccount of the grant's namespace or every namespace (a new pod runs as any), and → any node unless Pod Security Admission enforces baseline/restricted in every namespace the grant covers | the grant; RBAC004 |
//! | `includes` | every Secret / workload / ServiceAccount of a namespace (or of every namespace) → each such object | the object |
//! | `can-escalate` | permission (first grant of the path) or ServiceAccount → cluster-admin, from the RBAC engine's escalation paths | the steps in words; RBAC024 |
//! | `mounts` | workload → Secret / ConfigMap (volume, projected volume, `env`, `envFrom`) or hostPath directory | volume or variable; SEC002, POD005/009/017 |
//! | `authenticates-as` | service-account-token Secret → its ServiceAccount | the annotation; RBAC023 |
//! | `escapes-to-node` | workload → node: privileged container, `hostPID`, `hostNetwork`, added ALL/SYS_ADMIN/SYS_PTRACE/SYS_MODULE/DAC_READ_SEARCH/SYS_RAWIO/BPF; hostPath directory → node | the field; POD001, POD004, POD006, POD011, POD012 |
//! | `node-holds` | node → ServiceAccount tokens and Secrets of pods that may run there (pinned by `nodeName`; unpinned pods on any node) | which pod |
//! | `can-reach` | workload → Service it may connect to: some port allowed by the workload's egress and a selected pod's ingress. When both sides let every pod through, workload → pod network → Service; flat network (no engine): every workload → pod network → every Service | the policies and rules of both sides, or that none selects the pod |
//! | `can-reach-metadata` | workload → metadata endpoint when its egress allows 169.254.169.254; flat: unless a default-deny egress NetworkPolicy selects the pod | the egress rule, or that none selects the pod |
//!
//! Every edge costs 1 in path search except `can-reach` (3): reaching a pod is not owning it; and
//! `member-of` and `includes` (0), which only name the members of a group or of a grant's reach.
//! Grants point at those collection nodes instead of at each object so that the map stays linear
//! in objects plus grants: a cluster-wide grant is one edge, not one per Secret.

mod build;
mod groups;
mod model;
mod paths;
mod reach;
pub mod render;
mod risk;

pub use build::{GraphInput, RiskGraph};
pub use groups::{CrownJewel, ObjectKey, criticality_weight, object_key};
pub use model::{Collection, Edge, EdgeKind, Evidence, GraphNode, NodeFinding, NodeKind};
pub use paths::{
    AttackPath, Cut, Entry, MAX_EXPANSIONS, NotInGraph, PathReport, PathStep, Target,
    UnknownEndpoint,
};
pub use reach::{FLAT_NETWORK_NOTE, Reachability};
pub use risk::{
    BlastRadius, Exposure, JewelReached, MAX_BLAST, MAX_SCORE, RiskContext, RiskScore, risk_scores,
    risk_scores_with, severity_factor,
};
