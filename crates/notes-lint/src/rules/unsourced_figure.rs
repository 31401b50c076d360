//! `unsourced-figure`: a claim stating a figure that it (or a parent claim) does not source.

use notes_core::model::ClaimKind;
use notes_core::{Finding, Severity, Span};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `unsourced-figure` rule.
pub struct UnsourcedFigure;

static META: RuleMeta = RuleMeta {
    id: "unsourced-figure",
    default_severity: Severity::Warning,
    summary: "a claim stating a figure that does not cite a source itself or through a parent claim",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim whose text states a figure when neither the claim nor one of its parent
claims cites a source, and the note does not summarise one work. In a note with
`summary_of`, that work is where its figures come from, so they are sourced. Section-
and note-level `sources` do not count: a figure needs a citation close enough to check
it. Opinions, questions and labels are not checked.

With `require_locator` set (see Configuration), every figure needs a citation with a
`locator` on its claim or a parent claim, in summaries too.

What counts as a figure (`N` is a number such as `8`, `2.5` or `32,000`):
- a percentage: `2%`, `2 %`, `2 percent`;
- an approximation: `~N` or `≈N`;
- a magnitude: `30k`, `1.5M`, `7B`, `1T`, or `N thousand|million|billion|trillion`;
- an amount of money: `$500`, `€2M`;
- a rank: `top 10`, `top 1%` (a metric name such as `top-1 accuracy` is not);
- a count of things: `N` followed, within three words, by a plural noun, as in
  `8 papers`, `10 years`, `30,000 highly influential citations`.

What does not: a year on its own (a four-digit number from 1900 to 2100, as in
`since 2010` or `NeurIPS 2021 papers`); numbers that are part of a name, version or
ordinal (`GPT-4`, `GPT-3.5`, `COVID-19`, `v2`, `#2`, `3rd`, `1990s`, `3D`); numbers
after a label word (`Figure 2`, `Table 3`, `section 4`, `page 12`, `step 3`); a time
of day or a ratio (`~ 9:00`, `16:9`); a term of a formula (`N+1 classes`, `2*k`);
a count whose noun is capitalised, as in a title (`21 Lessons for the 21st Century`);
a window ahead (`in the next 90 days`, `the coming 3 years`); `100%` after a negation
(`not 100% accurate`: a way of saying \"not entirely\"); bare numbers with none of the
marks above; and anything in a Markdown link's text or address, in inline code or in a
URL (the `%22` of an address, `retries = 3` in code).

Nor does a claim's structure need a source:
- a count of up to ten things in a lead-in (a claim that ends with `:` and has
  children), which counts the list below: `The design leaves 2 questions open:`; a
  larger count (`Over 400 clinics answered:`) or any other figure still fires;
- the first sentence of a claim that documents a setting of code, opening with a
  snake_case name and a colon: `retry_limit: 4 attempts, then the job is dropped`
  (a later sentence, `Most servers allow 5 attempts.`, still fires);
- a claim that names its source by author and year in its text: `Pupils gained 15%
  (Okafor and Lind, 2019)`, `Smith (2019)`, `Smith et al. 2019`. Only without
  `require_locator`: a citation in running text has no locator.

A figure in a claim of kind `claim` in the author's own voice is the author's own, and
is not flagged unless the `pedantic` group is on (`--select pedantic`, or `pedantic =
true` in `notes-lint.toml`):
- the claim speaks of the author or gives advice or asks (`I sleep 8 hours`, `Set the
  timeout to 30 seconds`, `Is 2 GB enough?`); see `unsourced-claim` for what counts;
- the figure is part of a step or a worked example: its sentence, or one before it,
  opens with an instruction, possibly after an adverb or a leading clause (`Just keep
  folding for 2 minutes`, `If the dough is sticky, wait 20 minutes`, `Sow the beans.
  About 5 fingers apart.`, `Imagine a queue of 50 jobs`). A sentence after the figure
  does not count: in `Most ovens run 10% hot. To check yours, use a probe.` the 10%
  still fires;
- the claim is only a list of amounts, as in a recipe or a routine: `2 ripe bananas`,
  `3 eggs + toast (butter, salt)`; `2 ripe bananas hold as much potassium as ...`
  still fires;
- the figure's sentence states an aim: `Goal is to get the greenhouse to 60% humidity`,
  `Target: 40 pages a day` (but `The city's goal of 60% recycling was met` fires);
- the note is a journal entry, its title a date (`2025 March`, `2023-04-12`,
  `Week 14, 2021`): `41 hours of deep work` is the author's log.

## Why it matters
Figures are what readers quote and what goes out of date first. A figure whose source
is only \"somewhere in this section\" cannot be checked or refreshed.

## Example
```yaml
claims:
  - text: ~30k highly influential citations for Kaiming He   # unsourced-figure
  - text: ~1k for superstar graduating PhD students
    sources: [{id: pais-2, locator: Analyzing the trajectory of researchers}]
```

## How to fix
Cite the source of the figure on the claim (ideally with a `locator`) or on its parent
claim, or give the note `summary_of` when the whole note summarises one work.

## Configuration
Severity, and the stricter check:

```toml
[options.unsourced-figure]
require_locator = true   # every figure cites a source with a locator; default false
```
";

/// What kind of figure a text states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FigureKind {
    /// `2%`, `2 percent`.
    Percent,
    /// `~N`, `≈N`.
    Approximate,
    /// `30k`, `1.5M`, `3 million`.
    Magnitude,
    /// `$500`.
    Money,
    /// `top 10`.
    Rank,
    /// `8 papers`.
    Count,
}

/// A figure found in a text: its byte range and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure {
    /// The first byte of the figure.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// What kind of figure it is.
    pub kind: FigureKind,
}

