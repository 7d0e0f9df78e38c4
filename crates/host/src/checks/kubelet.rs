//! Kubelet checks (CIS 4.2) — area `KLT`. A setting is resolved as the kubelet does: command-line flag,
//! else configuration file, else the default — which differs between the two (the v1beta1 configuration
//! file defaults to anonymous auth off and Webhook authorization; flags alone default to the opposite).

use crate::checks::{
    Area, CheckDef, Ctx, Evidence, Outcome, Severity, ev_absent, ev_setting, fail, not_applicable,
    outcome, pass, warn,
};
use crate::compare::Op;
use crate::facts::{KubeletFacts, Origin, Setting};

macro_rules! fix {
    ($text:literal) => {
        concat!(
            $text,
            " Set it in the kubelet configuration file (kubeadm: `/var/lib/kubelet/config.yaml`) or as a flag in the kubelet unit drop-in; ",
            "k3s/RKE2: `kubelet-arg` in `/etc/rancher/<k3s|rke2>/config.yaml`. Restart the kubelet."
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
        area: Area::Klt,
        cis,
        severity,
        title,
        remediation,
        run,
    }
}

const STRONG_CIPHERS_KUBELET: &str = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "KLT001",
        "kubelet-anonymous-auth-enabled",
        &["4.2.1"],
        Severity::High,
        "Kubelet API accepts anonymous requests",
        fix!(
            "Set `authentication.anonymous.enabled: false` (`--anonymous-auth=false`): anonymous callers of port 10250 can otherwise list pods and, with AlwaysAllow, exec into them."
        ),
        |ctx| {
            boolean(
                ctx,
                "anonymous-auth",
                "authentication.anonymous.enabled",
                false,
                (false, true),
            )
        },
    ),
    def(
        "KLT002",
        "kubelet-authorization-always-allow",
        &["4.2.2"],
        Severity::High,
        "Kubelet authorises every authenticated request",
        fix!(
            "Set `authorization.mode: Webhook` (`--authorization-mode=Webhook`) so the API server decides, via SubjectAccessReview, who may use the kubelet API."
        ),
        authz_mode,
    ),
    def(
        "KLT003",
        "kubelet-client-ca-missing",
        &["4.2.3"],
        Severity::High,
        "Kubelet does not authenticate client certificates",
        fix!("Set `authentication.x509.clientCAFile` (`--client-ca-file`) to the cluster CA."),
        |ctx| {
            present(
                ctx,
                &[("client-ca-file", "authentication.x509.clientCAFile")],
            )
        },
    ),
    def(
        "KLT004",
        "kubelet-read-only-port-open",
        &["4.2.4"],
        Severity::Medium,
        "Kubelet serves the unauthenticated read-only port",
        fix!(
            "Set `readOnlyPort: 0` (`--read-only-port=0`); port 10255 shows pod specs and environment to anyone on the network."
        ),
        read_only_port,
    ),
    def(
        "KLT005",
        "kubelet-streaming-timeout-disabled",
        &["4.2.5"],
        Severity::Low,
        "Kubelet streaming connections never time out",
        fix!(
            "Set `streamingConnectionIdleTimeout` to a non-zero duration such as `4h` (the default) or less."
        ),
        streaming_timeout,
    ),
    def(
        "KLT006",
        "kubelet-iptables-util-chains-disabled",
        &["4.2.6"],
        Severity::Low,
        "Kubelet does not manage its iptables utility chains",
        fix!("Set `makeIPTablesUtilChains: true` (the default)."),
        |ctx| {
            boolean(
                ctx,
                "make-iptables-util-chains",
                "makeIPTablesUtilChains",
                true,
                (true, true),
            )
        },
    ),
    def(
        "KLT007",
        "kubelet-hostname-override-set",
        &["4.2.7"],
        Severity::Info,
        "Kubelet overrides its hostname",
        fix!(
            "Remove `--hostname-override` unless the cloud provider requires it; a name that differs from the host can break TLS verification between the API server and the kubelet."
        ),
        hostname_override,
    ),
    def(
        "KLT008",
        "kubelet-tls-cert-missing",
        &["4.2.9"],
        Severity::Medium,
        "Kubelet serves HTTPS with a self-signed certificate",
        fix!(
            "Set `tlsCertFile` and `tlsPrivateKeyFile`, or `serverTLSBootstrap: true` so the kubelet requests a serving certificate from the cluster CA."
        ),
        tls_cert,
    ),
    def(
        "KLT009",
        "kubelet-client-cert-rotation-disabled",
        &["4.2.10"],
        Severity::Medium,
        "Kubelet client certificate rotation is off",
        fix!(
            "Set `rotateCertificates: true` (`--rotate-certificates`) so the kubelet renews its client certificate before it expires."
        ),
        rotate_client,
    ),
    def(
        "KLT010",
        "kubelet-server-cert-rotation-disabled",
        &["4.2.11"],
        Severity::Medium,
        "Kubelet serving certificate rotation is switched off",
        fix!(
            "Do not set `RotateKubeletServerCertificate: false` in `featureGates`; use `serverTLSBootstrap: true`."
        ),
        rotate_server,
    ),
    def(
        "KLT011",
        "kubelet-weak-tls-ciphers",
        &["4.2.12"],
        Severity::Medium,
        "Kubelet allows weak TLS cipher suites",
        fix!("Set `tlsCipherSuites` to ECDHE suites with AES-GCM or ChaCha20-Poly1305 only."),
        ciphers,
    ),
    def(
        "KLT012",
        "kubelet-tls-min-version-low",
        &[],
        Severity::Medium,
        "Kubelet accepts TLS versions older than 1.2",
        fix!("Remove `tlsMinVersion` or set it to `VersionTLS12` or `VersionTLS13`."),
        tls_min,
    ),
    def(
        "KLT016",
        "kube-proxy-metrics-exposed",
        &["4.3.1"],
        Severity::Low,
        "kube-proxy serves metrics on all interfaces",
        "Set `metricsBindAddress: 127.0.0.1:10249` in the kube-proxy configuration (kubeadm: the `kube-proxy` ConfigMap in kube-system; k3s/RKE2: `kube-proxy-arg: [metrics-bind-address=127.0.0.1:10249]`) so its unauthenticated metrics endpoint is not reachable from the network.",
        proxy_metrics,
    ),
    def(
        "KLT013",
        "kubelet-protect-kernel-defaults-off",
        &[],
        Severity::Low,
        "Kubelet may change kernel parameters it depends on",
        fix!(
            "Set `protectKernelDefaults: true` after tuning the kernel parameters the kubelet expects (k3s/RKE2: `protect-kernel-defaults: true`); the kubelet then refuses to start on a mis-tuned host instead of silently changing it. (CIS 4.2.6 up to the 1.24 benchmarks; dropped from later generic ones.)"
        ),
        |ctx| {
            boolean(
                ctx,
                "protect-kernel-defaults",
                "protectKernelDefaults",
                true,
                (false, false),
            )
        },
    ),
    def(
        "KLT014",
        "kubelet-pod-pids-unlimited",
        &["4.2.13"],
        Severity::Low,
        "Pods may create unlimited processes",
        fix!(
            "Set `podPidsLimit` (`--pod-max-pids`) so one pod cannot exhaust the node's PIDs (a fork bomb)."
        ),
        pids_limit,
    ),
    def(
        "KLT015",
        "kubelet-seccomp-default-off",
        &["4.2.14"],
        Severity::Low,
        "Containers run without the runtime's default seccomp profile",
        fix!(
            "Set `seccompDefault: true` (`--seccomp-default`) so containers without a profile get `RuntimeDefault`."
        ),
        |ctx| {
            boolean(
                ctx,
                "seccomp-default",
                "seccompDefault",
                true,
                (false, false),
            )
        },
    ),
];

