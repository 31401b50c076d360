//! The review loop: the queue of claims to re-check, most urgent first, and the edit
//! that records a review (`reviewed:`).
//!
//! The queue is read off the time rules' findings (`overtaken-by-event`, `stale-claim`,
//! `forecast-due`), so it has one entry per root cause, as they do.

pub mod cli;
pub mod mark;
pub mod render;

use std::path::PathBuf;

use jiff::civil::Date;
use notes_core::tree::Segment;
use notes_core::{Finding, PartialDate, Severity};

use crate::corpus::{Corpus, NoteView};
use crate::engine::Outcome;

/// The rules whose findings call for a review, in the queue's order.
pub const RULES: [&str; 3] = ["overtaken-by-event", "stale-claim", "forecast-due"];

/// Why an entry is due, in the queue's order of urgency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// An event the claims are sensitive to happened after their as_of.
    Overtaken,
    /// The claims were last checked longer ago than their shelf life.
    Stale,
    /// A forecast's resolves date has passed and it has no outcome.
    ForecastDue,
}

impl Reason {
    /// The reason's name in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Overtaken => "overtaken",
            Reason::Stale => "stale",
            Reason::ForecastDue => "forecast-due",
        }
    }

    fn of(rule: &str) -> Option<Reason> {
        match rule {
            "overtaken-by-event" => Some(Reason::Overtaken),
            "stale-claim" => Some(Reason::Stale),
            "forecast-due" => Some(Reason::ForecastDue),
            _ => None,
        }
    }
}

/// The event that overtook an entry's claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventInfo {
    /// Its id.
    pub id: String,
    /// Its date.
    pub date: Option<PartialDate>,
    /// Its title.
    pub title: Option<String>,
}

/// A source to re-read for an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceToCheck {
    /// Its id.
    pub id: String,
    /// Its title, when it is defined.
    pub title: Option<String>,
    /// Where in it, from the citations (`locator`), each once.
    pub locators: Vec<String>,
    /// A link to it: its url, else its DOI or arXiv id as a link.
    pub link: Option<String>,
}

/// One thing to re-check: one root cause, covering one or more claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Why it is due.
    pub reason: Reason,
    /// The rule that found it.
    pub rule: &'static str,
    /// Its severity after the configuration.
    pub severity: Severity,
    /// The finding's message: why it is due, in words.
    pub message: String,
    /// The first day it was due.
    pub since: Date,
    /// The event, for an overtaken entry.
    pub event: Option<EventInfo>,
    /// The file.
    pub file: PathBuf,
    /// The 1-based line and column of the value that causes it.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// The note's id.
    pub note: Option<String>,
    /// The claim's name when it is about one claim.
    pub claim: Option<String>,
    /// The text of the claim, or of the section or note that sets the cause, cropped.
    pub text: String,
    /// How many claims it covers.
    pub covers: usize,
    /// The sources to re-read: those the covered claims cite, inherited ones included.
    pub sources: Vec<SourceToCheck>,
    /// The `--mark` target that records the review where the cause is set.
    pub mark: Option<String>,
}

/// The longest text an entry shows, in characters.
const CROP: usize = 100;

