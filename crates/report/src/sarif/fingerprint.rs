//! Fingerprints that let code-scanning services recognise the same alert across runs.

use std::collections::HashMap;

use kubeward_diagnostics::Finding;

/// The `partialFingerprints` key; the version changes if the recipe does.
pub(super) const KEY: &str = "kubeward/v1";

/// Hands out fingerprints, numbering repeats so that two identical findings stay two alerts.
#[derive(Default)]
pub(super) struct Fingerprints {
    seen: HashMap<u64, u32>,
}

impl Fingerprints {
    /// Hash of the rule, the file (`file_key`: its URI, stable across checkouts), the object and the
    /// message. Deliberately not the line: inserting lines above a finding must not make a new alert.
    pub(super) fn next(&mut self, finding: &Finding, file_key: &str) -> String {
        let object = finding
            .object
            .as_ref()
            .map(|o| o.to_string())
            .unwrap_or_default();
        let hash = fnv1a(&[finding.rule_id, file_key, &object, &finding.message]);
        let occurrence = self.seen.entry(hash).or_insert(0);
        *occurrence += 1;
        format!("{hash:016x}:{occurrence}")
    }
}

/// FNV-1a (64 bit) over the parts, each followed by a NUL so that `("ab", "c")` ≠ `("a", "bc")`.
/// Not cryptographic, and does not need to be: it only has to be stable and spread well.
fn fnv1a(parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; with our NUL terminator it is the hash of "a\0".
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
