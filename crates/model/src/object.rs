use kubeward_diagnostics::{Location, ObjectRef, SourceId, Span};
use kubeward_source::{Document, Node};

use crate::kinds::is_cluster_scoped;

/// One Kubernetes object as read from a source.
#[derive(Debug, Clone)]
pub struct Object {
    pub source: SourceId,
    /// Document index in the source's stream.
    pub document: u32,
    /// Position in `items` when the object came from a `*List`.
    pub item: Option<u32>,
    /// For rendered sources, the template file it came from.
    pub template: Option<String>,
    pub root: Node,
    pub reference: ObjectRef,
}

/// A document that is not a Kubernetes object (no `apiVersion`/`kind` mapping). Skipped silently unless
/// the user asks to see it.
#[derive(Debug, Clone)]
pub struct NotAnObject {
    pub source: SourceId,
    pub document: u32,
    pub span: Span,
    pub reason: &'static str,
}

impl Object {
    /// Builds an object from a mapping with string `apiVersion` and `kind`.
    fn from_node(
        root: Node,
        source: SourceId,
        document: u32,
        item: Option<u32>,
        template: Option<String>,
    ) -> Result<Self, (Node, &'static str)> {
        let api_version = root.get("apiVersion").and_then(Node::as_str);
        let kind = root.get("kind").and_then(Node::as_str);
        let (Some(api_version), Some(kind)) = (api_version, kind) else {
            return Err((root, "no string `apiVersion` and `kind`"));
        };
        let meta = root.get("metadata");
        let name = meta
            .and_then(|m| m.get("name"))
            .and_then(Node::scalar_text)
            .or_else(|| {
                meta.and_then(|m| m.get("generateName"))
                    .and_then(Node::scalar_text)
                    .map(|g| format!("{g}*"))
            })
            .unwrap_or_default();
        let namespace = meta
            .and_then(|m| m.get("namespace"))
            .and_then(Node::scalar_text)
            .filter(|ns| !ns.is_empty());
        let reference = ObjectRef {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            namespace: if is_cluster_scoped(kind) {
                None
            } else {
                namespace
            },
            name,
        };
        Ok(Self {
            source,
            document,
            item,
            template,
            root,
            reference,
        })
    }

    pub fn kind(&self) -> &str {
        &self.reference.kind
    }

    pub fn api_version(&self) -> &str {
        &self.reference.api_version
    }

    pub fn name(&self) -> &str {
        &self.reference.name
    }

    /// The namespace as written (`None` when absent or cluster-scoped).
    pub fn namespace(&self) -> Option<&str> {
        self.reference.namespace.as_deref()
    }

    /// The namespace the object lands in when applied without `-n`: `default` when none is written.
    pub fn effective_namespace(&self) -> Option<&str> {
        if is_cluster_scoped(self.kind()) {
            None
        } else {
            Some(self.namespace().unwrap_or("default"))
        }
    }

    pub fn metadata(&self) -> Option<&Node> {
        self.root.get("metadata")
    }

    pub fn labels(&self) -> Option<&Node> {
        self.metadata().and_then(|m| m.get("labels"))
    }

    pub fn annotations(&self) -> Option<&Node> {
        self.metadata().and_then(|m| m.get("annotations"))
    }

    pub fn annotation(&self, key: &str) -> Option<&Node> {
        self.annotations().and_then(|a| a.get(key))
    }

    pub fn spec(&self) -> Option<&Node> {
        self.root.get("spec")
    }

    /// A location for a node of this object.
    pub fn location(&self, node: &Node) -> Location {
        Location {
            source: self.source,
            span: node.span,
        }
    }

    /// The location of the whole object (its mapping start), for findings about absences.
    pub fn root_location(&self) -> Location {
        self.location(&self.root)
    }
}

/// Turns documents into objects, expanding `List` and every `*List` kind with `items`.
pub fn objects_from_documents(documents: Vec<Document>) -> (Vec<Object>, Vec<NotAnObject>) {
    let mut objects = Vec::with_capacity(documents.len());
    let mut skipped = Vec::new();
    for doc in documents {
        let source = doc.source;
        let span = doc.root.span;
        if doc.root.is_null() {
            continue; // empty document: `---` twice, or a comment-only file
        }
        if is_list(&doc.root) {
            let Node { value, .. } = doc.root;
            let items = match value {
                kubeward_source::Value::Map(entries) => entries
                    .into_vec()
                    .into_iter()
                    .find(|e| &*e.key == "items")
                    .map(|e| e.value),
                _ => None,
            };
            let items = match items.map(|n| n.value) {
                Some(kubeward_source::Value::Seq(items)) => items.into_vec(),
                _ => Vec::new(),
            };
            for (i, item) in items.into_iter().enumerate() {
                let item_span = item.span;
                match Object::from_node(
                    item,
                    source,
                    doc.index,
                    Some(i as u32),
                    doc.template.clone(),
                ) {
                    Ok(o) => objects.push(o),
                    Err((_, reason)) => skipped.push(NotAnObject {
                        source,
                        document: doc.index,
                        span: item_span,
                        reason,
                    }),
                }
            }
            continue;
        }
        match Object::from_node(doc.root, source, doc.index, None, doc.template) {
            Ok(o) => objects.push(o),
            Err((_, reason)) => skipped.push(NotAnObject {
                source,
                document: doc.index,
                span,
                reason,
            }),
        }
    }
    (objects, skipped)
}

fn is_list(root: &Node) -> bool {
    let kind = root.get("kind").and_then(Node::as_str);
    kind.is_some_and(|k| k == "List" || k.ends_with("List"))
        && root.get("items").is_some_and(|i| i.as_seq().is_some())
}
