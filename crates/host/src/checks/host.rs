//! Node operating system checks — area `HOST`: SSH, host firewall, immutable OS, unexpected processes.

use crate::checks::{
    Area, CheckDef, Ctx, Evidence, Outcome, Severity, ev_setting, ev_value, fail, not_applicable,
    pass, warn,
};
use crate::facts::{Origin, SshdFacts};

const fn def(
    id: &'static str,
    name: &'static str,
    severity: Severity,
    title: &'static str,
    remediation: &'static str,
    run: fn(&Ctx) -> Outcome,
) -> CheckDef {
    CheckDef {
        id,
        name,
        area: Area::Host,
        cis: &[],
        severity,
        title,
        remediation,
        run,
    }
}

/// Processes expected on a Kubernetes node, by `comm` prefix (comm is cut to 15 characters).
const ALLOWED_PROCESSES: &[&str] = &[
    "kube",
    "kubelet",
    "etcd",
    "k3s",
    "rke2",
    "containerd",
    "dockerd",
    "docker",
    "cri-o",
    "crio",
    "conmon",
    "runc",
    "crun",
    "pause",
    "systemd",
    "(sd-pam)",
    "init",
    "dbus",
    "sshd",
    "agetty",
    "login",
    "cron",
    "crond",
    "chronyd",
    "ntpd",
    "timesyncd",
    "rsyslogd",
    "journald",
    "udevd",
    "networkd",
    "resolved",
    "polkitd",
    "flanneld",
    "calico",
    "bird",
    "confd",
    "cilium",
    "coredns",
    "kubeward",
    "sh",
    "bash",
    "sudo",
    "multipathd",
    "irqbalance",
    "auditd",
    "unattended-upgr",
    "snapd",
    "containerd-shim",
    "aws-node",
    "amazon-ssm",
    "ssm-agent",
    "google_guest",
    "waagent",
    "node_exporter",
    "fluent-bit",
    "tini",
    "dumb-init",
];

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "HOST001",
        "ssh-root-login-permitted",
        Severity::High,
        "SSH allows logging in as root",
        "Set `PermitRootLogin no` in `/etc/ssh/sshd_config` (or a file in `sshd_config.d/` read before others) and reload sshd; log in as a named user and use sudo, so actions are attributable.",
        root_login,
    ),
    def(
        "HOST002",
        "ssh-password-authentication-enabled",
        Severity::Medium,
        "SSH accepts passwords",
        "Set `PasswordAuthentication no` (and `KbdInteractiveAuthentication no`) and use keys or certificates; passwords can be guessed or sprayed from the network.",
        password_auth,
    ),
    def(
        "HOST003",
        "ssh-port-unrestricted",
        Severity::Medium,
        "SSH is reachable from any address",
        "Allow the SSH port only from a bastion or management network in the host firewall (or the cloud security group), or bind sshd with `ListenAddress` to a management interface.",
        ssh_reachable,
    ),
    def(
        "HOST004",
        "host-firewall-missing",
        Severity::Medium,
        "No host firewall filters inbound traffic",
        "Persist an inbound policy (nftables, iptables-persistent, ufw or firewalld) that drops by default and allows the Kubernetes ports (6443, 10250, 2379-2380 on control planes; 10250 and NodePorts on workers) from the cluster networks only. Keep CNI-managed chains intact.",
        firewall,
    ),
    def(
        "HOST005",
        "mutable-general-purpose-os",
        Severity::Info,
        "Node runs a general-purpose, mutable operating system",
        "Consider a container-optimised immutable OS (Flatcar, Bottlerocket, Talos, Fedora CoreOS): read-only system partitions, atomic updates and rollback, no package manager for an attacker to use, and a smaller attack surface.",
        immutable_os,
    ),
    def(
        "HOST006",
        "non-essential-processes",
        Severity::Low,
        "Processes unrelated to Kubernetes run on the node",
        "Remove services the node does not need, or add them to the allow-list if they are expected; every extra process is more attack surface and more code running next to the kubelet's credentials.",
        processes,
    ),
];

fn sshd<'a>(ctx: &Ctx<'a>) -> Result<&'a SshdFacts, Outcome> {
    ctx.facts
        .sshd
        .as_ref()
        .ok_or_else(|| not_applicable("no /etc/ssh/sshd_config on this node"))
}

