//! What `duplicate-claim` and `conflicting-figure` compare: a claim's text normalised,
//! and the same text split into its figures, its names and the words around them, in
//! one canonical order of the corpus's claims, with the way both rules report a
//! cluster of claims.

use notes_core::{Finding, Label};

use super::unsourced_figure::LABEL_WORDS;
use crate::corpus::{Corpus, NoteView};

/// Whether `c` is a currency sign, kept by [`normalise`].
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '¢' | '₩' | '₽' | '₿')
}

/// What [`normalise`] keeps of a character that is not a letter or digit.
#[derive(Clone, Copy)]
enum Mark {
    /// Nothing: it separates words.
    Space,
    /// A mark that goes with the number after it: a sign (`-5`), a comparison or an
    /// approximation (`<5`, `~5`), a currency (`$5`).
    Before(char),
    /// A mark that goes with the number before it: `5%`, or a decimal point (`2.5`).
    After(char),
}

/// Whether `c` starts a number, or a mark that goes with one.
fn starts_number(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_numeric() || is_currency(c) || matches!(c, '-' | '+' | '−' | '±'))
}

fn mark(chars: &[char], i: usize) -> Mark {
    let c = chars[i];
    let before = i.checked_sub(1).map(|j| chars[j]);
    let next = chars.get(i + 1).copied();
    let numeric = |c: Option<char>| c.is_some_and(char::is_numeric);
    match c {
        '%' | '‰' => Mark::After(c),
        '.' if numeric(before) && numeric(next) => Mark::After(c),
        _ if is_currency(c) => Mark::Before(c),
        // A sign, not a hyphen: nothing glued before it, a number right after it.
        '-' | '+' | '−' | '±'
            if !before.is_some_and(char::is_alphanumeric)
                && (numeric(next) || next.is_some_and(is_currency)) =>
        {
            Mark::Before(if c == '−' { '-' } else { c })
        }
        '<' | '>' | '≤' | '≥' | '~' | '≈' if starts_number(next_word(chars, i + 1)) => {
            Mark::Before(c)
        }
        _ => Mark::Space,
    }
}

/// The first character from `i` on that is not a space.
fn next_word(chars: &[char], i: usize) -> Option<char> {
    chars.get(i..)?.iter().copied().find(|c| !c.is_whitespace())
}

/// `text` lowercased, with every run of other characters made one space, except for
/// the marks that change what a number says: signs, comparisons and approximations
/// before it (`-5`, `<5`, `~5`), currencies (`$5`), percent signs (`5%`) and decimal
/// points (`2.5`). Those are kept, next to their number: `Growth was −5 %!` reads
/// `growth was -5%`, and is not the same text as `Growth was 5%.`
pub fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    // A separator was skipped since the last character kept.
    let mut space = false;
    // The last character kept is a mark that goes with the number after it.
    let mut glued = false;
    for (i, &c) in chars.iter().enumerate() {
        let mark = if c.is_alphanumeric() {
            None
        } else {
            match mark(&chars, i) {
                Mark::Space => {
                    space = true;
                    continue;
                }
                kept => Some(kept),
            }
        };
        let own_word = match mark {
            Some(Mark::After(_)) => !out.ends_with(char::is_numeric),
            _ => true,
        };
        if space && own_word && !glued && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        glued = false;
        match mark {
            Some(Mark::Before(m)) => {
                out.push(m);
                glued = starts_number(next_word(&chars, i + 1));
            }
            Some(Mark::After(m)) => out.push(m),
            Some(Mark::Space) | None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// `word` lowercased, borrowed when it is lowercase already.
fn lowercase(word: &str) -> std::borrow::Cow<'_, str> {
    if word
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        std::borrow::Cow::Owned(word.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(word)
    }
}

/// [`normalise`] of one word, borrowed when the word is lowercase letters and digits
/// (which [`normalise`] keeps as they are), and quick when it is ASCII letters and digits.
fn normalise_word(word: &str) -> std::borrow::Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        std::borrow::Cow::Borrowed(word)
    } else if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        std::borrow::Cow::Owned(word.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Owned(normalise(word))
    }
}

/// Whether `word` (lowercase) is a number word: a claim that says `two` says a figure
/// as much as one that says `2`. (A `match`, which compiles to a few comparisons,
/// where a list would be searched word by word.)
fn is_number_word(word: &str) -> bool {
    matches!(
        word,
        "zero"
            | "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "thirteen"
            | "fourteen"
            | "fifteen"
            | "sixteen"
            | "seventeen"
            | "eighteen"
            | "nineteen"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "sixty"
            | "seventy"
            | "eighty"
            | "ninety"
            | "hundred"
            | "hundreds"
            | "thousand"
            | "thousands"
            | "million"
            | "millions"
            | "billion"
            | "billions"
            | "trillion"
            | "dozen"
            | "dozens"
            | "half"
            | "twice"
            | "thrice"
            | "double"
            | "triple"
    )
}

/// Marks a figure may start with: signs, comparisons, approximations, currencies.
fn is_lead_mark(c: char) -> bool {
    is_currency(c) || matches!(c, '~' | '≈' | '<' | '>' | '≤' | '≥' | '+' | '-' | '−' | '±')
}

/// How a word of a claim counts when claims are compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    /// A number, with its marks and magnitude (`2%`, `~30k`, `$5`, `1.5M`, `10x`), or
    /// a number word (`two`, `dozen`).
    Figure,
    /// A number with no mark or magnitude: a figure, unless it follows a name
    /// (`VOC 2007`, `NeurIPS 2021`) or a label word (`Table 3`), which it is part of.
    Bare,
    /// A name: letters and digits together (`CIFAR-10`, `GPT-4`, `top-1`), or a
    /// capitalised word other than a sentence's first (`NeurIPS`, `ODM`).
    Name,
    /// Any other word.
    Word,
}

