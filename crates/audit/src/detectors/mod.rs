//! The detectors: one file each, declared with `declare_detector!` and listed once in [`ALL`].
//!
//! A detector is a pure function of one event (and the configuration): it returns a [`Finding`] with
//! a message stating the facts, or nothing. Detectors that need a count over time (bursts) return a
//! finding with a [`BurstSpec`]; the analyzer keeps the window. No detector does I/O or keeps state,
//! which is what lets the analyzer run them on several threads.

use crate::alert::DetectorMeta;
use crate::config::{AuditConfig, Seconds, any_match};

use crate::event::Event;

/// Declares a detector's metadata and captures its doc comment as `docs`.
macro_rules! declare_detector {
    ($(#[doc = $doc:literal])+ $vis:vis static $name:ident = DetectorMeta { $($field:ident : $value:expr),* $(,)? };) => {
        $(#[doc = $doc])+
        $vis static $name: $crate::alert::DetectorMeta = $crate::alert::DetectorMeta {
            docs: concat!($($doc, "\n"),+),
            $($field: $value),*
        };
    };
}

mod admission_webhook_changed;
mod anonymous_request_allowed;
mod audit_events_deleted;
mod authentication_failure_burst;
mod authorization_denial_burst;
mod cluster_admin_binding;
mod credentials_in_configmap;
mod cryptominer_image;
mod csr_unexpected_identity;
mod ephemeral_container_added;
mod exposed_service_created;
mod impersonation_used;
mod node_proxy_access;
mod pod_exec;
mod privileged_pod_created;
mod risky_role_changed;
mod secret_read_unusual_identity;
mod secrets_listed_cluster_wide;
mod service_account_token_requested;
mod source_ip_outside_ranges;
mod untrusted_registry_image;
mod unusual_user_agent;
pub(crate) mod workload;
mod workload_in_kube_system;

/// A detector: metadata and its check.
pub(crate) struct Detector {
    pub meta: &'static DetectorMeta,
    pub check: fn(&Context, &Event<'_>) -> Option<Finding>,
}

/// Every detector, in ID order.
pub(crate) static ALL: &[Detector] = &[
    Detector {
        meta: &anonymous_request_allowed::DETECTOR,
        check: anonymous_request_allowed::check,
    },
    Detector {
        meta: &authentication_failure_burst::DETECTOR,
        check: authentication_failure_burst::check,
    },
    Detector {
        meta: &authorization_denial_burst::DETECTOR,
        check: authorization_denial_burst::check,
    },
    Detector {
        meta: &pod_exec::DETECTOR,
        check: pod_exec::check,
    },
    Detector {
        meta: &ephemeral_container_added::DETECTOR,
        check: ephemeral_container_added::check,
    },
    Detector {
        meta: &privileged_pod_created::DETECTOR,
        check: privileged_pod_created::check,
    },
    Detector {
        meta: &workload_in_kube_system::DETECTOR,
        check: workload_in_kube_system::check,
    },
    Detector {
        meta: &cluster_admin_binding::DETECTOR,
        check: cluster_admin_binding::check,
    },
    Detector {
        meta: &risky_role_changed::DETECTOR,
        check: risky_role_changed::check,
    },
    Detector {
        meta: &impersonation_used::DETECTOR,
        check: impersonation_used::check,
    },
    Detector {
        meta: &secret_read_unusual_identity::DETECTOR,
        check: secret_read_unusual_identity::check,
    },
    Detector {
        meta: &secrets_listed_cluster_wide::DETECTOR,
        check: secrets_listed_cluster_wide::check,
    },
    Detector {
        meta: &service_account_token_requested::DETECTOR,
        check: service_account_token_requested::check,
    },
    Detector {
        meta: &csr_unexpected_identity::DETECTOR,
        check: csr_unexpected_identity::check,
    },
    Detector {
        meta: &admission_webhook_changed::DETECTOR,
        check: admission_webhook_changed::check,
    },
    Detector {
        meta: &audit_events_deleted::DETECTOR,
        check: audit_events_deleted::check,
    },
    Detector {
        meta: &exposed_service_created::DETECTOR,
        check: exposed_service_created::check,
    },
    Detector {
        meta: &credentials_in_configmap::DETECTOR,
        check: credentials_in_configmap::check,
    },
    Detector {
        meta: &cryptominer_image::DETECTOR,
        check: cryptominer_image::check,
    },
    Detector {
        meta: &untrusted_registry_image::DETECTOR,
        check: untrusted_registry_image::check,
    },
    Detector {
        meta: &node_proxy_access::DETECTOR,
        check: node_proxy_access::check,
    },
    Detector {
        meta: &source_ip_outside_ranges::DETECTOR,
        check: source_ip_outside_ranges::check,
    },
    Detector {
        meta: &unusual_user_agent::DETECTOR,
        check: unusual_user_agent::check,
    },
];

/// Metadata of every detector, in ID order (for `kubeward rules`, docs generation and selection).
pub fn detectors() -> impl Iterator<Item = &'static DetectorMeta> {
    ALL.iter().map(|d| d.meta)
}

/// Looks a detector up by ID (`AUD004`) or name (`pod-exec`).
pub fn detector(id_or_name: &str) -> Option<&'static DetectorMeta> {
    detectors().find(|m| m.id.eq_ignore_ascii_case(id_or_name) || m.name == id_or_name)
}

/// What a detector found in one event.
#[derive(Debug)]
pub(crate) struct Finding {
    pub message: String,
    pub burst: Option<BurstSpec>,
    /// What "same target" means for deduplication when it is not the object (a source IP, a user
    /// agent).
    pub dedup_target: Option<String>,
}

impl Finding {
    pub fn new(message: String) -> Finding {
        Finding {
            message,
            burst: None,
            dedup_target: None,
        }
    }
}

/// The object or, for non-resource requests, the path: what a message says was touched.
pub(crate) fn what(event: &Event<'_>) -> String {
    if event.object_ref.is_some() {
        target(event)
    } else {
        format!("`{}`", event.path())
    }
}

/// Fire only when `threshold` findings with the same `key` fall within `window`.
#[derive(Debug, Clone)]
pub(crate) struct BurstSpec {
    pub key: String,
    pub threshold: u32,
    pub window: Seconds,
    /// Completes "N {what} `key` within W": `authentication failures from source IP`.
    pub what: &'static str,
}

/// The configuration, with what detectors need prepared once.
pub(crate) struct Context {
    pub config: AuditConfig,
    pub miner_images: Vec<String>,
    pub suspicious_user_agents: Vec<String>,
}

impl Context {
    pub fn new(config: AuditConfig) -> Context {
        let mut miner_images: Vec<String> = cryptominer_image::KNOWN_MINERS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        miner_images.extend(
            config
                .extra_miner_images
                .iter()
                .map(|s| s.to_ascii_lowercase()),
        );
        let suspicious_user_agents = config
            .suspicious_user_agents
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        Context {
            config,
            miner_images,
            suspicious_user_agents,
        }
    }
}

/// The detectors the configuration leaves on.
pub(crate) fn enabled(config: &AuditConfig) -> Vec<&'static Detector> {
    ALL.iter()
        .filter(|d| {
            !config
                .disable
                .iter()
                .any(|x| x.eq_ignore_ascii_case(d.meta.id) || x == d.meta.name)
        })
        .collect()
}