const SCALE_WORDS: [&str; 4] = ["thousand", "million", "billion", "trillion"];

/// Words after which a number is a label, not a figure: `Figure 2`, `step 3`.
pub(crate) const LABEL_WORDS: [&str; 26] = [
    "figure", "fig", "table", "section", "sec", "chapter", "ch", "page", "p", "pp", "step",
    "version", "level", "phase", "stage", "part", "no", "number", "item", "appendix", "eq",
    "equation", "line", "lecture", "episode", "round",
];

/// Words that end a noun phrase: a count's noun must come before them.
const FUNCTION_WORDS: [&str; 38] = [
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "is",
    "are", "was", "were", "be", "been", "has", "have", "had", "that", "which", "who", "it", "its",
    "this", "these", "those", "as", "than", "then", "but", "so", "if", "per",
];

/// Words ending in `s` that are not plural nouns.
const NOT_PLURAL: [&str; 14] = [
    "does",
    "yes",
    "always",
    "perhaps",
    "across",
    "unless",
    "whereas",
    "besides",
    "sometimes",
    "his",
    "hers",
    "ours",
    "yours",
    "theirs",
];

const IRREGULAR_PLURALS: [&str; 6] = ["people", "children", "men", "women", "mice", "feet"];

fn is_plural_noun(word: &str) -> bool {
    if IRREGULAR_PLURALS.contains(&word) {
        return true;
    }
    word.len() >= 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
        && !NOT_PLURAL.contains(&word)
        && !FUNCTION_WORDS.contains(&word)
}

fn is_year(number: &str) -> bool {
    number.len() == 4
        && number.bytes().all(|b| b.is_ascii_digit())
        && number
            .parse::<u16>()
            .is_ok_and(|year| (1900..=2100).contains(&year))
}

/// The first figure stated in `text`, if any (see the rule's docs for what counts).
pub fn find_figure(text: &str) -> Option<Figure> {
    figures(text).next()
}

/// The figures stated in `text`, in order, each read in the context of the whole text.
pub fn figures(text: &str) -> impl Iterator<Item = Figure> + '_ {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    std::iter::from_fn(move || {
        let n = chars.len();
        let at = |i: usize| chars.get(i).map(|&(_, c)| c);
        let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
        while i < n {
            if !at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i;
            loop {
                while at(end).is_some_and(|c| c.is_ascii_digit()) {
                    end += 1;
                }
                if matches!(at(end), Some(',' | '.'))
                    && at(end + 1).is_some_and(|c| c.is_ascii_digit())
                {
                    end += 1;
                } else {
                    break;
                }
            }
            i = end;
            if let Some(figure) = classify(text, &chars, start, end) {
                return Some(Figure {
                    start: byte(figure.0),
                    end: byte(figure.1),
                    kind: figure.2,
                });
            }
        }
        None
    })
}

/// The first figure in the claim's own words: not in a link's text or address, inline
/// code or a URL (the `22` of `%22` in an address is no figure).
pub fn find_own_figure(text: &str) -> Option<Figure> {
    own_figures(text).next()
}

/// The figures in the claim's own words, in order (see [`find_own_figure`]).
pub fn own_figures(text: &str) -> impl Iterator<Item = Figure> + '_ {
    let markup = super::claim_text::markup_ranges(text);
    figures(text).filter(move |figure| {
        !markup
            .iter()
            .any(|range| range.start <= figure.start && figure.start < range.end)
    })
}

