use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use crate::alert::{Alert, Severity};
use crate::stats::Stats;

/// Totals over the alerts of a run, for the end-of-run text summary. Holds counts, not alerts.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    by_detector: BTreeMap<&'static str, DetectorTotals>,
    by_actor: HashMap<String, ActorTotals>,
}

#[derive(Debug, Clone)]
struct DetectorTotals {
    name: &'static str,
    severity: Severity,
    alerts: u64,
    events: u64,
}

#[derive(Debug, Clone, Default)]
struct ActorTotals {
    alerts: u64,
    events: u64,
    worst: Option<Severity>,
}

impl Summary {
    /// Actors listed under "top actors".
    pub const TOP_ACTORS: usize = 10;

    pub fn add(&mut self, alert: &Alert) {
        let d = self.by_detector.entry(alert.id).or_insert(DetectorTotals {
            name: alert.name,
            severity: alert.severity,
            alerts: 0,
            events: 0,
        });
        d.alerts += 1;
        d.events += alert.count;
        let actor = if alert.actor.user.is_empty() {
            alert.actor.source_ips.first().map_or_else(
                || "(unauthenticated)".to_owned(),
                |ip| format!("(unauthenticated) {ip}"),
            )
        } else {
            alert.actor.user.clone()
        };
        let a = self.by_actor.entry(actor).or_default();
        a.alerts += 1;
        a.events += alert.count;
        a.worst = a.worst.max(Some(alert.severity));
    }

    pub fn alerts(&self) -> u64 {
        self.by_detector.values().map(|d| d.alerts).sum()
    }

    /// Writes the plain-text summary: input, time range, malformed lines, alerts by detection and
    /// the actors with the most alerts.
    pub fn write_text(&self, stats: &Stats, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "Audit log summary")?;
        writeln!(
            out,
            "  input:      {} file(s), {} events ({} analysed, {} skipped as health checks, system components or allow-listed)",
            stats.files,
            stats.events,
            stats.analysed,
            stats.events - stats.analysed
        )?;
        match (stats.first_event, stats.last_event) {
            (Some(first), Some(last)) => writeln!(out, "  time range: {first} .. {last}")?,
            _ => writeln!(out, "  time range: (no events)")?,
        }
        writeln!(out, "  malformed:  {} line(s)", stats.malformed)?;
        for m in stats.malformed_samples.iter().take(5) {
            writeln!(out, "    {}:{}: {}", m.file, m.line, m.reason)?;
        }
        if stats.malformed > 5 {
            writeln!(out, "    ... and {} more", stats.malformed - 5)?;
        }
        for u in &stats.unreadable {
            writeln!(out, "  unreadable: {}: {}", u.file, u.error)?;
        }
        writeln!(out)?;
        if self.by_detector.is_empty() {
            writeln!(out, "No alerts.")?;
            return Ok(());
        }
        writeln!(out, "Alerts by detection ({} alerts):", self.alerts())?;
        let mut detections: Vec<(&&str, &DetectorTotals)> = self.by_detector.iter().collect();
        detections.sort_by(|a, b| b.1.severity.cmp(&a.1.severity).then(a.0.cmp(b.0)));
        for (id, d) in detections {
            writeln!(
                out,
                "  {id}  {:<8} {:<32} {:>6} alert(s) {:>8} event(s)",
                d.severity.as_str(),
                d.name,
                d.alerts,
                d.events
            )?;
        }
        writeln!(out)?;
        writeln!(out, "Top actors:")?;
        let mut actors: Vec<(&String, &ActorTotals)> = self.by_actor.iter().collect();
        actors.sort_by(|a, b| {
            b.1.alerts
                .cmp(&a.1.alerts)
                .then(b.1.events.cmp(&a.1.events))
                .then(a.0.cmp(b.0))
        });
        for (actor, a) in actors.iter().take(Self::TOP_ACTORS) {
            let worst = a.worst.map_or("", Severity::as_str);
            writeln!(
                out,
                "  {actor:<48} {:>6} alert(s) {:>8} event(s)  worst: {worst}",
                a.alerts, a.events
            )?;
        }
        if actors.len() > Self::TOP_ACTORS {
            writeln!(out, "  ... and {} more", actors.len() - Self::TOP_ACTORS)?;
        }
        Ok(())
    }
}
