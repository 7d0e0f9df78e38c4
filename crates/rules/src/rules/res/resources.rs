//! Effective container requests and limits: the container's own values, what Kubernetes derives
//! from them (a limit without a request makes the request equal to the limit), pod-level resources,
//! and the defaults a namespace's LimitRange fills in at admission.

use std::collections::HashMap;

use crate::context::Context;
use kubeward_model::{Container, ContainerKind, Inventory, Workload};
use kubeward_source::Node;

/// CPU and memory, the resources every rule here is about.
pub(crate) const RESOURCES: [&str; 2] = ["cpu", "memory"];

/// What LimitRanges of one namespace fill in for containers that set nothing.
#[derive(Debug, Default)]
pub(crate) struct Defaults {
    pub(crate) limits: Vec<String>,
    pub(crate) requests: Vec<String>,
}

/// Defaults per namespace, from every `type: Container` limit of every LimitRange, with the API
/// server's defaulting: a default limit falls back to `max`; a default request falls back to the
/// default limit, then to `min`.
pub(crate) fn namespace_defaults(inventory: &Inventory) -> HashMap<String, Defaults> {
    let mut out: HashMap<String, Defaults> = HashMap::new();
    for object in inventory.of_kind("LimitRange") {
        let Some(namespace) = object.effective_namespace() else {
            continue;
        };
        let defaults = out.entry(namespace.to_string()).or_default();
        for item in object
            .root
            .path(&["spec", "limits"])
            .into_iter()
            .flat_map(Node::items)
            .filter(|l| l.get("type").and_then(Node::as_str) == Some("Container"))
        {
            let has = |field: &str, r: &str| item.get(field).and_then(|m| m.get(r)).is_some();
            for r in RESOURCES {
                let limit = has("default", r) || has("max", r);
                if limit {
                    defaults.limits.push(r.to_string());
                }
                if limit || has("defaultRequest", r) || has("min", r) {
                    defaults.requests.push(r.to_string());
                }
            }
        }
    }
    out
}

/// Containers that can carry resources: init and regular (ephemeral containers may not set any).
pub(crate) fn containers<'a>(workload: &Workload<'a>) -> impl Iterator<Item = Container<'a>> + 'a {
    workload
        .all_containers()
        .filter(|c| c.kind != ContainerKind::Ephemeral)
}

/// Whether `field` (`limits` or `requests`) of `resource` is set on the container or the pod.
fn is_set(workload: &Workload<'_>, container: &Container<'_>, field: &str, resource: &str) -> bool {
    let own = container
        .node
        .get("resources")
        .and_then(|r| r.get(field))
        .and_then(|m| m.get(resource))
        .is_some_and(|v| !v.is_null());
    let pod = workload
        .pod_field("resources")
        .and_then(|r| r.get(field))
        .and_then(|m| m.get(resource))
        .is_some_and(|v| !v.is_null());
    own || pod
}

/// Whether the container ends up with a limit for `resource`.
pub(crate) fn has_limit(
    workload: &Workload<'_>,
    container: &Container<'_>,
    defaults: Option<&Defaults>,
    resource: &str,
) -> bool {
    is_set(workload, container, "limits", resource)
        || defaults.is_some_and(|d| d.limits.iter().any(|r| r == resource))
}

/// Whether the container ends up with a request for `resource`.
pub(crate) fn has_request(
    workload: &Workload<'_>,
    container: &Container<'_>,
    defaults: Option<&Defaults>,
    resource: &str,
) -> bool {
    is_set(workload, container, "requests", resource)
        || is_set(workload, container, "limits", resource)
        || defaults.is_some_and(|d| d.requests.iter().any(|r| r == resource))
}

/// Where a finding about a container's resources points: `resources` when present, else the
/// container.
pub(crate) fn anchor<'a>(container: &Container<'a>) -> &'a Node {
    container.node.get("resources").unwrap_or(container.node)
}

/// Namespaces that run workloads, with the first workload (to point at when the Namespace object
/// is not among the scanned objects) and how many there are. Workloads owned by a controller are
/// counted through the controller.
pub(crate) fn namespaces_with_workloads(
    inventory: &Inventory,
) -> std::collections::BTreeMap<&str, (&kubeward_model::Object, usize)> {
    let mut out = std::collections::BTreeMap::new();
    for workload in inventory.workloads() {
        let owned = workload
            .object
            .metadata()
            .and_then(|m| m.get("ownerReferences"))
            .and_then(Node::as_seq)
            .is_some_and(|o| !o.is_empty());
        let Some(ns) = workload.object.effective_namespace() else {
            continue;
        };
        if owned {
            continue;
        }
        out.entry(ns).or_insert((workload.object, 0)).1 += 1;
    }
    out
}

/// Reports every namespace that runs workloads but holds no object of `kind` (a ResourceQuota, a
/// LimitRange): the template behind RES004 and RES005.
pub(crate) fn report_namespaces_without(ctx: &mut Context<'_>, inventory: &Inventory, kind: &str) {
    let covered: std::collections::BTreeSet<&str> = inventory
        .of_kind(kind)
        .filter_map(|o| o.effective_namespace())
        .collect();
    for (ns, (first, count)) in namespaces_with_workloads(inventory) {
        if covered.contains(ns) {
            continue;
        }
        let target = inventory.get("Namespace", None, ns).unwrap_or(first);
        let message = format!(
            "namespace `{ns}` runs {count} workload{} without a {kind}",
            if count == 1 { "" } else { "s" }
        );
        ctx.report(target, &target.root, message);
    }
}

/// Reports every container of every workload that gets no `resource` limit — neither its own, the
/// pod's, nor a LimitRange default: the template behind RES002 (memory) and RES003 (CPU).
pub(crate) fn report_missing_limits(
    ctx: &mut Context<'_>,
    inventory: &Inventory,
    resource: &str,
    label: &str,
) {
    let defaults = namespace_defaults(inventory);
    for workload in inventory.workloads() {
        let ns_defaults = workload
            .object
            .effective_namespace()
            .and_then(|ns| defaults.get(ns));
        for container in containers(&workload) {
            if has_limit(&workload, &container, ns_defaults, resource) {
                continue;
            }
            let message = format!("{} has no {label} limit", container.describe());
            ctx.report(workload.object, anchor(&container), message);
        }
    }
}