/// A setting, or an early `Manual` verdict when it is unset here but could be in a configuration file
/// that was named and not found.
macro_rules! setting {
    ($k:expr, $flag:expr, $path:expr) => {
        match resolve($k, $flag, $path) {
            Ok(s) => s,
            Err(o) => return o,
        }
    };
}

fn resolve(k: &KubeletFacts, flag: &str, path: &str) -> Result<Option<Setting>, Outcome> {
    match (k.setting(flag, path), &k.unreadable_config) {
        (Some(s), _) => Ok(Some(s)),
        (None, Some(file)) => Err(crate::checks::manual(
            format!(
                "`{path}` is not set by flags, and the kubelet configuration file `{file}` is not under the scanned root"
            ),
            vec![ev_absent("file", Some(Origin::new(file.as_str())))],
        )),
        (None, None) => Ok(None),
    }
}

fn kubelet<'a>(ctx: &Ctx<'a>) -> Result<&'a KubeletFacts, Outcome> {
    ctx.facts
        .kubelet
        .as_ref()
        .ok_or_else(|| not_applicable("no kubelet found on this node"))
}

fn uses_config(k: &KubeletFacts) -> bool {
    !k.configs.is_empty()
}

/// Evidence for an unset setting: point at the config file (or the unit) where it would go.
fn unset_evidence(k: &KubeletFacts, flag: &str, path: &str) -> Evidence {
    let origin = k
        .configs
        .first()
        .map(|c| Origin::new(c.path.as_str()))
        .or_else(|| k.unit_files.first().map(|u| Origin::new(u.as_str())));
    ev_absent(&format!("--{flag} / {path}"), origin)
}

