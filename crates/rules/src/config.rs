//! The `.kubeward.yaml` configuration file.
//!
//! Read with kubeward's own loader, so it follows the same YAML rules as the manifests, then
//! deserialised strictly: an unknown key is an error that names its position and suggests the closest
//! known key. The JSON schema published in `docs/config.schema.json` is generated from these types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kubeward_diagnostics::{Severity, SourceId, Span};
use kubeward_source::{Limits, Node, Origin, SourceFile, SourceMap, load_text};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::date::Date;
use crate::groups::{AssetGroup, Criticality, GroupSelector};
use crate::selection::{self, Selection};
use crate::settings::{ConfigSuppression, Options, Settings};

/// File names looked for, in each directory from the scanned path up to the root.
pub const FILE_NAMES: [&str; 2] = [".kubeward.yaml", ".kubeward.yml"];

/// kubeward configuration (`.kubeward.yaml`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to run: IDs (`POD001`), ID prefixes or areas (`POD`), names, or `ALL`. Empty: the defaults.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rules not to run, same forms as `select`.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Lowest severity that makes `kubeward scan` exit 1: critical, high, medium, low, info, or never.
    pub fail_on: Option<String>,
    /// Severity overrides per rule ID, prefix, area or name.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, SeverityName>")]
    pub severity: BTreeMap<String, Severity>,
    /// Glob patterns of files and directories not to read.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Registries images may come from (`registry.example.com`, `ghcr.io/acme`); turns on IMG002.
    #[serde(default)]
    pub allowed_registries: Vec<String>,
    /// Findings accepted on purpose, each with a reason.
    #[serde(default)]
    pub suppressions: Vec<SuppressionEntry>,
    /// Bounds on hostile input.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// The Pod Security Standards level and version the PSS rules (POD018 and up) enforce.
    #[serde(default)]
    pub pss: PssConfig,
    /// NetworkPolicy generation (`kubeward netpol generate`).
    #[serde(default)]
    pub netpol: NetpolConfig,
    /// Audit-log analysis (`kubeward audit`): allow-lists, thresholds, disabled detectors. Validated
    /// strictly by the audit command (unknown keys are errors there too); see `kubeward audit --help`.
    #[serde(default)]
    pub audit: Option<serde_json::Value>,
    /// Business-critical asset groups: crown jewels for `kubeward paths --to group:NAME`, a weight
    /// on the blast radius of risk scores, and the scope of `kubeward groups report`.
    #[serde(default)]
    pub groups: Vec<GroupEntry>,
}

/// One asset group.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GroupEntry {
    /// Unique name (letters, digits, `-`, `_`, `.`), as in `--to group:NAME`.
    pub name: String,
    /// `low`, `medium`, `high` or `critical`: weights the blast radius of findings that lead here
    /// (low 0, medium +1, high +2, critical +3; see docs/risk.md).
    pub criticality: Criticality,
    /// An object belongs to the group when any selector selects it.
    pub selectors: Vec<GroupSelectorEntry>,
}

/// Every field given must match; give at least one.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GroupSelectorEntry {
    /// Namespace globs (`payments`, `payments-*`); a Namespace object matches by its own name.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// `metadata.labels` that must all be present with these values (as `matchLabels`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Exact kinds (`Deployment`, `Secret`).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Object name globs (`db-*`).
    #[serde(default)]
    pub names: Vec<String>,
}

/// The severity names, for the schema (deserialised as [`Severity`]).
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SeverityName {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

/// One accepted finding pattern.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SuppressionEntry {
    /// Rule ID, name, prefix or area.
    pub rule: String,
    /// Namespace glob.
    pub namespace: Option<String>,
    /// Exact kind (`DaemonSet`).
    pub kind: Option<String>,
    /// Object name glob (`node-exporter-*`).
    pub name: Option<String>,
    /// Why this is acceptable. Required.
    pub reason: String,
    /// `YYYY-MM-DD`: after this date the findings are reported again.
    pub expires: Option<String>,
}

/// NetworkPolicy generation settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NetpolConfig {
    /// Flows the manifests do not declare but the application needs; `netpol generate` allows them
    /// and its verification checks them like the declared ones.
    #[serde(default)]
    pub flows: Vec<FlowEntry>,
}

