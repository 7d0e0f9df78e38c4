//! Reading: gzip, rotation order, malformed lines, parallel equals sequential, follow mode, webhook
//! batches, and the benign-cluster log that must stay silent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use kubeward_audit::{
    Alert, Analyzer, AuditConfig, FollowOptions, Follower, Position, ScanOptions, scan_paths,
    scan_reader,
};

fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn scan(paths: &[PathBuf], config: AuditConfig, options: &ScanOptions) -> (Vec<Alert>, Analyzer) {
    let mut analyzer = Analyzer::new(config);
    let mut alerts = Vec::new();
    scan_paths(paths, &mut analyzer, options, &mut |a| alerts.push(a)).unwrap();
    alerts.extend(analyzer.finish());
    (alerts, analyzer)
}

fn fixture_lines(id: &str, file: &str) -> String {
    fs::read_to_string(crate_path(&format!("fixtures/{id}/{file}"))).unwrap()
}

fn gzip(text: &str) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

/// An authentication failure from `ip` at second `sec`.
fn failure(ip: &str, sec: u32, id: u32) -> String {
    format!(
        r#"{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"f-{id}","stage":"ResponseStarted","requestURI":"/api/v1/secrets","verb":"list","user":{{}},"sourceIPs":["{ip}"],"userAgent":"python-requests/2.31.0","responseStatus":{{"metadata":{{}},"code":401}},"requestReceivedTimestamp":"2024-05-01T10:00:{sec:02}.000000Z","stageTimestamp":"2024-05-01T10:00:{sec:02}.000100Z"}}"#
    ) + "\n"
}

#[test]
fn benign_cluster_log_raises_nothing() {
    for threads in [1, 2] {
        let options = ScanOptions {
            threads,
            chunk_bytes: 64 * 1024,
            ..ScanOptions::default()
        };
        let (alerts, analyzer) = scan(
            &[crate_path("tests/data/benign_cluster.jsonl.gz")],
            AuditConfig::default(),
            &options,
        );
        let stats = analyzer.stats();
        assert_eq!(stats.events, 2000);
        assert_eq!(stats.malformed, 0);
        assert!(alerts.is_empty(), "{alerts:#?}");
    }
}

#[test]
fn rotated_and_gzipped_files_are_read_oldest_first_with_shared_windows() {
    let dir = tempfile::tempdir().unwrap();
    // Ten failures split over three generations of one log: one burst, seen across files.
    let oldest: String = (0..4).map(|i| failure("198.51.100.23", i, i)).collect();
    let middle: String = (4..7).map(|i| failure("198.51.100.23", i, i)).collect();
    let current: String = (7..10).map(|i| failure("198.51.100.23", i, i)).collect();
    fs::write(dir.path().join("audit.log.2.gz"), gzip(&oldest)).unwrap();
    fs::write(dir.path().join("audit.log.1"), gzip(&middle)).unwrap(); // gzip without the suffix
    fs::write(dir.path().join("audit.log"), current).unwrap();
    fs::write(dir.path().join(".hidden"), "garbage").unwrap();
    let (alerts, analyzer) = scan(
        &[dir.path().to_owned()],
        AuditConfig::default(),
        &ScanOptions::default(),
    );
    assert_eq!(analyzer.stats().files, 3);
    assert_eq!(analyzer.stats().events, 10);
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let alert = &alerts[0];
    assert_eq!((alert.id, alert.count), ("AUD002", 10));
    let location = alert.location.as_ref().unwrap();
    assert!(
        location.file.ends_with("audit.log.2.gz"),
        "first event located in the oldest file: {location:?}"
    );
    assert_eq!(location.line, 1);
    assert_eq!(alert.audit_ids, ["f-0", "f-1", "f-2", "f-3", "f-4"]);
}

