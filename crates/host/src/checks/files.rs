//! File permission and ownership checks (CIS 1.1.x for the control plane, 4.1.x for workers). Each check
//! covers the mode and the owner recommendation of one file, so it maps to two CIS numbers.

use crate::checks::{
    Area, CheckDef, Ctx, Outcome, Owner, Severity, Status, files_check, not_applicable,
};
use crate::facts::{ComponentKind, ComponentSource};

#[allow(clippy::too_many_arguments)]
const fn def(
    id: &'static str,
    name: &'static str,
    area: Area,
    cis: &'static [&'static str],
    severity: Severity,
    title: &'static str,
    remediation: &'static str,
    run: fn(&Ctx) -> Outcome,
) -> CheckDef {
    CheckDef {
        id,
        name,
        area,
        cis,
        severity,
        title,
        remediation,
        run,
    }
}

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "CP060",
        "apiserver-manifest-permissions",
        Area::Cp,
        &["1.1.1", "1.1.2"],
        Severity::Medium,
        "API server pod specification is writable by others or not owned by root",
        "Run `chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml` and `chown root:root` on it: whoever can edit it runs code as the API server.",
        |ctx| manifest(ctx, ComponentKind::ApiServer),
    ),
    def(
        "CP061",
        "controller-manager-manifest-permissions",
        Area::Cp,
        &["1.1.3", "1.1.4"],
        Severity::Medium,
        "Controller manager pod specification is writable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on `/etc/kubernetes/manifests/kube-controller-manager.yaml`.",
        |ctx| manifest(ctx, ComponentKind::ControllerManager),
    ),
    def(
        "CP062",
        "scheduler-manifest-permissions",
        Area::Cp,
        &["1.1.5", "1.1.6"],
        Severity::Medium,
        "Scheduler pod specification is writable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on `/etc/kubernetes/manifests/kube-scheduler.yaml`.",
        |ctx| manifest(ctx, ComponentKind::Scheduler),
    ),
    def(
        "CP063",
        "cni-config-permissions",
        Area::Cp,
        &["1.1.9", "1.1.10"],
        Severity::Low,
        "CNI configuration files are readable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on the files in `/etc/cni/net.d/`.",
        |ctx| {
            let files = ctx.facts.cni_files.clone();
            files_check(
                ctx,
                &files,
                0o600,
                Owner::Root,
                Status::NotApplicable,
                "CNI configuration files",
            )
        },
    ),
    def(
        "CP064",
        "admin-kubeconfig-permissions",
        Area::Cp,
        &["1.1.13", "1.1.14"],
        Severity::High,
        "Cluster-admin kubeconfig is readable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on `/etc/kubernetes/admin.conf` and `super-admin.conf` (k3s/RKE2: `server/cred/admin.kubeconfig`). They hold cluster-admin credentials.",
        |ctx| {
            cp_files(
                ctx,
                &[
                    "/etc/kubernetes/admin.conf",
                    "/etc/kubernetes/super-admin.conf",
                ],
                "server/cred/admin.kubeconfig",
                0o600,
                "admin kubeconfig",
            )
        },
    ),
    def(
        "CP065",
        "scheduler-kubeconfig-permissions",
        Area::Cp,
        &["1.1.15", "1.1.16"],
        Severity::Medium,
        "Scheduler kubeconfig is readable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on `/etc/kubernetes/scheduler.conf` (k3s/RKE2: `server/cred/scheduler.kubeconfig`).",
        |ctx| {
            cp_files(
                ctx,
                &["/etc/kubernetes/scheduler.conf"],
                "server/cred/scheduler.kubeconfig",
                0o600,
                "scheduler kubeconfig",
            )
        },
    ),
    def(
        "CP066",
        "controller-manager-kubeconfig-permissions",
        Area::Cp,
        &["1.1.17", "1.1.18"],
        Severity::Medium,
        "Controller manager kubeconfig is readable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on `/etc/kubernetes/controller-manager.conf` (k3s/RKE2: `server/cred/controller.kubeconfig`).",
        |ctx| {
            cp_files(
                ctx,
                &["/etc/kubernetes/controller-manager.conf"],
                "server/cred/controller.kubeconfig",
                0o600,
                "controller manager kubeconfig",
            )
        },
    ),
    def(
        "CP067",
        "pki-ownership",
        Area::Cp,
        &["1.1.19"],
        Severity::Medium,
        "PKI directory or files are not owned by root",
        "Run `chown -R root:root` on the PKI directory (`/etc/kubernetes/pki`, k3s/RKE2: `server/tls`).",
        |ctx| pki(ctx, |_| true, 0o7777, "PKI directory and files"),
    ),
    def(
        "CP068",
        "pki-certificate-permissions",
        Area::Cp,
        &["1.1.20"],
        Severity::Low,
        "PKI certificate files are writable by others",
        "Run `chmod 644` (or stricter) on the `*.crt` files in the PKI directory.",
        |ctx| pki(ctx, |p| p.ends_with(".crt"), 0o644, "PKI certificates"),
    ),
    def(
        "CP069",
        "pki-key-permissions",
        Area::Cp,
        &["1.1.21"],
        Severity::High,
        "PKI private keys are readable by others",
        "Run `chmod 600` on the `*.key` files in the PKI directory: anyone who reads the CA key can mint cluster-admin credentials.",
        |ctx| pki(ctx, |p| p.ends_with(".key"), 0o600, "PKI private keys"),
    ),
    def(
        "KLT020",
        "kubelet-service-file-permissions",
        Area::Klt,
        &["4.1.1", "4.1.2"],
        Severity::Medium,
        "Kubelet service files are writable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on the kubelet unit and drop-in files (`/etc/systemd/system/kubelet.service.d/*.conf`; k3s/RKE2: their systemd unit).",
        service_files,
    ),
    def(
        "KLT021",
        "kube-proxy-kubeconfig-permissions",
        Area::Klt,
        &["4.1.3", "4.1.4"],
        Severity::Medium,
        "kube-proxy kubeconfig is readable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on the kube-proxy kubeconfig file, if the node has one.",
        proxy_kubeconfig,
    ),
    def(
        "KLT022",
        "kubelet-kubeconfig-permissions",
        Area::Klt,
        &["4.1.5", "4.1.6"],
        Severity::Medium,
        "Kubelet kubeconfig is readable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on the kubelet's `--kubeconfig` file (kubeadm: `/etc/kubernetes/kubelet.conf`).",
        |ctx| kubelet_file(ctx, |k| k.kubeconfig.clone(), 0o600, "kubelet kubeconfig"),
    ),
    def(
        "KLT023",
        "kubelet-client-ca-permissions",
        Area::Klt,
        &["4.1.7", "4.1.8"],
        Severity::Medium,
        "Kubelet client CA file is writable by others or not owned by root",
        "Run `chmod 644` and `chown root:root` on the kubelet's client CA file: whoever can replace it decides who may call the kubelet API.",
        |ctx| {
            kubelet_file(
                ctx,
                |k| k.client_ca_file.clone(),
                0o644,
                "kubelet client CA file",
            )
        },
    ),
    def(
        "KLT024",
        "kubelet-config-file-permissions",
        Area::Klt,
        &["4.1.9", "4.1.10"],
        Severity::Medium,
        "Kubelet configuration file is writable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on the kubelet configuration file (kubeadm: `/var/lib/kubelet/config.yaml`).",
        |ctx| {
            kubelet_file(
                ctx,
                |k| k.config_path.clone(),
                0o600,
                "kubelet configuration file",
            )
        },
    ),
];

