//! Confinement profiles: AppArmor, SELinux and seccomp, at pod level, container level and (for the
//! older mechanisms) in annotations.

use kubeward_diagnostics::Span;
use kubeward_source::Node;

use super::Failure;
use crate::message::{containers, go_quote, join_quote, pluralize, sorted_set};
use crate::pod::{Pod, field, text};

const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";
const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// Who set a bad value: `pod`, `containers "a", "b"`, joined with " and ".
struct Setters<'a> {
    pod: bool,
    containers: Vec<&'a str>,
    values: Vec<String>,
    spans: Vec<Span>,
}

impl<'a> Setters<'a> {
    fn new() -> Self {
        Self {
            pod: false,
            containers: Vec::new(),
            values: Vec::new(),
            spans: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        !self.pod && self.containers.is_empty()
    }

    fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.pod {
            out.push("pod".to_string());
        }
        if !self.containers.is_empty() {
            out.push(containers(&self.containers));
        }
        out
    }
}

/// AppArmor: the `appArmorProfile` field (pod and containers) must be `RuntimeDefault` or `Localhost`,
/// and the beta annotations `runtime/default`, `localhost/*` or empty. `Unconfined` removes the
/// mandatory access control that stops a compromised process from touching the host.
///
/// PSA has a single implementation from v1.0 for both channels, so the field is checked at every
/// policy version.
pub(crate) fn app_armor(pod: &Pod<'_>) -> Option<Failure> {
    let mut s = Setters::new();
    let allowed = |n: &Node| matches!(n.as_str(), Some("RuntimeDefault" | "Localhost"));
    if let Some(profile) = pod.security("appArmorProfile") {
        let ty = field(Some(profile), "type");
        if !ty.is_some_and(allowed) {
            s.pod = true;
            s.values.push(ty.map(text).unwrap_or_default());
            s.spans.push(ty.map_or(profile.span, |t| t.span));
        }
    }
    for c in &pod.containers {
        if let Some(profile) = c.security("appArmorProfile") {
            let ty = field(Some(profile), "type");
            if !ty.is_some_and(allowed) {
                s.containers.push(c.name);
                s.values.push(ty.map(text).unwrap_or_default());
                s.spans.push(ty.map_or(profile.span, |t| t.span));
            }
        }
    }
    let mut values = sorted_set(&s.values);
    let mut annotations = Vec::new();
    for (key, value) in pod.annotations() {
        let v = text(value);
        let ok = v.is_empty() || v == "runtime/default" || v.starts_with("localhost/");
        if key.starts_with(APPARMOR_ANNOTATION_PREFIX) && !ok {
            annotations.push(format!("{key}={}", go_quote(&v)));
            s.spans.push(value.span);
        }
    }
    let mut setters = s.names();
    if !annotations.is_empty() {
        annotations.sort();
        setters.push(pluralize("annotation", "annotations", annotations.len()).to_string());
        values.extend(annotations);
    }
    (!setters.is_empty()).then(|| Failure {
        reason: pluralize(
            "forbidden AppArmor profile",
            "forbidden AppArmor profiles",
            values.len(),
        )
        .into(),
        detail: format!(
            "{} must not set AppArmor profile type to {}",
            setters.join(" and "),
            join_quote(&values)
        ),
        spans: s.spans,
    })
}

const SELINUX_TYPES_1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const SELINUX_TYPES_1_31: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// SELinux: `type` limited to the container types, `user` and `role` never set. Other types (`spc_t`,
/// `unconfined_t`) run without the container policy's confinement.
fn selinux(pod: &Pod<'_>, types: &[&str]) -> Option<Failure> {
    let mut s = Setters::new();
    let (mut set_user, mut set_role) = (false, false);
    let mut check = |opts: &Node, spans: &mut Vec<Span>| -> bool {
        let mut valid = true;
        let ty = field(Some(opts), "type");
        let ty_text = ty.map(text).unwrap_or_default();
        if !types.contains(&ty_text.as_str()) {
            valid = false;
            if let Some(t) = ty {
                spans.push(t.span);
            }
            s.values.push(ty_text);
        }
        for (key, flag) in [("user", &mut set_user), ("role", &mut set_role)] {
            if let Some(n) = field(Some(opts), key).filter(|n| !text(n).is_empty()) {
                valid = false;
                *flag = true;
                spans.push(n.span);
            }
        }
        valid
    };
    let mut spans = Vec::new();
    if let Some(opts) = pod.security("seLinuxOptions") {
        s.pod = !check(opts, &mut spans);
    }
    for c in &pod.containers {
        if let Some(opts) = c.security("seLinuxOptions")
            && !check(opts, &mut spans)
        {
            s.containers.push(c.name);
        }
    }
    if s.is_empty() {
        return None;
    }
    let types = sorted_set(&s.values);
    let mut data = Vec::new();
    if !types.is_empty() {
        data.push(format!(
            "{} {}",
            pluralize("type", "types", types.len()),
            join_quote(&types)
        ));
    }
    // PSA only mentions user and role when a type is also bad; naming them always is more useful and
    // changes no verdict.
    if set_user {
        data.push("user may not be set".to_string());
    }
    if set_role {
        data.push("role may not be set".to_string());
    }
    Some(Failure {
        reason: "seLinuxOptions".into(),
        detail: format!(
            "{} set forbidden securityContext.seLinuxOptions: {}",
            s.names().join(" and "),
            data.join("; ")
        ),
        spans,
    })
}