/// One extra flow for `netpol generate`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FlowEntry {
    /// The client: `NAMESPACE/NAME`, `NAMESPACE/KIND/NAME` or a label selector `[NAMESPACE/]KEY=VALUE`.
    pub from: String,
    /// The server, written the same way.
    pub to: String,
    /// Ports on the server: `5432/TCP`, `53/UDP`, `8080` (TCP). Empty: every port.
    #[serde(default)]
    pub ports: Vec<String>,
}

/// Pod Security Standards profile, written as in the namespace labels
/// `pod-security.kubernetes.io/enforce` and `enforce-version`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PssConfig {
    /// `baseline`, `restricted` (default) or `privileged` (no PSS rule reports anything).
    pub level: Option<String>,
    /// `latest` (default) or `v1.N`, e.g. `v1.30`: each check behaves as it did at that policy version.
    pub version: Option<String>,
}

/// Input limits.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsConfig {
    /// Largest file read, in bytes (default 64 MiB).
    pub max_file_size: Option<u64>,
    /// Deepest nesting (default 256).
    pub max_depth: Option<usize>,
    /// Nodes aliases may add to one document (default 1,000,000).
    pub max_alias_nodes: Option<usize>,
}

impl LimitsConfig {
    pub fn apply(&self, limits: &mut Limits) {
        if let Some(v) = self.max_file_size {
            limits.max_file_size = v;
        }
        if let Some(v) = self.max_depth {
            limits.max_depth = v;
        }
        if let Some(v) = self.max_alias_nodes {
            limits.max_alias_nodes = v;
        }
    }
}

/// The configuration file is unusable. Always an error: a config that is silently half-read would
/// disable rules or suppress findings nobody meant to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{col}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// A loaded configuration with its text (so findings can point into it) and where each value is.
#[derive(Debug)]
pub struct LoadedConfig {
    pub config: Config,
    pub path: PathBuf,
    pub text: String,
    root: Node,
}

/// Finds the configuration file for a scan: in `start` (or its directory) and each parent.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = d.parent();
    }
    None
}

/// Reads and validates a configuration file.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: name.clone(),
        line: 0,
        col: 0,
        message: format!("cannot read: {e}"),
    })?;
    parse(&name, path, text)
}

/// Parses configuration text.
pub fn parse(name: &str, path: &Path, text: String) -> Result<LoadedConfig, ConfigError> {
    let err = |span: Span, message: String| ConfigError {
        path: name.to_string(),
        line: span.start.line,
        col: span.start.col + 1,
        message,
    };
    let loaded = load_text(name, text.clone(), &Limits::default());
    if let Some(p) = loaded.problems.first() {
        return Err(err(p.span.unwrap_or_default(), p.kind.to_string()));
    }
    let root = match loaded.documents.into_iter().next() {
        Some(d) if !d.root.is_null() => d.root,
        _ => Node::new(
            kubeward_source::Value::Map(Box::default()),
            Span::point(1, 0),
        ),
    };
    let json = root.to_json();
    let config: Config = serde_path_to_error::deserialize(&json).map_err(|e| {
        let path: Vec<String> = e
            .path()
            .iter()
            .map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                other => other.to_string(),
            })
            .collect();
        let inner = e.inner().to_string();
        let span = span_of(&root, &path, &inner);
        let hint = unknown_field_hint(&inner);
        let at = if path.is_empty() {
            String::new()
        } else {
            format!("`{}`: ", path.join("."))
        };
        err(span, format!("{at}{inner}{hint}"))
    })?;
    Ok(LoadedConfig {
        config,
        path: path.to_path_buf(),
        text,
        root,
    })
}