/// The role of `core` (a word with its surrounding punctuation trimmed), which starts a
/// sentence or not, in a text that is `shouting` or not (mostly capitals, so case says
/// nothing).
fn role(core: &str, starts_sentence: bool, shouting: bool) -> Role {
    let body = core.trim_start_matches(is_lead_mark);
    let lead = body.len() < core.len();
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        let digits_end = body
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '–' | '/')))
            .unwrap_or(body.len());
        let suffix = lowercase(&body[digits_end..]);
        match &*suffix {
            "" if lead => return Role::Figure,
            "" => return Role::Bare,
            "%" | "‰" | "k" | "m" | "b" | "bn" | "t" | "x" | "×" => return Role::Figure,
            _ => {}
        }
    }
    let lower = lowercase(core);
    if is_number_word(&lower) {
        return Role::Figure;
    }
    if LABEL_WORDS.contains(&&*lower) {
        return Role::Word;
    }
    let letters = core.chars().any(char::is_alphabetic);
    let digits = core.chars().any(|c| c.is_ascii_digit());
    if letters && digits {
        return Role::Name;
    }
    if shouting {
        return Role::Word;
    }
    let capitals = core.chars().filter(|c| c.is_uppercase()).count();
    if capitals >= 2 || (capitals == 1 && !starts_sentence) {
        Role::Name
    } else {
        Role::Word
    }
}

/// A claim's text taken apart: the text with every figure masked, the figures in
/// order, and the names in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shape {
    /// The normalised text with each figure made `#`: `# of neurips papers are about
    /// safety`.
    pub masked: String,
    /// The figures in order, normalised: `["2%"]`. Adjacent figure words make one
    /// figure (`3 million`, `two hundred`).
    pub figures: Vec<String>,
    /// The names in order, normalised: `["neurips"]`, `["cifar 10"]`, `["voc 2007"]`.
    pub names: Vec<String>,
    /// How many words the masked text has besides its figures.
    pub words: usize,
}

/// `text` taken apart into its figures, names and other words (see [`Shape`]).
pub fn shape(text: &str) -> Shape {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = text.chars().filter(|c| c.is_uppercase()).count();
    let shouting = letters >= 8 && capitals * 10 >= letters * 6;
    let mut shape = Shape::default();
    // The words and `#`s of the masked text, one space apart.
    let masked = &mut String::with_capacity(text.len());
    // The role of the last part pushed, with figures of one run merged.
    let mut last: Option<Role> = None;
    let mut last_word = "";
    let mut starts_sentence = true;
    for raw in text.split_whitespace() {
        let sentence_start = starts_sentence;
        starts_sentence = raw.ends_with(['.', '!', '?', ':']);
        if !raw.contains(char::is_alphanumeric) {
            // A lone `%` belongs to the figure before it (`5 %`); other punctuation
            // breaks a run of figures or a name.
            match raw.chars().next() {
                Some(c @ ('%' | '‰')) if last == Some(Role::Figure) => {
                    if let Some(figure) = shape.figures.last_mut() {
                        figure.push(c);
                    }
                }
                _ => last = None,
            }
            continue;
        }
        let core = raw
            .trim_start_matches(|c: char| !c.is_alphanumeric() && !is_lead_mark(c))
            .trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '%' | '‰'));
        let mut role = role(core, sentence_start, shouting);
        if role == Role::Bare {
            let labelled = LABEL_WORDS.contains(&&*lowercase(last_word));
            role = if last == Some(Role::Name) || labelled {
                Role::Name
            } else {
                Role::Figure
            };
            if role == Role::Name && last == Some(Role::Name) {
                // Part of the name before it: `VOC 2007`.
                let norm = normalise_word(core);
                // A name is always in the masked text too, last.
                if let Some(name) = shape.names.last_mut() {
                    name.push(' ');
                    name.push_str(&norm);
                    masked.push(' ');
                    masked.push_str(&norm);
                }
                last_word = core;
                continue;
            }
        }
        let norm = normalise_word(core);
        let mut part = |part: &str| {
            if !masked.is_empty() {
                masked.push(' ');
            }
            masked.push_str(part);
        };
        match role {
            Role::Figure if last == Some(Role::Figure) => {
                if let Some(figure) = shape.figures.last_mut() {
                    figure.push(' ');
                    figure.push_str(&norm);
                }
            }
            Role::Figure => {
                shape.figures.push(norm.into_owned());
                part("#");
            }
            Role::Name => {
                part(&norm);
                shape.names.push(norm.into_owned());
                shape.words += 1;
            }
            Role::Word | Role::Bare => {
                shape.words += 1;
                part(&norm);
            }
        }
        // Punctuation after a word ends a run of figures or a name: `in 2021, 2%`.
        let closed = raw.ends_with(|c: char| !c.is_alphanumeric() && !matches!(c, '%' | '‰'));
        last = (!closed).then_some(role);
        last_word = core;
    }
    shape.masked = std::mem::take(masked);
    // Kept for the whole run, once per claim: no spare room.
    shape.masked.shrink_to_fit();
    shape.figures.shrink_to_fit();
    shape.names.shrink_to_fit();
    shape
}

/// Whether `figure` (as [`Shape::figures`] gives it) is a year, `1900` to `2100`: a
/// claim about another year is another claim, not a conflicting figure.
pub fn is_year(figure: &str) -> bool {
    figure.len() == 4
        && figure.bytes().all(|b| b.is_ascii_digit())
        && figure
            .parse::<u16>()
            .is_ok_and(|year| (1900..=2100).contains(&year))
}

/// Whether a claim is a lead-in: text ending in `:` that introduces its children.
pub fn is_lead_in(claim: &notes_core::model::Claim) -> bool {
    claim.text.trim_end().ends_with(':') && !claim.children.is_empty()
}

