//! The YAML emitter of imported notes: every string double-quoted, in the order the
//! format reference lists the fields.

use std::fmt::Write as _;

use crate::model::{CaveatRef, Citation, Claim, ClaimKind, Note, Source};

/// The modeline every imported note starts with.
pub const MODELINE: &str = "# yaml-language-server: $schema=../schema/note.schema.json";

/// What a note's header comment says a warning line starts with.
pub const WARNING: &str = "# warning: ";

/// The note as YAML: the modeline, a header comment (with `warnings`), then the note.
pub fn emit(note: &Note, warnings: &[String]) -> String {
    let mut out = String::new();
    out.push_str(MODELINE);
    out.push('\n');
    out.push_str(if note.summary_of.is_none() && note.sources.is_empty() {
        "# Imported from a Markdown outline by `cargo xtask import`. Add `summary_of`,\n\
         # `sources` and `as_of` dates so that notes-lint can check the claims.\n"
    } else {
        "# Imported from Markdown by `cargo xtask import`.\n"
    });
    for warning in warnings {
        let _ = writeln!(out, "{WARNING}{warning}");
    }
    let _ = writeln!(out, "title: {}", quoted(&note.title));
    if let Some(id) = &note.id {
        let _ = writeln!(out, "id: {}", quoted(id.as_str()));
    }
    for (key, date) in [("written", &note.written), ("reviewed", &note.reviewed)] {
        if let Some(date) = date {
            let _ = writeln!(out, "{key}: {}", quoted(&date.to_string()));
        }
    }
    if let Some(summary_of) = &note.summary_of {
        let _ = writeln!(out, "summary_of: {}", quoted(summary_of));
    }
    if let Some(as_of) = &note.as_of {
        let _ = writeln!(out, "as_of: {}", quoted(&as_of.to_string()));
    }
    if let Some(life) = &note.shelf_life {
        let _ = writeln!(out, "shelf_life: {}", quoted(&life.to_string()));
    }
    emit_strings(&mut out, "tags", &note.tags, "");
    if !note.sources.is_empty() {
        out.push_str("sources:\n");
        for source in &note.sources {
            emit_source(&mut out, source);
        }
    }
    emit_caveats(&mut out, &note.caveats, "");
    if !note.sections.is_empty() {
        out.push_str("\nsections:\n");
    }
    for section in &note.sections {
        let _ = writeln!(out, "  - title: {}", quoted(&section.title));
        emit_citations(&mut out, &section.sources, "    ");
        emit_caveats(&mut out, &section.caveats, "    ");
        if !section.claims.is_empty() {
            out.push_str("    claims:\n");
            emit_claims(&mut out, &section.claims, "      ");
        }
    }
    out
}

fn emit_strings(out: &mut String, key: &str, values: &[String], indent: &str) {
    if values.is_empty() {
        return;
    }
    let values: Vec<String> = values.iter().map(|v| quoted(v)).collect();
    let _ = writeln!(out, "{indent}{key}: [{}]", values.join(", "));
}

fn emit_source(out: &mut String, source: &Source) {
    let _ = writeln!(out, "  - id: {}", quoted(source.id.as_str()));
    let _ = writeln!(out, "    type: {}", quoted(source.kind.as_str()));
    let _ = writeln!(out, "    title: {}", quoted(&source.title));
    emit_strings(out, "authors", &source.authors, "    ");
    let dates = [
        ("published", &source.published),
        ("accessed", &source.accessed),
    ];
    let texts = [
        ("venue", &source.venue),
        ("url", &source.url),
        ("doi", &source.doi),
        ("arxiv", &source.arxiv),
        ("isbn", &source.isbn),
        ("archive_url", &source.archive_url),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            let _ = writeln!(out, "    {key}: {}", quoted(value));
        }
    }
    for (key, date) in dates {
        if let Some(date) = date {
            let _ = writeln!(out, "    {key}: {}", quoted(&date.to_string()));
        }
    }
}

fn emit_citations(out: &mut String, citations: &[Citation], indent: &str) {
    if citations.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}sources:");
    for citation in citations {
        match citation {
            Citation::Id(id) => {
                let _ = writeln!(out, "{indent}  - {}", quoted(id));
            }
            Citation::Located(located) => {
                let _ = write!(out, "{indent}  - {{id: {}", quoted(&located.id));
                if let Some(locator) = &located.locator {
                    let _ = write!(out, ", locator: {}", quoted(locator));
                }
                out.push_str("}\n");
            }
        }
    }
}

fn emit_caveats(out: &mut String, caveats: &[CaveatRef], indent: &str) {
    if caveats.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}caveats:");
    for caveat in caveats {
        match caveat {
            CaveatRef::Id(id) => {
                let _ = writeln!(out, "{indent}  - {}", quoted(id));
            }
            CaveatRef::Inline(caveat) => {
                let _ = writeln!(out, "{indent}  - text: {}", quoted(&caveat.text));
            }
        }
    }
}

fn emit_claims(out: &mut String, claims: &[Claim], indent: &str) {
    for claim in claims {
        let _ = writeln!(out, "{indent}- text: {}", quoted(&claim.text));
        if claim.kind != ClaimKind::Claim {
            let _ = writeln!(out, "{indent}  kind: {}", quoted(claim.kind.as_str()));
        }
        if let Some(resolves) = &claim.resolves {
            let _ = writeln!(out, "{indent}  resolves: {}", quoted(&resolves.to_string()));
        }
        if let Some(outcome) = &claim.outcome {
            let _ = writeln!(out, "{indent}  outcome: {}", quoted(outcome));
        }
        emit_citations(out, &claim.sources, &format!("{indent}  "));
        emit_caveats(out, &claim.caveats, &format!("{indent}  "));
        if !claim.children.is_empty() {
            let _ = writeln!(out, "{indent}  children:");
            emit_claims(out, &claim.children, &format!("{indent}    "));
        }
    }
}

/// `text` as a YAML double-quoted scalar on one line: `"` and `\` escaped, and every
/// character that YAML does not allow as is, or reads as a line break, escaped too.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            ' '..='~' => out.push(c),
            '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..
                if !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                out.push(c);
            }
            c if u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}