/// The word (letters only) that ends just before char index `before`, skipping spaces
/// and at most one dash, with its first char index.
fn word_before(chars: &[(usize, char)], before: usize) -> Option<(String, usize)> {
    let mut k = before;
    while k > 0 && chars[k - 1].1 == ' ' {
        k -= 1;
    }
    let end = k;
    while k > 0 && chars[k - 1].1.is_alphabetic() {
        k -= 1;
    }
    (k < end).then(|| {
        let word: String = chars[k..end].iter().map(|&(_, c)| c).collect();
        (word.to_lowercase(), k)
    })
}

/// Whether `before` (the text before a number) ends with a negation: `not`, `isn't`,
/// `never`.
fn negated(before: &str) -> bool {
    let trimmed = before.trim_end();
    let from = trimmed
        .rfind(|c: char| !(c.is_alphabetic() || c == '\'' || c == '\u{2019}'))
        .map_or(0, |i| {
            i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = trimmed[from..].to_lowercase().replace('\u{2019}', "'");
    word == "not" || word == "never" || word.ends_with("n't")
}

/// Whether the number `chars[start..end]` is a figure, and the char range and kind if so.
fn classify(
    text: &str,
    chars: &[(usize, char)],
    start: usize,
    end: usize,
) -> Option<(usize, usize, FigureKind)> {
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let number = &text[chars[start].0..chars.get(end).map_or(text.len(), |&(b, _)| b)];
    let prev = start.checked_sub(1).and_then(at);
    let prev2 = start.checked_sub(2).and_then(at);

    // Part of a name, version or reference: `v2`, `x86`, `#2`, `GPT-4`, `GPT-3.5`.
    if prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '#') {
        return None;
    }
    if matches!(prev, Some('-' | '.' | '/' | '_')) && prev2.is_some_and(char::is_alphanumeric) {
        return None;
    }
    // A term of a formula: `N+1`, `2*k`, `x=3`, `n^2`.
    if matches!(prev, Some('+' | '*' | '=' | '^' | '×'))
        && prev2.is_some_and(|c| c.is_alphanumeric() || c == ')')
    {
        return None;
    }
    // A time of day or a ratio of two numbers: `9:00`, `16:9`.
    if (at(end) == Some(':') && at(end + 1).is_some_and(|c| c.is_ascii_digit()))
        || (prev == Some(':') && prev2.is_some_and(|c| c.is_ascii_digit()))
    {
        return None;
    }

    // After the number: a percent sign or word, a magnitude suffix or a scale word.
    let next = at(end);
    let after_space = if next == Some(' ') { end + 1 } else { end };
    let rest: String = chars[end.min(chars.len())..]
        .iter()
        .take(24)
        .map(|&(_, c)| c)
        .collect();
    let rest_lower = rest.to_lowercase();
    let spaced_word = |word: &str| {
        next == Some(' ')
            && rest_lower
                .get(1..)
                .and_then(|r| r.strip_prefix(word))
                .is_some_and(|after| !after.chars().next().is_some_and(char::is_alphabetic))
    };
    let magnitude_letter = matches!(next, Some('k' | 'K' | 'M' | 'B' | 'T'))
        && !at(end + 1).is_some_and(char::is_alphabetic);
    // "Not 100% accurate", "never 100% sure": a way of saying \"not entirely\".
    if number == "100" && negated(&text[..chars[start].0]) {
        return None;
    }
    let suffix = if at(after_space) == Some('%') {
        Some((after_space + 1, FigureKind::Percent))
    } else if let Some(word) = ["percent", "per cent"].into_iter().find(|w| spaced_word(w)) {
        Some((end + 1 + word.len(), FigureKind::Percent))
    } else if magnitude_letter {
        Some((end + 1, FigureKind::Magnitude))
    } else {
        SCALE_WORDS
            .into_iter()
            .find(|w| spaced_word(w))
            .map(|word| (end + 1 + word.len(), FigureKind::Magnitude))
    };
    let approximate = match prev {
        Some('~' | '≈') => Some(start - 1),
        Some(' ') if matches!(prev2, Some('~' | '≈')) => Some(start - 2),
        _ => None,
    };
    if let Some(from) = approximate {
        return Some((from, suffix.map_or(end, |s| s.0), FigureKind::Approximate));
    }
    let before = word_before(chars, start);
    if let Some((word, word_start)) = &before
        && word == "top"
        && prev == Some(' ')
    {
        return Some((*word_start, suffix.map_or(end, |s| s.0), FigureKind::Rank));
    }
    if let Some((to, kind)) = suffix {
        return Some((start, to, kind));
    }
    if matches!(prev, Some('$' | '€' | '£')) {
        return Some((start - 1, end, FigureKind::Money));
    }
    // Letters right after the number: an ordinal, decade or unit-like name (`3rd`, `1990s`, `3D`).
    if next.is_some_and(char::is_alphabetic) {
        return None;
    }
    if let Some((word, _)) = &before
        && LABEL_WORDS.contains(&word.as_str())
    {
        return None;
    }
    // A window of time ahead: `in the next 90 days`, `over the coming 3 years`.
    if let Some((word, _)) = &before
        && ["next", "coming", "following"].contains(&word.as_str())
    {
        return None;
    }
    if is_year(number) {
        return None;
    }
    // A count of things: a plural noun within the next three words, with no punctuation
    // or function word in between.
    if next != Some(' ') {
        return None;
    }
    let mut k = end;
    for _ in 0..3 {
        if at(k) != Some(' ') {
            return None;
        }
        k += 1;
        let word_start = k;
        while at(k).is_some_and(|c| c.is_alphabetic() || c == '-' || c == '’' || c == '\'') {
            k += 1;
        }
        if k == word_start {
            return None;
        }
        let word: String = chars[word_start..k]
            .iter()
            .map(|&(_, c)| c)
            .collect::<String>()
            .to_lowercase();
        if FUNCTION_WORDS.contains(&word.as_str()) {
            return None;
        }
        if is_plural_noun(&word) {
            // A capitalised noun makes the number part of a name or title:
            // `21 Lessons for the 21st Century`, `7 Habits of ...`.
            let mut letters = chars[word_start..k].iter().map(|&(_, c)| c);
            let titled = letters.next().is_some_and(char::is_uppercase)
                && letters.all(|c| !c.is_uppercase());
            return (!titled).then_some((start, k, FigureKind::Count));
        }
    }
    None
}

impl Rule for UnsourcedFigure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let strict = cx.config.options.unsourced_figure.require_locator;
        for view in &corpus.notes {
            let summary = view.doc.note.summary_of.is_some();
            if summary && !strict {
                continue;
            }
            let journal = is_dated_title(&view.doc.note.title);
            for claim in &view.claims {
                match claim.claim.kind {
                    ClaimKind::Opinion | ClaimKind::Question | ClaimKind::Label => continue,
                    ClaimKind::Claim
                    | ClaimKind::Quote
                    | ClaimKind::Forecast
                    | ClaimKind::Example
                    | ClaimKind::Definition => {}
                }
                let text = &claim.claim.text;
                let lead_in = super::claim_text::is_lead_in(claim.claim);
                let setting = setting_values(text);
                let Some(figure) = own_figures(text).find(|&figure| {
                    !(lead_in && counts_a_list(text, figure) || setting.contains(&figure.start))
                }) else {
                    continue;
                };
                let cited_here = claim.sources.iter().any(|source| {
                    source.is_set_on_a_claim() && (!strict || source.value.locator.is_some())
                }) || (!strict && cites_in_text(text));
                if cited_here {
                    continue;
                }
                // "I sleep 8 hours", "Set the timeout to 30 s", "2 raw eggs": the
                // author's own measure, instruction or amount, not a figure taken from
                // somewhere.
                if !cx.config.pedantic
                    && claim.claim.kind == ClaimKind::Claim
                    && (journal
                        || super::claim_text::own_voice(text).is_some()
                        || gives_steps(text, figure)
                        || sets_a_goal(text, figure)
                        || is_amount_list(text, figure))
                {
                    continue;
                }
                let shown = &text[figure.start..figure.end];
                let path = NoteView::field_path(claim, "text");
                let mut finding = view
                    .claim_finding(
                        META.id,
                        META.default_severity,
                        &path,
                        claim,
                        if strict {
                            format!("the figure `{shown}` has no citation with a locator on this claim or a parent claim")
                        } else {
                            format!("the figure `{shown}` is not sourced by this claim or a parent claim")
                        },
                    )
                    .with_label(if strict {
                        "figure without a located citation"
                    } else {
                        "figure without a citation"
                    })
                    .with_help(
                        "cite the figure's source on this claim or its parent claim, ideally `{id: <source>, locator: <page or section>}`",
                    );
                finding.span = Some(narrow(view, finding.span, text, figure));
                out.push(finding);
            }
        }
    }
}