#[test]
fn malformed_lines_are_counted_with_positions_and_skipped() {
    let good = fixture_lines("AUD004", "fail_exec_shell.jsonl");
    let huge = format!("{{\"pad\":\"{}\"}}\n", "x".repeat(10_000));
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice(b"not json at all\n"); // 1
    input.extend_from_slice(&good.as_bytes()[..good.len() / 2]); // 2: truncated
    input.push(b'\n');
    input.extend_from_slice(&[0xff, 0xfe, 0x00, 0x01, 0x9c, b'\n']); // 3: binary
    input.extend_from_slice(b"\n   \r\n"); // 4, 5: blank
    input.extend_from_slice(huge.as_bytes()); // 6: over the cap
    input.extend_from_slice(br#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}"#); // 7: not an event
    input.push(b'\n');
    input.extend_from_slice(good.trim_end().as_bytes()); // 8: valid, CRLF, after everything
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(&good.as_bytes()[..40]); // 9: truncated last line, no newline
    for threads in [1, 2] {
        let options = ScanOptions {
            threads,
            max_line_bytes: 4096,
            chunk_bytes: 16,
        };
        let mut analyzer = Analyzer::new(AuditConfig::default());
        let mut alerts = Vec::new();
        scan_reader(&input[..], "<stdin>", &mut analyzer, &options, &mut |a| {
            alerts.push(a)
        })
        .unwrap();
        alerts.extend(analyzer.finish());
        let stats = analyzer.stats();
        let lines: Vec<u64> = stats.malformed_samples.iter().map(|m| m.line).collect();
        assert_eq!(
            lines,
            [1, 2, 3, 6, 7, 9],
            "threads {threads}: {:#?}",
            stats.malformed_samples
        );
        assert!(stats.malformed_samples.iter().all(|m| m.file == "<stdin>"));
        assert!(
            stats.malformed_samples[3]
                .reason
                .contains("longer than 4096")
        );
        assert_eq!(stats.events, 1);
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].location.as_ref().unwrap().line, 8);
    }
}

#[test]
fn parallel_scan_equals_sequential_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for id in ["AUD001", "AUD004", "AUD006", "AUD011", "AUD019", "AUD023"] {
        for entry in fs::read_dir(crate_path(&format!("fixtures/{id}"))).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".jsonl") {
                text.push_str(&fs::read_to_string(&path).unwrap());
            }
        }
    }
    for i in 0..30 {
        text.push_str(&failure(&format!("198.51.100.{}", i % 3), i, 1000 + i));
    }
    let path = dir.path().join("mixed.log");
    fs::write(&path, text.repeat(20)).unwrap();
    let render = |threads: usize| {
        let options = ScanOptions {
            threads,
            chunk_bytes: 2048,
            ..ScanOptions::default()
        };
        let (alerts, analyzer) = scan(
            std::slice::from_ref(&path),
            AuditConfig::default(),
            &options,
        );
        let mut lines: Vec<String> = alerts.iter().map(Alert::to_json_line).collect();
        lines.sort();
        (lines, analyzer.stats().events)
    };
    let sequential = render(1);
    assert!(!sequential.0.is_empty());
    assert_eq!(render(2), sequential);
    assert_eq!(render(4), sequential);
}

#[test]
fn follows_a_growing_file_across_rotation_and_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let exec = fixture_lines("AUD004", "fail_exec_shell.jsonl");
    let line = |n: u32| exec.replacen("\"auditID\":\"", &format!("\"auditID\":\"n{n}-"), 1);
    let append = |path: &Path, text: &str| {
        let mut f = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
    };
    let mut follower = Follower::new(
        &log,
        FollowOptions {
            from_start: true,
            ..FollowOptions::default()
        },
    );
    let mut seen: Vec<(String, u64)> = Vec::new();
    let poll = |follower: &mut Follower| {
        let mut got = Vec::new();
        follower
            .poll_lines(&mut |line, position: Position<'_>| {
                let id = line.ok().map(|l| {
                    String::from_utf8_lossy(l)
                        .split("\"auditID\":\"")
                        .nth(1)
                        .unwrap()[..3]
                        .to_owned()
                });
                got.push((id.unwrap_or_default(), position.line));
            })
            .unwrap();
        got
    };
    assert!(poll(&mut follower).is_empty(), "no file yet");
    append(&log, &(line(1) + &line(2)));
    seen.extend(poll(&mut follower));
    // A line written in two parts is delivered once, whole.
    let third = line(3);
    append(&log, &third[..50]);
    assert!(poll(&mut follower).is_empty());
    append(&log, &third[50..]);
    seen.extend(poll(&mut follower));
    // Rotation: the writer adds a last line to the old file, renames it, starts a new one.
    append(&log, &line(4));
    fs::rename(&log, dir.path().join("audit.log.1")).unwrap();
    append(&log, &line(5));
    seen.extend(poll(&mut follower));
    // copytruncate: the same file emptied in place, then written again.
    fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&log)
        .unwrap();
    assert!(poll(&mut follower).is_empty());
    append(&log, &line(6));
    seen.extend(poll(&mut follower));
    let ids: Vec<&str> = seen.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["n1-", "n2-", "n3-", "n4-", "n5-", "n6-"]);
    let numbers: Vec<u64> = seen.iter().map(|(_, n)| *n).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 1, 1]);

    // And through the analyzer: the execs are one deduplicated alert.
    let mut analyzer = Analyzer::new(AuditConfig::default());
    let mut fresh = Follower::new(
        dir.path().join("audit.log.1"),
        FollowOptions {
            from_start: true,
            ..FollowOptions::default()
        },
    );
    let mut alerts = Vec::new();
    fresh.poll(&mut analyzer, &mut |a| alerts.push(a)).unwrap();
    alerts.extend(analyzer.finish());
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].count, 4);
}