/// One claim of the corpus: its note (an index in [`Corpus::notes`]) and its index in
/// the note's claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// The note.
    pub note: usize,
    /// The claim in the note.
    pub claim: usize,
}

/// Every claim of the corpus that is compared (lead-ins and labels are not), in the order that
/// decides which copy comes first: by file path, then document order.
pub fn compared_claims(corpus: &Corpus<'_>) -> Vec<At> {
    let mut notes: Vec<usize> = (0..corpus.notes.len()).collect();
    notes.sort_by(|&a, &b| {
        corpus.notes[a]
            .doc
            .file
            .path()
            .cmp(corpus.notes[b].doc.file.path())
            .then(a.cmp(&b))
    });
    notes
        .into_iter()
        .flat_map(|note| {
            corpus.notes[note]
                .claims
                .iter()
                .enumerate()
                .filter(|(_, resolved)| !is_lead_in(resolved.claim) && !resolved.claim.is_label())
                .map(move |(claim, _)| At { note, claim })
        })
        .collect()
}

/// The rules that read [`Texts`].
pub const READ_BY: [&str; 2] = ["duplicate-claim", "conflicting-figure"];

/// The claims [`compared_claims`] lists, each with its text normalised and split into
/// its shape: what `duplicate-claim` and `conflicting-figure` both read, worked out
/// once per run (see [`Corpus::texts`](crate::corpus::Corpus::texts)).
#[derive(Debug, Default)]
pub struct Texts {
    /// The compared claims, in their canonical order.
    pub claims: Vec<At>,
    /// Per claim, its [`normalise`]d text.
    pub norms: Vec<String>,
    /// Per claim, its [`shape`].
    pub shapes: Vec<Shape>,
    /// Per claim, whether it is compared within its own note only: an entry of a link
    /// list or a claim in the author's own voice (see [`Group`]).
    pub local: Vec<bool>,
}

impl Texts {
    /// Works out the texts of `corpus`'s compared claims (in parallel).
    pub fn new(corpus: &Corpus<'_>) -> Self {
        use rayon::prelude::*;
        let claims = compared_claims(corpus);
        let (texts, local): (Vec<(String, Shape)>, Vec<bool>) = claims
            .par_iter()
            .map(|at| {
                let view = &corpus.notes[at.note];
                let text = &view.claims[at.claim].claim.text;
                // Only an image, code or links: no statement to repeat or contradict.
                if !has_own_words(text) {
                    return ((String::new(), Shape::default()), false);
                }
                let mut norm = normalise(text);
                norm.shrink_to_fit();
                // A summary's claims are compared within their parent anyway.
                let local = view.doc.note.summary_of.is_none()
                    && (is_link_entry(text) || own_voice(text).is_some());
                ((norm, shape(text)), local)
            })
            .unzip();
        let (norms, shapes) = texts.into_iter().unzip();
        Texts {
            claims,
            norms,
            shapes,
            local,
        }
    }
}

/// The group a note's claims are compared within: claims of notes whose `summary_of`
/// differ are not compared (one sentence in two summaries is a template).
pub fn summary_group<'a>(corpus: &'a Corpus<'_>, at: At) -> Option<&'a str> {
    corpus.notes[at.note].doc.note.summary_of.as_deref()
}

/// The claims a claim is compared with for duplicates: those of notes with the same
/// `summary_of` (see [`summary_group`]), and more narrowly:
/// - an entry of a link list, only those of its own note: a bookmark filed under two
///   topics (`[Vosk](https://...) - speech toolkit` in the notes on speech and in those
///   on Rust) is cross-listed, not written twice; twice in one list it is a duplicate;
/// - a claim in the author's own voice (see [`own_voice`]: a habit, a routine, advice),
///   only those of its own note: a routine copied into a journal page is the author's
///   record of following it, not a fact stated twice;
/// - a claim of a note that summarises a work, only those under the same parent (the
///   same parent claim, or the top of the same section): a summary repeats a detail
///   under each setting it describes (`Optimizer: Adam` under two experiments), and its
///   recap repeats its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Group<'a> {
    /// The notes' `summary_of`.
    pub summary_of: Option<&'a str>,
    /// The note, for a link entry, a claim in the author's own voice or a claim of a
    /// summary.
    pub note: Option<usize>,
    /// The section and the parent claim (its index in the note's claims, plus one; 0
    /// at the top of the section), for a claim of a summary.
    pub parent: Option<(usize, usize)>,
}

/// The index of the section `claim` is in.
pub fn section_of(claim: &notes_core::resolve::ResolvedClaim<'_>) -> usize {
    match claim.path.get(1) {
        Some(&notes_core::tree::Segment::Index(s)) => s,
        _ => 0,
    }
}

/// Whether two claims of one note are in one list: the children of one parent claim, or
/// the top of one section.
pub fn same_list(
    a: &notes_core::resolve::ResolvedClaim<'_>,
    b: &notes_core::resolve::ResolvedClaim<'_>,
) -> bool {
    a.parent == b.parent && (a.parent.is_some() || section_of(a) == section_of(b))
}

/// The [`Group`] of the `i`th claim of `texts`.
pub fn compare_group<'a>(corpus: &'a Corpus<'_>, texts: &Texts, i: usize) -> Group<'a> {
    let at = texts.claims[i];
    let claim = &corpus.notes[at.note].claims[at.claim];
    let summary_of = summary_group(corpus, at);
    let parent = summary_of.map(|_| (section_of(claim), claim.parent.map_or(0, |p| p + 1)));
    Group {
        summary_of,
        note: (parent.is_some() || texts.local[i]).then_some(at.note),
        parent,
    }
}

