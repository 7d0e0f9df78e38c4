use kubeward_diagnostics::PathSegment;
use kubeward_source::Node;

use crate::kinds::pod_spec_path;
use crate::object::Object;

/// Which list of the pod spec a container is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    /// The pod spec field holding containers of this kind.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// How messages name it: "init container `x`".
    pub fn label(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// A container of a workload's pod spec.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub kind: ContainerKind,
    pub index: usize,
    pub node: &'a Node,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.node.get("name").and_then(Node::as_str).unwrap_or("")
    }

    pub fn image(&self) -> Option<&'a Node> {
        self.node.get("image")
    }

    /// The `image` node with its parsed, normalised reference.
    pub fn image_ref(&self) -> Option<(&'a Node, crate::ImageRef)> {
        let node = self.image()?;
        let reference = crate::ImageRef::parse(&node.scalar_text()?)?;
        Some((node, reference))
    }

    pub fn security_context(&self) -> Option<&'a Node> {
        self.node.get("securityContext")
    }

    /// A field of the container's own securityContext.
    pub fn security_field(&self, field: &str) -> Option<&'a Node> {
        self.security_context().and_then(|sc| sc.get(field))
    }

    /// "container `app`", "init container `setup`".
    pub fn describe(&self) -> String {
        format!("{} `{}`", self.kind.label(), self.name())
    }
}

/// Where an effective security setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Pod,
    Container,
}

/// Any pod-bearing object seen through its pod spec.
#[derive(Debug, Clone, Copy)]
pub struct Workload<'a> {
    pub object: &'a Object,
    pub pod_spec: &'a Node,
    /// The pod template's metadata (the object's own metadata for a Pod).
    pub pod_metadata: Option<&'a Node>,
    /// The `spec:` key that holds the pod spec: where findings about a missing pod-level field point.
    pub pod_spec_key: kubeward_diagnostics::Span,
    spec_path: &'static [&'static str],
}

impl<'a> Workload<'a> {
    /// The workload view of an object, when its kind creates pods and it has a pod spec mapping.
    pub fn of(object: &'a Object) -> Option<Self> {
        let spec_path = pod_spec_path(object.kind())?;
        let template_path = &spec_path[..spec_path.len() - 1];
        let spec_entry = object.root.path(template_path)?.entry("spec")?;
        let pod_spec = &spec_entry.value;
        pod_spec.as_map()?;
        let pod_metadata = if template_path.is_empty() {
            object.metadata()
        } else {
            object
                .root
                .path(template_path)
                .and_then(|t| t.get("metadata"))
        };
        Some(Self {
            object,
            pod_spec,
            pod_metadata,
            pod_spec_key: spec_entry.key_span,
            spec_path,
        })
    }

    /// Path from the object root to the pod spec, e.g. `spec/template/spec`.
    pub fn spec_path(&self) -> Vec<PathSegment> {
        self.spec_path
            .iter()
            .map(|s| PathSegment::from(*s))
            .collect()
    }

    /// Path from the object root to a field of the pod spec.
    pub fn pod_path(&self, fields: &[&str]) -> Vec<PathSegment> {
        let mut p = self.spec_path();
        p.extend(fields.iter().map(|f| PathSegment::from(*f)));
        p
    }

    /// Path from the object root to a field of a container.
    pub fn container_path(&self, c: &Container<'_>, fields: &[&str]) -> Vec<PathSegment> {
        let mut p = self.spec_path();
        p.push(c.kind.field().into());
        p.push(PathSegment::Index(c.index));
        p.extend(fields.iter().map(|f| PathSegment::from(*f)));
        p
    }

