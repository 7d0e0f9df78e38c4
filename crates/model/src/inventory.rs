use std::collections::{BTreeSet, HashMap};

use crate::object::Object;
use crate::workload::Workload;

/// Every object of a scan, indexed for the cross-object rules and engines.
#[derive(Debug, Default)]
pub struct Inventory {
    objects: Vec<Object>,
    by_kind: HashMap<String, Vec<usize>>,
    by_key: HashMap<(String, Option<String>, String), usize>,
}

impl Inventory {
    pub fn new(objects: Vec<Object>) -> Self {
        let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_key = HashMap::with_capacity(objects.len());
        for (i, o) in objects.iter().enumerate() {
            by_kind.entry(o.kind().to_string()).or_default().push(i);
            let key = (
                o.kind().to_string(),
                o.effective_namespace().map(str::to_string),
                o.name().to_string(),
            );
            by_key.entry(key).or_insert(i);
        }
        Self {
            objects,
            by_kind,
            by_key,
        }
    }

    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Objects of one kind, in load order.
    pub fn of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.by_kind
            .get(kind)
            .into_iter()
            .flatten()
            .map(|&i| &self.objects[i])
    }

    /// The first object with this kind, effective namespace and name.
    pub fn get(&self, kind: &str, namespace: Option<&str>, name: &str) -> Option<&Object> {
        let key = (
            kind.to_string(),
            namespace.map(str::to_string),
            name.to_string(),
        );
        self.by_key.get(&key).map(|&i| &self.objects[i])
    }

    /// Every pod-bearing object as a workload.
    pub fn workloads(&self) -> impl Iterator<Item = Workload<'_>> {
        self.objects.iter().filter_map(Workload::of)
    }

    /// Namespaces that objects live in or that are declared, sorted.
    pub fn namespaces(&self) -> BTreeSet<&str> {
        let mut set: BTreeSet<&str> = self
            .objects
            .iter()
            .filter_map(Object::effective_namespace)
            .collect();
        set.extend(self.of_kind("Namespace").map(Object::name));
        set
    }
}