/// Where `text` gives the values of a setting of code: when it opens with a snake_case
/// identifier and a colon (`max_retries: 3 retries, then fail`), the rest of that first
/// sentence; a later sentence may state a fact. (A CamelCase word is as often a
/// product's name: `HolStep: 2M premises`.)
fn setting_values(text: &str) -> std::ops::Range<usize> {
    let Some((name, rest)) = text.split_once(':') else {
        return 0..0;
    };
    let name = name.trim_start();
    let identifier = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.trim_matches('_').contains('_');
    if !identifier {
        return 0..0;
    }
    let from = text.len() - rest.len();
    let to = rest.find(". ").map_or(text.len(), |end| from + end);
    from..to
}

/// Whether `word` names a month (`May`, `sept`, `Dec`), as the importer reads dates.
fn is_month(word: &str) -> bool {
    word.chars().all(char::is_alphabetic)
        && notes_core::import::parse_date(&format!("{word} 2000"), None).is_ok()
}

/// Whether `text` names its source by author and year, as a citation in running text:
/// `Gerber, Green and Larimer, 2008`, `Smith (2019)`, `(Smith 2019)`, `Smith et al. 2019`.
fn cites_in_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..text.len().saturating_sub(3)).any(|i| {
        let year = &bytes[i..i + 4];
        let alone = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && !bytes.get(i + 4).is_some_and(u8::is_ascii_alphanumeric);
        if !(alone && text.is_char_boundary(i) && year.iter().all(u8::is_ascii_digit)) {
            return false;
        }
        if !is_year(&text[i..i + 4]) {
            return false;
        }
        let before = &text[..i];
        let (before, marked) = match before
            .strip_suffix(", ")
            .or_else(|| before.strip_suffix(" ("))
        {
            Some(rest) => (rest, true),
            None => (before.trim_end(), false),
        };
        if ["et al.", "et al.,", "et al"]
            .iter()
            .any(|end| before.trim_end().ends_with(end))
        {
            return true;
        }
        let start = before.rfind(|c: char| !c.is_alphabetic()).map_or(0, |k| {
            k + before[k..].chars().next().map_or(1, char::len_utf8)
        });
        let name = &before[start..];
        let in_parens = before[..start].ends_with('(');
        let mut letters = name.chars();
        let capitalised = letters.next().is_some_and(char::is_uppercase)
            && name.chars().count() >= 2
            && letters.all(char::is_lowercase);
        capitalised && (marked || in_parens) && !is_month(name)
    })
}

