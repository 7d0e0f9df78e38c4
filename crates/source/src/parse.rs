//! Builds [`Node`] trees from the YAML event stream, applying Kubernetes' semantics on the way: scalar
//! resolution (see [`crate::scalar`]), anchors and aliases, go-yaml v2 merge keys, duplicate keys
//! (last wins, and reported), and the limits that keep hostile input bounded.

use std::collections::HashMap;

use kubeward_diagnostics::{Pos, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan, Tag};

use crate::node::{Entry, Node, Value};
use crate::scalar::{ScalarTag, key_text, resolve_plain};

/// Bounds on what one file may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are not read at all.
    pub max_file_size: u64,
    /// Deepest nesting of mappings and sequences in a document.
    pub max_depth: usize,
    /// Nodes that aliases may add to one document by expansion (billion-laughs guard). Generous enough
    /// that nothing go-yaml v2 accepts in practice is refused — a refusal would hide the document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: 64 * 1024 * 1024,
            max_depth: 256,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// A document of a YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDoc {
    /// 0-based position of the document in its stream.
    pub index: u32,
    pub root: Node,
}

/// Something wrong in a stream; the span says where.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseProblem {
    pub span: Span,
    pub kind: ParseProblemKind,
    /// The document it happened in, when known.
    pub document: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseProblemKind {
    #[error("invalid YAML: {0}")]
    Syntax(String),
    #[error("document expands aliases to more than {limit} nodes (alias bomb?); document skipped")]
    AliasBudget { limit: usize },
    #[error("document nests deeper than {limit} levels; document skipped")]
    TooDeep { limit: usize },
    #[error("duplicate key `{key}` (first at line {first_line}); Kubernetes keeps the last value")]
    DuplicateKey { key: String, first_line: u32 },
    #[error(
        "mapping key is not a scalar Kubernetes can convert to a JSON string; document skipped"
    )]
    UnsupportedKey,
    #[error("merge key `<<` needs a mapping or a sequence of mappings; document skipped")]
    BadMerge,
}

impl ParseProblemKind {
    /// Whether the document the problem is in was dropped (as opposed to loaded with a warning).
    pub fn drops_document(&self) -> bool {
        !matches!(self, ParseProblemKind::DuplicateKey { .. })
    }
}

/// Everything read from one YAML stream.
#[derive(Debug, Default)]
pub struct Stream {
    pub docs: Vec<ParsedDoc>,
    pub problems: Vec<ParseProblem>,
}

/// Parses every document of `text`. A syntax error ends the document it is in; parsing resumes at the
/// next `---` line so that the other documents of the file are not lost.
pub fn parse_stream(text: &str, limits: &Limits) -> Stream {
    let mut out = Stream::default();
    let mut offset = 0usize; // byte offset where the current parser started
    let mut line_base = 0u32; // lines before `offset`
    let mut doc_index = 0u32;
    loop {
        let chunk = &text[offset..];
        match parse_chunk(chunk, line_base, &mut doc_index, limits, &mut out) {
            Ok(()) => break,
            Err(error_line) => match next_document_marker(text, offset, error_line, line_base) {
                Some((next_offset, next_line_base)) => {
                    offset = next_offset;
                    line_base = next_line_base;
                }
                None => break,
            },
        }
    }
    out
}

/// Finds the first `---` line strictly after `error_line` (absolute, 1-based). Returns its byte offset
/// and the number of lines before it.
fn next_document_marker(
    text: &str,
    offset: usize,
    error_line: u32,
    line_base: u32,
) -> Option<(usize, u32)> {
    let mut line = line_base;
    let mut pos = offset;
    for raw in text[offset..].split_inclusive('\n') {
        line += 1;
        if line > error_line && is_document_marker(raw) {
            return Some((pos, line - 1));
        }
        pos += raw.len();
    }
    None
}

fn is_document_marker(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']))
}

/// Parses from the start of `chunk`. On a syntax error, records it and returns the absolute error line.
fn parse_chunk(
    chunk: &str,
    line_base: u32,
    doc_index: &mut u32,
    limits: &Limits,
    out: &mut Stream,
) -> Result<(), u32> {
    let mut parser = Parser::new_from_str(chunk);
    let mut builder: Option<Builder> = None;
    loop {
        let (event, yspan) = match parser.next_event() {
            None => return Ok(()),
            Some(Ok(ev)) => ev,
            Some(Err(err)) => {
                let m = err.marker();
                let line = line_base + m.line() as u32;
                let span = Span::point(line, m.col() as u32);
                let document = builder.as_ref().map(|b| b.index);
                out.problems.push(ParseProblem {
                    span,
                    kind: ParseProblemKind::Syntax(err.info().to_string()),
                    document,
                });
                if builder.is_some() {
                    *doc_index += 1;
                }
                return Err(line);
            }
        };
        let span = convert_span(yspan, line_base);
        match event {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => return Ok(()),
            Event::DocumentStart(_) => builder = Some(Builder::new(*doc_index, limits)),
            Event::DocumentEnd => {
                if let Some(b) = builder.take() {
                    b.finish(out);
                    *doc_index += 1;
                }
            }
            other => {
                if let Some(b) = builder.as_mut() {
                    b.event(other, span);
                }
            }
        }
    }
}

