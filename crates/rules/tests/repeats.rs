#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Rules that would flag the same field report it once (the engine's repeat pairs).

use kubeward_rules::date::Date;
use kubeward_rules::{Selection, Settings, scan_loaded};
use kubeward_source::{Limits, load_text};

const POD: &str = r#"apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers:
  - name: app
    image: registry.example.com/app:1.0.0
    securityContext:
      runAsUser: 0
      capabilities: {add: [SYS_ADMIN, CHOWN]}
  - name: side
    image: registry.example.com/side:1.0.0
    securityContext:
      runAsUser: 10001
  volumes:
  - name: logs
    hostPath: {path: /var/log}
  - name: share
    nfs: {server: nfs.example.com, path: /exports}
"#;

fn findings() -> Vec<(String, u32, u32)> {
    let settings = Settings {
        selection: Selection::resolve(&["POD".to_string()], &[], &Default::default()).unwrap(),
        today: Date::parse("2026-11-24").unwrap(),
        ..Settings::default()
    };
    let scan = scan_loaded(
        load_text("pod.yaml", POD.to_string(), &Limits::default()),
        &settings,
    );
    scan.result
        .findings
        .iter()
        .map(|f| {
            let l = f.location.unwrap();
            (
                f.rule_id.to_string(),
                l.span.start.line,
                l.span.start.col + 1,
            )
        })
        .collect()
}

fn rules_at(all: &[(String, u32, u32)], line: u32, col: u32) -> Vec<&str> {
    all.iter()
        .filter(|(_, l, c)| *l == line && *c == col)
        .map(|(r, _, _)| r.as_str())
        .collect()
}

#[test]
fn each_field_is_reported_once_by_the_kept_rule() {
    let all = findings();
    // `seccompProfile: Unconfined`: POD022, not POD029 as well.
    let at = rules_at(&all, 6, 28);
    assert!(at.contains(&"POD022") && !at.contains(&"POD029"), "{at:?}");
    // `runAsUser: 0`: POD028, not POD003 as well.
    let at = rules_at(&all, 11, 18);
    assert!(at.contains(&"POD028") && !at.contains(&"POD003"), "{at:?}");
    // `SYS_ADMIN`: POD006 (and POD011), not POD030; `CHOWN` is only POD030's (baseline allows it).
    let at = rules_at(&all, 12, 28);
    assert!(at.contains(&"POD006") && !at.contains(&"POD030"), "{at:?}");
    assert!(rules_at(&all, 12, 39).contains(&"POD030"));
    // The hostPath volume: POD005, not POD026; the nfs volume: POD026 alone.
    let at = rules_at(&all, 19, 15);
    assert!(at.contains(&"POD005") && !at.contains(&"POD026"), "{at:?}");
    assert!(rules_at(&all, 21, 10).contains(&"POD026"));
    // A non-zero runAsUser without runAsNonRoot: POD003 is satisfied, POD027 is not.
    assert!(
        all.iter().any(|(r, l, _)| r == "POD027" && *l == 13),
        "{all:?}"
    );
}

#[test]
fn the_repeating_rule_still_reports_when_the_kept_rule_is_off() {
    let settings = Settings {
        selection: Selection::resolve(&["POD029".to_string()], &[], &Default::default()).unwrap(),
        today: Date::parse("2026-11-24").unwrap(),
        ..Settings::default()
    };
    let scan = scan_loaded(
        load_text("pod.yaml", POD.to_string(), &Limits::default()),
        &settings,
    );
    assert!(scan.result.findings.iter().any(|f| f.rule_id == "POD029"));
}
