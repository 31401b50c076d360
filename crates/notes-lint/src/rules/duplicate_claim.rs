//! `duplicate-claim`: the same or nearly the same claim text twice in the corpus.
//!
//! Comparing every pair of claims is quadratic, so candidates come from indexes:
//! exact duplicates from a map of normalised texts, near ones from MinHash signatures
//! of character trigrams split into LSH bands, keyed by what near duplicates must
//! share exactly (the `summary_of` group and the figures; names are checked when
//! confirming, since their case may differ). Bands of two rows make
//! pairs with a low trigram overlap candidates too: single-character edits spread over
//! a text destroy up to three trigrams each, so a pair 0.9 similar may share only a
//! third of its trigrams. Every cost per claim is bounded whatever the notes say: a
//! claim is compared with the earliest few claims of each of its buckets only,
//! candidates are screened by length and letter counts, at most a few are confirmed
//! with a bit-parallel LCS (rapidfuzz's, whose cost depends on the lengths only), and texts over a
//! length are only compared for equality. Claims linked this way form clusters, one
//! finding each. `cargo bench -p notes-lint --bench duplicate_claim` measures time and
//! recall.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use notes_core::{Finding, Severity};
use rayon::prelude::*;

pub use super::claim_text::normalise;
use super::claim_text::{
    At, Group, MAX_LABELS, Shape, Texts, cluster_finding, compare_group, count, is_link_entry,
    is_year, named_places, section_of, unlabelled,
};
use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `duplicate-claim` rule.
pub struct DuplicateClaim;

static META: RuleMeta = RuleMeta {
    id: "duplicate-claim",
    default_severity: Severity::Warning,
    summary: "the same or nearly the same claim text twice in the corpus (similarity >= 0.9, same figures and names)",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim whose text is the same as, or nearly the same as, another claim's
anywhere in the notes. The claims that repeat one another make one finding, at the
first of them (by file, then document order), with the number of other copies and a
label at each (the first 10; the rest are counted).

Texts are compared after normalising: lowercase, with every run of punctuation and
spaces made one space, except for the marks that change what a number says, which are
kept next to it: signs, comparisons and approximations (`-5`, `+5`, `<5`, `~5`),
currency signs (`$5`), percent signs (`5%`, `5 %`) and decimal points (`2.5`). So
`Growth was -5%.` and `Growth was 5%.` are not the same text, while a hyphen between
a letter and a digit is not a sign (`GPT-4` reads `gpt 4`). Two texts are nearly the
same when their character-level similarity (`2 × matching characters / total
characters`) is at least 0.9, they give the same figures, and each one's names are
words of the other:
- a figure is a number with its marks and magnitude (`2%`, `~30k`, `1.5M`, `2021`)
  or a number word (`two`, `dozen`), unless it is part of a name; claims that differ
  in one are different claims (when only one figure differs, `conflicting-figure`
  reports them);
- a name is a word of letters and digits (`CIFAR-10`, `GPT-4`), a capitalised word
  other than a sentence's first (`NeurIPS`, `ODM`), with a number that follows it
  (`VOC 2007`); `CIFAR-10` and `CIFAR-100`, or `the loss of the ODM` and `the loss of
  the ARM`, are different claims;
- nor do texts that state two facts, as the words a reader sees show (a link's
  text, not its address): where their words differ, at least half of the places put
  a word for an unlike one, and those places are fewer than half the words (`the
  encoder outputs a vector` and `the decoder outputs a vector`; `the loss on the
  sizes from the proposal stage` and `the loss on the siezs from the scoring stage`;
  `floating-point numbers` and `integer numbers`; `(a) the box in frame t` and `(b)
  the box in frame t`), or a negation is added or dropped (`blurred samples` and
  `non-blurred samples`, `is shared` and `isn't shared`). A word spelt another way or
  inflected (`focused` and `focussed`, `layer` and `layers`, `data set` and
  `dataset`) is the same word, except a letter put for another in a word of one or
  two letters (`a` and `b`, `gx` and `gy`), and an added or dropped word leaves the
  claim as it was. Two entries of a link list that open with the same link describe
  one item, however they word it; a repository that moved to another owner
  (`[kubewatch](https://github.com/a/kubewatch)` and
  `[kubewatch](https://github.com/b/kubewatch)`) is one item filed twice, while two
  tools that share a blurb are two items.

Claims are compared only within notes with the same `summary_of` (or within the notes
that have none): one sentence in the summaries of two works is a template that reports
each work, not a duplicate. In your own notes the same text is a duplicate whatever
each copy cites, with these exceptions, each a repeat made on purpose:
- a lead-in (text ending in `:` with children) is not compared;
- nor is a label of fewer than 4 words a reader sees (`Kernel methods`,
  `Implementation`, `Socket <-> USB`): a heading, a term or an item of an inventory
  states nothing, and two talks or two lists may name one topic. (A short statement
  such as `Theory is useless.` is not compared either.) An entry of a link list is
  compared however short it is;
- an entry of a link list (a link, then nothing or a dash or colon and a description:
  `[Vosk](https://...) - speech toolkit`) is compared within its own note only: the
  same bookmark under two topics is filed twice on purpose, while twice in one list it
  is a duplicate;
- so is a claim in the author's own voice (it says `I` or `my`, gives advice or an
  instruction, or asks a question, as `unsourced-claim` describes): a routine copied
  into a journal page is a record of following it, not a fact written twice. Under a
  parent claim, it is compared only with the parent's other children: one step
  (`Delete the draft I made.`) under two procedures is a step of each;
- so is every claim of a journal page, a note whose title is a date (`2023-04-12`,
  `2021 November`, `2017`): a routine or a heading written on each page is a record;
- a claim under a recap is compared only with the recap's other claims: a recap
  repeats the body on purpose. A recap is under a parent claim such as `Takeaways:`,
  `Summary`, `TL;DR`, `Conclusion` or `Key points`, or is a section with such a title
  other than the note's first;
