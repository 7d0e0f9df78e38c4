//! kube-bench's comparison operators, with the semantics its own unit tests record
//! (`test-semantics/oracle.json`, replayed in `tests/kube_bench_semantics.rs`). Our checks use these where
//! kube-bench does, so a value passes or fails the same way in both tools. `regex` is not implemented.

/// A kube-bench `compare.op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    NotEq,
    Gt,
    Gte,
    Lt,
    Lte,
    /// Substring, case-sensitive (`strings.Contains`), not list membership.
    Has,
    NotHave,
    /// Every comma-separated element of the value is in the comma-separated allowed list.
    ValidElements,
    /// Octal file mode is no more permissive than the given mode.
    Bitmask,
}

impl Op {
    /// The op for kube-bench's name; `None` for unknown names (kube-bench then fails the test).
    pub fn from_name(name: &str) -> Option<Op> {
        Some(match name {
            "eq" => Op::Eq,
            "noteq" => Op::NotEq,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "has" => Op::Has,
            "nothave" => Op::NotHave,
            "valid_elements" => Op::ValidElements,
            "bitmask" => Op::Bitmask,
            _ => return None,
        })
    }

    /// Apply the op to a flag value and the benchmark's expected value.
    pub fn test(self, value: &str, expected: &str) -> bool {
        match self {
            Op::Eq => value == expected,
            Op::NotEq => value != expected,
            Op::Gt => ints(value, expected).is_some_and(|(a, b)| a > b),
            Op::Gte => ints(value, expected).is_some_and(|(a, b)| a >= b),
            Op::Lt => ints(value, expected).is_some_and(|(a, b)| a < b),
            Op::Lte => ints(value, expected).is_some_and(|(a, b)| a <= b),
            Op::Has => value.contains(expected),
            Op::NotHave => !value.contains(expected),
            Op::ValidElements => valid_elements(value, expected),
            Op::Bitmask => match (
                u32::from_str_radix(value, 8),
                u32::from_str_radix(expected, 8),
            ) {
                (Ok(mode), Ok(max)) => mode & !max == 0,
                _ => false,
            },
        }
    }
}

/// Go's `strconv.Atoi` on both sides.
fn ints(a: &str, b: &str) -> Option<(i64, i64)> {
    Some((a.parse().ok()?, b.parse().ok()?))
}

fn valid_elements(value: &str, allowed: &str) -> bool {
    if value.is_empty() && allowed.is_empty() {
        return true;
    }
    if value.is_empty() || allowed.is_empty() {
        return false;
    }
    let allowed: Vec<&str> = allowed.split(',').collect();
    value.split(',').all(|v| allowed.contains(&v))
}

/// A mode is at most as permissive as `max` (no bit set that `max` lacks).
pub fn mode_within(mode: u32, max: u32) -> bool {
    mode & 0o7777 & !max == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmask_examples() {
        assert!(Op::Bitmask.test("640", "644"));
        assert!(!Op::Bitmask.test("211", "644"));
        assert!(!Op::Bitmask.test("Harry", "644"));
    }
}
