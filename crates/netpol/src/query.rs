//! Naming endpoints on the command line: `ns/name`, `ns/Kind/name`, `name`, a label selector
//! `[ns/]key=value,key2=value2`, or a CIDR such as `0.0.0.0/0` for "the internet".

use kubeward_model::{LabelSelector, Requirement};

use crate::cidr::Cidr;
use crate::engine::{Engine, Target};

/// A name that matches no endpoint, with the nearest known one when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTarget {
    pub text: String,
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no workload or pod matches `{}`", self.text)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl Engine {
    /// The targets a command-line name stands for (several for a selector).
    pub fn resolve(&self, text: &str) -> Result<Vec<Target>, UnknownTarget> {
        if let Some(c) = Cidr::parse(text) {
            return Ok(vec![Target::Cidr(c)]);
        }
        let (namespace, rest) = match text.split_once('/') {
            Some((ns, rest)) => (Some(ns), rest),
            None => (None, text),
        };
        let in_ns = |i: &usize| namespace.is_none_or(|ns| self.endpoints[*i].namespace == ns);
        let found: Vec<usize> = if rest.contains('=') {
            let selector = LabelSelector {
                requirements: rest
                    .split(',')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| Requirement::Equals(k.trim().into(), v.trim().into()))
                    .collect(),
            };
            (0..self.endpoints.len())
                .filter(in_ns)
                .filter(|&i| selector.matches(self.endpoints[i].label_pairs()))
                .collect()
        } else {
            let (kind, name) = match rest.split_once('/') {
                Some((k, n)) => (Some(k), n),
                None => (None, rest),
            };
            (0..self.endpoints.len())
                .filter(in_ns)
                .filter(|&i| {
                    let e = &self.endpoints[i];
                    e.name == name && kind.is_none_or(|k| e.kind.eq_ignore_ascii_case(k))
                })
                .collect()
        };
        if found.is_empty() {
            return Err(UnknownTarget {
                text: text.to_string(),
                suggestion: self.nearest(text),
            });
        }
        Ok(found.into_iter().map(Target::Endpoint).collect())
    }

    fn nearest(&self, text: &str) -> Option<String> {
        (0..self.endpoints.len())
            .map(|i| self.endpoint_name(i))
            .map(|n| (strsim::osa_distance(text, &n), n))
            .filter(|(d, n)| *d <= n.len().max(3) / 3 + 1)
            .min()
            .map(|(_, n)| n)
    }

    /// How a target is shown: `ns/name` or the CIDR.
    pub fn target_name(&self, target: Target) -> String {
        match target {
            Target::Endpoint(e) => self.endpoint_name(e),
            Target::Cidr(c) => c.to_string(),
        }
    }
}