- two lists of one note (the children of two parent claims, or the tops of two
  sections) that repeat 3 claims or more are parallel lists: they apply one checklist
  to two things (the same goals assessed under each of two options), and their
  copies are not reported. One claim repeated under two headings still is.

In a note that summarises a work, claims are compared only with those under the same
parent (the same parent claim, or the top of the same section): a summary repeats a
detail under each setting it reports (`Optimizer: Adam` under two experiments), and
its recap repeats its body on purpose.

Texts under 12 characters once normalised and texts over 1,000 characters only match
exactly.

Exact duplicates are always found. Near ones are found through an index rather than
by comparing every pair of claims, and the work per claim is bounded so that no corpus
(however repetitive its wording) makes the rule slow; so a few are missed:
- texts that differ by a dropped or added word, or by a word spelt another way, are
  nearly always found; when a 0.9 similarity comes from single characters spread over
  the whole text (the hardest case), about 872 pairs in 1000 are (in the rule's
  benchmark). The misses there are mostly pairs where edits of two letters or more
  fall in one word at half the places they touch, which then read as unlike words put
  for others (see above) and so as other facts;
- within one bucket of the index, a claim is compared with the 16 earliest claims
  only; per claim, the 128 candidates that share the most buckets go through cheap
  checks (length, letter counts, names), and at most 4 of those that pass are compared
  in full: in notes that repeat one phrasing thousands of times, a near copy may not
  be among them;
- near copies are linked to one copy each, so a cluster can hold two claims that are
  each nearly the same as a third but less alike themselves.

## Why it matters
A claim written twice drifts: one copy gets updated or sourced and the other does not,
and the notes end up contradicting themselves.

## Example
```yaml
- text: The field is focused around a small number of conferences.   # duplicate-claim
- text: The field is focussed around a small number of conferences
- text: THE FIELD IS FOCUSED AROUND A SMALL NUMBER OF CONFERENCES!
```
One finding, on the first claim: `2 other claims say the same or nearly the same`.

## How to fix
Keep one claim (merging their sources and children), or reword one if the two really
say different things. To keep a deliberate copy, put the `allow` on the first claim
of the cluster, where the finding is.

## Configuration
Severity only.
";

/// The similarity at or above which two texts are near-duplicates.
pub const THRESHOLD: f32 = 0.9;
/// Normalised texts shorter than this (in characters) are only compared for equality.
pub const MIN_NEAR_CHARS: usize = 12;
/// Normalised texts longer than this (in characters) are only compared for equality.
pub const MAX_NEAR_CHARS: usize = 1_000;
/// Normalised texts with fewer words than this are only compared for equality.
pub const MIN_NEAR_WORDS: usize = 4;
/// LSH bands of the MinHash signature of a text's character trigrams.
const BANDS: usize = 32;
/// Rows (MinHash values) per band: two texts share a band's bucket with probability
/// `J^ROWS`, `J` the Jaccard similarity of their trigram sets.
const ROWS: usize = 2;
const HASHES: usize = BANDS * ROWS;
/// How many of the earliest claims of one LSH bucket the later ones are compared with.
pub const BUCKET_CAP: usize = 16;
/// How many candidates (those sharing the most bands first) go through the cheap
/// bounds, per claim.
pub const MAX_CHECKS: usize = 128;
/// How many candidates that pass the cheap bounds are confirmed with a full
/// comparison, per claim.
pub const MAX_DIFFS: usize = 4;
/// Characters are counted in this many buckets for a cheap upper bound on the ratio.
const HIST: usize = 64;

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a cheap, well-distributed 64-bit mix.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Per MinHash value: a seed and an odd multiplier.
fn seeds() -> [(u16, u16); HASHES] {
    let mut seeds = [(0, 0); HASHES];
    for (i, seed) in seeds.iter_mut().enumerate() {
        let bits = mix(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1));
        *seed = ((bits >> 48) as u16, bits as u16 | 1);
    }
    seeds
}

/// One MinHash value of a text: the least, over its trigrams, of a permutation of
/// 16 bits of the trigram's hash (`(bits ^ seed) × multiplier`, compared as signed
/// numbers).
type Row = i16;

/// The MinHash signature of the character trigrams of `text`: per value, the least
/// of a multiplicative hash of the trigrams. Each trigram is hashed once, to 64 bits;
/// value `i` permutes its 16-bit part `i % 4`. The values are 16-bit so that baseline
/// x86-64 (SSE2) works on eight at a time: one vector instruction multiplies and
/// another takes the least.
fn signature(text: &str, seeds: &[(u16, u16); HASHES]) -> [Row; HASHES] {
    let (xors, muls): ([u16; HASHES], [u16; HASHES]) = (seeds.map(|s| s.0), seeds.map(|s| s.1));
    let mut sig = [Row::MAX; HASHES];
    let mut chars = text.chars();
    let (Some(mut a), Some(mut b)) = (chars.next(), chars.next()) else {
        return sig;
    };
    for c in chars {
        let hash = mix((u64::from(a) << 42) ^ (u64::from(b) << 21) ^ u64::from(c));
        (a, b) = (b, c);
        let part = |i: u32| (hash >> (16 * i)) as u16;
        let parts = [0, 1, 2, 3, 0, 1, 2, 3].map(part);
        for ((slots, xors), muls) in sig
            .chunks_exact_mut(8)
            .zip(xors.chunks_exact(8))
            .zip(muls.chunks_exact(8))
        {
            for (((slot, part), xor), mul) in slots.iter_mut().zip(&parts).zip(xors).zip(muls) {
                *slot = (*slot).min((part ^ xor).wrapping_mul(*mul) as Row);
            }
        }
    }
    sig
}

/// The bucket of one band of a signature, within `group` (claims that may match).
fn band_key(group: u64, band: usize, rows: &[Row]) -> u64 {
    let mut key = mix(group ^ band as u64);
    for &row in rows {
        key = mix(key ^ u64::from(row as u16));
    }
    key
}