fn convert_span(s: YSpan, line_base: u32) -> Span {
    Span::new(
        Pos {
            line: line_base + s.start.line() as u32,
            col: s.start.col() as u32,
        },
        Pos {
            line: line_base + s.end.line() as u32,
            col: s.end.col() as u32,
        },
    )
}

enum Frame {
    Seq {
        anchor: usize,
        start: Span,
        items: Vec<Node>,
    },
    Map {
        anchor: usize,
        start: Span,
        map: MapBuilder,
        /// The key waiting for its value; `None` between entries.
        key: Option<PendingKey>,
    },
}

enum PendingKey {
    Key {
        text: Box<str>,
        span: Span,
    },
    Merge {
        span: Span,
    },
    /// A key Kubernetes cannot convert: the value is read and dropped, the document is rejected.
    Invalid,
}

/// Builds one document. Once a document-level problem occurs the builder keeps consuming events but
/// produces nothing.
struct Builder {
    index: u32,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    root: Option<Node>,
    problems: Vec<ParseProblem>,
    failed: bool,
    /// Depth of events skipped past the depth limit.
    skipped_depth: usize,
}

impl Builder {
    fn new(index: u32, limits: &Limits) -> Self {
        Self {
            index,
            limits: *limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            root: None,
            problems: Vec::new(),
            failed: false,
            skipped_depth: 0,
        }
    }

    fn problem(&mut self, span: Span, kind: ParseProblemKind) {
        if kind.drops_document() {
            if self.failed {
                return;
            }
            self.failed = true;
        }
        self.problems.push(ParseProblem {
            span,
            kind,
            document: Some(self.index),
        });
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        if self.skipped_depth > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skipped_depth += 1,
                Event::SequenceEnd | Event::MappingEnd => self.skipped_depth -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let node = scalar_node(&text, style, tag.as_deref(), span);
                let is_merge = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                self.complete(node, anchor, is_merge);
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(target) => {
                    self.alias_nodes += target.size();
                    if self.alias_nodes > self.limits.max_alias_nodes {
                        let limit = self.limits.max_alias_nodes;
                        self.problem(span, ParseProblemKind::AliasBudget { limit });
                        self.complete(Node::new(Value::Null, span), 0, false);
                    } else {
                        let mut node = target.clone();
                        node.span = span;
                        self.complete(node, 0, false);
                    }
                }
                None => {
                    // saphyr rejects unknown aliases itself; keep going defensively.
                    self.problem(span, ParseProblemKind::Syntax("unknown alias".into()));
                    self.complete(Node::new(Value::Null, span), 0, false);
                }
            },
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= self.limits.max_depth {
                    let limit = self.limits.max_depth;
                    self.problem(span, ParseProblemKind::TooDeep { limit });
                    self.skipped_depth = 1;
                    // Stand-in so the parent's key/value pairing stays intact.
                    self.complete(Node::new(Value::Null, span), 0, false);
                    return;
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        anchor,
                        start: span,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        anchor,
                        start: span,
                        map: MapBuilder::default(),
                        key: None,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    anchor,
                    start,
                    items,
                }) = self.stack.pop()
                {
                    let node = Node::new(
                        Value::Seq(items.into_boxed_slice()),
                        Span::new(start.start, span.end),
                    );
                    self.complete(node, anchor, false);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    anchor, start, map, ..
                }) = self.stack.pop()
                {
                    let node = Node::new(
                        Value::Map(map.entries.into_boxed_slice()),
                        Span::new(start.start, span.end),
                    );
                    self.complete(node, anchor, false);
                }
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
    }

    /// A node is complete: remember its anchor and hand it to its parent.
    fn complete(&mut self, node: Node, anchor: usize, is_merge_key: bool) {
        if anchor != 0 && !self.failed {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match parent {
            Frame::Seq { items, .. } => items.push(node),
            Frame::Map { map, key, .. } => match key.take() {
                None => {
                    let span = node.span;
                    *key = Some(if is_merge_key {
                        PendingKey::Merge { span }
                    } else {
                        // Move string keys (nearly all of them) instead of copying.
                        let text = match node.value {
                            Value::Str(s) => Some(s),
                            other => key_text(&other).map(String::into_boxed_str),
                        };
                        match text {
                            Some(text) => PendingKey::Key { text, span },
                            None => PendingKey::Invalid,
                        }
                    });
                    if matches!(key, Some(PendingKey::Invalid)) {
                        let span = node.span;
                        self.problem(span, ParseProblemKind::UnsupportedKey);
                    }
                }
                Some(PendingKey::Key { text, span }) => {
                    if let Some((first_line, key)) = map.set(text, span, node) {
                        let kind = ParseProblemKind::DuplicateKey { key, first_line };
                        self.problem(span, kind);
                    }
                }
                Some(PendingKey::Merge { span }) => {
                    if !map.merge(node) {
                        self.problem(span, ParseProblemKind::BadMerge);
                    }
                }
                Some(PendingKey::Invalid) => {}
            },
        }
    }

    fn finish(self, out: &mut Stream) {
        out.problems.extend(self.problems);
        if self.failed {
            return;
        }
        if let Some(root) = self.root {
            out.docs.push(ParsedDoc {
                index: self.index,
                root,
            });
        }
    }
}

