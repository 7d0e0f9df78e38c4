//! What a snapshot says about the cluster besides its objects: where it came from, its version, its
//! nodes, when it was taken.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Cluster metadata, written to `cluster.json` in a snapshot.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ClusterMeta {
    /// The kubeconfig context (or `in-cluster`).
    pub context: String,
    pub server: String,
    /// The answer of `/version` (null when it could not be read).
    pub version: Value,
    /// RFC 3339, UTC.
    pub collected_at: String,
    /// The one namespace collected, when not the whole cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_namespaces: Vec<String>,
    /// `metadata-only` or `skipped`.
    pub secrets: String,
    pub nodes: Vec<NodeInfo>,
}

/// What a node runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub name: String,
    pub kubelet_version: String,
    pub container_runtime_version: String,
    pub os_image: String,
    pub kernel_version: String,
}

impl NodeInfo {
    pub fn from_node(node: &Value) -> Self {
        let info = &node["status"]["nodeInfo"];
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        Self {
            name: text(&node["metadata"]["name"]),
            kubelet_version: text(&info["kubeletVersion"]),
            container_runtime_version: text(&info["containerRuntimeVersion"]),
            os_image: text(&info["osImage"]),
            kernel_version: text(&info["kernelVersion"]),
        }
    }
}

/// The current time as RFC 3339 UTC (`2026-11-24T19:20:00Z`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since the epoch as RFC 3339 UTC (days to civil date: Howard Hinnant's algorithm).
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_980_000), "2026-11-29T19:20:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
