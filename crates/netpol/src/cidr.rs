//! CIDRs and `ipBlock`s, as address intervals so that "does this block allow some address of that
//! range" is exact for IPv4 and IPv6.

use std::fmt;
use std::net::IpAddr;

/// An address range written as a CIDR (`10.0.0.0/8`) or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    v6: bool,
    lo: u128,
    hi: u128,
    prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`, `x::y/n` or a bare address. Host bits are ignored, as the API server's
    /// validation (before 1.33 strict validation) accepted them and masked them.
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let (v6, value, bits) = match addr.parse::<IpAddr>().ok()? {
            IpAddr::V4(a) => (false, u128::from(u32::from(a)), 32u8),
            IpAddr::V6(a) => (true, u128::from(a), 128u8),
        };
        let prefix = prefix.unwrap_or(bits);
        if prefix > bits {
            return None;
        }
        let host_bits = u32::from(bits - prefix);
        let mask = if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        Some(Self {
            v6,
            lo: value & !mask,
            hi: value | mask,
            prefix,
        })
    }

    /// Whether the range is the whole address family (`0.0.0.0/0`, `::/0`).
    pub fn is_everything(&self) -> bool {
        self.prefix == 0
    }

    pub fn prefix_len(&self) -> u8 {
        self.prefix
    }

    pub fn is_v6(&self) -> bool {
        self.v6
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.intersection(other).is_some()
    }

    pub fn contains(&self, other: &Cidr) -> bool {
        self.v6 == other.v6 && self.lo <= other.lo && other.hi <= self.hi
    }

    fn intersection(&self, other: &Cidr) -> Option<(u128, u128)> {
        let lo = self.lo.max(other.lo);
        let hi = self.hi.min(other.hi);
        (self.v6 == other.v6 && lo <= hi).then_some((lo, hi))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addr = if self.v6 {
            IpAddr::from(self.lo.to_be_bytes())
        } else {
            IpAddr::from((self.lo as u32).to_be_bytes())
        };
        write!(f, "{addr}/{}", self.prefix)
    }
}

/// A NetworkPolicy `ipBlock`: `cidr` minus every `except`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpBlock {
    pub cidr: Cidr,
    pub except: Vec<Cidr>,
}

impl IpBlock {
    /// Whether at least one address of `range` is in the block. A CIDR query stands for "some host
    /// in this range": an attacker needs one address that gets through.
    pub fn allows_some(&self, range: &Cidr) -> bool {
        self.allows_some_outside(range, &[])
    }

    /// As [`IpBlock::allows_some`], not counting addresses in `excluded` (private ranges when the
    /// question is "from the internet").
    pub fn allows_some_outside(&self, range: &Cidr, excluded: &[Cidr]) -> bool {
        let Some((lo, hi)) = self.cidr.intersection(range) else {
            return false;
        };
        let mut holes: Vec<(u128, u128)> = self
            .except
            .iter()
            .chain(excluded)
            .filter(|e| e.v6 == range.v6)
            .filter_map(|e| {
                let (a, b) = (e.lo.max(lo), e.hi.min(hi));
                (a <= b).then_some((a, b))
            })
            .collect();
        holes.sort_unstable();
        // Walk the holes in order: the range is covered when they leave no gap from `lo` to `hi`.
        let mut next = lo;
        for (a, b) in holes {
            if a > next {
                return true;
            }
            if b >= hi {
                return false;
            }
            next = next.max(b + 1);
        }
        true
    }

    /// Whether every address is in the block (`0.0.0.0/0` or `::/0` with no exception).
    pub fn is_everything(&self) -> bool {
        self.cidr.is_everything() && self.except.is_empty()
    }
}

impl fmt::Display for IpBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.cidr)?;
        if !self.except.is_empty() {
            let except: Vec<String> = self.except.iter().map(Cidr::to_string).collect();
            write!(f, " except {}", except.join(", "))?;
        }
        Ok(())
    }
}

/// Address ranges that are not on the internet: RFC 1918, carrier-grade NAT, loopback, link-local
/// (which holds the cloud metadata address), and IPv6 unique-local and link-local.
pub fn non_public_ranges() -> Vec<Cidr> {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "0.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    ]
    .iter()
    .filter_map(|c| Cidr::parse(c))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(c("10.1.2.3/8").to_string(), "10.0.0.0/8");
        assert_eq!(c("169.254.169.254").to_string(), "169.254.169.254/32");
        assert_eq!(c("::/0").to_string(), "::/0");
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("nope").is_none());
        assert!(c("0.0.0.0/0").contains(&c("8.8.8.8")));
        assert!(!c("0.0.0.0/0").contains(&c("::1")));
    }

    #[test]
    fn except_holes_are_subtracted_exactly() {
        let block = IpBlock {
            cidr: c("10.0.0.0/24"),
            except: vec![c("10.0.0.0/25"), c("10.0.0.128/26")],
        };
        assert!(
            block.allows_some(&c("10.0.0.0/24")),
            "10.0.0.192/26 is left"
        );
        assert!(!block.allows_some(&c("10.0.0.0/25")));
        assert!(block.allows_some(&c("10.0.0.200")));
        let full = IpBlock {
            cidr: c("10.0.0.0/24"),
            except: vec![c("10.0.0.0/25"), c("10.0.0.128/25")],
        };
        assert!(!full.allows_some(&c("10.0.0.0/24")));
        assert!(!full.allows_some(&c("192.168.0.0/16")));
    }

    #[test]
    fn internet_means_outside_private_ranges() {
        let private_only = IpBlock {
            cidr: c("10.0.0.0/8"),
            except: vec![],
        };
        let everything = IpBlock {
            cidr: c("0.0.0.0/0"),
            except: vec![c("169.254.169.254/32")],
        };
        let any = c("0.0.0.0/0");
        assert!(!private_only.allows_some_outside(&any, &non_public_ranges()));
        assert!(everything.allows_some_outside(&any, &non_public_ranges()));
        assert!(!everything.allows_some(&c("169.254.169.254")));
    }
}
