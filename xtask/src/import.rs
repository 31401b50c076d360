//! `cargo xtask import`: a bullet-outline Markdown note to a note file.
//!
//! The outline is read line by line:
//!
//! - A LaTeX macro preamble (`%` comments, `\newcommand`, `\renewcommand`,
//!   `\DeclareMathOperator`, `\let`, `\def` and their kin, including definitions whose
//!   braces run over several lines) is skipped wherever it appears, and so is YAML
//!   front matter at the top and thematic breaks (`---`, `***`).
//! - The first other line is the note's title (a leading `#` heading marker is
//!   stripped), unless a bullet comes first: then the title is the file stem.
//! - Markdown headings (`#` to `######`) always start a section; a plain line starts
//!   one when the next content line is a bullet.
//! - Bullets (`-`, `*`, `+`, `1.`, `1)`) are claims; deeper indentation (spaces or tabs,
//!   any width) makes children, and a flat outline stays flat. An indented plain line
//!   right after a bullet continues it (joined with a space, as Markdown renders it).
//!   Claim text is kept exactly, less the marker and surrounding whitespace; a bullet
//!   wholly in quotation marks is a `quote`. Bullets before any section go into a
//!   section titled like the note.
//! - Any other plain line, such as "Note: ...", is an inline caveat on the current
//!   section (on the note when there is no section yet). Lines that start with a label
//!   such as "Note:" or "Caveat:" are never section titles.
//!
//! Note files nest at most [`MAX_GENERATIONS`] claims deep (the loader's depth budget,
//! `notes_core::tree::MAX_DEPTH`). Deeper bullets are kept but moved up to that level,
//! under the nearest claim above them one level up, and the note says so in a
//! `# warning:` comment that the command also prints on stderr.
//!
//! The YAML is written by a small emitter that double-quotes every string, then loaded
//! back: it must load with no finding and read back as exactly the note that was
//! built, or the import fails.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use notes_core::load::is_id;
use notes_core::model::{Caveat, CaveatRef, Claim, ClaimKind, Id, Note, Section};

/// The modeline every imported note starts with.
const MODELINE: &str = "# yaml-language-server: $schema=../schema/note.schema.json";

/// What a note's header comment says a warning line starts with.
const WARNING: &str = "# warning: ";

/// How many generations of claims a note file may nest: the root mapping, `sections`,
/// a section and `claims` take four levels of the loader's depth budget, and each
/// generation of claims two more (the claim, then its `children`).
pub const MAX_GENERATIONS: usize = (notes_core::tree::MAX_DEPTH - 4) / 2;

/// Imports the outline in `file` and prints the note on stdout, or with `out` writes
/// it there atomically, refusing to replace an existing file unless `force`.
pub fn run(file: &Path, out: Option<&Path>, force: bool) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let markdown = std::str::from_utf8(&bytes).map_err(|e| {
        format!(
            "{} is not valid UTF-8 (bad byte at offset {}): save it as UTF-8",
            file.display(),
            e.valid_up_to()
        )
    })?;
    let stem = match out {
        Some(out) => {
            let extension = out.extension().and_then(|e| e.to_str());
            if !matches!(extension, Some("yaml" | "yml")) {
                return Err(format!(
                    "{}: the output must be a .yaml or .yml file",
                    out.display()
                ));
            }
            // The loader takes a note's default id from this stem.
            out.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
        // Printed notes are saved somewhere later: "name.seed.txt" suggests "name".
        None => file
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let yaml = import(markdown, &stem).map_err(|e| format!("{}: {e}", file.display()))?;
    for warning in warnings(&yaml) {
        eprintln!("warning: {warning}");
    }
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        return match stdout
            .write_all(yaml.as_bytes())
            .and_then(|()| stdout.flush())
        {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to stdout: {e}"))
            }
            _ => Ok(()),
        };
    };
    if !force && out.exists() {
        return Err(format!(
            "{} already exists: pass --force to replace it",
            out.display()
        ));
    }
    crate::generated::write_atomically(out, &yaml)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// The warnings `import` wrote into the note's header comment.
pub fn warnings(yaml: &str) -> impl Iterator<Item = &str> {
    yaml.lines()
        .take_while(|line| line.starts_with('#'))
        .filter_map(|line| line.strip_prefix(WARNING))
}

/// Turns the Markdown outline `markdown` into the text of a note file whose name
/// (without extension) is `file_stem`: the note loads with no finding, or this fails.
pub fn import(markdown: &str, file_stem: &str) -> Result<String, String> {
    let outline = read_outline(markdown, file_stem)?;
    let id = if is_id(file_stem) {
        None
    } else {
        Some(Id([slug(file_stem), slug(&outline.note.title)]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "imported-note".to_owned())))
    };
    let note = Note { id, ..outline.note };
    let yaml = emit(&note, &outline.warnings);
    verify(&yaml, &note, file_stem)?;
    Ok(yaml)
}

