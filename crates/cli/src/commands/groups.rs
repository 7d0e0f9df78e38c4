//! `kubeward groups`: the configured business-critical asset groups (`groups:` in
//! `.kubeward.yaml`), their members, and a per-group report of posture, compliance, access,
//! exposure and attack paths.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use kubeward_rules::config;
use kubeward_rules::groups::AssetGroup;

/// The validated groups of the configuration file `explicit`, or of the one discovered from the
/// first path upwards (then the current directory). No file: no groups.
pub(crate) fn load_groups(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Vec<AssetGroup>> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let start = paths
                .iter()
                .find(|p| p.as_os_str() != "-")
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            config::discover(&start).or_else(|| config::discover(Path::new(".")))
        }
    };
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let loaded = config::load(&path)?;
    let groups = config::build_groups(&loaded.config, Some(&loaded))?;
    if groups.is_empty() && explicit.is_some() {
        bail!("{}: no `groups` are configured", path.display());
    }
    Ok(groups)
}
