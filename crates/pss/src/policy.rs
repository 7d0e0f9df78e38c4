//! Policy levels and versions as written in namespace labels (`pod-security.kubernetes.io/enforce=restricted`,
//! `...-version=v1.30`), parsed the way Pod Security Admission parses them.

use std::fmt;
use std::str::FromStr;

/// The newest policy version any check defines behaviour for. `latest`, and any `v1.N` above it, evaluate
/// as this version: Pod Security Admission clamps requested versions to the newest registered one.
pub const NEWEST_MINOR: u32 = 37;

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No restrictions at all.
    Privileged,
    /// Prevents known privilege escalations.
    Baseline,
    /// Hardening best practice on top of baseline.
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = Error;

    /// Exactly the label values Kubernetes accepts: lowercase, no surrounding space.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(Error::Level(s.to_string())),
        }
    }
}

/// A policy version: `latest` or `v1.N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    Latest,
    /// `v1.N`, as written (it may be newer than [`NEWEST_MINOR`]; see [`Version::effective_minor`]).
    V1(u32),
}

impl Version {
    /// The minor version whose rules apply: `latest` and future versions mean the newest known one.
    pub fn effective_minor(self) -> u32 {
        match self {
            Version::Latest => NEWEST_MINOR,
            Version::V1(minor) => minor.min(NEWEST_MINOR),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::V1(minor) => write!(f, "v1.{minor}"),
        }
    }
}

impl FromStr for Version {
    type Err = Error;

    /// `latest` or `v1.N` with no leading zero (`v1.05` is rejected, as by Pod Security Admission).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "latest" {
            return Ok(Version::Latest);
        }
        let bad = || Error::Version(s.to_string());
        let minor = s.strip_prefix("v1.").ok_or_else(bad)?;
        let well_formed = !minor.is_empty()
            && minor.bytes().all(|b| b.is_ascii_digit())
            && (minor == "0" || !minor.starts_with('0'));
        if !well_formed {
            return Err(bad());
        }
        minor.parse().map(Version::V1).map_err(|_| bad())
    }
}

/// Errors of this crate: bad level or version strings, unknown check IDs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("unknown Pod Security level `{0}`; expected `privileged`, `baseline` or `restricted`")]
    Level(String),
    #[error(
        "invalid Pod Security version `{0}`; expected `latest` or `v1.N` (for example `v1.30`)"
    )]
    Version(String),
    #[error("unknown Pod Security Admission check `{0}`")]
    UnknownCheck(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_versions_like_the_api_server() {
        assert_eq!("baseline".parse(), Ok(Level::Baseline));
        assert!("Baseline".parse::<Level>().is_err());
        assert_eq!("latest".parse(), Ok(Version::Latest));
        assert_eq!("v1.0".parse(), Ok(Version::V1(0)));
        assert_eq!("v1.25".parse(), Ok(Version::V1(25)));
        for bad in [
            "1.25", "v1.", "v1.05", "v2.0", "v1.25.1", "v1.x", "Latest", "",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
        assert_eq!(Version::V1(99).effective_minor(), NEWEST_MINOR);
        assert_eq!(Version::Latest.to_string(), "latest");
        assert_eq!(
            "v9".parse::<Version>().unwrap_err().to_string(),
            "invalid Pod Security version `v9`; expected `latest` or `v1.N` (for example `v1.30`)"
        );
    }
}
