//! `schema`: the file does not match the note schema. Found by the loader.

use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::Corpus;

/// The `schema` rule.
pub struct Schema;

static META: RuleMeta = RuleMeta {
    id: notes_core::finding::SCHEMA,
    default_severity: Severity::Error,
    summary: "the file does not match the note schema",
    docs: DOCS,
    fixable: false,
    suppressible: false,
};

const DOCS: &str = "\
## What it does
Flags every place where a note file does not match `schema/note.schema.json`: unknown
fields (with a did-you-mean), missing required fields, values of the wrong type, values
outside an enumeration, malformed or impossible dates (`May 2022`, `2022-13`,
`2022-02-30`), malformed shelf lives and ids. All problems of a file are reported.

## Why it matters
A typo such as `sorces:` would otherwise silently drop the claim's sources.

## Example
```yaml
claims:
  - text: Metrics are objective.
    sorces: [pais-2]   # unknown field: did you mean `sources`?
```

## How to fix
Follow the help under each finding. Editors that read the `yaml-language-server`
modeline validate and complete note files as they are typed.

## Configuration
None: this rule cannot be turned off or suppressed.
";

impl Rule for Schema {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _: &Corpus<'_>, _: &Context<'_>, _: &mut Vec<Finding>) {
        // Reported by the loader, before the corpus exists.
    }
}
