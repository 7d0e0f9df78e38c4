//! Reading audit logs: files, gzip'd rotations, directories, any `Read`, in chunks of whole lines.
//!
//! Memory stays flat: input is read in blocks, cut at the last newline, and a line longer than
//! `max_line_bytes` is reported and skipped without being held.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::error::AuditError;

/// Default cap on one line: larger lines are reported as malformed and skipped.
pub const DEFAULT_MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// Opens a file, decompressing it when it starts with the gzip magic bytes (whatever its name).
/// Concatenated gzip members (`cat a.gz b.gz`) are read as one stream.
pub fn open_log(path: &Path) -> Result<Box<dyn Read + Send>, AuditError> {
    let read_err = |source| AuditError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(read_err)?;
    let mut magic = [0u8; 2];
    let n = read_fully(&mut file, &mut magic).map_err(read_err)?;
    let head = io::Cursor::new(magic[..n].to_vec());
    let stream = head.chain(file);
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            256 * 1024,
            stream,
        ))))
    } else {
        Ok(Box::new(stream))
    }
}

fn read_fully(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Expands directories into their log files, oldest first, so events come in time order:
/// - hidden files are skipped; subdirectories are walked;
/// - rotations of one log sort before it: `audit.log.2.gz`, `audit.log.1`, `audit.log` (logrotate's
///   numbering, higher is older), and the API server's own `audit-2024-05-01T10-00-00.000.log`
///   backups sort before `audit.log` by name.
///
/// Files given explicitly are kept in the given order.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, AuditError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), AuditError> {
    let read_err = |source| AuditError::Read {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            dirs.push(path);
        } else {
            files.push(path);
        }
    }
    files.sort_by_cached_key(|p| rotation_key(p));
    dirs.sort();
    out.extend(files);
    for d in dirs {
        walk(&d, out)?;
    }
    Ok(())
}

/// `(stem, is_current, Reverse(rotation number))`: `audit.log.3.gz` < `audit.log.1` < `audit.log`.
fn rotation_key(path: &Path) -> (String, bool, std::cmp::Reverse<u64>) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name.strip_suffix(".gz").unwrap_or(&name);
    if let Some((stem, number)) = base.rsplit_once('.')
        && let Ok(n) = number.parse::<u64>()
    {
        return (stem.to_owned(), false, std::cmp::Reverse(n));
    }
    (base.to_owned(), true, std::cmp::Reverse(0))
}

/// Whole lines of input, with the number of the first.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub data: Vec<u8>,
    pub first_line: u64,
    /// Lines of this chunk that were over the cap (left empty in `data`), ascending.
    pub too_long: Vec<u64>,
}

/// Cuts a stream into chunks of whole lines; replaces over-long lines by empty ones (numbering
/// stays right) and reports them.
pub(crate) struct ChunkReader<R> {
    inner: R,
    carry: Vec<u8>,
    next_line: u64,
    max_line: usize,
    target: usize,
    eof: bool,
}

impl<R: Read> ChunkReader<R> {
    pub fn new(inner: R, max_line: usize, target: usize) -> ChunkReader<R> {
        ChunkReader {
            inner,
            carry: Vec::new(),
            next_line: 1,
            max_line: max_line.max(1),
            target: target.max(1),
            eof: false,
        }
    }

