//! Driving the analyzer over files and streams, on several threads.
//!
//! The reading thread cuts the input into chunks of whole lines; workers parse the lines and run the
//! detectors (the expensive part); the reading thread folds their hits into alerts in input order.
//! Channels are bounded, so memory is a few chunks per thread whatever the input size.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use crate::alert::Alert;
use crate::analyzer::{Analyzer, Detection, Hit, Position};
use crate::error::AuditError;
use crate::event::Event;
use crate::reader::{Chunk, ChunkReader, DEFAULT_MAX_LINE_BYTES, expand_paths, open_log};
use crate::stats::{Malformed, Stats, Unreadable};
use crate::time::Timestamp;

/// How to read.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// Lines longer than this are reported as malformed and skipped.
    pub max_line_bytes: usize,
    /// Bytes per chunk handed to a worker.
    pub chunk_bytes: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            chunk_bytes: 1024 * 1024,
        }
    }
}

impl ScanOptions {
    fn worker_count(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// Reads every file (directories expanded, gzip detected), in order, through one analyzer. A file
/// that cannot be read is recorded in [`Stats::unreadable`] and the others are still read. Call
/// [`Analyzer::finish`] afterwards for the alerts still open.
pub fn scan_paths(
    paths: &[PathBuf],
    analyzer: &mut Analyzer,
    options: &ScanOptions,
    on_alert: &mut dyn FnMut(Alert),
) -> Result<(), AuditError> {
    for path in expand_paths(paths)? {
        let name = path.display().to_string();
        let outcome = open_log(&path)
            .and_then(|reader| scan_reader(reader, &name, analyzer, options, on_alert));
        if let Err(e) = outcome {
            let error = match &e {
                AuditError::Read { source, .. } | AuditError::Stream(source) => source.to_string(),
                AuditError::Worker => e.to_string(),
            };
            analyzer
                .stats_mut()
                .unreadable
                .push(Unreadable { file: name, error });
        }
    }
    Ok(())
}

/// Reads one stream of JSON lines (a file, stdin, a decompressor) named `name` in positions.
pub fn scan_reader(
    reader: impl Read,
    name: &str,
    analyzer: &mut Analyzer,
    options: &ScanOptions,
    on_alert: &mut dyn FnMut(Alert),
) -> Result<(), AuditError> {
    analyzer.stats_mut().files += 1;
    let mut chunks = ChunkReader::new(reader, options.max_line_bytes, options.chunk_bytes);
    let workers = options.worker_count();
    if workers <= 1 {
        return scan_sequential(&mut chunks, name, analyzer, options, on_alert);
    }
    scan_parallel(&mut chunks, name, analyzer, options, workers, on_alert)
}

/// What a worker made of one chunk.
struct ChunkResult {
    seq: u64,
    hits: Vec<Hit>,
    stats: Stats,
    max_time: Option<Timestamp>,
}

fn process_chunk(
    detection: &Detection,
    name: &str,
    max_line: usize,
    seq: u64,
    chunk: &Chunk,
) -> ChunkResult {
    let mut hits = Vec::new();
    let mut stats = Stats::default();
    let mut start = 0;
    for (line_no, end) in (chunk.first_line..).zip(memchr::memchr_iter(b'\n', &chunk.data)) {
        let line = trim(&chunk.data[start..end]);
        start = end + 1;
        let position = Position {
            file: name,
            line: line_no,
        };
        if line.is_empty() {
            if chunk.too_long.binary_search(&position.line).is_ok() {
                let reason = format!("line longer than {max_line} bytes, skipped");
                stats.add_malformed(Malformed::new(name, position.line, &reason));
            }
            continue;
        }
        match Event::from_json(line) {
            Ok(event) => {
                let analysed = detection.detect(&event, position, &mut hits);
                stats.count_event(event.time(), analysed);
            }
            Err(e) => stats.add_malformed(Malformed::new(name, position.line, &e.to_string())),
        }
    }
    let max_time = stats.last_event;
    ChunkResult {
        seq,
        hits,
        stats,
        max_time,
    }
}

fn trim(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &line[start..end.max(start)]
}

fn apply(analyzer: &mut Analyzer, result: ChunkResult, on_alert: &mut dyn FnMut(Alert)) {
    let mut out = Vec::new();
    analyzer.stats_mut().merge(result.stats);
    for hit in result.hits {
        analyzer.sink(hit, &mut out);
    }
    if let Some(t) = result.max_time {
        analyzer.advance(t, &mut out);
    }
    for alert in out {
        on_alert(alert);
    }
}

fn scan_sequential<R: Read>(
    chunks: &mut ChunkReader<R>,
    name: &str,
    analyzer: &mut Analyzer,
    options: &ScanOptions,
    on_alert: &mut dyn FnMut(Alert),
) -> Result<(), AuditError> {
    let detection = analyzer.detection();
    let mut seq = 0;
    while let Some(chunk) = chunks.next_chunk().map_err(AuditError::Stream)? {
        let result = process_chunk(&detection, name, options.max_line_bytes, seq, &chunk);
        seq += 1;
        apply(analyzer, result, on_alert);
    }
    Ok(())
}

fn scan_parallel<R: Read>(
    chunks: &mut ChunkReader<R>,
    name: &str,
    analyzer: &mut Analyzer,
    options: &ScanOptions,
    workers: usize,
    on_alert: &mut dyn FnMut(Alert),
) -> Result<(), AuditError> {
    let detection = analyzer.detection();
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Chunk)>(workers * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    // Unbounded, but never holds more than the chunks in flight: the work channel is bounded.
    let (result_tx, result_rx) = mpsc::channel::<ChunkResult>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let work_rx = Arc::clone(&work_rx);
            let result_tx = result_tx.clone();
            let detection = &*detection;
            let max_line = options.max_line_bytes;
            scope.spawn(move || worker(detection, name, max_line, &work_rx, &result_tx));
        }
        drop(result_tx);
        let outcome = feed_workers(chunks, analyzer, work_tx, &result_rx, on_alert);
        // Whatever happened, collect what the workers still send so they can finish.
        let mut pending = BTreeMap::new();
        for result in result_rx.iter() {
            pending.insert(result.seq, result);
        }
        if outcome.is_ok() {
            for (_, result) in pending {
                apply(analyzer, result, on_alert);
            }
        }
        outcome
    })
}

