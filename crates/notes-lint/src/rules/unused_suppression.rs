//! `unused-suppression`: an `allow` entry whose rule would not have fired there.
//!
//! The engine applies suppressions after every other rule has run, and reports the
//! `allow` entries that silenced nothing; this file holds the rule's metadata and docs.

use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::Corpus;

/// The `unused-suppression` rule.
pub struct UnusedSuppression;

/// The rule's metadata.
pub static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    default_severity: Severity::Warning,
    summary: "an `allow` entry whose rule would not have fired there",
    docs: DOCS,
    fixable: true,
    suppressible: false,
};

const DOCS: &str = "\
## What it does
Flags an `allow` entry on a note, section or claim that silenced no finding: the rule
it names would not have fired there (any more), or no rule has that name.

## Why it matters
Stale suppressions hide future problems: once the claim changes, the finding they were
written for may come back in a different form and be silenced without anyone noticing.

## Example
```yaml
claims:
  - text: Metrics are objective.
    sources: [pais-2]
    allow:
      - {rule: unsourced-claim, reason: from memory}   # the claim is sourced now
```

## How to fix
Delete the entry (`notes-lint --fix` does it). An `allow` with an `until` date that has
passed is not unused: the finding it silenced comes back, saying when it expired.

## Configuration
Severity only.
";

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _: &Corpus<'_>, _: &Context<'_>, _: &mut Vec<Finding>) {
        // Computed by the engine once every other rule has run.
    }
}
