//! Every rule, once. Adding a rule means one line in [`RULES`].

use kubeward_diagnostics::Severity;
use kubeward_model::{Inventory, Object, Workload};

use crate::context::Context;
use crate::rules;

/// What a rule inspects, and so how the engine calls it.
#[derive(Clone, Copy)]
pub enum Check {
    /// Called once per pod-bearing object (Pod, Deployment, CronJob, …) with its pod spec view.
    Workload(fn(&mut Context<'_>, &Workload<'_>)),
    /// Called once per object of the listed kinds.
    Object(&'static [&'static str], fn(&mut Context<'_>, &Object)),
    /// Called once per scan with every object (cross-object rules).
    Inventory(fn(&mut Context<'_>, &Inventory)),
    /// Raised by the engine itself (input problems, suppressions).
    Engine,
}

/// What a rule inspects, for documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Workloads,
    Kinds(&'static [&'static str]),
    Inventory,
    Input,
}

/// Whether a rule offers fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// Rule areas (the letters of the ID), see DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Area {
    POD,
    IMG,
    RBAC,
    SA,
    NET,
    SEC,
    RES,
    CP,
    ETCD,
    KLT,
    HOST,
    VER,
    AUD,
    PATH,
    KW,
}

impl Area {
    pub const ALL: [Area; 15] = [
        Area::POD,
        Area::IMG,
        Area::RBAC,
        Area::SA,
        Area::NET,
        Area::SEC,
        Area::RES,
        Area::CP,
        Area::ETCD,
        Area::KLT,
        Area::HOST,
        Area::VER,
        Area::AUD,
        Area::PATH,
        Area::KW,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            Area::POD => "POD",
            Area::IMG => "IMG",
            Area::RBAC => "RBAC",
            Area::SA => "SA",
            Area::NET => "NET",
            Area::SEC => "SEC",
            Area::RES => "RES",
            Area::CP => "CP",
            Area::ETCD => "ETCD",
            Area::KLT => "KLT",
            Area::HOST => "HOST",
            Area::VER => "VER",
            Area::AUD => "AUD",
            Area::PATH => "PATH",
            Area::KW => "KW",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Area::POD => "Pod and container security",
            Area::IMG => "Images and supply chain",
            Area::RBAC => "RBAC",
            Area::SA => "Service accounts",
            Area::NET => "Network exposure and NetworkPolicy",
            Area::SEC => "Secrets and data",
            Area::RES => "Quotas and limits",
            Area::CP => "Control plane",
            Area::ETCD => "etcd",
            Area::KLT => "Kubelet",
            Area::HOST => "Node operating system",
            Area::VER => "Versions and CVEs",
            Area::AUD => "Audit-log detections",
            Area::PATH => "Attack paths",
            Area::KW => "kubeward itself (input and configuration)",
        }
    }

    /// The area of a rule ID (`POD001` → POD).
    pub fn of_id(id: &str) -> Option<Area> {
        let letters = id.trim_end_matches(|c: char| c.is_ascii_digit());
        Area::ALL.into_iter().find(|a| a.prefix() == letters)
    }
}

/// A rule's identity and documentation. Declared with `declare_rule!` so that `docs` is the doc comment.
#[derive(Debug)]
pub struct RuleMeta {
    /// `<AREA><NNN>`, never reused.
    pub id: &'static str,
    /// Kebab-case name of the flagged pattern (`privileged-container`).
    pub name: &'static str,
    /// One line, for tables and SARIF `shortDescription`.
    pub title: &'static str,
    pub severity: Severity,
    /// Framework controls this rule evaluates (`cis:5.2.2`, `nsa:pod-security`, `pss:baseline`,
    /// `owasp:K01`). Resolved against the framework data by a meta-test.
    pub frameworks: &'static [&'static str],
    /// Equivalent checks in other tools, as `(tool, id)`, so users can migrate and compare.
    pub aliases: &'static [(&'static str, &'static str)],
    pub fix: FixAvailability,
    /// Rules that need configuration to mean anything (a registry allow-list) are off by default.
    pub default_enabled: bool,
    /// The rule's documentation: the doc comment, in Markdown.
    pub docs: &'static str,
}

