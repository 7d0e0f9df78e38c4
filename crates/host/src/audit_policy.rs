//! Lint an audit `Policy` (audit.k8s.io/v1). Rules are matched in order and the first match decides a
//! request's level, so the questions are: does every request match some rule (a catch-all at the end),
//! and can any request for Secrets, ConfigMaps or TokenReviews be logged with its body (or a TokenRequest,
//! `serviceaccounts/token`, with its response, which carries the new token)?
//!
//! Levels, from least to most recorded:
//! - `None`: the request is not logged.
//! - `Metadata`: who did what to which object, when, and the response code — no bodies.
//! - `Request`: metadata plus the request body. For Secrets and ConfigMaps that is their data; for
//!   TokenReviews the bearer token being reviewed.
//! - `RequestResponse`: also the response body — a `get secret` logs the secret's values.

use serde::Serialize;

use crate::text::parse_yaml;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueSeverity {
    Info,
    Warning,
    Error,
}

/// One finding about a policy, with the 1-based line of the rule it concerns where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyIssue {
    pub code: &'static str,
    pub severity: IssueSeverity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    None,
    Metadata,
    Request,
    RequestResponse,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "None" => Level::None,
            "Metadata" => Level::Metadata,
            "Request" => Level::Request,
            "RequestResponse" => Level::RequestResponse,
            _ => return None,
        })
    }
}

/// What a level records, for messages and reports.
pub fn explain_level(level: &str) -> &'static str {
    match level {
        "None" => "not logged",
        "Metadata" => "user, verb, resource, namespace, name and response code; no bodies",
        "Request" => "metadata and the request body (secret values, reviewed tokens)",
        "RequestResponse" => {
            "metadata, request and response bodies (a `get secret` logs its values)"
        }
        _ => "unknown level",
    }
}

/// Sensitive (group, resource) pairs, why, and the lowest level that writes the secret into the log.
/// A TokenRequest's body has no secret, but its response carries the new token.
const SENSITIVE: &[(&str, &str, &str, Level)] = &[
    ("", "secrets", "Secret values", Level::Request),
    (
        "",
        "configmaps",
        "ConfigMap contents (often credentials)",
        Level::Request,
    ),
    (
        "authentication.k8s.io",
        "tokenreviews",
        "bearer tokens under review",
        Level::Request,
    ),
    (
        "",
        "serviceaccounts/token",
        "newly issued service account tokens",
        Level::RequestResponse,
    ),
];

struct Rule {
    level: Level,
    level_text: String,
    line: Option<u32>,
    column: Option<u32>,
    /// (group, resources) entries; empty = every resource.
    resources: Vec<(String, Vec<String>, bool)>,
    /// Only some requests match (users, groups, verbs, namespaces restricted).
    narrowed: bool,
    non_resource_only: bool,
}

impl Rule {
    fn selects_all(&self) -> bool {
        self.resources.is_empty() && !self.narrowed && !self.non_resource_only
    }

    /// Could a request for `group/resource` match this rule, and would every such request match?
    fn covers(&self, group: &str, resource: &str) -> (bool, bool) {
        if self.non_resource_only {
            return (false, false);
        }
        if self.resources.is_empty() {
            return (true, !self.narrowed);
        }
        for (g, rs, named) in &self.resources {
            if g != group {
                continue;
            }
            // `pods` matches only pods; subresources need `pods/*`, `pods/log` or `*/log`.
            let (base, sub) = resource.split_once('/').unwrap_or((resource, ""));
            let hit = rs.is_empty()
                || rs.iter().any(|r| {
                    r == "*"
                        || r == resource
                        || (!sub.is_empty()
                            && (*r == format!("{base}/*") || *r == format!("*/{sub}")))
                });
            if hit {
                return (true, !self.narrowed && !named);
            }
        }
        (false, false)
    }
}

