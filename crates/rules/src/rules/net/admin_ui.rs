//! Recognises administrative web UIs by their images, shared by the deployed and exposed rules.

use kubeward_model::{Container, Workload};
use kubeward_source::Node;

/// Last path segments of admin UI images, with the product name.
const BY_LAST_SEGMENT: [(&str, &str); 20] = [
    ("kubernetes-dashboard", "Kubernetes Dashboard"),
    ("kubernetes-dashboard-amd64", "Kubernetes Dashboard"),
    ("grafana", "Grafana"),
    ("grafana-enterprise", "Grafana"),
    ("prometheus", "Prometheus"),
    ("alertmanager", "Alertmanager"),
    ("kibana", "Kibana"),
    ("portainer", "Portainer"),
    ("portainer-ce", "Portainer"),
    ("portainer-ee", "Portainer"),
    ("headlamp", "Headlamp"),
    ("octant", "Octant"),
    ("kube-ops-view", "Kubernetes Operational View"),
    ("skooner", "Skooner"),
    ("pgadmin4", "pgAdmin"),
    ("phpmyadmin", "phpMyAdmin"),
    ("adminer", "Adminer"),
    ("mongo-express", "mongo-express"),
    ("kafka-ui", "Kafka UI"),
    ("redis-commander", "Redis Commander"),
];

/// Whole repositories (after the registry) that are admin UIs.
const BY_REPOSITORY: [(&str, &str); 6] = [
    ("kubernetesui/dashboard", "Kubernetes Dashboard"),
    ("kubernetesui/dashboard-web", "Kubernetes Dashboard"),
    ("kubernetesui/dashboard-api", "Kubernetes Dashboard"),
    ("rancher/rancher", "Rancher"),
    ("weaveworks/scope", "Weave Scope"),
    ("jupyterhub/k8s-hub", "JupyterHub"),
];

/// The admin UI a container runs, if any.
pub(crate) fn admin_ui(container: &Container<'_>) -> Option<&'static str> {
    let (_, image) = container.image_ref()?;
    let repository = image.repository.to_ascii_lowercase();
    if let Some((_, name)) = BY_REPOSITORY.iter().find(|(r, _)| repository == *r) {
        return Some(name);
    }
    let last = repository.rsplit('/').next().unwrap_or("");
    if let Some((_, name)) = BY_LAST_SEGMENT.iter().find(|(s, _)| last == *s) {
        return Some(name);
    }
    if repository.starts_with("jupyter/") || last.ends_with("-notebook") || last == "jupyterlab" {
        return Some("Jupyter");
    }
    // Every Argo CD component ships in one image; only the API server serves the UI.
    if last == "argocd" && runs(container, "argocd-server") {
        return Some("Argo CD");
    }
    None
}

/// Whether the container's name, command or arguments name `program`.
fn runs(container: &Container<'_>, program: &str) -> bool {
    container.name() == program
        || ["command", "args"].iter().any(|f| {
            container
                .node
                .get(f)
                .into_iter()
                .flat_map(Node::items)
                .filter_map(Node::scalar_text)
                .any(|a| a.rsplit('/').next() == Some(program))
        })
}

/// The first admin UI of a workload, with its container.
pub(crate) fn of_workload<'a>(workload: &Workload<'a>) -> Option<(Container<'a>, &'static str)> {
    workload
        .all_containers()
        .find_map(|c| admin_ui(&c).map(|name| (c, name)))
}