/// Whether a note's `title` is a date (`2018 January`, `2023-04-12`, `Week 14, 2021`): a
/// journal entry, whose figures (hours worked, money spent) are the author's own log.
fn is_dated_title(title: &str) -> bool {
    let words = super::claim_text::lowercase_words(title);
    words.iter().any(|w| is_year(w))
        && words.iter().all(|w| {
            is_year(w)
                || (w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
                || w == "week"
                || is_month(w)
        })
}

/// Words that name an aim: a figure in a sentence that opens with one (`Goal is to get
/// utilisation to 100%`, `Target: 90% coverage`) is aimed at, not measured.
const AIMS: [&str; 4] = ["goal", "aim", "target", "objective"];

/// Whether the sentence of `text` that holds `figure` opens by stating an aim (after
/// `the`, `our`, `my` or `main`), followed by `is` or a colon.
fn sets_a_goal(text: &str, figure: Figure) -> bool {
    let from = text[..figure.start]
        .rfind(['.', '!', '?', ';'])
        .map_or(0, |i| i + 1);
    let sentence = text[from..].trim_start();
    let words = words_of(sentence);
    let skip = words
        .iter()
        .take_while(|w| {
            ["the", "our", "my", "main"]
                .iter()
                .any(|d| w.eq_ignore_ascii_case(d))
        })
        .count();
    let Some(aim) = words.get(skip) else {
        return false;
    };
    let followed_by_colon = sentence
        .find(aim)
        .is_some_and(|at| sentence[at + aim.len()..].starts_with(':'));
    AIMS.iter().any(|a| aim.eq_ignore_ascii_case(a))
        && (followed_by_colon
            || words
                .get(skip + 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("is")))
}

/// The largest count that a lead-in can be taken to count its own list with.
const LIST_COUNT_MAX: u32 = 10;

/// Whether `figure` in a lead-in (`3 challenges remain:` over its list) is a small count
/// of things: the items listed below, not a figure taken from somewhere.
fn counts_a_list(text: &str, figure: Figure) -> bool {
    figure.kind == FigureKind::Count
        && text[figure.start..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|number| number.parse::<u32>().ok())
            .is_some_and(|number| number <= LIST_COUNT_MAX)
}

/// Verbs that open a step of a routine or recipe ("Plant the seed 2 cm deep") or set up
/// a worked example ("Imagine a loop of 100 iterations"), beyond the instructions that
/// the author's own voice already knows.
const STEP_VERBS: &[&str] = &[
    "plant", "sow", "bake", "chop", "knead", "whisk", "rinse", "mix", "fill", "pour", "boil",
    "cook", "heat", "stir", "soak", "repeat", "hold", "breathe", "inhale", "exhale", "imagine",
    "suppose", "assume", "picture",
];

/// Words that may come before the verb of an instruction: "Just keep going".
const BEFORE_VERB: &[&str] = &[
    "just", "then", "always", "also", "only", "first", "next", "finally", "simply", "please",
    "now", "and",
];

/// Words that open a leading clause before an instruction: "If it rains, take ...",
/// "For the best result, wait ...".
const CLAUSE_OPENERS: &[&str] = &[
    "if", "when", "whenever", "for", "before", "after", "once", "to", "while", "during",
];

/// The words of `text`: letters, digits and apostrophes, the markup placeholder `x` left
/// out.
fn words_of(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| w.chars().any(char::is_alphabetic) && *w != "x")
        .collect()
}

