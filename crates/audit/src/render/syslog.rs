use crate::alert::{Alert, Severity};

/// RFC 5424 header fields the caller chooses.
#[derive(Debug, Clone)]
pub struct SyslogOptions {
    /// Facility number: 4 auth, 10 authpriv (default), 13 log audit, 16..23 local0..7.
    pub facility: u8,
    pub hostname: String,
    pub app_name: String,
}

impl Default for SyslogOptions {
    fn default() -> Self {
        SyslogOptions {
            facility: 10,
            hostname: "-".to_owned(),
            app_name: "kubeward".to_owned(),
        }
    }
}

/// Private enterprise number for the structured-data ID. 32473 is the number RFC 5612 reserves for
/// documentation; a deployment with its own number can post-process the ID.
const SD_ID: &str = "kubeward@32473";

/// One RFC 5424 message (no trailing newline, no octet-count framing):
/// `<PRI>1 TIMESTAMP HOST APP - AUDxxx [kubeward@32473 ...] message`.
pub fn syslog_line(alert: &Alert, options: &SyslogOptions) -> String {
    let severity = match alert.severity {
        Severity::Critical => 2,
        Severity::High => 3,
        Severity::Medium => 4,
        Severity::Low => 5,
        Severity::Info => 6,
    };
    let pri = u16::from(options.facility.min(23)) * 8 + severity;
    let mut sd = format!(
        "[{SD_ID} id=\"{}\" name=\"{}\" severity=\"{}\" user=\"{}\" count=\"{}\" firstSeen=\"{}\" lastSeen=\"{}\" mitre=\"{}\"",
        alert.id,
        alert.name,
        alert.severity,
        sd_escape(&alert.actor.user),
        alert.count,
        alert.first_seen,
        alert.last_seen,
        alert.mitre.id
    );
    if let Some(ip) = alert.actor.source_ips.first() {
        sd.push_str(&format!(" sourceIP=\"{}\"", sd_escape(ip)));
    }
    if let Some(object) = &alert.object {
        sd.push_str(&format!(" resource=\"{}\"", sd_escape(&object.resource)));
        if !object.namespace.is_empty() {
            sd.push_str(&format!(" namespace=\"{}\"", sd_escape(&object.namespace)));
        }
        if !object.name.is_empty() {
            sd.push_str(&format!(" objectName=\"{}\"", sd_escape(&object.name)));
        }
    }
    if let Some(id) = alert.audit_ids.first() {
        sd.push_str(&format!(" auditID=\"{}\"", sd_escape(id)));
    }
    sd.push(']');
    format!(
        "<{pri}>1 {} {} {} - {} {sd} {}: {}",
        alert.first_seen,
        header_field(&options.hostname, 255),
        header_field(&options.app_name, 48),
        alert.id,
        alert.title,
        single_line(&alert.message)
    )
}

/// PARAM-VALUE escaping: `"`, `\` and `]` get a backslash.
fn sd_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    single_line(&out)
}

/// Header fields are printable US-ASCII without spaces, or `-`.
fn header_field(value: &str, max: usize) -> String {
    let cleaned: String = value
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(max)
        .collect();
    if cleaned.is_empty() {
        "-".to_owned()
    } else {
        cleaned
    }
}

fn single_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
