//! Protocols, the ports a policy rule names, and port sets after named ports are resolved.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// The protocols a NetworkPolicy port can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    /// `protocol` as written, `TCP` when missing; `None` for a value the API server rejects.
    pub fn parse(text: Option<&str>) -> Option<Self> {
        match text {
            None => Some(Protocol::Tcp),
            Some(t) => t.parse().ok(),
        }
    }
}

impl FromStr for Protocol {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.to_ascii_uppercase().as_str() {
            "TCP" => Ok(Protocol::Tcp),
            "UDP" => Ok(Protocol::Udp),
            "SCTP" => Ok(Protocol::Sctp),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        })
    }
}

/// A port of a container, which named ports in policies resolve against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub number: u16,
    pub protocol: Protocol,
}

/// What a policy port entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortRef {
    /// `port` missing: every port of the protocol.
    Any,
    /// A number, or a range `port..=endPort`.
    Range(u16, u16),
    /// A named container port, resolved on the destination pod.
    Name(String),
}

/// One entry of a rule's `ports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPort {
    pub protocol: Protocol,
    pub port: PortRef,
}

impl PolicyPort {
    /// The range this entry allows on a destination with `ports`; `None` when a named port does not
    /// exist there (the entry then allows nothing on that pod).
    pub fn resolve(&self, ports: &[ContainerPort]) -> Vec<PortRange> {
        let range = |lo, hi| PortRange {
            protocol: self.protocol,
            lo,
            hi,
        };
        match &self.port {
            PortRef::Any => vec![range(1, u16::MAX)],
            PortRef::Range(lo, hi) => vec![range(*lo, *hi)],
            // Several containers may name a port alike; each is a destination port.
            PortRef::Name(name) => ports
                .iter()
                .filter(|p| p.protocol == self.protocol && p.name.as_deref() == Some(name))
                .map(|p| range(p.number, p.number))
                .collect(),
        }
    }
}

impl fmt::Display for PolicyPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.port {
            PortRef::Any => write!(f, "any/{}", self.protocol),
            PortRef::Range(lo, hi) if lo == hi => write!(f, "{lo}/{}", self.protocol),
            PortRef::Range(lo, hi) => write!(f, "{lo}-{hi}/{}", self.protocol),
            PortRef::Name(n) => write!(f, "{n}/{}", self.protocol),
        }
    }
}

/// A protocol and an inclusive port range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PortRange {
    pub protocol: Protocol,
    pub lo: u16,
    pub hi: u16,
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo == 1 && self.hi == u16::MAX {
            write!(f, "any/{}", self.protocol)
        } else if self.lo == self.hi {
            write!(f, "{}/{}", self.lo, self.protocol)
        } else {
            write!(f, "{}-{}/{}", self.lo, self.hi, self.protocol)
        }
    }
}

/// The ports a direction allows: every port, or a union of ranges (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortSet {
    All,
    Ranges(Vec<PortRange>),
}

impl PortSet {
    pub fn none() -> Self {
        PortSet::Ranges(Vec::new())
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, PortSet::Ranges(r) if r.is_empty())
    }

    pub fn add(&mut self, other: PortSet) {
        match (&mut *self, other) {
            (PortSet::All, _) => {}
            (s, PortSet::All) => *s = PortSet::All,
            (PortSet::Ranges(a), PortSet::Ranges(b)) => a.extend(b),
        }
    }

    pub fn intersect(&self, other: &PortSet) -> PortSet {
        match (self, other) {
            (PortSet::All, o) | (o, PortSet::All) => o.clone(),
            (PortSet::Ranges(a), PortSet::Ranges(b)) => {
                let mut out: Vec<PortRange> = a
                    .iter()
                    .flat_map(|x| {
                        b.iter().filter_map(move |y| {
                            let (lo, hi) = (x.lo.max(y.lo), x.hi.min(y.hi));
                            (x.protocol == y.protocol && lo <= hi).then_some(PortRange {
                                protocol: x.protocol,
                                lo,
                                hi,
                            })
                        })
                    })
                    .collect();
                out.sort_unstable();
                out.dedup();
                PortSet::Ranges(out)
            }
        }
    }

    pub fn contains(&self, port: u16, protocol: Protocol) -> bool {
        match self {
            PortSet::All => true,
            PortSet::Ranges(r) => r
                .iter()
                .any(|x| x.protocol == protocol && x.lo <= port && port <= x.hi),
        }
    }

    /// Readable ranges, sorted: `["80/TCP", "8000-8080/TCP"]`, or `["any"]`.
    pub fn describe(&self) -> Vec<String> {
        match self {
            PortSet::All => vec!["any".to_string()],
            PortSet::Ranges(r) => {
                let mut r = r.clone();
                r.sort_unstable();
                r.dedup();
                r.iter().map(PortRange::to_string).collect()
            }
        }
    }
}

/// A port asked about: `443/TCP`, `53/udp`, or `8080` (TCP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortQuery {
    pub port: u16,
    pub protocol: Protocol,
}

impl FromStr for PortQuery {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (port, protocol) = match s.split_once('/') {
            Some((p, proto)) => (
                p,
                proto
                    .parse()
                    .map_err(|()| format!("unknown protocol `{proto}` (TCP, UDP or SCTP)"))?,
            ),
            None => (s, Protocol::Tcp),
        };
        let port = port
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("`{port}` is not a port number (1-65535)"))?;
        Ok(PortQuery { port, protocol })
    }
}

impl fmt::Display for PortQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.port, self.protocol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_intersect_by_protocol_and_range() {
        let r = |p, lo, hi| PortRange {
            protocol: p,
            lo,
            hi,
        };
        let a = PortSet::Ranges(vec![r(Protocol::Tcp, 80, 90), r(Protocol::Udp, 53, 53)]);
        let b = PortSet::Ranges(vec![r(Protocol::Tcp, 85, 100)]);
        assert_eq!(a.intersect(&b).describe(), ["85-90/TCP"]);
        assert!(
            a.intersect(&PortSet::Ranges(vec![r(Protocol::Tcp, 53, 53)]))
                .is_empty()
        );
        assert_eq!(PortSet::All.intersect(&b), b);
        assert!(a.contains(53, Protocol::Udp) && !a.contains(53, Protocol::Tcp));
    }

    #[test]
    fn named_ports_resolve_by_name_and_protocol() {
        let ports = [
            ContainerPort {
                name: Some("dns".into()),
                number: 53,
                protocol: Protocol::Udp,
            },
            ContainerPort {
                name: Some("dns".into()),
                number: 5353,
                protocol: Protocol::Tcp,
            },
        ];
        let udp = PolicyPort {
            protocol: Protocol::Udp,
            port: PortRef::Name("dns".into()),
        };
        assert_eq!(udp.resolve(&ports)[0].lo, 53);
        let missing = PolicyPort {
            protocol: Protocol::Sctp,
            port: PortRef::Name("dns".into()),
        };
        assert!(missing.resolve(&ports).is_empty());
    }

    #[test]
    fn queries_parse() {
        assert_eq!("53/udp".parse::<PortQuery>().unwrap().to_string(), "53/UDP");
        assert_eq!("8080".parse::<PortQuery>().unwrap().to_string(), "8080/TCP");
        assert!("0".parse::<PortQuery>().is_err());
        assert!("80/icmp".parse::<PortQuery>().is_err());
    }
}
