//! A realistic scan built by hand: a Deployment with several problems (one after an emoji), a
//! ConfigMap holding secrets, a rendered Helm chart, a broken file and a live object without a file.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kubeward_diagnostics::{
    Applicability, Edit, Finding, Fix, Location, ObjectRef, Pos, Severity, SourceId, Span,
    Suppression, SuppressionSource,
};
use kubeward_report::{Format, Report, Summary, TextOptions, render};
use kubeward_source::{Origin, SourceFile, SourceMap};

pub const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  template:
    spec:
      containers:
      - name: app
        image: registry.example.com/api:latest
        securityContext:
          privileged: true
      - {name: \"🚀sidecar\", image: envoy:latest}
";

pub const CONFIG_MAP: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: payments
data:
  DB_PASSWORD: hunter2-s3cr3t
  LOG_LEVEL: debug
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
    -----END PRIVATE KEY-----
";

/// Secret texts of [`CONFIG_MAP`] that no output may contain.
pub const SECRETS: &[&str] = &["hunter2", "s3cr3t", "BEGIN PRIVATE", "MIIEvQIBADANBg"];

pub const HELM: &str = "\
---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: web
        image: nginx:1.27
";

pub const BROKEN: &str = "a: b\nc:\n  d: e: f\n";

/// The character column (0-based) of `needle` on a 1-based line of `text`.
pub fn col_of(text: &str, line: u32, needle: &str) -> u32 {
    let line_text = text.lines().nth(line as usize - 1).unwrap();
    let byte = line_text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not on line {line}"));
    line_text[..byte].chars().count() as u32
}

/// A span over `needle` on one line.
pub fn span_of(text: &str, line: u32, needle: &str) -> Span {
    let col = col_of(text, line, needle);
    Span::new(
        Pos { line, col },
        Pos {
            line,
            col: col + needle.chars().count() as u32,
        },
    )
}

pub fn object(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> ObjectRef {
    ObjectRef {
        api_version: api_version.into(),
        kind: kind.into(),
        namespace: namespace.map(Into::into),
        name: name.into(),
    }
}

pub fn finding(
    rule_id: &'static str,
    rule_name: &'static str,
    severity: Severity,
    message: &str,
    location: Option<(u32, Span)>,
    object: Option<ObjectRef>,
) -> Finding {
    Finding {
        rule_id,
        rule_name,
        severity,
        message: message.into(),
        location: location.map(|(source, span)| Location {
            source: SourceId(source),
            span,
        }),
        object,
        fix: None,
        suppression: None,
        sensitive: false,
    }
}

pub struct Scan {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Scan {
    pub fn report(&self) -> Report<'_> {
        Report::new(&self.findings, &self.sources, self.summary.clone())
            .with_base_dir(Path::new("/repo"))
    }
}

pub fn sources() -> SourceMap {
    let mut sources = SourceMap::default();
    sources.add(SourceFile::new(
        "deploy/api.yaml".into(),
        Some(PathBuf::from("/repo/deploy/api.yaml")),
        Origin::File,
        DEPLOYMENT.into(),
    ));
    sources.add(SourceFile::new(
        "config/app.yaml".into(),
        Some(PathBuf::from("/repo/config/app.yaml")),
        Origin::File,
        CONFIG_MAP.into(),
    ));
    sources.add(SourceFile::new(
        "charts/app (helm template)".into(),
        Some(PathBuf::from("/repo/charts/app")),
        Origin::Helm {
            chart: PathBuf::from("/repo/charts/app"),
        },
        HELM.into(),
    ));
    sources.add(SourceFile::new(
        "broken.yaml".into(),
        Some(PathBuf::from("/repo/broken.yaml")),
        Origin::File,
        BROKEN.into(),
    ));
    sources
}

pub fn scan() -> Scan {
    let api = || Some(object("apps/v1", "Deployment", Some("payments"), "api"));
    let config = || Some(object("v1", "ConfigMap", Some("payments"), "app-config"));

    let mut runs_as_root = finding(
        "POD003",
        "runs-as-root",
        Severity::Medium,
        "container `app` may run as root (no `runAsNonRoot: true`)",
        Some((0, span_of(DEPLOYMENT, 10, "name: app"))),
        api(),
    );
    runs_as_root.suppression = Some(Suppression {
        source: SuppressionSource::Annotation,
        reason: "legacy image, tracked in PAY-123".into(),
        expires: None,
    });
    let image_tag = finding(
        "IMG001",
        "image-tag-mutable",
        Severity::Medium,
        "container `app` uses the mutable tag `latest`",
        Some((
            0,
            span_of(DEPLOYMENT, 11, "registry.example.com/api:latest"),
        )),
        api(),
    );
    let mut escalation = finding(
        "POD002",
        "privilege-escalation-allowed",
        Severity::Medium,
        "container `app` allows privilege escalation",
        Some((0, span_of(DEPLOYMENT, 12, "securityContext"))),
        api(),
    );
    escalation.suppression = Some(Suppression {
        source: SuppressionSource::Config,
        reason: "payments team accepted the risk".into(),
        expires: Some("2026-12-31".into()),
    });
    let mut privileged = finding(
        "POD001",
        "privileged-container",
        Severity::Critical,
        "container `app` runs privileged",
        Some((0, span_of(DEPLOYMENT, 13, "true"))),
        api(),
    );
    privileged.fix = Some(Fix::new(
        "Set `privileged: false`",
        Applicability::Unsafe,
        vec![Edit::Set {
            path: vec![
                "spec".into(),
                "template".into(),
                "spec".into(),
                "containers".into(),
                0.into(),
                "securityContext".into(),
                "privileged".into(),
            ],
            value: serde_json::json!(false),
        }],
    ));
    let sidecar_tag = finding(
        "IMG001",
        "image-tag-mutable",
        Severity::Medium,
        "container `🚀sidecar` uses the mutable tag `latest`",
        Some((0, span_of(DEPLOYMENT, 14, "envoy:latest"))),
        api(),
    );
    let mut password = finding(
        "SEC001",
        "credential-in-config-map",
        Severity::High,
        "key `DB_PASSWORD` of ConfigMap `app-config` looks like a credential",
        Some((1, span_of(CONFIG_MAP, 7, "hunter2-s3cr3t"))),
        config(),
    );
    password.sensitive = true;
    password.fix = Some(Fix::new(
        "Move `DB_PASSWORD` to a Secret",
        Applicability::DisplayOnly,
        vec![],
    ));
    // A block scalar: the span runs from the `|` over the following lines.
    let mut key = finding(
        "SEC001",
        "credential-in-config-map",
        Severity::High,
        "key `tls.key` of ConfigMap `app-config` holds a private key",
        Some((
            1,
            Span::new(
                Pos {
                    line: 9,
                    col: col_of(CONFIG_MAP, 9, "|"),
                },
                Pos { line: 13, col: 0 },
            ),
        )),
        config(),
    );
    key.sensitive = true;
    let host_network = finding(
        "POD004",
        "host-namespaces",
        Severity::High,
        "pod shares the host's network namespace (`hostNetwork: true`)",
        Some((2, span_of(HELM, 10, "true"))),
        Some(object("apps/v1", "Deployment", None, "web")),
    );
    let broken = finding(
        "KW001",
        "invalid-yaml",
        Severity::High,
        "mapping values are not allowed in this context",
        Some((3, Span::point(3, 6))),
        None,
    );
    let no_policy = finding(
        "NET001",
        "namespace-without-network-policy",
        Severity::Medium,
        "namespace `payments` has no NetworkPolicy: every pod accepts traffic from anywhere",
        None,
        Some(object("v1", "Namespace", None, "payments")),
    );
    Scan {
        sources: sources(),
        findings: vec![
            runs_as_root,
            image_tag,
            escalation,
            privileged,
            sidecar_tag,
            password,
            key,
            host_network,
            broken,
            no_policy,
        ],
        summary: Summary {
            objects: 4,
            sources: 4,
            rules_run: 20,
            incomplete: true,
            duration_ms: 42,
            fail_on: Some(Severity::High),
            not_evaluated: Vec::new(),
        },
    }
}

/// The template lookup the loader would provide for [`HELM`].
pub fn helm_templates(location: &Location) -> Option<String> {
    (location.source == SourceId(2)).then(|| "app/templates/deployment.yaml".to_string())
}

pub fn render_to_string(format: Format, report: &Report, text: &TextOptions) -> String {
    let mut out = Vec::new();
    render(format, report, text, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Runs a Python script with `input` on stdin, when python3 and `module` are available. Returns
/// `None` (the test is skipped, with a message) otherwise — unless `KUBEWARD_REQUIRE_PYTHON_TESTS` is
/// set, as CI does, in which case a missing module fails the test.
pub fn python(module: &str, script: &str, input: &str) -> Option<(bool, String)> {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        let message = format!(
            "python3 with `{module}` not available (pip install {}); skipping",
            module.replace('_', "-")
        );
        if std::env::var_os("KUBEWARD_REQUIRE_PYTHON_TESTS").is_some() {
            panic!("{message}");
        }
        eprintln!("{message}");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some((output.status.success(), text))
}

/// Validates a JSON document on stdin against a schema file with python's `jsonschema`.
pub fn validate_with_jsonschema(schema_path: &Path, document: &str) {
    let script = format!(
        r#"
import json, sys, jsonschema
schema = json.load(open({path:?}, encoding="utf-8"))
doc = json.load(sys.stdin)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors:
    print("/".join(map(str, e.path)), ":", e.message)
sys.exit(1 if errors else 0)
"#,
        path = schema_path.display().to_string()
    );
    if let Some((ok, output)) = python("jsonschema", &script, document) {
        assert!(
            ok,
            "output does not match {}:\n{output}",
            schema_path.display()
        );
    }
}

pub fn schema_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name)
}
