//! Kubernetes versions: parsing, release/end-of-life data, version skew and the CVE database.
//!
//! # CVE database format (`kubeward-cve-db/1`)
//! The embedded database (`data/kubernetes-cves.json`) can be replaced with a file in the same format via
//! [`load_cve_db`]:
//! ```json
//! {
//!   "format": "kubeward-cve-db/1",
//!   "source": "free text: where the data came from",
//!   "cves": [
//!     {
//!       "id": "CVE-2024-3177",
//!       "summary": "Bypassing mountable secrets policy imposed by the ServiceAccount admission plugin",
//!       "severity": "low",            // info | low | medium | high | critical
//!       "cvss": 2.7,                  // optional
//!       "official": true,             // optional: listed in the official Kubernetes CVE feed
//!       "affected": [
//!         // component: kube-apiserver | kube-controller-manager | kube-scheduler | kubelet | kube-proxy |
//!         //            kubernetes (= any component; matched against the control-plane version)
//!         // introduced: first affected version ("0" = all earlier versions)
//!         // fixed: first fixed version (exclusive upper bound), and/or
//!         // last_affected: last affected version (inclusive upper bound; wins over fixed for matching)
//!         { "component": "kube-apiserver", "introduced": "1.29.0", "fixed": "1.29.4" }
//!       ]
//!     }
//!   ]
//! }
//! ```
//! Versions are compared as `MAJOR.MINOR.PATCH[-PRERELEASE]`; a leading `v` and build suffixes such as
//! `+k3s1` or `-rke2r1` are ignored for matching.

use std::cmp::Ordering;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::checks::Severity;
use crate::error::HostError;

const RELEASES_JSON: &str = include_str!("../data/kubernetes-releases.json");
const CVES_JSON: &str = include_str!("../data/kubernetes-cves.json");

/// A Kubernetes version. Pre-releases sort before their release (`1.30.0-rc.1 < 1.30.0`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre: Option<String>,
}

impl Version {
    /// Parse `v1.30.2`, `1.30`, `1.30.2-rc.1`, `v1.28.5+k3s1`, `v1.28.5-rke2r1`, `1.28.5-eks-1234`.
    /// Distribution suffixes after `+` or a non-semver `-` part are dropped.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches('v');
        let s = s.split('+').next().unwrap_or(s);
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (s, None),
        };
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts
            .next()
            .map(|p| p.parse())
            .transpose()
            .ok()?
            .unwrap_or(0);
        let patch = parts
            .next()
            .map(|p| p.parse())
            .transpose()
            .ok()?
            .unwrap_or(0);
        if parts.next().is_some() {
            return None;
        }
        // Only Kubernetes' own pre-release tags are pre-releases; `-rke2r1`, `-eks-...` are builds.
        let pre = pre
            .filter(|p| p.starts_with("alpha") || p.starts_with("beta") || p.starts_with("rc"))
            .map(str::to_string);
        Some(Version {
            major,
            minor,
            patch,
            pre,
        })
    }

    pub fn minor_key(&self) -> (u64, u64) {
        (self.major, self.minor)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(p) = &self.pre {
            write!(f, "-{p}")?;
        }
        Ok(())
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => cmp_pre(a, b),
            })
    }
}

