//! The "allow this rule here" quick fix: an `allow` entry on the claim, section or note a
//! finding is about, with a reason for the user to write.

use std::path::Path;

use notes_core::Finding;
use notes_core::tree::Segment;

use super::features::View;

/// What the inserted entry says until the user writes the reason.
pub const REASON: &str = "TODO: why this finding does not apply here";

/// Where to insert (a byte offset) and what, for an `allow` of `finding`'s rule on what
/// it is about. `None` for a rule that cannot be suppressed, a finding about no note
/// part, or a place written in flow style (`{...}`, `[...]`), which is left to a human.
pub fn allow_edit(view: &View<'_>, path: &Path, finding: &Finding) -> Option<(usize, String)> {
    let rule = crate::rules::by_id(finding.rule)?;
    if !rule.meta().suppressible {
        return None;
    }
    let scope = finding.scope.as_deref()?;
    let note = view.note_at_path(path)?;
    let text = note.doc.file.text();
    let entry = format!("{{rule: {}, reason: \"{REASON}\"}}", finding.rule);
    let mut allow_path = scope.to_vec();
    allow_path.push(Segment::key("allow"));
    if let Some(list) = note.doc.positions.span(&allow_path) {
        // Append an item to the block list.
        if text[list.start..].starts_with('[') {
            return None;
        }
        let key = note.doc.positions.key_span(&allow_path)?;
        let lines = crate::fix::block_entry_lines(text, key.start)?;
        let item_line = &text[line_start(text, list.start)..];
        let indent = item_line.len() - item_line.trim_start_matches(' ').len();
        let (at, newline) = at_line_end(text, lines.end.saturating_sub(1));
        return Some((at, format!("{newline}{}- {entry}\n", " ".repeat(indent))));
    }
    let owner = note.doc.positions.span(scope)?;
    if text[owner.start..].starts_with('{') {
        return None;
    }
    let column = text[line_start(text, owner.start)..owner.start]
        .chars()
        .count();
    let last = text[..owner.end.min(text.len())].trim_end().len();
    let (at, newline) = at_line_end(text, last.saturating_sub(1));
    let indent = " ".repeat(column);
    Some((
        at,
        format!("{newline}{indent}allow:\n{indent}  - {entry}\n"),
    ))
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

/// The offset just after the line holding `offset`, and a newline to write first when
/// that line is the last one and has none.
fn at_line_end(text: &str, offset: usize) -> (usize, &'static str) {
    match text[offset.min(text.len())..].find('\n') {
        Some(i) => (offset + i + 1, ""),
        None => (text.len(), "\n"),
    }
}