/// Lint a policy's YAML text.
pub fn lint_audit_policy(text: &str) -> Vec<PolicyIssue> {
    let mut issues = Vec::new();
    let value = match parse_yaml(text) {
        Ok(v) => v,
        Err(e) => {
            issues.push(PolicyIssue {
                code: "unparseable",
                severity: IssueSeverity::Error,
                message: format!("audit policy is not valid YAML: {e}"),
                line: None,
                column: None,
            });
            return issues;
        }
    };
    if value.get("kind").and_then(|k| k.as_str()) != Some("Policy") {
        issues.push(PolicyIssue {
            code: "not-a-policy",
            severity: IssueSeverity::Error,
            message: "file is not an audit `Policy` (kind)".into(),
            line: crate::text::find_key_line(text, &["kind"]),
            column: crate::text::find_key_line(text, &["kind"]).map(|_| 1),
        });
    }
    let lines = rule_lines(text);
    let raw_rules = value
        .get("rules")
        .and_then(|r| r.as_array())
        .cloned()
        .unwrap_or_default();
    if raw_rules.is_empty() {
        issues.push(PolicyIssue {
            code: "no-rules",
            severity: IssueSeverity::Error,
            message: "the policy has no rules: nothing is logged".into(),
            line: crate::text::find_key_line(text, &["rules"]),
            column: crate::text::find_key_line(text, &["rules"]).map(|_| 1),
        });
        return issues;
    }
    let mut rules = Vec::new();
    for (i, r) in raw_rules.iter().enumerate() {
        let level_text = r
            .get("level")
            .and_then(|l| l.as_str())
            .unwrap_or("")
            .to_string();
        let line = lines.get(i).map(|p| p.0);
        let column = lines.get(i).map(|p| p.1);
        let Some(level) = Level::parse(&level_text) else {
            issues.push(PolicyIssue {
                code: "unknown-level",
                severity: IssueSeverity::Error,
                message: format!("rule {} has unknown level `{level_text}`", i + 1),
                line,
                column,
            });
            continue;
        };
        let non_empty = |k: &str| {
            r.get(k)
                .and_then(|v| v.as_array())
                .is_some_and(|a| !a.is_empty())
        };
        let resources = r
            .get("resources")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .map(|gr| {
                        let group = gr
                            .get("group")
                            .and_then(|g| g.as_str())
                            .unwrap_or("")
                            .to_string();
                        let rs = gr
                            .get("resources")
                            .and_then(|v| v.as_array())
                            .map(|x| {
                                x.iter()
                                    .filter_map(|s| s.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let named = gr
                            .get("resourceNames")
                            .and_then(|v| v.as_array())
                            .is_some_and(|x| !x.is_empty());
                        (group, rs, named)
                    })
                    .collect()
            })
            .unwrap_or_default();
        rules.push(Rule {
            level,
            level_text,
            line,
            column,
            resources,
            narrowed: ["users", "userGroups", "verbs", "namespaces"]
                .iter()
                .any(|k| non_empty(k)),
            non_resource_only: non_empty("nonResourceURLs"),
        });
    }

    if !rules.iter().any(Rule::selects_all) {
        issues.push(PolicyIssue {
            code: "missing-catch-all",
            severity: IssueSeverity::Warning,
            message: "no catch-all rule: requests that match no rule are not logged (end with e.g. `- level: Metadata`)".into(),
            line: rules.last().and_then(|r| r.line),
            column: rules.last().and_then(|r| r.column),
        });
    } else if rules.iter().all(|r| r.level == Level::None) {
        issues.push(PolicyIssue {
            code: "logs-nothing",
            severity: IssueSeverity::Error,
            message: "every rule has level `None`: the policy audits nothing".into(),
            line: rules.first().and_then(|r| r.line),
            column: rules.first().and_then(|r| r.column),
        });
    } else if let Some(r) = rules.iter().find(|r| r.selects_all())
        && r.level == Level::None
    {
        issues.push(PolicyIssue {
            code: "catch-all-none",
            severity: IssueSeverity::Warning,
            message: "the catch-all rule has level `None`: requests not matched by an earlier rule are not audited".into(),
            line: r.line,
            column: r.column,
        });
    }
    if let Some(pos) = rules.iter().position(Rule::selects_all)
        && pos + 1 < rules.len()
    {
        issues.push(PolicyIssue {
            code: "unreachable-rules",
            severity: IssueSeverity::Warning,
            message: format!(
                "rule {} matches every request, so the {} rule(s) after it never apply",
                pos + 1,
                rules.len() - pos - 1
            ),
            line: rules[pos + 1].line,
            column: rules[pos + 1].column,
        });
    }

    for (group, resource, what, leaks_at) in SENSITIVE {
        // Walk rules in order: the first rule that matches every such request ends the search.
        let mut worst: Option<&Rule> = None;
        for rule in &rules {
            let (may, always) = rule.covers(group, resource);
            if may && worst.is_none_or(|w| rule.level > w.level) {
                worst = Some(rule);
            }
            if always {
                break;
            }
        }
        if let Some(rule) = worst
            && rule.level >= *leaks_at
        {
            issues.push(PolicyIssue {
                code: "sensitive-body-logged",
                severity: IssueSeverity::Error,
                message: format!(
                    "{resource} can be logged at `{}` ({}): the audit log would contain {what}; use `Metadata`",
                    rule.level_text,
                    explain_level(&rule.level_text)
                ),
                line: rule.line,
                column: rule.column,
            });
        }
    }

    if let Some(stages) = value.get("omitStages").and_then(|s| s.as_array()) {
        let names: Vec<&str> = stages.iter().filter_map(|s| s.as_str()).collect();
        let severity = if names.contains(&"ResponseComplete") || names.contains(&"Panic") {
            IssueSeverity::Warning
        } else {
            IssueSeverity::Info
        };
        issues.push(PolicyIssue {
            code: "omit-stages",
            severity,
            message: format!(
                "stages omitted for every rule: {} ({})",
                names.join(", "),
                if severity == IssueSeverity::Warning {
                    "the outcome of requests is lost"
                } else {
                    "fine: RequestReceived only duplicates the later stages"
                }
            ),
            line: crate::text::find_key_line(text, &["omitStages"]),
            column: crate::text::find_key_line(text, &["omitStages"]).map(|_| 1),
        });
    }
    issues
}

/// 1-based line and column of each top-level rule item (`- `) under `rules:`.
fn rule_lines(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut in_rules = false;
    let mut item_indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if !in_rules {
            if indent == 0 && trimmed.starts_with("rules:") {
                in_rules = true;
            }
            continue;
        }
        if indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            match item_indent {
                None => {
                    item_indent = Some(indent);
                    out.push((i as u32 + 1, indent as u32 + 1));
                }
                Some(ind) if ind == indent => out.push((i as u32 + 1, indent as u32 + 1)),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets, configmaps]\n  - group: authentication.k8s.io\n    resources: [tokenreviews]\n- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [pods]\n- level: Metadata\n";

    #[test]
    fn good_policy_has_only_info() {
        let issues = lint_audit_policy(GOOD);
        assert!(
            issues.iter().all(|i| i.severity == IssueSeverity::Info),
            "{issues:?}"
        );
    }

    #[test]
    fn request_response_catch_all_logs_secrets() {
        let text = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  users: [system:kube-proxy]\n- level: RequestResponse\n";
        let issues = lint_audit_policy(text);
        let secrets: Vec<_> = issues
            .iter()
            .filter(|i| i.code == "sensitive-body-logged")
            .collect();
        // Secrets, ConfigMaps, TokenReviews and TokenRequest responses.
        assert_eq!(secrets.len(), 4);
        assert_eq!(secrets[0].line, Some(6));
    }

    #[test]
    fn missing_catch_all_and_narrowed_rules() {
        let text = "kind: Policy\nrules:\n- level: Request\n  verbs: [get]\n  resources:\n  - group: \"\"\n    resources: [\"secrets\"]\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [pods]\n";
        let issues = lint_audit_policy(text);
        assert!(issues.iter().any(|i| i.code == "missing-catch-all"));
        let s = issues
            .iter()
            .find(|i| i.code == "sensitive-body-logged")
            .unwrap();
        assert_eq!(s.line, Some(3));
        assert!(s.message.starts_with("secrets"));
    }

    #[test]
    fn token_requests_leak_only_with_responses() {
        let request = lint_audit_policy(
            "kind: Policy\nrules:\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets, configmaps]\n  - group: authentication.k8s.io\n    resources: [tokenreviews]\n- level: Request\n",
        );
        assert!(
            !request.iter().any(|i| i.code == "sensitive-body-logged"),
            "{request:?}"
        );
        let response = lint_audit_policy(
            "kind: Policy\nrules:\n- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [\"serviceaccounts/*\"]\n- level: Metadata\n",
        );
        let issue = response
            .iter()
            .find(|i| i.code == "sensitive-body-logged")
            .unwrap();
        assert!(issue.message.starts_with("serviceaccounts/token"));
        assert_eq!(issue.line, Some(3));
    }

    #[test]
    fn policies_that_log_nothing() {
        let none = lint_audit_policy("kind: Policy\nrules:\n- level: None\n");
        assert!(
            none.iter()
                .any(|i| i.code == "logs-nothing" && i.severity == IssueSeverity::Error)
        );
        let tail = lint_audit_policy(
            "kind: Policy\nrules:\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [pods]\n- level: None\n",
        );
        let issue = tail.iter().find(|i| i.code == "catch-all-none").unwrap();
        assert_eq!(issue.line, Some(7));
    }

    #[test]
    fn omit_response_complete_is_a_warning() {
        let text = "kind: Policy\nomitStages: [ResponseComplete]\nrules:\n- level: Metadata\n";
        let issues = lint_audit_policy(text);
        assert!(
            issues
                .iter()
                .any(|i| i.code == "omit-stages" && i.severity == IssueSeverity::Warning)
        );
    }
}