#[test]
fn follow_from_end_skips_history() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    fs::write(&log, "old line 1\nold line 2\n").unwrap();
    let mut follower = Follower::new(&log, FollowOptions::default());
    let mut got = Vec::new();
    follower
        .poll_lines(&mut |l, _| got.push(l.unwrap().to_vec()))
        .unwrap();
    fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap()
        .write_all(b"new line\n")
        .unwrap();
    follower
        .poll_lines(&mut |l, _| got.push(l.unwrap().to_vec()))
        .unwrap();
    assert_eq!(got, [b"new line".to_vec()]);
}

#[test]
fn webhook_event_list_batches() {
    let exec = fixture_lines("AUD004", "fail_exec_shell.jsonl");
    let body = format!(
        r#"{{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{{}},"items":[{},{{"kind":"Event"}}]}}"#,
        exec.trim()
    );
    let mut analyzer = Analyzer::new(AuditConfig::default());
    let mut alerts = analyzer.feed_event_list(body.as_bytes(), "<webhook>");
    alerts.extend(analyzer.finish());
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].id, "AUD004");
    assert_eq!(analyzer.stats().malformed, 1);
    assert_eq!(analyzer.stats().malformed_samples[0].line, 2);
    assert!(
        analyzer
            .feed_event_list(b"{\"kind\":\"Pod\"}", "<webhook>")
            .is_empty()
    );
    assert_eq!(analyzer.stats().malformed, 2);
}

#[test]
fn a_line_over_the_default_cap_is_skipped_without_stopping() {
    let good = fixture_lines("AUD004", "fail_exec_shell.jsonl");
    let mut input = good.clone().into_bytes();
    input.extend_from_slice(b"{\"x\":\"");
    input.extend(std::iter::repeat_n(
        b'a',
        kubeward_audit::DEFAULT_MAX_LINE_BYTES + 10,
    ));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(good.as_bytes());
    let mut analyzer = Analyzer::new(AuditConfig::default());
    let mut alerts = Vec::new();
    scan_reader(
        &input[..],
        "big.log",
        &mut analyzer,
        &ScanOptions::default(),
        &mut |a| alerts.push(a),
    )
    .unwrap();
    alerts.extend(analyzer.finish());
    assert_eq!(analyzer.stats().events, 2);
    assert_eq!(analyzer.stats().malformed_samples[0].line, 2);
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].count, 2);
}

#[test]
fn random_bytes_never_panic_and_are_counted() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let seed = fixture_lines("AUD006", "fail_privileged_pod.jsonl");
    let mut input = Vec::new();
    for _ in 0..2000 {
        let mut line = seed.trim_end().as_bytes().to_vec();
        // Mutate a few bytes and cut at a random point: near-valid JSON is the interesting case.
        for _ in 0..(next() % 4) {
            let at = (next() as usize) % line.len();
            line[at] = (next() % 256) as u8;
        }
        line.truncate(1 + (next() as usize) % line.len());
        line.retain(|b| *b != b'\n');
        input.extend_from_slice(&line);
        input.push(b'\n');
    }
    let mut analyzer = Analyzer::new(AuditConfig::default());
    let options = ScanOptions {
        threads: 2,
        chunk_bytes: 4096,
        ..ScanOptions::default()
    };
    scan_reader(&input[..], "fuzz.log", &mut analyzer, &options, &mut |_| {}).unwrap();
    analyzer.finish();
    let stats = analyzer.stats();
    assert_eq!(stats.events + stats.malformed, 2000);
}

#[test]
fn a_truncated_gzip_file_keeps_what_was_read_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let exec = fixture_lines("AUD004", "fail_exec_shell.jsonl");
    let text: String = (0..2000)
        .map(|i| exec.replacen("\"auditID\":\"", &format!("\"auditID\":\"{i}-"), 1))
        .collect();
    let compressed = gzip(&text);
    let path = dir.path().join("audit.log.1.gz");
    fs::write(&path, &compressed[..compressed.len() * 2 / 3]).unwrap();
    for threads in [1, 2] {
        let options = ScanOptions {
            threads,
            chunk_bytes: 8192,
            ..ScanOptions::default()
        };
        let (alerts, analyzer) = scan(
            std::slice::from_ref(&path),
            AuditConfig::default(),
            &options,
        );
        let stats = analyzer.stats();
        assert_eq!(stats.unreadable.len(), 1, "threads {threads}");
        assert!(
            stats.events > 100,
            "threads {threads}: {} events",
            stats.events
        );
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].count, stats.events);
    }
}