/// How many other places a cluster's finding labels; the rest are counted.
pub const MAX_LABELS: usize = 10;
/// How many other places a cluster's message names.
pub const MAX_NAMED: usize = 3;

/// How `other` is named from `first`'s note: `claim `1.2` of this note` or `claim
/// `1.2` of note `b``.
pub fn place(corpus: &Corpus<'_>, first: At, other: At) -> String {
    let view = &corpus.notes[other.note];
    let claim = view.claims[other.claim].name();
    if other.note == first.note {
        format!("claim `{claim}` of this note")
    } else {
        format!("claim `{claim}` of note `{}`", view.id())
    }
}

/// A finding of `rule` on the text of claim `first`, with a label at the text of each
/// of `others` (up to [`MAX_LABELS`], each with its message).
pub fn cluster_finding(
    corpus: &Corpus<'_>,
    rule: &'static str,
    severity: notes_core::Severity,
    first: At,
    others: &[(At, String)],
    message: String,
) -> Finding {
    let view = &corpus.notes[first.note];
    let claim = &view.claims[first.claim];
    let mut finding = view.claim_finding(
        rule,
        severity,
        &NoteView::field_path(claim, "text"),
        claim,
        message,
    );
    for (other, message) in others.iter().take(MAX_LABELS) {
        let other_view = &corpus.notes[other.note];
        let other_claim = &other_view.claims[other.claim];
        finding.labels.push(Label {
            file: (other.note != first.note).then(|| other_view.doc.file.path().to_owned()),
            span: other_view.span(&NoteView::field_path(other_claim, "text")),
            message: message.clone(),
        });
    }
    finding
}

/// `n` and the noun, singular or plural: `1 other claim`, `2 other claims`.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The places of `others` named in a message: the first [`MAX_NAMED`], then how many
/// more there are.
pub fn named_places(corpus: &Corpus<'_>, first: At, others: &[At]) -> String {
    let mut named: Vec<String> = others
        .iter()
        .take(MAX_NAMED)
        .map(|&other| place(corpus, first, other))
        .collect();
    if others.len() > MAX_NAMED {
        named.push(format!("and {} more", others.len() - MAX_NAMED));
    }
    named.join(", ")
}

/// What the help adds when a cluster has more places than it labels.
pub fn unlabelled(others: usize) -> String {
    if others > MAX_LABELS {
        format!(
            "; the first {MAX_LABELS} other places are labelled, {} more are not",
            others - MAX_LABELS
        )
    } else {
        String::new()
    }
}

/// The byte ranges of `text` that are not the claim's own words: the text and address
/// of Markdown links and images, inline code, code blocks and HTML, and bare URLs; sorted, and
/// merged where they overlap.
pub(crate) fn markup_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    if !text.contains(['[', '`', '<']) && !text.contains("://") {
        return Vec::new();
    }
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_) => ranges.push(range),
            Event::Text(_) => {
                let mut at = range.start;
                for word in text[range.clone()].split(' ') {
                    if word.contains("://") {
                        ranges.push(at..at + word.len());
                    }
                    at += word.len() + 1;
                }
            }
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Whether `text` is an entry of a link list: it opens with a Markdown link, followed
/// by nothing or by a separator (` - `, ` – `, ` — `, `: `) and a description, as in
/// `[Vosk](https://...) - Speech recognition toolkit with low latency.` Such a
/// description is the linked work's account of itself (often its own tagline), dated
/// by the link rather than by the note.
pub(crate) fn is_link_entry(text: &str) -> bool {
    let text = without_label(text.trim_start());
    if !text.starts_with('[') {
        return false;
    }
    let Some(first) = markup_ranges(text).into_iter().next() else {
        return false;
    };
    if first.start != 0 {
        return false;
    }
    let mut rest = text[first.end..].trim_start();
    // Links in parentheses after the first (`([Code](https://...))`) belong to it.
    while let Some(inner) = rest.strip_prefix('(') {
        let Some(link) = markup_ranges(inner)
            .into_iter()
            .next()
            .filter(|r| r.start == 0)
        else {
            break;
        };
        let Some(after) = inner[link.end..].trim_start().strip_prefix(')') else {
            break;
        };
        rest = after.trim_start();
    }
    // A closing aside in parentheses names the work another way: "(aka WGAN)".
    let aside = rest.starts_with('(') && rest.ends_with(')') && rest.matches('(').count() == 1;
    rest.is_empty()
        || aside
        || ["- ", "– ", "— ", ": "]
            .iter()
            .any(|separator| rest.starts_with(separator))
}

/// `text` without a leading label in bold, italics or code (`**GAN** [WGAN](wgan.md)`,
/// ``` `GAN` [WGAN](wgan.md) ```), as an index files its links under categories.
fn without_label(text: &str) -> &str {
    let rest = text.trim_start_matches(['*', '_']);
    let emphasised = rest.len() < text.len();
    let rest = match rest.strip_prefix('`') {
        Some(code) => match code.find('`') {
            Some(end) => &code[end + 1..],
            None => return text,
        },
        None if emphasised => match rest.find(['*', '_']) {
            Some(end) if !rest[..end].contains('[') => &rest[end..],
            _ => return text,
        },
        None => return text,
    };
    rest.trim_start_matches(['*', '_'])
        .trim_start_matches([' ', ':', '-', '–', '—'])
}