/// A stable hash of what two near-duplicates must share exactly: the [`Group`] and the
/// figures. (Names are checked when confirming: their case may differ.)
fn group_hash(group: Group<'_>, shape: &Shape) -> u64 {
    let mut hash = mix(0x51_7cc1_b727_220a);
    let mut eat = |bytes: &[u8]| {
        for chunk in bytes.chunks(8) {
            let mut word = [0_u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            hash = mix(hash ^ u64::from_le_bytes(word));
        }
        hash = mix(hash ^ 0xff);
    };
    match group.summary_of {
        Some(id) => eat(id.as_bytes()),
        None => eat(&[]),
    }
    if let Some(note) = group.note {
        eat(&(note as u64).to_le_bytes());
    }
    if let Some((section, parent)) = group.parent {
        eat(&(section as u64).to_le_bytes());
        eat(&(parent as u64).to_le_bytes());
    }
    for figure in &shape.figures {
        eat(figure.as_bytes());
    }
    hash
}

/// A text's character counts, in `HIST` buckets of one byte (saturating).
type Histogram = [u8; HIST];

fn histogram(text: &str) -> Histogram {
    let mut histogram = [0_u8; HIST];
    for c in text.chars() {
        let slot = &mut histogram[c as usize % HIST];
        *slot = slot.saturating_add(1);
    }
    histogram
}

/// An upper bound on the diff ratio of two texts of `chars` characters in all: only
/// equal characters can match. A count saturated in one text still bounds the bucket
/// by the other's; saturated in both, the bucket could hold any number of matches,
/// and the bound is 1.
fn ratio_bound(a: &Histogram, b: &Histogram, chars: usize) -> f32 {
    // Written so that it vectorises: a bucket is saturated in both when the least of
    // its two counts is.
    let mut least = [0_u8; HIST];
    for ((least, x), y) in least.iter_mut().zip(a).zip(b) {
        *least = (*x).min(*y);
    }
    let common: u32 = least.iter().map(|&n| u32::from(n)).sum();
    if least.contains(&u8::MAX) {
        1.0
    } else {
        2.0 * common as f32 / chars as f32
    }
}

/// The similarity of two normalised texts: `2 × matching characters / total
/// characters`, the matching characters the longest common subsequence of their
/// characters.
pub fn similarity(a: &str, b: &str) -> f32 {
    rapidfuzz::distance::indel::normalized_similarity(a.chars(), b.chars()) as f32
}

/// The similarity of two texts if it is at least the threshold. The bit-parallel LCS
/// this uses costs `⌈n/64⌉ × m` steps for texts of `n` and `m` characters, whatever
/// the texts say.
fn similar_enough(a: &str, b: &str) -> Option<f32> {
    let args = rapidfuzz::distance::indel::Args::default().score_cutoff(f64::from(THRESHOLD));
    rapidfuzz::distance::indel::normalized_similarity_with_args(a.chars(), b.chars(), &args)
        .map(|ratio| ratio as f32)
}

/// What a reader sees of a claim, for telling two facts apart: its words with the
/// addresses of links and images and bare URLs left out (a link's text stays),
/// [`normalise`]d, and the address of its first link.
struct Seen {
    words: String,
    link: Option<String>,
}

fn seen(text: &str) -> Seen {
    use pulldown_cmark::{Event, Parser, Tag};
    if !text.contains(['[', '`', '<']) && !text.contains("://") {
        return Seen {
            words: normalise(text),
            link: None,
        };
    }
    let mut words = String::with_capacity(text.len());
    let mut link = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if link.is_none() => {
                link = Some(dest_url.into_string());
            }
            Event::Text(part) | Event::Code(part) => {
                for word in part.split(' ').filter(|word| !word.contains("://")) {
                    words.push_str(word);
                    words.push(' ');
                }
            }
            _ => words.push(' '),
        }
    }
    Seen {
        words: normalise(&words),
        link,
    }
}

/// Words that deny what follows them (normalised: `don't` reads `don t`).
const NEGATIONS: &[&str] = &[
    "not", "no", "non", "never", "without", "cannot", "nor", "none", "neither",
];

/// Whether `words` deny something: a negation, or a contraction (`isn t`, `don t`).
fn negates(words: &[&str]) -> bool {
    words.iter().any(|word| NEGATIONS.contains(word))
        || words
            .windows(2)
            .any(|pair| pair[1] == "t" && pair[0].ends_with('n'))
}

/// Whether two nearly identical claims state two facts, as the words a reader sees
/// show (see [`differ_in_a_word`]): words put for unlike ones (`the encoder outputs a
/// vector` and `the decoder outputs a vector`, `(a) frame t` and `(b) frame t`), or a
/// negation added or dropped (`photorealistic` and `non-photorealistic`). Two entries
/// of a link list that open with the same link describe one item, however they word
/// it.
fn state_two_facts(a: &Near<'_>, b: &Near<'_>) -> bool {
    let has_markup = |text: &str| text.contains(['[', '`', '<']) || text.contains("://");
    if !has_markup(a.text) && !has_markup(b.text) {
        return differ_in_a_word(a.norm, b.norm);
    }
    let (seen_a, seen_b) = (seen(a.text), seen(b.text));
    if seen_a.link.is_some()
        && seen_a.link == seen_b.link
        && is_link_entry(a.text)
        && is_link_entry(b.text)
    {
        return false;
    }
    differ_in_a_word(&seen_a.words, &seen_b.words)
}

