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
    Set {
        path: Vec<PathSegment>,
        value: serde_json::Value,
    },
    /// Remove the value at `path`.
    Remove { path: Vec<PathSegment> },
    /// Append `value` to the sequence at `path`, creating it when missing.
    Append {
        path: Vec<PathSegment>,
        value: serde_json::Value,
    },
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

impl Edit {
    /// Applies the edit to a JSON document (the object), as an RFC 6902 patch would. Returns false when
    /// the path cannot be followed (a parent is a scalar, an index is out of range).
    pub fn apply_to_json(&self, doc: &mut serde_json::Value) -> bool {
        match self {
            Edit::Set { path, value } => match parent_mut(doc, path, true) {
                Some((parent, last)) => set_child(parent, last, value.clone()),
                None => false,
            },
            Edit::Remove { path } => match parent_mut(doc, path, false) {
                Some((serde_json::Value::Object(map), PathSegment::Key(k))) => {
                    map.remove(k).is_some()
                }
                Some((serde_json::Value::Array(items), PathSegment::Index(i)))
                    if *i < items.len() =>
                {
                    items.remove(*i);
                    true
                }
                _ => false,
            },
            Edit::Append { path, value } => {
                let Some((parent, last)) = parent_mut(doc, path, true) else {
                    return false;
                };
                let child = match (parent, last) {
                    (serde_json::Value::Object(map), PathSegment::Key(k)) => map
                        .entry(k.clone())
                        .or_insert_with(|| serde_json::Value::Array(Vec::new())),
                    (serde_json::Value::Array(items), PathSegment::Index(i))
                        if *i < items.len() =>
                    {
                        &mut items[*i]
                    }
                    _ => return false,
                };
                if child.is_null() {
                    *child = serde_json::Value::Array(Vec::new());
                }
                match child {
                    serde_json::Value::Array(items) => {
                        items.push(value.clone());
                        true
                    }
                    _ => false,
                }
            }
        }
    }
}

/// The parent container of `path`'s last segment, creating missing mappings when `create` is set.
fn parent_mut<'a>(
    doc: &'a mut serde_json::Value,
    path: &'a [PathSegment],
    create: bool,
) -> Option<(&'a mut serde_json::Value, &'a PathSegment)> {
    let (last, parents) = path.split_last()?;
    let mut node = doc;
    for seg in parents {
        if create && node.is_null() {
            *node = serde_json::Value::Object(serde_json::Map::new());
        }
        node = match (node, seg) {
            (serde_json::Value::Object(map), PathSegment::Key(k)) => {
                if create {
                    map.entry(k.clone())
                        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()))
                } else {
                    map.get_mut(k)?
                }
            }
            (serde_json::Value::Array(items), PathSegment::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    if create && node.is_null() {
        *node = serde_json::Value::Object(serde_json::Map::new());
    }
    Some((node, last))
}

fn set_child(parent: &mut serde_json::Value, last: &PathSegment, value: serde_json::Value) -> bool {
    match (parent, last) {
        (serde_json::Value::Object(map), PathSegment::Key(k)) => {
            map.insert(k.clone(), value);
            true
        }
        (serde_json::Value::Array(items), PathSegment::Index(i)) if *i < items.len() => {
            items[*i] = value;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_creates_parents_and_remove_deletes() {
        let mut doc = json!({"spec": {"containers": [{"name": "a"}]}});
        let set = Edit::Set {
            path: vec![
                "spec".into(),
                "containers".into(),
                0.into(),
                "securityContext".into(),
                "privileged".into(),
            ],
            value: json!(false),
        };
        assert!(set.apply_to_json(&mut doc));
        assert_eq!(
            doc["spec"]["containers"][0]["securityContext"]["privileged"],
            json!(false)
        );
        assert_eq!(
            set.pointer(),
            "/spec/containers/0/securityContext/privileged"
        );
        assert!(
            Edit::Remove {
                path: vec!["spec".into(), "containers".into()]
            }
            .apply_to_json(&mut doc)
        );
        assert_eq!(doc, json!({"spec": {}}));
        assert!(
            !Edit::Remove {
                path: vec!["nope".into()]
            }
            .apply_to_json(&mut doc)
        );
    }
}