/// Whether `text` is an entry of a reading list: a [link entry](is_link_entry), or a
/// work's title followed by nothing but links to it, as in `Deep Residual Learning for
/// Image Recognition [[arXiv](https://...)] [[code](https://...)]`. Such an entry names
/// a work; it states nothing that could go stale or need a date.
pub(crate) fn is_reference_entry(text: &str) -> bool {
    if is_link_entry(text) {
        return true;
    }
    let text = text.trim();
    let ranges = markup_ranges(text);
    let Some(first) = ranges.first() else {
        return false;
    };
    // After the title: only links, brackets, parentheses, separators and spaces.
    let mut at = first.end;
    for range in &ranges[1..] {
        if !text[at..range.start]
            .chars()
            .all(|c| c.is_whitespace() || "[](),;|-–—".contains(c))
        {
            return false;
        }
        at = range.end;
    }
    // The links stand apart from the title, in brackets or after a separator: "the
    // best tool is [Parrot](https://...)" ends a sentence with a link instead.
    let head = text[..first.start].trim_end();
    if first.start > 0 && !head.ends_with(['[', '(', '-', '–', '—', '|', ':']) {
        return false;
    }
    let title = head.trim_end_matches(|c: char| c.is_whitespace() || "[(-–—|:".contains(c));
    text[at..]
        .chars()
        .all(|c| c.is_whitespace() || "[]().,;|".contains(c))
        // The title is the first link's when the entry opens with it.
        && (first.start == 0 || title.chars().any(char::is_alphabetic))
        && !title.contains(". ")
        && !title.ends_with('.')
        && title.split_whitespace().count() <= 25
}

/// Whether `text` has words of its own besides its markup (see [`markup_ranges`]):
/// `![](https://example.org/a.png)` has none.
pub(crate) fn has_own_words(text: &str) -> bool {
    words_outside(text, &markup_ranges(text))
}

/// Whether `text` has letters or digits outside `ranges` (its [`markup_ranges`]).
fn words_outside(text: &str, ranges: &[std::ops::Range<usize>]) -> bool {
    let mut at = 0;
    for range in ranges
        .iter()
        .chain(std::iter::once(&(text.len()..text.len())))
    {
        if text[at..range.start].chars().any(char::is_alphanumeric) {
            return true;
        }
        at = range.end;
    }
    false
}

/// Verbs that open an instruction or a piece of advice ("Use a password manager.",
/// "Keep backups off-site."), as lowercase words.
const IMPERATIVES: &[&str] = &[
    "add", "avoid", "ask", "be", "build", "check", "choose", "click", "consider", "copy", "create",
    "delete", "do", "don't", "dont", "enable", "find", "focus", "follow", "get", "give", "go",
    "install", "keep", "learn", "let", "make", "move", "never", "open", "pick", "prefer", "press",
    "put", "read", "remember", "remove", "run", "save", "select", "set", "start", "stop", "take",
    "think", "try", "use", "watch", "write", "plot", "sleep", "eat", "drink", "wake", "walk",
    "plan", "wait", "look", "apply", "call", "send", "share", "buy", "store", "drop", "turn",
    "switch", "place", "limit", "spend", "aim", "imagine", "leave", "ensure", "stay", "cut",
    "practice", "treat", "show", "note",
];

/// Words that may come before an instruction's verb ("Just try it", "Always keep a
/// copy", "Ideally keep the CV to one page").
const BEFORE_IMPERATIVE_WORDS: &[&str] = &[
    "just", "always", "ideally", "simply", "also", "then", "first", "finally", "please", "and",
    "but", "so", "never", "rather", "instead", "often",
];

/// Words that judge rather than state: the author's taste ("Spline is amazing", "Would
/// love a printer", "Zig is a nice alternative").
const EVALUATIVE_WORDS: &[&str] = &[
    "amazing",
    "awesome",
    "nice",
    "nicer",
    "nicest",
    "lovely",
    "love",
    "loved",
    "loves",
    "hate",
    "hated",
    "magic",
    "magical",
    "wonderful",
    "fantastic",
    "terrible",
    "awful",
    "horrible",
    "annoying",
    "favorite",
    "favourite",
    "fun",
    "beautiful",
    "gorgeous",
    "sucks",
    "cute",
    "wow",
    "sadly",
    "unfortunately",
    "hopefully",
    "luckily",
];

/// Openings of the author's own plan or wish, with the "I" left out ("Going to learn
/// vim", "Want to study the history of crises").
const PLANS: &[&str] = &[
    "going", "want", "wanted", "hope", "hoping", "plan", "planning", "trying", "need",
];

/// Words of the author's own speculation or plan ("It would be faster", "Maybe later").
const HEDGES: &[&str] = &[
    "would", "wouldn't", "might", "maybe", "perhaps", "probably", "possibly",
];

/// First-person plural words: the author with others ("we can delegate", "our plan").
const FIRST_PERSON_PLURAL_WORDS: &[&str] = &[
    "we",
    "we're",
    "we've",
    "we'd",
    "we'll",
    "our",
    "ours",
    "ourselves",
    "let's",
];

/// Words that, second in a text, make its first word a noun rather than an instruction
/// ("Sleep is the best medicine", "Use cases differ").
const NOT_AFTER_IMPERATIVE_WORDS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "may",
    "might", "does", "did", "cases", "case", "of",
];

/// First-person singular words: the author speaking of themself.
const FIRST_PERSON_WORDS: &[&str] = &[
    "i'm", "i've", "i'd", "i'll", "im", "ive", "me", "my", "mine", "myself",
];