/// Dot-separated identifiers, numeric ones compared as numbers (semver rules).
fn cmp_pre(a: &str, b: &str) -> Ordering {
    let mut ai = a.split('.');
    let mut bi = b.split('.');
    loop {
        match (ai.next(), bi.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(n), Ok(m)) => n.cmp(&m),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    _ => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// A calendar date; ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let mut p = s.trim().split('-');
        Some(Date {
            year: p.next()?.parse().ok()?,
            month: p.next()?.parse().ok()?,
            day: p.next()?.parse().ok()?,
        })
    }

    /// Midnight UTC of this date as Unix seconds.
    pub fn to_unix(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
    }

    pub fn from_unix(secs: i64) -> Date {
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01 (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One minor release's support window.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Release {
    #[serde(rename = "releaseCycle")]
    pub cycle: String,
    #[serde(rename = "releaseDate")]
    pub release_date: String,
    /// End of standard support.
    pub eoas: String,
    /// End of life (maintenance ends, no more patches).
    pub eol: String,
    pub latest: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Releases {
    pub source: String,
    pub releases: Vec<Release>,
}

impl Releases {
    pub fn embedded() -> Result<Releases, HostError> {
        serde_json::from_str(RELEASES_JSON).map_err(|source| HostError::EmbeddedData {
            what: "release",
            source,
        })
    }

    /// Release data from a file in the embedded format (`data/kubernetes-releases.json`).
    pub fn load(path: &Path) -> Result<Releases, HostError> {
        let text = std::fs::read_to_string(path).map_err(|source| HostError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| HostError::DataFile {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn find(&self, v: &Version) -> Option<&Release> {
        let cycle = format!("{}.{}", v.major, v.minor);
        self.releases.iter().find(|r| r.cycle == cycle)
    }

    pub fn newest(&self) -> Option<&Release> {
        self.releases
            .iter()
            .max_by_key(|r| Version::parse(&r.cycle).map(|v| v.minor_key()))
    }
}

/// One affected range of one component.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AffectedRange {
    pub component: String,
    #[serde(default = "zero")]
    pub introduced: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
}

fn zero() -> String {
    "0".into()
}

impl AffectedRange {
    pub fn contains(&self, v: &Version) -> bool {
        let floor_ok =
            self.introduced == "0" || Version::parse(&self.introduced).is_some_and(|i| *v >= i);
        if !floor_ok {
            return false;
        }
        if let Some(last) = self.last_affected.as_deref().and_then(Version::parse) {
            return *v <= last;
        }
        match self.fixed.as_deref().and_then(Version::parse) {
            Some(fixed) => *v < fixed,
            None => true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Cve {
    pub id: String,
    #[serde(default)]
    pub summary: String,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<f64>,
    #[serde(default)]
    pub official: bool,
    pub affected: Vec<AffectedRange>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CveDb {
    pub format: String,
    #[serde(default)]
    pub source: String,
    pub cves: Vec<Cve>,
}

/// A CVE that applies to a component at a version.
#[derive(Debug, Clone, Serialize)]
pub struct CveMatch {
    pub id: String,
    pub component: String,
    pub version: String,
    pub severity: Severity,
    pub summary: String,
    /// First fixed version of the matching range, if a fix exists.
    pub fixed: Option<String>,
}

impl CveDb {
    pub fn embedded() -> Result<CveDb, HostError> {
        serde_json::from_str(CVES_JSON).map_err(|source| HostError::EmbeddedData {
            what: "CVE",
            source,
        })
    }

    /// CVEs affecting `component` at `version`. Ranges for `kubernetes` (the whole project) match every
    /// component.
    pub fn matches(&self, component: &str, version: &Version) -> Vec<CveMatch> {
        let mut out = Vec::new();
        for cve in &self.cves {
            if let Some(r) = cve.affected.iter().find(|r| {
                (r.component == component || r.component == "kubernetes") && r.contains(version)
            }) {
                out.push(CveMatch {
                    id: cve.id.clone(),
                    component: component.to_string(),
                    version: version.to_string(),
                    severity: cve.severity,
                    summary: cve.summary.clone(),
                    fixed: r.fixed.clone(),
                });
            }
        }
        out
    }
}

/// Load a CVE database in the embedded format from a file.
pub fn load_cve_db(path: &Path) -> Result<CveDb, HostError> {
    let text = std::fs::read_to_string(path).map_err(|source| HostError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| HostError::DataFile {
        path: path.to_path_buf(),
        source,
    })
}

/// Kubelet/API server skew allowed by the Kubernetes version skew policy: the kubelet must not be newer
/// than the API server, and may be up to three minor versions older (two before 1.28).
pub fn kubelet_skew_problem(apiserver: &Version, kubelet: &Version) -> Option<String> {
    if kubelet.major != apiserver.major {
        return Some(format!(
            "kubelet {kubelet} and API server {apiserver} differ in major version"
        ));
    }
    if kubelet.minor > apiserver.minor {
        return Some(format!(
            "kubelet {kubelet} is newer than the API server {apiserver}"
        ));
    }
    let allowed = if apiserver.minor >= 28 { 3 } else { 2 };
    let behind = apiserver.minor - kubelet.minor;
    (behind > allowed).then(|| {
        format!("kubelet {kubelet} is {behind} minor versions behind the API server {apiserver} (at most {allowed} supported)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn parse_and_order() {
        assert_eq!(v("v1.28.5+k3s1"), v("1.28.5"));
        assert_eq!(v("v1.28.5-rke2r1"), v("1.28.5"));
        assert!(v("1.30.0-rc.1") < v("1.30.0"));
        assert!(v("1.30.0-alpha.2") < v("1.30.0-beta.0"));
        assert!(v("1.9.4") < v("1.10.0"));
        assert_eq!(v("1.30"), v("1.30.0"));
        assert!(Version::parse("latest").is_none());
    }

    #[test]
    fn ranges() {
        let r = AffectedRange {
            component: "kubelet".into(),
            introduced: "1.29.0".into(),
            fixed: Some("1.29.4".into()),
            last_affected: None,
        };
        assert!(r.contains(&v("1.29.3")));
        assert!(!r.contains(&v("1.29.4")));
        assert!(!r.contains(&v("1.28.9")));
        let l = AffectedRange {
            component: "kubelet".into(),
            introduced: "0".into(),
            fixed: Some("1.8.9".into()),
            last_affected: Some("1.8.8".into()),
        };
        assert!(l.contains(&v("1.8.8")));
        assert!(!l.contains(&v("1.8.9")));
    }

    #[test]
    fn dates() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_767_225_600).to_string(), "2026-01-01");
        assert_eq!(Date::parse("2026-07-01").unwrap().to_unix(), 1_782_864_000);
        for secs in [0, 951_782_400, 1_782_864_000, 4_102_444_800] {
            assert_eq!(Date::from_unix(secs).to_unix(), secs);
        }
        assert!(Date::parse("2026-02-28").unwrap() < Date::parse("2026-03-01").unwrap());
    }

    #[test]
    fn skew() {
        assert!(kubelet_skew_problem(&v("1.33.0"), &v("1.30.9")).is_none());
        assert!(kubelet_skew_problem(&v("1.33.0"), &v("1.29.9")).is_some());
        assert!(kubelet_skew_problem(&v("1.27.0"), &v("1.24.0")).is_some());
        assert!(kubelet_skew_problem(&v("1.30.0"), &v("1.31.0")).is_some());
    }

    #[test]
    fn embedded_data_loads() {
        let db = CveDb::embedded().unwrap();
        assert!(db.cves.len() > 50);
        let r = Releases::embedded().unwrap();
        assert!(r.find(&v("1.33.1")).is_some());
        // CVE-2024-3177 affects kube-apiserver before 1.29.4 in the 1.29 line.
        assert!(
            db.matches("kube-apiserver", &v("1.29.3"))
                .iter()
                .any(|m| m.id == "CVE-2024-3177")
        );
        assert!(
            !db.matches("kube-apiserver", &v("1.29.4"))
                .iter()
                .any(|m| m.id == "CVE-2024-3177")
        );
    }
}