/// Loads `yaml` as the file `file_stem.yaml` and checks that it has no finding and
/// reads back as `note`; either failure is a bug in the importer.
fn verify(yaml: &str, note: &Note, file_stem: &str) -> Result<(), String> {
    let name = match &note.id {
        Some(id) => format!("{id}.yaml"),
        None => format!("{file_stem}.yaml"),
    };
    let loaded = notes_core::load_bytes(Path::new(&name), yaml.as_bytes());
    let bug = "this is a bug in `cargo xtask import`: please report it with the outline";
    if !loaded.findings.is_empty() {
        let mut report = String::new();
        for finding in &loaded.findings {
            let _ = writeln!(report, "{}", finding.short_line(&name, loaded.source()));
        }
        return Err(format!(
            "{report}the imported note does not load cleanly; {bug}"
        ));
    }
    match loaded.document {
        Some(document) if document.note == *note => Ok(()),
        _ => Err(format!(
            "the imported note does not read back as the outline; {bug}"
        )),
    }
}

/// The note an outline makes, and what the import had to change to make it.
struct Outline {
    note: Note,
    warnings: Vec<String>,
}

/// One line of the outline, classified.
#[derive(Clone, Debug, PartialEq)]
enum Line<'a> {
    /// Nothing to import: a blank line, the LaTeX preamble, front matter, a rule.
    Skip,
    /// A Markdown heading, without its `#`s.
    Heading(&'a str),
    /// A bullet: its indentation in columns and its text.
    Bullet(usize, &'a str),
    /// A plain line after a bullet, indented: more of that bullet's text.
    Continuation(&'a str),
    /// Any other line, trimmed.
    Plain(&'a str),
}

/// A claim before nesting: its generation (0 for a section's own claims) and text.
struct FlatClaim {
    depth: usize,
    text: String,
}

/// A section being read.
struct SectionDraft {
    title: String,
    caveats: Vec<String>,
    claims: Vec<FlatClaim>,
    /// The indentation of each open bullet, outermost first.
    open: Vec<usize>,
}

impl SectionDraft {
    fn new(title: &str) -> SectionDraft {
        SectionDraft {
            title: title.to_owned(),
            caveats: Vec::new(),
            claims: Vec::new(),
            open: Vec::new(),
        }
    }
}

fn read_outline(markdown: &str, file_stem: &str) -> Result<Outline, String> {
    let text = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
    // CommonMark ends lines with LF, CRLF or a lone CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = classify(&text);

    let mut title: Option<String> = None;
    let mut note_caveats: Vec<String> = Vec::new();
    let mut sections: Vec<SectionDraft> = Vec::new();
    let mut seen_bullet = false;
    let mut flattened = 0_usize;
    let mut deepest = 0_usize;
    for (index, line) in lines.iter().enumerate() {
        match *line {
            Line::Skip => {}
            Line::Heading(heading) => {
                if title.is_none() && !seen_bullet {
                    title = Some(heading.to_owned());
                } else {
                    sections.push(SectionDraft::new(heading));
                }
            }
            Line::Plain(plain) => {
                if title.is_none() && !seen_bullet {
                    title = Some(plain.to_owned());
                } else if !is_labelled(plain) && next_is_bullet(&lines[index + 1..]) {
                    sections.push(SectionDraft::new(plain));
                } else {
                    match sections.last_mut() {
                        Some(section) => section.caveats.push(plain.to_owned()),
                        None => note_caveats.push(plain.to_owned()),
                    }
                }
            }
            Line::Bullet(indent, bullet) => {
                seen_bullet = true;
                let title = title.get_or_insert_with(|| fallback_title(file_stem));
                if sections.is_empty() {
                    sections.push(SectionDraft::new(title));
                }
                let Some(section) = sections.last_mut() else {
                    continue;
                };
                while section.open.last().is_some_and(|&open| open >= indent) {
                    section.open.pop();
                }
                let depth = section.open.len();
                section.open.push(indent);
                deepest = deepest.max(depth + 1);
                if depth >= MAX_GENERATIONS {
                    flattened += 1;
                }
                section.claims.push(FlatClaim {
                    depth: depth.min(MAX_GENERATIONS - 1),
                    text: bullet.to_owned(),
                });
            }
            Line::Continuation(more) => {
                if let Some(claim) = sections.last_mut().and_then(|s| s.claims.last_mut()) {
                    if !claim.text.is_empty() {
                        claim.text.push(' ');
                    }
                    claim.text.push_str(more);
                }
            }
        }
    }
    let Some(title) = title else {
        return Err(
            "nothing to import: the file has no title line, heading or bullet \
             (blank lines and the LaTeX preamble are skipped)"
                .to_owned(),
        );
    };
    let mut warnings = Vec::new();
    if flattened > 0 {
        warnings.push(format!(
            "the outline nests {deepest} bullets deep and note files allow {MAX_GENERATIONS}: \
             {flattened} deeper bullets were moved up to level {MAX_GENERATIONS}, under the \
             nearest claim at level {} above them",
            MAX_GENERATIONS - 1
        ));
    }
    let note = Note {
        schema: None,
        title,
        id: None,
        written: None,
        reviewed: None,
        summary_of: None,
        as_of: None,
        shelf_life: None,
        sensitive_to: Vec::new(),
        tags: Vec::new(),
        sources: Vec::new(),
        events: Vec::new(),
        caveats: inline_caveats(note_caveats),
        allow: Vec::new(),
        sections: sections.into_iter().map(build_section).collect(),
    };
    Ok(Outline { note, warnings })
}

/// Classifies every line of `text` (LF line endings).
fn classify(text: &str) -> Vec<Line<'_>> {
    let raw: Vec<&str> = text.split('\n').collect();
    let mut lines = Vec::with_capacity(raw.len());
    let mut index = 0;
    if let Some(end) = front_matter_end(&raw) {
        lines.resize(end + 1, Line::Skip);
        index = end + 1;
    }
    // Whether the previous line was a bullet or its continuation.
    let mut in_bullet = false;
    while index < raw.len() {
        let line = raw[index].trim_end();
        let content = line.trim_start_matches([' ', '\t']);
        index += 1;
        if content.is_empty() || is_thematic_break(content) {
            in_bullet = false;
            lines.push(Line::Skip);
            continue;
        }
        if let Some(open) = preamble_braces(content) {
            // A definition whose braces stay open runs over the following lines.
            let mut open = open;
            lines.push(Line::Skip);
            while open > 0 && index < raw.len() {
                let next = raw[index].trim();
                if next.is_empty() || bullet(next).is_some() {
                    break;
                }
                open += brace_balance(next);
                lines.push(Line::Skip);
                index += 1;
            }
            in_bullet = false;
            continue;
        }
        if let Some(text) = bullet(content) {
            in_bullet = true;
            lines.push(Line::Bullet(indent_width(line), text));
        } else if in_bullet && content.len() < line.len() {
            lines.push(Line::Continuation(content));
        } else if let Some(heading) = heading(content) {
            in_bullet = false;
            lines.push(if heading.is_empty() {
                Line::Skip
            } else {
                Line::Heading(heading)
            });
        } else {
            in_bullet = false;
            lines.push(Line::Plain(content));
        }
    }
    lines
}

/// The index of the line that closes YAML front matter (`---` on the first line), if
/// the file starts with front matter.
fn front_matter_end(raw: &[&str]) -> Option<usize> {
    if raw.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    raw.iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .map(|i| i + 1)
}

/// A thematic break: three or more `-`, `*` or `_` (the same one), maybe spaced; also
/// a setext heading's `===` underline.
fn is_thematic_break(content: &str) -> bool {
    let marks: Vec<char> = content
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t'))
        .collect();
    marks.len() >= 3
        && matches!(marks[0], '-' | '*' | '_' | '=')
        && marks.iter().all(|&c| c == marks[0])
        && (marks[0] != '=' || !content.contains([' ', '\t']))
}

/// LaTeX commands whose lines belong to a macro preamble, never to the outline.
const PREAMBLE_COMMANDS: &[&str] = &[
    "newcommand",
    "renewcommand",
    "providecommand",
    "DeclareRobustCommand",
    "NewDocumentCommand",
    "RenewDocumentCommand",
    "ProvideDocumentCommand",
    "DeclareDocumentCommand",
    "NewCommandCopy",
    "DeclareMathOperator",
    "DeclarePairedDelimiter",
    "DeclarePairedDelimiterX",
    "DeclareMathSymbol",
    "DeclareMathAlphabet",
    "DeclareSymbolFont",
    "newenvironment",
    "renewenvironment",
    "newtheorem",
    "let",
    "def",
    "gdef",
    "edef",
    "xdef",
    "global",
    "long",
    "newif",
    "newcounter",
    "setcounter",
    "newlength",
    "setlength",
    "usepackage",
    "RequirePackage",
    "documentclass",
    "makeatletter",
    "makeatother",
    "require",
];

/// For a preamble line (a `%` comment or a macro definition), how many of its braces
/// stay open; `None` for any other line.
fn preamble_braces(content: &str) -> Option<i64> {
    if content.starts_with('%') {
        return Some(0);
    }
    let name = content.strip_prefix('\\')?;
    let end = name
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(name.len());
    PREAMBLE_COMMANDS
        .contains(&&name[..end])
        .then(|| brace_balance(content))
}

/// Opening braces less closing ones, outside `%` comments and escapes such as `\{`.
fn brace_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '%' => break,
            '{' => balance += 1,
            '}' => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// The text of a bullet line (`- `, `* `, `+ `, `1. `, `1) `) without its marker, or
/// `None` when `content` (the line without its indentation) is not a bullet.
fn bullet(content: &str) -> Option<&str> {
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        if digits > 9 {
            return None;
        }
        content[digits..]
            .strip_prefix('.')
            .or_else(|| content[digits..].strip_prefix(')'))?
    } else {
        content.strip_prefix(['-', '*', '+'])?
    };
    if rest.is_empty() {
        return Some(rest);
    }
    let text = rest.strip_prefix([' ', '\t'])?;
    Some(text.trim())
}

/// The text of a Markdown heading (`#` to `######`, then a space) without its `#`s.
fn heading(content: &str) -> Option<&str> {
    let level = content.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &content[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim();
    // A closing sequence of `#`s is not part of the heading.
    let unclosed = text.trim_end_matches('#');
    if unclosed.is_empty() {
        return Some(unclosed);
    }
    if unclosed.ends_with([' ', '\t']) {
        return Some(unclosed.trim_end());
    }
    Some(text)
}

/// The width of a line's indentation, with tab stops every four columns.
fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// Whether a plain line is a labelled remark ("Note: ...", "Caveat: ..."): a caveat,
/// never a section title.
fn is_labelled(plain: &str) -> bool {
    const LABELS: &[&str] = &[
        "note",
        "notes",
        "nb",
        "n.b.",
        "caveat",
        "caveats",
        "warning",
        "caution",
        "disclaimer",
        "important",
        "edit",
        "update",
        "ps",
        "p.s.",
    ];
    let Some((label, _)) = plain.split_once(':') else {
        return false;
    };
    LABELS.contains(&label.trim_end().to_ascii_lowercase().as_str())
}

/// Whether the next line with content is a bullet, looking past labelled remarks
/// (which stay with the section they follow).
fn next_is_bullet(rest: &[Line<'_>]) -> bool {
    for line in rest {
        match line {
            Line::Skip => {}
            Line::Plain(plain) if is_labelled(plain) => {}
            Line::Bullet(..) => return true,
            Line::Heading(_) | Line::Continuation(_) | Line::Plain(_) => return false,
        }
    }
    false
}

/// The note's title when the outline starts with bullets: the file stem.
fn fallback_title(file_stem: &str) -> String {
    let stem = file_stem.trim();
    if stem.is_empty() {
        "Imported note".to_owned()
    } else {
        stem.to_owned()
    }
}

/// `text` as an id: ASCII letters and digits lowercased, runs of anything else as one
/// dash, no dash at either end; empty when `text` has no ASCII letter or digit.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn inline_caveats(texts: Vec<String>) -> Vec<CaveatRef> {
    texts
        .into_iter()
        .map(|text| {
            CaveatRef::Inline(Caveat {
                id: None,
                text,
                as_of: None,
                before: None,
                review_by: None,
            })
        })
        .collect()
}

fn build_section(draft: SectionDraft) -> Section {
    let mut claims: Vec<Claim> = Vec::new();
    for flat in draft.claims {
        // Skipped: an empty bullet says nothing.
        if flat.text.is_empty() {
            continue;
        }
        let mut siblings = &mut claims;
        for _ in 0..flat.depth {
            let Some(last) = siblings.len().checked_sub(1) else {
                break;
            };
            siblings = &mut siblings[last].children;
        }
        siblings.push(new_claim(flat.text));
    }
    Section {
        title: draft.title,
        as_of: None,
        reviewed: None,
        shelf_life: None,
        sources: Vec::new(),
        caveats: inline_caveats(draft.caveats),
        sensitive_to: Vec::new(),
        tags: Vec::new(),
        allow: Vec::new(),
        claims,
    }
}

fn new_claim(text: String) -> Claim {
    let kind = if is_quote(&text) {
        ClaimKind::Quote
    } else {
        ClaimKind::Claim
    };
    Claim {
        text,
        id: None,
        kind,
        sources: Vec::new(),
        as_of: None,
        reviewed: None,
        shelf_life: None,
        sensitive_to: Vec::new(),
        caveats: Vec::new(),
        resolves: None,
        outcome: None,
        tags: Vec::new(),
        allow: Vec::new(),
        children: Vec::new(),
    }
}

/// Whether `text` is wholly one quotation: “…” (quotations may nest inside it) or
/// "..." (with no `"` inside).
fn is_quote(text: &str) -> bool {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return !inner.is_empty() && !inner.contains('"');
    }
    let Some(inner) = text
        .strip_prefix('\u{201c}')
        .and_then(|t| t.strip_suffix('\u{201d}'))
    else {
        return false;
    };
    let mut open = 1_usize;
    for c in inner.chars() {
        match c {
            '\u{201c}' => open += 1,
            '\u{201d}' if open == 1 => return false,
            '\u{201d}' => open -= 1,
            _ => {}
        }
    }
    !inner.is_empty()
}

/// The note as YAML: the modeline, a header comment (with `warnings`), then the note
/// with every string double-quoted.
fn emit(note: &Note, warnings: &[String]) -> String {
    let mut out = String::new();
    out.push_str(MODELINE);
    out.push('\n');
    out.push_str(
        "# Imported from a Markdown outline by `cargo xtask import`. Add `summary_of`,\n\
         # `sources` and `as_of` dates so that notes-lint can check the claims.\n",
    );
    for warning in warnings {
        let _ = writeln!(out, "{WARNING}{warning}");
    }
    let _ = writeln!(out, "title: {}", quoted(&note.title));
    if let Some(id) = &note.id {
        let _ = writeln!(out, "id: {}", quoted(id.as_str()));
    }
    emit_caveats(&mut out, &note.caveats, "");
    if !note.sections.is_empty() {
        out.push_str("\nsections:\n");
    }
    for section in &note.sections {
        let _ = writeln!(out, "  - title: {}", quoted(&section.title));
        emit_caveats(&mut out, &section.caveats, "    ");
        if !section.claims.is_empty() {
            out.push_str("    claims:\n");
            emit_claims(&mut out, &section.claims, "      ");
        }
    }
    out
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
        if !claim.children.is_empty() {
            let _ = writeln!(out, "{indent}  children:");
            emit_claims(out, &claim.children, &format!("{indent}    "));
        }
    }
}

