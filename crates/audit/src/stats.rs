//! Counters of one analysis: what was read, skipped and refused, and over which time range.

use serde::Serialize;

use crate::time::Timestamp;

/// A line (or batch item) that is not an audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Malformed {
    pub file: String,
    /// 1-based line; 0 when the whole input was refused.
    pub line: u64,
    pub reason: String,
}

impl Malformed {
    const MAX_REASON: usize = 200;

    pub fn new(file: &str, line: u64, reason: &str) -> Malformed {
        let mut end = reason.len().min(Self::MAX_REASON);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        Malformed {
            file: file.to_owned(),
            line,
            reason: reason[..end].to_owned(),
        }
    }
}

/// An input that could not be read at all, or stopped being readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub file: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Lines parsed as audit events.
    pub events: u64,
    /// Events the detectors looked at (not health checks, system components or allow-listed).
    pub analysed: u64,
    pub malformed: u64,
    /// The first [`Stats::MAX_MALFORMED_SAMPLES`] malformed lines.
    pub malformed_samples: Vec<Malformed>,
    pub unreadable: Vec<Unreadable>,
    pub files: u64,
    pub first_event: Option<Timestamp>,
    pub last_event: Option<Timestamp>,
    pub alerts: u64,
}

impl Stats {
    pub const MAX_MALFORMED_SAMPLES: usize = 100;

    pub(crate) fn count_event(&mut self, time: Option<Timestamp>, analysed: bool) {
        self.events += 1;
        if analysed {
            self.analysed += 1;
        }
        if let Some(t) = time {
            self.see_time(t);
        }
    }

    pub(crate) fn see_time(&mut self, t: Timestamp) {
        self.first_event = Some(self.first_event.map_or(t, |f| f.min(t)));
        self.last_event = Some(self.last_event.map_or(t, |l| l.max(t)));
    }

    pub(crate) fn add_malformed(&mut self, malformed: Malformed) {
        self.malformed += 1;
        if self.malformed_samples.len() < Self::MAX_MALFORMED_SAMPLES {
            self.malformed_samples.push(malformed);
        }
    }

    /// Adds a worker's partial counts.
    pub(crate) fn merge(&mut self, other: Stats) {
        self.events += other.events;
        self.analysed += other.analysed;
        self.malformed += other.malformed;
        for m in other.malformed_samples {
            if self.malformed_samples.len() < Self::MAX_MALFORMED_SAMPLES {
                self.malformed_samples.push(m);
            }
        }
        self.unreadable.extend(other.unreadable);
        self.files += other.files;
        if let Some(t) = other.first_event {
            self.see_time(t);
        }
        if let Some(t) = other.last_event {
            self.see_time(t);
        }
        self.alerts += other.alerts;
    }
}
