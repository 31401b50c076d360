//! `--statistics`: how many findings each rule gave, at each severity, instead of the
//! findings themselves.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use notes_core::Severity;
use serde_json::json;

use crate::engine::Outcome;
use crate::rules;

/// The findings of one rule at one severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The rule id.
    pub rule: &'static str,
    /// The severity its findings were reported at (configuration can change it).
    pub severity: Severity,
    /// How many findings.
    pub count: usize,
    /// How many of them `--fix` can fix.
    pub fixable: usize,
}

/// The counts per rule and severity, most findings first, then by rule id and
/// severity (errors first), so the order is the same on every run.
pub fn counts(outcome: &Outcome) -> Vec<Count> {
    let mut by_rule: BTreeMap<(&'static str, u8), Count> = BTreeMap::new();
    for finding in &outcome.findings {
        let rank = match finding.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        let entry = by_rule
            .entry((finding.rule, rank))
            .or_insert_with(|| Count {
                rule: finding.rule,
                severity: finding.severity,
                count: 0,
                fixable: 0,
            });
        entry.count += 1;
        entry.fixable += usize::from(finding.fix.is_some());
    }
    let mut counts: Vec<Count> = by_rule.into_values().collect();
    // A stable sort keeps the map's (rule, severity) order among equal counts.
    counts.sort_by_key(|count| std::cmp::Reverse(count.count));
    counts
}

/// The table printed for the human, short and github formats: count, severity, rule
/// id, `[*]` when `--fix` can fix some of them, and the rule's summary; then a total.
pub fn render_text(outcome: &Outcome) -> String {
    let counts = counts(outcome);
    let mut out = String::new();
    let count_width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    let rule_width = counts.iter().map(|c| c.rule.len()).max().unwrap_or(0);
    for count in &counts {
        let summary = rules::by_id(count.rule).map_or("", |rule| rule.meta().summary);
        let _ = writeln!(
            out,
            "{:>count_width$}  {:7}  {:rule_width$}  {}{}",
            count.count,
            count.severity.as_str(),
            count.rule,
            if count.fixable > 0 { "[*] " } else { "" },
            summary,
        );
    }
    let summary = outcome.summary();
    let total = summary.errors + summary.warnings + summary.infos;
    let fixable: usize = counts.iter().map(|c| c.fixable).sum();
    let _ = writeln!(
        out,
        "{total} finding{}: {} errors, {} warnings, {} infos in {} files, {} notes, {} claims",
        if total == 1 { "" } else { "s" },
        summary.errors,
        summary.warnings,
        summary.infos,
        summary.files,
        summary.notes,
        summary.claims,
    );
    if fixable > 0 {
        let _ = writeln!(out, "[*] {fixable} fixable with --fix");
    }
    out
}

/// The JSON form, printed for the json and sarif formats: the run's summary and one
/// object per rule and severity.
pub fn render_json(outcome: &Outcome, today: jiff::civil::Date) -> String {
    let statistics: Vec<_> = counts(outcome)
        .iter()
        .map(|count| {
            json!({
                "rule": count.rule,
                "severity": count.severity.as_str(),
                "count": count.count,
                "fixable": count.fixable,
            })
        })
        .collect();
    let report = json!({
        "version": 1,
        "today": today.to_string(),
        "summary": super::json::summary_object(outcome),
        "statistics": statistics,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
