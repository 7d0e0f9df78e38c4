//! The objects the server serves, indexed by resource and (namespace, name), with a resource version
//! per change and a log of changes for WATCH.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::catalog::Catalog;

/// One stored object and its pre-encoded forms (encoding 50,000 objects per LIST would dominate).
#[derive(Debug, Clone)]
pub struct Stored {
    /// With `kind` and `apiVersion`, as a GET of the object returns it.
    pub object: Arc<Value>,
    /// As an item of a LIST: without `kind` and `apiVersion`, as a real server encodes list items.
    pub item: Arc<str>,
    /// As an item of a `PartialObjectMetadataList`.
    pub metadata_item: Arc<str>,
    pub resource_version: u64,
}

/// A change, as WATCH reports it.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub resource: usize,
    pub namespace: String,
    pub resource_version: u64,
    pub object: Arc<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "ADDED",
            ChangeKind::Modified => "MODIFIED",
            ChangeKind::Deleted => "DELETED",
        }
    }
}

/// Key of an object within its resource: (namespace or "", name).
pub type Key = (String, String);

#[derive(Debug, Default)]
pub struct Store {
    pub catalog: Catalog,
    /// Per resource (same index as the catalog), sorted by key as etcd returns them.
    pub objects: Vec<BTreeMap<Key, Stored>>,
    pub resource_version: u64,
    pub changes: Vec<Change>,
}

/// Objects that could not be served, and why (no kind, no name...).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub source: String,
    pub reason: String,
}

impl Store {
    pub fn new() -> Self {
        let catalog = Catalog::built_in();
        let objects = vec![BTreeMap::new(); catalog.resources().len()];
        Self {
            catalog,
            objects,
            resource_version: 1000,
            changes: Vec::new(),
        }
    }

    /// Loads every YAML/JSON file under `dirs` (Lists expanded), as `kubectl apply` would create them.
    pub fn load_dirs(&mut self, dirs: &[std::path::PathBuf]) -> Vec<Rejected> {
        let loaded = kubeward_source::load(dirs, &kubeward_source::LoadOptions::default());
        let mut values = Vec::new();
        for doc in &loaded.documents {
            let name = loaded
                .sources
                .get(doc.source)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            values.push((name, doc.root.to_json()));
        }
        self.add_values(values)
    }

    /// Adds objects (and the items of `*List` objects); returns those that could not be stored.
    pub fn add_values(&mut self, values: Vec<(String, Value)>) -> Vec<Rejected> {
        let mut flat = Vec::new();
        for (source, value) in values {
            let is_list = value["kind"].as_str().is_some_and(|k| k.ends_with("List"))
                && value["items"].is_array();
            if is_list {
                if let Value::Object(mut map) = value
                    && let Some(Value::Array(items)) = map.remove("items")
                {
                    flat.extend(items.into_iter().map(|i| (source.clone(), i)));
                }
            } else if !value.is_null() {
                flat.push((source, value));
            }
        }
        // CRDs first, so that their resources are known before their objects arrive.
        for (_, v) in &flat {
            if v["kind"] == "CustomResourceDefinition" {
                self.catalog.add_crd(v);
            }
        }
        let mut rejected = Vec::new();
        for (source, value) in flat {
            if let Err(reason) = self.put(value, false) {
                rejected.push(Rejected { source, reason });
            }
        }
        rejected
    }

    /// Creates or replaces an object; records the change when `record` (objects loaded at start are
    /// the initial state, not changes).
    pub fn put(&mut self, mut value: Value, record: bool) -> Result<Change, String> {
        let kind = value["kind"].as_str().ok_or("no kind")?.to_string();
        let api_version = value["apiVersion"]
            .as_str()
            .ok_or("no apiVersion")?
            .to_string();
        let name = value["metadata"]["name"]
            .as_str()
            .ok_or("no metadata.name")?
            .to_string();
        let has_namespace = value["metadata"]["namespace"].is_string();
        let index = self
            .catalog
            .resource_for(&api_version, &kind, has_namespace);
        if index >= self.objects.len() {
            self.objects.resize(index + 1, BTreeMap::new());
        }
        let resource = self.catalog.resources()[index].clone();
        let namespace = if resource.namespaced {
            value["metadata"]["namespace"]
                .as_str()
                .unwrap_or("default")
                .to_string()
        } else {
            String::new()
        };
        self.resource_version += 1;
        let rv = self.resource_version;
        let key = (namespace.clone(), name.clone());
        let previous = self.objects[index].get(&key).cloned();
        {
            let Some(map) = value.as_object_mut() else {
                return Err("not a mapping".into());
            };
            map.insert("apiVersion".into(), json!(resource.api_version()));
            let metadata = map.entry("metadata").or_insert_with(|| json!({}));
            let Some(meta) = metadata.as_object_mut() else {
                return Err("metadata is not a mapping".into());
            };
            if resource.namespaced {
                meta.insert("namespace".into(), json!(namespace));
            } else {
                meta.remove("namespace");
            }
            meta.insert("resourceVersion".into(), json!(rv.to_string()));
            let uid = previous
                .as_ref()
                .and_then(|p| p.object["metadata"]["uid"].as_str().map(String::from))
                .unwrap_or_else(|| format!("00000000-0000-4000-8000-{rv:012}"));
            meta.insert("uid".into(), json!(uid));
            meta.entry("creationTimestamp")
                .or_insert_with(|| json!("2026-01-01T00:00:00Z"));
        }
        let stored = encode(value, rv);
        let change = Change {
            kind: if previous.is_some() {
                ChangeKind::Modified
            } else {
                ChangeKind::Added
            },
            resource: index,
            namespace,
            resource_version: rv,
            object: stored.object.clone(),
        };
        self.objects[index].insert(key, stored);
        if record {
            self.changes.push(change.clone());
        }
        Ok(change)
    }

    /// Deletes an object; the change carries its last state with a new resource version.
    pub fn delete(&mut self, index: usize, namespace: &str, name: &str) -> Option<Change> {
        let map = self.objects.get_mut(index)?;
        let old = map.remove(&(namespace.to_string(), name.to_string()))?;
        self.resource_version += 1;
        let mut object = (*old.object).clone();
        object["metadata"]["resourceVersion"] = json!(self.resource_version.to_string());
        let change = Change {
            kind: ChangeKind::Deleted,
            resource: index,
            namespace: namespace.to_string(),
            resource_version: self.resource_version,
            object: Arc::new(object),
        };
        self.changes.push(change.clone());
        Some(change)
    }

    /// Number of objects served.
    pub fn len(&self) -> usize {
        self.objects.iter().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn encode(object: Value, rv: u64) -> Stored {
    let mut item = object.clone();
    if let Some(map) = item.as_object_mut() {
        map.remove("kind");
        map.remove("apiVersion");
    }
    let metadata_item = json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": object["metadata"],
    });
    Stored {
        item: Arc::from(item.to_string()),
        metadata_item: Arc::from(metadata_item.to_string()),
        object: Arc::new(object),
        resource_version: rv,
    }
}
