//! Which rules run: `--select` / `--ignore` by ID, ID prefix, area or name, with suggestions for typos.

use crate::registry::{Area, RULES, RuleMeta};
use crate::settings::Options;

/// A selector matched no rule. Never ignored: a typo must not silently disable rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule selector `{selector}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct SelectionError {
    pub selector: String,
    pub suggestion: Option<String>,
}

/// The enabled rules, as one flag per registry entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    enabled: Vec<bool>,
}

impl Selection {
    /// Default rules: every rule enabled by default, plus opt-in rules whose options are configured.
    pub fn default_for(options: &Options) -> Self {
        Self {
            enabled: RULES
                .iter()
                .map(|r| r.meta.default_enabled || is_configured(r.meta, options))
                .collect(),
        }
    }

    /// Resolves selectors. An empty `select` means the default set. Opt-in rules run only when their
    /// options are configured, whatever is selected.
    pub fn resolve(
        select: &[String],
        ignore: &[String],
        options: &Options,
    ) -> Result<Self, SelectionError> {
        let mut enabled = if select.is_empty() {
            Self::default_for(options).enabled
        } else {
            let mut on = vec![false; RULES.len()];
            for s in select {
                for i in matching(s)? {
                    let meta = RULES[i].meta;
                    // Selecting an opt-in rule turns it on, unless it cannot work without options.
                    on[i] = meta.default_enabled
                        || is_configured(meta, options)
                        || !needs_options(meta);
                }
            }
            on
        };
        for s in ignore {
            for i in matching(s)? {
                enabled[i] = false;
            }
        }
        Ok(Self { enabled })
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        RULES
            .iter()
            .position(|r| std::ptr::eq(r.meta, meta))
            .is_some_and(|i| self.enabled[i])
    }

    /// Keeps enabled only the rules `keep` accepts (`scan --framework` runs that framework's rules).
    pub fn retain(&mut self, keep: impl Fn(&RuleMeta) -> bool) {
        for (on, rule) in self.enabled.iter_mut().zip(RULES) {
            *on = *on && keep(rule.meta);
        }
    }

    /// Turns a rule off (a live scan does so for cross-object rules whose input could not be read,
    /// rather than let them report on half the picture).
    pub fn disable(&mut self, id: &str) {
        if let Some(i) = RULES.iter().position(|r| r.meta.id == id) {
            self.enabled[i] = false;
        }
    }

    pub fn is_enabled_index(&self, index: usize) -> bool {
        self.enabled.get(index).copied().unwrap_or(false)
    }

    /// IDs of the enabled rules.
    pub fn enabled_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| r.meta.id)
    }
}

/// Opt-in rules that mean nothing until configured (an empty allow-list would flag everything).
fn needs_options(meta: &RuleMeta) -> bool {
    meta.id == "IMG002"
}

fn is_configured(meta: &RuleMeta, options: &Options) -> bool {
    match meta.id {
        "IMG002" => !options.allowed_registries.is_empty(),
        _ => false,
    }
}

/// Registry indices a selector matches: `ALL`, an area (`POD`), an ID or ID prefix (`POD00`), a name.
pub fn matching(selector: &str) -> Result<Vec<usize>, SelectionError> {
    let s = selector.trim();
    let upper = s.to_ascii_uppercase();
    let hits: Vec<usize> = RULES
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            upper == "ALL"
                || r.meta.name == s
                || (r.meta.id.starts_with(&upper)
                    && !upper.is_empty()
                    && area_prefix_is_whole(r.meta.id, &upper))
        })
        .map(|(i, _)| i)
        .collect();
    if hits.is_empty() && !is_known_area(&upper) {
        return Err(SelectionError {
            selector: s.to_string(),
            suggestion: suggest(s),
        });
    }
    Ok(hits)
}

/// `P` must not select POD and PATH; a prefix selects only when it is a whole area or reaches into
/// the digits.
fn area_prefix_is_whole(id: &str, prefix: &str) -> bool {
    let letters = id.trim_end_matches(|c: char| c.is_ascii_digit());
    prefix.len() >= letters.len()
}

/// An area with no rules yet is a valid selector (it selects nothing today).
fn is_known_area(s: &str) -> bool {
    Area::ALL.iter().any(|a| a.prefix() == s)
}

/// The closest ID, name or area, when it is close enough to be a typo.
pub fn suggest(input: &str) -> Option<String> {
    let candidates = RULES
        .iter()
        .flat_map(|r| [r.meta.id.to_string(), r.meta.name.to_string()])
        .chain(Area::ALL.iter().map(|a| a.prefix().to_string()));
    closest(input, candidates)
}

/// The candidate with the highest Jaro-Winkler similarity above 0.8.
pub fn closest(input: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&input.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(sel: &Selection) -> Vec<&'static str> {
        sel.enabled_ids().collect()
    }

    #[test]
    fn select_by_area_id_prefix_and_name() {
        let o = Options::default();
        let s = Selection::resolve(&["POD".into()], &[], &o).unwrap();
        assert!(ids(&s).iter().all(|id| id.starts_with("POD")));
        assert!(ids(&s).contains(&"POD001"));
        let s =
            Selection::resolve(&["privileged-container".into(), "img001".into()], &[], &o).unwrap();
        assert_eq!(ids(&s), ["POD001", "IMG001"]);
        let s = Selection::resolve(&[], &["POD001".into()], &o).unwrap();
        assert!(!ids(&s).contains(&"POD001"));
        assert!(ids(&s).contains(&"POD002"));
    }

    #[test]
    fn typos_are_errors_with_suggestions() {
        let e = Selection::resolve(&["privileged-containr".into()], &[], &Options::default())
            .unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("privileged-container"));
        let e = Selection::resolve(&[], &["PDO001".into()], &Options::default()).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("POD001"));
        assert!(Selection::resolve(&["P".into()], &[], &Options::default()).is_err());
    }

    #[test]
    fn opt_in_rules_need_their_options() {
        let s = Selection::resolve(&["IMG002".into()], &[], &Options::default()).unwrap();
        assert!(ids(&s).is_empty());
        let o = Options {
            allowed_registries: vec!["registry.example.com".into()],
            ..Options::default()
        };
        assert!(ids(&Selection::default_for(&o)).contains(&"IMG002"));
    }
}
