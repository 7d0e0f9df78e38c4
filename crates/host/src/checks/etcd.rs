//! etcd checks (CIS 2.x, 1.1.7, 1.1.8, 1.1.11, 1.1.12) — area `ETCD`.

use crate::checks::{
    Area, CheckDef, Ctx, Outcome, Owner, Severity, Status, component, ev_flag, files_check,
    flag_equals, flags_present, manual, not_applicable, pass, warn,
};
use crate::facts::ComponentKind::{ApiServer, Etcd};

macro_rules! fix {
    ($text:literal) => {
        concat!(
            $text,
            " kubeadm: edit `/etc/kubernetes/manifests/etcd.yaml`. RKE2/k3s: etcd reads the generated `server/db/etcd/config`; ",
            "set `etcd-arg` in `/etc/rancher/<k3s|rke2>/config.yaml`."
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
        area: Area::Etcd,
        cis,
        severity,
        title,
        remediation,
        run,
    }
}

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "ETCD001",
        "etcd-client-tls-missing",
        &["2.1"],
        Severity::High,
        "etcd serves clients without TLS",
        fix!("Set `--cert-file` and `--key-file` so client traffic (every Secret) is encrypted."),
        |ctx| flags_present(ctx, Etcd, &["cert-file", "key-file"]),
    ),
    def(
        "ETCD002",
        "etcd-client-cert-auth-disabled",
        &["2.2"],
        Severity::High,
        "etcd does not require client certificates",
        fix!(
            "Set `--client-cert-auth=true` with `--trusted-ca-file`; otherwise anyone who reaches port 2379 reads and writes the whole cluster state."
        ),
        |ctx| flag_equals(ctx, Etcd, "client-cert-auth", "true", "false"),
    ),
    def(
        "ETCD003",
        "etcd-auto-tls-enabled",
        &["2.3"],
        Severity::Medium,
        "etcd uses self-signed client certificates (auto TLS)",
        fix!("Remove `--auto-tls` or set it to false; use certificates from a CA clients verify."),
        |ctx| flag_equals(ctx, Etcd, "auto-tls", "false", "false"),
    ),
    def(
        "ETCD004",
        "etcd-peer-tls-missing",
        &["2.4"],
        Severity::High,
        "etcd peer traffic is not encrypted",
        fix!(
            "Set `--peer-cert-file` and `--peer-key-file` (single-member clusters have no peers; still configure them before adding members)."
        ),
        |ctx| flags_present(ctx, Etcd, &["peer-cert-file", "peer-key-file"]),
    ),
    def(
        "ETCD005",
        "etcd-peer-client-cert-auth-disabled",
        &["2.5"],
        Severity::High,
        "etcd does not authenticate its peers",
        fix!("Set `--peer-client-cert-auth=true`."),
        |ctx| flag_equals(ctx, Etcd, "peer-client-cert-auth", "true", "false"),
    ),
    def(
        "ETCD006",
        "etcd-peer-auto-tls-enabled",
        &["2.6"],
        Severity::Medium,
        "etcd uses self-signed peer certificates (auto TLS)",
        fix!("Remove `--peer-auto-tls` or set it to false."),
        |ctx| flag_equals(ctx, Etcd, "peer-auto-tls", "false", "false"),
    ),
    def(
        "ETCD007",
        "etcd-ca-shared-with-cluster",
        &["2.7"],
        Severity::Medium,
        "etcd trusts the same CA as the Kubernetes API",
        fix!(
            "Give etcd its own CA (`--trusted-ca-file`) so certificates the cluster CA issues to users cannot open etcd."
        ),
        unique_ca,
    ),
    def(
        "ETCD010",
        "etcd-manifest-file-permissions",
        &["1.1.7", "1.1.8"],
        Severity::Medium,
        "etcd pod specification is writable by others or not owned by root",
        "Run `chmod 600` and `chown root:root` on the etcd static pod manifest (`/etc/kubernetes/manifests/etcd.yaml`).",
        |ctx| {
            let Some(c) = ctx.facts.component(Etcd) else {
                return not_applicable("no etcd on this node");
            };
            let Some(manifest) = c.manifest.clone() else {
                return not_applicable(
                    "etcd is not run from a pod specification here (embedded in the distribution's process)",
                );
            };
            files_check(
                ctx,
                &[manifest],
                0o600,
                Owner::Root,
                Status::Manual,
                "etcd pod specification",
            )
        },
    ),
    def(
        "ETCD011",
        "etcd-data-dir-permissions",
        &["1.1.11", "1.1.12"],
        Severity::High,
        "etcd data directory is readable by others or wrongly owned",
        "Run `chmod 700` on the etcd data directory and `chown etcd:etcd` it (root:root where etcd runs as root, as on kubeadm).",
        data_dir,
    ),
];

fn data_dir(ctx: &Ctx) -> Outcome {
    let c = match component(ctx, Etcd) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let dir = c
        .flags
        .get("data-dir")
        .map(|f| f.value.clone())
        .unwrap_or_else(|| "/var/lib/etcd".into());
    files_check(
        ctx,
        &[dir],
        0o700,
        Owner::Etcd,
        Status::Manual,
        "etcd data directory",
    )
}

fn unique_ca(ctx: &Ctx) -> Outcome {
    let etcd = match component(ctx, Etcd) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let Some(trusted) = etcd.flags.get("trusted-ca-file") else {
        return warn("etcd has no `--trusted-ca-file`", Vec::new());
    };
    let Some(client_ca) = ctx
        .facts
        .component(ApiServer)
        .and_then(|a| a.flags.get("client-ca-file"))
    else {
        return manual(
            "no API server client CA on this node to compare with",
            vec![ev_flag(trusted)],
        );
    };
    if trusted.value == client_ca.value {
        warn(
            format!(
                "etcd trusts `{}`, the API server's client CA",
                trusted.value
            ),
            vec![ev_flag(trusted), ev_flag(client_ca)],
        )
    } else {
        pass(
            format!("etcd trusts its own CA `{}`", trusted.value),
            vec![ev_flag(trusted), ev_flag(client_ca)],
        )
    }
}