/// Why `text` speaks in the author's own voice rather than stating a fact that needs a
/// source, if it does: it says "I" or "my" (an experience, a habit, a plan), gives an
/// instruction or advice ("Use X", "If you want Y, press Z", "Comments should be full
/// sentences"), asks a question, or has
/// no words of its own at all (only an image, code or a link). Only the claim's own
/// prose counts (see [`own_prose`]).
pub(crate) fn own_voice(text: &str) -> Option<&'static str> {
    let ranges = markup_ranges(text);
    if !words_outside(text, &ranges) {
        return Some("has no words of its own");
    }
    let prose = prose_outside(text, ranges);
    // `own_prose` puts an `x` where markup was: not a word of the claim. Each word is
    // looked up once (see [`classes`]), in one pass: what any word is, and the first
    // three words with their classes.
    let mut words: [(&str, u16); 3] = [("", 0); 3];
    let (mut count, mut any, mut previous) = (0, 0u16, 0u16);
    let (mut first_person, mut plural) = (false, false);
    for word in prose_words(&prose) {
        let class = classes(word);
        // "I" after a word that takes a numeral is one ("Type I", "World War I").
        first_person |= if word == "I" {
            count == 0 || previous & NUMBERED == 0
        } else {
            class & FIRST_PERSON != 0
        };
        // "us" in lowercase only: "US" is a country.
        plural |= class & FIRST_PERSON_PLURAL != 0 || word == "us" || word == "Us";
        if let Some(slot) = words.get_mut(count) {
            *slot = (word, class);
        }
        count += 1;
        any |= class;
        previous = class;
    }
    if first_person {
        return Some(OF_THE_AUTHOR);
    }
    if plural {
        return Some("speaks for the author and others (we, our)");
    }
    let words = &words[..count.min(3)];
    let has = |k: usize, class: u16| words.get(k).is_some_and(|&(_, c)| c & class != 0);
    let (first, second) = (words.first().map(|w| w.0), words.get(1).map(|w| w.0));
    let is = |word: Option<&str>, target: &str| word.is_some_and(|w| same_word(w, target));
    if opens_an_instruction(words)
        || instruction_after_a_break(&prose)
        || (is(first, "if") && is(second, "you"))
        || any & ADVICE != 0
        || (is(first, "you") && has(1, YOU_CAN))
    {
        return Some("is an instruction or advice");
    }
    if prose.trim_end().ends_with('?') {
        return Some("is a question");
    }
    if any & EVALUATIVE != 0 || prose.chars().any(is_emoji) {
        return Some("is the author's taste or feeling");
    }
    if any & HEDGE != 0 || (has(0, PLAN) && is(second, "to")) {
        return Some("is the author's guess or plan");
    }
    None
}

/// The words of `text` (runs of letters and digits), lowercased.
pub(crate) fn lowercase_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `text` speaks of its author in the first person singular ("I", "my"): the
/// first of [`own_voice`]'s reasons.
pub(crate) fn speaks_of_the_author(text: &str) -> bool {
    own_voice(text) == Some(OF_THE_AUTHOR)
}

/// [`own_voice`]'s reason for a claim in the first person singular.
const OF_THE_AUTHOR: &str = "speaks of the author (I, my)";

/// The words of `prose` (letters, digits and apostrophes, with a letter), leaving out
/// the `x` that [`prose_outside`] puts for markup.
fn prose_words(prose: &str) -> impl Iterator<Item = &str> {
    prose
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| w.chars().any(char::is_alphabetic) && *w != "x")
}

/// Whether `words` open with an instruction's verb ("Use X"), maybe after an adverb
/// ("Just try it", "Ideally keep one page"), and not a noun ("Sleep is the best
/// medicine").
fn opens_an_instruction(words: &[(&str, u16)]) -> bool {
    let has = |k: usize, class: u16| words.get(k).is_some_and(|&(_, c)| c & class != 0);
    let verb = |k: usize| has(k, IMPERATIVE) && !has(k + 1, NOT_AFTER_IMPERATIVE);
    verb(0) || (has(0, BEFORE_IMPERATIVE) && verb(1))
}

/// Whether a sentence after the first opens with an instruction ("Sleep fully. Don't
/// limit sleep (~8h).", capitalised), or what follows a label does ("Vectors,
/// explained: imagine a loop of 100 steps.").
fn instruction_after_a_break(prose: &str) -> bool {
    let opens = |sentence: &str, capital: bool| {
        let own: Vec<(&str, u16)> = prose_words(sentence)
            .take(3)
            .map(|w| (w, classes(w)))
            .collect();
        opens_an_instruction(&own)
            && (!capital
                || own
                    .first()
                    .is_some_and(|w| w.0.starts_with(char::is_uppercase)))
    };
    prose
        .split(['.', '!', ';'])
        .skip(1)
        .any(|sentence| opens(sentence, true))
        || prose.split(':').skip(1).any(|part| opens(part, false))
}

// The classes of words that [`own_voice`] knows, as bits of [`classes`].
const FIRST_PERSON: u16 = 1;
const FIRST_PERSON_PLURAL: u16 = 1 << 1;
const IMPERATIVE: u16 = 1 << 2;
const BEFORE_IMPERATIVE: u16 = 1 << 3;
const NOT_AFTER_IMPERATIVE: u16 = 1 << 4;
const EVALUATIVE: u16 = 1 << 5;
const HEDGE: u16 = 1 << 6;
const PLAN: u16 = 1 << 7;
const NUMBERED: u16 = 1 << 8;
const ADVICE: u16 = 1 << 9;
const YOU_CAN: u16 = 1 << 10;

/// Words that take a numeral after them ("Type I", "World War I").
const NUMBERED_WORDS: &[&str] = &[
    "type", "phase", "class", "war", "part", "chapter", "section", "volume", "act", "stage",
    "level", "grade", "article", "tier", "category", "appendix",
];

