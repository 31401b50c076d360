//! `placeholder`: text that promises content that is not there.

use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `placeholder` rule.
pub struct Placeholder;

static META: RuleMeta = RuleMeta {
    id: "placeholder",
    default_severity: Severity::Warning,
    summary: "text that promises content that is not there",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags claim texts and section titles that stand in for content instead of giving it:
- the phrases `see article` (or `see the article`), `citation needed` and `further
  reading`, in any case, as whole words (`seeing` does not match); and `TODO` or `TBD`
  where they stand as a marker: the whole text, the first word in capitals (`TODO add
  the figures`, not `Todo apps abound`), followed by a colon at the start of a
  clause (`TODO: the figures`, `The figures, todo: check`), or closing the text after a
  colon, a dash or a bracket (`Results: TBD`, `Budget (tbd)`), not `the todo app`, `a
  simple todo`, `review TODO comments` or `markers like TODO: in code`. Words in a
  link's text, inline code or a URL do not count;
- a lead-in that ends in `:` but has nothing under it and nothing after it: a claim
  with no `children` that is the last of its list (at the top of a section, with no
  claims in the next section either: what a section's last line introduces often comes
  under the next heading), or a section with no `claims`. A
  lead-in followed by its items as siblings rather than children (`Challenges:`, then
  `Data is scarce.` at the same level: a common way to write an outline) introduces
  content that is there, so it is not flagged.

A template is left alone: its blanks are there by design. A note is one when its file
name or title is `template` or ends with the word (`paper-template.yaml`, `Weekly review
template`), or when it sits in a folder named `templates`. A note about templates
(`Template metaprogramming`) is checked as usual.

## Why it matters
A placeholder reads like a note but holds nothing: \"Other tasks: see article\" is a
promise to look something up that was never kept, and months later the article may be
gone.

## Example
```yaml
- text: \"Other tasks: see article.\"    # placeholder
- text: \"Further reading:\"             # placeholder (and a lead-in with no children)
```

## How to fix
Write the content (the other tasks and their figures, the reading list as children
with sources), or delete the line.

## Configuration
Severity only.
";

const PHRASES: [&str; 6] = [
    "see article",
    "see the article",
    "todo",
    "tbd",
    "citation needed",
    "further reading",
];

/// Phrases that are placeholders only where they stand as a marker: the first or last
/// word of the claim, or followed by a colon ("TODO: the figures", "Results: TBD"),
/// not "the todo app" or "review TODO comments in code".
const MARKERS: [&str; 2] = ["todo", "tbd"];

/// The first placeholder phrase in `text`, matched case-insensitively as whole words in
/// the claim's own words (not in a link's text, inline code or a URL).
pub fn placeholder_phrase(text: &str) -> Option<&'static str> {
    let prose = super::claim_text::own_prose(text);
    let lower = prose.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    PHRASES.into_iter().find(|phrase| {
        lower.match_indices(phrase).any(|(at, _)| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + phrase.len()).copied();
            !before.is_some_and(is_word)
                && !after.is_some_and(is_word)
                && (!MARKERS.contains(phrase) || stands_alone(&prose, at, phrase.len()))
        })
    })
}

/// Whether the word at `at` (`len` bytes) of `text` stands as a marker: the whole text,
/// the first word in capitals ("TODO add the figures", not "Todo apps abound"),
/// followed by a colon at the start of a clause ("TODO: the figures", "The figures,
/// todo: check", not "markers like TODO: in code"), or closing the text after a colon,
/// a dash or an opening bracket ("Results: TBD", "Budget (tbd)", "[TODO]"), not "the
/// todo app" or "a legend for @todo".
fn stands_alone(text: &str, at: usize, len: usize) -> bool {
    let words = |s: &str| s.chars().any(char::is_alphanumeric);
    let before = text[..at].trim_end();
    let after = text[at + len..].trim_start();
    let last_before = before.chars().next_back();
    let starts_clause = last_before.is_none_or(|c| !c.is_alphanumeric() && c != '@');
    let capitals = text[at..at + len].bytes().all(|b| b.is_ascii_uppercase());
    (!words(before) && (!words(after) || capitals))
        || (after.starts_with(':') && starts_clause)
        || (!words(after)
            && last_before
                .is_some_and(|c| matches!(c, ':' | '(' | '[' | '-' | '\u{2013}' | '\u{2014}')))
}

