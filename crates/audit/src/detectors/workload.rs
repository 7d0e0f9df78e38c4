//! The pod spec inside a write's `requestObject`, for every pod-bearing kind, so no detector forgets
//! CronJobs or init and ephemeral containers. Patches have the same shape (strategic merge), with only
//! the fields they change; a JSON Patch (an array) yields nothing.

use serde::{Deserialize, Deserializer};

use crate::event::Event;

/// Resources whose objects carry a pod template.
pub(crate) const POD_BEARING: &[&str] = &[
    "pods",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "replicationcontrollers",
    "podtemplates",
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodSpec {
    #[serde(default)]
    pub host_network: Option<bool>,
    #[serde(default, rename = "hostPID")]
    pub host_pid: Option<bool>,
    #[serde(default, rename = "hostIPC")]
    pub host_ipc: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub volumes: Vec<Volume>,
    #[serde(default, deserialize_with = "nullable")]
    pub containers: Vec<Container>,
    #[serde(default, deserialize_with = "nullable")]
    pub init_containers: Vec<Container>,
    #[serde(default, deserialize_with = "nullable")]
    pub ephemeral_containers: Vec<Container>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Volume {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub host_path: Option<HostPath>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct HostPath {
    #[serde(default)]
    pub path: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Container {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub command: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub args: Vec<String>,
    #[serde(default)]
    pub security_context: Option<SecurityContext>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SecurityContext {
    #[serde(default)]
    pub privileged: Option<bool>,
}

impl PodSpec {
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers
            .iter()
            .chain(&self.containers)
            .chain(&self.ephemeral_containers)
    }
}

fn nullable<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
struct WithSpec<T> {
    spec: Option<T>,
}

#[derive(Deserialize)]
struct WithTemplate<T> {
    template: Option<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WithJobTemplate<T> {
    job_template: Option<T>,
}

type Templated = WithSpec<WithTemplate<WithSpec<PodSpec>>>;

/// The pod spec a create/update/patch of a pod-bearing object sets, when the audit level recorded
/// the request body.
pub(crate) fn pod_spec(event: &Event<'_>) -> Option<PodSpec> {
    if !event.is_write() || event.request_object.is_none() {
        return None;
    }
    match (event.resource(), event.subresource()) {
        ("pods", "" | "ephemeralcontainers") => event.request_object::<WithSpec<PodSpec>>()?.spec,
        ("podtemplates", "") => {
            event
                .request_object::<WithTemplate<WithSpec<PodSpec>>>()?
                .template?
                .spec
        }
        ("cronjobs", "") => {
            event
                .request_object::<WithSpec<WithJobTemplate<Templated>>>()?
                .spec?
                .job_template?
                .spec?
                .template?
                .spec
        }
        (resource, "") if POD_BEARING.contains(&resource) => {
            event.request_object::<Templated>()?.spec?.template?.spec
        }
        _ => None,
    }
}

/// The images of every container, comma-separated.
pub(crate) fn image_list(spec: &PodSpec) -> String {
    let images: Vec<&str> = spec
        .all_containers()
        .filter_map(|c| c.image.as_deref())
        .collect();
    images.join(", ")
}
