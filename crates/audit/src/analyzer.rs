//! The engine: detectors over events, then burst windows and deduplication.
//!
//! Detection is split in two so it can run on several threads: [`Detection::detect`] is a pure
//! function of one event (any thread, any order) producing [`Hit`]s; [`Analyzer`] folds hits, in input
//! order, into alerts (bursts need counts over time, deduplication needs the previous alert). Hits are
//! rare, so the sequential part is cheap and the parallel result equals the sequential one.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::alert::{Actor, Alert, DetectorMeta, Location, ObjectRef};
use crate::config::AuditConfig;
use crate::detectors::{self, BurstSpec, Context, Detector};
use crate::event::{Event, Stage};
use crate::identity::skip_reason;
use crate::stats::{Malformed, Stats};
use crate::time::Timestamp;

/// Where an event was read: file (or `<stdin>`, `<webhook>`) and 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position<'a> {
    pub file: &'a str,
    pub line: u64,
}

/// One detector firing on one event, before windows and deduplication.
#[derive(Debug)]
pub(crate) struct Hit {
    meta: &'static DetectorMeta,
    message: String,
    actor: Actor,
    object: Option<ObjectRef>,
    verb: String,
    request_uri: String,
    time: Timestamp,
    audit_id: String,
    location: Location,
    burst: Option<BurstSpec>,
    dedup_target: String,
    started: bool,
}

/// The detectors the configuration enables, with the configuration. Shared by worker threads.
pub(crate) struct Detection {
    ctx: Context,
    detectors: Vec<&'static Detector>,
}

impl Detection {
    pub fn new(config: AuditConfig) -> Detection {
        let detectors = detectors::enabled(&config);
        Detection {
            ctx: Context::new(config),
            detectors,
        }
    }

    /// Runs every detector on the event; returns whether the event was analysed (not skipped).
    pub fn detect(&self, event: &Event<'_>, position: Position<'_>, hits: &mut Vec<Hit>) -> bool {
        if skip_reason(&self.ctx.config, event).is_some() {
            return false;
        }
        for detector in &self.detectors {
            let Some(finding) = (detector.check)(&self.ctx, event) else {
                continue;
            };
            let object = ObjectRef::from_event(event);
            let dedup_target = finding.dedup_target.unwrap_or_else(|| match &object {
                Some(o) => format!(
                    "{}/{}/{}/{}/{}",
                    o.api_group, o.resource, o.subresource, o.namespace, o.name
                ),
                None => event.path().to_owned(),
            });
            hits.push(Hit {
                meta: detector.meta,
                message: finding.message,
                actor: Actor::from_event(event),
                object,
                verb: event.verb.to_string(),
                request_uri: event.request_uri.to_string(),
                time: event.time().unwrap_or_default(),
                audit_id: event.audit_id.to_string(),
                location: Location {
                    file: position.file.to_owned(),
                    line: position.line,
                },
                burst: finding.burst,
                dedup_target,
                started: event.stage == Stage::ResponseStarted,
            });
        }
        true
    }
}

