//! API server checks (CIS 1.2, 3.2) — area `CP`.

use super::apiserver_data::{
    audit_policy_lint, audit_policy_present, audit_retention, encryption_config,
    encryption_provider,
};
use crate::checks::{
    Area, CheckDef, Ctx, Outcome, Severity, Status, component, component_origin, ev_absent,
    ev_flag, fail, flag_check, flag_equals, flags_present, go_duration_secs, manual, outcome, pass,
};
use crate::compare::Op;
use crate::facts::{Component, ComponentKind::ApiServer};

macro_rules! fix {
    ($text:literal) => {
        concat!(
            $text,
            " kubeadm: edit `/etc/kubernetes/manifests/kube-apiserver.yaml` (the kubelet restarts the pod). ",
            "k3s/RKE2: add the flag to `kube-apiserver-arg` in `/etc/rancher/<k3s|rke2>/config.yaml` and restart the service."
        )
    };
}

const fn def(
    id: &'static str,
    name: &'static str,
    cis: &'static [&'static str],
    severity: Severity,
    title: &'static str,
    remediation: &'static str,
    run: fn(&Ctx) -> Outcome,
) -> CheckDef {
    CheckDef {
        id,
        name,
        area: Area::Cp,
        cis,
        severity,
        title,
        remediation,
        run,
    }
}

/// Admission plugins on by default (Kubernetes 1.30+); `NodeRestriction`, `AlwaysAdmit`,
/// `AlwaysPullImages`, `EventRateLimit` and `DenyServiceExternalIPs` are not among them.
const DEFAULT_ADMISSION: &[&str] = &[
    "CertificateApproval",
    "CertificateSigning",
    "CertificateSubjectRestriction",
    "DefaultIngressClass",
    "DefaultStorageClass",
    "DefaultTolerationSeconds",
    "LimitRanger",
    "MutatingAdmissionWebhook",
    "NamespaceLifecycle",
    "PersistentVolumeClaimResize",
    "PodSecurity",
    "Priority",
    "ResourceQuota",
    "RuntimeClass",
    "ServiceAccount",
    "StorageObjectInUseProtection",
    "TaintNodesByCondition",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionWebhook",
];

