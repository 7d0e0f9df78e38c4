use serde::Serialize;

/// How safe it is to apply a fix without a human looking at it (after ruff's `Applicability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown to the user, never applied automatically (the right value depends on the workload).
    DisplayOnly,
    /// Changes behaviour the workload may rely on; applied only when the user asks for unsafe fixes.
    Unsafe,
    /// Keeps the workload's intended behaviour.
    Safe,
}

/// One step of a JSON-pointer-like path from an object's root, e.g. `spec`, `template`, `containers`, `0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_string())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

/// A structural edit of one object, addressed by path from the object's root.
///
/// Edits are structural rather than textual so that one fix renders as patched YAML (comments kept),
/// an RFC 6902 JSON patch, a `kubectl patch` command or a Python snippet alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Edit {
    /// Set `path` to `value`, creating missing parent mappings.
    Set { path: Vec<PathSegment>, value: serde_json::Value },
    /// Remove the value at `path`.
    Remove { path: Vec<PathSegment> },
    /// Append `value` to the sequence at `path`, creating it when missing.
    Append { path: Vec<PathSegment>, value: serde_json::Value },
}

impl Edit {
    /// The path as an RFC 6901 JSON pointer.
    pub fn pointer(&self) -> String {
        let path = match self {
            Edit::Set { path, .. } | Edit::Remove { path } | Edit::Append { path, .. } => path,
        };
        json_pointer(path)
    }
}

/// Formats a path as an RFC 6901 JSON pointer (`~` and `/` escaped).
pub fn json_pointer(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            PathSegment::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            PathSegment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// A repair for a finding: an imperative title, the edits, and how safe they are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }
}
