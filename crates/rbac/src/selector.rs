//! `metav1.LabelSelector` with the semantics of `LabelSelectorAsSelector` in apimachinery.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::RbacError;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    /// Rejected by the API machinery; a selector containing it selects nothing.
    #[serde(other)]
    Unknown,
}

impl LabelSelector {
    /// Checks the selector the way `LabelSelectorAsSelector` would before using it: `In`/`NotIn` need
    /// values, `Exists`/`DoesNotExist` must have none, the operator must be known.
    pub fn validate(&self) -> Result<(), RbacError> {
        for req in &self.match_expressions {
            let ok = match req.operator {
                SelectorOperator::In | SelectorOperator::NotIn => !req.values.is_empty(),
                SelectorOperator::Exists | SelectorOperator::DoesNotExist => req.values.is_empty(),
                SelectorOperator::Unknown => false,
            };
            if !ok {
                return Err(RbacError::InvalidSelector {
                    key: req.key.clone(),
                    operator: req.operator,
                });
            }
        }
        Ok(())
    }

    /// Whether `labels` are selected. An empty selector selects everything; an invalid one nothing
    /// (the aggregation controller gives up on it rather than guessing).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.validate().is_ok() && self.matches_valid(labels)
    }

    /// `matches` for a selector already validated.
    pub(crate) fn matches_valid(&self, labels: &BTreeMap<String, String>) -> bool {
        let labels_ok = self
            .match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v));
        labels_ok
            && self.match_expressions.iter().all(|req| {
                let value = labels.get(&req.key);
                match req.operator {
                    SelectorOperator::In => value.is_some_and(|v| req.values.contains(v)),
                    // NotIn also selects objects that do not carry the key at all.
                    SelectorOperator::NotIn => value.is_none_or(|v| !req.values.contains(v)),
                    SelectorOperator::Exists => value.is_some(),
                    SelectorOperator::DoesNotExist => value.is_none(),
                    SelectorOperator::Unknown => false,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn expr(key: &str, operator: SelectorOperator, values: &[&str]) -> LabelSelector {
        LabelSelector {
            match_labels: BTreeMap::new(),
            match_expressions: vec![LabelSelectorRequirement {
                key: key.to_owned(),
                operator,
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            }],
        }
    }

    #[test]
    fn operators_follow_apimachinery() {
        use SelectorOperator::*;
        let tier_web = labels(&[("tier", "web")]);
        let none = labels(&[]);
        assert!(expr("tier", In, &["web", "api"]).matches(&tier_web));
        assert!(!expr("tier", In, &["api"]).matches(&tier_web));
        assert!(!expr("tier", In, &["web"]).matches(&none));
        // NotIn selects objects without the key.
        assert!(expr("tier", NotIn, &["api"]).matches(&tier_web));
        assert!(expr("tier", NotIn, &["web"]).matches(&none));
        assert!(!expr("tier", NotIn, &["web"]).matches(&tier_web));
        assert!(expr("tier", Exists, &[]).matches(&tier_web));
        assert!(!expr("tier", Exists, &[]).matches(&none));
        assert!(expr("tier", DoesNotExist, &[]).matches(&none));
        // Empty selects everything; invalid selects nothing.
        assert!(LabelSelector::default().matches(&none));
        assert!(!expr("tier", In, &[]).matches(&tier_web));
        assert!(!expr("tier", Exists, &["web"]).matches(&tier_web));
        assert!(!expr("tier", Unknown, &["web"]).matches(&tier_web));
    }
}
