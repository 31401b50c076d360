//! Between the engine's byte offsets and paths and the protocol's UTF-16 positions and URIs.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Url};
use notes_core::Span;

/// Line starts of a text, to turn byte offsets into protocol positions and back.
/// Columns are UTF-16 code units, the protocol's default encoding.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// The index of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The protocol position of a byte offset (clamped, snapped back to a character).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column: usize = self.text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(to_u32(line), to_u32(column))
    }

    /// The protocol range of a byte span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a protocol position, clamped to its line and to the text.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = &line[..line.find('\n').map_or(line.len(), |i| i + 1)];
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The file path of a `file:` URI.
pub fn path_of(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    uri.to_file_path().ok()
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_units_both_ways() {
        let text = "a: é\nb: “q” 😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        // b, :, space, “, q, ”, space = 7 units, then the emoji is 2.
        assert_eq!(index.position(x), Position::new(1, 9));
        assert_eq!(index.offset(Position::new(1, 9)), x);
        assert_eq!(index.offset(Position::new(0, 99)), text.find('\n').unwrap());
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.position(10_000), Position::new(2, 0));
    }
}
