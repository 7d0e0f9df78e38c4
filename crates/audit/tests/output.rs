//! Deduplication, the output formats and RBAC derivation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kubeward_audit::rbac::{DeriveOptions, RbacDeriver, derive_rbac};
use kubeward_audit::render::{Summary, SyslogOptions, slack_payload, syslog_line, webhook_payload};
use kubeward_audit::{Alert, Analyzer, AuditConfig, Event, Position, Timestamp};

fn exec(id: &str, time: &str, stage: &str) -> String {
    format!(
        r#"{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{id}","stage":"{stage}","requestURI":"/api/v1/namespaces/payments/pods/api-0/exec?command=sh","verb":"create","user":{{"username":"mallory@example.com","groups":["system:authenticated"]}},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{{"resource":"pods","namespace":"payments","name":"api-0","apiVersion":"v1","subresource":"exec"}},"responseStatus":{{"metadata":{{}},"code":101}},"requestReceivedTimestamp":"{time}","stageTimestamp":"{time}"}}"#
    )
}

fn run(lines: &[String], config: AuditConfig) -> Vec<Alert> {
    let mut analyzer = Analyzer::new(config);
    let mut alerts = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        alerts.extend(analyzer.feed_line(
            line.as_bytes(),
            Position {
                file: "t.log",
                line: i as u64 + 1,
            },
        ));
    }
    alerts.extend(analyzer.finish());
    alerts
}

#[test]
fn repeated_activity_is_one_alert_with_a_count() {
    let lines = vec![
        exec("a", "2024-05-01T10:00:00.000000Z", "ResponseStarted"),
        exec("a", "2024-05-01T10:00:00.000000Z", "ResponseComplete"), // the same request, completed
        exec("b", "2024-05-01T10:03:00.000000Z", "ResponseStarted"),
        exec("c", "2024-05-01T10:09:00.000000Z", "ResponseStarted"),
        exec("d", "2024-05-01T10:20:00.000000Z", "ResponseStarted"), // outside the 10-minute window
    ];
    let alerts = run(&lines, AuditConfig::default());
    assert_eq!(alerts.len(), 2, "{alerts:#?}");
    assert_eq!(alerts[0].count, 3);
    assert_eq!(alerts[0].audit_ids, ["a", "b", "c"]);
    assert_eq!(
        alerts[0].first_seen.to_string(),
        "2024-05-01T10:00:00.000000Z"
    );
    assert_eq!(
        alerts[0].last_seen.to_string(),
        "2024-05-01T10:09:00.000000Z"
    );
    assert_eq!(alerts[0].location.as_ref().unwrap().line, 1);
    assert_eq!(alerts[1].count, 1);
    assert_eq!(alerts[1].audit_ids, ["d"]);
}

#[test]
fn allow_lists_and_disabled_detectors_silence_alerts() {
    let lines = vec![exec("a", "2024-05-01T10:00:00.000000Z", "ResponseStarted")];
    for config in [
        r#"{"allow":{"users":["mallory@*"]}}"#,
        r#"{"allow":{"groups":["system:authenticated"]}}"#,
        r#"{"allow":{"namespaces":["payments"]}}"#,
        r#"{"disable":["pod-exec"]}"#,
        r#"{"disable":["AUD004"]}"#,
    ] {
        let config: AuditConfig = serde_json::from_str(config).unwrap();
        assert!(run(&lines, config).is_empty());
    }
}

fn sample_alert() -> Alert {
    let lines = vec![exec(
        r#"a\"]"#,
        "2024-05-01T10:00:00.000000Z",
        "ResponseStarted",
    )];
    run(&lines, AuditConfig::default()).remove(0)
}

#[test]
fn alert_json_line_has_the_documented_fields() {
    let alert = sample_alert();
    let value: serde_json::Value = serde_json::from_str(&alert.to_json_line()).unwrap();
    assert_eq!(value["id"], "AUD004");
    assert_eq!(value["name"], "pod-exec");
    assert_eq!(value["severity"], "medium");
    assert_eq!(value["actor"]["user"], "mallory@example.com");
    assert_eq!(value["actor"]["source_ips"][0], "10.0.8.15");
    assert_eq!(value["object"]["subresource"], "exec");
    assert_eq!(value["first_seen"], "2024-05-01T10:00:00.000000Z");
    assert_eq!(value["count"], 1);
    assert_eq!(value["location"]["line"], 1);
    assert_eq!(value["mitre"]["id"], "T1609");
    assert!(!alert.to_json_line().contains('\n'));
}