/// The span of the value at `path`; for unknown fields, of the offending key.
fn span_of(root: &Node, path: &[String], message: &str) -> Span {
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next());
    // serde_path_to_error includes the unknown field itself in the path: stop at its parent.
    let path = match (unknown, path.last()) {
        (Some(field), Some(last)) if last == field => &path[..path.len() - 1],
        _ => path,
    };
    let mut node = root;
    for seg in path {
        let next = match seg.parse::<usize>() {
            Ok(i) if node.as_seq().is_some() => node.items().nth(i),
            _ => node.get(seg),
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    if let Some(field) = unknown
        && let Some(e) = node.entry(field)
    {
        return e.key_span;
    }
    node.span
}

/// serde says "unknown field `x`, expected one of `a`, `b`" (or "unknown variant"): add the
/// closest one.
fn unknown_field_hint(message: &str) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return String::new();
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return String::new();
    };
    let candidates = expected.split('`').skip(1).step_by(2).map(str::to_string);
    selection::closest(field, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

impl LoadedConfig {
    /// Adds the configuration file to `sources`, so findings about it (an expired suppression) can
    /// point into it.
    pub fn add_to(&self, sources: &mut SourceMap) -> SourceId {
        sources.add(SourceFile::new(
            self.path.display().to_string(),
            Some(self.path.clone()),
            Origin::File,
            self.text.clone(),
        ))
    }

    /// Builds engine settings from the file plus command-line selection (which replaces the file's
    /// `select` when given, and adds to its `ignore`). `source` is the config's id in the scan's source
    /// map, so suppression findings can point into the file.
    pub fn settings(
        &self,
        cli_select: &[String],
        cli_ignore: &[String],
        source: Option<SourceId>,
    ) -> Result<Settings, ConfigError> {
        build_settings(&self.config, Some(self), cli_select, cli_ignore, source)
    }
}

/// Settings from a configuration (or the defaults when there is none).
pub fn build_settings(
    config: &Config,
    loaded: Option<&LoadedConfig>,
    cli_select: &[String],
    cli_ignore: &[String],
    source: Option<SourceId>,
) -> Result<Settings, ConfigError> {
    let name = loaded.map_or_else(
        || "<command line>".to_string(),
        |l| l.path.display().to_string(),
    );
    let span_at = |path: &[&str]| -> Span {
        loaded.map_or_else(Span::default, |l| {
            let owned: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            span_of(&l.root, &owned, "")
        })
    };
    let err = |span: Span, message: String| ConfigError {
        path: name.clone(),
        line: span.start.line,
        col: span.start.col + 1,
        message,
    };
    let defaults = Options::default();
    let pss_level = match &config.pss.level {
        Some(l) => l
            .parse()
            .map_err(|e: kubeward_pss::Error| err(span_at(&["pss", "level"]), e.to_string()))?,
        None => defaults.pss_level,
    };
    let pss_version = match &config.pss.version {
        Some(v) => v
            .parse()
            .map_err(|e: kubeward_pss::Error| err(span_at(&["pss", "version"]), e.to_string()))?,
        None => defaults.pss_version,
    };
    let options = Options {
        allowed_registries: config.allowed_registries.clone(),
        pss_level,
        pss_version,
        cve_db: None,
    };
    let select = if cli_select.is_empty() {
        &config.select
    } else {
        cli_select
    };
    let mut ignore = config.ignore.clone();
    ignore.extend(cli_ignore.iter().cloned());
    let selection = Selection::resolve(select, &ignore, &options).map_err(|e| {
        let span = if cli_select
            .iter()
            .chain(cli_ignore)
            .any(|s| *s == e.selector)
        {
            Span::default()
        } else {
            span_at(&[])
        };
        err(span, e.to_string())
    })?;
    let mut severity_overrides = std::collections::HashMap::new();
    for (key, sev) in &config.severity {
        let hits = selection::matching(key)
            .map_err(|e| err(span_at(&["severity", key]), e.to_string()))?;
        for i in hits {
            severity_overrides.insert(crate::registry::RULES[i].meta.id, *sev);
        }
    }
    let mut suppressions = Vec::new();
    for (i, entry) in config.suppressions.iter().enumerate() {
        let idx = i.to_string();
        let at = span_at(&["suppressions", &idx]);
        let rules = selection::matching(&entry.rule)
            .map_err(|e| err(at, e.to_string()))?
            .into_iter()
            .map(|i| crate::registry::RULES[i].meta.id)
            .collect();
        if entry.reason.trim().is_empty() {
            return Err(err(at, "suppression needs a non-empty `reason`".into()));
        }
        let glob = |pattern: &Option<String>| -> Result<Option<globset::GlobMatcher>, ConfigError> {
            pattern
                .as_ref()
                .map(|p| {
                    globset::Glob::new(p)
                        .map(|g| g.compile_matcher())
                        .map_err(|e| err(at, format!("invalid glob `{p}`: {e}")))
                })
                .transpose()
        };
        let expires = entry
            .expires
            .as_ref()
            .map(|d| {
                Date::parse(d)
                    .ok_or_else(|| err(at, format!("`expires: {d}` is not a YYYY-MM-DD date")))
            })
            .transpose()?;
        suppressions.push(ConfigSuppression {
            rules,
            selector: entry.rule.clone(),
            namespace: glob(&entry.namespace)?,
            kind: entry.kind.clone(),
            name: glob(&entry.name)?,
            reason: entry.reason.clone(),
            expires,
            location: source.map(|s| (s, at)),
        });
    }
    Ok(Settings {
        selection,
        severity_overrides,
        options,
        suppressions,
        ..Settings::default()
    })
}

/// The validated asset groups of a configuration: unique names, at least one selector each, no
/// empty selector, valid globs. Errors point at the offending field.
pub fn build_groups(
    config: &Config,
    loaded: Option<&LoadedConfig>,
) -> Result<Vec<AssetGroup>, ConfigError> {
    let name = loaded.map_or_else(
        || "<command line>".to_string(),
        |l| l.path.display().to_string(),
    );
    let err = |path: &[&str], message: String| {
        let span = loaded.map_or_else(Span::default, |l| {
            let owned: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            span_of(&l.root, &owned, "")
        });
        ConfigError {
            path: name.clone(),
            line: span.start.line,
            col: span.start.col + 1,
            message: format!("`{}`: {message}", path.join(".")),
        }
    };
    let mut groups: Vec<AssetGroup> = Vec::new();
    for (i, entry) in config.groups.iter().enumerate() {
        let idx = i.to_string();
        let at = |field: &'static str| ["groups", idx.as_str(), field];
        let valid_name = !entry.name.is_empty()
            && entry
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !valid_name {
            return Err(err(
                &at("name"),
                format!(
                    "group name `{}` must be non-empty letters, digits, `-`, `_` or `.`",
                    entry.name
                ),
            ));
        }
        if groups.iter().any(|g| g.name == entry.name) {
            return Err(err(
                &at("name"),
                format!("a group named `{}` is already defined", entry.name),
            ));
        }
        if entry.selectors.is_empty() {
            return Err(err(
                &at("selectors"),
                "a group needs at least one selector".into(),
            ));
        }
        let mut selectors = Vec::new();
        for (j, sel) in entry.selectors.iter().enumerate() {
            let jdx = j.to_string();
            let path = |field: &'static str| -> Vec<&str> {
                let mut p = vec!["groups", idx.as_str(), "selectors", jdx.as_str()];
                if !field.is_empty() {
                    p.push(field);
                }
                p
            };
            if sel.namespaces.is_empty()
                && sel.labels.is_empty()
                && sel.kinds.is_empty()
                && sel.names.is_empty()
            {
                return Err(err(
                    &path(""),
                    "an empty selector would select every object; give namespaces, labels, kinds or names".into(),
                ));
            }
            let globs = |field: &'static str,
                         patterns: &[String]|
             -> Result<Vec<globset::GlobMatcher>, ConfigError> {
                patterns
                    .iter()
                    .map(|p| {
                        globset::Glob::new(p)
                            .map(|g| g.compile_matcher())
                            .map_err(|e| err(&path(field), format!("invalid glob `{p}`: {e}")))
                    })
                    .collect()
            };
            if let Some(k) = sel.labels.keys().find(|k| k.is_empty()) {
                return Err(err(&path("labels"), format!("empty label key `{k}`")));
            }
            if let Some(k) = sel.kinds.iter().find(|k| k.is_empty()) {
                return Err(err(&path("kinds"), format!("empty kind `{k}`")));
            }
            selectors.push(GroupSelector {
                namespaces: globs("namespaces", &sel.namespaces)?,
                labels: sel
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                kinds: sel.kinds.clone(),
                names: globs("names", &sel.names)?,
            });
        }
        groups.push(AssetGroup {
            name: entry.name.clone(),
            criticality: entry.criticality,
            selectors,
        });
    }
    Ok(groups)
}