/// Strong suites accepted for the API server (the CIS list).
pub(crate) const STRONG_CIPHERS_APISERVER: &str = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "CP001",
        "apiserver-anonymous-auth-enabled",
        &["1.2.1"],
        Severity::High,
        "API server accepts anonymous requests",
        fix!(
            "Set `--anonymous-auth=false` so unauthenticated requests are rejected instead of being served as `system:anonymous` (or limit anonymous access to health endpoints with an AuthenticationConfiguration)."
        ),
        |ctx| flag_equals(ctx, ApiServer, "anonymous-auth", "false", "true"),
    ),
    def(
        "CP002",
        "apiserver-token-auth-file-set",
        &["1.2.2"],
        Severity::High,
        "API server authenticates static bearer tokens from a file",
        fix!(
            "Remove `--token-auth-file`: static tokens never expire and cannot be revoked without a restart. Use client certificates, OIDC or service account tokens."
        ),
        |ctx| {
            flag_check(ctx, ApiServer, "token-auth-file", |f| match f {
                Some(f) => (
                    Status::Fail,
                    format!("`--token-auth-file` is set to `{}`", f.value),
                ),
                None => (Status::Pass, "`--token-auth-file` is not set".into()),
            })
        },
    ),
    def(
        "CP003",
        "apiserver-external-ips-allowed",
        &["1.2.3"],
        Severity::Low,
        "DenyServiceExternalIPs admission plugin is off",
        fix!(
            "Add `DenyServiceExternalIPs` to `--enable-admission-plugins` unless Services legitimately use `externalIPs` (CVE-2020-8554 lets a tenant intercept traffic with them)."
        ),
        |ctx| admission(ctx, "DenyServiceExternalIPs", true, Status::Warn),
    ),
    def(
        "CP004",
        "apiserver-kubelet-client-cert-missing",
        &["1.2.4"],
        Severity::Medium,
        "API server has no client certificate for kubelet connections",
        fix!(
            "Set `--kubelet-client-certificate` and `--kubelet-client-key` so the kubelet can authenticate and authorise the API server's exec/logs/port-forward requests."
        ),
        |ctx| {
            flags_present(
                ctx,
                ApiServer,
                &["kubelet-client-certificate", "kubelet-client-key"],
            )
        },
    ),
    def(
        "CP005",
        "apiserver-kubelet-ca-missing",
        &["1.2.5"],
        Severity::Medium,
        "API server does not verify kubelet serving certificates",
        fix!(
            "Set `--kubelet-certificate-authority` to the CA that signs kubelet serving certificates; without it a spoofed node can intercept exec and logs traffic."
        ),
        |ctx| flags_present(ctx, ApiServer, &["kubelet-certificate-authority"]),
    ),
    def(
        "CP006",
        "apiserver-authorization-always-allow",
        &["1.2.6"],
        Severity::Critical,
        "API server authorises every request (AlwaysAllow)",
        fix!(
            "Set `--authorization-mode=Node,RBAC` (never `AlwaysAllow`; it is also the default when the flag is absent)."
        ),
        |ctx| authz(ctx, "AlwaysAllow", false),
    ),
    def(
        "CP007",
        "apiserver-authorization-node-missing",
        &["1.2.7"],
        Severity::Medium,
        "Node authorizer is not enabled",
        fix!(
            "Include `Node` in `--authorization-mode` so kubelets can only read objects bound to their own pods."
        ),
        |ctx| authz(ctx, "Node", true),
    ),
    def(
        "CP008",
        "apiserver-authorization-rbac-missing",
        &["1.2.8"],
        Severity::High,
        "RBAC authorizer is not enabled",
        fix!("Include `RBAC` in `--authorization-mode`."),
        |ctx| authz(ctx, "RBAC", true),
    ),
    def(
        "CP009",
        "apiserver-event-rate-limit-missing",
        &["1.2.9"],
        Severity::Low,
        "EventRateLimit admission plugin is off",
        fix!(
            "Enable `EventRateLimit` with an `--admission-control-config-file` that sets limits, so one client cannot flood the API server with events."
        ),
        |ctx| admission(ctx, "EventRateLimit", true, Status::Warn),
    ),
    def(
        "CP010",
        "apiserver-always-admit-enabled",
        &["1.2.10"],
        Severity::Critical,
        "AlwaysAdmit admission plugin is on",
        fix!(
            "Remove `AlwaysAdmit` from `--enable-admission-plugins`; it disables admission control."
        ),
        |ctx| admission(ctx, "AlwaysAdmit", false, Status::Fail),
    ),
    def(
        "CP011",
        "apiserver-always-pull-images-missing",
        &["1.2.11"],
        Severity::Low,
        "AlwaysPullImages admission plugin is off",
        fix!(
            "On multi-tenant clusters enable `AlwaysPullImages` so pods cannot reuse private images cached on a node without pull credentials."
        ),
        |ctx| admission(ctx, "AlwaysPullImages", true, Status::Warn),
    ),
    def(
        "CP012",
        "apiserver-service-account-plugin-disabled",
        &["1.2.12"],
        Severity::Medium,
        "ServiceAccount admission plugin is disabled",
        fix!("Remove `ServiceAccount` from `--disable-admission-plugins`."),
        |ctx| admission(ctx, "ServiceAccount", true, Status::Fail),
    ),
    def(
        "CP013",
        "apiserver-namespace-lifecycle-disabled",
        &["1.2.13"],
        Severity::Low,
        "NamespaceLifecycle admission plugin is disabled",
        fix!(
            "Remove `NamespaceLifecycle` from `--disable-admission-plugins`; it stops objects being created in terminating or missing namespaces."
        ),
        |ctx| admission(ctx, "NamespaceLifecycle", true, Status::Fail),
    ),
    def(
        "CP014",
        "apiserver-node-restriction-missing",
        &["1.2.14"],
        Severity::High,
        "NodeRestriction admission plugin is off",
        fix!(
            "Add `NodeRestriction` to `--enable-admission-plugins`; without it a compromised kubelet can modify other nodes and any pod's labels."
        ),
        |ctx| admission(ctx, "NodeRestriction", true, Status::Fail),
    ),
    def(
        "CP015",
        "apiserver-pod-security-disabled",
        &[],
        Severity::Medium,
        "PodSecurity admission plugin is disabled",
        fix!(
            "Remove `PodSecurity` from `--disable-admission-plugins`; it enforces the Pod Security Standards labels on namespaces."
        ),
        |ctx| admission(ctx, "PodSecurity", true, Status::Fail),
    ),
    def(
        "CP016",
        "apiserver-profiling-enabled",
        &["1.2.15"],
        Severity::Low,
        "API server exposes profiling endpoints",
        fix!("Set `--profiling=false`."),
        |ctx| flag_equals(ctx, ApiServer, "profiling", "false", "true"),
    ),
    def(
        "CP017",
        "apiserver-audit-log-disabled",
        &["1.2.16"],
        Severity::Medium,
        "API server writes no audit log",
        fix!(
            "Set `--audit-log-path` (and `--audit-policy-file`) so requests are recorded for investigation."
        ),
        |ctx| {
            flag_check(ctx, ApiServer, "audit-log-path", |f| {
                match f {
                Some(f) if f.value == "-" => (
                    Status::Pass,
                    "audit events are written to standard output (collected with the container logs)".into(),
                ),
                Some(f) if !f.value.is_empty() => {
                    (Status::Pass, format!("audit log written to `{}`", f.value))
                }
                _ => (
                    Status::Fail,
                    "`--audit-log-path` is not set: no audit log".into(),
                ),
            }
            })
        },
    ),
    def(
        "CP018",
        "apiserver-audit-log-maxage-low",
        &["1.2.17"],
        Severity::Low,
        "Audit log files are kept for fewer than 30 days",
        fix!("Set `--audit-log-maxage=30` or more (days)."),
        |ctx| audit_retention(ctx, "audit-log-maxage", "30"),
    ),
    def(
        "CP019",
        "apiserver-audit-log-maxbackup-low",
        &["1.2.18"],
        Severity::Low,
        "Fewer than 10 rotated audit log files are kept",
        fix!("Set `--audit-log-maxbackup=10` or more."),
        |ctx| audit_retention(ctx, "audit-log-maxbackup", "10"),
    ),
    def(
        "CP020",
        "apiserver-audit-log-maxsize-low",
        &["1.2.19"],
        Severity::Low,
        "Audit log files rotate below 100 MB",
        fix!("Set `--audit-log-maxsize=100` or more (megabytes)."),
        |ctx| audit_retention(ctx, "audit-log-maxsize", "100"),
    ),
    def(
        "CP021",
        "apiserver-request-timeout-long",
        &["1.2.20"],
        Severity::Low,
        "API server request timeout is invalid or very long",
        fix!(
            "Leave `--request-timeout` at its 60s default, or raise it only as far as large list calls need."
        ),
        request_timeout,
    ),
    def(
        "CP022",
        "apiserver-service-account-lookup-disabled",
        &["1.2.21"],
        Severity::Medium,
        "API server accepts tokens of deleted service accounts",
        fix!(
            "Set `--service-account-lookup=true` (the default) so tokens stop working when their ServiceAccount is deleted."
        ),
        |ctx| flag_equals(ctx, ApiServer, "service-account-lookup", "true", "true"),
    ),
    def(
        "CP023",
        "apiserver-service-account-key-missing",
        &["1.2.22"],
        Severity::Medium,
        "No service account verification key is configured",
        fix!(
            "Set `--service-account-key-file` to the public key(s) matching the controller manager's `--service-account-private-key-file`, so keys can be rotated."
        ),
        |ctx| flags_present(ctx, ApiServer, &["service-account-key-file"]),
    ),
    def(
        "CP024",
        "apiserver-etcd-client-cert-missing",
        &["1.2.23"],
        Severity::Medium,
        "API server connects to etcd without a client certificate",
        fix!("Set `--etcd-certfile` and `--etcd-keyfile`."),
        |ctx| etcd_flags(ctx, &["etcd-certfile", "etcd-keyfile"]),
    ),
    def(
        "CP025",
        "apiserver-tls-cert-missing",
        &["1.2.24"],
        Severity::Medium,
        "API server has no TLS serving certificate configured",
        fix!("Set `--tls-cert-file` and `--tls-private-key-file`."),
        |ctx| flags_present(ctx, ApiServer, &["tls-cert-file", "tls-private-key-file"]),
    ),
    def(
        "CP026",
        "apiserver-client-ca-missing",
        &["1.2.25"],
        Severity::Medium,
        "API server does not authenticate client certificates",
        fix!("Set `--client-ca-file`."),
        |ctx| flags_present(ctx, ApiServer, &["client-ca-file"]),
    ),
    def(
        "CP027",
        "apiserver-etcd-ca-missing",
        &["1.2.26"],
        Severity::Medium,
        "API server does not verify etcd's certificate",
        fix!("Set `--etcd-cafile`."),
        |ctx| etcd_flags(ctx, &["etcd-cafile"]),
    ),
    def(
        "CP028",
        "apiserver-encryption-config-missing",
        &["1.2.27"],
        Severity::High,
        "Secrets are not encrypted at rest in etcd",
        fix!(
            "Create an EncryptionConfiguration and set `--encryption-provider-config` (k3s/RKE2: `secrets-encryption: true`). Existing Secrets stay in plain text until rewritten: run `kubectl get secrets -A -o json | kubectl replace -f -` after enabling it."
        ),
        encryption_config,
    ),
    def(
        "CP029",
        "apiserver-secrets-encryption-identity",
        &["1.2.28"],
        Severity::High,
        "Secrets are written to etcd unencrypted (identity provider first)",
        fix!(
            "Make the first provider for `secrets` `aescbc`, `aesgcm`, `secretbox` or `kms` (apiVersion v2), keeping `identity` last only to read old data. Then rewrite existing Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`): enabling encryption does not re-encrypt what is already stored."
        ),
        encryption_provider,
    ),
    def(
        "CP030",
        "apiserver-weak-tls-ciphers",
        &["1.2.29"],
        Severity::Medium,
        "API server allows weak TLS cipher suites",
        fix!(
            "Set `--tls-cipher-suites` to AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305)."
        ),
        ciphers,
    ),
    def(
        "CP031",
        "apiserver-tls-min-version-low",
        &[],
        Severity::Medium,
        "API server accepts TLS versions older than 1.2",
        fix!("Remove `--tls-min-version` or set it to `VersionTLS12` or `VersionTLS13`."),
        tls_min,
    ),
    def(
        "CP032",
        "apiserver-token-expiration-extended",
        &["1.2.30"],
        Severity::Low,
        "API server extends service account token lifetimes",
        fix!(
            "Set `--service-account-extend-token-expiration=false` so projected tokens expire when they say they do."
        ),
        |ctx| {
            flag_equals(
                ctx,
                ApiServer,
                "service-account-extend-token-expiration",
                "false",
                "true",
            )
        },
    ),
    def(
        "CP033",
        "apiserver-audit-policy-missing",
        &["3.2.1"],
        Severity::Medium,
        "No audit policy file (nothing is audited)",
        fix!(
            "Write an audit Policy and point `--audit-policy-file` at it; without a policy the API server logs no events even with `--audit-log-path`."
        ),
        audit_policy_present,
    ),
    def(
        "CP034",
        "apiserver-audit-policy-weak",
        &["3.2.2"],
        Severity::High,
        "Audit policy misses requests or logs secret contents",
        fix!(
            "End the policy with a catch-all rule, and log Secrets, ConfigMaps and TokenReviews at `Metadata` (never `Request`/`RequestResponse`, which copy secret values and tokens into the log)."
        ),
        audit_policy_lint,
    ),
];

