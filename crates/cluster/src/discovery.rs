//! API discovery: which of the wanted resources the cluster serves, at which version, and whether
//! they are namespaced. Only the groups kubeward reads are asked about.

use serde::Deserialize;

use crate::http::{Failure, Http};
use crate::kinds::Wanted;

/// A served resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResource {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
}

impl ApiResource {
    /// `apps/v1` or `v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `/api/v1` or `/apis/apps/v1`.
    pub fn prefix(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps`, `pods`: the name kubectl and RBAC use.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

/// What discovery found for one wanted resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    Served(ApiResource),
    NotServed,
    /// Discovery of its group failed (403 or otherwise).
    Failed(Failure),
}

#[derive(Deserialize)]
struct GroupList {
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    name: String,
    versions: Vec<GroupVersion>,
    #[serde(rename = "preferredVersion")]
    preferred: Option<GroupVersion>,
}

#[derive(Deserialize, Clone)]
struct GroupVersion {
    version: String,
}

#[derive(Deserialize)]
struct ResourceList {
    resources: Vec<ResourceEntry>,
}

#[derive(Deserialize)]
struct ResourceEntry {
    name: String,
    kind: String,
    namespaced: bool,
    #[serde(default)]
    verbs: Vec<String>,
}

const JSON: &str = "application/json";

/// Resolves every wanted resource against the cluster's discovery documents.
pub async fn discover(http: &Http, wanted: &[Wanted]) -> Result<Vec<Discovered>, Failure> {
    let groups: GroupList = parse(&http.get("/apis", JSON).await?)?;
    let mut out = Vec::with_capacity(wanted.len());
    // Group -> (versions in preference order, resource lists fetched so far).
    let mut cache: Vec<(String, String, Result<ResourceList, Failure>)> = Vec::new();
    for want in wanted {
        let versions: Vec<String> = if want.group.is_empty() {
            vec!["v1".to_string()]
        } else {
            match groups.groups.iter().find(|g| g.name == want.group) {
                Some(g) => {
                    let mut v: Vec<String> =
                        g.preferred.iter().map(|p| p.version.clone()).collect();
                    for version in &g.versions {
                        if !v.contains(&version.version) {
                            v.push(version.version.clone());
                        }
                    }
                    v
                }
                None => Vec::new(),
            }
        };
        let mut result = Discovered::NotServed;
        for version in versions {
            let index = match cache
                .iter()
                .position(|(g, v, _)| g == want.group && *v == version)
            {
                Some(i) => i,
                None => {
                    let path = if want.group.is_empty() {
                        format!("/api/{version}")
                    } else {
                        format!("/apis/{}/{version}", want.group)
                    };
                    let list = match http.get(&path, JSON).await {
                        Ok(body) => parse::<ResourceList>(&body),
                        Err(e) => Err(e),
                    };
                    cache.push((want.group.to_string(), version.clone(), list));
                    cache.len() - 1
                }
            };
            match &cache[index].2 {
                Ok(list) => {
                    let found = list
                        .resources
                        .iter()
                        .find(|r| r.name == want.plural && r.verbs.iter().any(|v| v == "list"));
                    if let Some(r) = found {
                        result = Discovered::Served(ApiResource {
                            group: want.group.to_string(),
                            version: version.clone(),
                            kind: r.kind.clone(),
                            plural: r.name.clone(),
                            namespaced: r.namespaced,
                        });
                        break;
                    }
                }
                Err(Failure::NotFound) => {}
                Err(e) => {
                    result = Discovered::Failed(e.clone());
                    break;
                }
            }
        }
        out.push(result);
    }
    Ok(out)
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body)
        .map_err(|e| Failure::Status(200, format!("unreadable answer: {e}")))
}
