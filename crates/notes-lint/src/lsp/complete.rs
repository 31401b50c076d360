//! Completion: the keys the note schema allows where the cursor is, enum values, and
//! the ids that fit the place (`sources`, `summary_of`, `sensitive_to`, `before`,
//! `caveats`, `allow.rule`) with their titles and dates.
//!
//! The buffer being typed is often not valid YAML, so the place is read from the text
//! of the line and the keys above it, not from the parsed note. Keys and enum values
//! come from the note schema the `schema` rule checks against.

use std::collections::HashMap;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, Documentation,
    TextDocumentPositionParams,
};
use serde_json::Value;

use super::convert::{LineIndex, path_of};
use super::features::View;
use crate::corpus::Def;

/// What the cursor is on.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    /// A key of the mapping whose items sit under `parent` (None: the note itself).
    Key(Option<String>),
    /// The value of `key`, or an item of the list under `key`.
    Value(String),
}

/// The completions at the cursor.
pub fn complete(view: &View<'_>, at: &TextDocumentPositionParams) -> CompletionResponse {
    let text = path_of(&at.text_document.uri)
        .and_then(|path| view.workspace.text(&path).map(str::to_owned));
    let Some(text) = text else {
        return CompletionResponse::Array(Vec::new());
    };
    let offset = LineIndex::new(&text).offset(at.position);
    let items = match place(&text, offset) {
        Place::Key(parent) => keys(parent.as_deref()),
        Place::Value(key) => values(view, &key),
    };
    CompletionResponse::Array(items)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key a line sets (`- key: ...` or `key: ...`), if any.
fn line_key(line: &str) -> Option<&str> {
    let body = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = body.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(key)
}

fn place(text: &str, offset: usize) -> Place {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    // Inside a flow mapping on this line, the nearest `key:` before the cursor decides.
    if let Some(open) = before.rfind('{') {
        let inner = &before[open + 1..];
        let last = inner.rsplit(',').next().unwrap_or("");
        return match last.split_once(':') {
            Some((key, _)) => Place::Value(key.trim().to_owned()),
            None => Place::Key(mapping_parent(text, start, indent(before) + 1)),
        };
    }
    if let Some(key) = line_key(before) {
        return Place::Value(key.to_owned());
    }
    let own = indent(before);
    let item = before.trim_start().starts_with('-');
    // `- ` then a word: an item of the list above, which is either ids or mappings.
    if item {
        return match enclosing_line(text, start, own + 1) {
            Some((key, column)) if !holds_mappings(key, column) => Place::Value(key.to_owned()),
            found => Place::Key(found.map(|(key, _)| key.to_owned())),
        };
    }
    // A key in a mapping: its parent is the list above the mapping's `- ` line.
    Place::Key(mapping_parent(text, start, own))
}

/// The key of the list (or mapping) that holds the mapping whose keys are written at
/// `column`: above the line that starts the mapping's item, if it is one.
fn mapping_parent(text: &str, start: usize, column: usize) -> Option<String> {
    let mut column = column;
    for line in text[..start].lines().rev() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') || indent(line) >= column {
            continue;
        }
        if line.trim_start().starts_with("- ") {
            // The item line of this mapping: its list's key is further up.
            column = indent(line);
            continue;
        }
        return line_key(line).map(str::to_owned);
    }
    None
}

/// Whether the list under `key`, written at `column`, holds mappings rather than ids
/// (a claim's `sources` cites ids; the note's own `sources` defines them).
fn holds_mappings(key: &str, column: usize) -> bool {
    matches!(key, "sections" | "claims" | "children" | "events" | "allow")
        || (key == "sources" && column == 0)
}

/// The key and indentation of the nearest line above `start` indented less than `column`.
fn enclosing_line(text: &str, start: usize, column: usize) -> Option<(&str, usize)> {
    let line = text[..start]
        .lines()
        .rev()
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .find(|line| indent(line) < column)?;
    Some((line_key(line)?, indent(line)))
}