/// Whether two normalised texts differ in a negation, or mostly in words put for
/// unlike ones: at least half of the places where their words differ put a word for
/// an unlike one (see [`same_word`]), the others being spelling slips, words split
/// another way or words added or dropped, and those places are fewer than half the
/// words. A word spelt another way (`focused`, `focussed`) or inflected (`layer`,
/// `layers`) is not another word, and an added or dropped word (`a few big
/// conferences`) leaves the claim as it was. Texts whose differences are mostly slips,
/// or that differ almost everywhere, are one text typed twice with slips.
pub fn differ_in_a_word(a: &str, b: &str) -> bool {
    use similar::DiffOp;
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let (mut places, mut unlike) = (0, 0);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        let (x, y) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, ..
            } => (&a[old_index..old_index + old_len], &b[..0]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (&a[..0], &b[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                &a[old_index..old_index + old_len],
                &b[new_index..new_index + new_len],
            ),
        };
        if negates(x) != negates(y) {
            return true;
        }
        match (x.len(), y.len()) {
            (0, _) | (_, 0) => places += 1,
            (m, n) if m == n => {
                places += m;
                unlike += x.iter().zip(y).filter(|(x, y)| !same_word(x, y)).count();
            }
            // Words split or joined another way (`data set`, `dataset`).
            _ => {
                places += 1;
                unlike += usize::from(!same_word(&x.concat(), &y.concat()));
            }
        }
    }
    unlike > 0 && 2 * unlike >= places && 2 * places < a.len().max(b.len())
}

/// Words this short are another word when a letter is put for another (`a`, `b`;
/// `gx`, `gy`): one letter is most of what tells them apart. In longer words a letter
/// put for another is more often a typo (`micro` and `macro` are the exception this
/// misses).
const SHORT_WORD: usize = 2;

/// Whether two words are one word spelt or inflected two ways: one the start of the
/// other (`layer`, `layers`), or one edit apart, a transposition counting as one
/// (`focused`, `focussed`; `sizes`, `siezs`), except a letter put for another in a
/// short word (see [`SHORT_WORD`]). `encoder` and `decoder` are two edits apart.
fn same_word(a: &str, b: &str) -> bool {
    if a.starts_with(b) || b.starts_with(a) {
        return true;
    }
    let (chars_a, chars_b) = (a.chars().count(), b.chars().count());
    if chars_a == chars_b
        && chars_a <= SHORT_WORD
        && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
    {
        return false;
    }
    rapidfuzz::distance::osa::distance(a.chars(), b.chars()) <= 1
}

/// Whether texts of `a` and `b` characters can be similar enough: at best every
/// character of the shorter one matches.
fn lengths_allow(a: usize, b: usize) -> bool {
    (2 * a.min(b)) as f32 / ((a + b) as f32) >= THRESHOLD
}

/// A claim compared for near duplicates: its normalised text and its names.
struct Near<'i> {
    item: usize,
    text: &'i str,
    norm: &'i str,
    names: &'i [String],
}

impl Near<'_> {
    /// Whether every name of `self` is a word (or words) of `other`: otherwise the two
    /// texts differ in a name (`the ODM` and `the ARM`), whatever their similarity.
    fn names_in(&self, other: &Near<'_>) -> bool {
        self.names.iter().all(|name| {
            other.norm.match_indices(name.as_str()).any(|(at, _)| {
                let (before, after) = (&other.norm[..at], &other.norm[at + name.len()..]);
                (before.is_empty() || before.ends_with(' '))
                    && (after.is_empty() || after.starts_with(' '))
            })
        })
    }
}

/// What the cheap bounds read, per claim compared for near duplicates: its length in
/// characters and its character histogram.
struct Screens {
    lengths: Vec<u32>,
    histograms: Vec<Histogram>,
}

/// Slots of the table that counts a claim's candidates: more than twice the most
/// candidates a claim can have, so probes stay short.
const TABLE: usize = 2048;
const _: () = assert!(TABLE >= 2 * BANDS * BUCKET_CAP && TABLE.is_power_of_two());
/// An empty slot of that table (no claim has this index: see the check in `links`).
const EMPTY: u32 = u32::MAX;

/// Buffers one worker reuses from claim to claim: a small hash table counting in how
/// many buckets each candidate is, emptied after each claim, so its size does not
/// depend on the corpus.
struct Scratch {
    /// Per slot, the candidate in it, or [`EMPTY`].
    keys: Box<[u32; TABLE]>,
    /// Per slot, in how many buckets its candidate is.
    counts: Box<[u8; TABLE]>,
    /// The slots in use, in the order their candidates came.
    used: Vec<usize>,
    /// The candidates, once each, with how many buckets they share: see [`rank`].
    ranked: Vec<u64>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            keys: Box::new([EMPTY; TABLE]),
            counts: Box::new([0; TABLE]),
            used: Vec::with_capacity(BANDS * BUCKET_CAP),
            ranked: Vec::with_capacity(BANDS * BUCKET_CAP),
        }
    }
}

impl Scratch {
    /// Counts the earlier claims in the heads of `c`'s buckets: `ranked` lists each
    /// once, with how many buckets it shares with `c`.
    fn count(&mut self, c: usize, heads: impl Iterator<Item = u32>) {
        self.ranked.clear();
        for other in heads {
            if other as usize == c {
                continue;
            }
            let mut slot = (other.wrapping_mul(0x9e37_79b1) >> 21) as usize % TABLE;
            loop {
                if self.keys[slot] == other {
                    self.counts[slot] += 1;
                    break;
                }
                if self.keys[slot] == EMPTY {
                    self.keys[slot] = other;
                    self.counts[slot] = 1;
                    self.used.push(slot);
                    break;
                }
                slot = (slot + 1) % TABLE;
            }
        }
        for slot in self.used.drain(..) {
            self.ranked.push(rank(self.counts[slot], self.keys[slot]));
            self.keys[slot] = EMPTY;
        }
    }
}

/// How a claim joined its cluster: the earlier claim it repeats, and the similarity
/// when it is not the same text.
#[derive(Clone, Copy)]
struct Link {
    earlier: usize,
    ratio: Option<f32>,
}

impl Rule for DuplicateClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        let texts = corpus.texts();
        let links = links(corpus, texts);
        report_clusters(corpus, &texts.claims, &links, out);
    }
}