pub(crate) fn selinux_1_0(pod: &Pod<'_>) -> Option<Failure> {
    selinux(pod, SELINUX_TYPES_1_0)
}

/// v1.31 adds `container_engine_t` (for container engines running inside containers).
pub(crate) fn selinux_1_31(pod: &Pod<'_>) -> Option<Failure> {
    selinux(pod, SELINUX_TYPES_1_31)
}

/// Policy versions before v1.19 (when the seccomp fields went GA) read the alpha annotations: the pod
/// annotation and one per container name, each `runtime/default`, `docker/default` or `localhost/*`.
pub(crate) fn seccomp_annotations(pod: &Pod<'_>) -> Option<Failure> {
    let valid =
        |v: &str| v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
    let mut forbidden = Vec::new();
    let mut spans = Vec::new();
    let mut check = |key: String| {
        if let Some(value) = pod.annotations().find(|(k, _)| *k == key).map(|(_, v)| v) {
            let v = text(value);
            if !valid(&v) {
                forbidden.push(format!("{key}={}", go_quote(&v)));
                spans.push(value.span);
            }
        }
    };
    check(SECCOMP_POD_ANNOTATION.to_string());
    for c in &pod.containers {
        check(format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name));
    }
    let forbidden = sorted_set(&forbidden);
    (!forbidden.is_empty()).then(|| Failure {
        reason: "seccompProfile".into(),
        detail: format!(
            "forbidden {} {}",
            pluralize("annotation", "annotations", forbidden.len()),
            forbidden.join(", ")
        ),
        spans,
    })
}

fn valid_seccomp(profile: &Node) -> bool {
    matches!(
        field(Some(profile), "type").and_then(Node::as_str),
        Some("RuntimeDefault" | "Localhost")
    )
}

/// The explicit bad settings (pod and containers) and the containers left unconfined because neither
/// they nor the pod set a valid profile.
fn seccomp_fields<'a>(pod: &Pod<'a>) -> (Setters<'a>, Vec<&'a str>, Vec<Span>) {
    let mut s = Setters::new();
    let mut pod_valid = false;
    let type_of = |p: &Node| field(Some(p), "type").map(text).unwrap_or_default();
    let span_of = |p: &Node| field(Some(p), "type").map_or(p.span, |t| t.span);
    if let Some(profile) = pod.security("seccompProfile") {
        if valid_seccomp(profile) {
            pod_valid = true;
        } else {
            s.pod = true;
            s.values.push(type_of(profile));
            s.spans.push(span_of(profile));
        }
    }
    let mut implicit = Vec::new();
    let mut implicit_spans = Vec::new();
    for c in &pod.containers {
        match c.security("seccompProfile") {
            Some(profile) if !valid_seccomp(profile) => {
                s.containers.push(c.name);
                s.values.push(type_of(profile));
                s.spans.push(span_of(profile));
            }
            Some(_) => {}
            None if !pod_valid => {
                implicit.push(c.name);
                implicit_spans.push(c.span());
            }
            None => {}
        }
    }
    (s, implicit, implicit_spans)
}

fn explicit_failure(s: Setters<'_>) -> Failure {
    Failure {
        reason: "seccompProfile".into(),
        detail: format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            s.names().join(" and "),
            join_quote(&sorted_set(&s.values))
        ),
        spans: s.spans,
    }
}

/// From v1.19 baseline forbids an explicit `Unconfined` profile (unset is allowed).
pub(crate) fn seccomp_baseline_fields(pod: &Pod<'_>) -> Option<Failure> {
    let (s, _, _) = seccomp_fields(pod);
    (!s.is_empty()).then(|| explicit_failure(s))
}

/// Restricted requires `RuntimeDefault` or `Localhost` on the pod or on every container.
pub(crate) fn seccomp_restricted(pod: &Pod<'_>) -> Option<Failure> {
    let (s, implicit, spans) = seccomp_fields(pod);
    if !s.is_empty() {
        return Some(explicit_failure(s));
    }
    (!implicit.is_empty()).then(|| Failure {
        reason: "seccompProfile".into(),
        detail: format!(
            "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
            containers(&implicit)
        ),
        spans,
    })
}

/// From v1.25 Windows pods are exempt (seccomp does not exist there; validation rejects the field).
pub(crate) fn seccomp_restricted_1_25(pod: &Pod<'_>) -> Option<Failure> {
    if pod.is_windows() {
        return None;
    }
    seccomp_restricted(pod)
}