    /// The next chunk, or `None` at the end.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        let mut too_long = Vec::new();
        let too_long_ref = &mut too_long;
        let mut buf = std::mem::take(&mut self.carry);
        // buf[..tail]: checked whole lines; buf[tail..]: the start of a line, within the cap.
        let mut tail = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
        while !(self.eof || tail > 0 && buf.len() >= self.target) {
            let old_len = buf.len();
            let want = self.target.max(64 * 1024) as u64;
            // `take` + `read_to_end`: fills up to `want` bytes without zeroing the buffer first and
            // retries interrupted reads; fewer bytes means the end of the input.
            // Room up front: `read_to_end` would otherwise grow (and copy) the buffer step by step.
            buf.reserve(want as usize);
            let n = match (&mut self.inner).take(want).read_to_end(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    buf.truncate(old_len);
                    self.carry = buf;
                    return Err(e);
                }
            };
            if (n as u64) < want {
                self.eof = true;
            }
            if n > 0 {
                tail = self.settle(&mut buf, tail, too_long_ref)?;
            }
        }
        if self.eof && tail < buf.len() {
            buf.push(b'\n');
            tail = buf.len();
        }
        if buf.is_empty() {
            return Ok(None);
        }
        self.carry = buf.split_off(tail);
        let chunk = Chunk {
            data: buf,
            first_line: self.next_line,
            too_long,
        };
        self.next_line += count_lines(&chunk.data);
        Ok(Some(chunk))
    }

    /// Checks the lines from `from` on, replacing over-long ones; returns where the unterminated
    /// last line starts.
    fn settle(
        &mut self,
        buf: &mut Vec<u8>,
        mut from: usize,
        too_long: &mut Vec<u64>,
    ) -> io::Result<usize> {
        if buf.len() - from <= self.max_line {
            // No line can be over the cap: find the last newline and skip the per-line scan.
            return Ok(memchr::memrchr(b'\n', &buf[from..]).map_or(from, |i| from + i + 1));
        }
        loop {
            match memchr::memchr(b'\n', &buf[from..]) {
                Some(i) if i > self.max_line => {
                    too_long.push(self.next_line + count_lines(&buf[..from]));
                    buf.drain(from..from + i);
                    from += 1;
                }
                Some(i) => from += i + 1,
                None if buf.len() - from > self.max_line => {
                    too_long.push(self.next_line + count_lines(&buf[..from]));
                    let rest = self.discard_to_newline()?;
                    buf.truncate(from);
                    buf.push(b'\n');
                    from += 1;
                    buf.extend_from_slice(&rest);
                }
                None => return Ok(from),
            }
        }
    }

    /// Reads and drops bytes through the next newline; returns what followed it in the last block.
    fn discard_to_newline(&mut self) -> io::Result<Vec<u8>> {
        let mut block = vec![0u8; 64 * 1024];
        loop {
            let n = match self.inner.read(&mut block) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                return Ok(Vec::new());
            }
            if let Some(i) = memchr::memchr(b'\n', &block[..n]) {
                return Ok(block[i + 1..n].to_vec());
            }
        }
    }
}

fn count_lines(data: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', data).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &[u8], max_line: usize, target: usize) -> (Vec<(u64, String)>, Vec<u64>) {
        let mut reader = ChunkReader::new(input, max_line, target);
        let mut lines = Vec::new();
        let mut long = Vec::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            long.extend(&chunk.too_long);
            assert_eq!(chunk.data.last(), Some(&b'\n'));
            for (i, line) in chunk
                .data
                .split(|b| *b == b'\n')
                .take(count_lines(&chunk.data) as usize)
                .enumerate()
            {
                lines.push((
                    chunk.first_line + i as u64,
                    String::from_utf8_lossy(line).into_owned(),
                ));
            }
        }
        (lines, long)
    }

    #[test]
    fn numbers_lines_across_chunks_and_skips_long_ones() {
        let input = b"a\nbb\nxxxxxxxxxxxx\nccc\nyyyyyyyyyyyyyyyyyyyyyyyyyyyy\nd";
        for target in [1, 3, 8, 1000] {
            let (lines, long) = chunks(input, 5, target);
            let expect: Vec<(u64, String)> =
                [(1, "a"), (2, "bb"), (3, ""), (4, "ccc"), (5, ""), (6, "d")]
                    .iter()
                    .map(|(n, s)| (*n, (*s).to_owned()))
                    .collect();
            assert_eq!(lines, expect, "target {target}");
            assert_eq!(long, vec![3, 5], "target {target}");
        }
    }

    #[test]
    fn long_last_line_without_newline() {
        let (lines, long) = chunks(b"ok\nzzzzzzzzzz", 4, 2);
        assert_eq!(lines, vec![(1, "ok".to_owned()), (2, String::new())]);
        assert_eq!(long, vec![2]);
    }

    #[test]
    fn rotation_order() {
        let mut names: Vec<PathBuf> = [
            "audit.log",
            "audit.log.1",
            "audit.log.2.gz",
            "audit-2024-05-01T10-00-00.000.log.gz",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        names.sort_by_cached_key(|p| rotation_key(p));
        let names: Vec<String> = names.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "audit-2024-05-01T10-00-00.000.log.gz",
                "audit.log.2.gz",
                "audit.log.1",
                "audit.log"
            ]
        );
    }
}