fn match_overrides(s: &SshdFacts, keyword: &str, bad: &[&str]) -> Vec<Evidence> {
    s.match_settings
        .iter()
        .filter(|(_, k, v)| k == keyword && bad.contains(&v.value.to_ascii_lowercase().as_str()))
        .map(|(criteria, k, v)| Evidence {
            subject: format!("Match {criteria}: {k}"),
            value: Some(v.value.clone()),
            origin: Some(v.origin.clone()),
        })
        .collect()
}

fn root_login(ctx: &Ctx) -> Outcome {
    let s = match sshd(ctx) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let overrides = match_overrides(s, "permitrootlogin", &["yes"]);
    match s.global.get("permitrootlogin") {
        Some(v) => {
            let mut ev = vec![ev_setting("PermitRootLogin", v)];
            let value = v.value.to_ascii_lowercase();
            match value.as_str() {
                "yes" => fail(
                    "`PermitRootLogin yes`: root can log in with a password or key",
                    ev,
                ),
                "no" if overrides.is_empty() => pass("`PermitRootLogin no`", ev),
                "no" => {
                    ev.extend(overrides);
                    warn(
                        "`PermitRootLogin no` globally, but a Match block allows it",
                        ev,
                    )
                }
                other => {
                    ev.extend(overrides);
                    warn(
                        format!("`PermitRootLogin {other}`: root can still log in with a key"),
                        ev,
                    )
                }
            }
        }
        None => {
            let mut ev = vec![Evidence {
                subject: "PermitRootLogin".into(),
                value: None,
                origin: s.files.first().map(|f| Origin::new(f.as_str())),
            }];
            ev.extend(overrides);
            warn(
                "`PermitRootLogin` is not set; the OpenSSH default `prohibit-password` allows root with a key",
                ev,
            )
        }
    }
}

fn password_auth(ctx: &Ctx) -> Outcome {
    let s = match sshd(ctx) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let overrides = match_overrides(s, "passwordauthentication", &["yes"]);
    match s.global.get("passwordauthentication") {
        Some(v) if v.value.eq_ignore_ascii_case("no") => {
            let mut ev = vec![ev_setting("PasswordAuthentication", v)];
            if overrides.is_empty() {
                pass("`PasswordAuthentication no`", ev)
            } else {
                ev.extend(overrides);
                warn(
                    "passwords are off globally but a Match block turns them on",
                    ev,
                )
            }
        }
        Some(v) => fail(
            format!("`PasswordAuthentication {}`", v.value),
            vec![ev_setting("PasswordAuthentication", v)],
        ),
        None => fail(
            "`PasswordAuthentication` is not set; the OpenSSH default is yes",
            vec![Evidence {
                subject: "PasswordAuthentication".into(),
                value: None,
                origin: s.files.first().map(|f| Origin::new(f.as_str())),
            }],
        ),
    }
}

fn ssh_ports(s: &SshdFacts) -> Vec<String> {
    if s.ports.is_empty() {
        vec!["22".into()]
    } else {
        s.ports.iter().map(|p| p.value.clone()).collect()
    }
}

fn ssh_reachable(ctx: &Ctx) -> Outcome {
    let s = match sshd(ctx) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let ports = ssh_ports(s);
    let mut evidence: Vec<Evidence> = s.ports.iter().map(|p| ev_setting("Port", p)).collect();
    let wildcard = s.listen_addresses.is_empty()
        || s.listen_addresses.iter().any(|l| {
            let a = l.value.split(':').next().unwrap_or_default();
            a == "0.0.0.0" || l.value.starts_with("[::]") || l.value == "::"
        });
    if !wildcard {
        evidence.extend(
            s.listen_addresses
                .iter()
                .map(|l| ev_setting("ListenAddress", l)),
        );
        return pass("sshd listens only on specific addresses", evidence);
    }
    if !ports.iter().any(|p| p == "22") {
        evidence.push(ev_value("note", "custom port", None));
    }
    let active: Vec<_> = ctx
        .facts
        .firewall
        .iter()
        .filter(|f| !f.disabled && (f.rule_count > 0 || f.default_deny_input))
        .collect();
    if active.is_empty() {
        return fail(
            format!(
                "sshd listens on all addresses (port {}) and no host firewall restricts it",
                ports.join(", ")
            ),
            evidence,
        );
    }
    let numeric: Vec<u16> = ports.iter().filter_map(|p| p.parse().ok()).collect();
    let rules: Vec<_> = active
        .iter()
        .flat_map(|f| f.port_rules.iter())
        .filter(|r| numeric.iter().any(|p| r.covers(*p)))
        .collect();
    // Rules that open SSH to everyone come first: they are where the fix goes.
    let mut rules = rules;
    rules.sort_by_key(|r| !r.accepts || r.source_restricted);
    let rule_evidence = rules
        .iter()
        .map(|r| ev_value("firewall rule", r.text.clone(), Some(r.origin.clone())));
    let evidence: Vec<Evidence> = rule_evidence.chain(evidence).collect();
    let open_rule = rules.iter().any(|r| r.accepts && !r.source_restricted);
    let default_deny = active.iter().any(|f| f.default_deny_input);
    if open_rule {
        fail("a firewall rule accepts SSH from any source", evidence)
    } else if default_deny {
        pass(
            "inbound traffic is dropped by default and SSH is allowed only from listed sources (or not at all)",
            evidence,
        )
    } else {
        warn(
            "the firewall does not drop inbound traffic by default, so SSH is reachable unless a later rule blocks it",
            evidence,
        )
    }
}

