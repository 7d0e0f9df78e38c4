//! `/etc/os-release` and running processes from `/proc/<pid>/{comm,cmdline}`.

use crate::collect::fs::NodeFs;
use crate::facts::{OsRelease, ProcessFact};

/// OS IDs of image-based, read-only-root container operating systems.
const IMMUTABLE_IDS: &[&str] = &[
    "flatcar",
    "bottlerocket",
    "talos",
    "rhcos",
    "cos",
    "fedora-coreos",
];

/// How the immutable systems above name themselves in `PRETTY_NAME`, which is what a Node object's
/// `status.nodeInfo.osImage` carries (lower case).
const IMMUTABLE_PRETTY_NAMES: &[&str] = &[
    "flatcar container linux",
    "bottlerocket",
    "talos",
    "red hat enterprise linux coreos",
    "container-optimized os",
    "fedora coreos",
];

/// Whether an OS image name (`PRETTY_NAME`, or a Node's `osImage`) is one of the immutable container
/// operating systems.
pub fn is_immutable_os_image(pretty_name: &str) -> bool {
    let name = pretty_name.to_ascii_lowercase();
    IMMUTABLE_PRETTY_NAMES.iter().any(|n| name.starts_with(n))
}

pub fn os_release(fs: &NodeFs) -> Option<OsRelease> {
    let path = ["/etc/os-release", "/usr/lib/os-release"]
        .into_iter()
        .find(|p| fs.exists(p))?;
    let text = fs.read(path)?;
    let mut os = OsRelease {
        path: path.to_string(),
        ..OsRelease::default()
    };
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').trim_matches('\'').to_string();
        match k.trim() {
            "ID" => os.id = v,
            "VARIANT_ID" => os.variant_id = Some(v),
            "PRETTY_NAME" => os.pretty_name = v,
            _ => {}
        }
    }
    os.immutable = IMMUTABLE_IDS.contains(&os.id.as_str())
        || (os.id == "fedora" && os.variant_id.as_deref() == Some("coreos"));
    Some(os)
}

/// Processes with a command line (kernel threads have none and are skipped).
pub fn processes(fs: &NodeFs) -> Vec<ProcessFact> {
    let mut out = Vec::new();
    for dir in fs.list("/proc") {
        let Some(pid) = dir.rsplit('/').next().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Some(raw) = fs.read_bytes(&format!("{dir}/cmdline")) else {
            continue;
        };
        let args: Vec<String> = raw
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
        if args.is_empty() {
            continue;
        }
        let comm = fs
            .read(&format!("{dir}/comm"))
            .map(|c| c.trim().to_string())
            .unwrap_or_else(|| {
                args.first()
                    .and_then(|b| b.rsplit('/').next())
                    .unwrap_or_default()
                    .to_string()
            });
        out.push(ProcessFact { pid, comm, args });
    }
    out.sort_by_key(|p| p.pid);
    out
}

#[cfg(test)]
mod tests {
    use super::is_immutable_os_image;

    #[test]
    fn os_images_as_nodes_report_them() {
        for immutable in [
            "Flatcar Container Linux by Kinvolk 3510.2.1 (Oklo)",
            "Bottlerocket OS 1.19.2 (aws-k8s-1.29)",
            "Talos (v1.6.0)",
            "Container-Optimized OS from Google",
            "Red Hat Enterprise Linux CoreOS 414.92.202402130420-0 (Plow)",
            "Fedora CoreOS 39.20240210.3.0",
        ] {
            assert!(is_immutable_os_image(immutable), "{immutable}");
        }
        for mutable in [
            "Ubuntu 22.04.4 LTS",
            "Amazon Linux 2",
            "Debian GNU/Linux 12 (bookworm)",
            "CBL-Mariner/Linux",
            "Red Hat Enterprise Linux 9.3 (Plow)",
        ] {
            assert!(!is_immutable_os_image(mutable), "{mutable}");
        }
    }
}
