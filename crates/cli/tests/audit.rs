//! End-to-end tests of `kubeward audit`: formats, stdin, syslog and webhook delivery to local
//! receivers, follow mode, configuration, and `audit rbac`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn kubeward() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubeward"));
    c.current_dir(repo());
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    kubeward().args(args).output().unwrap()
}

const EXEC: &str = "crates/audit/fixtures/AUD004";
const ADMIN: &str = "crates/audit/fixtures/AUD008";

fn admin_event() -> String {
    let dir = repo().join(ADMIN);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let fail = files
        .iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("fail_")
        })
        .unwrap();
    std::fs::read_to_string(fail).unwrap()
}

#[test]
fn json_lines_and_text_summary() {
    let o = run(&["audit", ADMIN, "--no-config", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().all(|a| a["id"] == "AUD008"), "{lines:?}");
    assert!(!lines.is_empty());
    let o = run(&["audit", EXEC, "--no-config"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("AUD004"), "{text}");
    assert!(text.contains("Audit log summary"), "{text}");
}

#[test]
fn fail_on_and_stdin_with_garbage_lines() {
    let mut child = kubeward()
        .args([
            "audit",
            "-",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "high",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = format!("not json\n{}\n{{\"truncated\": \n", admin_event().trim());
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "a critical alert fails at high: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("AUD008"));
}

#[test]
fn alerts_reach_a_udp_syslog_receiver() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let addr = socket.local_addr().unwrap();
    let o = run(&[
        "audit",
        ADMIN,
        "--no-config",
        "--syslog",
        &format!("udp://{addr}"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let mut buf = [0u8; 8192];
    let n = socket.recv(&mut buf).unwrap();
    let msg = String::from_utf8_lossy(&buf[..n]);
    assert!(msg.starts_with('<'), "{msg}");
    assert!(msg.contains(">1 "), "RFC 5424 version field: {msg}");
    assert!(msg.contains("AUD008"), "{msg}");
}

#[test]
fn alerts_reach_a_webhook_receiver() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-length:") {
                length = line[15..].trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).unwrap();
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .unwrap();
        (head, String::from_utf8(body).unwrap())
    });
    let o = run(&[
        "audit",
        ADMIN,
        "--no-config",
        "--webhook",
        &format!("http://{addr}/hook"),
        "--slack",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (head, body) = server.join().unwrap();
    assert!(head.starts_with("POST /hook"), "{head}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        json.get("text").is_some() || json.get("blocks").is_some(),
        "Slack payload: {json}"
    );
}

#[test]
fn follow_mode_reports_appended_events() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    std::fs::write(&log, "").unwrap();
    let mut child = kubeward()
        .args(["audit", "--follow", "--no-config", "--format", "json"])
        .arg(&log)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    writeln!(f, "{}", admin_event().trim()).unwrap();
    drop(f);
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        tx.send(line).unwrap();
    });
    // Alerts leave the dedup window after it closes; the default window is 10 minutes of log time,
    // so the alert arrives when the event is older than that relative to now (it is, from 2024).
    let line = rx.recv_timeout(Duration::from_secs(20));
    child.kill().unwrap();
    child.wait().unwrap();
    let line = line.expect("an alert while following");
    assert!(line.contains("AUD008"), "{line}");
}

#[test]
fn audit_config_is_strict() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".kubeward.yaml");
    std::fs::write(&config, "audit:\n  allow:\n    userz: [x]\n").unwrap();
    let o = run(&["audit", ADMIN, "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("userz"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(&config, "audit:\n  allow:\n    users: [dev@example.com]\n").unwrap();
    let o = run(&[
        "audit",
        ADMIN,
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stdout.is_empty(),
        "the allow-listed user raises nothing: {}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn audit_rbac_derives_a_role() {
    let o = run(&["audit", "rbac", "--user", "dev@example.com", ADMIN]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let yaml = String::from_utf8_lossy(&o.stdout);
    assert!(
        yaml.contains("kind: ClusterRole") || yaml.contains("kind: Role"),
        "{yaml}"
    );
    assert!(yaml.contains("create"), "{yaml}");
}

/// `audit serve` over real TLS: an authenticated EventList batch is analysed and its alert printed;
/// a request without the token is refused; a server without authentication refuses to start.
#[test]
fn audit_serve_receives_event_lists_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let (cert_path, key_path, token_path) = (
        dir.path().join("tls.crt"),
        dir.path().join("tls.key"),
        dir.path().join("token"),
    );
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, signing_key.serialize_pem()).unwrap();
    std::fs::write(&token_path, "s3cret-token-for-the-apiserver\n").unwrap();

    let o = run(&[
        "audit",
        "serve",
        "--tls-cert",
        cert_path.to_str().unwrap(),
        "--tls-key",
        key_path.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "no authentication configured must not start"
    );

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = kubeward()
        .args([
            "audit",
            "serve",
            "--no-config",
            "--format",
            "json",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args([
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ])
        .args(["--token-file", token_path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    stderr.read_line(&mut banner).unwrap();
    assert!(banner.contains("listening on https://"), "{banner}");

    let root = ureq::tls::Certificate::from_pem(cert.pem().as_bytes())
        .unwrap()
        .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![
                    root,
                ])))
                .build(),
        )
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("https://127.0.0.1:{port}/audit");
    let batch = format!(
        "{{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[{}]}}",
        admin_event().trim()
    );
    let refused = agent.post(&url).send(batch.clone()).unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let wrong = agent
        .post(&url)
        .header("Authorization", "Bearer nope")
        .send(batch.clone())
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let ok = agent
        .post(&url)
        .header("Authorization", "Bearer s3cret-token-for-the-apiserver")
        .send(batch)
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);

    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        tx.send(line).unwrap();
    });
    let line = rx.recv_timeout(Duration::from_secs(20));
    child.kill().unwrap();
    child.wait().unwrap();
    let alert: serde_json::Value = serde_json::from_str(&line.expect("an alert")).unwrap();
    assert_eq!(alert["id"], "AUD008");
}