/// The schema's definition for the mapping under `parent`.
fn definition(schema: &Value, parent: Option<&str>) -> Value {
    let name = match parent {
        None => return schema.clone(),
        Some("sections") => "Section",
        Some("claims" | "children") => "Claim",
        Some("events") => "Event",
        Some("allow") => "Allow",
        Some("caveats") => "Caveat",
        Some("sources") => "Source",
        Some(_) => return Value::Null,
    };
    schema["$defs"][name].clone()
}

fn keys(parent: Option<&str>) -> Vec<CompletionItem> {
    let schema = notes_core::schema::note_schema();
    let def = definition(&schema, parent);
    let Some(properties) = def["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(name, _)| !name.starts_with('$'))
        .map(|(name, property)| CompletionItem {
            label: name.clone(),
            kind: Some(CompletionItemKind::FIELD),
            documentation: property["description"]
                .as_str()
                .map(|d| Documentation::String(d.to_owned())),
            insert_text: Some(format!("{name}: ")),
            ..CompletionItem::default()
        })
        .collect()
}

fn item(label: &str, detail: String, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then_some(detail),
        ..CompletionItem::default()
    }
}

/// One item per defined id, sorted, with `detail` of its first definition.
fn ids<T>(
    defs: &HashMap<&str, Vec<Def<'_, T>>>,
    kind: CompletionItemKind,
    detail: impl Fn(&T) -> String,
) -> Vec<CompletionItem> {
    let mut found: Vec<(&str, String)> = defs
        .iter()
        .filter_map(|(id, defs)| Some((*id, detail(defs.first()?.value))))
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|(id, detail)| item(id, detail, kind))
        .collect()
}

fn values(view: &View<'_>, key: &str) -> Vec<CompletionItem> {
    let corpus = &view.corpus;
    match key {
        "sources" | "summary_of" => ids(
            &corpus.sources,
            CompletionItemKind::REFERENCE,
            |s| match s.published {
                Some(date) => format!("{} ({date})", s.title),
                None => s.title.clone(),
            },
        ),
        "sensitive_to" | "before" => ids(&corpus.events, CompletionItemKind::EVENT, |e| {
            format!("{}: {}", e.date, e.title)
        }),
        "caveats" => ids(&corpus.caveats, CompletionItemKind::REFERENCE, |c| {
            c.text.clone()
        }),
        "rule" => crate::rules::REGISTRY
            .iter()
            .map(|rule| rule.meta())
            .filter(|meta| meta.suppressible)
            .map(|meta| {
                item(
                    meta.id,
                    meta.summary.to_owned(),
                    CompletionItemKind::ENUM_MEMBER,
                )
            })
            .collect(),
        "kind" | "type" => {
            let schema = notes_core::schema::note_schema();
            let name = if key == "kind" {
                "ClaimKind"
            } else {
                "SourceType"
            };
            schema["$defs"][name]["oneOf"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|variant| {
                    let value = variant["const"].as_str()?;
                    let doc = variant["description"].as_str().unwrap_or_default();
                    Some(item(value, doc.to_owned(), CompletionItemKind::ENUM_MEMBER))
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Place {
        let offset = text.find('|').expect("a cursor");
        let text = text.replacen('|', "", 1);
        place(&text, offset)
    }

    #[test]
    fn reads_the_place_from_the_text_above() {
        assert_eq!(
            at("title: T\nsummary_of: |"),
            Place::Value("summary_of".into())
        );
        assert_eq!(
            at("sections:\n  - title: S\n    claims:\n      - text: A\n        sources: [a, |"),
            Place::Value("sources".into())
        );
        assert_eq!(
            at("sections:\n  - title: S\n    claims:\n      - text: A\n        |"),
            Place::Key(Some("claims".into()))
        );
        assert_eq!(
            at(
                "sections:\n  - title: S\n    claims:\n      - text: A\n        sensitive_to:\n          - |"
            ),
            Place::Value("sensitive_to".into())
        );
        assert_eq!(
            at(
                "sections:\n  - title: S\n    claims:\n      - text: A\n        allow:\n          - {rule: |"
            ),
            Place::Value("rule".into())
        );
        assert_eq!(at("title: T\n|"), Place::Key(None));
        assert_eq!(
            at("sources:\n  - id: a\n    |"),
            Place::Key(Some("sources".into()))
        );
    }
}
