//! Recognisers for credential-like values. Shared by every rule that looks for secrets in plain sight
//! (ConfigMaps, environment variables, annotations). Findings from them are always `sensitive`: the
//! value is never printed.

use std::sync::LazyLock;

use regex::Regex;

/// Well-known token formats, with what to call them in a message.
static KNOWN_FORMATS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----",
            "a private key",
        ),
        (r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", "an AWS access key ID"),
        (r"\bgh[pousr]_[A-Za-z0-9]{36,}\b", "a GitHub token"),
        (r"\bgithub_pat_[A-Za-z0-9_]{60,}", "a GitHub token"),
        (r"\bglpat-[A-Za-z0-9_-]{20,}", "a GitLab token"),
        (r"\bxox[abposr]-[A-Za-z0-9-]{10,}", "a Slack token"),
        (r"\bAIza[0-9A-Za-z_-]{35}\b", "a Google API key"),
        (r"\b[sr]k_live_[0-9A-Za-z]{24,}", "a Stripe secret key"),
        (
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            "a JSON Web Token",
        ),
        (
            r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@{}$]+:[^/\s:@{}$]+@",
            "a URL with a password",
        ),
    ]
    .into_iter()
    .filter_map(|(re, what)| Regex::new(re).ok().map(|r| (r, what)))
    .collect()
});

/// Words that make a key name a credential when they end it (`db_password`, `apiKey`, `AUTH_TOKEN`).
const CREDENTIAL_WORDS: [&str; 9] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credentials",
    "credential",
    "passphrase",
];

/// Two-word endings (`api_key`, `secret_key`, `private_key`, `access_key`, `client_secret`).
const CREDENTIAL_PAIRS: [(&str, &str); 6] = [
    ("api", "key"),
    ("secret", "key"),
    ("private", "key"),
    ("access", "key"),
    ("client", "secret"),
    ("auth", "key"),
];

/// Splits `dbPassword`, `DB_PASSWORD`, `db.password`, `db-password` into lowercase words.
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a key names a credential. Only the last word(s) count, so `password_min_length`,
/// `token_ttl`, `secret_name` and `max_connections` are not credentials.
pub(crate) fn is_credential_key(key: &str) -> bool {
    let w = words(key);
    let Some(last) = w.last() else {
        return false;
    };
    if CREDENTIAL_WORDS.contains(&last.as_str()) {
        return true;
    }
    w.len() >= 2 && CREDENTIAL_PAIRS.contains(&(w[w.len() - 2].as_str(), last.as_str()))
}

/// Values that are clearly not a secret: empty, references and templates, booleans and numbers.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.len() < 4
        || v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with("$(")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.parse::<f64>().is_ok()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "none" | "null" | "redacted" | "********"
        )
        || v.chars().all(|c| c == '*' || c == 'x' || c == 'X')
}

/// What a value looks like, when it looks like a credential. `key` is the name it is stored under.
pub(crate) fn classify(key: &str, value: &str) -> Option<&'static str> {
    if let Some((_, what)) = KNOWN_FORMATS.iter().find(|(re, _)| re.is_match(value)) {
        return Some(what);
    }
    if is_credential_key(key) && !is_placeholder(value) && !value.contains('\n') {
        return Some("a credential (by its key name)");
    }
    // Embedded configuration files: `key = value`, `key: value`, `export KEY=value` lines.
    if value.contains('\n') {
        for line in value.lines() {
            let line = line.trim().trim_start_matches("export ");
            let Some((k, v)) = line.split_once(['=', ':']) else {
                continue;
            };
            let v = v.trim().trim_matches(['"', '\'']);
            if is_credential_key(k.trim()) && !is_placeholder(v) {
                return Some("a credential in an embedded file");
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names() {
        for k in [
            "password",
            "db_password",
            "dbPassword",
            "DB_PASSWORD",
            "api_key",
            "apiKey",
            "client-secret",
            "AUTH_TOKEN",
            "smtp.passwd",
        ] {
            assert!(is_credential_key(k), "{k}");
        }
        for k in [
            "max_connections",
            "password_min_length",
            "token_ttl",
            "secret_name",
            "secretName",
            "keyspace",
            "tokenizer",
            "monkey",
        ] {
            assert!(!is_credential_key(k), "{k}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(
            classify("x", "AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key ID")
        );
        assert_eq!(
            classify("url", "postgres://app:hunter22@db:5432/x"),
            Some("a URL with a password")
        );
        assert_eq!(classify("url", "postgres://app@db:5432/x"), None);
        assert_eq!(classify("url", "postgres://${USER}:${PASS}@db/x"), None);
        assert_eq!(
            classify("db_password", "s3cr3t-value"),
            Some("a credential (by its key name)")
        );
        assert_eq!(classify("db_password", "${DB_PASSWORD}"), None);
        assert_eq!(classify("max_connections", "2048"), None);
        assert_eq!(
            classify("app.properties", "a=1\ndb.password=hunter22\n"),
            Some("a credential in an embedded file")
        );
        assert_eq!(
            classify("app.properties", "a=1\npassword.min.length=8\n"),
            None
        );
    }
}