/// The classes of `word` (lowercase, a curly apostrophe read as a straight one), as bits:
/// one lookup in a table built once from the word lists above, instead of a scan of
/// each list.
fn classes(word: &str) -> u16 {
    static TABLE: std::sync::LazyLock<std::collections::HashMap<&'static str, u16>> =
        std::sync::LazyLock::new(|| {
            let mut table = std::collections::HashMap::new();
            let lists: [(&[&str], u16); 11] = [
                (FIRST_PERSON_WORDS, FIRST_PERSON),
                (FIRST_PERSON_PLURAL_WORDS, FIRST_PERSON_PLURAL),
                (IMPERATIVES, IMPERATIVE),
                (BEFORE_IMPERATIVE_WORDS, BEFORE_IMPERATIVE),
                (NOT_AFTER_IMPERATIVE_WORDS, NOT_AFTER_IMPERATIVE),
                (EVALUATIVE_WORDS, EVALUATIVE),
                (HEDGES, HEDGE),
                (PLANS, PLAN),
                (NUMBERED_WORDS, NUMBERED),
                (&["should", "shouldn't", "ought"], ADVICE),
                (&["can", "should", "need", "must", "have"], YOU_CAN),
            ];
            for (list, class) in lists {
                for &word in list {
                    *table.entry(word).or_insert(0) |= class;
                }
            }
            table
        });
    // No listed word is longer than this.
    const LONGEST: usize = 16;
    let mut buffer = [0u8; LONGEST];
    let mut len = 0;
    for c in word.chars() {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if !c.is_ascii() || len == LONGEST {
            return 0;
        }
        buffer[len] = c.to_ascii_lowercase() as u8;
        len += 1;
    }
    std::str::from_utf8(&buffer[..len])
        .ok()
        .and_then(|lower| TABLE.get(lower))
        .copied()
        .unwrap_or(0)
}

/// Whether `c` is a pictograph or a symbol used as one (emoji, hearts, stars), the
/// mark of an informal aside.
fn is_emoji(c: char) -> bool {
    matches!(u32::from(c), 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x2B50 | 0x2122)
}

/// Whether `word` is `target` (lowercase) in any case, with a curly apostrophe for a
/// straight one.
fn same_word(word: &str, target: &str) -> bool {
    if word.is_ascii() {
        // The common case: a length check first, then bytes.
        return word.eq_ignore_ascii_case(target);
    }
    word.chars()
        .map(|c| {
            if c == '\u{2019}' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        })
        .eq(target.chars())
}

/// The claim's own prose: each of its [`markup_ranges`] (a linked work's title such as
/// "Recent advances in X", inline code, a URL) replaced by one neutral word, so their
/// words are not taken for the claim's.
pub(crate) fn own_prose(text: &str) -> std::borrow::Cow<'_, str> {
    prose_outside(text, markup_ranges(text))
}

/// `text` with each of `ranges` (its [`markup_ranges`]) made one neutral word.
fn prose_outside(text: &str, ranges: Vec<std::ops::Range<usize>>) -> std::borrow::Cow<'_, str> {
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut prose = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        prose.push_str(&text[at..range.start]);
        prose.push_str(" x ");
        at = range.end;
    }
    prose.push_str(&text[at..]);
    std::borrow::Cow::Owned(prose)
}

