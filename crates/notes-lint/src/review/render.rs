//! The review queue as text, JSON, or a Markdown checklist for an issue.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde_json::{Value, json};

use super::{Entry, Reason, SourceToCheck};

fn counts(entries: &[Entry]) -> [usize; 3] {
    let count = |reason| entries.iter().filter(|e| e.reason == reason).count();
    [
        count(Reason::Overtaken),
        count(Reason::Stale),
        count(Reason::ForecastDue),
    ]
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn summary_line(entries: &[Entry], total: usize) -> String {
    let [overtaken, stale, forecasts] = counts(entries);
    let shown = if entries.len() < total {
        format!(" (the first {} of {total})", entries.len())
    } else {
        String::new()
    };
    format!(
        "{} to review{shown}: {overtaken} overtaken, {stale} stale, {}",
        plural(entries.len(), "entry", "entries"),
        plural(forecasts, "forecast due", "forecasts due"),
    )
}

fn place(entry: &Entry) -> String {
    format!("{}:{}:{}", entry.file.display(), entry.line, entry.column)
}

fn source_line(source: &SourceToCheck) -> String {
    let mut line = format!("`{}`", source.id);
    if let Some(title) = &source.title {
        line.push_str(&format!(" {title}"));
    }
    if !source.locators.is_empty() {
        line.push_str(&format!(" ({})", source.locators.join("; ")));
    }
    if let Some(link) = &source.link {
        line.push_str(&format!(" <{link}>"));
    }
    line
}

/// The queue for a person at a terminal: numbered entries, then a summary line.
/// `total` is the length of the queue before `--limit`.
pub fn human(entries: &[Entry], total: usize) -> String {
    let mut out = String::new();
    for (i, entry) in entries.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, entry.text);
        let _ = writeln!(out, "   at:       {}", place(entry));
        let _ = writeln!(out, "   why:      {}", entry.message);
        if let Some(title) = entry.event.as_ref().and_then(|e| e.title.as_ref()) {
            let _ = writeln!(out, "   event:    {title}");
        }
        let _ = writeln!(
            out,
            "   covers:   {}",
            plural(entry.covers, "claim", "claims")
        );
        for (n, source) in entry.sources.iter().enumerate() {
            let head = if n == 0 { "re-check:" } else { "" };
            let _ = writeln!(out, "   {head:<9} {}", source_line(source));
        }
        if let Some(mark) = &entry.mark {
            let _ = writeln!(out, "   then:     notes-lint review --mark {mark}");
        }
        out.push('\n');
    }
    out.push_str(&summary_line(entries, total));
    out.push('\n');
    out
}

/// The queue as one JSON object: `version`, `today`, `summary`, `entries`.
pub fn json(entries: &[Entry], total: usize, today: Date) -> String {
    let [overtaken, stale, forecasts] = counts(entries);
    let items: Vec<Value> = entries
        .iter()
        .map(|entry| {
            json!({
                "reason": entry.reason.as_str(),
                "rule": entry.rule,
                "severity": entry.severity.as_str(),
                "message": entry.message,
                "due_since": entry.since.to_string(),
                "event": entry.event.as_ref().map(|event| json!({
                    "id": event.id,
                    "date": event.date.map(|d| d.to_string()),
                    "title": event.title,
                })),
                "file": entry.file.display().to_string(),
                "line": entry.line,
                "column": entry.column,
                "note": entry.note,
                "claim": entry.claim,
                "text": entry.text,
                "covers": entry.covers,
                "sources": entry.sources.iter().map(|s| json!({
                    "id": s.id,
                    "title": s.title,
                    "locators": s.locators,
                    "link": s.link,
                })).collect::<Vec<_>>(),
                "mark": entry.mark,
            })
        })
        .collect();
    let report = json!({
        "version": 1,
        "today": today.to_string(),
        "summary": {
            "entries": entries.len(),
            "total": total,
            "overtaken": overtaken,
            "stale": stale,
            "forecast_due": forecasts,
        },
        "entries": items,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// Escapes the characters that Markdown would read as formatting; backquotes are kept
/// as code spans in `code` mode (the findings' messages quote ids that way).
fn escape_with(text: &str, code: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '[' | ']' | '<' | '>' | '#' | '|') || (c == '`' && !code) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape(text: &str) -> String {
    escape_with(text, false)
}

/// The queue as the body of an issue: a checklist, one item per entry, with the
/// sources to re-read and the command that records the review.
pub fn markdown(entries: &[Entry], total: usize, today: Date) -> String {
    let mut out = format!("## Claims to re-check ({today})\n\n");
    if entries.is_empty() {
        out.push_str("Nothing is due.\n");
        return out;
    }
    let _ = writeln!(out, "{}.\n", summary_line(entries, total));
    for entry in entries {
        let what = match entry.reason {
            Reason::Overtaken => "Overtaken",
            Reason::Stale => "Stale",
            Reason::ForecastDue => "Forecast due",
        };
        let _ = writeln!(
            out,
            "- [ ] **{what}:** {} (`{}`, {})",
            escape(&entry.text),
            place(entry),
            plural(entry.covers, "claim", "claims"),
        );
        let _ = writeln!(out, "  - Why: {}", escape_with(&entry.message, true));
        if let Some(title) = entry.event.as_ref().and_then(|e| e.title.as_ref()) {
            let _ = writeln!(out, "  - Event: {}", escape(title));
        }
        for source in &entry.sources {
            let name = escape(source.title.as_deref().unwrap_or(&source.id));
            let mut line = match &source.link {
                Some(link) => format!("[{name}](<{link}>)"),
                None => name,
            };
            if !source.locators.is_empty() {
                line.push_str(&format!(", at {}", escape(&source.locators.join("; "))));
            }
            let _ = writeln!(out, "  - Re-check: {line}");
        }
        if let Some(mark) = &entry.mark {
            let _ = writeln!(out, "  - Then: `notes-lint review --mark {mark}`");
        }
    }
    out
}
