use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::{Context, Finding, fact, object_name};

declare_detector! {
    /// ## What it does
    /// Reports `exec`, `attach` and `portforward` requests into pods that the API server allowed,
    /// with the command when the request carries it.
    ///
    /// ## Why is this bad?
    /// A shell in a running container gives the attacker its service-account token, its mounted
    /// secrets, its network position and whatever the container can reach; `attach` takes over a
    /// process's terminal; `portforward` tunnels straight to a port no Service exposes. Operators use
    /// these for debugging, which is why each use is worth a record stating who, where and what.
    ///
    /// ## MITRE ATT&CK
    /// T1609 Container Administration Command.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"c0ffee","stage":"ResponseStarted","requestURI":"/api/v1/namespaces/payments/pods/api-7d9f/exec?command=sh&container=api&stdin=true&stdout=true&tty=true","verb":"create","user":{"username":"mallory@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1 (linux/amd64) kubernetes/6911225","objectRef":{"resource":"pods","namespace":"payments","name":"api-7d9f","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.050000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Get a Shell to a Running Container"
    /// - NSA/CISA Kubernetes Hardening Guide: audit logging and threat detection
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD004",
        name: "pod-exec",
        title: "Interactive access into a pod (exec, attach, port-forward)",
        severity: Severity::Medium,
        mitre: Technique { id: "T1609", name: "Container Administration Command" },
        frameworks: &["nsa:threat-detection", "owasp:K05"],
    };
}

pub(crate) fn check(_ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if event.resource() != "pods" || !event.is_allowed() {
        return None;
    }
    let did = match event.subresource() {
        "exec" => match command(&event.request_uri) {
            Some(cmd) => format!("ran `{cmd}` in pod {}", object_name(event)),
            None => format!("opened an exec session in pod {}", object_name(event)),
        },
        "attach" => format!("attached to a container of pod {}", object_name(event)),
        "portforward" => format!("port-forwarded into pod {}", object_name(event)),
        _ => return None,
    };
    Some(Finding::new(fact(event, &did)))
}

/// The `command=` query parameters of an exec URI, joined with spaces, percent-decoded.
fn command(uri: &str) -> Option<String> {
    let (_, query) = uri.split_once('?')?;
    let words: Vec<String> = query
        .split('&')
        .filter_map(|kv| kv.strip_prefix("command="))
        .map(percent_decode)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_commands() {
        assert_eq!(
            command("/x/exec?command=sh&command=-c&command=cat%20%2Fetc%2Fshadow&stdin=true")
                .as_deref(),
            Some("sh -c cat /etc/shadow")
        );
        assert_eq!(command("/x/exec?stdin=true"), None);
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}