/// For each claim (in [`compared_claims`] order) the earlier claim it repeats, if any.
fn links(corpus: &Corpus<'_>, texts: &Texts) -> Vec<Option<Link>> {
    let claims = &texts.claims;
    let mut links: Vec<Option<Link>> = vec![None; claims.len()];

    let groups = groups(corpus, texts);
    // Exact duplicates: the first claim with each normalised text (in its group).
    let mut first_with: HashMap<(Group<'_>, &str), usize> = HashMap::with_capacity(claims.len());
    for (i, norm) in texts.norms.iter().enumerate() {
        let Some(group) = groups[i] else {
            continue;
        };
        match first_with.entry((group, norm.as_str())) {
            Entry::Occupied(first) => {
                links[i] = Some(Link {
                    earlier: *first.get(),
                    ratio: None,
                });
            }
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    drop(first_with);

    // Near duplicates, among the first copies whose length allows a comparison.
    let near: Vec<usize> = (0..claims.len())
        .filter(|&i| {
            let norm = &texts.norms[i];
            links[i].is_none()
                && groups[i].is_some()
                && (MIN_NEAR_CHARS..=MAX_NEAR_CHARS).contains(&norm.chars().count())
                && norm.split(' ').count() >= MIN_NEAR_WORDS
        })
        .collect();
    if near.len() >= u32::MAX as usize / BANDS {
        // Positions of band entries are u32: far beyond any real corpus.
        return links;
    }
    let seeds = seeds();
    let near: Vec<Near> = near
        .into_par_iter()
        .map(|item| Near {
            item,
            text: {
                let at = claims[item];
                &corpus.notes[at.note].claims[at.claim].claim.text
            },
            norm: &texts.norms[item],
            names: &texts.shapes[item].names,
        })
        .collect();
    // Per claim, side by side, 32 bits of the key of each of its bands (a rare
    // collision only merges two buckets).
    let mut bands: Vec<u32> = vec![0; near.len() * BANDS];
    bands
        .par_chunks_mut(BANDS)
        .zip(&near)
        .for_each(|(bands, near)| {
            let Some(group) = groups[near.item] else {
                return;
            };
            let group = group_hash(group, &texts.shapes[near.item]);
            let signature = signature(near.norm, &seeds);
            for (band, key) in bands.iter_mut().enumerate() {
                let rows = &signature[band * ROWS..(band + 1) * ROWS];
                *key = (band_key(group, band, rows) >> 32) as u32;
            }
        });
    // Every (band key, claim) pair, sorted: claims with equal keys share an LSH bucket,
    // earliest first. A pair is one number, the key in the high half and the claim in
    // the low one.
    let keys = sort_entries(bands);
    // Once the buckets' boundaries are known, only the claims of the pairs are needed:
    // the keys (twice their size) are dropped before the next tables are built.
    let opens: Vec<bool> = (0..keys.len())
        .map(|p| p > 0 && keys[p - 1] >> 32 != keys[p] >> 32)
        .collect();
    let members: Vec<u32> = keys.iter().map(|&key| key as u32).collect();
    drop(keys);
    // Per claim, side by side, where each of its buckets starts and how many of the
    // bucket's first claims (at most BUCKET_CAP) come before it.
    let mut starts: Vec<u32> = vec![0; members.len()];
    let mut before: Vec<u8> = vec![0; members.len()];
    let mut filled: Vec<u8> = vec![0; near.len()];
    let mut start = 0;
    for (p, (&member, &opens)) in members.iter().zip(&opens).enumerate() {
        if opens {
            start = p;
        }
        let c = member as usize;
        let slot = c * BANDS + usize::from(filled[c]);
        starts[slot] = start as u32;
        before[slot] = (p - start).min(BUCKET_CAP) as u8;
        filled[c] += 1;
    }
    drop(filled);
    drop(opens);
    // The cheap bounds read these for candidates all over the corpus: compact arrays
    // keep those reads in cache.
    let screens = Screens {
        lengths: near
            .par_iter()
            .map(|n| n.norm.chars().count() as u32)
            .collect(),
        histograms: near.par_iter().map(|n| histogram(n.norm)).collect(),
    };
    let found: Vec<Option<(usize, f32)>> = (0..near.len())
        .into_par_iter()
        .map_init(Scratch::default, |scratch, c| {
            let (starts, before) = (
                &starts[c * BANDS..(c + 1) * BANDS],
                &before[c * BANDS..(c + 1) * BANDS],
            );
            let heads = starts
                .iter()
                .zip(before)
                .flat_map(|(&start, &before)| {
                    let start = start as usize;
                    members[start..start + usize::from(before)].iter()
                })
                .copied();
            scratch.count(c, heads);
            confirm(&near, &screens, c, &mut scratch.ranked)
        })
        .collect();
    for (c, found) in found.into_iter().enumerate() {
        if let Some((earlier, ratio)) = found {
            links[near[c].item] = Some(Link {
                earlier: near[earlier].item,
                ratio: Some(ratio),
            });
        }
    }
    unlink_parallel_lists(corpus, texts, &mut links);
    links
}

/// Per claim, the group it is compared within (see [`compare_group`]), narrowed
/// further for a note of the author's own (no `summary_of`):
/// - a claim under a recap (see [`recap_of`]) is compared only with the recap's other
///   claims: a recap repeats the body on purpose;
/// - a claim of a journal page (see [`is_dated_title`]) is compared only with those of
///   its own page: a routine or a heading written each day is a record, not a fact
///   written twice;
/// - a claim in the author's own voice under a parent claim is compared only with the
///   parent's other children: the same step (`Delete the draft I made.`) under two
///   procedures is a step of each.
///
/// `None` when the claim is not compared at all: it has no words of its own, or it is
/// a short label (fewer than [`MIN_NEAR_WORDS`] words a reader sees, such as `Kernel
/// methods` or `Implementation`) rather than a statement, unless it is an entry of a
/// link list.
fn groups<'a>(corpus: &'a Corpus<'_>, texts: &Texts) -> Vec<Option<Group<'a>>> {
    let journal: Vec<bool> = corpus
        .notes
        .iter()
        .map(|view| is_dated_title(&view.doc.note.title))
        .collect();
    (0..texts.claims.len())
        .into_par_iter()
        .map(|i| {
            let norm = &texts.norms[i];
            if norm.is_empty() {
                return None;
            }
            let at = texts.claims[i];
            let view = &corpus.notes[at.note];
            let text = &view.claims[at.claim].claim.text;
            let words = |norm: &str| norm.split(' ').count();
            let short = words(norm) < MIN_NEAR_WORDS
                || (text.contains(['[', '`', '<']) && words(&seen(text).words) < MIN_NEAR_WORDS);
            if short && !is_link_entry(text) {
                return None;
            }
            let mut group = compare_group(corpus, texts, i);
            if group.summary_of.is_none() {
                let claim = &view.claims[at.claim];
                if let Some(recap) = recap_of(view, at.claim) {
                    group.note = Some(at.note);
                    group.parent = Some(recap);
                } else if journal[at.note] {
                    group.note = Some(at.note);
                } else if texts.local[i] && !is_link_entry(text) && claim.parent.is_some() {
                    // In the author's own voice: a step of two procedures.
                    group.parent = Some((section_of(claim), claim.parent.map_or(0, |p| p + 1)));
                }
            }
            Some(group)
        })
        .collect()
}

/// Headings that open a recap of what comes before them, normalised.
const RECAPS: &[&str] = &[
    "takeaway",
    "takeaways",
    "key takeaways",
    "main takeaways",
    "summary",
    "in summary",
    "tl dr",
    "tldr",
    "recap",
    "conclusion",
    "conclusions",
    "key points",
];

/// The recap claim `claim` of `view` is under, as a [`Group`]'s parent (its section,
/// and the recap claim's index plus one, or 0 when the recap is the section): the
/// nearest parent claim whose text is a recap heading (`Takeaways:`, `TL;DR`, `Key
/// points`), or else its section, when the section is a recap and not the note's first.
fn recap_of(view: &NoteView<'_>, claim: usize) -> Option<(usize, usize)> {
    let is_recap = |text: &str| text.len() <= 20 && RECAPS.contains(&normalise(text).as_str());
    let resolved = &view.claims[claim];
    let section = section_of(resolved);
    let mut parent = resolved.parent;
    while let Some(p) = parent {
        if is_recap(&view.claims[p].claim.text) {
            return Some((section, p + 1));
        }
        parent = view.claims[p].parent;
    }
    let title = &view.doc.note.sections.get(section)?.title;
    (section > 0 && is_recap(title)).then_some((section, 0))
}

/// Whether a note's title is a date, as a journal's pages are titled (`2023-04-12`,
/// `Monday, 3 April 2023`, `2021 November`, `April 2023`, `2017`), read as the
/// importer reads dates, a weekday before it allowed.
fn is_dated_title(title: &str) -> bool {
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let title = title.trim();
    let title = match title.split_once([' ', ',']) {
        Some((first, rest))
            if first.len() >= 3
                && WEEKDAYS
                    .iter()
                    .any(|day| day.starts_with(&first.to_lowercase())) =>
        {
            rest.trim_start_matches([',', ' '])
        }
        _ => title,
    };
    let date = |text: &str| {
        notes_core::import::parse_date(text, None)
            .is_ok_and(|date| (1900..=2100).contains(&date.first_day().year()))
    };
    date(title)
        || title
            .split_once(' ')
            .is_some_and(|(year, month)| is_year(year) && date(&format!("{month} {year}")))
}

/// How many claims two lists of one note must repeat for them to be parallel lists.
const PARALLEL: usize = 3;

/// Drops the links between copies in parallel lists: two lists of one note (under two
/// parent claims, or at the tops of two sections) that repeat at least [`PARALLEL`]
/// claims. Such lists apply one checklist to two things (the same goals assessed
/// under each of two options, the same fields under each of two experiments): each
/// copy is said of its own list's subject.
fn unlink_parallel_lists(corpus: &Corpus<'_>, texts: &Texts, links: &mut [Option<Link>]) {
    let list = |i: usize| {
        let at = texts.claims[i];
        let claim = &corpus.notes[at.note].claims[at.claim];
        (
            at.note,
            section_of(claim),
            claim.parent.map_or(0, |p| p + 1),
        )
    };
    let pair = |i: usize, earlier: usize| {
        let (a, b) = (list(i), list(earlier));
        (a.0 == b.0 && a != b).then_some((a.min(b), a.max(b)))
    };
    let mut repeats: HashMap<_, usize> = HashMap::new();
    for (i, link) in links.iter().enumerate() {
        if let Some(lists) = link.and_then(|link| pair(i, link.earlier)) {
            *repeats.entry(lists).or_default() += 1;
        }
    }
    if repeats.values().all(|&n| n < PARALLEL) {
        return;
    }
    for (i, link) in links.iter_mut().enumerate() {
        if link
            .and_then(|link| pair(i, link.earlier))
            .is_some_and(|lists| repeats[&lists] >= PARALLEL)
        {
            *link = None;
        }
    }
}

/// Bits of a band key that [`sort_entries`] first bins entries by.
const BIN_BITS: u32 = 12;

/// The (band key, claim) pairs of `bands` (per claim, side by side, the key of each
/// of its bands), sorted, each as one number: the key in the high half, the claim in
/// the low one. One pass puts them in bins by the top bits of their key (in claim
/// order), then the bins, small enough to stay in cache, are sorted in parallel.
fn sort_entries(bands: Vec<u32>) -> Vec<u64> {
    let bin = |key: u32| (key >> (u32::BITS - BIN_BITS)) as usize;
    let mut next = vec![0_usize; 1 << BIN_BITS];
    for &key in &bands {
        next[bin(key)] += 1;
    }
    let sizes = next.clone();
    let mut start = 0;
    for slot in &mut next {
        (*slot, start) = (start, start + *slot);
    }
    let mut sorted = vec![0_u64; bands.len()];
    for (i, &key) in bands.iter().enumerate() {
        let slot = &mut next[bin(key)];
        sorted[*slot] = (u64::from(key) << 32) | (i / BANDS) as u64;
        *slot += 1;
    }
    drop(bands);
    let mut bins: Vec<&mut [u64]> = Vec::with_capacity(sizes.len());
    let mut rest = sorted.as_mut_slice();
    for size in sizes {
        let (bin, after) = rest.split_at_mut(size);
        bins.push(bin);
        rest = after;
    }
    bins.into_par_iter().for_each(|bin| bin.sort_unstable());
    sorted
}

/// A candidate that shares `shared` buckets, as one number that sorts those sharing the
/// most buckets first, then the earliest claims: the count (subtracted from 255) in the
/// high half, the claim in the low one.
fn rank(shared: u8, candidate: u32) -> u64 {
    (u64::from(u8::MAX - shared) << 32) | u64::from(candidate)
}

/// The earliest confirmed near duplicate of claim `c` among `ranked` (earlier claims,
/// each with how many buckets it shares with `c`), trying those that share the most
/// buckets first: at most [`MAX_CHECKS`] of them, and at most [`MAX_DIFFS`] full
/// comparisons.
fn confirm(
    near: &[Near<'_>],
    screens: &Screens,
    c: usize,
    ranked: &mut [u64],
) -> Option<(usize, f32)> {
    // Only the first MAX_CHECKS are tried: pick them, then sort just those.
    if ranked.len() > MAX_CHECKS {
        ranked.select_nth_unstable(MAX_CHECKS - 1);
    }
    let tried = ranked.len().min(MAX_CHECKS);
    let ranked = &mut ranked[..tried];
    ranked.sort_unstable();
    let this = &near[c];
    let mut confirmed: Option<(usize, f32)> = None;
    let mut diffs = 0;
    for &ranked in ranked.iter() {
        let other = ranked as u32 as usize;
        if diffs == MAX_DIFFS {
            break;
        }
        let (length, other_length) = (screens.lengths[c], screens.lengths[other]);
        if !lengths_allow(length as usize, other_length as usize)
            || ratio_bound(
                &screens.histograms[c],
                &screens.histograms[other],
                (length + other_length) as usize,
            ) < THRESHOLD
        {
            continue;
        }
        let that = &near[other];
        if !this.names_in(that) || !that.names_in(this) {
            continue;
        }
        diffs += 1;
        let Some(ratio) = similar_enough(that.norm, this.norm) else {
            continue;
        };
        if state_two_facts(this, that) {
            continue;
        }
        if confirmed.is_none_or(|(best, _)| other < best) {
            confirmed = Some((other, ratio));
        }
    }
    confirmed
}

/// One finding per cluster of claims linked to one another, at its first claim.
fn report_clusters(
    corpus: &Corpus<'_>,
    claims: &[At],
    links: &[Option<Link>],
    out: &mut Vec<Finding>,
) {
    // Every link points to an earlier claim, so one pass finds each claim's first.
    let mut roots: Vec<usize> = Vec::with_capacity(links.len());
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, link) in links.iter().enumerate() {
        let root = link.map_or(i, |link| roots[link.earlier]);
        roots.push(root);
        if root != i {
            members.entry(root).or_default().push(i);
        }
    }
    for (root, others) in members {
        let first = claims[root];
        let ratios: Vec<Option<f32>> = others
            .iter()
            .map(|&i| links[i].and_then(|l| l.ratio))
            .collect();
        let what = match (
            ratios.iter().any(Option::is_some),
            ratios.iter().any(Option::is_none),
        ) {
            (true, true) => "the same or nearly the same".to_owned(),
            (true, false) => match ratios.as_slice() {
                [Some(ratio)] => format!("nearly the same ({}% similar)", (ratio * 100.0).floor()),
                _ => "nearly the same".to_owned(),
            },
            _ => "the same".to_owned(),
        };
        let places: Vec<At> = others.iter().map(|&i| claims[i]).collect();
        let labelled: Vec<(At, String)> = others
            .iter()
            .take(MAX_LABELS)
            .map(|&i| {
                let message = match links[i] {
                    Some(Link {
                        ratio: Some(ratio), ..
                    }) if links[i].is_some_and(|l| l.earlier == root) => format!(
                        "nearly the same text ({}% similar)",
                        (ratio * 100.0).floor()
                    ),
                    Some(Link {
                        ratio: Some(ratio), ..
                    }) => format!(
                        "nearly the same text as another copy ({}% similar)",
                        (ratio * 100.0).floor()
                    ),
                    _ => "same text".to_owned(),
                };
                (claims[i], message)
            })
            .collect();
        let message = format!(
            "{} {} {what}: {}",
            count(others.len(), "other claim", "other claims"),
            if others.len() == 1 { "says" } else { "say" },
            named_places(corpus, first, &places),
        );
        out.push(
            cluster_finding(corpus, META.id, META.default_severity, first, &labelled, message)
                .with_label("first written here")
                .with_help(format!(
                    "keep one claim (merging sources and children), or reword those that say different things{}",
                    unlabelled(others.len())
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::claim_text::shape;
    use super::*;

    fn near(text: &str) -> (String, Shape) {
        (normalise(text), shape(text))
    }

    #[test]
    fn names_must_appear_in_both_texts_whatever_their_case() {
        let check = |a: &str, b: &str| {
            let (a, b) = (near(a), near(b));
            let (a, b) = (
                Near {
                    item: 0,
                    text: "",
                    norm: &a.0,
                    names: &a.1.names,
                },
                Near {
                    item: 1,
                    text: "",
                    norm: &b.0,
                    names: &b.1.names,
                },
            );
            a.names_in(&b) && b.names_in(&a)
        };
        assert!(check(
            "The Field is focused around a few conferences.",
            "the field is focused around a few big conferences"
        ));
        assert!(!check(
            "The training loss of the ODM drops quickly.",
            "The training loss of the ARM drops quickly."
        ));
        assert!(!check(
            "Accuracy on CIFAR-10 is high for most models.",
            "Accuracy on CIFAR-100 is high for most models."
        ));
    }

    #[test]
    fn an_unlike_word_or_a_negation_makes_another_claim() {
        let n = |t: &str| normalise(t);
        for (a, b) in [
            (
                "The encoder outputs one vector per sentence.",
                "The decoder outputs one vector per sentence.",
            ),
            (
                "Smooth loss for the boxes of the localisation layer.",
                "Smooth loss for the boxes of the recognition layer.",
            ),
            (
                "The first critic sees the low-resolution image.",
                "The second critic sees the low-resolution image.",
            ),
            (
                "Smooth loss for the region sizes of the localisation layer.",
                "Smooth loss for the region sizes of the recognition layer.",
            ),
            // Two words changed, one of them a typo.
            (
                "Smooth loss for the region sizes of the localisation layer.",
                "Smooth loss for the region siezs of the recognition layer.",
            ),
            // One word for two.
            (
                "Quick routines for printing floating-point numbers to a buffer.",
                "Quick routines for printing integer numbers to a buffer.",
            ),
            // A letter put for another in a short word.
            (
                "(a) The chance that the box in frame t holds the object.",
                "(b) The chance that the box in frame t holds the object.",
            ),
            // A negation added.
            (
                "Photorealistic samples from the two methods side by side.",
                "Non-photorealistic samples from the two methods side by side.",
            ),
            (
                "The cache is shared between the two workers.",
                "The cache isn't shared between the two workers.",
            ),
        ] {
            assert!(differ_in_a_word(&n(a), &n(b)), "{a}");
        }
        for (a, b) in [
            (
                "The field is focused around a few conferences.",
                "The field is focussed around a few conferences.",
            ),
            (
                "Each layer adds its input to its output.",
                "Each layers adds its input to its output.",
            ),
            (
                "The field is focused around a few conferences.",
                "The field is focused around a few big conferences.",
            ),
            ("Same text here.", "Same text here."),
            (
                "Every run writes one data set to the shared store.",
                "Every run writes one dataset to the shared store.",
            ),
            (
                "The field is focused around a few conferences.",
                "The feild is focussed around a few conferences.",
            ),
            (
                "Smooth loss for the region sizes of the localisation layer.",
                "Smooth loss for the region siezs of the localisation layer.",
            ),
        ] {
            assert!(!differ_in_a_word(&n(a), &n(b)), "{a}");
        }
    }

    #[test]
    fn a_journal_page_is_titled_by_a_date() {
        for title in [
            "2017",
            "2023-04-12",
            "2021 November",
            "April 2023",
            "Monday, 3 April 2023",
        ] {
            assert!(is_dated_title(title), "{title}");
        }
        for title in [
            "Processes",
            "2023 in review",
            "May",
            "Monday",
            "Notes on 2023",
            "42",
            "",
        ] {
            assert!(!is_dated_title(title), "{title}");
        }
    }

    /// The fraction of `pairs` whose signatures share a band.
    fn banded(pairs: &[(&str, &str)]) -> f64 {
        let seeds = seeds();
        let sig = |t: &str| signature(&normalise(t), &seeds);
        let found = pairs
            .iter()
            .filter(|(a, b)| {
                let (sa, sb) = (sig(a), sig(b));
                (0..BANDS).any(|band| {
                    sa[band * ROWS..(band + 1) * ROWS] == sb[band * ROWS..(band + 1) * ROWS]
                })
            })
            .count();
        found as f64 / pairs.len() as f64
    }

    #[test]
    fn scattered_edits_still_share_a_band() {
        let (a, b) = (
            "charlie kilo hotel lima india zulu sierra golf",
            "charlqe kilq hotel vima india qulu sierra golf",
        );
        assert!(similarity(a, b) >= THRESHOLD);
        assert_eq!(banded(&[(a, b)]), 1.0);
        // Texts 0.9 similar through one-letter edits spread evenly: substitutions
        // (three trigrams lost each) and insertions (two lost, three new ones each).
        let words = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
        ];
        let mut pairs: Vec<(String, String)> = Vec::new();
        for start in 0..words.len() {
            let text: Vec<&str> = (0..8)
                .map(|k| words[(start + 3 * k) % words.len()])
                .collect();
            let original = text.join(" ");
            let substituted: Vec<String> = text
                .iter()
                .enumerate()
                .map(|(k, w)| {
                    if k % 2 == 0 {
                        format!("{}x", &w[..w.len() - 1])
                    } else {
                        (*w).to_owned()
                    }
                })
                .collect();
            let inserted: Vec<String> = text.iter().map(|w| format!("{w}q")).collect();
            for edited in [substituted.join(" "), inserted.join(" ")] {
                let ratio = similarity(&normalise(&original), &normalise(&edited));
                assert!((THRESHOLD..0.95).contains(&ratio), "{edited}: {ratio}");
                pairs.push((original.clone(), edited));
            }
        }
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert!(banded(&pairs) >= 0.95, "{}", banded(&pairs));
    }

    #[test]
    fn near_texts_share_a_band_and_pass_the_threshold() {
        let seeds = seeds();
        let a = normalise("The field is focused around a small number of conferences.");
        let b = normalise("The field is focussed around a small number of conferences");
        let sig = |t: &str| signature(t, &seeds);
        let (sa, sb) = (sig(&a), sig(&b));
        let shared = (0..BANDS)
            .filter(|band| sa[band * ROWS..(band + 1) * ROWS] == sb[band * ROWS..(band + 1) * ROWS])
            .count();
        assert!(shared > 0);
        assert!(similarity(&a, &b) >= THRESHOLD);
        let c = normalise("Journal and workshop-only papers are less influential.");
        assert!(similarity(&a, &c) < THRESHOLD);
    }
}