fn authz(ctx: &Ctx, mode: &str, want: bool) -> Outcome {
    let c = match component(ctx, ApiServer) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let (value, evidence) = match c.flags.get("authorization-mode") {
        Some(f) => (f.value.clone(), vec![ev_flag(f)]),
        // The API server's default when the flag is absent.
        None => (
            "AlwaysAllow".to_string(),
            vec![ev_absent("--authorization-mode", component_origin(c))],
        ),
    };
    // An AuthorizationConfiguration file replaces the flag; its authorizers are not read here.
    if c.flags.is_set("authorization-config") {
        return manual(
            "authorization is configured by `--authorization-config`; review its authorizers",
            c.flags
                .get("authorization-config")
                .map(ev_flag)
                .into_iter()
                .collect(),
        );
    }
    let has = value.split(',').any(|m| m.trim() == mode);
    let message = format!(
        "`--authorization-mode` is `{value}`{}",
        if c.flags.is_set("authorization-mode") {
            ""
        } else {
            " (default)"
        }
    );
    if has == want {
        pass(message, evidence)
    } else {
        fail(message, evidence)
    }
}

/// Whether an admission plugin is on: enabled explicitly or by default, and not disabled.
pub(crate) fn plugin_enabled(c: &Component, plugin: &str) -> bool {
    let enabled = c.flags.list("enable-admission-plugins");
    let legacy = c.flags.list("admission-control");
    let disabled = c.flags.list("disable-admission-plugins");
    if disabled.iter().any(|(p, _)| p == plugin) {
        return false;
    }
    // `--admission-control` (removed in 1.x but still seen) replaces the default list entirely.
    if c.flags.is_set("admission-control") {
        return legacy.iter().any(|(p, _)| p == plugin);
    }
    enabled.iter().any(|(p, _)| p == plugin) || DEFAULT_ADMISSION.contains(&plugin)
}