#[test]
fn syslog_line_is_rfc5424() {
    let alert = sample_alert();
    let options = SyslogOptions {
        facility: 10,
        hostname: "cp-1".into(),
        app_name: "kubeward".into(),
    };
    let line = syslog_line(&alert, &options);
    // authpriv (10) * 8 + warning (4) for a medium alert.
    assert!(
        line.starts_with(
            "<84>1 2024-05-01T10:00:00.000000Z cp-1 kubeward - AUD004 [kubeward@32473 id=\"AUD004\""
        ),
        "{line}"
    );
    assert!(
        line.contains(r#"auditID="a\"\]""#),
        "structured-data values are escaped: {line}"
    );
    assert!(line.ends_with(&format!("{}: {}", alert.title, alert.message)));
    assert!(!line.contains('\n'));
}

#[test]
fn webhook_and_slack_payloads() {
    let alert = sample_alert();
    let generic = webhook_payload(&alert);
    assert_eq!(generic["source"], "kubeward");
    assert_eq!(generic["alert"]["id"], "AUD004");
    let slack = slack_payload(&alert);
    assert!(slack["text"].as_str().unwrap().contains("AUD004"));
    assert_eq!(slack["blocks"][0]["type"], "section");
    assert!(
        slack["blocks"][2]["fields"][2]["text"]
            .as_str()
            .unwrap()
            .contains("once at")
    );
}

#[test]
fn text_summary() {
    let lines: Vec<String> = (0..3)
        .map(|i| {
            exec(
                &format!("x{i}"),
                &format!("2024-05-01T10:0{i}:00.000000Z"),
                "ResponseStarted",
            )
        })
        .chain(std::iter::once("garbage".to_owned()))
        .collect();
    let mut analyzer = Analyzer::new(AuditConfig::default());
    let mut summary = Summary::default();
    for (i, line) in lines.iter().enumerate() {
        for a in analyzer.feed_line(
            line.as_bytes(),
            Position {
                file: "t.log",
                line: i as u64 + 1,
            },
        ) {
            summary.add(&a);
        }
    }
    for a in analyzer.finish() {
        summary.add(&a);
    }
    let mut out = Vec::new();
    summary.write_text(analyzer.stats(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "3 events",
        "time range: 2024-05-01T10:00:00.000000Z .. 2024-05-01T10:02:00.000000Z",
        "malformed:  1 line(s)",
        "t.log:4: invalid JSON",
        "AUD004  medium   pod-exec",
        "mallory@example.com",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}

fn request(user: &str, verb: &str, uri: &str, object: &str, code: u16, time: &str) -> String {
    format!(
        r#"{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"r","stage":"ResponseComplete","requestURI":"{uri}","verb":"{verb}","user":{{"username":"{user}"}},"sourceIPs":["10.244.1.2"],{object}"responseStatus":{{"code":{code}}},"requestReceivedTimestamp":"{time}"}}"#
    )
}

#[test]
fn derives_least_privilege_rbac_from_observed_use() {
    let sa = "system:serviceaccount:shop:api";
    let t = "2024-05-01T10:00:00.000000Z";
    let lines = vec![
        request(
            sa,
            "get",
            "/api/v1/namespaces/shop/configmaps/app",
            r#""objectRef":{"resource":"configmaps","namespace":"shop","name":"app"},"#,
            200,
            t,
        ),
        request(
            sa,
            "watch",
            "/api/v1/namespaces/shop/configmaps/app",
            r#""objectRef":{"resource":"configmaps","namespace":"shop","name":"app"},"#,
            200,
            t,
        ),
        request(
            sa,
            "list",
            "/api/v1/namespaces/shop/pods",
            r#""objectRef":{"resource":"pods","namespace":"shop"},"#,
            200,
            t,
        ),
        request(
            sa,
            "watch",
            "/api/v1/namespaces/shop/pods",
            r#""objectRef":{"resource":"pods","namespace":"shop"},"#,
            200,
            t,
        ),
        request(
            sa,
            "create",
            "/apis/coordination.k8s.io/v1/namespaces/shop/leases",
            r#""objectRef":{"resource":"leases","namespace":"shop","apiGroup":"coordination.k8s.io"},"#,
            201,
            t,
        ),
        request(
            sa,
            "get",
            "/api/v1/nodes/worker-1",
            r#""objectRef":{"resource":"nodes","name":"worker-1"},"#,
            200,
            t,
        ),
        request(
            sa,
            "get",
            "/api/v1/namespaces/shop/secrets/x",
            r#""objectRef":{"resource":"secrets","namespace":"shop","name":"x"},"#,
            403,
            t,
        ),
        request(sa, "get", "/apis", "", 200, t),
        request(sa, "get", "/metrics/cadvisor", "", 200, t),
        request(
            "someone-else",
            "delete",
            "/api/v1/namespaces/shop/pods/p",
            r#""objectRef":{"resource":"pods","namespace":"shop","name":"p"},"#,
            200,
            t,
        ),
        request(
            sa,
            "delete",
            "/api/v1/namespaces/shop/pods/old",
            r#""objectRef":{"resource":"pods","namespace":"shop","name":"old"},"#,
            200,
            "2024-04-01T00:00:00.000000Z",
        ),
    ];
    let events: Vec<Event<'_>> = lines
        .iter()
        .map(|l| Event::from_json(l.as_bytes()).unwrap())
        .collect();
    let options = DeriveOptions {
        since: Timestamp::parse("2024-04-15T00:00:00Z"),
        ..DeriveOptions::default()
    };
    let yaml = derive_rbac(&events, sa, &options);
    let expected = r#"# Derived by kubeward from 8 allowed request(s) of system:serviceaccount:shop:api between 2024-05-01T10:00:00.000000Z and 2024-05-01T10:00:00.000000Z.
# It grants exactly what was observed: review it before applying.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "kubeward-derived-system-serviceaccount-shop-api"
rules:
- apiGroups: [""]
  resources: ["nodes"]
  resourceNames: ["worker-1"]
  verbs: ["get"]
- nonResourceURLs: ["/metrics/cadvisor"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: "kubeward-derived-system-serviceaccount-shop-api"
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: "kubeward-derived-system-serviceaccount-shop-api"
subjects:
- kind: ServiceAccount
  name: "api"
  namespace: "shop"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: "kubeward-derived-system-serviceaccount-shop-api"
  namespace: "shop"
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["app"]
  verbs: ["get", "watch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: "kubeward-derived-system-serviceaccount-shop-api"
  namespace: "shop"
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: "kubeward-derived-system-serviceaccount-shop-api"
subjects:
- kind: ServiceAccount
  name: "api"
  namespace: "shop"
"#;
    assert_eq!(yaml, expected, "\n{yaml}");

    // More than five names: the rule grants the verb on every object of the resource.
    let mut deriver = RbacDeriver::new("alice", DeriveOptions::default());
    let many: Vec<String> = (0..7)
        .map(|i| {
            request(
                "alice",
                "get",
                "/x",
                &format!(
                    r#""objectRef":{{"resource":"configmaps","namespace":"a","name":"c{i}"}},"#
                ),
                200,
                t,
            )
        })
        .collect();
    for line in &many {
        deriver.observe(&Event::from_json(line.as_bytes()).unwrap());
    }
    let derived = deriver.finish();
    assert!(derived.namespaced["a"][0].resource_names.is_empty());
    assert!(
        derived
            .to_yaml("p")
            .contains("kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: \"alice\"")
    );
}

#[test]
fn zero_dedup_window_gives_immediate_alerts() {
    let config: AuditConfig = serde_json::from_str(r#"{"dedup-window":"0s"}"#).unwrap();
    let mut analyzer = Analyzer::new(config);
    let line = exec("z", "2024-05-01T10:00:00.000000Z", "ResponseStarted");
    let mut alerts = analyzer.feed_line(
        line.as_bytes(),
        Position {
            file: "live",
            line: 1,
        },
    );
    alerts.extend(analyzer.flush_expired(Timestamp::parse("2024-05-01T10:00:00.000001Z").unwrap()));
    assert_eq!(alerts.len(), 1);
    assert!(analyzer.finish().is_empty());
}