/// Template for boolean settings. `defaults` = (default with a config file, default with flags only).
fn boolean(ctx: &Ctx, flag: &str, path: &str, want: bool, defaults: (bool, bool)) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    match setting!(k, flag, path) {
        Some(s) => {
            let value = crate::flags::parse_bool(&s.value);
            let ev = vec![ev_setting(&format!("--{flag} / {path}"), &s)];
            match value {
                Some(v) if v == want => pass(format!("kubelet `{path}` is `{v}`"), ev),
                Some(v) => fail(format!("kubelet `{path}` is `{v}`, expected `{want}`"), ev),
                None => fail(
                    format!("kubelet `{path}` has unparseable value `{}`", s.value),
                    ev,
                ),
            }
        }
        None => {
            let default = if uses_config(k) {
                defaults.0
            } else {
                defaults.1
            };
            let ev = vec![unset_evidence(k, flag, path)];
            let msg = format!("kubelet `{path}` is not set; the default `{default}` applies");
            if default == want {
                pass(msg, ev)
            } else {
                fail(msg, ev)
            }
        }
    }
}

fn present(ctx: &Ctx, settings: &[(&str, &str)]) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    for (flag, path) in settings {
        match setting!(k, flag, path) {
            Some(s) if !s.value.is_empty() => {
                evidence.push(ev_setting(&format!("--{flag} / {path}"), &s))
            }
            _ => {
                missing.push(format!("`{path}`"));
                evidence.push(unset_evidence(k, flag, path));
            }
        }
    }
    if missing.is_empty() {
        pass(
            format!(
                "kubelet sets {}",
                settings
                    .iter()
                    .map(|s| format!("`{}`", s.1))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            evidence,
        )
    } else {
        fail(
            format!("kubelet does not set {}", missing.join(" and ")),
            evidence,
        )
    }
}

fn authz_mode(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    match setting!(k, "authorization-mode", "authorization.mode") {
        Some(s) => {
            let ev = vec![ev_setting("--authorization-mode / authorization.mode", &s)];
            if s.value == "AlwaysAllow" {
                fail("kubelet `authorization.mode` is `AlwaysAllow`", ev)
            } else {
                pass(format!("kubelet `authorization.mode` is `{}`", s.value), ev)
            }
        }
        None if uses_config(k) => pass(
            "kubelet `authorization.mode` is not set; the configuration-file default `Webhook` applies",
            vec![unset_evidence(
                k,
                "authorization-mode",
                "authorization.mode",
            )],
        ),
        None => fail(
            "kubelet `--authorization-mode` is not set and no configuration file is used: the default is `AlwaysAllow`",
            vec![unset_evidence(
                k,
                "authorization-mode",
                "authorization.mode",
            )],
        ),
    }
}