fn admission(ctx: &Ctx, plugin: &str, want: bool, on_miss: Status) -> Outcome {
    let c = match component(ctx, ApiServer) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let mut evidence: Vec<_> = c
        .flags
        .iter()
        .filter(|f| {
            matches!(
                f.name.as_str(),
                "enable-admission-plugins" | "disable-admission-plugins" | "admission-control"
            )
        })
        .map(ev_flag)
        .collect();
    if evidence.is_empty() {
        evidence.push(ev_absent("--enable-admission-plugins", component_origin(c)));
    }
    let on = plugin_enabled(c, plugin);
    let message = format!(
        "admission plugin `{plugin}` is {}",
        if on { "enabled" } else { "not enabled" }
    );
    if on == want {
        pass(message, evidence)
    } else {
        outcome(on_miss, message, evidence)
    }
}

fn request_timeout(ctx: &Ctx) -> Outcome {
    flag_check(ctx, ApiServer, "request-timeout", |f| match f {
        None => (
            Status::Pass,
            "`--request-timeout` is not set; the 60s default applies".into(),
        ),
        Some(f) => match go_duration_secs(&f.value) {
            None => (
                Status::Fail,
                format!("`--request-timeout` `{}` is not a duration", f.value),
            ),
            Some(s) if s > 600.0 => (
                Status::Warn,
                format!(
                    "`--request-timeout` is {}; long timeouts let slow clients hold API server resources",
                    f.value
                ),
            ),
            Some(_) => (Status::Pass, format!("`--request-timeout` is {}", f.value)),
        },
    })
}

