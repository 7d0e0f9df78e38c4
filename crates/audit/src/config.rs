//! `AuditConfig`: what counts as normal in this cluster. Embedded under `audit:` in `.kubeward.yaml`.
//!
//! Patterns (users, groups, namespaces, images, user agents) are exact strings where `*` matches any run
//! of characters (`system:serviceaccount:monitoring:*`). CIDR ranges are `10.0.0.0/8` or `fd00::/8`.
//! Durations are `30s`, `5m`, `1h` or a number of seconds.

use std::net::IpAddr;

use serde::{Deserialize, Deserializer};

/// Settings for the audit-log analyzer. Every field has a default; an empty section is valid.
///
/// ```yaml
/// audit:
///   allow:
///     users: ["ci-deployer@example.com", "system:serviceaccount:argocd:*"]
///     groups: ["oidc:sre"]
///     namespaces: ["sandbox"]
///     images: ["docker.io/library/busybox:*"]
///     user-agents: ["Prometheus/*"]
///     source-cidrs: ["10.0.0.0/8", "192.0.2.0/24"]
///   disable: [AUD023]
///   dedup-window: 10m
///   auth-failures: {threshold: 10, window: 5m}
///   authz-denials: {threshold: 20, window: 5m}
///   allowed-registries: ["registry.example.com", "ghcr.io/acme"]
///   kubectl-users: ["*@example.com"]
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct AuditConfig {
    /// Identities and targets never alerted on.
    pub allow: AllowList,
    /// Detector IDs (`AUD004`) or names (`pod-exec`) to turn off.
    pub disable: Vec<String>,
    /// Analyse events by the built-in system components too (see [`crate::SYSTEM_USERS`]).
    pub include_system: bool,
    /// Request paths ignored on top of [`crate::HEALTH_CHECK_PATHS`].
    pub extra_ignored_paths: Vec<String>,
    /// Same detector, same actor, same target within this window: one alert with a count.
    pub dedup_window: Seconds,
    /// AUD002: authentication failures (401) from one source IP.
    pub auth_failures: Burst,
    /// AUD003: authorization denials (403) for one user.
    pub authz_denials: Burst,
    /// AUD020: registries images may come from (`registry.example.com`, `ghcr.io/acme`). Empty: off.
    pub allowed_registries: Vec<String>,
    /// AUD019: image name fragments of cryptominers, on top of the built-in list.
    pub extra_miner_images: Vec<String>,
    /// AUD023: user-agent fragments (case-insensitive) that scripts and attack tools send.
    pub suspicious_user_agents: Vec<String>,
    /// AUD023: identities expected to use `kubectl`. Empty: only service accounts using kubectl fire.
    pub kubectl_users: Vec<String>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            allow: AllowList::default(),
            disable: Vec::new(),
            include_system: false,
            extra_ignored_paths: Vec::new(),
            dedup_window: Seconds(600),
            auth_failures: Burst {
                threshold: 10,
                window: Seconds(300),
            },
            authz_denials: Burst {
                threshold: 20,
                window: Seconds(300),
            },
            allowed_registries: Vec::new(),
            extra_miner_images: Vec::new(),
            suspicious_user_agents: DEFAULT_SUSPICIOUS_USER_AGENTS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            kubectl_users: Vec::new(),
        }
    }
}

/// User agents of HTTP libraries and offensive tools, not of Kubernetes clients. Matched as
/// case-insensitive fragments.
pub const DEFAULT_SUSPICIOUS_USER_AGENTS: &[&str] = &[
    "curl/",
    "wget/",
    "python-requests/",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "postmanruntime",
    "insomnia",
    "httpie",
    "kube-hunter",
    "peirates",
    "kubiscan",
    "kubeletctl",
    "nmap",
    "masscan",
    "zgrab",
    "nuclei",
];

/// Allow-lists. A user, group or namespace listed here silences every detector for it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct AllowList {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub namespaces: Vec<String>,
    /// Images trusted whatever their registry (AUD020); never exempts cryptominer checks.
    pub images: Vec<String>,
    /// User agents never reported as unusual (AUD023).
    pub user_agents: Vec<String>,
    /// Where clients are expected to connect from (AUD022). Empty: the detector is off.
    pub source_cidrs: Vec<Cidr>,
}

/// A threshold of events in a sliding time window.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Burst {
    pub threshold: u32,
    pub window: Seconds,
}

/// A duration in whole seconds, written `90`, `"90s"`, `"5m"`, `"2h"` or `"1d"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub u64);

impl Seconds {
    pub fn parse(text: &str) -> Option<Seconds> {
        let text = text.trim();
        let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(i) => text.split_at(i),
            None => (text, "s"),
        };
        let n: u64 = number.parse().ok()?;
        let factor = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return None,
        };
        n.checked_mul(factor).map(Seconds)
    }

    pub fn as_micros(self) -> i64 {
        i64::try_from(self.0)
            .unwrap_or(i64::MAX / 1_000_000)
            .saturating_mul(1_000_000)
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => Ok(Seconds(n)),
            Raw::Text(t) => Seconds::parse(&t).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "invalid duration `{t}`, expected e.g. `30s`, `5m`, `1h`"
                ))
            }),
        }
    }
}

/// An IP range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `10.0.0.0/8`, `fd00::/8`, or a bare address (a /32 or /128).
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// `::ffff:10.0.0.1` is the IPv4 address for range checks.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Cidr::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid CIDR range `{text}`")))
    }
}

/// Matches `pattern` against `text`; `*` matches any run of characters, everything else is literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let Some(star) = pattern.bytes().position(|b| b == b'*') else {
        return pattern == text;
    };
    let (first, rest) = (&pattern[..star], &pattern[star + 1..]);
    if rest.is_empty() {
        // `prefix*`, the common shape: no further search.
        return text.starts_with(first);
    }
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// Whether any pattern matches.
pub fn any_match<S: AsRef<str>>(patterns: &[S], text: &str) -> bool {
    patterns.iter().any(|p| glob_match(p.as_ref(), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("system:node:*", "system:node:worker-1"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("/openapi/*", "/openapi/v3"));
        assert!(!glob_match("ab*ba", "aba"));
        assert!(glob_match("alice", "alice"));
        assert!(!glob_match("alice", "alice2"));
    }

    #[test]
    fn cidrs() {
        let net = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(net.contains("10.200.1.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.1.1".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(
            Cidr::parse("fd00::/8")
                .unwrap()
                .contains("fd12::1".parse().unwrap())
        );
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
    }

    #[test]
    fn config_deserialises_with_defaults_and_rejects_unknown_keys() {
        let cfg: AuditConfig = serde_json::from_str(
            r#"{"allow":{"users":["ci-bot"],"source-cidrs":["10.0.0.0/8"]},"auth-failures":{"threshold":3,"window":"1m"}}"#,
        )
        .unwrap();
        assert_eq!(cfg.auth_failures.window, Seconds(60));
        assert_eq!(cfg.dedup_window, Seconds(600));
        assert!(serde_json::from_str::<AuditConfig>(r#"{"alow":{}}"#).is_err());
        assert_eq!(Seconds::parse("2h"), Some(Seconds(7200)));
        assert_eq!(Seconds::parse("5x"), None);
    }
}
