//! Message building in Pod Security Admission's wording, so a reader who knows the API server's
//! `violates PodSecurity` errors recognises ours.

pub(crate) fn pluralize(
    singular: &'static str,
    plural: &'static str,
    count: usize,
) -> &'static str {
    if count == 1 { singular } else { plural }
}

/// `"a", "b"`.
pub(crate) fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `container "a"` / `containers "a", "b"`.
pub(crate) fn containers(names: &[&str]) -> String {
    format!(
        "{} {}",
        pluralize("container", "containers", names.len()),
        join_quote(names)
    )
}

/// Sorted, deduplicated copy (Go's `sets.String.List()`).
pub(crate) fn sorted_set<S: AsRef<str>>(items: &[S]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| s.as_ref().to_string()).collect();
    v.sort();
    v.dedup();
    v
}

/// Go's `%q` for the strings that occur in manifests: quotes and backslashes escaped.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
