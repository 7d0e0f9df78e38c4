//! `NET`: network exposure and NetworkPolicy.

mod admin_ui;
pub(crate) mod admin_ui_deployed;
pub(crate) mod admin_ui_exposed;
mod egress_blocks;
pub(crate) mod egress_to_any_address;
pub(crate) mod egress_to_cloud_metadata;
pub(crate) mod exposed_workload_not_baseline;
pub(crate) mod ingress_nginx_snippet;
pub(crate) mod ingress_without_tls;
pub(crate) mod load_balancer_source_ranges_open;
pub(crate) mod namespace_selector_matches_nothing;
pub(crate) mod namespace_without_default_deny_egress;
pub(crate) mod namespace_without_default_deny_ingress;
pub(crate) mod namespace_without_network_policy;
mod network_policy_allows_all;
pub(crate) mod network_policy_allows_all_egress;
pub(crate) mod network_policy_allows_all_ingress;
pub(crate) mod network_policy_selects_no_pods;
mod policy_analysis;
pub(crate) mod route_to_missing_service;
pub(crate) mod sensitive_namespace_reachable;
pub(crate) mod service_exposes_control_plane_port;
pub(crate) mod service_external_ips;
pub(crate) mod service_load_balancer;
pub(crate) mod service_node_port;
pub(crate) mod service_selects_no_pods;
pub(crate) mod workload_without_network_policy;
