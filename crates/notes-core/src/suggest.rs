//! "Did you mean" suggestions for misspelt names.
//!
//! Closeness is Damerau-Levenshtein distance (a swap of two letters counts once),
//! allowed up to a third of the word's length, and at least one edit. Computing that
//! distance is the costly part, so candidates are first screened with cheap lower
//! bounds of it (the difference in length and in letters used), and the distance is
//! only computed for those that could still be the closest. A [`Dictionary`] prepares
//! the candidates once, for looking up many words against the same names.

/// The closest candidate to a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion<'a> {
    /// The closest candidate (the first in byte order among equally close ones).
    pub best: &'a str,
    /// Whether no other candidate is that close: then it is safe to apply as a fix
    /// without asking.
    pub unique: bool,
}

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Dictionary::new(candidates).suggest(word).map(|s| s.best)
}

/// Like [`did_you_mean`], but only when exactly one candidate is that close: safe to
/// apply as a fix without asking.
pub fn unique_match<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Dictionary::new(candidates)
        .suggest(word)
        .filter(|s| s.unique)
        .map(|s| s.best)
}

/// How many edits from `word` a candidate may be: a third of its length, at least one.
fn limit(chars: usize) -> usize {
    (chars / 3).max(1)
}

/// Buckets of the letter counts in a [`Shape`].
const BUCKETS: usize = 64;

/// The length of a word and how often it uses each (bucket of) character: enough to
/// bound the edit distance between two words from below, cheaply.
#[derive(Clone, Debug)]
struct Shape {
    chars: usize,
    counts: [u8; BUCKETS],
    /// The sum of `counts` (which saturate, so not always `chars`).
    total: usize,
}

fn bucket(c: char) -> usize {
    let c = c.to_ascii_lowercase();
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize),
        '-' => 36,
        '_' => 37,
        '.' => 38,
        _ => 39 + (c as usize) % (BUCKETS - 39),
    }
}

impl Shape {
    fn of(word: &str) -> Self {
        let mut shape = Shape {
            chars: 0,
            counts: [0; BUCKETS],
            total: 0,
        };
        for c in word.chars() {
            shape.chars += 1;
            let count = &mut shape.counts[bucket(c)];
            *count = count.saturating_add(1);
        }
        shape.total = shape.counts.iter().map(|&n| usize::from(n)).sum();
        shape
    }

    /// A lower bound of the Damerau-Levenshtein distance between the two words. Each
    /// edit removes at most one character that one word has in excess of the other
    /// (a deletion or a substitution) and supplies at most one that it lacks (an
    /// insertion or a substitution); a swap changes neither. So the distance is at
    /// least the larger of the two excesses, which is at least the difference in length.
    /// Merged buckets and saturated counts only make the bound lower, never wrong.
    fn lower_bound(&self, other: &Shape) -> usize {
        // excess + lack is the sum of the differences, excess - lack the difference of
        // the totals; summing bytes' differences is what the CPU does fastest.
        let differences: u32 = self
            .counts
            .iter()
            .zip(&other.counts)
            .map(|(a, b)| u32::from(a.abs_diff(*b)))
            .sum();
        (differences as usize + self.total.abs_diff(other.total)) / 2
    }
}

/// Candidate names, prepared once to look many words up against them.
#[derive(Clone, Debug, Default)]
pub struct Dictionary<'a> {
    /// The candidates and their shapes, by length in characters.
    entries: Vec<(Shape, &'a str)>,
}

