//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
///
/// Closeness is Damerau-Levenshtein distance (a swap of two letters counts once),
/// allowed up to a third of the word's length, and at least one edit.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// Like [`did_you_mean`], but only when exactly one candidate is that close: safe to
/// apply as a fix without asking.
pub fn unique_match<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let best = did_you_mean(word, candidates.clone())?;
    let distance = strsim::damerau_levenshtein(word, best);
    let ties = candidates
        .into_iter()
        .filter(|c| *c != word && strsim::damerau_levenshtein(word, c) == distance)
        .count();
    (ties == 1).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, unique_match};

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
}
