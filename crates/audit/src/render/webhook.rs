use serde_json::{Value, json};

use crate::alert::{Alert, Severity};

/// A generic JSON body for HTTP receivers: `{"source":"kubeward","type":"audit.alert","alert":{...}}`.
pub fn webhook_payload(alert: &Alert) -> Value {
    json!({
        "source": "kubeward",
        "type": "audit.alert",
        "alert": alert,
    })
}

/// A Slack incoming-webhook body (also accepted by Mattermost and Rocket.Chat): a fallback `text` and
/// Block Kit blocks with the facts.
pub fn slack_payload(alert: &Alert) -> Value {
    let emoji = match alert.severity {
        Severity::Critical => ":rotating_light:",
        Severity::High => ":red_circle:",
        Severity::Medium => ":large_orange_circle:",
        Severity::Low => ":large_yellow_circle:",
        Severity::Info => ":information_source:",
    };
    let headline = format!(
        "{emoji} [{}] {} {}: {}",
        alert.severity, alert.id, alert.name, alert.title
    );
    let count = if alert.count > 1 {
        format!(
            "{} times between {} and {}",
            alert.count, alert.first_seen, alert.last_seen
        )
    } else {
        format!("once at {}", alert.first_seen)
    };
    let ips = if alert.actor.source_ips.is_empty() {
        "-".to_owned()
    } else {
        alert.actor.source_ips.join(", ")
    };
    json!({
        "text": format!("{headline}\n{}", alert.message),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": format!("*{}*", escape(&headline))}},
            {"type": "section", "text": {"type": "mrkdwn", "text": escape(&alert.message)}},
            {"type": "section", "fields": [
                {"type": "mrkdwn", "text": format!("*Actor*\n{}", escape(or_dash(&alert.actor.user)))},
                {"type": "mrkdwn", "text": format!("*Source IPs*\n{}", escape(&ips))},
                {"type": "mrkdwn", "text": format!("*Seen*\n{count}")},
                {"type": "mrkdwn", "text": format!("*MITRE ATT&amp;CK*\n{} {}", alert.mitre.id, escape(alert.mitre.name))},
            ]},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": format!("audit IDs: {}", escape(&alert.audit_ids.join(", ")))},
            ]},
        ],
    })
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

/// Slack's three control characters.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