impl RuleMeta {
    pub fn area(&self) -> Option<Area> {
        Area::of_id(self.id)
    }

    /// The docs with the one leading space of every `///` line removed.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The text of one `## Heading` section of the docs.
    pub fn section(&self, heading: &str) -> Option<String> {
        let docs = self.documentation();
        let start = docs.find(&format!("## {heading}\n"))? + heading.len() + 4;
        let rest = &docs[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }

    /// YAML blocks (```yaml fences) of a docs section.
    pub fn yaml_examples(&self, heading: &str) -> Vec<String> {
        let Some(section) = self.section(heading) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut rest = section.as_str();
        while let Some(start) = rest.find("```yaml\n") {
            let body = &rest[start + 8..];
            let Some(end) = body.find("```") else { break };
            out.push(body[..end].to_string());
            rest = &body[end + 3..];
        }
        out
    }
}

/// A rule: metadata and what to call.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Check,
}

impl Rule {
    pub fn target(&self) -> Target {
        match self.check {
            Check::Workload(_) => Target::Workloads,
            Check::Object(kinds, _) => Target::Kinds(kinds),
            Check::Inventory(_) => Target::Inventory,
            Check::Engine => Target::Input,
        }
    }

    /// Whether the rule reads objects of `kind`: what a forbidden kind leaves unevaluated, and what
    /// a change must touch for a cross-object rule to run again in watch mode.
    pub fn reads_kind(&self, kind: &str) -> bool {
        match self.target() {
            Target::Kinds(kinds) => kinds.contains(&kind),
            Target::Workloads => kubeward_model::is_pod_bearing(kind),
            Target::Inventory => {
                kubeward_model::is_pod_bearing(kind)
                    || cross_object_inputs(self.meta.id).is_none_or(|k| k.contains(&kind))
            }
            Target::Input => false,
        }
    }
}

/// The kinds a cross-object rule reads besides the pod-bearing kinds (they declare no kinds of their
/// own). `None`: any kind. By area, with the rules that read every object named.
fn cross_object_inputs(rule_id: &str) -> Option<&'static [&'static str]> {
    // Annotations and apiVersions of every object.
    if matches!(rule_id, "SEC005" | "VER005") {
        return None;
    }
    let area: String = rule_id
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    Some(match area.as_str() {
        "RBAC" | "SA" => &[
            "Role",
            "ClusterRole",
            "RoleBinding",
            "ClusterRoleBinding",
            "ServiceAccount",
            "Secret",
            "Namespace",
        ],
        "NET" => &[
            "Service",
            "NetworkPolicy",
            "Ingress",
            "Namespace",
            "ConfigMap",
            "Gateway",
            "HTTPRoute",
            "GRPCRoute",
            "TLSRoute",
            "CiliumNetworkPolicy",
            "CiliumClusterwideNetworkPolicy",
            "GlobalNetworkPolicy",
        ],
        "SEC" => &["Secret", "ConfigMap", "ServiceAccount"],
        "RES" => &[
            "ResourceQuota",
            "LimitRange",
            "Namespace",
            "PodDisruptionBudget",
        ],
        // The cluster description (a snapshot's cluster.json) carries the API server's version.
        "VER" => &["Node", "ClusterSnapshot"],
        _ => return None,
    })
}

macro_rules! rule {
    ($module:path, $check:expr) => {{
        use $module as m;
        Rule {
            meta: &m::RULE,
            check: $check,
        }
    }};
}

