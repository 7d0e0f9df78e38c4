//! Scalar resolution with the rules Kubernetes uses.
//!
//! kubectl and the API server convert YAML with sigs.k8s.io/yaml, a fork of go-yaml v2, which follows the
//! YAML 1.1 type repository: `yes`, `on` and `y` are booleans, `0644` is octal, `1_000` is an integer. A
//! scanner that used YAML 1.2 rules would read `privileged: yes` as the string "yes" and miss a privileged
//! container, so every rule here mirrors go-yaml v2's `resolve.go`.

use crate::node::Value;

/// Tags that change how a scalar resolves (go-yaml v2's `resolvableTag`); any other tag keeps the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarTag {
    /// No tag: plain resolution.
    Implicit,
    Str,
    Bool,
    Int,
    Float,
    Null,
    Binary,
    /// A tag go-yaml does not resolve (custom `!foo`, `!!timestamp`): the value stays a string.
    Other,
}

/// Resolves a plain (unquoted) scalar, or a scalar with a resolvable tag, to a value.
///
/// Quoted and block scalars never come here: go-yaml v2 gives them the `!!str` tag.
pub fn resolve_plain(text: &str, tag: ScalarTag) -> Value {
    match tag {
        ScalarTag::Str | ScalarTag::Binary | ScalarTag::Other => return Value::Str(text.into()),
        ScalarTag::Null => return Value::Null,
        ScalarTag::Implicit | ScalarTag::Bool | ScalarTag::Int | ScalarTag::Float => {}
    }
    if let Some(v) = resolve_keyword(text) {
        return v;
    }
    if let Some(v) = resolve_number(text) {
        return v;
    }
    Value::Str(text.into())
}

/// The fixed spellings of go-yaml v2's resolve table.
fn resolve_keyword(text: &str) -> Option<Value> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Integers (`strconv.ParseInt(s, 0, 64)` after removing underscores), then YAML-style floats, then
/// `0b` binary — in go-yaml v2's order. Only text starting with a digit, sign or dot is a candidate.
fn resolve_number(text: &str) -> Option<Value> {
    let first = text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Some(Value::Int(i));
    }
    if let Some(u) = parse_go_uint(&plain) {
        // Beyond i64: Go keeps a uint64; JSON consumers see a float. Keep the magnitude.
        return Some(Value::Float(u as f64));
    }
    if is_yaml_style_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return Some(Value::Float(f));
    }
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.as_str()),
    };
    if let Some(bin) = digits.strip_prefix("0b")
        && let Ok(v) = i64::from_str_radix(bin, 2)
    {
        return Some(Value::Int(if negative { -v } else { v }));
    }
    None
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`/`0o`/`0b` prefixes or a leading `0` for octal.
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_go_unsigned_body(body)?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseUint(s, 0, 64)`: no sign allowed.
fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    parse_go_unsigned_body(s)
}

fn parse_go_unsigned_body(body: &str) -> Option<u64> {
    if body.is_empty() {
        return None;
    }
    let lower = body.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The string a resolved mapping key becomes after sigs.k8s.io/yaml's conversion to JSON, where every
/// key must be a string: `yes:` becomes the key "true", `0644:` becomes "420". A null or collection key
/// has no JSON form: Kubernetes rejects the document, and so do we (`None`).
pub fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(crate::node::format_float(*f)),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Value {
        resolve_plain(s, ScalarTag::Implicit)
    }

    #[test]
    fn every_go_yaml_v2_boolean_spelling() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        ] {
            assert_eq!(plain(t), Value::Bool(true), "{t}");
        }
        for f in [
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        ] {
            assert_eq!(plain(f), Value::Bool(false), "{f}");
        }
        // Mixed case outside the table stays a string, as in go-yaml v2.
        for s in ["yEs", "tRUE", "oN", "nO"] {
            assert_eq!(plain(s), Value::Str(s.into()), "{s}");
        }
    }

    #[test]
    fn nulls() {
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(n), Value::Null, "{n:?}");
        }
        assert_eq!(plain("nULL"), Value::Str("nULL".into()));
    }

    #[test]
    fn integers_follow_go_parse_int_base_zero() {
        assert_eq!(plain("0644"), Value::Int(420));
        assert_eq!(plain("0o644"), Value::Int(420));
        assert_eq!(plain("0x1F"), Value::Int(31));
        assert_eq!(plain("0b101"), Value::Int(5));
        assert_eq!(plain("-0b101"), Value::Int(-5));
        assert_eq!(plain("1_000"), Value::Int(1000));
        assert_eq!(plain("+12"), Value::Int(12));
        assert_eq!(plain("-0"), Value::Int(0));
        assert_eq!(plain("0"), Value::Int(0));
        assert_eq!(plain("9223372036854775807"), Value::Int(i64::MAX));
        assert_eq!(plain("-9223372036854775808"), Value::Int(i64::MIN));
    }

    #[test]
    fn invalid_octal_falls_through_to_float() {
        // strconv.ParseInt("08", 0, 64) fails; the float pattern matches.
        assert_eq!(plain("08"), Value::Float(8.0));
        assert_eq!(plain("0999"), Value::Float(999.0));
    }

    #[test]
    fn floats() {
        assert_eq!(plain("1.5"), Value::Float(1.5));
        assert_eq!(plain(".5"), Value::Float(0.5));
        assert_eq!(plain("1e3"), Value::Float(1000.0));
        assert_eq!(plain("-2.5E-1"), Value::Float(-0.25));
        assert_eq!(plain("1."), Value::Float(1.0));
        assert_eq!(plain(".inf"), Value::Float(f64::INFINITY));
        assert!(matches!(plain(".NaN"), Value::Float(f) if f.is_nan()));
    }

    #[test]
    fn things_that_stay_strings() {
        for s in [
            "1.2.3",
            "v1",
            "12Mi",
            "500m",
            "1e",
            "0x",
            "+",
            "-",
            ".",
            "2001-12-14",
            "1:30",
        ] {
            assert_eq!(plain(s), Value::Str(s.into()), "{s}");
        }
    }

    #[test]
    fn tags() {
        assert_eq!(
            resolve_plain("yes", ScalarTag::Str),
            Value::Str("yes".into())
        );
        assert_eq!(
            resolve_plain("yes", ScalarTag::Other),
            Value::Str("yes".into())
        );
        assert_eq!(resolve_plain("yes", ScalarTag::Bool), Value::Bool(true));
        assert_eq!(resolve_plain("x", ScalarTag::Null), Value::Null);
    }

    #[test]
    fn keys_become_json_strings() {
        assert_eq!(key_text(&Value::Bool(true)).as_deref(), Some("true"));
        assert_eq!(key_text(&Value::Int(420)).as_deref(), Some("420"));
        assert_eq!(key_text(&Value::Null), None);
    }
}
