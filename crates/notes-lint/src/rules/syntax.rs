//! `syntax`: the file is not valid YAML or JSON. Found by the loader.

use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::Corpus;

/// The `syntax` rule.
pub struct Syntax;

static META: RuleMeta = RuleMeta {
    id: notes_core::finding::SYNTAX,
    default_severity: Severity::Error,
    summary: "the file is not valid YAML or JSON",
    docs: DOCS,
    fixable: false,
    suppressible: false,
};

const DOCS: &str = "\
## What it does
Flags a note file that cannot be parsed: broken YAML or JSON, invalid UTF-8, a NUL
byte, a duplicate key, or input past the parser's safety limits (nesting deeper than
64 levels, alias expansions beyond 200,000 nodes, more than 5,000,000 values, files
over 64 MiB).

Also flags a file that is not read at all: one that cannot be opened, and a symbolic
link met while walking a folder whose target lies outside that folder (or cannot be
resolved). Nothing of such a link's target is read or shown; the finding names the
link. A link named on the command line is read, since you asked for it, and links
whose target stays inside the folder are followed as usual.

## Why it matters
Nothing in a file that does not parse can be checked; the other rules skip it.

## Example
```yaml
title: [unclosed
```

## How to fix
Fix the syntax at the position shown. Keys must be unique within a mapping. For a link
out of the folder, copy the note into the folder, or lint the file by naming it.

## Configuration
None: this rule cannot be turned off or suppressed.
";

impl Rule for Syntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _: &Corpus<'_>, _: &Context<'_>, _: &mut Vec<Finding>) {
        // Reported by the loader, before the corpus exists.
    }
}