/// Every rule, in ID order.
pub static RULES: &[Rule] = &[
    rule!(rules::pod::privileged_container, Check::Workload(m::check)),
    rule!(
        rules::pod::privilege_escalation_allowed,
        Check::Workload(m::check)
    ),
    rule!(rules::pod::runs_as_root, Check::Workload(m::check)),
    rule!(rules::pod::host_namespaces, Check::Workload(m::check)),
    rule!(rules::pod::host_path_volume, Check::Workload(m::check)),
    rule!(rules::pod::capabilities_added, Check::Workload(m::check)),
    rule!(
        rules::pod::read_only_root_filesystem,
        Check::Workload(m::check)
    ),
    rule!(
        rules::pod::runtime_socket_mounted,
        Check::Workload(m::check)
    ),
    rule!(rules::pod::sensitive_host_path, Check::Workload(m::check)),
    rule!(rules::pod::net_raw_not_dropped, Check::Workload(m::check)),
    rule!(
        rules::pod::sys_admin_capability_added,
        Check::Workload(m::check)
    ),
    rule!(
        rules::pod::all_capabilities_added,
        Check::Workload(m::check)
    ),
    rule!(
        rules::pod::process_namespace_shared,
        Check::Workload(m::check)
    ),
    rule!(rules::pod::runs_as_root_group, Check::Workload(m::check)),
    rule!(
        rules::pod::workload_in_default_namespace,
        Check::Workload(m::check)
    ),
    rule!(
        rules::pod::namespace_pod_security_not_enforced,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(rules::pod::writable_host_mount, Check::Workload(m::check)),
    rule!(rules::pod::host_port, Check::Workload(m::check)),
    rule!(rules::pod::apparmor_unconfined, Check::Workload(m::check)),
    rule!(
        rules::pod::selinux_options_forbidden,
        Check::Workload(m::check)
    ),
    rule!(rules::pod::unmasked_proc_mount, Check::Workload(m::check)),
    rule!(rules::pod::seccomp_unconfined, Check::Workload(m::check)),
    rule!(rules::pod::forbidden_sysctl, Check::Workload(m::check)),
    rule!(rules::pod::windows_host_process, Check::Workload(m::check)),
    rule!(rules::pod::probe_targets_host, Check::Workload(m::check)),
    rule!(
        rules::pod::volume_type_not_allowed,
        Check::Workload(m::check)
    ),
    rule!(rules::pod::pss_run_as_non_root, Check::Workload(m::check)),
    rule!(rules::pod::run_as_user_zero, Check::Workload(m::check)),
    rule!(
        rules::pod::seccomp_profile_missing,
        Check::Workload(m::check)
    ),
    rule!(
        rules::pod::capabilities_not_dropped,
        Check::Workload(m::check)
    ),
    rule!(rules::img::image_tag_mutable, Check::Workload(m::check)),
    rule!(rules::img::registry_not_allowed, Check::Workload(m::check)),
    rule!(
        rules::img::image_not_pinned_by_digest,
        Check::Workload(m::check)
    ),
    rule!(
        rules::img::image_pull_policy_not_always,
        Check::Workload(m::check)
    ),
    rule!(rules::img::cryptominer_image, Check::Workload(m::check)),
    rule!(rules::img::cryptominer_arguments, Check::Workload(m::check)),
    rule!(rules::rbac::cluster_admin_bound, Check::Inventory(m::check)),
    rule!(
        rules::rbac::wildcard_permissions,
        Check::Inventory(m::check)
    ),
    rule!(rules::rbac::secrets_readable, Check::Inventory(m::check)),
    rule!(rules::rbac::pod_create_allowed, Check::Inventory(m::check)),
    rule!(rules::rbac::pod_exec_allowed, Check::Inventory(m::check)),
    rule!(rules::rbac::pod_attach_allowed, Check::Inventory(m::check)),
    rule!(
        rules::rbac::pod_port_forward_allowed,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::rbac::ephemeral_containers_allowed,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::rbac::role_escalate_allowed,
        Check::Inventory(m::check)
    ),
    rule!(rules::rbac::role_bind_allowed, Check::Inventory(m::check)),
    rule!(
        rules::rbac::impersonation_allowed,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::rbac::service_account_token_create,
        Check::Inventory(m::check)
    ),
    rule!(rules::rbac::nodes_proxy_allowed, Check::Inventory(m::check)),
    rule!(rules::rbac::csr_approval, Check::Inventory(m::check)),
    rule!(
        rules::rbac::admission_webhook_write,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::rbac::persistent_volume_create,
        Check::Inventory(m::check)
    ),
    rule!(rules::rbac::anonymous_grant, Check::Inventory(m::check)),
    rule!(
        rules::rbac::authenticated_group_grant,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::rbac::default_service_account_bound,
        Check::Inventory(m::check)
    ),
    rule!(rules::rbac::dangling_binding, Check::Inventory(m::check)),
    rule!(
        rules::rbac::missing_service_account_bound,
        Check::Inventory(m::check)
    ),
    rule!(rules::rbac::role_never_bound, Check::Inventory(m::check)),
    rule!(
        rules::rbac::service_account_token_secret,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::rbac::privilege_escalation_path,
        Check::Inventory(m::check)
    ),
    rule!(rules::sa::token_automounted, Check::Inventory(m::check)),
    rule!(
        rules::sa::default_service_account_used,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::sa::default_service_account_automounts,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::namespace_without_network_policy,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::service_load_balancer,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::service_node_port,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::service_external_ips,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::load_balancer_source_ranges_open,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::ingress_without_tls,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::ingress_nginx_snippet,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(rules::net::admin_ui_deployed, Check::Workload(m::check)),
    rule!(rules::net::admin_ui_exposed, Check::Inventory(m::check)),
    rule!(
        rules::net::namespace_without_default_deny_ingress,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::namespace_without_default_deny_egress,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::workload_without_network_policy,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::network_policy_allows_all_ingress,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::network_policy_allows_all_egress,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::egress_to_any_address,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::egress_to_cloud_metadata,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::net::network_policy_selects_no_pods,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::namespace_selector_matches_nothing,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::sensitive_namespace_reachable,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::service_selects_no_pods,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::route_to_missing_service,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::service_exposes_control_plane_port,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::net::exposed_workload_not_baseline,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::sec::credential_in_config_map,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(rules::sec::secret_in_environment, Check::Workload(m::check)),
    rule!(
        rules::sec::credential_in_environment,
        Check::Workload(m::check)
    ),
    rule!(
        rules::sec::secret_manifest_with_data,
        Check::Object(m::KINDS, m::check)
    ),
    rule!(
        rules::sec::credential_in_annotation,
        Check::Inventory(m::check)
    ),
    rule!(rules::res::requests_missing, Check::Inventory(m::check)),
    rule!(rules::res::memory_limit_missing, Check::Inventory(m::check)),
    rule!(rules::res::cpu_limit_missing, Check::Inventory(m::check)),
    rule!(
        rules::res::namespace_without_resource_quota,
        Check::Inventory(m::check)
    ),
    rule!(
        rules::res::namespace_without_limit_range,
        Check::Inventory(m::check)
    ),
    rule!(rules::ver::end_of_life, Check::Inventory(m::check)),
    rule!(
        rules::ver::end_of_standard_support,
        Check::Inventory(m::check)
    ),
    rule!(rules::ver::kubelet_version_skew, Check::Inventory(m::check)),
    rule!(
        rules::ver::known_vulnerable_version,
        Check::Inventory(m::check)
    ),
    rule!(rules::ver::removed_api_version, Check::Inventory(m::check)),
    rule!(
        rules::host::mutable_general_purpose_os,
        Check::Inventory(m::check)
    ),
    rule!(rules::host::node_public_address, Check::Inventory(m::check)),
    rule!(
        rules::cp::control_plane_flag_insecure,
        Check::Inventory(m::check)
    ),
    rule!(rules::kw::invalid_yaml, Check::Engine),
    rule!(rules::kw::input_limit_exceeded, Check::Engine),
    rule!(rules::kw::unreadable_input, Check::Engine),
    rule!(rules::kw::duplicate_key, Check::Engine),
    rule!(rules::kw::renderer_unavailable, Check::Engine),
    rule!(rules::kw::not_a_kubernetes_object, Check::Engine),
    rule!(rules::kw::invalid_suppression, Check::Engine),
    rule!(rules::kw::expired_suppression, Check::Engine),
    rule!(rules::kw::unused_suppression, Check::Engine),
];

/// Looks a rule up by ID or name (case-insensitive ID).
pub fn find(id_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.id.eq_ignore_ascii_case(id_or_name) || r.meta.name == id_or_name)
}

/// Metadata of a rule by exact ID (for engine-raised rules).
pub(crate) fn meta(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.meta.id == id).map(|r| r.meta)
}
