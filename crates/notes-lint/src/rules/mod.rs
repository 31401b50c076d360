//! The rules: one file each, listed once in [`REGISTRY`].
//!
//! A rule's documentation lives in its file as `DOCS`; `--explain` prints it and
//! `cargo xtask docs` renders it to `docs/rules/<id>.md`.

use jiff::civil::Date;
use notes_core::{Finding, Severity};

use crate::config::Config;
use crate::corpus::Corpus;

pub mod claim_text;
pub mod conflicting_figure;
pub mod duplicate_claim;
pub mod duplicate_id;
pub mod expired_caveat;
pub mod forecast_due;
pub mod future_date;
pub mod incomplete_source;
pub mod overtaken_by_event;
pub mod placeholder;
pub mod quote_needs_locator;
pub mod schema;
pub mod stale_claim;
pub mod syntax;
pub mod undated_claim;
pub mod unknown_reference;
pub mod unsourced_claim;
pub mod unsourced_figure;
pub mod unused_definition;
pub mod unused_suppression;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// The kebab-case id, such as `stale-claim`.
    pub id: &'static str,
    /// The severity when the configuration does not set one.
    pub default_severity: Severity,
    /// One line: what it flags.
    pub summary: &'static str,
    /// The full documentation in Markdown, with the sections "What it does",
    /// "Why it matters", "Example", "How to fix" and "Configuration".
    pub docs: &'static str,
    /// Whether `--fix` can fix some of its findings.
    pub fixable: bool,
    /// Whether `allow` entries and `--ignore` can silence it.
    pub suppressible: bool,
}

/// What a rule can read besides the corpus.
#[derive(Debug)]
pub struct Context<'a> {
    /// The date staleness is judged against.
    pub today: Date,
    /// The configuration.
    pub config: &'a Config,
}

/// A lint rule.
pub trait Rule: Send + Sync {
    /// The rule's id, severity and docs.
    fn meta(&self) -> &'static RuleMeta;

    /// Adds the rule's findings on `corpus` to `out`, at the rule's default severity.
    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every rule, in the order `--list-rules` prints them.
pub static REGISTRY: &[&dyn Rule] = &[
    &syntax::Syntax,
    &schema::Schema,
    &duplicate_id::DuplicateId,
    &unknown_reference::UnknownReference,
    &future_date::FutureDate,
    &unsourced_claim::UnsourcedClaim,
    &unsourced_figure::UnsourcedFigure,
    &quote_needs_locator::QuoteNeedsLocator,
    &placeholder::Placeholder,
    &incomplete_source::IncompleteSource,
    &unused_definition::UnusedDefinition,
    &duplicate_claim::DuplicateClaim,
    &conflicting_figure::ConflictingFigure,
    &unused_suppression::UnusedSuppression,
    &stale_claim::StaleClaim,
    &overtaken_by_event::OvertakenByEvent,
    &expired_caveat::ExpiredCaveat,
    &forecast_due::ForecastDue,
    &undated_claim::UndatedClaim,
];

/// The name of the opt-in group of stricter checks, for `--select`, `--ignore` and
/// `pedantic = true` in `notes-lint.toml`.
pub const PEDANTIC: &str = "pedantic";

/// The rules with a stricter, opt-in mode in the [`PEDANTIC`] group, and what that mode
/// adds. Checks whose findings are right less than 9 times in 10 on real notes (as
/// `cargo xtask lintcheck` measures them) belong here, not in the default set.
pub static PEDANTIC_MODES: &[(&str, &str)] = &[
    (
        "unsourced-claim",
        "also claims in the author's own voice (I or my, we or our, an instruction or advice, a question, a judgement, a guess or plan, no words of their own), uncited links to other notes, and the uncited comments of a page of bookmarks",
    ),
    (
        "unsourced-figure",
        "also figures in claims in the author's own voice (I or my, we or our, an instruction, a step or worked example, an amount list, a goal, a question, a judgement, a guess or plan) and in journal notes",
    ),
];

/// What the pedantic mode of rule `id` adds, if it has one.
pub fn pedantic_mode(id: &str) -> Option<&'static str> {
    PEDANTIC_MODES
        .iter()
        .find(|(rule, _)| *rule == id)
        .map(|(_, adds)| *adds)
}

/// The rule with id `id`.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|rule| rule.meta().id == id)
}

/// Every rule id.
pub fn ids() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().map(|rule| rule.meta().id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pedantic_modes_name_rules() {
        for (id, _) in PEDANTIC_MODES {
            assert!(by_id(id).is_some(), "{id}");
        }
        assert!(by_id(PEDANTIC).is_none());
    }

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in REGISTRY {
            let meta = rule.meta();
            assert!(seen.insert(meta.id), "duplicate rule id {}", meta.id);
            assert!(
                meta.id
                    .split('-')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase())),
                "{} is not kebab-case",
                meta.id
            );
            assert!(
                !meta.id.starts_with("no-"),
                "{}: name rules after the bad pattern",
                meta.id
            );
            for section in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(
                    meta.docs.contains(section),
                    "{} docs lack {section}",
                    meta.id
                );
            }
            assert!(
                !meta.summary.ends_with('.')
                    && meta.summary.chars().next().is_some_and(char::is_lowercase),
                "{}: the summary is lowercase with no trailing period",
                meta.id
            );
        }
    }
}
