//! The texts that were loaded, so that reporters can show snippets and convert columns.

use std::path::PathBuf;
use std::sync::OnceLock;

use kubeward_diagnostics::SourceId;

/// How a source came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File,
    Stdin,
    /// Output of `helm template` for the chart in `chart`.
    Helm {
        chart: PathBuf,
    },
    /// Output of `kubectl kustomize` for the directory.
    Kustomize {
        dir: PathBuf,
    },
    /// Objects listed from a live cluster: one List document per resource.
    Cluster,
}

/// One loaded text.
#[derive(Debug)]
pub struct SourceFile {
    /// What users see: the path as given (relative when they gave it relative), `<stdin>`, or
    /// `charts/app (helm template)`.
    pub name: String,
    /// The path on disk when there is one (for rendered sources: the chart or overlay directory).
    pub path: Option<PathBuf>,
    pub origin: Origin,
    pub text: String,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: String, path: Option<PathBuf>, origin: Origin, text: String) -> Self {
        Self {
            name,
            path,
            origin,
            text,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: u32) -> Option<&str> {
        let starts = self.line_starts();
        let index = (line as usize).checked_sub(1)?;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).copied().unwrap_or(self.text.len());
        let text = self.text.get(start..end)?;
        Some(text.trim_end_matches(['\n', '\r']))
    }

    /// Byte offset of a (line, character column) position, for text edits.
    pub fn byte_offset(&self, line: u32, col: u32) -> Option<usize> {
        let starts = self.line_starts();
        let start = *starts.get((line as usize).checked_sub(1)?)?;
        let line_text = self.line(line)?;
        let within = line_text
            .char_indices()
            .nth(col as usize)
            .map_or(line_text.len(), |(i, _)| i);
        Some(start + within)
    }

    /// A character column converted to UTF-16 code units (what SARIF and LSP count by default).
    pub fn utf16_col(&self, line: u32, col: u32) -> u32 {
        match self.line(line) {
            Some(text) => text
                .chars()
                .take(col as usize)
                .map(|c| c.len_utf16() as u32)
                .sum(),
            None => col,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

/// Every loaded source, indexed by [`SourceId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> SourceId {
        self.files.push(file);
        SourceId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn name(&self, id: SourceId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_offsets_and_utf16() {
        let f = SourceFile::new(
            "x".into(),
            None,
            Origin::Stdin,
            "a: 1\r\nb: \"😀\" # x\nc".into(),
        );
        assert_eq!(f.line(1), Some("a: 1"));
        assert_eq!(f.line(2), Some("b: \"😀\" # x"));
        assert_eq!(f.line(3), Some("c"));
        assert_eq!(f.line(4), None);
        assert_eq!(f.line(0), None);
        // The emoji is one character, four bytes, two UTF-16 units.
        assert_eq!(f.utf16_col(2, 6), 7);
        assert_eq!(f.byte_offset(2, 6), Some(6 + 9));
    }
}
