//! The output formats and how users spell them on the command line.

use std::fmt;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Human-readable, grouped by file and object, with source snippets.
    Text,
    /// The `kubeward/scan/v1` JSON document (`schema/scan-v1.schema.json`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
    /// Markdown tables, for pull-request comments.
    Markdown,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Markdown,
    ];

    /// The name users type (`--format sarif`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text named no output format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format `{given}` (expected one of: text, json, sarif, junit, markdown){}",
    .suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
pub struct ParseFormatError {
    pub given: String,
    /// The closest format name, when the text looks like a typo of one.
    pub suggestion: Option<&'static str>,
}

impl FromStr for Format {
    type Err = ParseFormatError;

    /// Accepts the names case-insensitively, plus the aliases `md` and `xml`/`junit-xml`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let format = match lower.as_str() {
            "text" | "txt" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" | "junit-xml" | "xml" => Format::Junit,
            "markdown" | "md" => Format::Markdown,
            _ => {
                let suggestion = Format::ALL
                    .iter()
                    .map(|f| f.as_str())
                    .filter(|name| edit_distance(name, &lower) <= 2)
                    .min_by_key(|name| edit_distance(name, &lower));
                return Err(ParseFormatError {
                    given: s.to_string(),
                    suggestion,
                });
            }
        };
        Ok(format)
    }
}

/// Levenshtein distance; the format names are short, so the quadratic table is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let best = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
            row.push(best);
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_aliases() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(f.as_str().to_uppercase().parse::<Format>(), Ok(f));
        }
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
    }

    #[test]
    fn unknown_format_lists_formats_and_suggests() {
        let err = "sarfi".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown output format `sarfi` (expected one of: text, json, sarif, junit, markdown); \
             did you mean `sarif`?"
        );
        let err = "yaml-ish".parse::<Format>().unwrap_err();
        assert_eq!(err.suggestion, None);
        assert!(err.to_string().ends_with("markdown)"));
    }
}