fn scalar_node(text: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Node {
    let value = if style == ScalarStyle::Plain {
        resolve_plain(text, scalar_tag(tag))
    } else {
        match scalar_tag(tag) {
            // An explicit tag on a quoted scalar still converts it (`!!int "3"` is 3 in go-yaml v2).
            t @ (ScalarTag::Bool | ScalarTag::Int | ScalarTag::Float | ScalarTag::Null) => {
                resolve_plain(text, t)
            }
            _ => Value::Str(text.into()),
        }
    };
    Node::new(value, span)
}

fn scalar_tag(tag: Option<&Tag>) -> ScalarTag {
    let Some(tag) = tag else {
        return ScalarTag::Implicit;
    };
    if tag.handle != "!!" && tag.handle != "tag:yaml.org,2002:" {
        return ScalarTag::Other;
    }
    match tag.suffix.as_str() {
        "str" => ScalarTag::Str,
        "bool" => ScalarTag::Bool,
        "int" => ScalarTag::Int,
        "float" => ScalarTag::Float,
        "null" => ScalarTag::Null,
        "binary" => ScalarTag::Binary,
        _ => ScalarTag::Other,
    }
}

/// Mapping entries with go-yaml v2's write semantics: an explicit key, or a key merged in by `<<`,
/// overwrites whatever was there (so keys *before* a merge key can be overwritten by it — go-yaml v2
/// behaviour, unlike v3). Lookups switch to a hash index for large mappings (ConfigMap data).
#[derive(Default)]
struct MapBuilder {
    entries: Vec<Entry>,
    index: Option<HashMap<Box<str>, usize>>,
    /// Once a merge has happened, the keys written explicitly (not by merge) with their lines, so that
    /// a merged value is not mistaken for a duplicate. Before any merge every entry is explicit.
    explicit_lines: Option<HashMap<Box<str>, u32>>,
}

impl MapBuilder {
    const INDEX_FROM: usize = 16;

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|e| &*e.key == key),
        }
    }

    fn write(&mut self, key: Box<str>, key_span: Span, value: Node) {
        match self.position(&key) {
            Some(i) => {
                self.entries[i].key_span = key_span;
                self.entries[i].value = value;
            }
            None => {
                if let Some(index) = self.index.as_mut() {
                    index.insert(key.clone(), self.entries.len());
                }
                self.entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
                if self.index.is_none() && self.entries.len() >= Self::INDEX_FROM {
                    self.index = Some(
                        self.entries
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (e.key.clone(), i))
                            .collect(),
                    );
                }
            }
        }
    }

    /// Writes an explicit key; returns the line of an earlier explicit write of the same key, and the
    /// key, when there was one.
    fn set(&mut self, key: Box<str>, key_span: Span, value: Node) -> Option<(u32, String)> {
        let earlier = match self.explicit_lines.as_mut() {
            Some(explicit) => explicit.insert(key.clone(), key_span.start.line),
            None => self
                .position(&key)
                .map(|i| self.entries[i].key_span.start.line),
        };
        let duplicate = earlier.map(|line| (line, key.to_string()));
        self.write(key, key_span, value);
        duplicate
    }

    fn start_merge(&mut self) {
        if self.explicit_lines.is_none() {
            self.explicit_lines = Some(
                self.entries
                    .iter()
                    .map(|e| (e.key.clone(), e.key_span.start.line))
                    .collect(),
            );
        }
    }

    /// Applies a merge key's value. Returns false when it is not a mapping or a sequence of mappings.
    fn merge(&mut self, source: Node) -> bool {
        self.start_merge();
        match source.value {
            Value::Map(entries) => {
                for e in entries.into_vec() {
                    self.write(e.key, e.key_span, e.value);
                }
                true
            }
            Value::Seq(items) => {
                if !items.iter().all(|n| matches!(n.value, Value::Map(_))) {
                    return false;
                }
                // Earlier mappings take precedence: apply them last.
                for item in items.into_vec().into_iter().rev() {
                    if let Value::Map(entries) = item.value {
                        for e in entries.into_vec() {
                            self.write(e.key, e.key_span, e.value);
                        }
                    }
                }
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
