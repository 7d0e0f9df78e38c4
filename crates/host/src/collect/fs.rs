//! Reading a node's filesystem mounted at a root directory. Paths are node-absolute (`/etc/...`) and
//! resolved inside the root; absolute symlinks are re-rooted so `/host/etc/x -> /etc/y` reads
//! `/host/etc/y`, never the scanner's own files.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::facts::FileFact;

/// Files larger than this are not read (configuration files are small; this bounds hostile input).
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

pub struct NodeFs {
    root: PathBuf,
    users: BTreeMap<u32, String>,
    groups: BTreeMap<u32, String>,
}

impl NodeFs {
    pub fn new(root: &Path) -> Self {
        let mut fs = Self {
            root: root.to_path_buf(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
        };
        fs.users = fs
            .read("/etc/passwd")
            .map(|t| id_names(&t))
            .unwrap_or_default();
        fs.groups = fs
            .read("/etc/group")
            .map(|t| id_names(&t))
            .unwrap_or_default();
        fs
    }

    /// Host path for a node path, following absolute symlinks inside the root.
    pub fn host_path(&self, node_path: &str) -> PathBuf {
        let mut current = node_path.to_string();
        for _ in 0..8 {
            let host = self.root.join(current.trim_start_matches('/'));
            match std::fs::symlink_metadata(&host) {
                Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&host) {
                    Ok(target) if target.is_absolute() => {
                        current = target.to_string_lossy().into_owned();
                    }
                    Ok(target) => {
                        let parent = Path::new(&current).parent().unwrap_or(Path::new("/"));
                        current = parent.join(target).to_string_lossy().into_owned();
                    }
                    Err(_) => return host,
                },
                _ => return host,
            }
        }
        self.root.join(current.trim_start_matches('/'))
    }

    pub fn read(&self, node_path: &str) -> Option<String> {
        let host = self.host_path(node_path);
        let meta = std::fs::metadata(&host).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        let bytes = std::fs::read(host).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    pub fn read_bytes(&self, node_path: &str) -> Option<Vec<u8>> {
        let host = self.host_path(node_path);
        let meta = std::fs::metadata(&host).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        std::fs::read(host).ok()
    }

    pub fn exists(&self, node_path: &str) -> bool {
        self.host_path(node_path).exists()
    }

    pub fn is_dir(&self, node_path: &str) -> bool {
        self.host_path(node_path).is_dir()
    }

    pub fn stat(&self, node_path: &str) -> FileFact {
        let host = self.host_path(node_path);
        match std::fs::metadata(host) {
            Ok(m) => FileFact {
                path: node_path.to_string(),
                exists: true,
                is_dir: Some(m.is_dir()),
                mode: Some(m.mode() & 0o7777),
                uid: Some(m.uid()),
                gid: Some(m.gid()),
                user: self.users.get(&m.uid()).cloned(),
                group: self.groups.get(&m.gid()).cloned(),
            },
            Err(_) => FileFact::missing(node_path),
        }
    }

    /// Entries of a directory as node paths, sorted by name (the order systemd and sshd use).
    pub fn list(&self, node_dir: &str) -> Vec<String> {
        let host = self.host_path(node_dir);
        let Ok(rd) = std::fs::read_dir(host) else {
            return Vec::new();
        };
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let base = node_dir.trim_end_matches('/');
        names.into_iter().map(|n| format!("{base}/{n}")).collect()
    }

    /// Files under a directory, recursively (bounded depth), sorted.
    pub fn walk(&self, node_dir: &str, depth: usize) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.list(node_dir) {
            if self.is_dir(&p) {
                if depth > 0 {
                    out.extend(self.walk(&p, depth - 1));
                }
            } else {
                out.push(p);
            }
        }
        out
    }

    /// First existing path of the candidates.
    pub fn first_existing<'a>(&self, candidates: &[&'a str]) -> Option<&'a str> {
        candidates.iter().copied().find(|p| self.exists(p))
    }
}

fn id_names(text: &str) -> BTreeMap<u32, String> {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split(':');
            let name = parts.next()?;
            let _ = parts.next()?;
            let id = parts.next()?.parse().ok()?;
            Some((id, name.to_string()))
        })
        .collect()
}
