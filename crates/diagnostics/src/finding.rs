use serde::Serialize;

use crate::{Fix, Location, Severity};

/// Identifies the Kubernetes object a finding is about, independently of where it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

/// Where a suppression came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionSource {
    /// An `ignore.kubeward.io/<rule>` annotation on the object.
    Annotation,
    /// An entry in the `suppressions:` list of the configuration file.
    Config,
}

/// Why a finding is not counted: kept on the finding so reports can still show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub source: SuppressionSource,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// One thing wrong with one object (or one input file), as a rule reported it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule ID such as `POD001`.
    pub rule_id: &'static str,
    /// Kebab-case rule name such as `privileged-container`.
    pub rule_name: &'static str,
    pub severity: Severity,
    /// States the fact with its values: "container `app` runs privileged".
    pub message: String,
    /// The offending value, or the mapping where a missing field belongs. `None` for live objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The object, when the finding is about one (input problems are about files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// The text at `location` is (or may be) a secret: reporters must never print it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
}

impl Finding {
    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }
}