/// Whether `figure` is part of a step or an example: the sentence that holds it, or one
/// before it, opens with an instruction after an optional adverb ("Just keep doing 15 s
/// draws") or leading clause ("If it is cold, wait 2 hours"), or with a verb of
/// [`STEP_VERBS`]. A sentence after the figure does not count: in "There is a limit of
/// 500 tabs. To clear them, press X", the limit is a fact.
fn gives_steps(text: &str, figure: Figure) -> bool {
    let prose = super::claim_text::own_prose(&text[..figure.end]);
    prose
        .split(['.', '!', ';', ':', '\n'])
        .enumerate()
        .any(|(k, sentence)| {
            let sentence = sentence.trim_start();
            if k > 0 && !sentence.starts_with(char::is_uppercase) {
                return false;
            }
            let mut words = words_of(sentence);
            let opens_clause = words.first().is_some_and(|first| {
                CLAUSE_OPENERS
                    .iter()
                    .any(|opener| first.eq_ignore_ascii_case(opener))
            });
            if opens_clause && let Some(comma) = sentence.find(',') {
                words = words_of(&sentence[comma + 1..]);
            }
            let skip = words
                .iter()
                .take_while(|w| BEFORE_VERB.iter().any(|b| w.eq_ignore_ascii_case(b)))
                .count();
            super::claim_text::opens_with_imperative(&words[skip..], STEP_VERBS)
        })
}

/// The most words an item of a list of amounts has: `2 raw eggs`.
const AMOUNT_WORDS_MAX: usize = 3;

