use serde::{Deserialize, Serialize};

use crate::Error;

/// The embedded data files, in the order frameworks are listed.
const DATA: &[(&str, &str)] = &[
    ("cis.json", include_str!("../data/cis.json")),
    ("nsa.json", include_str!("../data/nsa.json")),
    ("pss.json", include_str!("../data/pss.json")),
    ("owasp.json", include_str!("../data/owasp.json")),
];

/// A compliance framework and its controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Display ID: `CIS`, `NSA`, `PSS`, `OWASP`.
    pub id: String,
    /// The prefix of rule references to this framework: `cis` in `cis:5.2.2`.
    pub prefix: String,
    pub name: String,
    /// The version of the framework the controls follow (`v1.12`, `2022`).
    pub version: String,
    pub url: String,
    pub description: String,
    pub controls: Vec<Control>,
}

/// One control (recommendation, check, risk) of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// The framework's own ID: `5.2.2`, `pod-security`, `hostNamespaces`, `K01`.
    pub id: String,
    /// Grouping for reports: `5.2 Pod Security Standards`.
    pub section: String,
    /// A short title, in our own words.
    pub title: String,
    /// How the control is evaluated. In the data this is the status *without* rules; [`crate::coverage`]
    /// makes it [`Status::Automated`] for every control a rule references.
    pub status: Status,
}

/// How a control is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Rules (manifest rules or audit detectors) evaluate it.
    Automated,
    /// `kubeward node` evaluates it on a node's filesystem (CIS sections 1–4).
    Node,
    /// `kubeward pss check` evaluates it with Pod Security Admission's semantics.
    Pss,
    /// It needs a human judgement (organisational or out-of-cluster matters).
    Manual,
    /// It could be automated, but no rule does so yet.
    NotEvaluatedYet,
}

impl Status {
    /// The name used in the data and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Automated => "automated",
            Status::Node => "node",
            Status::Pss => "pss",
            Status::Manual => "manual",
            Status::NotEvaluatedYet => "not-evaluated-yet",
        }
    }

    /// What evaluates a control with this status, for reports.
    pub fn evaluated_by(self) -> &'static str {
        match self {
            Status::Automated => "rules",
            Status::Node => "kubeward node",
            Status::Pss => "kubeward pss check",
            Status::Manual => "manual review",
            Status::NotEvaluatedYet => "not evaluated yet",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Framework {
    /// The control with this ID (exact: control IDs such as `hostNamespaces` are case-sensitive).
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// The reference a rule uses for one of this framework's controls: `cis:5.2.2`.
    pub fn reference(&self, control: &Control) -> String {
        format!("{}:{}", self.prefix, control.id)
    }
}

/// Every framework, parsed from the embedded data.
pub fn frameworks() -> Result<Vec<Framework>, Error> {
    DATA.iter()
        .map(|(file, text)| {
            serde_json::from_str(text).map_err(|source| Error::Data { file, source })
        })
        .collect()
}

/// The framework with this ID or prefix, case-insensitively (`CIS`, `cis`, `owasp`).
pub fn find<'a>(frameworks: &'a [Framework], name: &str) -> Option<&'a Framework> {
    frameworks
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(name) || f.prefix.eq_ignore_ascii_case(name))
}

/// The framework and control a reference such as `cis:5.2.2` names, if both exist.
pub fn resolve<'a>(
    frameworks: &'a [Framework],
    reference: &str,
) -> Option<(&'a Framework, &'a Control)> {
    let (prefix, id) = reference.split_once(':')?;
    let framework = frameworks.iter().find(|f| f.prefix == prefix)?;
    Some((framework, framework.control(id)?))
}