/// The JSON schema of the configuration file.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<LoadedConfig, ConfigError> {
        parse(
            ".kubeward.yaml",
            Path::new(".kubeward.yaml"),
            text.to_string(),
        )
    }

    #[test]
    fn unknown_keys_are_errors_with_position_and_suggestion() {
        let e = parse_str("select: [POD]\nsevrity:\n  POD001: low\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 1));
        assert!(
            e.message.contains("did you mean `severity`"),
            "{}",
            e.message
        );
        let e =
            parse_str("suppressions:\n- rule: POD001\n  reason: x\n  namespce: a\n").unwrap_err();
        assert_eq!((e.line, e.col), (4, 3));
        assert!(
            e.message.contains("did you mean `namespace`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn settings_from_config() {
        let c = parse_str(
            "ignore: [POD002]\nseverity: {privileged-container: low}\nsuppressions:\n- {rule: POD, namespace: kube-*, reason: system pods, expires: 2030-01-01}\n",
        )
        .unwrap();
        let s = c.settings(&[], &[], None).unwrap();
        assert_eq!(s.severity_overrides.get("POD001"), Some(&Severity::Low));
        assert!(!s.selection.enabled_ids().any(|id| id == "POD002"));
        assert!(s.suppressions[0].rules.contains(&"POD001"));
    }

    #[test]
    fn pss_level_and_version_from_config() {
        let s = parse_str("").unwrap().settings(&[], &[], None).unwrap();
        assert_eq!(s.options.pss_level, kubeward_pss::Level::Restricted);
        assert_eq!(s.options.pss_version, kubeward_pss::Version::Latest);
        let c = parse_str("pss: {level: baseline, version: v1.30}\n").unwrap();
        let s = c.settings(&[], &[], None).unwrap();
        assert_eq!(s.options.pss_level, kubeward_pss::Level::Baseline);
        assert_eq!(s.options.pss_version, kubeward_pss::Version::V1(30));
        let c = parse_str("pss:\n  level: Restricted\n").unwrap();
        let e = c.settings(&[], &[], None).unwrap_err();
        assert_eq!((e.line, e.col), (2, 10));
        assert!(
            e.message
                .contains("unknown Pod Security level `Restricted`"),
            "{}",
            e.message
        );
        let c = parse_str("pss:\n  version: v1.05\n").unwrap();
        let e = c.settings(&[], &[], None).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("expected `latest` or `v1.N`"),
            "{}",
            e.message
        );
        let e = parse_str("pss: {levl: baseline}\n").unwrap_err();
        assert!(e.message.contains("did you mean `level`"), "{}", e.message);
    }

    #[test]
    fn groups_are_validated_with_the_field_named() {
        let c = parse_str(
            "groups:\n- name: payments\n  criticality: critical\n  selectors:\n  - namespaces: [payments]\n  - {kinds: [Secret], names: ['db-*'], labels: {tier: db}}\n",
        )
        .unwrap();
        let g = build_groups(&c.config, Some(&c)).unwrap();
        assert_eq!(g[0].criticality, Criticality::Critical);
        assert_eq!(g[0].selectors.len(), 2);
        let e =
            parse_str("groups:\n- name: p\n  criticality: hihg\n  selectors: []\n").unwrap_err();
        assert!(e.message.contains("did you mean `high`"), "{}", e.message);
        let e = parse_str(
            "groups:\n- name: p\n  criticality: low\n  selectors:\n  - {namespace: [a]}\n",
        )
        .unwrap_err();
        assert!(
            e.message.contains("did you mean `namespaces`"),
            "{}",
            e.message
        );
        let c =
            parse_str("groups:\n- name: p\n  criticality: low\n  selectors:\n  - {names: ['[']}\n")
                .unwrap();
        let e = build_groups(&c.config, Some(&c)).unwrap_err();
        assert!(
            e.message
                .starts_with("`groups.0.selectors.0.names`: invalid glob"),
            "{}",
            e.message
        );
        assert_eq!(e.line, 5);
        let c = parse_str("groups:\n- {name: p, criticality: low, selectors: [{}]}\n- {name: p, criticality: low, selectors: [{kinds: [Pod]}]}\n").unwrap();
        let e = build_groups(&c.config, Some(&c)).unwrap_err();
        assert!(e.message.contains("empty selector"), "{}", e.message);
        let c = parse_str("groups:\n- {name: p, criticality: low, selectors: [{kinds: [Pod]}]}\n- {name: p, criticality: low, selectors: [{kinds: [Pod]}]}\n").unwrap();
        let e = build_groups(&c.config, Some(&c)).unwrap_err();
        assert!(e.message.contains("already defined"), "{}", e.message);
        assert_eq!(e.line, 3);
    }

    #[test]
    fn bad_selectors_and_dates_in_config_are_errors() {
        let c = parse_str("select: [PODD]\n").unwrap();
        assert!(
            c.settings(&[], &[], None)
                .unwrap_err()
                .message
                .contains("did you mean `POD`")
        );
        let c = parse_str("suppressions:\n- {rule: POD001, reason: x, expires: soon}\n").unwrap();
        let e = c.settings(&[], &[], None).unwrap_err();
        assert_eq!(e.line, 2);
        let c = parse_str("suppressions:\n- {rule: POD001, reason: ''}\n").unwrap();
        assert!(c.settings(&[], &[], None).is_err());
    }
}
