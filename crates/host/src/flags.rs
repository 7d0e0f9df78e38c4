//! Command lines as the Kubernetes components read them (spf13/pflag rules): `--flag=value`,
//! `--flag value`, a bare `--flag` meaning `true` for boolean flags, repeated flags. Every value keeps the
//! file and line it came from.

use serde::Serialize;

use crate::facts::Origin;

/// Flags that pflag declares boolean: a following token is never their value (`--profiling false` would
/// leave `false` as a stray argument, and profiling on).
const BOOLEAN_FLAGS: &[&str] = &[
    "allow-privileged",
    "anonymous-auth",
    "auto-tls",
    "client-cert-auth",
    "enable-bootstrap-token-auth",
    "enable-server",
    "make-iptables-util-chains",
    "peer-auto-tls",
    "peer-client-cert-auth",
    "profiling",
    "protect-kernel-defaults",
    "rotate-certificates",
    "rotate-server-certificates",
    "seccomp-default",
    "service-account-extend-token-expiration",
    "service-account-lookup",
    "use-service-account-credentials",
    "leader-elect",
    "fail-swap-on",
];

/// One flag occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// Name without leading dashes.
    pub name: String,
    /// Value; `true` for a bare boolean flag.
    pub value: String,
    pub origin: Origin,
}

/// All flag occurrences of one command line, in order. Lookups follow pflag: the last occurrence wins
/// for scalar flags; list flags (`--enable-admission-plugins`, `--tls-cipher-suites`) accumulate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Flags {
    entries: Vec<Flag>,
}

/// A command-line token and where it was written.
#[derive(Debug, Clone)]
pub struct Token {
    pub text: String,
    pub origin: Origin,
}

impl Flags {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse tokens of a command line. Tokens before the first `-` token (the binary, `ps` columns) and
    /// stray positional tokens are ignored.
    pub fn parse(tokens: &[Token]) -> Self {
        let mut flags = Flags::new();
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            i += 1;
            let Some(body) = strip_dashes(&token.text) else {
                continue;
            };
            if body.is_empty() {
                continue;
            }
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let next_is_value = tokens
                        .get(i)
                        .is_some_and(|t| !t.text.starts_with('-') && !is_boolean(body));
                    if next_is_value {
                        let v = tokens[i].text.clone();
                        i += 1;
                        (body.to_string(), v)
                    } else {
                        (body.to_string(), "true".to_string())
                    }
                }
            };
            flags.entries.push(Flag {
                name,
                value,
                origin: token.origin.clone(),
            });
        }
        flags
    }

    /// Parse a plain string command line (whitespace separated, as `/proc/PID/cmdline` or `ps` shows it).
    pub fn parse_str(cmdline: &str, origin: &Origin) -> Self {
        let tokens: Vec<Token> = cmdline
            .split_whitespace()
            .map(|t| Token {
                text: t.to_string(),
                origin: origin.clone(),
            })
            .collect();
        Self::parse(&tokens)
    }

    pub fn push(&mut self, name: &str, value: &str, origin: Origin) {
        self.entries.push(Flag {
            name: name.trim_start_matches('-').to_string(),
            value: value.to_string(),
            origin,
        });
    }

    /// Append every occurrence of `other` after ours (later occurrences win).
    pub fn extend(&mut self, other: &Flags) {
        self.entries.extend(other.entries.iter().cloned());
    }

    /// The effective occurrence of a scalar flag: the last one.
    pub fn get(&self, name: &str) -> Option<&Flag> {
        self.entries.iter().rev().find(|f| f.name == name)
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Elements of a comma-separated list flag. pflag's string-slice flags append across repeats, so
    /// every occurrence contributes. Each element keeps its origin.
    pub fn list(&self, name: &str) -> Vec<(String, &Origin)> {
        self.entries
            .iter()
            .filter(|f| f.name == name)
            .flat_map(|f| {
                f.value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(move |s| (s.to_string(), &f.origin))
            })
            .collect()
    }

    /// A feature gate from every `--feature-gates` occurrence (`A=true,B=false`); later ones win.
    pub fn feature_gate(&self, gate: &str) -> Option<(bool, &Origin)> {
        let mut found = None;
        for (item, origin) in self.list("feature-gates") {
            if let Some((k, v)) = item.split_once('=')
                && k.trim() == gate
            {
                found = parse_bool(v.trim()).map(|b| (b, origin));
            }
        }
        found
    }

    pub fn iter(&self) -> impl Iterator<Item = &Flag> {
        self.entries.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn strip_dashes(token: &str) -> Option<&str> {
    if !token.starts_with('-') {
        return None;
    }
    Some(token.trim_start_matches('-'))
}

fn is_boolean(name: &str) -> bool {
    BOOLEAN_FLAGS.contains(&name)
}

/// Go's `strconv.ParseBool`, which pflag uses for boolean flags.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Split a shell-like line into words: whitespace separates, single and double quotes group, a backslash
/// escapes the next character. Enough for systemd `ExecStart=` and environment files.
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => {
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    current.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Flags {
        Flags::parse_str(line, &Origin::new("/test"))
    }

    #[test]
    fn equals_space_and_bare_boolean_forms() {
        let f = parse("kube-apiserver --a=1 --b 2 --anonymous-auth --profiling false --c");
        assert_eq!(f.get("a").map(|f| f.value.as_str()), Some("1"));
        assert_eq!(f.get("b").map(|f| f.value.as_str()), Some("2"));
        assert_eq!(
            f.get("anonymous-auth").map(|f| f.value.as_str()),
            Some("true")
        );
        // pflag never gives a boolean flag the next token.
        assert_eq!(f.get("profiling").map(|f| f.value.as_str()), Some("true"));
        assert_eq!(f.get("c").map(|f| f.value.as_str()), Some("true"));
    }

    #[test]
    fn repeated_flags_last_wins_and_lists_accumulate() {
        let f = parse("x --v=1 --v=2 --enable-admission-plugins=A,B --enable-admission-plugins=C");
        assert_eq!(f.get("v").map(|f| f.value.as_str()), Some("2"));
        let list: Vec<String> = f
            .list("enable-admission-plugins")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(list, ["A", "B", "C"]);
    }

    #[test]
    fn feature_gates_merge() {
        let f = parse("x --feature-gates=A=true,B=false --feature-gates=A=false");
        assert_eq!(f.feature_gate("A").map(|g| g.0), Some(false));
        assert_eq!(f.feature_gate("B").map(|g| g.0), Some(false));
        assert_eq!(f.feature_gate("C"), None);
    }

    #[test]
    fn words_honour_quotes() {
        assert_eq!(
            split_words(r#"a "b c" 'd e' f\ g"#),
            ["a", "b c", "d e", "f g"]
        );
    }
}
