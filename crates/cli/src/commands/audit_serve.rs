//! `kubeward audit serve`: an HTTPS endpoint for the API server's audit webhook backend.
//!
//! The API server posts `audit.k8s.io/v1` `EventList` batches to the URL in the kubeconfig given by
//! `--audit-webhook-config-file` (see `docs/audit-webhook.md`). Every batch is analysed as it arrives
//! and alerts whose deduplication window has closed are written out at once.
//!
//! The server is deliberately small: blocking rustls connections, one thread each, bounded request
//! sizes. It only ever accepts authenticated POSTs — a bearer token compared in constant time, a client
//! certificate from a configured CA, or both — because audit events are sensitive and forged events
//! could bury real alerts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use kubeward_audit::{Analyzer, Timestamp};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection, StreamOwned};

use super::audit::{Sinks, flush, load_audit_config, now_micros};
use crate::args::ServeArgs;

/// Largest request body accepted (the API server's default batch is far smaller).
const MAX_BODY: usize = 64 * 1024 * 1024;
/// Largest request head (request line plus headers).
const MAX_HEAD: usize = 64 * 1024;

struct Shared {
    analyzer: Mutex<Analyzer>,
    sinks: Mutex<Sinks>,
    token: Option<String>,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let json = match args.alerts.format.as_str() {
        "json" => true,
        "text" => false,
        other => bail!("unknown format `{other}` for `audit serve` (expected text or json)"),
    };
    if args.token_file.is_none() && args.client_ca.is_none() {
        bail!("audit serve needs authentication: give --token-file, --client-ca, or both");
    }
    let token = match &args.token_file {
        Some(path) => {
            let token = std::fs::read_to_string(path)
                .with_context(|| format!("--token-file {}", path.display()))?
                .trim()
                .to_string();
            if token.len() < 16 {
                bail!(
                    "--token-file {}: the token must be at least 16 characters",
                    path.display()
                );
            }
            Some(token)
        }
        None => None,
    };
    let tls = Arc::new(tls_config(&args)?);
    let config = load_audit_config(args.alerts.config.as_deref(), args.alerts.no_config, &[])?;
    let shared = Arc::new(Shared {
        analyzer: Mutex::new(Analyzer::new(config)),
        sinks: Mutex::new(Sinks::new(
            args.alerts.syslog.as_deref(),
            args.alerts.webhook.clone(),
            args.alerts.slack,
            json,
        )?),
        token,
    });
    let listener = TcpListener::bind(&args.listen)
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    eprintln!(
        "kubeward: audit webhook listening on https://{}",
        listener.local_addr()?
    );
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (tls, shared) = (tls.clone(), shared.clone());
        std::thread::spawn(move || {
            if let Err(e) = handle(stream, tls, &shared) {
                eprintln!("kubeward: audit webhook connection: {e:#}");
            }
        });
    }
    Ok(ExitCode::SUCCESS)
}

fn tls_config(args: &ServeArgs) -> Result<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&args.tls_cert)
        .with_context(|| format!("--tls-cert {}", args.tls_cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("--tls-cert {}", args.tls_cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(&args.tls_key)
        .with_context(|| format!("--tls-key {}", args.tls_key.display()))?;
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let builder = match &args.client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_file_iter(ca)
                .with_context(|| format!("--client-ca {}", ca.display()))?
            {
                roots.add(cert?)?;
            }
            let verifier =
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build()?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    Ok(builder.with_single_cert(certs, key)?)
}

/// One connection: requests until the client closes it (the API server keeps connections alive).
fn handle(stream: TcpStream, tls: Arc<ServerConfig>, shared: &Shared) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let connection = ServerConnection::new(tls)?;
    let mut tls = StreamOwned::new(connection, stream);
    loop {
        let request = match read_request(&mut tls) {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(()),
            Err(status) => {
                respond(&mut tls, status, "")?;
                return Ok(());
            }
        };
        let (status, body) = answer(&request, shared);
        respond(&mut tls, status, body)?;
        if request.close {
            return Ok(());
        }
    }
}

struct Request {
    method: String,
    authorization: Option<String>,
    body: Vec<u8>,
    close: bool,
}

/// Reads one HTTP/1.1 request. `Ok(None)` when the peer closed the connection between requests;
/// `Err(status)` for requests that are refused before their body is read.
fn read_request(stream: &mut impl Read) -> Result<Option<Request>, u16> {
    let mut reader = BufReader::new(stream.by_ref());
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = reader.read_until(b'\n', &mut head).map_err(|_| 400u16)?;
        if n == 0 {
            return if head.is_empty() { Ok(None) } else { Err(400) };
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        if head[before..].trim_ascii().is_empty() {
            break;
        }
    }
    let head = String::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = head.lines();
    let method = lines
        .next()
        .and_then(|l| l.split(' ').next())
        .unwrap_or("")
        .to_string();
    let (mut length, mut authorization, mut close) = (0usize, None, false);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().map_err(|_| 400u16)?,
            "authorization" => authorization = Some(value.to_string()),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            "transfer-encoding" => return Err(501),
            _ => {}
        }
    }
    if length > MAX_BODY {
        return Err(413);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|_| 400u16)?;
    Ok(Some(Request {
        method,
        authorization,
        body,
        close,
    }))
}

fn answer(request: &Request, shared: &Shared) -> (u16, &'static str) {
    if let Some(expected) = &shared.token {
        let given = request
            .authorization
            .as_deref()
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or("");
        if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return (401, "{\"error\":\"unauthorized\"}");
        }
    }
    if request.method != "POST" {
        return (405, "{\"error\":\"POST an audit.k8s.io EventList\"}");
    }
    let alerts = {
        let Ok(mut analyzer) = shared.analyzer.lock() else {
            return (500, "{\"error\":\"internal\"}");
        };
        let mut alerts = analyzer.feed_event_list(&request.body, "webhook");
        alerts.extend(analyzer.flush_expired(Timestamp(now_micros())));
        alerts
    };
    if let Ok(mut sinks) = shared.sinks.lock() {
        for alert in &alerts {
            sinks.emit(alert);
        }
        let _ = flush(&mut sinks);
    }
    (200, "{}")
}

fn respond(stream: &mut impl Write, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        _ => "Internal Server Error",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// Compares without an early exit, so response timing does not reveal how much of a token matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