/// Whether the claim at `i` (which has no children) is followed by another claim of
/// its list: in document order the next claim is then its sibling, with the same
/// parent claim, or at the top of the same section or of the next one.
fn has_next_sibling(claims: &[notes_core::resolve::ResolvedClaim<'_>], i: usize) -> bool {
    let (Some(claim), Some(next)) = (claims.get(i), claims.get(i + 1)) else {
        return false;
    };
    // At the top of a section, the next section counts: its heading often carries
    // what the lead-in introduces ("My routine:", then "## Morning").
    let section = super::claim_text::section_of;
    next.parent == claim.parent && (claim.parent.is_some() || section(next) <= section(claim) + 1)
}

/// Whether the note is a template, whose blanks are there by design: its file name or
/// title is "template" or ends with the word ("paper-template.yaml", "Weekly review
/// template"), or it sits in a folder named `templates` (or `template`, `_templates`).
/// "Template metaprogramming" is a note about templates, not one.
fn is_template(view: &NoteView<'_>) -> bool {
    let ends_with_template = |name: &str| {
        name.split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .is_some_and(|last| {
                last.eq_ignore_ascii_case("template") || last.eq_ignore_ascii_case("templates")
            })
    };
    let path = view.doc.file.path();
    let in_templates_folder = path.parent().is_some_and(|dir| {
        dir.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            ["templates", "template", "_templates"]
                .iter()
                .any(|t| name.eq_ignore_ascii_case(t))
        })
    });
    in_templates_folder
        || path
            .file_stem()
            .is_some_and(|stem| ends_with_template(&stem.to_string_lossy()))
        || ends_with_template(&view.doc.note.title)
}

fn is_lead_in(text: &str) -> bool {
    text.trim_end().ends_with(':')
}

impl Rule for Placeholder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in corpus.notes.iter().filter(|view| !is_template(view)) {
            for (s, section) in view.doc.note.sections.iter().enumerate() {
                let owner = [Segment::key("sections"), Segment::Index(s)];
                let mut path = owner.to_vec();
                path.push(Segment::key("title"));
                let message = match placeholder_phrase(&section.title) {
                    Some(phrase) => format!("section title is a placeholder (`{phrase}`)"),
                    None if is_lead_in(&section.title) && section.claims.is_empty() => {
                        "section title introduces a list but the section has no claims".to_owned()
                    }
                    None => continue,
                };
                out.push(
                    view.finding(META.id, META.default_severity, &path, &owner, message)
                        .with_label("placeholder")
                        .with_help("write the content, or delete the section"),
                );
            }
            for (i, claim) in view.claims.iter().enumerate() {
                if claim.claim.is_label() {
                    continue;
                }
                let text = &claim.claim.text;
                let (message, help) = match placeholder_phrase(text) {
                    Some(phrase) => (
                        format!("claim text is a placeholder (`{phrase}`)"),
                        "write the content it stands for (with its source), or delete it",
                    ),
                    None if is_lead_in(text)
                        && claim.claim.children.is_empty()
                        && !has_next_sibling(&view.claims, i) =>
                    {
                        (
                            "claim introduces a list (ends with `:`) but has no children"
                                .to_owned(),
                            "add the items as `children`, or rewrite it as a complete claim",
                        )
                    }
                    None => continue,
                };
                out.push(
                    view.claim_finding(
                        META.id,
                        META.default_severity,
                        &NoteView::field_path(claim, "text"),
                        claim,
                        message,
                    )
                    .with_label("placeholder")
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder_phrase;

    #[test]
    fn matches_whole_words_in_any_case() {
        assert_eq!(
            placeholder_phrase("Other tasks: see article."),
            Some("see article")
        );
        assert_eq!(placeholder_phrase("TODO: fill in"), Some("todo"));
        assert_eq!(placeholder_phrase("(tbd)"), Some("tbd"));
        assert_eq!(
            placeholder_phrase("Further reading:"),
            Some("further reading")
        );
        assert_eq!(
            placeholder_phrase("[citation needed]"),
            Some("citation needed")
        );
        assert_eq!(placeholder_phrase("Results: TBD"), Some("tbd"));
        assert_eq!(placeholder_phrase("todo"), Some("todo"));
        assert_eq!(placeholder_phrase("The figures, todo: check"), Some("todo"));
        assert_eq!(placeholder_phrase("[TODO]"), Some("todo"));
        assert_eq!(placeholder_phrase("A legend: @todo marks open work"), None);
        assert_eq!(placeholder_phrase("Things is a simple todo"), None);
        assert_eq!(placeholder_phrase("TODO add the figures"), Some("todo"));
        assert_eq!(placeholder_phrase("Todo apps abound"), None);
        assert_eq!(placeholder_phrase("todos are tracked elsewhere"), None);
        // A to-do list or app, a marker inside code or a link: not a placeholder.
        assert_eq!(placeholder_phrase("The todo app takes all my time."), None);
        assert_eq!(
            placeholder_phrase("Review TODO (and other) comments in code."),
            None
        );
        assert_eq!(
            placeholder_phrase("I leave `TODO:` comments in the code."),
            None
        );
        assert_eq!(
            placeholder_phrase("[Todo sample](https://example.org/todo) app"),
            None
        );
        assert_eq!(placeholder_phrase("overseeing articles"), None);
        assert_eq!(placeholder_phrase("mastodon"), None);
        // A marker named in passing, in the middle of a clause.
        assert_eq!(
            placeholder_phrase("Markers (like TODO: in code) get collected."),
            None
        );
    }
}
