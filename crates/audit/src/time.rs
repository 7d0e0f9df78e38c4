//! Audit timestamps: RFC 3339 with microseconds (`metav1.MicroTime`), held as microseconds since the
//! Unix epoch so windows and ordering are integer arithmetic. No calendar crate: the API server only
//! writes UTC (`Z`), and offsets are accepted for hand-written input.

use std::fmt;

use serde::{Serialize, Serializer};

/// A point in time, microseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

const MICROS_PER_SEC: i64 = 1_000_000;

impl Timestamp {
    /// Parses `2024-05-01T12:30:00.123456Z` (fraction optional, `Z` or `±hh:mm` offset).
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        let hour = digits(&b[11..13])?;
        let minute = digits(&b[14..16])?;
        let second = digits(&b[17..19])?;
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = &b[19..];
        let mut micros = 0i64;
        if rest.first() == Some(&b'.') {
            let frac_len = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if frac_len == 0 {
                return None;
            }
            let mut scale = 100_000i64;
            for &c in &rest[1..1 + frac_len] {
                micros += i64::from(c - b'0') * scale;
                scale /= 10;
            }
            rest = &rest[1 + frac_len..];
        }
        let offset_secs = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let secs = digits(&[*h1, *h2])? * 3600 + digits(&[*m1, *m2])? * 60;
                if *sign == b'+' { secs } else { -secs }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
        Some(Timestamp(secs * MICROS_PER_SEC + micros))
    }

    /// Seconds since the epoch (floored).
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(MICROS_PER_SEC)
    }

    /// Adds a number of seconds, saturating.
    pub fn plus_seconds(self, secs: u64) -> Timestamp {
        let delta = i64::try_from(secs)
            .unwrap_or(i64::MAX / MICROS_PER_SEC)
            .saturating_mul(MICROS_PER_SEC);
        Timestamp(self.0.saturating_add(delta))
    }
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut n = 0i64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(c - b'0');
    }
    Some(n)
}

// Howard Hinnant's days-from-civil: proleptic Gregorian date to days since 1970-01-01.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with microseconds, the way the API server writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.div_euclid(MICROS_PER_SEC);
        let micros = self.0.rem_euclid(MICROS_PER_SEC);
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        let sod = secs.rem_euclid(86_400);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
            sod / 3600,
            sod % 3600 / 60,
            sod % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_api_server_format() {
        let t = Timestamp::parse("2024-02-29T23:59:58.123456Z").unwrap();
        assert_eq!(t.to_string(), "2024-02-29T23:59:58.123456Z");
        assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z"), Some(Timestamp(0)));
    }

    #[test]
    fn applies_offsets_and_short_fractions() {
        let a = Timestamp::parse("2024-05-01T14:00:00.5+02:00").unwrap();
        let b = Timestamp::parse("2024-05-01T12:00:00.500000Z").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "2024-13-01T00:00:00Z",
            "2024-05-01 12:00",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00:00.Z",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }
}
