//! `undated-claim`: a time-relative claim or a forecast with no as_of, even inherited.

use notes_core::model::ClaimKind;
use notes_core::{Finding, Severity};

use super::claim_text::is_reference_entry;
use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `undated-claim` rule.
pub struct UndatedClaim;

static META: RuleMeta = RuleMeta {
    id: "undated-claim",
    default_severity: Severity::Warning,
    summary: "a time-relative claim or a forecast with no as_of, even inherited",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim that only makes sense at a date (its text says \"currently\",
\"nowadays\", \"recent\", \"recently\", \"state of the art\", \"so far\", \"this year\",
\"these days\", \"at the moment\", \"right now\", \"as of now\", \"by now\",
\"until now\", \"for now\" or \"even now\", as whole words in any case; or it is a
forecast) when it has no date at all: no `as_of` on it or an ancestor, no `published`
date among its sources, and no `written` date on the note.

Only the claim's own words count: the text of a Markdown link (often the title of the
linked work, as in `[Recent advances in X](https://...)`), inline code and URLs do not.
A claim that gives its own year, in parentheses or after \"in\", \"since\", \"as of\",
\"by\", \"until\" or \"during\" (\"the best tool, at least in 2019\"), is dated by it.

A bare \"now\" counts only where it closes a clause (\"good enough for ranking now,\",
\"widely used now.\"). Elsewhere it mostly narrates the steps of a method (\"the critic
is now trained on pairs\", \"Now they add a loss\", \"the pipeline now has three
stages:\"), which says nothing about when the claim was true. Likewise \"currently\"
after \"the\", \"a\", \"each\" and the like, or before \"selected\", \"visible\",
\"open\" and the like, names the state of a step or a tool (\"feed the currently
generated image back\", \"delete currently selected node\"), not of the world; \"least\" or \"most recently\" names
an order (\"the least recently used entry\", \"the most recent one\"); \"recent\" before
items of a sequence (\"the recent past\", \"recent frames\", \"recent key-value
pairs\") and \"so far\" after a step of a method (\"the tree produced so far\") name a
position in a process, not a time (\"recent work on frame pruning\" still counts); and
\"so far as\", \"so far from\" or \"only gets you so far\" a degree.

An entry of a link list (`[Vosk](https://...) - State-of-the-art speech recognition`:
a link, then a dash or colon and a description) is not flagged: the description is the
linked project's account of itself, often its own tagline, and it is as old as the
link, not the note. Write your own judgement as a claim of its own (`Vosk is the most
accurate offline recogniser I have tried`), which is flagged when undated. Nor is an
entry of a reading list: a work's title followed only by links to it
(`State-of-the-art Speech Recognition [[arXiv](https://...)]`); the words are the
work's title.

## Why it matters
\"Currently very little safety work\" is true or false depending on when it was written.
Without a date nobody can tell, and `stale-claim` cannot age it.

## Example
```yaml
title: Notes on the field     # no as_of, no written
sections:
  - title: Safety
    claims:
      - text: currently very little safety-related work    # undated-claim
```

## How to fix
Set `as_of:` (the date the claim describes the world as of) on the claim, its section
or the note; or cite a source with a `published` date; or set the note's `written`.

## Configuration
Severity only.
";

/// The time-relative phrases, as lowercase words. A bare "now" is not among them: in
/// notes it mostly narrates a method ("G is now trained on pairs", "Now they add a
/// loss"); [`clause_final_now`] takes the temporal one.
const PHRASES: &[&[&str]] = &[
    &["currently"],
    &["nowadays"],
    &["recent"],
    &["recently"],
    &["state", "of", "the", "art"],
    &["so", "far"],
    &["this", "year"],
    &["these", "days"],
    &["at", "the", "moment"],
    &["right", "now"],
    &["as", "of", "now"],
    &["by", "now"],
    &["until", "now"],
    &["till", "now"],
    &["for", "now"],
    &["even", "now"],
];

/// Words that, before "currently", make it part of a noun phrase ("the currently
/// selected frame"), which describes the state of a process, not of the world.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "each", "every", "its", "their", "our",
    "his", "her",
];

/// Words that, after "currently", name the state of a thing in a tool or a method
/// ("the currently selected node", "each currently visible object").
const STATES: &[&str] = &[
    "selected",
    "focused",
    "active",
    "open",
    "opened",
    "highlighted",
    "visible",
    "running",
    "playing",
    "loaded",
    "displayed",
    "shown",
    "edited",
    "checked",
    "logged",
];

/// Things a method handles one after another: after "recent", they make it a position
/// in a sequence ("the recent past", "recent frames", "recent key-value pairs"), not a
/// time relative to the date of writing ("recent work", "a recent survey").
const SEQUENCE_ITEMS: &[&str] = &[
    "past",
    "input",
    "inputs",
    "frame",
    "frames",
    "token",
    "tokens",
    "word",
    "words",
    "state",
    "states",
    "observation",
    "observations",
    "experience",
    "experiences",
    "transition",
    "transitions",
    "step",
    "steps",
    "timestep",
    "timesteps",
    "sample",
    "samples",
    "action",
    "actions",
    "reward",
    "rewards",
    "pairs",
    "items",
    "entries",
    "elements",
    "activations",
];

/// Words that end the phrase "recent" qualifies: a preposition or conjunction ("recent
/// work on token pruning" is about work, not tokens).
const PHRASE_ENDS: &[&str] = &[
    "on", "in", "of", "for", "with", "by", "from", "at", "to", "and", "or", "that", "which",
];

/// Past participles of processing: "so far" after them counts the steps of a method
/// ("the structure produced so far", "the frames seen so far").
const PROCESSED: &[&str] = &[
    "produced",
    "generated",
    "seen",
    "decoded",
    "processed",
    "observed",
    "visited",
    "emitted",
    "predicted",
    "computed",
    "accumulated",
    "encountered",
    "consumed",
];

/// Whether the phrase after "recent" (up to three words, up to a preposition or a
/// clause break) names items of a sequence: "the recent past", "recent key-value
/// pairs", not "recent work on token pruning".
fn names_sequence_items(text: &str, after: &[(usize, &str)]) -> bool {
    let mut end = match after.first() {
        Some(&(at, _)) => at,
        None => return false,
    };
    for &(at, word) in after.iter().take(3) {
        if text[end..at].contains(['.', ',', ';', ':', '!', '?', '(', ')']) {
            return false;
        }
        if PHRASE_ENDS.iter().any(|p| word.eq_ignore_ascii_case(p)) {
            return false;
        }
        if SEQUENCE_ITEMS.iter().any(|p| word.eq_ignore_ascii_case(p)) {
            return true;
        }
        end = at + word.len();
    }
    false
}

/// The words of `text` with their byte ranges: runs of letters and digits, so
/// "state-of-the-art" is four words and "know" is not "now".
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

/// Whether the "now" at `at` (a byte offset into `text`, `len` bytes long) closes a
/// clause that it does not open: "good enough for ads now," or "is widely used now."
/// says something of the present, while "Now, train G" and "is now trained" narrate.
fn clause_final_now(text: &str, at: usize, len: usize) -> bool {
    let after = text[at + len..].trim_start();
    let closes = after.is_empty() || after.starts_with([',', ';', '.', '!', '?', ')']);
    let before = text[..at].trim_end();
    let clause_start = before
        .rfind(['.', '!', '?', ';', ':', '('])
        .map_or(0, |i| i + 1);
    let opens = before[clause_start..].chars().all(|c| !c.is_alphanumeric());
    closes && !opens
}

/// Whether `text` gives its own date: a year from 1900 to 2099 in parentheses or after
/// "in", "since", "as of", "by", "until" or "during" ("at least in 2019", "(2022)").
fn dates_itself(text: &str) -> bool {
    const BEFORE_YEAR: &[&str] = &["in", "since", "of", "by", "until", "during"];
    let words = words(text);
    words.iter().enumerate().any(|(i, &(at, word))| {
        let year = word.len() == 4
            && (word.starts_with("19") || word.starts_with("20"))
            && word.bytes().all(|b| b.is_ascii_digit());
        year && (text[..at].ends_with('(')
            || i.checked_sub(1).is_some_and(|j| {
                BEFORE_YEAR
                    .iter()
                    .any(|p| words[j].1.eq_ignore_ascii_case(p))
            }))
    })
}

/// The first time-relative phrase in `text`, matched as whole words in any case (so
/// "state-of-the-art" matches and "know" does not), outside link texts, code and URLs.
pub(crate) fn time_relative(text: &str) -> Option<String> {
    let prose = super::claim_text::own_prose(text);
    let text = prose.as_ref();
    let words = words(text);
    (0..words.len()).find_map(|start| {
        let phrase = PHRASES.iter().find(|phrase| {
            words
                .get(start..start + phrase.len())
                .is_some_and(|window| {
                    window
                        .iter()
                        .zip(phrase.iter())
                        .all(|((_, w), p)| w.eq_ignore_ascii_case(p))
                        // One phrase does not run across sentences ("effort for. Now").
                        && window.windows(2).all(|pair| {
                            !text[pair[0].0 + pair[0].1.len()..pair[1].0]
                                .contains(['.', '!', '?', ';', ':'])
                        })
                })
        });
        match phrase {
            // "the currently visible frame" names a thing by its state in a method.
            Some(&["currently"])
                if start > 0
                    && DETERMINERS.contains(&words[start - 1].1.to_ascii_lowercase().as_str()) =>
            {
                None
            }
            // "delete the currently selected node": the state of a thing in a tool or
            // a method, not of the world.
            Some(&["currently"])
                if words
                    .get(start + 1)
                    .is_some_and(|(_, w)| STATES.iter().any(|s| w.eq_ignore_ascii_case(s))) =>
            {
                None
            }
            // "least recently used", "the most recent one": an order, not a time.
            Some(&["recently"] | &["recent"])
                if start > 0
                    && ["least", "most"]
                        .iter()
                        .any(|w| words[start - 1].1.eq_ignore_ascii_case(w)) =>
            {
                None
            }
            // "recent" of the items of a sequence ("the recent past", "memorise recent
            // key-value pairs", "recent frames get more weight"): a position relative
            // to a step of a method, not to the date of writing.
            Some(&["recent"]) if names_sequence_items(text, &words[start + 1..]) => None,
            // "the tokens generated so far": up to a step of a method, not a time.
            Some(&["so", "far"])
                if start.checked_sub(1).is_some_and(|k| {
                    PROCESSED.iter().any(|p| words[k].1.eq_ignore_ascii_case(p))
                }) =>
            {
                None
            }
            // "go so far as to", "in so far as", "so far from loving you", "only gets
            // you so far": a degree, not a time.
            Some(&["so", "far"])
                if words.get(start + 2).is_some_and(|(_, w)| {
                    ["as", "from"].iter().any(|d| w.eq_ignore_ascii_case(d))
                }) || start.checked_sub(1).is_some_and(|k| {
                    ["only", "you", "me", "us", "them", "it", "him", "her"]
                        .iter()
                        .any(|d| words[k].1.eq_ignore_ascii_case(d))
                }) =>
            {
                None
            }
            Some(phrase) => Some(phrase.join(" ")),
            None => {
                let (at, word) = words[start];
                (word.eq_ignore_ascii_case("now") && clause_final_now(text, at, word.len()))
                    .then(|| "now".to_owned())
            }
        }
    })
}

impl Rule for UndatedClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            for claim in &view.claims {
                if claim.claim.is_label() {
                    continue;
                }
                if dates_itself(&claim.claim.text) || is_reference_entry(&claim.claim.text) {
                    continue;
                }
                let reason = match (claim.claim.kind, time_relative(&claim.claim.text)) {
                    (_, Some(phrase)) => format!("\"{phrase}\" depends on when it was said"),
                    (ClaimKind::Forecast, None) => {
                        "a forecast depends on when it was made".to_owned()
                    }
                    _ => continue,
                };
                if claim
                    .as_of(&view.doc.note, |id| corpus.source(id))
                    .is_some()
                {
                    continue;
                }
                let message = format!(
                    "{reason}, but the claim has no date (no as_of, even inherited, no published source, no written date)"
                );
                let path = NoteView::field_path(claim, "text");
                out.push(
                    view.claim_finding(META.id, META.default_severity, &path, claim, message)
                        .with_label("undated")
                        .with_help(
                            "set `as_of:` (the date this describes the world as of) on the claim, its section or the note",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::time_relative;

    #[test]
    fn a_year_in_parentheses_or_after_a_preposition_dates_the_claim() {
        for text in [
            "The best tool, at least in 2019.",
            "Everything is a subscription now (2022).",
            "The leading library since 2015.",
        ] {
            assert!(super::dates_itself(text), "{text}");
        }
        for text in [
            "Trained on 2000 images.",
            "Currently the best option.",
            "Version 2019.3 is current.",
            "In 21st-century terms, recent.",
        ] {
            assert!(!super::dates_itself(text), "{text}");
        }
    }

    #[test]
    fn phrases_match_whole_words_in_any_case() {
        assert_eq!(
            time_relative("Currently very little").as_deref(),
            Some("currently")
        );
        assert_eq!(
            time_relative("a State-of-the-Art model").as_deref(),
            Some("state of the art")
        );
        assert_eq!(time_relative("progress so far.").as_deref(), Some("so far"));
        assert_eq!(
            time_relative("at the moment, yes").as_deref(),
            Some("at the moment")
        );
        assert_eq!(
            time_relative("recently, and now").as_deref(),
            Some("recently")
        );
        for (text, phrase) in [
            ("Right now the best option is to wait.", "right now"),
            ("The standard recipe for now.", "for now"),
            ("Good enough for ranking now, not yet for search.", "now"),
            ("Widely used in industry now.", "now"),
            ("Three open problems (all solved by now).", "by now"),
            ("AS OF NOW nobody ships it", "as of now"),
            ("The task is currently dominated by detectors.", "currently"),
            ("Currently the best choice is a ReLU.", "currently"),
            (
                "[A parser](https://example.org) is currently the fastest.",
                "currently",
            ),
            ("I use [a parser](https://example.org/p) now.", "now"),
            ("Recent work on token pruning helps.", "recent"),
            ("A recent survey of the field.", "recent"),
            ("The best result so far.", "so far"),
        ] {
            assert_eq!(time_relative(text).as_deref(), Some(phrase), "{text}");
        }
        for text in [
            "we know",
            "nowhere",
            "snow",
            "recentness",
            "state of the union",
            "so farther",
            // The "now" that narrates a method.
            "The critic is now trained on pairs of images.",
            "Now they add a second loss term.",
            "Now, compute the gradient of the critic.",
            "Their pipeline now has three stages:",
            "The generator's loss is now `-L_D`",
            "Once the encoder is fixed: now.",
            // "currently" inside a noun phrase, naming a step's state.
            "Feed the currently generated image through the encoder.",
            "Some go so far as to drop the critic.",
            "Reading the code only gets you so far.",
            "A cache that evicts the least recently used entry.",
            "It opens the most recent note on start.",
            "The menu lists the most recently opened files.",
            // The words of a link's text or address are the linked work's, not the claim's.
            "[Recent advances in parsing](https://example.org/recent) - a reading list.",
            "A cache with `evict_least_recently_used` built in.",
            "See https://example.org/state-of-the-art/now for the list.",
            "They predict depth for each currently visible object.",
            "Keep the ones you make an effort for. Now it is easy to stay in touch.",
            "Alt and delete remove the currently selected node only.",
            // "recent" and "so far" relative to a step of a method.
            "An attention over the recent past of the sequence.",
            "The task is to recall recent key-value pairs.",
            "Current and recent tokens get most of the weight.",
            "The decoder conditions on the tree produced so far.",
            "They were so far from the goal that they gave up.",
        ] {
            assert_eq!(time_relative(text), None, "{text}");
        }
    }
}