fn read_only_port(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    match setting!(k, "read-only-port", "readOnlyPort") {
        Some(s) => {
            let ev = vec![ev_setting("--read-only-port / readOnlyPort", &s)];
            if Op::Eq.test(&s.value, "0") {
                pass("kubelet read-only port is disabled (0)", ev)
            } else {
                fail(format!("kubelet read-only port is `{}`", s.value), ev)
            }
        }
        None if uses_config(k) => pass(
            "`readOnlyPort` is not set; the configuration-file default 0 (disabled) applies",
            vec![unset_evidence(k, "read-only-port", "readOnlyPort")],
        ),
        None => fail(
            "`--read-only-port` is not set and no configuration file is used: the default 10255 is open",
            vec![unset_evidence(k, "read-only-port", "readOnlyPort")],
        ),
    }
}

fn streaming_timeout(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    let path = "streamingConnectionIdleTimeout";
    match setting!(k, "streaming-connection-idle-timeout", path) {
        Some(s) => {
            let ev = vec![ev_setting(
                "--streaming-connection-idle-timeout / streamingConnectionIdleTimeout",
                &s,
            )];
            match crate::checks::go_duration_secs(&s.value) {
                Some(0.0) => fail("streaming connections never time out (0)", ev),
                Some(_) => pass(format!("streaming idle timeout is `{}`", s.value), ev),
                None => fail(
                    format!("streaming idle timeout `{}` is not a duration", s.value),
                    ev,
                ),
            }
        }
        None => pass(
            "streaming idle timeout is not set; the 4h default applies",
            vec![unset_evidence(k, "streaming-connection-idle-timeout", path)],
        ),
    }
}

fn hostname_override(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    if ctx.facts.distribution.is_rancher() || ctx.facts.distribution.is_managed() {
        return not_applicable("this distribution sets the node name itself");
    }
    match k.flags.get("hostname-override") {
        Some(f) => warn(
            format!("`--hostname-override` is `{}`", f.value),
            vec![crate::checks::ev_flag(f)],
        ),
        None => pass(
            "`--hostname-override` is not set",
            vec![unset_evidence(k, "hostname-override", "-")],
        ),
    }
}

fn tls_cert(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    if let Some(s) = setting!(k, "rotate-server-certificates", "serverTLSBootstrap")
        && crate::flags::parse_bool(&s.value) == Some(true)
    {
        return pass(
            "kubelet requests its serving certificate from the cluster CA (`serverTLSBootstrap`)",
            vec![ev_setting("serverTLSBootstrap", &s)],
        );
    }
    present(
        ctx,
        &[
            ("tls-cert-file", "tlsCertFile"),
            ("tls-private-key-file", "tlsPrivateKeyFile"),
        ],
    )
}

fn rotate_client(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    match setting!(k, "rotate-certificates", "rotateCertificates") {
        Some(s) => {
            let ev = vec![ev_setting("--rotate-certificates / rotateCertificates", &s)];
            match crate::flags::parse_bool(&s.value) {
                Some(true) => pass("client certificate rotation is on", ev),
                _ => fail(format!("`rotateCertificates` is `{}`", s.value), ev),
            }
        }
        None if ctx.facts.distribution.is_rancher() => not_applicable(
            "k3s/RKE2 issue the kubelet client certificate themselves and renew it when the service restarts within 90 days of expiry",
        ),
        None => warn(
            "`rotateCertificates` is not set; the kubelet default is false, so the client certificate is never renewed automatically",
            vec![unset_evidence(
                k,
                "rotate-certificates",
                "rotateCertificates",
            )],
        ),
    }
}