fn uses_kine(c: &Component) -> bool {
    c.flags
        .get("etcd-servers")
        .is_some_and(|f| f.value.starts_with("unix://"))
}

fn etcd_flags(ctx: &Ctx, flags: &[&str]) -> Outcome {
    match component(ctx, ApiServer) {
        Ok(c) if uses_kine(c) => {
            let f = c
                .flags
                .get("etcd-servers")
                .map(ev_flag)
                .into_iter()
                .collect();
            return crate::checks::outcome(
                Status::NotApplicable,
                "the API server talks to a local datastore socket (kine), not to etcd over the network",
                f,
            );
        }
        Ok(_) => {}
        Err(o) => return o,
    }
    flags_present(ctx, ApiServer, flags)
}

fn ciphers(ctx: &Ctx) -> Outcome {
    flag_check(ctx, ApiServer, "tls-cipher-suites", |f| {
        match f {
        None => (
            Status::Warn,
            "`--tls-cipher-suites` is not set; Go's default list applies (review it against your policy)".into(),
        ),
        Some(f) if Op::ValidElements.test(&f.value, STRONG_CIPHERS_APISERVER) => {
            (Status::Pass, "only strong cipher suites are allowed".into())
        }
        Some(f) => {
            let weak: Vec<&str> = f
                .value
                .split(',')
                .filter(|c| !STRONG_CIPHERS_APISERVER.split(',').any(|s| s == *c))
                .collect();
            (Status::Fail, format!("weak cipher suites allowed: {}", weak.join(", ")))
        }
    }
    })
}

pub(crate) fn tls_min_judge(value: Option<&str>) -> (Status, String) {
    match value {
        None => (
            Status::Pass,
            "TLS minimum version not set; the TLS 1.2 default applies".into(),
        ),
        Some(v @ ("VersionTLS12" | "VersionTLS13")) => {
            (Status::Pass, format!("minimum TLS version is `{v}`"))
        }
        Some(v) => (Status::Fail, format!("minimum TLS version is `{v}`")),
    }
}

fn tls_min(ctx: &Ctx) -> Outcome {
    flag_check(ctx, ApiServer, "tls-min-version", |f| {
        tls_min_judge(f.map(|f| f.value.as_str()))
    })
}
