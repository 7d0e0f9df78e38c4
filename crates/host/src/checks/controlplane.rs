//! Controller manager and scheduler checks (CIS 1.3, 1.4) — area `CP`.

use crate::checks::{
    Area, CheckDef, Ctx, Outcome, Severity, Status, component, component_origin, ev_absent,
    ev_flag, fail, flag_check, flag_equals, flags_present, pass,
};
use crate::facts::ComponentKind::{self, ControllerManager, Scheduler};

macro_rules! fix {
    ($text:literal) => {
        concat!(
            $text,
            " kubeadm: edit the component's manifest under `/etc/kubernetes/manifests/`. ",
            "k3s/RKE2: use `kube-controller-manager-arg` / `kube-scheduler-arg` in `/etc/rancher/<k3s|rke2>/config.yaml`."
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

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "CP040",
        "controller-manager-pod-gc-threshold-unset",
        &["1.3.1"],
        Severity::Info,
        "Terminated pod garbage collection threshold is the default 12500",
        fix!(
            "Set `--terminated-pod-gc-threshold` to a value that fits the cluster (e.g. 10) so finished pods do not pile up in etcd."
        ),
        |ctx| {
            flag_check(
                ctx,
                ControllerManager,
                "terminated-pod-gc-threshold",
                |f| match f {
                    Some(f) => (
                        Status::Pass,
                        format!("`--terminated-pod-gc-threshold` is {}", f.value),
                    ),
                    None => (
                        Status::Warn,
                        "`--terminated-pod-gc-threshold` is not set (default 12500)".into(),
                    ),
                },
            )
        },
    ),
    def(
        "CP041",
        "controller-manager-profiling-enabled",
        &["1.3.2"],
        Severity::Low,
        "Controller manager exposes profiling endpoints",
        fix!("Set `--profiling=false`."),
        |ctx| flag_equals(ctx, ControllerManager, "profiling", "false", "true"),
    ),
    def(
        "CP042",
        "controller-manager-shared-credentials",
        &["1.3.3"],
        Severity::Medium,
        "Controllers share the controller manager's own credentials",
        fix!(
            "Set `--use-service-account-credentials=true` so each controller acts with its own, narrowly-bound service account."
        ),
        |ctx| {
            flag_equals(
                ctx,
                ControllerManager,
                "use-service-account-credentials",
                "true",
                "false",
            )
        },
    ),
    def(
        "CP043",
        "controller-manager-sa-private-key-missing",
        &["1.3.4"],
        Severity::Medium,
        "No service account signing key is configured",
        fix!("Set `--service-account-private-key-file`."),
        |ctx| {
            flags_present(
                ctx,
                ControllerManager,
                &["service-account-private-key-file"],
            )
        },
    ),
    def(
        "CP044",
        "controller-manager-root-ca-missing",
        &["1.3.5"],
        Severity::Medium,
        "Pods are not given the cluster CA to verify the API server",
        fix!("Set `--root-ca-file` so service account token volumes carry the CA bundle."),
        |ctx| flags_present(ctx, ControllerManager, &["root-ca-file"]),
    ),
    def(
        "CP045",
        "controller-manager-kubelet-cert-rotation-off",
        &["1.3.6"],
        Severity::Medium,
        "Kubelet serving certificate rotation is switched off",
        fix!(
            "Do not set `RotateKubeletServerCertificate=false` in `--feature-gates` (it is on by default)."
        ),
        rotate_gate,
    ),
    def(
        "CP046",
        "controller-manager-bind-address-exposed",
        &["1.3.7"],
        Severity::Medium,
        "Controller manager listens on all interfaces",
        fix!(
            "Set `--bind-address=127.0.0.1`; its metrics and health endpoints do not need to be reachable from the network."
        ),
        |ctx| bind_address(ctx, ControllerManager),
    ),
    def(
        "CP050",
        "scheduler-profiling-enabled",
        &["1.4.1"],
        Severity::Low,
        "Scheduler exposes profiling endpoints",
        fix!("Set `--profiling=false`."),
        |ctx| flag_equals(ctx, Scheduler, "profiling", "false", "true"),
    ),
    def(
        "CP051",
        "scheduler-bind-address-exposed",
        &["1.4.2"],
        Severity::Medium,
        "Scheduler listens on all interfaces",
        fix!("Set `--bind-address=127.0.0.1`."),
        |ctx| bind_address(ctx, Scheduler),
    ),
];

fn rotate_gate(ctx: &Ctx) -> Outcome {
    let c = match component(ctx, ControllerManager) {
        Ok(c) => c,
        Err(o) => return o,
    };
    match c.flags.feature_gate("RotateKubeletServerCertificate") {
        Some((false, origin)) => fail(
            "`RotateKubeletServerCertificate=false` is set",
            vec![crate::checks::ev_value(
                "--feature-gates",
                "RotateKubeletServerCertificate=false",
                Some(origin.clone()),
            )],
        ),
        Some((true, origin)) => pass(
            "`RotateKubeletServerCertificate` is on",
            vec![crate::checks::ev_value(
                "--feature-gates",
                "RotateKubeletServerCertificate=true",
                Some(origin.clone()),
            )],
        ),
        None => pass(
            "`RotateKubeletServerCertificate` is not overridden (on by default)",
            vec![ev_absent("--feature-gates", component_origin(c))],
        ),
    }
}

fn bind_address(ctx: &Ctx, kind: ComponentKind) -> Outcome {
    let c = match component(ctx, kind) {
        Ok(c) => c,
        Err(o) => return o,
    };
    match c.flags.get("bind-address") {
        Some(f) if matches!(f.value.as_str(), "127.0.0.1" | "::1" | "localhost") => pass(
            format!("`--bind-address` is `{}`", f.value),
            vec![ev_flag(f)],
        ),
        Some(f) => fail(
            format!("`--bind-address` is `{}`", f.value),
            vec![ev_flag(f)],
        ),
        None => fail(
            "`--bind-address` is not set; the default 0.0.0.0 listens on every interface",
            vec![ev_absent("--bind-address", component_origin(c))],
        ),
    }
}
