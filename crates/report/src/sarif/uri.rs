//! File paths as SARIF artifact locations: relative to `SRCROOT` when possible, percent-encoded.

use std::path::{Component, Path};

use serde_json::{Value, json};

use super::SRCROOT;

/// The `originalUriBaseIds` entry for `SRCROOT`: a `file:` URI when the base directory is absolute.
pub(super) fn base(base_dir: Option<&Path>) -> Value {
    match base_dir.filter(|b| b.is_absolute()) {
        Some(dir) => {
            let mut uri = file_uri(dir);
            if !uri.ends_with('/') {
                uri.push('/');
            }
            json!({ "uri": uri })
        }
        None => json!({ "description": { "text": "The directory kubeward was run from." } }),
    }
}

/// Relative paths are relative to `SRCROOT`; absolute paths under `base_dir` are made so; any other
/// absolute path becomes a `file:` URI.
pub(super) fn artifact_location(path: &Path, base_dir: Option<&Path>) -> Value {
    let relative = match base_dir {
        Some(base) => path
            .strip_prefix(base)
            .ok()
            .or(path.is_relative().then_some(path)),
        None => path.is_relative().then_some(path),
    };
    match relative {
        Some(rel) => json!({ "uri": relative_uri(rel), "uriBaseId": SRCROOT }),
        None => json!({ "uri": file_uri(path) }),
    }
}

fn relative_uri(path: &Path) -> String {
    let segments: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(encode(&s.to_string_lossy())),
            Component::ParentDir => Some("..".to_string()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    if segments.is_empty() {
        ".".to_string()
    } else {
        segments.join("/")
    }
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for component in path.components() {
        match component {
            // `C:` stays as is (`file:///C:/dir`).
            Component::Prefix(prefix) => {
                uri.push('/');
                uri.push_str(&prefix.as_os_str().to_string_lossy());
            }
            Component::RootDir => {}
            Component::CurDir => continue,
            Component::ParentDir => {
                uri.push_str("/..");
            }
            Component::Normal(s) => {
                uri.push('/');
                uri.push_str(&encode(&s.to_string_lossy()));
            }
        }
    }
    if uri == "file://" {
        uri.push('/');
    }
    uri
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters. `:` is encoded too,
/// so that a first segment such as `a:b` cannot read as a URI scheme.
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_or_file_uris() {
        let base = Path::new("/repo");
        assert_eq!(
            artifact_location(Path::new("/repo/k8s/my app/ä.yaml"), Some(base)),
            json!({"uri": "k8s/my%20app/%C3%A4.yaml", "uriBaseId": "SRCROOT"})
        );
        assert_eq!(
            artifact_location(Path::new("./k8s/a:b.yaml"), Some(base)),
            json!({"uri": "k8s/a%3Ab.yaml", "uriBaseId": "SRCROOT"})
        );
        assert_eq!(
            artifact_location(Path::new("/etc/k8s/x.yaml"), Some(base)),
            json!({"uri": "file:///etc/k8s/x.yaml"})
        );
        assert_eq!(base_uri(Some(base)), "file:///repo/");
    }

    fn base_uri(dir: Option<&Path>) -> String {
        base(dir)["uri"].as_str().unwrap().to_string()
    }
}
