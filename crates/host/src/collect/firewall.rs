//! Host firewall configuration on disk: nftables, iptables saved rules, ufw, firewalld. We read the
//! persisted rules (what the node applies at boot), not the live kernel tables.

use crate::collect::fs::NodeFs;
use crate::facts::{FirewallKind, FirewallSource, Origin, PortRule};

const NFT: &[&str] = &["/etc/nftables.conf", "/etc/sysconfig/nftables.conf"];
const IPTABLES: &[&str] = &[
    "/etc/iptables/rules.v4",
    "/etc/sysconfig/iptables",
    "/etc/iptables/iptables.rules",
];

pub fn collect(fs: &NodeFs) -> Vec<FirewallSource> {
    let mut out = Vec::new();
    for path in NFT {
        if let Some(text) = fs.read(path) {
            out.push(nftables(path, &text));
        }
    }
    for path in IPTABLES {
        if let Some(text) = fs.read(path) {
            out.push(iptables(path, &text, FirewallKind::Iptables, "INPUT"));
        }
    }
    if let Some(conf) = fs.read("/etc/ufw/ufw.conf") {
        let enabled = conf
            .lines()
            .any(|l| l.trim().eq_ignore_ascii_case("ENABLED=yes"));
        let default_drop = fs.read("/etc/default/ufw").is_some_and(|t| {
            t.lines().any(|l| {
                let l = l.trim();
                l.starts_with("DEFAULT_INPUT_POLICY=")
                    && (l.contains("DROP") || l.contains("REJECT"))
            })
        });
        let rules_path = "/etc/ufw/user.rules";
        let mut src = match fs.read(rules_path) {
            Some(text) => iptables(rules_path, &text, FirewallKind::Ufw, "ufw-user-input"),
            None => FirewallSource {
                kind: FirewallKind::Ufw,
                path: rules_path.into(),
                default_deny_input: false,
                rule_count: 0,
                port_rules: Vec::new(),
                disabled: false,
            },
        };
        src.path = "/etc/ufw/ufw.conf".into();
        src.default_deny_input = default_drop;
        src.disabled = !enabled;
        out.push(src);
    }
    let zones = fs.list("/etc/firewalld/zones");
    if fs.exists("/etc/firewalld/firewalld.conf") {
        let port_rules = zones
            .iter()
            .filter_map(|z| fs.read(z).map(|t| (z, t)))
            .filter(|(_, t)| t.contains("service name=\"ssh\""))
            .map(|(z, t)| PortRule {
                origin: Origin::new(z.as_str()),
                text: "service ssh".into(),
                ports: vec!["ssh".into()],
                accepts: true,
                source_restricted: t.contains("<source "),
            })
            .collect();
        out.push(FirewallSource {
            kind: FirewallKind::Firewalld,
            path: "/etc/firewalld/firewalld.conf".into(),
            // firewalld zones reject what they do not allow.
            default_deny_input: true,
            rule_count: zones.len().max(1),
            port_rules,
            disabled: false,
        });
    }
    out
}

/// Destination ports named by a rule: `--dport 22`, `--dports 22,80`, `dport { 22, 6443 }`, `dport 2379-2380`.
fn dports(text: &str) -> Vec<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].trim_start_matches('-');
        i += 1;
        if t != "dport" && t != "dports" {
            continue;
        }
        if tokens.get(i) == Some(&"{") || tokens.get(i).is_some_and(|n| n.starts_with('{')) {
            while i < tokens.len() {
                let part = tokens[i];
                i += 1;
                out.extend(
                    part.split(',')
                        .map(|p| p.trim_matches(|c| c == '{' || c == '}' || c == ' '))
                        .filter(|p| !p.is_empty())
                        .map(str::to_string),
                );
                if part.ends_with('}') {
                    break;
                }
            }
        } else if let Some(list) = tokens.get(i) {
            out.extend(
                list.split(',')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
            );
            i += 1;
        }
    }
    out
}