/// `text` as a YAML double-quoted scalar on one line: `"` and `\` escaped, and every
/// character that YAML does not allow as is, or reads as a line break, escaped too.
fn quoted(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../tests/data/birds-eye-view.seed.txt");

    /// Imports `markdown` and loads the result, which must have no finding.
    fn load(markdown: &str) -> Note {
        let yaml = import(markdown, "note").unwrap();
        let loaded = notes_core::load_bytes(Path::new("note.yaml"), yaml.as_bytes());
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        loaded.document.unwrap().note
    }

    /// Every claim in document order, with its generation (1 for a section's claims).
    fn flatten(claims: &[Claim], depth: usize, out: &mut Vec<(usize, String, ClaimKind)>) {
        for claim in claims {
            out.push((depth, claim.text.clone(), claim.kind));
            flatten(&claim.children, depth + 1, out);
        }
    }

    fn claims(note: &Note) -> Vec<(usize, String, ClaimKind)> {
        let mut out = Vec::new();
        for section in &note.sections {
            flatten(&section.claims, 1, &mut out);
        }
        out
    }

    fn texts(note: &Note) -> Vec<String> {
        claims(note).into_iter().map(|(_, text, _)| text).collect()
    }

    fn caveat_texts(caveats: &[CaveatRef]) -> Vec<&str> {
        caveats
            .iter()
            .map(|c| match c {
                CaveatRef::Inline(c) => c.text.as_str(),
                CaveatRef::Id(id) => id.as_str(),
            })
            .collect()
    }

    #[test]
    fn the_seed_imports_as_four_flat_sections_with_every_bullet_verbatim() {
        let yaml = import(SEED, "birds-eye-view").unwrap();
        assert!(yaml.starts_with(&format!("{MODELINE}\n")));
        let note = load(SEED);
        assert_eq!(
            note.title,
            "Personal summary of A Bird\u{2019}s Eye View of the ML Field from the Pragmatic AI safety sequence."
        );
        let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Driving dynamics of the ML field",
                "The ML research ecosystems",
                "Analyzing the trajectory of researchers",
                "AGI and AI safety"
            ]
        );
        let expected: Vec<String> = SEED
            .lines()
            .filter_map(|line| line.strip_prefix("- "))
            .map(|text| text.trim_end().to_owned())
            .collect();
        assert_eq!(expected.len(), 136);
        assert_eq!(texts(&note), expected);
        assert!(claims(&note).iter().all(|(depth, _, _)| *depth == 1));
        for (_, text, _) in claims(&note) {
            assert!(
                !text.starts_with(['%', '\\'])
                    && !["newcommand", "DeclareMathOperator", "\\let", "mathopen"]
                        .iter()
                        .any(|latex| text.contains(latex)),
                "LaTeX in a claim: {text}"
            );
        }
        assert!(note.caveats.is_empty());
        let caveats: Vec<Vec<&str>> = note
            .sections
            .iter()
            .map(|s| caveat_texts(&s.caveats))
            .collect();
        assert_eq!(
            caveats,
            [
                vec![],
                vec![],
                vec![],
                vec![
                    "Note: the article was written in May 2022; things haveprobably significantly changed since."
                ]
            ]
        );
        let kind_of = |needle: &str| {
            claims(&note)
                .into_iter()
                .find(|(_, text, _)| text.contains(needle))
                .map(|(_, _, kind)| kind)
        };
        assert_eq!(
            kind_of("most researchers can be considered"),
            Some(ClaimKind::Quote)
        );
        assert_eq!(
            kind_of("it\u{2019}s common for them"),
            Some(ClaimKind::Quote)
        );
        assert_eq!(
            kind_of("Highly Influential Citations"),
            Some(ClaimKind::Claim)
        );
        assert_eq!(kind_of("Further reading:"), Some(ClaimKind::Claim));
        let quotes = claims(&note)
            .iter()
            .filter(|(_, _, kind)| *kind == ClaimKind::Quote)
            .count();
        assert_eq!(quotes, 6);
    }

    #[test]
    fn the_import_is_deterministic_and_readable() {
        let yaml = import(SEED, "birds-eye-view").unwrap();
        assert_eq!(import(SEED, "birds-eye-view").unwrap(), yaml);
        assert!(yaml.contains(
            "\nsections:\n  - title: \"Driving dynamics of the ML field\"\n    claims:\n      - text: \"Empirical ML research"
        ));
        assert!(yaml.contains(
            "  - title: \"AGI and AI safety\"\n    caveats:\n      - text: \"Note: the article"
        ));
        assert!(yaml.contains("        kind: \"quote\"\n"));
        // A valid stem needs no `id`; an invalid one gets its slug.
        assert!(!yaml.contains("\nid: "));
        let yaml = import(SEED, "Birds Eye.seed").unwrap();
        assert!(yaml.contains("\nid: \"birds-eye-seed\"\n"));
    }

    #[test]
    fn indentation_with_spaces_or_tabs_makes_children() {
        let spaces = "Title\n# S\n- a\n  - b\n    - c\n  - d\n- e\n      - f\n   - g\n";
        let tabs = "Title\n# S\n- a\n\t- b\n\t\t- c\n\t- d\n- e\n\t\t\t- f\n\t- g\n";
        let four =
            "Title\n# S\n1. a\n    * b\n        + c\n    * d\n2. e\n            - f\n    - g\n";
        let expected: Vec<(usize, String, ClaimKind)> = [
            (1, "a"),
            (2, "b"),
            (3, "c"),
            (2, "d"),
            (1, "e"),
            (2, "f"),
            (2, "g"),
        ]
        .iter()
        .map(|&(depth, text)| (depth, text.to_owned(), ClaimKind::Claim))
        .collect();
        for outline in [spaces, tabs, four] {
            assert_eq!(claims(&load(outline)), expected, "{outline:?}");
        }
        let mixed = "T\n- a\n\t- b\n    - c\n  \t- d\n";
        let depths: Vec<usize> = claims(&load(mixed)).iter().map(|c| c.0).collect();
        assert_eq!(depths, [1, 2, 2, 2]);
    }

    #[test]
    fn a_flat_outline_stays_flat() {
        let note = load("T\n- Lead-in:\n- a\n- b\n");
        assert!(claims(&note).iter().all(|(depth, _, _)| *depth == 1));
        assert_eq!(texts(&note), ["Lead-in:", "a", "b"]);
    }

    #[test]
    fn whole_quotations_are_quotes() {
        let note = load(
            "T\n- \u{201c}All of it.\u{201d}\n- \"All of it.\"\n- \u{201c}Half\u{201d} of it\n\
             - \u{201c}a\u{201d} and \u{201c}b\u{201d}\n- \"a\" and \"b\"\n- \"\n- \"\"\n\
             - \u{201c}They call it \u{201c}hype\u{201d}, not \u{201c}science.\u{201d}\u{201d}\n",
        );
        let kinds: Vec<ClaimKind> = claims(&note).iter().map(|c| c.2).collect();
        use ClaimKind::{Claim as C, Quote as Q};
        assert_eq!(kinds, [Q, Q, C, C, C, C, C, Q]);
    }

    #[test]
    fn headings_plain_lines_and_remarks() {
        let note = load(concat!(
            "---\ntitle: front matter\n---\n",
            "# The title #\n- early\n",
            "## Part one\nCaveat: old numbers\n- a\nTrailing remark\n",
            "A plain line before bullets\n- b\n  still b\n#hashtag line\nNote: last\n",
        ));
        assert_eq!(note.title, "The title");
        let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            ["The title", "Part one", "A plain line before bullets"]
        );
        assert_eq!(
            caveat_texts(&note.sections[1].caveats),
            ["Caveat: old numbers", "Trailing remark"]
        );
        assert_eq!(
            caveat_texts(&note.sections[2].caveats),
            ["#hashtag line", "Note: last"]
        );
        assert_eq!(texts(&note), ["early", "a", "b still b"]);
        let note = load("Title\nNote: before any section\n- a\n");
        assert_eq!(caveat_texts(&note.caveats), ["Note: before any section"]);
        assert_eq!(note.sections[0].title, "Title");
    }

    #[test]
    fn bullets_before_any_title_take_the_file_stem() {
        let yaml = import("- a\n- b\n", "my-note").unwrap();
        assert!(yaml.contains("title: \"my-note\"\n"));
        assert!(yaml.contains("  - title: \"my-note\"\n"));
    }

    #[test]
    fn preamble_is_skipped_even_across_lines() {
        let note = load(
            "% comment\n\\newcommand{\\x}{\n  \\mathrm{x}\n}\n\\def\\y{y}\n\\let\\a\\b\n\
             \\DeclareMathOperator*{\\z}{z}\n\\require{cancel}\nTitle\n- \\letter stays\n\
             - % stays\n",
        );
        assert_eq!(note.title, "Title");
        assert_eq!(texts(&note), ["\\letter stays", "% stays"]);
    }

    #[test]
    fn nothing_to_import_is_a_clear_error() {
        for outline in [
            "",
            "\n\n  \n",
            "% only\n\\newcommand{\\x}{x}\n",
            "\u{feff}\r\n",
        ] {
            let error = import(outline, "note").unwrap_err();
            assert!(error.starts_with("nothing to import"), "{error}");
        }
    }

    #[test]
    fn crlf_reads_like_lf() {
        let lf = import(SEED, "birds-eye-view").unwrap();
        assert_eq!(
            import(&SEED.replace('\n', "\r\n"), "birds-eye-view").unwrap(),
            lf
        );
        assert_eq!(
            import(&SEED.replace('\n', "\r"), "birds-eye-view").unwrap(),
            lf
        );
    }

    #[test]
    fn awkward_text_round_trips() {
        let bullets = [
            "key: value",
            "a # not a comment",
            "# not a heading either",
            "\"unbalanced",
            "back\\slash \\n \\\"",
            "* star",
            "& ampersand",
            "! bang",
            "% percent",
            "@ at",
            "` backtick",
            "| pipe",
            "> angle",
            "{flow: map}",
            "[flow, seq]",
            "- dash",
            "? question",
            "'single",
            "null",
            "~",
            "2022-05",
            "0x1F",
            "yes",
            "\u{1f600} emoji \u{1f9ea}",
            "tab\tinside",
            "nul\u{0} bell\u{7} del\u{7f} nel\u{85} ls\u{2028} ps\u{2029} bom\u{feff} nonchar\u{fffe}",
            "right-to-left \u{202e}txet",
            "e\u{301} combining",
        ];
        let outline: String = std::iter::once("Title: with colon & \"quotes\"\n".to_owned())
            .chain(bullets.iter().map(|b| format!("- {b}\n")))
            .collect();
        let note = load(&outline);
        assert_eq!(note.title, "Title: with colon & \"quotes\"");
        assert_eq!(texts(&note), bullets);
    }

    /// Runs `test` on a thread with a main thread's stack: parsing a note at the
    /// loader's depth limit takes more than a test thread's 2 MiB in debug builds.
    fn on_a_large_stack(test: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(test)
            .unwrap()
            .join()
            .unwrap();
    }

    /// A chain of `generations` claims, each the only child of the one before.
    fn chain(generations: usize) -> Note {
        let mut claim = new_claim("last".to_owned());
        for _ in 1..generations {
            let mut parent = new_claim("parent".to_owned());
            parent.children.push(claim);
            claim = parent;
        }
        let mut note = read_outline("T\n- x\n", "chain").unwrap().note;
        note.sections[0].claims = vec![claim];
        note
    }

    #[test]
    fn max_generations_is_the_loaders_limit() {
        on_a_large_stack(|| {
            let path = Path::new("chain.yaml");
            let yaml = emit(&chain(MAX_GENERATIONS), &[]);
            assert!(
                notes_core::load_bytes(path, yaml.as_bytes())
                    .findings
                    .is_empty()
            );
            let yaml = emit(&chain(MAX_GENERATIONS + 1), &[]);
            assert!(
                !notes_core::load_bytes(path, yaml.as_bytes())
                    .findings
                    .is_empty()
            );
        });
    }

    #[test]
    fn a_very_deep_outline_is_kept_within_the_depth_limit() {
        on_a_large_stack(a_very_deep_outline);
    }

    fn a_very_deep_outline() {
        let outline: String = std::iter::once("Deep\n".to_owned())
            .chain((0..10_000).map(|i| format!("{}- level {i}\n", " ".repeat(i))))
            .collect();
        let yaml = import(&outline, "deep").unwrap();
        let warning: Vec<&str> = warnings(&yaml).collect();
        assert_eq!(warning.len(), 1);
        assert!(warning[0].contains("10000 bullets deep"), "{}", warning[0]);
        let note = load(&outline);
        let all = claims(&note);
        assert_eq!(all.len(), 10_000);
        assert_eq!(all.iter().map(|c| c.0).max(), Some(MAX_GENERATIONS));
        assert_eq!(
            all[MAX_GENERATIONS - 1].1,
            format!("level {}", MAX_GENERATIONS - 1)
        );
        // The same depth with tabs, and an outline exactly at the limit keeps its shape.
        let tabs: String = std::iter::once("Deep\n".to_owned())
            .chain((0..2_000).map(|i| format!("{}- t{i}\n", "\t".repeat(i))))
            .collect();
        assert_eq!(claims(&load(&tabs)).len(), 2_000);
        let limit: String = (0..MAX_GENERATIONS)
            .map(|i| format!("{}- \"q{i}\"\n", "  ".repeat(i)))
            .collect();
        let yaml = import(&limit, "limit").unwrap();
        assert_eq!(warnings(&yaml).count(), 0);
        let depths: Vec<usize> = claims(&load(&limit)).iter().map(|c| c.0).collect();
        assert_eq!(depths, (1..=MAX_GENERATIONS).collect::<Vec<_>>());
    }

    #[test]
    fn random_outlines_never_panic_and_always_load() {
        const PIECES: &[&str] = &[
            "- ",
            "* ",
            "+ ",
            "1. ",
            "2) ",
            "  ",
            "\t",
            "# ",
            "## ",
            "\n",
            "\r\n",
            "\r",
            "%",
            "\\newcommand{",
            "\\let",
            "}",
            "{",
            "Note: ",
            "text",
            ": ",
            "\"",
            "\u{201c}",
            "\u{201d}",
            "\\",
            "#",
            "&",
            "!",
            "@",
            "`",
            "'",
            "---",
            "***",
            "\u{1f600}",
            "\u{0}",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "é",
            "123",
            "-",
            "=",
            "...",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).unwrap() % n
        };
        for _ in 0..400 {
            let len = next(60);
            let outline: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            match import(&outline, "fuzz") {
                Ok(yaml) => {
                    let loaded = notes_core::load_bytes(Path::new("fuzz.yaml"), yaml.as_bytes());
                    assert!(loaded.findings.is_empty(), "{outline:?}");
                }
                Err(error) => assert!(
                    error.starts_with("nothing to import"),
                    "{outline:?}: {error}"
                ),
            }
        }
    }

    #[test]
    fn the_command_writes_atomically_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("outline.md");
        std::fs::write(&input, "Title\n- a claim\n").unwrap();
        let out = dir.path().join("notes").join("outline.yaml");
        run(&input, Some(&out), false).unwrap();
        let first = std::fs::read_to_string(&out).unwrap();
        assert!(first.contains("- text: \"a claim\"\n"));
        std::fs::write(&input, "Title\n- another claim\n").unwrap();
        let error = run(&input, Some(&out), false).unwrap_err();
        assert!(error.contains("already exists: pass --force"), "{error}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
        run(&input, Some(&out), true).unwrap();
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("another claim")
        );
        let error = run(&input, Some(&dir.path().join("x.json")), false).unwrap_err();
        assert!(error.contains(".yaml or .yml"), "{error}");
        std::fs::write(&input, [b'-', b' ', 0xff, b'\n']).unwrap();
        let error = run(&input, Some(&out), true).unwrap_err();
        assert!(error.contains("not valid UTF-8"), "{error}");
    }

    #[test]
    fn an_invalid_output_stem_gets_an_explicit_id() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("outline.md");
        std::fs::write(&input, "Title\n- a claim\n").unwrap();
        let out = dir.path().join("My Note.yaml");
        run(&input, Some(&out), false).unwrap();
        let loaded = notes_core::load_path(&out);
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        assert_eq!(loaded.document.unwrap().id, "my-note");
    }
}