fn manifest(ctx: &Ctx, kind: ComponentKind) -> Outcome {
    let Some(c) = ctx.facts.component(kind) else {
        return not_applicable(format!("no {} on this node", kind.binary()));
    };
    if let ComponentSource::Embedded { distribution } = &c.source {
        return not_applicable(format!(
            "{} runs inside the {distribution} process; there is no pod specification file",
            kind.binary()
        ));
    }
    let paths: Vec<String> = c.manifest.clone().into_iter().collect();
    files_check(
        ctx,
        &paths,
        0o600,
        Owner::Root,
        Status::Manual,
        &format!("{} pod specification", kind.binary()),
    )
}

fn cp_files(ctx: &Ctx, kubeadm: &[&str], rancher: &str, max: u32, what: &str) -> Outcome {
    if !ctx.facts.roles.control_plane {
        return not_applicable("not a control-plane node");
    }
    let paths: Vec<String> = match &ctx.facts.rancher {
        Some(r) => vec![format!("{}/{rancher}", r.data_dir)],
        None => {
            let existing: Vec<String> = kubeadm
                .iter()
                .filter(|p| ctx.facts.file(p).exists)
                .map(|p| p.to_string())
                .collect();
            if existing.is_empty() {
                kubeadm.iter().take(1).map(|p| p.to_string()).collect()
            } else {
                existing
            }
        }
    };
    files_check(ctx, &paths, max, Owner::Root, Status::Manual, what)
}

