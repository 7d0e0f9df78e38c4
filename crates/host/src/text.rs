//! Text helpers shared by the collectors: YAML as Kubernetes reads it, and line lookups so facts parsed
//! from structured files can still point at a line.

use serde_saphyr::{DuplicateKeyPolicy, Options};

fn k8s_options() -> Options {
    let mut options = Options::default();
    options.legacy_octal_numbers = true;
    options.strict_booleans = false;
    options.duplicate_keys = DuplicateKeyPolicy::LastWins;
    options
}

/// Parse YAML (or JSON) the way Kubernetes' `sigs.k8s.io/yaml` does: YAML 1.1 scalars (`yes`/`on` are
/// true, `0644` is octal), duplicate keys allowed with the last one winning.
pub fn parse_yaml(text: &str) -> Result<serde_json::Value, String> {
    let options = k8s_options();
    serde_saphyr::from_str_with_options::<serde_json::Value>(text, options)
        .map_err(|e| e.to_string())
}

/// 1-based line of a nested key path in YAML or JSON text: each key is looked for after the previous
/// one, deeper-indented. Good enough for configuration files; `None` when not found.
pub fn find_key_line(text: &str, keys: &[&str]) -> Option<u32> {
    find_key_pos(text, keys).map(|p| p.0)
}

/// 1-based column (in characters) of the first occurrence of `needle` in `line`.
pub fn column_of(line: &str, needle: &str) -> Option<u32> {
    line.find(needle)
        .map(|b| line[..b].chars().count() as u32 + 1)
}

/// 1-based column of a line's first non-blank character.
pub fn indent_column(line: &str) -> u32 {
    (line.chars().count() - line.trim_start().chars().count()) as u32 + 1
}

/// Line and column of the last key of a nested key path (see [`find_key_line`]).
pub fn find_key_pos(text: &str, keys: &[&str]) -> Option<(u32, u32)> {
    let mut start = 0usize;
    let mut min_indent = 0usize;
    let lines: Vec<&str> = text.lines().collect();
    let mut found = None;
    for key in keys {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if found.is_some() && indent < min_indent && !trimmed.is_empty() && !is_json(text) {
                break;
            }
            let t = trimmed
                .trim_start_matches("- ")
                .trim_start_matches('{')
                .trim_start();
            if key_matches(t, key) {
                hit = Some((i, indent));
                break;
            }
        }
        let (i, indent) = hit?;
        start = i + 1;
        min_indent = indent + 1;
        found = Some(i);
    }
    let last = keys.last()?;
    found.map(|i| {
        let line = lines[i];
        (
            i as u32 + 1,
            column_of(line, last).unwrap_or(indent_column(line)),
        )
    })
}

fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn key_matches(t: &str, key: &str) -> bool {
    for quote in ["", "\"", "'"] {
        let candidate = format!("{quote}{key}{quote}");
        if let Some(rest) = t.strip_prefix(&candidate)
            && rest.trim_start().starts_with(':')
        {
            return true;
        }
    }
    false
}

/// 1-based line of the first line at or after `from` (0-based) containing `needle`.
pub fn find_line_from(lines: &[&str], from: usize, needle: &str) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_11_booleans_and_octal() {
        let v = parse_yaml("a: yes\nb: off\nc: 0644\nd: \"yes\"\n").unwrap();
        assert_eq!(v["a"], serde_json::json!(true));
        assert_eq!(v["b"], serde_json::json!(false));
        assert_eq!(v["c"], serde_json::json!(420));
        assert_eq!(v["d"], serde_json::json!("yes"));
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let v = parse_yaml("a: 1\na: 2\n").unwrap();
        assert_eq!(v["a"], serde_json::json!(2));
    }

    #[test]
    fn nested_key_lines() {
        let text = "kind: X\nauthentication:\n  webhook:\n    enabled: true\n  anonymous:\n    enabled: false\n";
        assert_eq!(
            find_key_line(text, &["authentication", "anonymous", "enabled"]),
            Some(6)
        );
        assert_eq!(
            find_key_line(text, &["authentication", "webhook", "enabled"]),
            Some(4)
        );
        assert_eq!(find_key_line(text, &["missing"]), None);
        let json = "{\n  \"readOnlyPort\": 0,\n  \"authentication\": {\"anonymous\": {\"enabled\": false}}\n}";
        assert_eq!(find_key_line(json, &["readOnlyPort"]), Some(2));
        assert_eq!(find_key_pos(json, &["readOnlyPort"]), Some((2, 4)));
        assert_eq!(
            find_key_pos(text, &["authentication", "anonymous", "enabled"]),
            Some((6, 5))
        );
    }
}
