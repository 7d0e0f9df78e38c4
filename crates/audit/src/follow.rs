//! Following a growing audit log, like `tail -F`, across rotation.
//!
//! The API server's log backend rotates by renaming the file and opening a new one; logrotate may
//! do the same or copy and truncate it. [`Follower::poll`] reads what was appended since the last
//! call; when the path names a new file (another inode) it finishes the old one first, and when the
//! file shrank (truncated in place) it starts again from the top. The caller decides how often to
//! poll; nothing here sleeps or spawns.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::alert::Alert;
use crate::analyzer::{Analyzer, Position};
use crate::error::AuditError;
use crate::reader::DEFAULT_MAX_LINE_BYTES;
use crate::stats::Malformed;

/// Receives each complete line, or why one was skipped, with its position.
pub type LineSink<'s> = dyn FnMut(Result<&[u8], &str>, Position<'_>) + 's;

/// How to follow.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Read the existing content first (`true`) or only what is appended from now on.
    pub from_start: bool,
    pub max_line_bytes: usize,
    /// At most this many lines per poll, so one poll never takes long nor holds much.
    pub max_lines_per_poll: usize,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            from_start: false,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            max_lines_per_poll: 50_000,
        }
    }
}

/// What one poll did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollOutcome {
    pub lines: u64,
    /// The path was rotated (a new file) or truncated since the last poll.
    pub rotated: bool,
    /// Stopped at `max_lines_per_poll`: poll again right away.
    pub more: bool,
}

/// A log file being followed.
pub struct Follower {
    path: PathBuf,
    label: String,
    options: FollowOptions,
    file: Option<File>,
    identity: Option<FileIdentity>,
    offset: u64,
    line: u64,
    partial: Vec<u8>,
    discarding: bool,
    /// Started at the end of existing content: line numbers count from there.
    skipping_history: bool,
    first_open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    Some(FileIdentity {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Option<FileIdentity> {
    None
}

impl Follower {
    /// Starts following `path`. The file need not exist yet.
    pub fn new(path: impl AsRef<Path>, options: FollowOptions) -> Follower {
        let path = path.as_ref().to_owned();
        Follower {
            label: path.display().to_string(),
            path,
            options,
            file: None,
            identity: None,
            offset: 0,
            line: 0,
            partial: Vec::new(),
            discarding: false,
            skipping_history: false,
            first_open: true,
        }
    }

    /// Reads what is new and feeds it to the analyzer; alerts whose window closed go to `on_alert`.
    pub fn poll(
        &mut self,
        analyzer: &mut Analyzer,
        on_alert: &mut dyn FnMut(Alert),
    ) -> Result<PollOutcome, AuditError> {
        self.poll_lines(&mut |line, position| match line {
            Ok(bytes) => analyzer
                .feed_line(bytes, position)
                .into_iter()
                .for_each(&mut *on_alert),
            Err(reason) => {
                analyzer.report_malformed(Malformed::new(position.file, position.line, reason))
            }
        })
    }

    /// Reads what is new and hands each complete line (or why it was skipped) to `sink`.
    pub fn poll_lines(&mut self, sink: &mut LineSink<'_>) -> Result<PollOutcome, AuditError> {
        let mut outcome = PollOutcome::default();
        if self.file.is_none() && !self.open()? {
            return Ok(outcome);
        }
        loop {
            self.read_available(sink, &mut outcome)?;
            if outcome.more {
                return Ok(outcome);
            }
            let meta = match std::fs::metadata(&self.path) {
                Ok(meta) => meta,
                // Renamed away and not yet recreated: keep the old handle.
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(outcome),
                Err(source) => {
                    return Err(AuditError::Read {
                        path: self.path.clone(),
                        source,
                    });
                }
            };
            let new_file = identity(&meta).is_some() && identity(&meta) != self.identity;
            if new_file {
                // The writer moved on: what is left of the old file's last line is complete.
                self.flush_partial(sink, &mut outcome);
                outcome.rotated = true;
                if !self.open()? {
                    return Ok(outcome);
                }
                continue;
            }
            if meta.len() < self.offset {
                outcome.rotated = true;
                self.partial.clear();
                self.discarding = false;
                self.offset = 0;
                self.line = 0;
                if let Some(file) = &mut self.file {
                    file.seek(SeekFrom::Start(0))
                        .map_err(|source| AuditError::Read {
                            path: self.path.clone(),
                            source,
                        })?;
                }
                continue;
            }
            return Ok(outcome);
        }
    }

    fn open(&mut self) -> Result<bool, AuditError> {
        let read_err = |source| AuditError::Read {
            path: self.path.clone(),
            source,
        };
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(source) => return Err(read_err(source)),
        };
        let meta = file.metadata().map_err(read_err)?;
        self.identity = identity(&meta);
        self.offset = 0;
        self.line = 0;
        self.partial.clear();
        self.discarding = false;
        self.skipping_history = false;
        if self.first_open && !self.options.from_start {
            // Skip history, and the partial line at the end: start at the next whole line.
            self.offset = file.seek(SeekFrom::End(0)).map_err(read_err)?;
            self.discarding = self.offset > 0 && !ends_with_newline(&mut file).map_err(read_err)?;
            self.skipping_history = self.discarding;
        }
        self.first_open = false;
        self.file = Some(file);
        Ok(true)
    }

    fn read_available(
        &mut self,
        sink: &mut LineSink<'_>,
        outcome: &mut PollOutcome,
    ) -> Result<(), AuditError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let mut block = vec![0u8; 64 * 1024];
        loop {
            if outcome.lines >= self.options.max_lines_per_poll as u64 {
                outcome.more = true;
                return Ok(());
            }
            let n = match file.read(&mut block) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(AuditError::Read {
                        path: self.path.clone(),
                        source,
                    });
                }
            };
            self.offset += n as u64;
            let mut data = &block[..n];
            while let Some(i) = memchr::memchr(b'\n', data) {
                let (head, rest) = data.split_at(i);
                data = &rest[1..];
                if self.discarding {
                    // The end of an over-long line, or of the line we started in the middle of.
                    self.discarding = false;
                    self.partial.clear();
                    if !std::mem::take(&mut self.skipping_history) {
                        self.line += 1;
                    }
                    continue;
                }
                self.line += 1;
                outcome.lines += 1;
                let position = Position {
                    file: &self.label,
                    line: self.line,
                };
                if self.partial.is_empty() {
                    emit(head, position, sink);
                } else {
                    self.partial.extend_from_slice(head);
                    emit(&self.partial, position, sink);
                    self.partial.clear();
                }
            }
            if !self.discarding {
                self.partial.extend_from_slice(data);
                if self.partial.len() > self.options.max_line_bytes {
                    let position = Position {
                        file: &self.label,
                        line: self.line + 1,
                    };
                    sink(Err("line longer than the maximum, skipped"), position);
                    self.partial.clear();
                    self.discarding = true;
                }
            }
        }
    }

    fn flush_partial(&mut self, sink: &mut LineSink<'_>, outcome: &mut PollOutcome) {
        if self.partial.is_empty() || self.discarding {
            return;
        }
        self.line += 1;
        outcome.lines += 1;
        emit(
            &self.partial,
            Position {
                file: &self.label,
                line: self.line,
            },
            sink,
        );
        self.partial.clear();
    }
}

fn ends_with_newline(file: &mut File) -> io::Result<bool> {
    let end = file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    file.seek(SeekFrom::Start(end + 1))?;
    Ok(last[0] == b'\n')
}

fn emit(line: &[u8], position: Position<'_>, sink: &mut LineSink<'_>) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    sink(Ok(line), position);
}