fn worker(
    detection: &Detection,
    name: &str,
    max_line: usize,
    work_rx: &Mutex<Receiver<(u64, Chunk)>>,
    result_tx: &mpsc::Sender<ChunkResult>,
) {
    loop {
        let next = match work_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((seq, chunk)) = next else {
            return;
        };
        if result_tx
            .send(process_chunk(detection, name, max_line, seq, &chunk))
            .is_err()
        {
            return;
        }
    }
}

/// Sends chunks to the workers and applies their results in order as they arrive.
fn feed_workers<R: Read>(
    chunks: &mut ChunkReader<R>,
    analyzer: &mut Analyzer,
    work_tx: SyncSender<(u64, Chunk)>,
    result_rx: &Receiver<ChunkResult>,
    on_alert: &mut dyn FnMut(Alert),
) -> Result<(), AuditError> {
    let mut pending: BTreeMap<u64, ChunkResult> = BTreeMap::new();
    let mut next_to_apply = 0u64;
    let mut seq = 0u64;
    let mut drain =
        |analyzer: &mut Analyzer, pending: &mut BTreeMap<u64, ChunkResult>, next: &mut u64| {
            while let Ok(result) = result_rx.try_recv() {
                pending.insert(result.seq, result);
            }
            while let Some(result) = pending.remove(next) {
                apply(analyzer, result, on_alert);
                *next += 1;
            }
        };
    // A read error ends the input, but what was read before it is still analysed.
    let mut read_error = None;
    loop {
        let chunk = match chunks.next_chunk() {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                read_error = Some(AuditError::Stream(e));
                break;
            }
        };
        work_tx.send((seq, chunk)).map_err(|_| AuditError::Worker)?;
        seq += 1;
        drain(analyzer, &mut pending, &mut next_to_apply);
    }
    drop(work_tx);
    // Wait for the rest in order.
    while next_to_apply < seq {
        match result_rx.recv() {
            Ok(result) => {
                pending.insert(result.seq, result);
            }
            Err(_) => return Err(AuditError::Worker),
        }
        drain(analyzer, &mut pending, &mut next_to_apply);
    }
    read_error.map_or(Ok(()), Err)
}