pub fn nftables(path: &str, text: &str) -> FirewallSource {
    let mut src = FirewallSource {
        kind: FirewallKind::Nftables,
        path: path.into(),
        default_deny_input: false,
        rule_count: 0,
        port_rules: Vec::new(),
        disabled: false,
    };
    let mut in_input = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if line.starts_with("chain ") {
            in_input = line.contains("input") || line.contains("INPUT");
            continue;
        }
        if !in_input {
            continue;
        }
        if line.contains("hook input") && line.contains("policy drop") {
            src.default_deny_input = true;
            continue;
        }
        if line.starts_with("type ") || line == "}" {
            continue;
        }
        src.rule_count += 1;
        if line == "drop" || line == "reject" || line.starts_with("counter drop") {
            src.default_deny_input = true;
        }
        let ports = dports(line);
        if !ports.is_empty() {
            src.port_rules.push(PortRule {
                origin: Origin::at_col(path, i as u32 + 1, Some(crate::text::indent_column(raw))),
                text: line.to_string(),
                ports,
                accepts: line.contains("accept"),
                source_restricted: line.contains("saddr"),
            });
        }
    }
    src
}

pub fn iptables(path: &str, text: &str, kind: FirewallKind, chain: &str) -> FirewallSource {
    let mut src = FirewallSource {
        kind,
        path: path.into(),
        default_deny_input: false,
        rule_count: 0,
        port_rules: Vec::new(),
        disabled: false,
    };
    let mut in_filter = kind == FirewallKind::Ufw;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('*') {
            in_filter = line == "*filter";
            continue;
        }
        if !in_filter {
            continue;
        }
        if let Some(rest) = line.strip_prefix(':') {
            let mut parts = rest.split_whitespace();
            if parts.next() == Some(chain) && matches!(parts.next(), Some("DROP" | "REJECT")) {
                src.default_deny_input = true;
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("-A ") else {
            continue;
        };
        if !rest.starts_with(chain) {
            continue;
        }
        src.rule_count += 1;
        let jumps_drop = rest.contains("-j DROP") || rest.contains("-j REJECT");
        // A final unconditional drop/reject has the same effect as a drop policy.
        if jumps_drop
            && !rest.contains(" -s ")
            && !rest.contains("--dport")
            && !rest.contains(" -p ")
        {
            src.default_deny_input = true;
        }
        let ports = dports(rest);
        if !ports.is_empty() {
            src.port_rules.push(PortRule {
                origin: Origin::at_col(path, i as u32 + 1, Some(crate::text::indent_column(raw))),
                text: line.to_string(),
                ports,
                accepts: rest.contains("-j ACCEPT"),
                source_restricted: rest.contains(" -s ") || rest.contains("--src-range"),
            });
        }
    }
    src
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iptables_policy_and_ssh_rule() {
        let t = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -s 10.0.0.0/8 --dport 22 -j ACCEPT\nCOMMIT\n";
        let s = iptables("/r", t, FirewallKind::Iptables, "INPUT");
        assert!(s.default_deny_input);
        assert_eq!(s.port_rules.len(), 1);
        assert!(s.port_rules[0].covers(22));
        assert!(s.port_rules[0].source_restricted);
        assert_eq!(s.port_rules[0].origin.line, Some(3));
    }

    #[test]
    fn nft_open_ssh() {
        let t = "table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport { 2222, 6443 } accept\n    tcp dport 2379-2380 ip saddr 10.0.0.0/8 accept\n  }\n}\n";
        let s = nftables("/n", t);
        assert!(s.default_deny_input);
        assert!(s.port_rules[0].covers(2222) && !s.port_rules[0].covers(22));
        assert!(!s.port_rules[0].source_restricted);
        assert!(s.port_rules[1].covers(2380) && s.port_rules[1].source_restricted);
    }
}
