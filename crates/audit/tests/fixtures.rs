//! Every detector's fixtures: `fixtures/AUDnnn/fail_*.jsonl` must raise at least one alert of that
//! detector, `pass_*.jsonl` none. Configuration comes from `<fixture>.config.json`, else the folder's
//! `config.json`, else the defaults.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use kubeward_audit::{Alert, Analyzer, AuditConfig, ScanOptions, detectors, scan_reader};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn config_for(fixture: &Path) -> AuditConfig {
    let own = fixture.with_extension("config.json");
    let folder = fixture.with_file_name("config.json");
    for candidate in [own, folder] {
        if candidate.exists() {
            let text = fs::read_to_string(&candidate).unwrap();
            return serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", candidate.display()));
        }
    }
    AuditConfig::default()
}

fn run(fixture: &Path) -> (Vec<Alert>, kubeward_audit::Stats) {
    let mut analyzer = Analyzer::new(config_for(fixture));
    let mut alerts = Vec::new();
    let options = ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    };
    let file = fs::File::open(fixture).unwrap();
    scan_reader(
        file,
        &fixture.display().to_string(),
        &mut analyzer,
        &options,
        &mut |a| alerts.push(a),
    )
    .unwrap();
    alerts.extend(analyzer.finish());
    (alerts, analyzer.stats().clone())
}

fn fixtures_of(id: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(fixtures_dir().join(id))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
    files.sort();
    files
}

#[test]
fn fail_fixtures_fire_and_pass_fixtures_do_not() {
    let mut report = String::new();
    for meta in detectors() {
        for fixture in fixtures_of(meta.id) {
            let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
            let (alerts, stats) = run(&fixture);
            assert_eq!(
                stats.malformed, 0,
                "{name}: fixtures are valid events: {:?}",
                stats.malformed_samples
            );
            let own: Vec<&Alert> = alerts.iter().filter(|a| a.id == meta.id).collect();
            if name.starts_with("fail_") {
                assert!(
                    !own.is_empty(),
                    "{}/{name} must raise {}; got {alerts:#?}",
                    meta.id,
                    meta.id
                );
                for alert in &own {
                    report.push_str(&format!("{}/{name}: {}\n", meta.id, alert.message));
                    assert!(alert.location.as_ref().is_some_and(|l| l.line >= 1));
                    assert!(!alert.audit_ids.is_empty());
                }
            } else {
                assert!(
                    name.starts_with("pass_"),
                    "{name}: fixture names start with fail_ or pass_"
                );
                assert!(
                    own.is_empty(),
                    "{}/{name} must not raise {}; got {own:#?}",
                    meta.id,
                    meta.id
                );
            }
        }
    }
    println!("{report}");
}

#[test]
fn every_detector_has_fail_and_pass_fixtures() {
    for meta in detectors() {
        let names: Vec<String> = fixtures_of(meta.id)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fail_")),
            "{} has no fail_ fixture",
            meta.id
        );
        assert!(
            names.iter().any(|n| n.starts_with("pass_")),
            "{} has no pass_ fixture",
            meta.id
        );
    }
    // And no fixture folder for a detector that does not exist.
    for entry in fs::read_dir(fixtures_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            detectors().any(|m| m.id == name),
            "fixtures/{name} matches no detector"
        );
    }
}

#[test]
fn doc_examples_fire() {
    // The `## Example` event of each detector's docs raises it (burst detectors need the burst:
    // their example is repeated up to the default threshold).
    for meta in detectors() {
        let example = meta
            .docs
            .split("```json")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .unwrap();
        let line = example.trim();
        let config = fixtures_of(meta.id)
            .iter()
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("fail_")
            })
            .map(|p| config_for(p))
            .unwrap();
        let mut analyzer = Analyzer::new(config);
        let mut alerts = Vec::new();
        for i in 0..25 {
            let relabelled = line.replacen("\"auditID\":\"", &format!("\"auditID\":\"{i}-"), 1);
            alerts.extend(analyzer.feed_line(
                relabelled.as_bytes(),
                kubeward_audit::Position {
                    file: "docs",
                    line: 1,
                },
            ));
        }
        alerts.extend(analyzer.finish());
        assert_eq!(
            analyzer.stats().malformed,
            0,
            "{} example parses: {:?}",
            meta.id,
            analyzer.stats().malformed_samples
        );
        assert!(
            alerts.iter().any(|a| a.id == meta.id),
            "{} example must fire",
            meta.id
        );
    }
}

#[test]
fn credential_values_never_leave_the_analyzer() {
    for fixture in fixtures_of("AUD018") {
        let (alerts, _) = run(&fixture);
        for alert in alerts {
            let json = alert.to_json_line();
            for secret in [
                "example-not-a-real-password",
                "example-pass",
                "MIIEexamplenotarealkey",
            ] {
                assert!(!json.contains(secret), "{json}");
            }
            if alert.id == "AUD018" {
                assert!(alert.message.contains("REDACTED"));
            }
        }
    }
}