    /// Every container: init, regular and ephemeral, in that order.
    pub fn all_containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let spec = self.pod_spec;
        [
            ContainerKind::Init,
            ContainerKind::Regular,
            ContainerKind::Ephemeral,
        ]
        .into_iter()
        .flat_map(move |kind| {
            spec.get(kind.field())
                .into_iter()
                .flat_map(Node::items)
                .enumerate()
                .filter(|(_, n)| n.as_map().is_some())
                .map(move |(index, node)| Container { kind, index, node })
        })
    }

    pub fn pod_field(&self, field: &str) -> Option<&'a Node> {
        self.pod_spec.get(field)
    }

    pub fn pod_security_context(&self) -> Option<&'a Node> {
        self.pod_spec.get("securityContext")
    }

    /// A security setting as Kubernetes applies it to a container: the container's value when set,
    /// otherwise the pod's. Only for fields that exist at both levels (runAsUser, runAsGroup,
    /// runAsNonRoot, seLinuxOptions, seccompProfile, appArmorProfile, windowsOptions); explicit `null`
    /// counts as unset, as after JSON decoding.
    pub fn effective_security(&self, c: &Container<'a>, field: &str) -> Option<(&'a Node, Level)> {
        if let Some(v) = c.security_field(field).filter(|n| !n.is_null()) {
            return Some((v, Level::Container));
        }
        self.pod_security_context()
            .and_then(|sc| sc.get(field))
            .filter(|n| !n.is_null())
            .map(|v| (v, Level::Pod))
    }

    /// The host namespaces shared with the node (`hostNetwork`, `hostPID`, `hostIPC`) set to true.
    pub fn is_windows(&self) -> bool {
        self.pod_spec
            .path(&["os", "name"])
            .and_then(Node::as_str)
            .is_some_and(|os| os == "windows")
    }

    /// The service account the pods run as (`default` when unset).
    pub fn service_account(&self) -> &'a str {
        self.pod_spec
            .get("serviceAccountName")
            .or_else(|| self.pod_spec.get("serviceAccount"))
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
    }

    pub fn pod_labels(&self) -> Option<&'a Node> {
        self.pod_metadata.and_then(|m| m.get("labels"))
    }

    pub fn pod_annotations(&self) -> Option<&'a Node> {
        self.pod_metadata.and_then(|m| m.get("annotations"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects_from_documents;
    use kubeward_source::{Limits, load_text};

    fn objects(yaml: &str) -> Vec<Object> {
        let loaded = load_text("t.yaml", yaml.into(), &Limits::default());
        objects_from_documents(loaded.documents).0
    }

    #[test]
    fn every_pod_bearing_kind_and_every_container_list() {
        let yaml = "
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: c}}
        spec:
          initContainers: [{name: i}]
          containers: [{name: a}, {name: b}]
          ephemeralContainers: [{name: e}]
";
        let objs = objects(yaml);
        let w = Workload::of(&objs[0]).unwrap();
        let names: Vec<_> = w.all_containers().map(|c| c.describe()).collect();
        assert_eq!(
            names,
            [
                "init container `i`",
                "container `a`",
                "container `b`",
                "ephemeral container `e`"
            ]
        );
        let c = w.all_containers().nth(2).unwrap();
        let path = kubeward_diagnostics::fix_pointer(&w.container_path(&c, &["securityContext"]));
        assert_eq!(
            path,
            "/spec/jobTemplate/spec/template/spec/containers/1/securityContext"
        );
        assert!(w.pod_labels().is_some());
    }

    #[test]
    fn container_value_overrides_pod_value() {
        let yaml = "
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000}
  containers:
  - name: a
    securityContext: {runAsNonRoot: false}
  - name: b
  - name: c
    securityContext: {runAsUser: null}
";
        let objs = objects(yaml);
        let w = Workload::of(&objs[0]).unwrap();
        let cs: Vec<_> = w.all_containers().collect();
        let (v, level) = w.effective_security(&cs[0], "runAsNonRoot").unwrap();
        assert_eq!((v.as_bool(), level), (Some(false), Level::Container));
        let (v, level) = w.effective_security(&cs[1], "runAsNonRoot").unwrap();
        assert_eq!((v.as_bool(), level), (Some(true), Level::Pod));
        let (v, level) = w.effective_security(&cs[2], "runAsUser").unwrap();
        assert_eq!((v.as_i64(), level), (Some(1000), Level::Pod));
    }

    #[test]
    fn kinds_without_pods_have_no_workload() {
        let objs = objects("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n");
        assert!(Workload::of(&objs[0]).is_none());
    }
}