/// Folds events into alerts. Feed events in the order they were logged; call [`Analyzer::finish`] at
/// the end of the input to get the alerts still open.
///
/// An alert is emitted when its deduplication window closes (event time passes `first_seen +
/// dedup-window`), so a live reader should also call [`Analyzer::flush_expired`] from a timer. For an
/// alert per event as soon as it is seen, set `dedup-window: 0s` and call `flush_expired` with the
/// current time after each batch.
pub struct Analyzer {
    detection: Arc<Detection>,
    stats: Stats,
    now: Timestamp,
    next_sweep: Timestamp,
    open: HashMap<(&'static str, String, String), Alert>,
    bursts: HashMap<(&'static str, String), VecDeque<Hit>>,
    started: HashMap<(&'static str, String), Timestamp>,
    hits: Vec<Hit>,
}

/// Event-time interval between sweeps of closed windows.
const SWEEP_EVERY_MICROS: i64 = 5_000_000;
/// Bound on remembered ResponseStarted hits, so memory stays flat on hostile input.
const MAX_STARTED: usize = 100_000;
/// How long a ResponseStarted hit waits for its ResponseComplete twin.
const STARTED_MEMORY_MICROS: i64 = 6 * 3600 * 1_000_000;

impl Analyzer {
    pub fn new(config: AuditConfig) -> Analyzer {
        Analyzer {
            detection: Arc::new(Detection::new(config)),
            stats: Stats::default(),
            now: Timestamp(i64::MIN),
            next_sweep: Timestamp(i64::MIN),
            open: HashMap::new(),
            bursts: HashMap::new(),
            started: HashMap::new(),
            hits: Vec::new(),
        }
    }

    pub fn config(&self) -> &AuditConfig {
        &self.detection.ctx.config
    }

    /// Counters so far: events, skipped, malformed lines, time range.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    pub(crate) fn detection(&self) -> Arc<Detection> {
        Arc::clone(&self.detection)
    }

    pub(crate) fn stats_mut(&mut self) -> &mut Stats {
        &mut self.stats
    }

    /// Analyses one event; returns the alerts whose window closed.
    pub fn feed(&mut self, event: &Event<'_>, position: Position<'_>) -> Vec<Alert> {
        let mut hits = std::mem::take(&mut self.hits);
        let analysed = self.detection.detect(event, position, &mut hits);
        self.stats.count_event(event.time(), analysed);
        let mut out = Vec::new();
        for hit in hits.drain(..) {
            self.sink(hit, &mut out);
        }
        self.hits = hits;
        if let Some(time) = event.time() {
            self.advance(time, &mut out);
        }
        out
    }

    /// Parses and analyses one line; a line that is not an audit event is counted as malformed.
    pub fn feed_line(&mut self, line: &[u8], position: Position<'_>) -> Vec<Alert> {
        match Event::from_json(line) {
            Ok(event) => self.feed(&event, position),
            Err(e) => {
                self.report_malformed(Malformed::new(position.file, position.line, &e.to_string()));
                Vec::new()
            }
        }
    }

    /// Analyses a webhook `EventList` batch. Items that are not events are counted as malformed
    /// with their index (1-based) as line.
    pub fn feed_event_list(&mut self, body: &[u8], source: &str) -> Vec<Alert> {
        let list = match crate::event::EventList::from_json(body) {
            Ok(list) => list,
            Err(e) => {
                self.report_malformed(Malformed::new(source, 0, &e.to_string()));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            let position = Position {
                file: source,
                line: i as u64 + 1,
            };
            out.extend(self.feed_line(item.get().as_bytes(), position));
        }
        out
    }

    /// Records a line that could not be analysed.
    pub fn report_malformed(&mut self, malformed: Malformed) {
        self.stats.add_malformed(malformed);
    }

    /// Emits alerts whose deduplication window ended before `now` (e.g. wall-clock time in follow
    /// mode, when no new events move event time forward).
    pub fn flush_expired(&mut self, now: Timestamp) -> Vec<Alert> {
        let mut out = Vec::new();
        self.sweep(now, &mut out);
        out
    }

    /// Emits every open alert. The analyzer stays usable.
    pub fn finish(&mut self) -> Vec<Alert> {
        let mut out: Vec<Alert> = self.open.drain().map(|(_, a)| a).collect();
        sort_alerts(&mut out);
        self.stats.alerts += out.len() as u64;
        out
    }

    pub(crate) fn sink(&mut self, mut hit: Hit, out: &mut Vec<Alert>) {
        // Long-running requests are logged at ResponseStarted and again at ResponseComplete: one alert.
        // Bursts count refusals, which are final at their only stage.
        if hit.burst.is_none() && !hit.audit_id.is_empty() {
            let twin = (hit.meta.id, hit.audit_id.clone());
            if hit.started {
                if self.started.len() >= MAX_STARTED {
                    self.started.clear();
                }
                self.started.insert(twin, hit.time);
            } else if self.started.remove(&twin).is_some() {
                return;
            }
        }
        let (alert, target) = match hit.burst.take() {
            Some(spec) => match self.observe_burst(spec, hit) {
                Some(found) => found,
                None => return,
            },
            None => {
                let target = std::mem::take(&mut hit.dedup_target);
                (alert_from(hit, None), target)
            }
        };
        let window = self.config().dedup_window.as_micros();
        let key = (alert.id, alert.actor.user.clone(), target);
        match self.open.get_mut(&key) {
            Some(existing) if alert.first_seen.0 < existing.first_seen.0.saturating_add(window) => {
                existing.absorb(alert)
            }
            Some(existing) => {
                let closed = std::mem::replace(existing, alert);
                self.stats.alerts += 1;
                out.push(closed);
            }
            None => {
                self.open.insert(key, alert);
            }
        }
    }

    fn observe_burst(&mut self, spec: BurstSpec, hit: Hit) -> Option<(Alert, String)> {
        let window = spec.window.as_micros();
        let queue = self
            .bursts
            .entry((hit.meta.id, spec.key.clone()))
            .or_default();
        while queue
            .front()
            .is_some_and(|h| h.time.0 < hit.time.0.saturating_sub(window))
        {
            queue.pop_front();
        }
        queue.push_back(hit);
        if queue.len() < spec.threshold.max(1) as usize {
            return None;
        }
        let hits: Vec<Hit> = queue.drain(..).collect();
        let first = hits.first()?;
        let last = hits.last()?;
        let message = format!(
            "{} {} `{}` within {}s, from {} to {}; the last was `{} {}` by {} with `{}`",
            hits.len(),
            spec.what,
            spec.key,
            spec.window.0,
            first.time,
            last.time,
            last.verb,
            last.request_uri,
            if last.actor.user.is_empty() {
                "an unauthenticated client".to_owned()
            } else {
                format!("`{}`", last.actor.user)
            },
            last.actor.user_agent.as_deref().unwrap_or("no user agent"),
        );
        let count = hits.len() as u64;
        let first_seen = first.time;
        let mut audit_ids: Vec<String> = hits
            .iter()
            .map(|h| h.audit_id.clone())
            .take(Alert::MAX_AUDIT_IDS)
            .collect();
        audit_ids.dedup();
        let mut source_ips: Vec<String> = Vec::new();
        for ip in hits.iter().flat_map(|h| &h.actor.source_ips) {
            if source_ips.len() < 8 && !source_ips.contains(ip) {
                source_ips.push(ip.clone());
            }
        }
        let location = first.location.clone();
        let mut hits = hits;
        let last = hits.pop()?;
        let mut alert = alert_from(last, Some(message));
        alert.first_seen = first_seen;
        alert.count = count;
        alert.audit_ids = audit_ids;
        alert.actor.source_ips = source_ips;
        alert.location = Some(location);
        Some((alert, spec.key))
    }

    pub(crate) fn advance(&mut self, time: Timestamp, out: &mut Vec<Alert>) {
        if time > self.now {
            self.now = time;
        }
        if self.now >= self.next_sweep {
            self.next_sweep = Timestamp(self.now.0.saturating_add(SWEEP_EVERY_MICROS));
            self.sweep(self.now, out);
        }
    }

    fn sweep(&mut self, now: Timestamp, out: &mut Vec<Alert>) {
        let window = self.config().dedup_window.as_micros();
        let mut closed: Vec<Alert> = Vec::new();
        self.open.retain(|_, alert| {
            let open = alert.first_seen.0.saturating_add(window) > now.0;
            if !open {
                closed.push(alert.clone());
            }
            open
        });
        sort_alerts(&mut closed);
        self.stats.alerts += closed.len() as u64;
        out.extend(closed);
        let burst_window = self
            .config()
            .auth_failures
            .window
            .as_micros()
            .max(self.config().authz_denials.window.as_micros());
        self.bursts.retain(|_, q| {
            q.back()
                .is_some_and(|h| h.time.0.saturating_add(burst_window) > now.0)
        });
        self.started
            .retain(|_, t| t.0.saturating_add(STARTED_MEMORY_MICROS) > now.0);
    }
}

fn alert_from(hit: Hit, message: Option<String>) -> Alert {
    let meta = hit.meta;
    Alert {
        id: meta.id,
        name: meta.name,
        severity: meta.severity,
        title: meta.title,
        message: message.unwrap_or(hit.message),
        actor: hit.actor,
        object: hit.object,
        verb: hit.verb,
        request_uri: hit.request_uri,
        first_seen: hit.time,
        last_seen: hit.time,
        count: 1,
        audit_ids: if hit.audit_id.is_empty() {
            Vec::new()
        } else {
            vec![hit.audit_id]
        },
        location: Some(hit.location),
        mitre: meta.mitre,
        frameworks: meta.frameworks,
    }
}

/// Deterministic order: time, then detector, then actor.
pub(crate) fn sort_alerts(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| {
        (a.first_seen, a.id, &a.actor.user, &a.message).cmp(&(
            b.first_seen,
            b.id,
            &b.actor.user,
            &b.message,
        ))
    });
}