fn firewall(ctx: &Ctx) -> Outcome {
    let fw = &ctx.facts.firewall;
    let mut evidence: Vec<Evidence> = fw
        .iter()
        .map(|f| {
            ev_value(
                &format!("{:?}", f.kind).to_lowercase(),
                format!(
                    "{} rules, default {}{}",
                    f.rule_count,
                    if f.default_deny_input {
                        "deny"
                    } else {
                        "accept"
                    },
                    if f.disabled { ", disabled" } else { "" }
                ),
                Some(Origin::new(f.path.as_str())),
            )
        })
        .collect();
    let active: Vec<_> = fw.iter().filter(|f| !f.disabled).collect();
    if fw.is_empty() && ctx.facts.os.is_none() {
        return crate::checks::manual(
            "neither firewall configuration nor /etc/os-release found: the root may not be a full node filesystem",
            Vec::new(),
        );
    }
    if active.is_empty() {
        if evidence.is_empty() {
            evidence.push(ev_value("firewall", "none found", None));
        }
        return fail(
            "no enabled host firewall configuration was found (nftables, iptables, ufw, firewalld)",
            evidence,
        );
    }
    if active.iter().any(|f| f.default_deny_input) {
        pass("a host firewall drops inbound traffic by default", evidence)
    } else {
        warn(
            "a host firewall is configured but accepts inbound traffic by default",
            evidence,
        )
    }
}

fn immutable_os(ctx: &Ctx) -> Outcome {
    let Some(os) = &ctx.facts.os else {
        return not_applicable("no /etc/os-release on this node");
    };
    let ev = vec![ev_value(
        "os",
        os.pretty_name.clone(),
        Some(Origin::new(os.path.as_str())),
    )];
    if os.immutable {
        pass(
            format!("{} is an immutable container OS", os.pretty_name),
            ev,
        )
    } else {
        warn(
            format!(
                "{} is a general-purpose OS: packages and system files can be changed in place",
                os.pretty_name
            ),
            ev,
        )
    }
}

fn processes(ctx: &Ctx) -> Outcome {
    let Some(procs) = ctx.facts.processes.as_ref().filter(|p| !p.is_empty()) else {
        return not_applicable(
            "running processes were not collected (enable reading /proc, and mount the host's /proc under the root)",
        );
    };
    let allowed = |comm: &str| {
        ALLOWED_PROCESSES.iter().any(|a| comm.starts_with(a))
            || ctx
                .opts
                .process_allow_list
                .iter()
                .any(|a| comm == a || comm.starts_with(a.as_str()))
    };
    let extra: Vec<Evidence> = procs
        .iter()
        .filter(|p| !allowed(&p.comm))
        .map(|p| {
            ev_value(
                &p.comm,
                p.cmdline(),
                Some(Origin::new(format!("/proc/{}/cmdline", p.pid))),
            )
        })
        .collect();
    if extra.is_empty() {
        pass(
            format!(
                "{} processes, all expected on a Kubernetes node",
                procs.len()
            ),
            Vec::new(),
        )
    } else {
        let names: Vec<String> = extra.iter().map(|e| e.subject.clone()).collect();
        warn(format!("unexpected processes: {}", names.join(", ")), extra)
    }
}
