//! Checks on each container's own security context: privileged mode, capabilities, privilege escalation
//! and the `/proc` mount.

use kubeward_source::Node;

use super::Failure;
use crate::message::{containers, join_quote, sorted_set};
use crate::pod::{Pod, field, text};

/// `privileged: true`: every device, every capability, no seccomp or AppArmor confinement.
pub(crate) fn privileged(pod: &Pod<'_>) -> Option<Failure> {
    let mut bad = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        if let Some(n) = c
            .security("privileged")
            .filter(|n| n.as_bool() == Some(true))
        {
            bad.push(c.name);
            spans.push(n.span);
        }
    }
    (!bad.is_empty()).then(|| Failure {
        reason: "privileged".into(),
        detail: format!(
            "{} must not set securityContext.privileged=true",
            containers(&bad)
        ),
        spans,
    })
}

/// The capabilities a container runtime grants by default; adding one of these back is harmless.
/// Names are compared exactly, as PSA does: `CAP_CHOWN` or `chown` are not in the list.
pub(crate) const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added_capabilities(caps: Option<&Node>) -> impl Iterator<Item = &Node> {
    field(caps, "add").into_iter().flat_map(Node::items)
}

/// Capabilities added beyond the runtime defaults (`SYS_ADMIN`, `NET_RAW`, `ALL`, ...).
pub(crate) fn capabilities_baseline(pod: &Pod<'_>) -> Option<Failure> {
    let mut bad = Vec::new();
    let mut caps = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        let mut found = false;
        for cap in added_capabilities(c.security("capabilities")) {
            let name = text(cap);
            if !BASELINE_CAPABILITIES.contains(&name.as_str()) {
                found = true;
                caps.push(name);
                spans.push(cap.span);
            }
        }
        if found {
            bad.push(c.name);
        }
    }
    (!bad.is_empty()).then(|| Failure {
        reason: "non-default capabilities".into(),
        detail: format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&bad),
            join_quote(&sorted_set(&caps))
        ),
        spans,
    })
}

/// Every container must drop `ALL` and may add back only `NET_BIND_SERVICE`.
pub(crate) fn capabilities_restricted(pod: &Pod<'_>) -> Option<Failure> {
    let mut missing_drop = Vec::new();
    let mut adding = Vec::new();
    let mut caps = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        let Some(capabilities) = c.security("capabilities") else {
            missing_drop.push(c.name);
            spans.push(c.span());
            continue;
        };
        let drops_all = field(Some(capabilities), "drop")
            .into_iter()
            .flat_map(Node::items)
            .any(|d| d.as_str() == Some("ALL"));
        if !drops_all {
            missing_drop.push(c.name);
            spans.push(field(Some(capabilities), "drop").map_or(capabilities.span, |d| d.span));
        }
        let mut found = false;
        for cap in added_capabilities(Some(capabilities)) {
            if cap.as_str() != Some("NET_BIND_SERVICE") {
                found = true;
                caps.push(text(cap));
                spans.push(cap.span);
            }
        }
        if found {
            adding.push(c.name);
        }
    }
    let mut details = Vec::new();
    if !missing_drop.is_empty() {
        details.push(format!(
            "{} must set securityContext.capabilities.drop=[\"ALL\"]",
            containers(&missing_drop)
        ));
    }
    if !adding.is_empty() {
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&adding),
            join_quote(&sorted_set(&caps))
        ));
    }
    (!details.is_empty()).then(|| Failure {
        reason: "unrestricted capabilities".into(),
        detail: details.join("; "),
        spans,
    })
}

/// From v1.25 Windows pods are exempt: validation rejects Linux capabilities on them.
pub(crate) fn capabilities_restricted_1_25(pod: &Pod<'_>) -> Option<Failure> {
    if pod.is_windows() {
        return None;
    }
    capabilities_restricted(pod)
}

/// `allowPrivilegeEscalation` must be explicitly `false`: unset means setuid binaries and file
/// capabilities can raise a process's privileges (`no_new_privs` is off).
pub(crate) fn allow_privilege_escalation(pod: &Pod<'_>) -> Option<Failure> {
    let mut bad = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        match c.security("allowPrivilegeEscalation") {
            Some(n) if n.as_bool() == Some(false) => {}
            Some(n) => {
                bad.push(c.name);
                spans.push(n.span);
            }
            None => {
                bad.push(c.name);
                spans.push(c.span());
            }
        }
    }
    (!bad.is_empty()).then(|| Failure {
        reason: "allowPrivilegeEscalation != false".into(),
        detail: format!(
            "{} must set securityContext.allowPrivilegeEscalation=false",
            containers(&bad)
        ),
        spans,
    })
}

/// From v1.25 Windows pods are exempt (the field does not exist on Windows).
pub(crate) fn allow_privilege_escalation_1_25(pod: &Pod<'_>) -> Option<Failure> {
    if pod.is_windows() {
        return None;
    }
    allow_privilege_escalation(pod)
}

/// `procMount` other than `Default` (i.e. `Unmasked`) exposes the host's `/proc` without masks.
pub(crate) fn proc_mount_strict(pod: &Pod<'_>) -> Option<Failure> {
    let mut bad = Vec::new();
    let mut values = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        if let Some(n) = c.security("procMount") {
            let value = text(n);
            if value != "Default" {
                bad.push(c.name);
                values.push(value);
                spans.push(n.span);
            }
        }
    }
    (!bad.is_empty()).then(|| Failure {
        reason: "procMount".into(),
        detail: format!(
            "{} must not set securityContext.procMount to {}",
            containers(&bad),
            join_quote(&sorted_set(&values))
        ),
        spans,
    })
}

/// From v1.35 baseline allows any `procMount` in a user-namespaced pod (`hostUsers: false`): the
/// unmasked `/proc` belongs to the pod's own user namespace. Restricted keeps the strict rule
/// (`procMount_restricted`).
pub(crate) fn proc_mount_baseline_1_35(pod: &Pod<'_>) -> Option<Failure> {
    if pod.in_user_namespace() {
        return None;
    }
    proc_mount_strict(pod)
}