fn pki(ctx: &Ctx, select: fn(&str) -> bool, max: u32, what: &str) -> Outcome {
    let Some(dir) = &ctx.facts.pki_dir else {
        if ctx.facts.roles.control_plane {
            return crate::checks::manual(
                "no PKI directory found on this control-plane node",
                Vec::new(),
            );
        }
        return not_applicable("no PKI directory on this node");
    };
    let mut paths: Vec<String> = ctx
        .facts
        .pki_files
        .iter()
        .filter(|p| select(p))
        .cloned()
        .collect();
    if max == 0o7777 {
        paths.insert(0, dir.clone());
    }
    files_check(ctx, &paths, max, Owner::Root, Status::NotApplicable, what)
}

fn service_files(ctx: &Ctx) -> Outcome {
    let mut paths: Vec<String> = ctx
        .facts
        .kubelet
        .as_ref()
        .map(|k| {
            k.unit_files
                .iter()
                .filter(|p| p.contains("systemd"))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if let Some(r) = &ctx.facts.rancher {
        let d = &r.distribution;
        paths.extend(
            [
                format!("/etc/systemd/system/{d}.service"),
                format!("/etc/systemd/system/{d}-server.service"),
                format!("/etc/systemd/system/{d}-agent.service"),
            ]
            .into_iter()
            .filter(|p| ctx.facts.file(p).exists),
        );
    }
    if ctx.facts.kubelet.is_none() {
        return not_applicable("no kubelet on this node");
    }
    files_check(
        ctx,
        &paths,
        0o600,
        Owner::Root,
        Status::Manual,
        "kubelet service files",
    )
}

fn proxy_kubeconfig(ctx: &Ctx) -> Outcome {
    let mut candidates = vec![
        "/etc/kubernetes/proxy.conf".to_string(),
        "/var/lib/kube-proxy/kubeconfig.conf".to_string(),
    ];
    if let Some(r) = &ctx.facts.rancher {
        candidates.push(format!("{}/agent/kubeproxy.kubeconfig", r.data_dir));
    }
    let existing: Vec<String> = candidates
        .into_iter()
        .filter(|p| ctx.facts.file(p).exists)
        .collect();
    if existing.is_empty() {
        return not_applicable(
            "no kube-proxy kubeconfig on this node (kube-proxy may run as a DaemonSet with its own ServiceAccount)",
        );
    }
    files_check(
        ctx,
        &existing,
        0o600,
        Owner::Root,
        Status::NotApplicable,
        "kube-proxy kubeconfig",
    )
}

fn kubelet_file(
    ctx: &Ctx,
    pick: fn(&crate::facts::KubeletFacts) -> Option<String>,
    max: u32,
    what: &str,
) -> Outcome {
    let Some(k) = &ctx.facts.kubelet else {
        return not_applicable("no kubelet on this node");
    };
    let paths: Vec<String> = pick(k).into_iter().collect();
    // k3s and RKE2 configure their kubelet with flags; having no such file there is expected.
    let missing = if ctx.facts.distribution.is_rancher() {
        Status::NotApplicable
    } else {
        Status::Manual
    };
    files_check(ctx, &paths, max, Owner::Root, missing, what)
}
