use std::collections::{BTreeSet, HashMap};

use crate::object::Object;
use crate::workload::Workload;

/// Every object of a scan, indexed for the cross-object rules and engines.
#[derive(Debug, Default)]
pub struct Inventory {
    objects: Vec<Object>,
    by_kind: HashMap<String, Vec<usize>>,
    by_key: HashMap<(String, Option<String>, String), usize>,
    /// Objects by effective namespace: selector matching per namespace must not scan the whole
    /// inventory once per Service (quadratic at 100,000 objects).
    by_namespace: HashMap<String, Vec<usize>>,
}

impl Inventory {
    pub fn new(objects: Vec<Object>) -> Self {
        let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_key = HashMap::with_capacity(objects.len());
        let mut by_namespace: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, o) in objects.iter().enumerate() {
            by_kind.entry(o.kind().to_string()).or_default().push(i);
            if let Some(ns) = o.effective_namespace() {
                by_namespace.entry(ns.to_string()).or_default().push(i);
            }
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
            by_namespace,
        }
    }

    /// Objects whose effective namespace is `namespace`, in load order.
    pub fn in_namespace<'a>(&'a self, namespace: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.by_namespace
            .get(namespace)
            .into_iter()
            .flatten()
            .map(|&i| &self.objects[i])
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

    /// Objects of `kind` in `namespace` whose labels match `selector` (pod-bearing kinds are matched
    /// by their pod template's labels, as Services and NetworkPolicies select pods).
    pub fn matching<'a>(
        &'a self,
        kind: Option<&'a str>,
        namespace: Option<&'a str>,
        selector: &'a crate::LabelSelector,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        let candidates: Box<dyn Iterator<Item = &'a Object> + 'a> = match namespace {
            Some(ns) => Box::new(self.in_namespace(ns)),
            None => Box::new(self.objects.iter()),
        };
        candidates.filter(move |o| {
            kind.is_none_or(|k| o.kind() == k) && {
                let labels = match Workload::of(o) {
                    Some(w) => w.pod_labels(),
                    None => o.labels(),
                };
                let pairs = crate::labels_of(labels);
                selector.matches(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            }
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LabelSelector, objects_from_documents};
    use kubeward_source::{Limits, load_text};

    #[test]
    fn lookup_by_key_kind_and_selector() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, labels: {owner: x}}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: a}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec: {containers: [{name: a}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n";
        let inv = Inventory::new(
            objects_from_documents(load_text("t", yaml.into(), &Limits::default()).documents).0,
        );
        assert!(inv.get("Deployment", Some("shop"), "web").is_some());
        assert!(
            inv.get("Pod", Some("default"), "p").is_some(),
            "no namespace means default"
        );
        let sel = LabelSelector {
            requirements: vec![crate::Requirement::Equals("app".into(), "web".into())],
        };
        let names: Vec<&str> = inv
            .matching(None, Some("shop"), &sel)
            .map(Object::name)
            .collect();
        assert_eq!(
            names,
            ["web"],
            "a Deployment matches through its pod template labels"
        );
        assert_eq!(inv.matching(Some("Pod"), None, &sel).count(), 1);
        assert_eq!(
            inv.namespaces().into_iter().collect::<Vec<_>>(),
            ["default", "empty", "shop"]
        );
        assert_eq!(inv.workloads().count(), 2);
    }
}
