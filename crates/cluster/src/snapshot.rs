//! Snapshots: what was collected, on disk. One `List` JSON file per resource (the format of
//! `kubectl get ... -o json`), named `GROUP_VERSION_RESOURCE.json` (`core_v1_pods.json`), plus
//! `cluster.json` with the cluster metadata and the coverage of every resource. `kubeward scan DIR`
//! reads the List files as any manifests, and `cluster.json` for the coverage.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::meta::ClusterMeta;
use crate::{Collection, Error, KindList, KindReport};

/// The `kind` of `cluster.json`.
pub const SNAPSHOT_KIND: &str = "ClusterSnapshot";
pub const SNAPSHOT_API_VERSION: &str = "kubeward.io/v1";
pub const METADATA_FILE: &str = "cluster.json";

/// `cluster.json`. Scanners read it as an object of kind `ClusterSnapshot`, named after the context:
/// the VER rules take the API server's version from it (`cluster.version.gitVersion`) when no
/// control-plane pod shows one, as on managed clusters. A live scan scans the same document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotFile {
    pub api_version: String,
    pub kind: String,
    /// `{"name": CONTEXT}`; absent in snapshots written before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Value>,
    pub cluster: ClusterMeta,
    pub coverage: Vec<KindReport>,
}

/// The file name of a resource's List.
pub fn file_name(list: &KindList) -> String {
    let group = if list.resource.group.is_empty() {
        "core"
    } else {
        &list.resource.group
    };
    format!(
        "{group}_{}_{}.json",
        list.resource.version, list.resource.plural
    )
}

/// Writes the snapshot into `dir` (created if needed); returns the files written.
pub fn write(collection: &Collection, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |path: &Path, e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut written = Vec::new();
    for list in &collection.lists {
        let path = dir.join(file_name(list));
        std::fs::write(&path, &list.text).map_err(|e| io(&path, e))?;
        written.push(path);
    }
    let path = dir.join(METADATA_FILE);
    let text = metadata_text(&collection.meta, &collection.coverage)?;
    std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    written.push(path);
    Ok(written)
}

/// The text of `cluster.json` for a collection's metadata and coverage.
pub fn metadata_text(cluster: &ClusterMeta, coverage: &[KindReport]) -> Result<String, Error> {
    let meta = SnapshotFile {
        api_version: SNAPSHOT_API_VERSION.into(),
        kind: SNAPSHOT_KIND.into(),
        metadata: Some(serde_json::json!({ "name": cluster.context })),
        cluster: cluster.clone(),
        coverage: coverage.to_vec(),
    };
    let text = serde_json::to_string_pretty(&meta).map_err(|e| Error::Runtime(e.to_string()))?;
    Ok(text + "\n")
}

/// Reads `DIR/cluster.json` when `dir` is a snapshot.
pub fn read_metadata(dir: &Path) -> Option<SnapshotFile> {
    let text = std::fs::read_to_string(dir.join(METADATA_FILE)).ok()?;
    let file: SnapshotFile = serde_json::from_str(&text).ok()?;
    (file.kind == SNAPSHOT_KIND).then_some(file)
}