/// Whether `words` (one sentence's words, in order) open with an instruction: an
/// imperative verb ("Take", "Use") or `extra` verb, not followed by a word that makes it a
/// noun ("Use cases differ").
pub(crate) fn opens_with_imperative(words: &[&str], extra: &[&str]) -> bool {
    let Some(&first) = words.first() else {
        return false;
    };
    let any_of = |word: &str, list: &[&str]| list.iter().any(|target| same_word(word, target));
    (any_of(first, IMPERATIVES) || any_of(first, extra))
        && !words
            .get(1)
            .is_some_and(|&second| any_of(second, NOT_AFTER_IMPERATIVE_WORDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authors_own_voice() {
        for text in [
            "I sleep eight hours on most nights.",
            "Yesterday I moved every note into one folder.",
            "Most of my notes live in one folder.",
            "Use a password manager for every account.",
            "Plot 2 ROC curves, one per group.",
            "Rest fully and well. Don't cut sleep short (about 8 hours).",
            "Don't store keys in the repository.",
            "If you want the full list, press the menu key.",
            "You can undo a rebase with the reflog.",
            "Comments should be full sentences.",
            "Which editor handles large files best?",
            "![](https://example.org/diagram.png)",
            "`git log --oneline`",
            "```bash\n# Shows the last lines of a file\ntail /etc/hosts\n```",
            "Never hit a pet; reward good behaviour instead.",
            "Just try to be clear about what the problem is.",
            "Ideally keep the CV to one page.",
            "Vectors, explained: imagine a loop of 100 steps split in four.",
            "[Spline](spline.md) is amazing.",
            "Got married in the spring \u{1F63B}",
            "We can move the heavy work to a background worker.",
            "Our renderer draws the map in one pass now.",
            "A server of our own would make this simpler.",
            "Maybe later, once the first release is out.",
            "Going to start writing long form again.",
            "Want to study every financial crisis in history.",
        ] {
            assert!(own_voice(text).is_some(), "{text}");
        }
        for text in [
            "The field is focused around a small number of conferences.",
            "Type I errors are false positives.",
            "Used cars lose a fifth of their value in the first year.",
            "Sleep is the strongest predictor of recall.",
            "Version 2.0 ships today. Use of the old API is down 40%.",
            "Use cases of the method are mostly in vision.",
            "The library lets you stream results as they come.",
            "[Mimir](https://example.org) reports that 40% of users read on phones.",
            "The US economy grew by 2% in 2021.",
            "Neverland is a fictional island.",
            "Justice systems differ between countries.",
            "Going concerns are valued on their cash flows.",
        ] {
            assert_eq!(own_voice(text), None, "{text}");
        }
    }

    #[test]
    fn link_entries_open_with_a_link_and_a_separator() {
        for text in [
            "[Vosk](https://example.org/vosk) - Speech toolkit with low latency.",
            "[A](https://example.org/a) — a tagline",
            "[A](https://example.org/a): the project's summary",
            "[A](https://example.org/a)",
            "[A paper (2021)](https://example.org/a) ([Tweet](https://example.org/t))",
            "[A](https://example.org/a) ([Code](https://example.org/c)) - a tagline",
            "**`GAN`** [Wasserstein GAN](gans/wgan.md) (aka WGAN)",
            "**Vision:** [A](https://example.org/a) - a tagline",
        ] {
            assert!(is_link_entry(text), "{text}");
        }
        for text in [
            "The [A](https://example.org/a) tool - fast.",
            "[A](https://example.org/a) is the fastest parser.",
            "[not a link] - text",
            "[A](https://example.org/a) (see the code) is fast.",
            "Plain text - with a dash",
            "**Note** that [A](https://example.org/a) is fast.",
        ] {
            assert!(!is_link_entry(text), "{text}");
        }
    }

    #[test]
    fn reading_list_entries_name_a_work() {
        for text in [
            "Deep Residual Learning for Image Recognition [[arXiv](https://example.org/1)]",
            "Do models learn it? An empirical study [[arXiv](https://example.org/2)] [[code](https://example.org/3)]",
            "[A study](notes/a.md) [[arXiv](https://example.org/4)]",
            "[Vosk](https://example.org/vosk) - Speech toolkit with low latency.",
        ] {
            assert!(is_reference_entry(text), "{text}");
        }
        for text in [
            "The method beats every baseline [[arXiv](https://example.org/1)] on three tasks.",
            "It beats every baseline. See [the paper](https://example.org/1)",
            "No link at all",
            "[[arXiv](https://example.org/1)]",
            "The most accurate tool is currently [Parrot](https://example.org/p).",
        ] {
            assert!(!is_reference_entry(text), "{text}");
        }
    }

    #[test]
    fn normalises_case_and_punctuation() {
        assert_eq!(
            normalise("  The field’s focus: conferences!! "),
            "the field s focus conferences"
        );
    }

    #[test]
    fn keeps_what_changes_a_number() {
        let cases = [
            ("Growth was -5%.", "growth was -5%"),
            ("Growth was 5%.", "growth was 5%"),
            ("Growth was −5 %!", "growth was -5%"),
            ("up +3 points", "up +3 points"),
            ("a budget of $ 500, or €2M", "a budget of $500 or €2m"),
            ("~ 90% top-1 accuracy", "~90% top 1 accuracy"),
            ("p < 0.05, n > 1,000", "p <0.05 n >1 000"),
            ("2.5 million; not 25", "2.5 million not 25"),
            (
                "GPT-4 and COVID-19, in 2020-2021",
                "gpt 4 and covid 19 in 2020 2021",
            ),
            ("state-of-the-art - 5 labs.", "state of the art 5 labs"),
            ("$ and € alone", "$ and € alone"),
            ("100% sure", "100% sure"),
            ("v1.2.3 - e.g. 5.", "v1.2.3 e g 5"),
        ];
        for (text, expected) in cases {
            assert_eq!(normalise(text), expected, "{text}");
        }
        assert_ne!(normalise("Growth was -5%."), normalise("Growth was 5%."));
        assert_ne!(normalise("less than <5%"), normalise("less than >5%"));
        assert_eq!(normalise("Growth was 5 %"), normalise("growth was 5%!"));
    }

    #[test]
    fn masks_figures_and_keeps_names() {
        let s = shape("2% of NeurIPS 2021 papers were about safety.");
        assert_eq!(s.masked, "# of neurips 2021 papers were about safety");
        assert_eq!(s.figures, ["2%"]);
        assert_eq!(s.names, ["neurips 2021"]);
        assert_eq!(s.words, 6);

        let s = shape("About ~30k highly influential citations for Kaiming He");
        assert_eq!(s.figures, ["~30k"]);
        assert_eq!(s.names, ["kaiming", "he"]);

        let s =
            shape("Models trained on 3 million images, two hundred times, for $5 each (10x less).");
        assert_eq!(s.figures, ["3 million", "two hundred", "$5", "10x"]);
        assert_eq!(
            s.masked,
            "models trained on # images # times for # each # less"
        );

        let s = shape("In 2021, 2% of papers; in 2022, 3 million papers.");
        assert_eq!(s.figures, ["2021", "2%", "2022", "3 million"]);
        assert!(is_year(&s.figures[0]) && !is_year(&s.figures[1]));

        let s = shape("Growth was 5 %.");
        assert_eq!(s.figures, ["5%"]);
        assert_eq!(shape("growth was 5%!").figures, s.figures);
    }

    #[test]
    fn a_number_in_a_name_is_part_of_the_name() {
        for (text, names) in [
            ("Accuracy on CIFAR-10 is high.", vec!["cifar 10"]),
            ("Accuracy on VOC 2007 is high.", vec!["voc 2007"]),
            (
                "this is before GPT-4's MMLU results",
                vec!["gpt 4 s", "mmlu"],
            ),
            ("see Table 3 for the top-1 accuracy", vec!["3", "top 1"]),
            ("Growth slowed. Costs rose sharply.", vec![]),
        ] {
            let s = shape(text);
            assert_eq!(s.names, names, "{text}");
            assert!(s.figures.is_empty(), "{text}: {:?}", s.figures);
        }
        assert_ne!(
            shape("Accuracy on CIFAR-10 is 90%.").masked,
            shape("Accuracy on CIFAR-100 is 90%.").masked
        );
        assert_ne!(
            shape("the loss of the ODM is lower").names,
            shape("the loss of the ARM is lower").names
        );
    }

    #[test]
    fn case_says_nothing_in_a_shouted_text() {
        let s = shape("THE FIELD IS FOCUSED AROUND A SMALL NUMBER OF CONFERENCES!");
        assert!(s.names.is_empty());
        assert_eq!(
            s.masked,
            shape("The field is focused around a small number of conferences.").masked
        );
    }
}