/// `text` on one line, cut at a word boundary to at most [`CROP`] characters with `…`.
pub fn crop(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= CROP {
        return flat;
    }
    let cut: String = flat.chars().take(CROP - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > CROP / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The review queue of a run: one entry per finding of the time rules, overtaken first
/// (newest event first), then stale (longest overdue first), then forecasts past their
/// date (longest overdue first); ties in file and position order.
pub fn queue(outcome: &Outcome) -> Vec<Entry> {
    let corpus = Corpus::new(outcome.loaded.iter().filter_map(|l| l.document.as_ref()));
    let mut entries: Vec<(Entry, usize)> = outcome
        .findings
        .iter()
        .filter_map(|finding| Some((entry(outcome, &corpus, finding)?, finding.span?.start)))
        .collect();
    entries.sort_by(|(a, a_at), (b, b_at)| {
        let urgency = match a.reason {
            Reason::Overtaken => b.since.cmp(&a.since),
            Reason::Stale | Reason::ForecastDue => a.since.cmp(&b.since),
        };
        a.reason
            .cmp(&b.reason)
            .then(urgency)
            .then(a.file.cmp(&b.file))
            .then(a_at.cmp(b_at))
    });
    entries.into_iter().map(|(entry, _)| entry).collect()
}

fn entry(outcome: &Outcome, corpus: &Corpus<'_>, finding: &Finding) -> Option<Entry> {
    let reason = Reason::of(finding.rule)?;
    let due = finding.due.as_ref()?;
    let file = finding.file.clone()?;
    let view = corpus.notes.iter().find(|v| v.doc.file.path() == file)?;
    let start = finding.span.map_or(0, |span| span.start);
    let position = outcome.source(&file)?.position(start);
    let covered: Vec<_> = due
        .claims
        .iter()
        .filter_map(|path| view.claim_at(path))
        .collect();
    let scope = finding.scope.clone().unwrap_or_default();
    let text = match covered.as_slice() {
        [claim] => claim.claim.text.clone(),
        _ => owner_text(view, &scope),
    };
    let mut sources: Vec<SourceToCheck> = Vec::new();
    for claim in &covered {
        for cited in claim.sources.iter() {
            let id = cited.value.id;
            let index = match sources.iter().position(|s| s.id == id) {
                Some(index) => index,
                None => {
                    sources.push(source_to_check(corpus, id));
                    sources.len() - 1
                }
            };
            if let Some(locator) = cited.value.locator
                && !sources[index].locators.iter().any(|l| l == locator)
            {
                sources[index].locators.push(locator.to_owned());
            }
        }
    }
    let event = due.event.as_ref().map(|id| {
        let defined = corpus.event(id);
        EventInfo {
            id: id.clone(),
            date: defined.map(|e| e.date),
            title: defined.map(|e| e.title.clone()),
        }
    });
    let mark = match covered.as_slice() {
        [claim] => Some(format!("{}#{}", view.id(), claim.name())),
        _ => mark_target(view, &scope),
    };
    Some(Entry {
        reason,
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message.clone(),
        since: due.since,
        event,
        file,
        line: position.line,
        column: position.column,
        note: finding.note.clone(),
        claim: finding.claim.clone(),
        text: crop(&text),
        covers: covered.len(),
        sources,
        mark,
    })
}

/// The text of the note, section or claim at `scope`: its title or text.
fn owner_text(view: &NoteView<'_>, scope: &[Segment]) -> String {
    if let Some(claim) = view.claim_at(scope) {
        return claim.claim.text.clone();
    }
    match scope {
        [_, Segment::Index(s)] => view
            .doc
            .note
            .sections
            .get(*s)
            .map_or_else(String::new, |section| section.title.clone()),
        _ => view.doc.note.title.clone(),
    }
}

/// The part of `doc` that a review of the note, section or claim at `scope` marks.
pub fn part_at(doc: &notes_core::Document, scope: &[Segment]) -> Option<mark::Part> {
    match scope {
        [] => Some(mark::Part::Note),
        [_, Segment::Index(s)] => Some(mark::Part::Named((s + 1).to_string())),
        _ => doc
            .claims()
            .iter()
            .find(|claim| &claim.path[..] == scope)
            .map(|claim| mark::Part::Named(claim.name())),
    }
}

/// The `--mark` target for the note, section or claim at `scope`.
fn mark_target(view: &NoteView<'_>, scope: &[Segment]) -> Option<String> {
    let part = match view.claim_at(scope) {
        Some(claim) => mark::Part::Named(claim.name()),
        None => part_at(view.doc, scope)?,
    };
    Some(match part {
        mark::Part::Note => view.id().to_owned(),
        mark::Part::Named(name) => format!("{}#{name}", view.id()),
    })
}

fn source_to_check(corpus: &Corpus<'_>, id: &str) -> SourceToCheck {
    let defined = corpus.source(id);
    SourceToCheck {
        id: id.to_owned(),
        title: defined.map(|s| s.title.clone()),
        locators: Vec::new(),
        link: defined.and_then(|s| {
            s.url
                .clone()
                .or_else(|| s.doi.as_ref().map(|doi| format!("https://doi.org/{doi}")))
                .or_else(|| {
                    s.arxiv
                        .as_ref()
                        .map(|arxiv| format!("https://arxiv.org/abs/{arxiv}"))
                })
        }),
    }
}

/// The findings that mean the queue may be incomplete: files that could not be read
/// as notes.
pub fn unreadable(outcome: &Outcome) -> impl Iterator<Item = &Finding> {
    outcome.findings.iter().filter(|f| {
        f.severity == Severity::Error
            && (f.rule == notes_core::finding::SYNTAX || f.rule == notes_core::finding::SCHEMA)
    })
}

#[cfg(test)]
mod tests {
    use super::crop;

    #[test]
    fn long_texts_are_cut_at_a_word() {
        let long = "word ".repeat(40);
        let cropped = crop(&long);
        assert!(cropped.chars().count() <= 100, "{cropped}");
        assert!(cropped.ends_with("word…"), "{cropped}");
        assert_eq!(crop("  two\n  lines "), "two lines");
    }
}
