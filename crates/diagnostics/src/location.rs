use serde::Serialize;

/// Index of a loaded source (file, stdin, rendered chart) in the loader's source map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceId(pub u32);

/// A position in a source: 1-based line, 0-based column counted in Unicode scalar values (characters).
///
/// Characters, not bytes or UTF-16 units, because that is what the YAML scanner counts; reporters convert
/// to whatever their format wants (SARIF declares UTF-16 units, editors want 1-based columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A half-open range `[start, end)` in one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn new(start: Pos, end: Pos) -> Self {
        Self { start, end }
    }

    /// A zero-width span at a position.
    pub fn point(line: u32, col: u32) -> Self {
        let p = Pos { line, col };
        Self { start: p, end: p }
    }
}

/// Where a finding points: a span in a loaded source, or — for live objects that have no file — nothing
/// more than the object itself (the [`crate::ObjectRef`] on the finding carries that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub source: SourceId,
    pub span: Span,
}