/// Whether `text`, whose first figure is `figure`, is only a list of amounts: `2 raw
/// eggs`, `4 eggs + salad (tomatoes, feta)`. Such a line (an ingredient, a packing list,
/// a step of a routine) says how much of something the author takes, not a fact about
/// the world.
fn is_amount_list(text: &str, figure: Figure) -> bool {
    if figure.kind != FigureKind::Count || !text[..figure.start].trim().is_empty() {
        return false;
    }
    let first = text.split(". ").next().unwrap_or(text);
    let first = first.trim_end().trim_end_matches('.');
    let mut depth = 0_usize;
    let outside: String = first
        .chars()
        .filter(|&c| {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect();
    outside
        .split(['+', '&'])
        .flat_map(|item| item.split(", "))
        .flat_map(|item| item.split(" and "))
        .all(|item| {
            let words = item.split_whitespace().count();
            (1..=AMOUNT_WORDS_MAX).contains(&words)
        })
}

/// The span of `figure` (a range of the claim's `text`) in the file, so the finding
/// points at that figure rather than at an earlier appearance of the same characters
/// (the `19` of `COVID-19` before `19 papers`); the whole text's span when the mapping
/// is not certain (escapes or line folding change the text between file and value).
fn narrow(view: &NoteView<'_>, span: Option<Span>, text: &str, figure: Figure) -> Span {
    let span = span.unwrap_or_default();
    let source = view.doc.file.slice(span);
    match source_offset(source, text, figure.start, figure.end) {
        Some(offset) => Span::new(
            span.start + offset,
            span.start + offset + (figure.end - figure.start),
        ),
        None => span,
    }
}

/// Where `text[start..end]` is in `source`, the text as the file writes it (quotes,
/// escapes and line breaks included), when that is certain.
fn source_offset(source: &str, text: &str, start: usize, end: usize) -> Option<usize> {
    // Written as is: a plain scalar, or a quoted one with nothing escaped.
    if source == text {
        return Some(start);
    }
    let quoted = |quote: char| {
        source.len() == text.len() + 2
            && source.starts_with(quote)
            && source.ends_with(quote)
            && source.get(1..source.len() - 1) == Some(text)
    };
    if quoted('"') || quoted('\'') {
        return Some(start + 1);
    }
    // Otherwise the n-th appearance of the figure in the text is its n-th appearance in
    // the file, provided both show it equally often.
    let shown = text.get(start..end).filter(|s| !s.is_empty())?;
    let nth = appearances(text, shown).take_while(|&i| i < start).count();
    let in_text = appearances(text, shown).count();
    let mut in_source = appearances(source, shown);
    let offset = in_source.nth(nth)?;
    (nth + 1 + in_source.count() == in_text).then_some(offset)
}

/// The byte offsets where `needle` starts in `haystack`, overlapping ones included.
fn appearances<'h>(haystack: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    haystack
        .char_indices()
        .map(|(i, _)| i)
        .filter(move |&i| haystack[i..].starts_with(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(text: &str) -> Option<&str> {
        find_figure(text).map(|f| &text[f.start..f.end])
    }

    #[test]
    fn figures_in_links_code_and_addresses_are_not_the_claims() {
        fn own(text: &str) -> Option<&str> {
            super::find_own_figure(text).map(|f| &text[f.start..f.end])
        }
        assert_eq!(own("See https://example.org/a%22b for the list."), None);
        assert_eq!(own("Set `retries = 3 times` in the file."), None);
        assert_eq!(
            own("[A 40% faster parser](https://example.org/p) exists."),
            None
        );
        assert_eq!(
            own("[The report](https://example.org/r2) says 40% of labs agree."),
            Some("40%")
        );
        assert_eq!(own("Costs fell by 30% in a year."), Some("30%"));
    }

    #[test]
    fn finds_figures() {
        let cases = [
            ("2% of NeurIPS 2021 papers were safety-related", "2%"),
            ("about 2 % of them", "2 %"),
            ("roughly 15 percent of labs", "15 percent"),
            ("~30k for Kaiming He", "~30k"),
            ("at about ~32,000 steps", "~32,000"),
            ("~ 90% top-1 accuracy", "~ 90%"),
            ("≈1 for typical PhD students", "≈1"),
            ("trained on 1.5M images", "1.5M"),
            ("a 7B model", "7B"),
            ("30k highly influential citations", "30k"),
            ("3 million downloads", "3 million"),
            ("in 2 ways, of course", "2 ways"),
            ("a budget of $500 per run", "$500"),
            ("the top 10 labs", "top 10"),
            ("in the top 1% of authors", "top 1%"),
            ("8 papers were accepted", "8 papers"),
            ("10 years behind image classification", "10 years"),
            (
                "30,000 highly influential citations",
                "30,000 highly influential citations",
            ),
            ("only 2 people know", "2 people"),
            ("~2000 papers", "~2000"),
        ];
        for (text, expected) in cases {
            assert_eq!(figure(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn ignores_years_names_ordinals_and_labels() {
        let cases = [
            "compute growing rapidly since 2010",
            "NeurIPS 2021 papers",
            "written in May 2022",
            "this is before GPT-4's MMLU results",
            "GPT-3.5 and GPT-4 were trained",
            "COVID-19 changed conferences",
            "the #2 lab",
            "the 3rd edition",
            "models from the 1990s",
            "3D vision",
            "see Figure 2 for results",
            "Table 3 shows results",
            "top-1 accuracy is the metric",
            "llama-7B is a model",
            "v2 of the library",
            "1 or 2 of them",
            "the 2022-05 draft",
            "GPT 4 was released",
            "0.9 accuracy",
            "no numbers at all",
            "3 is a prime",
            "wake up at ~ 9:00 on weekdays",
            "a 16:9 screen",
            "the meeting ends at 10:30 hours",
        ];
        for text in cases {
            assert_eq!(figure(text), None, "{text}");
        }
    }

    #[test]
    fn ignores_formulas_titles_windows_and_negated_wholes() {
        for text in [
            "the critic has N+1 classes",
            "a cost of 2*k steps",
            "set x=3 points",
            "it is not 100% accurate",
            "the copy isn't 100% faithful",
            "never 100% sure",
            "21 Lessons for the 21st Century",
            "in the next 90 days",
            "over the coming 3 years",
        ] {
            assert_eq!(figure(text), None, "{text}");
        }
        for (text, expected) in [
            ("100% of the tests pass", "100%"),
            ("not 90% of them", "90%"),
            ("21 lessons were taught", "21 lessons"),
            ("3 Nvidia cards were used", "3 Nvidia cards"),
            ("in the last 10 years", "10 years"),
        ] {
            assert_eq!(figure(text), Some(expected), "{text}");
        }
    }

    fn first(text: &str) -> Figure {
        find_figure(text).expect("a figure")
    }

    /// Asserts that `test` holds for each of `yes` and not for each of `no`, given each
    /// text's first figure.
    fn sorts(test: fn(&str, Figure) -> bool, yes: &[&str], no: &[&str]) {
        for text in yes {
            assert!(test(text, first(text)), "{text}");
        }
        for text in no {
            assert!(!test(text, first(text)), "{text}");
        }
    }

    #[test]
    fn tells_the_authors_steps_amounts_and_aims_from_facts() {
        sorts(
            gives_steps,
            &[
                "Plant the seed. Not deep. About 2 fingers down.",
                "If it rains, wait 3 days.",
                "For a stronger brew, let it steep 5 minutes longer.",
                "Done twice. Just keep going for 10 minutes.",
                "Loops explained: Imagine a loop of 100 iterations.",
            ],
            &[
                "There is a cap of 500 tabs. To close them, press the icon.",
                "Bean seeds keep for 3 years.",
                "Survey: send rates rose 30% in a year.",
            ],
        );
        sorts(
            is_amount_list,
            &[
                "2 raw eggs",
                "4 eggs + salad (tomato, feta).",
                "3 apples and 2 pears",
            ],
            &[
                "2 raw eggs hold 12 grams of protein",
                "It takes 2 raw eggs",
                "30% fat",
            ],
        );
        sorts(
            sets_a_goal,
            &[
                "Goal is to reach 90% coverage.",
                "Done. Our target: 40 pages a day.",
            ],
            &[
                "The city's goal of 60% recycling was met.",
                "Goals met: 40%.",
            ],
        );
    }

    #[test]
    fn recognises_settings_citations_in_text_and_journal_titles() {
        let setting = "max_retries: 3 retries. Most servers allow 5 retries.";
        let values = setting_values(setting);
        assert!(values.contains(&setting.find('3').expect("a 3")));
        assert!(!values.contains(&setting.find('5').expect("a 5")));
        assert!(setting_values("HolStep: 2M premises").is_empty());
        assert!(setting_values("Retry limit: 3 attempts").is_empty());
        for text in [
            "Turnout rose (Gerber, Green and Larimer, 2008).",
            "as Smith (2019) found",
            "as found before (Smith 2019)",
            "Smith et al. 2019 report 40%",
        ] {
            assert!(cites_in_text(text), "{text}");
        }
        for text in [
            "NeurIPS 2021 had 9,000 papers",
            "In May, 2020 saw 30% more",
            "since 2010",
        ] {
            assert!(!cites_in_text(text), "{text}");
        }
        for title in ["2018 January", "2023-04-12", "Week 14, 2021", "Mar 2024"] {
            assert!(is_dated_title(title), "{title}");
        }
        for title in ["Cyprus", "Papers of 2021", "2021"] {
            assert_eq!(is_dated_title(title), title == "2021", "{title}");
        }
    }

    fn located(source: &str, text: &str) -> Option<usize> {
        let figure = find_figure(text).expect("a figure");
        source_offset(source, text, figure.start, figure.end)
    }

    #[test]
    fn locates_the_figure_not_an_earlier_appearance_of_it() {
        let text = "COVID-19 papers rose; 19 papers were retracted.";
        assert_eq!(figure(text), Some("19 papers"));
        // Plain, double- and single-quoted, as written.
        assert_eq!(located(text, text), Some(22));
        assert_eq!(located(&format!("\"{text}\""), text), Some(23));
        assert_eq!(located(&format!("'{text}'"), text), Some(23));
        // An escape elsewhere: the second appearance in the file.
        let escaped = "\"COVID-19 papers rose; \\u0031 19 papers were retracted.\"";
        let decoded = "COVID-19 papers rose; 1 19 papers were retracted.";
        let at = located(escaped, decoded).expect("certain");
        assert_eq!(&escaped[at..at + "19 papers".len()], "19 papers");
        assert!(at > 20);
        // Folded over two lines: not certain, so the whole text.
        let folded = "COVID-19 papers rose; 19\n  papers were retracted.";
        assert_eq!(located(folded, text), None);
    }
}
