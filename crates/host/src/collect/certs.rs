//! Certificates in PKI directories and client certificates in kubeconfig files
//! (`client-certificate-data` is base64 PEM; `client-certificate` names a file).

use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;

use crate::collect::fs::NodeFs;
use crate::facts::{CertFact, CollectIssue, Origin};
use crate::text::parse_yaml;

pub fn pki_dirs(data_dirs: &[String]) -> Vec<String> {
    let mut dirs = vec![
        "/etc/kubernetes/pki".to_string(),
        "/var/lib/kubelet/pki".to_string(),
    ];
    for d in data_dirs {
        dirs.push(format!("{d}/server/tls"));
        dirs.push(format!("{d}/agent"));
    }
    dirs
}

pub fn collect_pki(fs: &NodeFs, dirs: &[String], issues: &mut Vec<CollectIssue>) -> Vec<CertFact> {
    let mut out = Vec::new();
    for dir in dirs {
        for path in fs.walk(dir, 3) {
            if !(path.ends_with(".crt") || path.ends_with(".pem")) {
                continue;
            }
            let Some(bytes) = fs.read_bytes(&path) else {
                continue;
            };
            certs_from_pem(&bytes, &Origin::new(path.as_str()), &mut out, issues);
        }
    }
    out
}

/// Parse every `CERTIFICATE` block; key blocks in the same file are skipped unread.
pub fn certs_from_pem(
    bytes: &[u8],
    origin: &Origin,
    out: &mut Vec<CertFact>,
    issues: &mut Vec<CollectIssue>,
) {
    for pem in Pem::iter_from_buffer(bytes) {
        let pem = match pem {
            Ok(p) => p,
            Err(_) => break,
        };
        if pem.label != "CERTIFICATE" {
            continue;
        }
        match x509_parser::certificate::X509Certificate::from_der(&pem.contents) {
            Ok((_, cert)) => {
                let is_ca = cert
                    .basic_constraints()
                    .ok()
                    .flatten()
                    .is_some_and(|bc| bc.value.ca);
                out.push(CertFact {
                    origin: origin.clone(),
                    subject: cert.subject().to_string(),
                    issuer: cert.issuer().to_string(),
                    is_ca,
                    not_before: cert.validity().not_before.timestamp(),
                    not_after: cert.validity().not_after.timestamp(),
                });
            }
            Err(e) => issues.push(CollectIssue {
                path: origin.path.clone(),
                message: format!("unparseable certificate: {e}"),
            }),
        }
    }
}

/// Client certificates embedded in or referenced by a kubeconfig.
pub fn collect_kubeconfig(
    fs: &NodeFs,
    path: &str,
    out: &mut Vec<CertFact>,
    issues: &mut Vec<CollectIssue>,
) {
    let Some(text) = fs.read(path) else { return };
    let value = match parse_yaml(&text) {
        Ok(v) => v,
        Err(message) => {
            issues.push(CollectIssue {
                path: path.to_string(),
                message,
            });
            return;
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let Some(users) = value.get("users").and_then(|u| u.as_array()) else {
        return;
    };
    for user in users {
        let Some(u) = user.get("user") else { continue };
        if let Some(data) = u.get("client-certificate-data").and_then(|d| d.as_str()) {
            let line = crate::text::find_line_from(&lines, 0, "client-certificate-data")
                .map(|l| l as u32 + 1);
            let origin = Origin {
                path: path.to_string(),
                line,
                column: None,
            };
            match data_encoding::BASE64.decode(data.trim().as_bytes()) {
                Ok(pem) => certs_from_pem(&pem, &origin, out, issues),
                Err(e) => issues.push(CollectIssue {
                    path: path.to_string(),
                    message: format!("client-certificate-data is not base64: {e}"),
                }),
            }
        } else if let Some(file) = u.get("client-certificate").and_then(|d| d.as_str())
            && let Some(bytes) = fs.read_bytes(file)
        {
            certs_from_pem(&bytes, &Origin::new(file), out, issues);
        }
    }
}