impl<'a> Dictionary<'a> {
    /// Prepares `candidates`.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut entries: Vec<(Shape, &'a str)> = candidates
            .into_iter()
            .map(|word| (Shape::of(word), word))
            .collect();
        entries.sort_by_key(|(shape, _)| shape.chars);
        Dictionary { entries }
    }

    /// The candidate closest to `word` (other than `word` itself), if one is close
    /// enough to be a likely typo, and whether it is the only one that close.
    pub fn suggest(&self, word: &str) -> Option<Suggestion<'a>> {
        let shape = Shape::of(word);
        let limit = limit(shape.chars);
        // Only candidates whose length is within `limit` of the word's can be close.
        let lo = self
            .entries
            .partition_point(|(s, _)| s.chars < shape.chars.saturating_sub(limit));
        let hi = self
            .entries
            .partition_point(|(s, _)| s.chars <= shape.chars + limit);
        let mut near: Vec<(usize, &'a str)> = self.entries[lo..hi]
            .iter()
            .filter(|(_, candidate)| *candidate != word)
            .map(|(s, candidate)| (shape.lower_bound(s), *candidate))
            .filter(|&(bound, _)| bound <= limit)
            .collect();
        // Most likely first: once a close candidate is found, the rest are screened
        // against its distance instead of the limit.
        near.sort_unstable_by_key(|&(bound, _)| bound);
        let mut best: Option<(usize, &'a str)> = None;
        let mut ties = 0_usize;
        for (bound, candidate) in near {
            let within = best.map_or(limit, |(distance, _)| distance);
            if bound > within {
                // Every later candidate's bound is at least this one's.
                break;
            }
            let distance = strsim::damerau_levenshtein(word, candidate);
            match best {
                _ if distance > within => {}
                Some((least, _)) if distance == least => {
                    ties += 1;
                    best = best.map(|(d, b)| (d, b.min(candidate)));
                }
                _ => {
                    best = Some((distance, candidate));
                    ties = 1;
                }
            }
        }
        best.map(|(_, best)| Suggestion {
            best,
            unique: ties == 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Dictionary, Shape, did_you_mean, unique_match};

    #[test]
    fn suggests_close_names_only() {
        let fields = ["sources", "summary_of", "shelf_life", "text"];
        assert_eq!(did_you_mean("sorces", fields), Some("sources"));
        assert_eq!(did_you_mean("shelf_lfie", fields), Some("shelf_life"));
        assert_eq!(did_you_mean("colour", fields), None);
        assert_eq!(did_you_mean("text", fields), None);
        assert_eq!(unique_match("sorces", fields), Some("sources"));
        assert_eq!(unique_match("ab", ["ac", "ad"]), None);
    }

    #[test]
    fn ties_go_to_the_first_in_byte_order() {
        assert_eq!(did_you_mean("ab", ["ad", "ac"]), Some("ac"));
        assert_eq!(did_you_mean("pais2", ["pais-3", "pais-2"]), Some("pais-2"));
        // A closer candidate wins over an earlier one in byte order.
        assert_eq!(unique_match("pais2", ["pai", "pais-2"]), Some("pais-2"));
    }

    #[test]
    fn bounds_never_exceed_the_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "ca",
            "pais-2",
            "pais2",
            "spia-2",
            "source-number-12",
            "source-numbr-21",
            "missing-ref-12",
            "GPT-4",
            "gpt_4",
            "über",
            "uber",
            "ééé",
        ];
        for a in words {
            for b in words {
                let distance = strsim::damerau_levenshtein(a, b);
                let bound = Shape::of(a).lower_bound(&Shape::of(b));
                assert!(bound <= distance, "{a} / {b}: bound {bound} > {distance}");
            }
        }
    }

    #[test]
    fn a_dictionary_agrees_with_a_plain_scan() {
        let known: Vec<String> = (0..300).map(|i| format!("source-number-{i}")).collect();
        let dictionary = Dictionary::new(known.iter().map(String::as_str));
        let words = [
            "source-numbr-7",
            "source-number-7",
            "sourse-number-12",
            "missing-ref-12",
            "number-source-1",
            "x",
        ];
        for word in words {
            let limit = (word.chars().count() / 3).max(1);
            let scored: Vec<(usize, &str)> = known
                .iter()
                .map(String::as_str)
                .filter(|c| *c != word)
                .map(|c| (strsim::damerau_levenshtein(word, c), c))
                .filter(|&(d, _)| d <= limit)
                .collect();
            let expected = scored.iter().min().map(|&(d, best)| {
                let ties = scored.iter().filter(|(e, _)| *e == d).count();
                (best, ties == 1)
            });
            let got = dictionary.suggest(word).map(|s| (s.best, s.unique));
            assert_eq!(got, expected, "{word}");
        }
    }
}
