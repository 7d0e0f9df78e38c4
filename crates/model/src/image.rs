//! Container image references, normalised as the container runtime does (`nginx` is
//! `docker.io/library/nginx:latest`).

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host (with port), `docker.io` when none is written.
    pub registry: String,
    /// Repository path within the registry (`library/nginx`).
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:…` when pinned by digest.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses `[registry/]path[:tag][@digest]`. `None` for an empty reference.
    pub fn parse(reference: &str) -> Option<ImageRef> {
        let reference = reference.trim();
        if reference.is_empty() {
            return None;
        }
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (reference, None),
        };
        // A tag is after the last ':' that follows the last '/' (a ':' before it is a registry port).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, path)) if first.contains(['.', ':']) || first == "localhost" => {
                (first.to_string(), path.to_string())
            }
            Some(_) => ("docker.io".to_string(), name.to_string()),
            None => ("docker.io".to_string(), format!("library/{name}")),
        };
        let registry = if registry == "index.docker.io" {
            "docker.io".to_string()
        } else {
            registry
        };
        Some(ImageRef {
            registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest,
        })
    }

    /// `registry/repository`, the form allow-lists are written against.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        let i = ImageRef::parse("nginx").unwrap();
        assert_eq!(
            (i.registry.as_str(), i.repository.as_str(), i.tag),
            ("docker.io", "library/nginx", None)
        );
        let i = ImageRef::parse("bitnami/redis:7.2").unwrap();
        assert_eq!(
            (i.full_name(), i.tag.as_deref()),
            ("docker.io/bitnami/redis".into(), Some("7.2"))
        );
        let i = ImageRef::parse("localhost:5000/app:1").unwrap();
        assert_eq!(
            (i.registry.as_str(), i.tag.as_deref()),
            ("localhost:5000", Some("1"))
        );
        let i = ImageRef::parse("registry.k8s.io/pause@sha256:abc").unwrap();
        assert_eq!((i.tag, i.digest.as_deref()), (None, Some("sha256:abc")));
        let i = ImageRef::parse("ghcr.io/a/b/c:v1@sha256:abc").unwrap();
        assert_eq!(
            (i.repository.as_str(), i.tag.as_deref()),
            ("a/b/c", Some("v1"))
        );
        assert!(ImageRef::parse(" ").is_none());
    }
}
