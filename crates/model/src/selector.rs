//! Label selectors with the semantics of `k8s.io/apimachinery/pkg/labels`.

use kubeward_source::Node;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A `metav1.LabelSelector` (matchLabels and matchExpressions, ANDed).
///
/// An empty selector (`{}`) matches everything; a missing selector is represented by `Option::None` at
/// the call site, because its meaning differs per field (a Service without selector selects nothing
/// through labels; a NetworkPolicy `podSelector: {}` selects all pods).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

/// The selector cannot be evaluated as Kubernetes would (the API server would reject it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError(pub String);

impl LabelSelector {
    /// Parses a `metav1.LabelSelector` mapping.
    pub fn from_node(node: &Node) -> Result<Self, SelectorError> {
        let mut requirements = Vec::new();
        for e in node.get("matchLabels").into_iter().flat_map(Node::entries) {
            let value = e.value.scalar_text().unwrap_or_default();
            requirements.push(Requirement::Equals(e.key.to_string(), value));
        }
        for expr in node
            .get("matchExpressions")
            .into_iter()
            .flat_map(Node::items)
        {
            let key = expr
                .get("key")
                .and_then(Node::as_str)
                .ok_or_else(|| SelectorError("matchExpressions entry without `key`".into()))?
                .to_string();
            let op = expr.get("operator").and_then(Node::as_str).unwrap_or("");
            let values: Vec<String> = expr
                .get("values")
                .into_iter()
                .flat_map(Node::items)
                .filter_map(Node::scalar_text)
                .collect();
            let req = match op {
                "In" | "NotIn" if values.is_empty() => {
                    return Err(SelectorError(format!("operator {op} needs values")));
                }
                "In" => Requirement::In(key, values),
                "NotIn" => Requirement::NotIn(key, values),
                "Exists" | "DoesNotExist" if !values.is_empty() => {
                    return Err(SelectorError(format!("operator {op} takes no values")));
                }
                "Exists" => Requirement::Exists(key),
                "DoesNotExist" => Requirement::DoesNotExist(key),
                other => return Err(SelectorError(format!("unknown operator `{other}`"))),
            };
            requirements.push(req);
        }
        Ok(Self { requirements })
    }

    /// A plain `map[string]string` selector (Service `spec.selector`, ReplicationController).
    pub fn from_match_labels(node: &Node) -> Self {
        Self {
            requirements: node
                .entries()
                .map(|e| {
                    Requirement::Equals(
                        e.key.to_string(),
                        e.value.scalar_text().unwrap_or_default(),
                    )
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether a label set satisfies every requirement. `labels` yields `(key, value)` pairs.
    pub fn matches<'a, I>(&self, labels: I) -> bool
    where
        I: IntoIterator<Item = (&'a str, &'a str)> + Clone,
    {
        let get = |key: &str| {
            labels
                .clone()
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v)
        };
        self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            // NotIn matches when the label is absent, as in Kubernetes.
            Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

/// The `(key, value)` pairs of a labels mapping, values as strings.
pub fn labels_of(node: Option<&Node>) -> Vec<(&str, String)> {
    node.into_iter()
        .flat_map(Node::entries)
        .map(|e| (&*e.key, e.value.scalar_text().unwrap_or_default()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeward_source::{Limits, parse_stream};

    fn selector(yaml: &str) -> Result<LabelSelector, SelectorError> {
        let s = parse_stream(yaml, &Limits::default());
        LabelSelector::from_node(&s.docs[0].root)
    }

    #[test]
    fn match_labels_and_expressions() {
        let sel = selector(
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [a, b]}\n- {key: env, operator: NotIn, values: [prod]}\n- {key: x, operator: DoesNotExist}\n",
        )
        .unwrap();
        assert!(sel.matches([("app", "web"), ("tier", "a")]));
        assert!(sel.matches([("app", "web"), ("tier", "b"), ("env", "dev")]));
        assert!(!sel.matches([("app", "web"), ("tier", "c")]));
        assert!(!sel.matches([("app", "web"), ("tier", "a"), ("env", "prod")]));
        assert!(!sel.matches([("app", "web"), ("tier", "a"), ("x", "")]));
        assert!(!sel.matches([("tier", "a")]));
    }

    #[test]
    fn empty_selector_matches_everything() {
        let sel = selector("{}\n").unwrap();
        assert!(sel.matches([("a", "b")]));
        assert!(sel.matches(std::iter::empty::<(&str, &str)>()));
    }

    #[test]
    fn exists_and_invalid_operators() {
        let sel = selector("matchExpressions: [{key: a, operator: Exists}]\n").unwrap();
        assert!(sel.matches([("a", "")]));
        assert!(!sel.matches([("b", "")]));
        assert!(selector("matchExpressions: [{key: a, operator: In}]\n").is_err());
        assert!(selector("matchExpressions: [{key: a, operator: Like, values: [x]}]\n").is_err());
        assert!(selector("matchExpressions: [{key: a, operator: Exists, values: [x]}]\n").is_err());
    }

    #[test]
    fn label_values_that_yaml_resolves_are_compared_as_strings() {
        // `enabled: true` and `version: 1` are label values "true" and "1" after conversion.
        let sel = selector("matchLabels: {enabled: \"true\", version: \"1\"}\n").unwrap();
        let labels = parse_stream("enabled: true\nversion: 1\n", &Limits::default());
        let pairs = labels_of(Some(&labels.docs[0].root));
        assert!(sel.matches(pairs.iter().map(|(k, v)| (*k, v.as_str()))));
    }
}