/// "`alice`" or "`alice` (impersonating `bob`)" — the subject of a message.
pub(crate) fn who(event: &Event<'_>) -> String {
    let user = match event.username() {
        "" => "an unauthenticated client".to_owned(),
        user => format!("`{user}`"),
    };
    match event
        .impersonated_user
        .as_ref()
        .and_then(|u| u.username.as_deref())
    {
        Some(as_user) => format!("{user} (impersonating `{as_user}`)"),
        None => user,
    }
}

/// "from 10.0.0.7 with `kubectl/v1.30.0` at 2024-05-01T10:00:00.000000Z".
pub(crate) fn origin(event: &Event<'_>) -> String {
    let ips = if event.source_ips.is_empty() {
        "an unknown address".to_owned()
    } else {
        event
            .source_ips
            .iter()
            .map(|ip| ip.as_ref())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ua = match event.user_agent() {
        "" => String::new(),
        ua => format!(" with `{ua}`"),
    };
    let time = event.time().map(|t| t.to_string()).unwrap_or_default();
    format!("from {ips}{ua} at {time}")
}

/// "pods `default/web`" or "clusterroles `admin`".
pub(crate) fn target(event: &Event<'_>) -> String {
    let resource = match event.subresource() {
        "" => event.resource().to_owned(),
        sub => format!("{}/{sub}", event.resource()),
    };
    match (event.namespace(), event.name()) {
        ("", "") => format!("all {resource} cluster-wide"),
        (ns, "") => format!("{resource} in namespace `{ns}`"),
        ("", name) => format!("{resource} `{name}`"),
        (ns, name) => format!("{resource} `{ns}/{name}`"),
    }
}

/// "`payments/api-7d9f`": the object's namespace and name.
pub(crate) fn object_name(event: &Event<'_>) -> String {
    match event.namespace() {
        "" => format!("`{}`", event.name()),
        ns => format!("`{ns}/{}`", event.name()),
    }
}

/// The usual message: "`alice` {did} from 10.0.0.7 with `kubectl` at T".
pub(crate) fn fact(event: &Event<'_>, did: &str) -> String {
    format!("{} {did} {}", who(event), origin(event))
}

/// "created", "patched": the verb in a sentence.
pub(crate) fn past(verb: &str) -> &'static str {
    match verb {
        "create" => "created",
        "update" => "updated",
        "patch" => "patched",
        "delete" | "deletecollection" => "deleted",
        "get" => "read",
        "list" => "listed",
        "watch" => "watched",
        _ => "changed",
    }
}

/// Whether the user matches one of the patterns, or one of its groups does.
pub(crate) fn identity_listed(patterns: &[String], event: &Event<'_>) -> bool {
    any_match(patterns, event.username())
        || event.user.groups.iter().any(|g| any_match(patterns, g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut ids = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for (i, meta) in detectors().enumerate() {
            assert_eq!(
                meta.id,
                format!("AUD{:03}", i + 1),
                "IDs are sequential and in order"
            );
            assert!(ids.insert(meta.id));
            assert!(names.insert(meta.name));
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is kebab-case",
                meta.name
            );
            assert!(meta.mitre.id.starts_with('T'), "{}", meta.id);
        }
    }

    #[test]
    fn every_detector_is_documented_in_house_style() {
        for meta in detectors() {
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## MITRE ATT&CK",
                "## Example",
                "## References",
            ] {
                assert!(meta.docs.contains(section), "{} lacks `{section}`", meta.id);
            }
            assert!(
                meta.docs.contains(meta.mitre.id),
                "{} docs name its technique",
                meta.id
            );
        }
    }
}
