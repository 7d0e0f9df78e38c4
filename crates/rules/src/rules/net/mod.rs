//! `NET`: network exposure and NetworkPolicy.

mod admin_ui;
pub(crate) mod admin_ui_deployed;
pub(crate) mod admin_ui_exposed;
pub(crate) mod exposure;
pub(crate) mod ingress_nginx_snippet;
pub(crate) mod ingress_without_tls;
pub(crate) mod load_balancer_source_ranges_open;
pub(crate) mod namespace_without_network_policy;
pub(crate) mod service_external_ips;
pub(crate) mod service_load_balancer;
pub(crate) mod service_node_port;