fn rotate_server(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    match k.feature_gate("RotateKubeletServerCertificate") {
        Some((false, origin)) => fail(
            "`RotateKubeletServerCertificate` is false",
            vec![crate::checks::ev_value(
                "featureGates.RotateKubeletServerCertificate",
                "false",
                Some(origin),
            )],
        ),
        Some((true, origin)) => pass(
            "`RotateKubeletServerCertificate` is on",
            vec![crate::checks::ev_value(
                "featureGates.RotateKubeletServerCertificate",
                "true",
                Some(origin),
            )],
        ),
        None => pass(
            "`RotateKubeletServerCertificate` is not overridden (on by default)",
            vec![unset_evidence(k, "feature-gates", "featureGates")],
        ),
    }
}

fn ciphers(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    match setting!(k, "tls-cipher-suites", "tlsCipherSuites") {
        None => warn(
            "`tlsCipherSuites` is not set; Go's default list applies",
            vec![unset_evidence(k, "tls-cipher-suites", "tlsCipherSuites")],
        ),
        Some(s) => {
            let ev = vec![ev_setting("--tls-cipher-suites / tlsCipherSuites", &s)];
            if Op::ValidElements.test(&s.value, STRONG_CIPHERS_KUBELET) {
                pass("kubelet allows only strong cipher suites", ev)
            } else {
                let weak: Vec<&str> = s
                    .value
                    .split(',')
                    .filter(|c| !STRONG_CIPHERS_KUBELET.split(',').any(|x| x == *c))
                    .collect();
                fail(
                    format!("kubelet allows weak cipher suites: {}", weak.join(", ")),
                    ev,
                )
            }
        }
    }
}

fn tls_min(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    let s = setting!(k, "tls-min-version", "tlsMinVersion");
    let (status, message) = super::apiserver::tls_min_judge(s.as_ref().map(|s| s.value.as_str()));
    let ev = match &s {
        Some(s) => vec![ev_setting("--tls-min-version / tlsMinVersion", s)],
        None => vec![unset_evidence(k, "tls-min-version", "tlsMinVersion")],
    };
    outcome(status, format!("kubelet {message}"), ev)
}

fn pids_limit(ctx: &Ctx) -> Outcome {
    let k = match kubelet(ctx) {
        Ok(k) => k,
        Err(o) => return o,
    };
    let s: Option<Setting> = setting!(k, "pod-max-pids", "podPidsLimit");
    match s {
        Some(s) if s.value.parse::<i64>().is_ok_and(|v| v > 0) => pass(
            format!("pods are limited to {} processes", s.value),
            vec![ev_setting("--pod-max-pids / podPidsLimit", &s)],
        ),
        Some(s) => warn(
            format!("`podPidsLimit` is `{}` (unlimited)", s.value),
            vec![ev_setting("--pod-max-pids / podPidsLimit", &s)],
        ),
        None => warn(
            "`podPidsLimit` is not set: pods may create processes until the node runs out",
            vec![unset_evidence(k, "pod-max-pids", "podPidsLimit")],
        ),
    }
}

fn proxy_metrics(ctx: &Ctx) -> Outcome {
    use crate::facts::ComponentKind::KubeProxy;
    let Some(c) = ctx.facts.component(KubeProxy) else {
        return not_applicable(
            "no kube-proxy process or manifest on this node (as a DaemonSet, check `metricsBindAddress` in its ConfigMap)",
        );
    };
    match c.flags.get("metrics-bind-address") {
        Some(f) => {
            let host = f.value.rsplit_once(':').map(|(h, _)| h).unwrap_or(&f.value);
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let ev = vec![crate::checks::ev_flag(f)];
            if matches!(host, "127.0.0.1" | "localhost" | "::1") {
                pass(format!("kube-proxy metrics bound to `{}`", f.value), ev)
            } else {
                fail(format!("kube-proxy metrics bound to `{}`", f.value), ev)
            }
        }
        None if c.flags.is_set("config") => crate::checks::manual(
            "kube-proxy reads `metricsBindAddress` from its `--config` file; review it",
            c.flags
                .get("config")
                .map(crate::checks::ev_flag)
                .into_iter()
                .collect(),
        ),
        None => pass(
            "`--metrics-bind-address` is not set; the default 127.0.0.1:10249 applies",
            vec![ev_absent(
                "--metrics-bind-address",
                crate::checks::component_origin(c),
            )],
        ),
    }
}
