//! Tests of the Markdown import.

use super::*;
use crate::model::CaveatRef;

const SEED: &str = include_str!("../../../../tests/data/birds-eye-view.seed.txt");

/// Imports `markdown` and loads the result, which must have no finding.
fn load(markdown: &str) -> Note {
    let yaml = import(markdown, "note", &Options::default()).unwrap().yaml;
    let loaded = crate::load_bytes(Path::new("note.yaml"), yaml.as_bytes());
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    loaded.document.unwrap().note
}

/// Every claim in document order, with its generation (1 for a section's claims).
fn flatten(claims: &[Claim], depth: usize, out: &mut Vec<(usize, String, ClaimKind)>) {
    for claim in claims {
        out.push((depth, claim.text.clone(), claim.kind));
        flatten(&claim.children, depth + 1, out);
    }
}

fn claims(note: &Note) -> Vec<(usize, String, ClaimKind)> {
    let mut out = Vec::new();
    for section in &note.sections {
        flatten(&section.claims, 1, &mut out);
    }
    out
}

fn texts(note: &Note) -> Vec<String> {
    claims(note).into_iter().map(|(_, text, _)| text).collect()
}

fn caveat_texts(caveats: &[CaveatRef]) -> Vec<&str> {
    caveats
        .iter()
        .map(|c| match c {
            CaveatRef::Inline(c) => c.text.as_str(),
            CaveatRef::Id(id) => id.as_str(),
        })
        .collect()
}

#[test]
fn the_seed_imports_as_four_flat_sections_with_every_bullet_verbatim() {
    let yaml = import(SEED, "birds-eye-view", &Options::default())
        .unwrap()
        .yaml;
    assert!(yaml.starts_with(&format!("{MODELINE}\n")));
    let note = load(SEED);
    assert_eq!(
        note.title,
        "Personal summary of A Bird\u{2019}s Eye View of the ML Field from the Pragmatic AI safety sequence."
    );
    let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Driving dynamics of the ML field",
            "The ML research ecosystems",
            "Analyzing the trajectory of researchers",
            "AGI and AI safety"
        ]
    );
    let expected: Vec<String> = SEED
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .map(|text| text.trim_end().to_owned())
        .collect();
    assert_eq!(expected.len(), 136);
    assert_eq!(texts(&note), expected);
    assert!(claims(&note).iter().all(|(depth, _, _)| *depth == 1));
    for (_, text, _) in claims(&note) {
        assert!(
            !text.starts_with(['%', '\\'])
                && !["newcommand", "DeclareMathOperator", "\\let", "mathopen"]
                    .iter()
                    .any(|latex| text.contains(latex)),
            "LaTeX in a claim: {text}"
        );
    }
    assert!(note.caveats.is_empty());
    let caveats: Vec<Vec<&str>> = note
        .sections
        .iter()
        .map(|s| caveat_texts(&s.caveats))
        .collect();
    assert_eq!(
        caveats,
        [
            vec![],
            vec![],
            vec![],
            vec![
                "Note: the article was written in May 2022; things haveprobably significantly changed since."
            ]
        ]
    );
    let kind_of = |needle: &str| {
        claims(&note)
            .into_iter()
            .find(|(_, text, _)| text.contains(needle))
            .map(|(_, _, kind)| kind)
    };
    assert_eq!(
        kind_of("most researchers can be considered"),
        Some(ClaimKind::Quote)
    );
    assert_eq!(
        kind_of("it\u{2019}s common for them"),
        Some(ClaimKind::Quote)
    );
    assert_eq!(
        kind_of("Highly Influential Citations"),
        Some(ClaimKind::Claim)
    );
    assert_eq!(kind_of("Further reading:"), Some(ClaimKind::Claim));
    let quotes = claims(&note)
        .iter()
        .filter(|(_, _, kind)| *kind == ClaimKind::Quote)
        .count();
    assert_eq!(quotes, 6);
}

#[test]
fn the_import_is_deterministic_and_readable() {
    let yaml = import(SEED, "birds-eye-view", &Options::default())
        .unwrap()
        .yaml;
    assert_eq!(
        import(SEED, "birds-eye-view", &Options::default())
            .unwrap()
            .yaml,
        yaml
    );
    assert!(yaml.contains(
        "\nsections:\n  - title: \"Driving dynamics of the ML field\"\n    claims:\n      - text: \"Empirical ML research"
    ));
    assert!(yaml.contains(
        "  - title: \"AGI and AI safety\"\n    caveats:\n      - text: \"Note: the article"
    ));
    assert!(yaml.contains("        kind: \"quote\"\n"));
    // A valid stem needs no `id`; an invalid one gets its slug.
    assert!(!yaml.contains("\nid: "));
    let yaml = import(SEED, "Birds Eye.seed", &Options::default())
        .unwrap()
        .yaml;
    assert!(yaml.contains("\nid: \"birds-eye-seed\"\n"));
}

#[test]
fn indentation_with_spaces_or_tabs_makes_children() {
    let spaces = "Title\n# S\n- a\n  - b\n    - c\n  - d\n- e\n      - f\n   - g\n";
    let tabs = "Title\n# S\n- a\n\t- b\n\t\t- c\n\t- d\n- e\n\t\t\t- f\n\t- g\n";
    let four = "Title\n# S\n1. a\n    * b\n        + c\n    * d\n2. e\n            - f\n    - g\n";
    let expected: Vec<(usize, String, ClaimKind)> = [
        (1, "a"),
        (2, "b"),
        (3, "c"),
        (2, "d"),
        (1, "e"),
        (2, "f"),
        (2, "g"),
    ]
    .iter()
    .map(|&(depth, text)| {
        // A short phrase with bullets under it is a label.
        let kind = if matches!(text, "a" | "b" | "e") {
            ClaimKind::Label
        } else {
            ClaimKind::Claim
        };
        (depth, text.to_owned(), kind)
    })
    .collect();
    for outline in [spaces, tabs, four] {
        assert_eq!(claims(&load(outline)), expected, "{outline:?}");
    }
    let mixed = "T\n- a\n\t- b\n    - c\n  \t- d\n";
    let depths: Vec<usize> = claims(&load(mixed)).iter().map(|c| c.0).collect();
    assert_eq!(depths, [1, 2, 2, 2]);
}

#[test]
fn a_flat_outline_stays_flat() {
    let note = load("T\n- Lead-in:\n- a\n- b\n");
    assert!(claims(&note).iter().all(|(depth, _, _)| *depth == 1));
    assert_eq!(texts(&note), ["Lead-in:", "a", "b"]);
}

#[test]
fn whole_quotations_are_quotes() {
    let note = load(
        "T\n- \u{201c}All of it.\u{201d}\n- \"All of it.\"\n- \u{201c}Half\u{201d} of it\n\
         - \u{201c}a\u{201d} and \u{201c}b\u{201d}\n- \"a\" and \"b\"\n- \"\n- \"\"\n\
         - \u{201c}They call it \u{201c}hype\u{201d}, not \u{201c}science.\u{201d}\u{201d}\n",
    );
    let kinds: Vec<ClaimKind> = claims(&note).iter().map(|c| c.2).collect();
    use ClaimKind::{Claim as C, Quote as Q};
    assert_eq!(kinds, [Q, Q, C, C, C, C, C, Q]);
}

#[test]
fn headings_plain_lines_and_remarks() {
    let note = load(concat!(
        "---\ntitle: front matter\n---\n",
        "# The title #\n- early\n",
        "## Part one\nCaveat: old numbers\n- a\nTrailing remark\n",
        "A plain line before bullets\n- b\n  still b\n#hashtag line\nNote: last\n",
    ));
    // The front matter's title names the note; the first heading is then a section,
    // and a deeper heading a label that the claims after it go under.
    assert_eq!(note.title, "front matter");
    let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["The title", "A plain line before bullets"]);
    assert_eq!(
        caveat_texts(&note.sections[0].caveats),
        ["Caveat: old numbers"]
    );
    assert_eq!(caveat_texts(&note.sections[1].caveats), ["Note: last"]);
    // A paragraph is a claim; a line in it that starts with a label is a caveat.
    let expected: Vec<(usize, String, ClaimKind)> = [
        (1, "early", ClaimKind::Claim),
        (1, "Part one", ClaimKind::Label),
        (2, "a", ClaimKind::Claim),
        (2, "Trailing remark", ClaimKind::Claim),
        (1, "b still b", ClaimKind::Claim),
        (1, "#hashtag line", ClaimKind::Claim),
    ]
    .into_iter()
    .map(|(d, t, k)| (d, t.to_owned(), k))
    .collect();
    assert_eq!(claims(&note), expected);
    let note = load("Title\nNote: before any section\n- a\n");
    assert_eq!(caveat_texts(&note.caveats), ["Note: before any section"]);
    assert_eq!(note.sections[0].title, "Title");
}

#[test]
fn a_paragraph_ending_with_a_colon_leads_in_what_it_introduces() {
    let note = load(concat!(
        "# Title\n",
        "Plain heading line\nNote: as follows:\n- a\n",
        "Two aims of the work:\n- b\n- c\n\n",
        "The paper admits its limits in the last section:\n\n- d\n\n",
        "Called like this:\n\n```sh\nrun --fast\n```\n\n",
        "What the second figure shows:\n\n![plot](plot.png) ![table](table.png)\n\n",
        "A colon before prose introduces nothing:\n\nThe next paragraph stands alone.\n\n",
        "An image then words is prose:\n\n![plot](plot.png) and a sentence.\n",
    ));
    // A plain line right before bullets still titles a section, as outlines write it.
    assert_eq!(note.sections[0].title, "Plain heading line");
    assert_eq!(
        caveat_texts(&note.sections[0].caveats),
        ["Note: as follows:"]
    );
    let expected: Vec<(usize, String, ClaimKind)> = [
        (1, "a", ClaimKind::Claim),
        (1, "Two aims of the work:", ClaimKind::Label),
        (2, "b", ClaimKind::Claim),
        (2, "c", ClaimKind::Claim),
        (
            1,
            "The paper admits its limits in the last section:",
            ClaimKind::Claim,
        ),
        (2, "d", ClaimKind::Claim),
        (1, "Called like this:", ClaimKind::Label),
        (2, "```sh\nrun --fast\n```", ClaimKind::Claim),
        (1, "What the second figure shows:", ClaimKind::Label),
        (2, "![plot](plot.png) ![table](table.png)", ClaimKind::Claim),
        (
            1,
            "A colon before prose introduces nothing:",
            ClaimKind::Claim,
        ),
        (1, "The next paragraph stands alone.", ClaimKind::Claim),
        (1, "An image then words is prose:", ClaimKind::Claim),
        (1, "![plot](plot.png) and a sentence.", ClaimKind::Claim),
    ]
    .into_iter()
    .map(|(d, t, k)| (d, t.to_owned(), k))
    .collect();
    assert_eq!(claims(&note), expected);
}

#[test]
fn bullets_before_any_title_take_the_file_stem() {
    let yaml = import("- a\n- b\n", "my-note", &Options::default())
        .unwrap()
        .yaml;
    assert!(yaml.contains("title: \"my-note\"\n"));
    assert!(yaml.contains("  - title: \"my-note\"\n"));
}

#[test]
fn preamble_is_skipped_even_across_lines() {
    let note = load(
        "% comment\n\\newcommand{\\x}{\n  \\mathrm{x}\n}\n\\def\\y{y}\n\\let\\a\\b\n\
         \\DeclareMathOperator*{\\z}{z}\n\\require{cancel}\nTitle\n- \\letter stays\n\
         - % stays\n",
    );
    assert_eq!(note.title, "Title");
    assert_eq!(texts(&note), ["\\letter stays", "% stays"]);
}

#[test]
fn nothing_to_import_is_a_clear_error() {
    for outline in [
        "",
        "\n\n  \n",
        "% only\n\\newcommand{\\x}{x}\n",
        "\u{feff}\r\n",
    ] {
        let error = import(outline, "note", &Options::default())
            .unwrap_err()
            .message;
        assert!(error.starts_with("nothing to import"), "{error}");
    }
}

#[test]
fn crlf_reads_like_lf() {
    let lf = import(SEED, "birds-eye-view", &Options::default())
        .unwrap()
        .yaml;
    assert_eq!(
        import(
            &SEED.replace('\n', "\r\n"),
            "birds-eye-view",
            &Options::default()
        )
        .unwrap()
        .yaml,
        lf
    );
    assert_eq!(
        import(
            &SEED.replace('\n', "\r"),
            "birds-eye-view",
            &Options::default()
        )
        .unwrap()
        .yaml,
        lf
    );
}

#[test]
fn awkward_text_round_trips() {
    let bullets = [
        "key: value",
        "a # not a comment",
        "# not a heading either",
        "\"unbalanced",
        "back\\slash \\n \\\"",
        "* star",
        "& ampersand",
        "! bang",
        "% percent",
        "@ at",
        "` backtick",
        "| pipe",
        "> angle",
        "{flow: map}",
        "[flow, seq]",
        "- dash",
        "? question",
        "'single",
        "null",
        "~",
        "2022-05",
        "0x1F",
        "yes",
        "\u{1f600} emoji \u{1f9ea}",
        "tab\tinside",
        "nul\u{0} bell\u{7} del\u{7f} nel\u{85} ls\u{2028} ps\u{2029} bom\u{feff} nonchar\u{fffe}",
        "right-to-left \u{202e}txet",
        "e\u{301} combining",
    ];
    let outline: String = std::iter::once("Title: with colon & \"quotes\"\n".to_owned())
        .chain(bullets.iter().map(|b| format!("- {b}\n")))
        .collect();
    let note = load(&outline);
    assert_eq!(note.title, "Title: with colon & \"quotes\"");
    // Bullets that start with Markdown block syntax are read as Markdown: a heading,
    // a nested bullet, a block quote.
    let expected: Vec<&str> = bullets
        .iter()
        .map(|b| {
            b.strip_prefix("# ")
                .or_else(|| b.strip_prefix("* "))
                .or_else(|| b.strip_prefix("> "))
                .or_else(|| b.strip_prefix("- "))
                .unwrap_or(b)
        })
        .collect();
    assert_eq!(texts(&note), expected);
}

/// Runs `test` on a thread with a main thread's stack: parsing a note at the
/// loader's depth limit takes more than a test thread's 2 MiB in debug builds.
fn on_a_large_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(test)
        .unwrap()
        .join()
        .unwrap();
}

/// A chain of `generations` claims, each the only child of the one before.
fn chain(generations: usize) -> Note {
    let mut claim = new_claim("last".to_owned());
    for _ in 1..generations {
        let mut parent = new_claim("parent".to_owned());
        parent.children.push(claim);
        claim = parent;
    }
    let mut note = import("T\n- x\n", "chain", &Options::default())
        .unwrap()
        .note;
    note.sections[0].claims = vec![claim];
    note
}

#[test]
fn max_generations_is_the_loaders_limit() {
    on_a_large_stack(|| {
        let path = Path::new("chain.yaml");
        let yaml = emit(&chain(MAX_GENERATIONS), &[]);
        assert!(crate::load_bytes(path, yaml.as_bytes()).findings.is_empty());
        let yaml = emit(&chain(MAX_GENERATIONS + 1), &[]);
        assert!(!crate::load_bytes(path, yaml.as_bytes()).findings.is_empty());
    });
}

#[test]
fn a_very_deep_outline_is_kept_within_the_depth_limit() {
    on_a_large_stack(a_very_deep_outline);
}

fn a_very_deep_outline() {
    let outline: String = std::iter::once("Deep\n".to_owned())
        .chain((0..10_000).map(|i| format!("{}- level {i}\n", " ".repeat(i))))
        .collect();
    let yaml = import(&outline, "deep", &Options::default()).unwrap().yaml;
    let warning: Vec<&str> = warnings(&yaml).collect();
    assert_eq!(warning.len(), 1);
    assert!(warning[0].contains("10000 bullets deep"), "{}", warning[0]);
    let note = load(&outline);
    let all = claims(&note);
    assert_eq!(all.len(), 10_000);
    assert_eq!(all.iter().map(|c| c.0).max(), Some(MAX_GENERATIONS));
    assert_eq!(
        all[MAX_GENERATIONS - 1].1,
        format!("level {}", MAX_GENERATIONS - 1)
    );
    // The same depth with tabs, and an outline exactly at the limit keeps its shape.
    let tabs: String = std::iter::once("Deep\n".to_owned())
        .chain((0..2_000).map(|i| format!("{}- t{i}\n", "\t".repeat(i))))
        .collect();
    assert_eq!(claims(&load(&tabs)).len(), 2_000);
    let limit: String = (0..MAX_GENERATIONS)
        .map(|i| format!("{}- \"q{i}\"\n", "  ".repeat(i)))
        .collect();
    let yaml = import(&limit, "limit", &Options::default()).unwrap().yaml;
    assert_eq!(warnings(&yaml).count(), 0);
    let depths: Vec<usize> = claims(&load(&limit)).iter().map(|c| c.0).collect();
    assert_eq!(depths, (1..=MAX_GENERATIONS).collect::<Vec<_>>());
}

#[test]
fn random_outlines_never_panic_and_always_load() {
    const PIECES: &[&str] = &[
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "  ",
        "\t",
        "# ",
        "## ",
        "\n",
        "\r\n",
        "\r",
        "%",
        "\\newcommand{",
        "\\let",
        "}",
        "{",
        "Note: ",
        "text",
        ": ",
        "\"",
        "\u{201c}",
        "\u{201d}",
        "\\",
        "#",
        "&",
        "!",
        "@",
        "`",
        "'",
        "---",
        "***",
        "\u{1f600}",
        "\u{0}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "é",
        "123",
        "-",
        "=",
        "...",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n
    };
    for _ in 0..400 {
        let len = next(60);
        let outline: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
        match import(&outline, "fuzz", &Options::default()) {
            Ok(imported) => {
                let yaml = imported.yaml;
                let loaded = crate::load_bytes(Path::new("fuzz.yaml"), yaml.as_bytes());
                assert!(loaded.findings.is_empty(), "{outline:?}");
            }
            Err(error) => assert!(
                error.message.starts_with("nothing to import"),
                "{outline:?}: {error}"
            ),
        }
    }
}

fn imported(markdown: &str) -> Imported {
    import(markdown, "note", &Options::default()).unwrap()
}

#[test]
fn metadata_bullets_make_the_source_the_note_summarises() {
    let got = imported(
        "# Residual learning\n\n* **Title**: Deep Residual Learning\n\
         * **Authors**: Kaiming He, Jian Sun\n* **Link**: https://arxiv.org/abs/1512.03385v1\n\
         * **Year**: 2015\n* **Stars**: 5\n\n## What\n* Deeper nets train with shortcuts.\n",
    );
    let note = &got.note;
    assert_eq!(note.title, "Residual learning");
    assert_eq!(note.summary_of.as_deref(), Some("arxiv-1512-03385"));
    let source = &note.sources[0];
    assert_eq!(source.title, "Deep Residual Learning");
    assert_eq!(source.authors, ["Kaiming He", "Jian Sun"]);
    assert_eq!(source.arxiv.as_deref(), Some("1512.03385"));
    assert_eq!(
        source.published.map(|d| d.to_string()).as_deref(),
        Some("2015")
    );
    assert_eq!(source.kind, crate::model::SourceType::Paper);
    assert_eq!(texts(note), ["Deeper nets train with shortcuts."]);
    assert_eq!(
        got.report,
        [Remark {
            line: 7,
            message: "unknown key `stars`: not imported".to_owned()
        }]
    );
}

#[test]
fn front_matter_yaml_and_toml() {
    let yaml = imported(
        "---\ntitle: Attention\ntags: [nlp, transformers]\ncreated: 2017-12-11\n\
         updated: May 2022\ndoi: 10.5555/3295222.3295349\nauthors:\n  - A. Vaswani\n---\n- Only attention.\n",
    );
    let note = &yaml.note;
    assert_eq!(note.title, "Attention");
    assert_eq!(note.tags, ["nlp", "transformers"]);
    assert_eq!(
        note.written.map(|d| d.to_string()).as_deref(),
        Some("2017-12-11")
    );
    assert_eq!(
        note.reviewed.map(|d| d.to_string()).as_deref(),
        Some("2022-05")
    );
    assert_eq!(
        note.summary_of.as_deref(),
        Some("doi-10-5555-3295222-3295349")
    );
    assert_eq!(note.sources[0].authors, ["A. Vaswani"]);
    let toml = imported(
        "+++\ntitle = \"Attention\"\ntags = [\"nlp\"]\nurl = \"https://example.org/post\"\n+++\n- Only attention.\n",
    );
    assert_eq!(toml.note.title, "Attention");
    assert_eq!(toml.note.tags, ["nlp"]);
    assert_eq!(toml.note.summary_of.as_deref(), Some("attention"));
    assert_eq!(toml.note.sources[0].kind, crate::model::SourceType::Article);
    // Broken front matter is an error at its line: the note would lose its source.
    let broken = import(
        "---\ntitle: [unclosed\n---\n# Title\n- a claim\n",
        "note",
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        broken.message.contains("YAML front matter is broken"),
        "{broken}"
    );
    assert!(matches!(broken.line, Some(2..=3)), "{broken:?}");
    let broken = import("+++\ntitle = \n+++\n- a\n", "note", &Options::default()).unwrap_err();
    assert!(
        broken.message.contains("TOML front matter is broken"),
        "{broken}"
    );
    assert_eq!(broken.line, Some(2));
}

#[test]
fn a_title_that_links_its_work_and_logseq_properties() {
    let got = imported(
        "# [Batch Normalization](https://arxiv.org/abs/1502.03167)\n\nDate: 11/11/2013\n\n- Normalising inputs helps.\n",
    );
    assert_eq!(got.note.title, "Batch Normalization");
    assert_eq!(
        got.note.written.map(|d| d.to_string()).as_deref(),
        Some("2013-11-11")
    );
    assert_eq!(
        got.note.sources[0]
            .published
            .map(|d| d.to_string())
            .as_deref(),
        Some("2015-02")
    );
    let logseq = imported(
        "title:: Scaling Laws\nsource:: https://arxiv.org/abs/2001.08361\n\n- Loss falls as a power law.\n",
    );
    assert_eq!(logseq.note.summary_of.as_deref(), Some("arxiv-2001-08361"));
    assert_eq!(texts(&logseq.note), ["Loss falls as a power law."]);
}

#[test]
fn ambiguous_dates_are_reported_or_read_as_told() {
    let markdown = "# T\n\n- **Date**: 11/12/2013\n- a claim\n";
    let got = imported(markdown);
    assert_eq!(got.note.written, None);
    assert_eq!(got.report.len(), 1);
    assert_eq!(got.report[0].line, 3);
    assert!(got.report[0].message.contains("--date-order"));
    let options = Options {
        date_order: Some(DateOrder::Dmy),
    };
    let got = import(markdown, "note", &options).unwrap();
    assert_eq!(
        got.note.written.map(|d| d.to_string()).as_deref(),
        Some("2013-12-11")
    );
}

#[test]
fn a_note_naming_no_source_gets_none() {
    let got = imported("# Thoughts\n\n- Scaling matters.\n");
    assert_eq!(got.note.summary_of, None);
    assert!(got.note.sources.is_empty());
}

#[test]
fn labels_callouts_quotes_and_whole_blocks() {
    let note = load(concat!(
        "# Paper\n\n- What\n  - A model built only from attention.\n",
        "- **How it works**\n  - Attention over all positions.\n",
        "- The model is fast.\n  - It trains in days.\n",
        "- Results\n\n> [!NOTE]\n> First version numbers.\n\n",
        "> [!example]- A case\n> One pass.\n\n> [!tip]\n> Read section 3.\n\n",
        "> Attention is all you need.\n\n",
        "```python\ndef f(x):\n\n    return x\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        "![map](attn.png)\n",
    ));
    let got: Vec<(usize, String, ClaimKind)> = claims(&note);
    use ClaimKind::{Claim as C, Example as E, Label as L, Quote as Q};
    let expected: Vec<(usize, String, ClaimKind)> = [
        (1, "What", L),
        (2, "A model built only from attention.", C),
        (1, "How it works", L),
        (2, "Attention over all positions.", C),
        // A sentence with bullets under it stays a claim; a label needs bullets under it.
        (1, "The model is fast.", C),
        (2, "It trains in days.", C),
        (1, "Results", C),
        (1, "A case: One pass.", E),
        (1, "Read section 3.", C),
        (1, "Attention is all you need.", Q),
        (1, "```python\ndef f(x):\n\n    return x\n```", C),
        (1, "| a | b |\n|---|---|\n| 1 | 2 |", C),
        (1, "![map](attn.png)", C),
    ]
    .into_iter()
    .map(|(d, t, k)| (d, t.to_owned(), k))
    .collect();
    assert_eq!(got, expected);
    assert_eq!(
        caveat_texts(&note.sections[0].caveats),
        ["First version numbers."]
    );
}

#[test]
fn an_unclosed_fence_keeps_the_rest_as_code_and_says_so() {
    let got = imported("# T\n\n- a claim\n\n```\ncode\n- not a bullet\n");
    assert_eq!(texts(&got.note), ["a claim", "```\ncode\n- not a bullet"]);
    assert_eq!(got.report.len(), 1);
    assert_eq!(got.report[0].line, 5);
    assert!(got.report[0].message.contains("never closed"));
}

#[test]
fn footnotes_and_links_cite_sources() {
    let got = imported(concat!(
        "# Reading notes\n\n- Residual learning eases training.[^1]\n",
        "- Loss follows a power law ([scaling laws](https://arxiv.org/abs/2001.08361)).\n",
        "- The same paper again.[^2]\n\n",
        "[^1]: K. He, \"Deep Residual Learning\", section 3, https://arxiv.org/abs/1512.03385\n",
        "[^2]: [Scaling](https://arxiv.org/abs/2001.08361v2), p. 4\n[^3]: never cited\n",
    ));
    let note = &got.note;
    let ids: Vec<&str> = note.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["arxiv-1512-03385", "arxiv-2001-08361"]);
    let claims = &note.sections[0].claims;
    assert_eq!(claims[0].text, "Residual learning eases training.");
    assert_eq!(claims[0].sources[0].locator(), Some("section 3"));
    assert_eq!(claims[1].sources[0].id(), "arxiv-2001-08361");
    assert_eq!(claims[2].sources[0].id(), "arxiv-2001-08361");
    assert_eq!(claims[2].sources[0].locator(), Some("p. 4"));
    assert_eq!(got.report.len(), 1);
    assert_eq!(got.report[0].line, 9);
}

/// A note's claims as the round trip compares them: depth, text, kind, caveat texts,
/// and citations as (the cited work's key, locator), less bare citations of the work
/// the note summarises (the note's `summary_of` already cites it).
type Compared = (
    usize,
    String,
    ClaimKind,
    Vec<String>,
    Vec<(String, Option<String>)>,
);

fn compared(
    note: &Note,
    sources: &std::collections::HashMap<String, crate::model::Source>,
) -> Vec<Compared> {
    fn walk(
        claims: &[crate::model::Claim],
        depth: usize,
        summary: Option<&str>,
        key_of: &dyn Fn(&str) -> String,
        out: &mut Vec<Compared>,
    ) {
        for claim in claims {
            let citations = claim
                .sources
                .iter()
                .map(|c| (key_of(c.id()), c.locator().map(str::to_owned)))
                .filter(|(key, locator)| !(Some(key.as_str()) == summary && locator.is_none()))
                .collect();
            let caveats = caveat_texts(&claim.caveats)
                .iter()
                .map(|t| (*t).to_owned())
                .collect();
            out.push((depth, claim.text.clone(), claim.kind, caveats, citations));
            walk(&claim.children, depth + 1, summary, key_of, out);
        }
    }
    let key_of = |id: &str| {
        sources
            .get(id)
            .map_or_else(|| format!("id:{id}"), super::cite::key)
    };
    let summary = note.summary_of.as_deref().map(key_of);
    let mut out = Vec::new();
    for section in &note.sections {
        walk(&section.claims, 1, summary.as_deref(), &key_of, &mut out);
    }
    out
}

#[test]
fn the_markdown_export_of_notes_imports_back_to_the_same_claims() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut notes = Vec::new();
    let mut all_sources = std::collections::HashMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(root.join("notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let note = crate::load_path(&path).document.unwrap().note;
        for source in &note.sources {
            all_sources.insert(source.id.to_string(), source.clone());
        }
        notes.push((path, note));
    }
    let mut checked = 0;
    for (path, original) in &notes {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let markdown =
            std::fs::read_to_string(root.join("export/markdown").join(format!("{stem}.md")))
                .unwrap();
        let back = import(&markdown, &stem, &Options::default()).unwrap();
        assert!(back.report.is_empty(), "{stem}: {:?}", back.report);
        let note = &back.note;
        let own: std::collections::HashMap<String, crate::model::Source> = note
            .sources
            .iter()
            .map(|s| (s.id.to_string(), s.clone()))
            .collect();
        assert_eq!(note.title, original.title, "{stem}");
        let titles = |n: &Note| {
            n.sections
                .iter()
                .map(|s| s.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(note), titles(original), "{stem}");
        assert_eq!(
            caveat_texts(&note.caveats),
            caveat_texts(&original.caveats),
            "{stem}"
        );
        for (a, b) in note.sections.iter().zip(&original.sections) {
            assert_eq!(caveat_texts(&a.caveats), caveat_texts(&b.caveats), "{stem}");
        }
        let key = |n: &Note, s: &std::collections::HashMap<String, crate::model::Source>| {
            n.summary_of
                .as_deref()
                .map(|id| s.get(id).map(super::cite::key))
        };
        assert_eq!(key(note, &own), key(original, &all_sources), "{stem}");
        let got = compared(note, &own);
        let want = compared(original, &all_sources);
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{stem}");
        }
        assert_eq!(got.len(), want.len(), "{stem}");
        checked += want.len();
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn the_export_is_read_exactly() {
    let markdown = concat!(
        "<!-- Generated by `cargo xtask export` from notes/x.yaml. Do not edit. -->\n\n",
        "# A note&#58;\n\nWritten 2022-05 · as of 2022-05\n\n",
        "> [!NOTE]\n> First caveat. *(as of 2022-05)*\n>\n> Second caveat.\n\n## Part\n\n",
        "- **Results**\n  - *Quote:* \u{201c}It works.\u{201d}\n  - Short phrase\n    - under it\n",
        "  - \\~30% of \\*all\\* runs *(as of 2021)*\n    - **Caveat:** small sample\n",
        "- *Forecast, resolves 2030:* It will rain. \u{2014} *Outcome:* it did\n\n",
        "## Other sources\n\nDefined in this note, and cited by no claim in it:\n\n- Someone. *A Book*. Book.\n",
    );
    let got = imported(markdown);
    assert!(got.report.is_empty(), "{:?}", got.report);
    let note = &got.note;
    assert_eq!(note.title, "A note:");
    assert_eq!(
        caveat_texts(&note.caveats),
        ["First caveat.", "Second caveat."]
    );
    use ClaimKind::{Claim as C, Forecast as F, Label as L, Quote as Q};
    let expected: Vec<(usize, String, ClaimKind)> = [
        (1, "Results", L),
        (2, "\u{201c}It works.\u{201d}", Q),
        // No guessing in an export: only bold bullets are labels.
        (2, "Short phrase", C),
        (3, "under it", C),
        (2, "~30% of *all* runs", C),
        (1, "It will rain.", F),
    ]
    .into_iter()
    .map(|(d, t, k)| (d, t.to_owned(), k))
    .collect();
    assert_eq!(claims(note), expected);
    let part = &note.sections[0];
    assert_eq!(note.sections.len(), 1);
    assert_eq!(
        caveat_texts(&part.claims[0].children[2].caveats),
        ["small sample"]
    );
    let forecast = &part.claims[1];
    assert_eq!(
        forecast.resolves.map(|d| d.to_string()).as_deref(),
        Some("2030")
    );
    assert_eq!(forecast.outcome.as_deref(), Some("it did"));
}

#[test]
fn a_heading_that_only_says_paper_takes_the_papers_title() {
    let got = imported(
        "# Paper\n\n* **Title**: Inception with residuals\n* **Link**: http://arxiv.org/abs/1602.07261v1\n\
         * **Tags**: Neural Network, Inception\n\n# Summary\n\n* What\n  * A deeper network.\n",
    );
    assert_eq!(got.note.title, "Inception with residuals");
    assert_eq!(got.note.tags, ["Neural Network", "Inception"]);
    assert_eq!(got.note.summary_of.as_deref(), Some("arxiv-1602-07261"));
}

#[test]
fn headings_below_the_section_level_are_labels() {
    let note = load(concat!(
        "# Paper\n\n## Method\n\nIntro line.\n\n### Encoder\n\n- Six layers.\n\n",
        "### Decoder\n\n- Six more.\n\n#### Detail\n\nMasking keeps it causal.\n\n## Results\n\n- Better.\n",
    ));
    let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Method", "Results"]);
    use ClaimKind::{Claim as C, Label as L};
    let expected: Vec<(usize, String, ClaimKind)> = [
        (1, "Intro line.", C),
        (1, "Encoder", L),
        (2, "Six layers.", C),
        (1, "Decoder", L),
        (2, "Six more.", C),
        (2, "Detail", L),
        (3, "Masking keeps it causal.", C),
        (1, "Better.", C),
    ]
    .into_iter()
    .map(|(d, t, k)| (d, t.to_owned(), k))
    .collect();
    assert_eq!(claims(&note), expected);
}

mod generated {
    //! Generated notes through the Markdown export and back.

    use super::*;
    use crate::model::{Caveat, Citation, LocatedCitation, Source, SourceType};
    use proptest::prelude::*;

    /// Words and marks that Markdown would read as syntax unless the export escapes
    /// them.
    const WORDS: &[&str] = &[
        "loss",
        "scaling",
        "data",
        "model",
        "Résumé",
        "30%",
        "~8",
        "snake_case",
        "*star*",
        "_under_",
        "`tick`",
        "#hash",
        "<tag>",
        "a|b",
        "$5",
        "&amp;",
        ":smile:",
        "1.",
        "-dash",
        "+plus",
        ">quote",
        "back\\slash",
        "x**y",
        "“curly”",
        "(paren)",
        "end.",
        "why?",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(WORDS), 1..6).prop_map(|w| w.join(" "))
    }

    fn caveat(text: String) -> CaveatRef {
        CaveatRef::Inline(Caveat {
            id: None,
            text,
            as_of: None,
            before: None,
            review_by: None,
        })
    }

    fn claim(depth: u32) -> BoxedStrategy<Claim> {
        let children = if depth == 0 {
            Just(Vec::new()).boxed()
        } else {
            proptest::collection::vec(claim(depth - 1), 0..3).boxed()
        };
        (
            text(),
            0..7_usize,
            proptest::option::of(text()),
            proptest::option::of(proptest::option::of(text())),
            children,
        )
            .prop_map(|(text, kind, caveat_text, cite, children)| {
                let mut claim = new_claim(text);
                claim.kind = [
                    ClaimKind::Claim,
                    ClaimKind::Quote,
                    ClaimKind::Opinion,
                    ClaimKind::Question,
                    ClaimKind::Example,
                    ClaimKind::Definition,
                    ClaimKind::Label,
                ][kind];
                // A label groups the claims under it: it has some.
                if claim.kind == ClaimKind::Label && children.is_empty() {
                    claim.kind = ClaimKind::Claim;
                }
                claim.caveats = caveat_text.into_iter().map(caveat).collect();
                claim.sources = cite
                    .map(|locator| {
                        Citation::Located(LocatedCitation {
                            id: "src".to_owned(),
                            locator,
                        })
                    })
                    .into_iter()
                    .collect();
                claim.children = children;
                claim
            })
            .boxed()
    }

    fn note() -> impl Strategy<Value = Note> {
        (
            text(),
            proptest::collection::vec((text(), proptest::collection::vec(claim(2), 1..4)), 1..4),
            proptest::option::of(text()),
            any::<bool>(),
        )
            .prop_map(|(title, sections, note_caveat, summary)| {
                let mut note = imported("# x\n- y\n").note;
                note.title = title;
                note.summary_of = summary.then(|| "src".to_owned());
                note.caveats = note_caveat.into_iter().map(caveat).collect();
                note.sources = vec![Source {
                    id: Id("src".to_owned()),
                    kind: SourceType::Paper,
                    title: "A paper".to_owned(),
                    authors: vec!["A. Author".to_owned()],
                    venue: None,
                    published: None,
                    url: Some("https://example.org/paper".to_owned()),
                    doi: None,
                    arxiv: None,
                    isbn: None,
                    accessed: None,
                    archive_url: None,
                }];
                note.sections = sections
                    .into_iter()
                    .enumerate()
                    .map(|(i, (title, claims))| {
                        // Headings are unique in the export.
                        let mut section =
                            super::super::markdown::new_section(format!("{title} {i}"));
                        section.claims = claims;
                        section
                    })
                    .collect();
                note
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn generated_notes_round_trip_through_the_markdown_export(original in note()) {
            let yaml = emit(&original, &[]);
            let loaded = crate::load_bytes(Path::new("generated.yaml"), yaml.as_bytes());
            prop_assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
            let document = loaded.document.unwrap();
            let export = crate::export::export(&[&document], Path::new(".")).unwrap();
            let markdown = &export
                .files
                .iter()
                .find(|f| f.path == "markdown/generated.md")
                .unwrap()
                .content;
            let back = import(markdown, "generated", &Options::default()).unwrap();
            let own = |n: &Note| -> std::collections::HashMap<String, Source> {
                n.sources.iter().map(|s| (s.id.to_string(), s.clone())).collect()
            };
            let note = &back.note;
            prop_assert_eq!(&note.title, &original.title, "{}", markdown);
            let titles = |n: &Note| n.sections.iter().map(|s| s.title.clone()).collect::<Vec<_>>();
            prop_assert_eq!(titles(note), titles(&original), "{}", markdown);
            prop_assert_eq!(caveat_texts(&note.caveats), caveat_texts(&original.caveats));
            prop_assert_eq!(
                compared(note, &own(note)),
                compared(&original, &own(&original)),
                "{}",
                markdown
            );
        }
    }
}

#[test]
fn a_journal_page_titled_by_its_month_was_written_then() {
    let written = |markdown: &str, stem: &str| {
        import(markdown, stem, &Options::default())
            .expect("imports")
            .note
            .written
            .map(|d| d.to_string())
    };
    assert_eq!(
        written("# 2023 March\n\n- Read two books.\n", "journal"),
        Some("2023-03".to_owned())
    );
    assert_eq!(
        written("# February 2018\n\n- Moved flats.\n", "feb"),
        Some("2018-02".to_owned())
    );
    assert_eq!(
        written("- Read two books.\n", "2018-february"),
        Some("2018-02".to_owned())
    );
    // A year alone names a book or an event as often as a journal.
    assert_eq!(
        written("# 1984\n\n- A novel about surveillance.\n", "1984"),
        None
    );
    assert_eq!(written("# Reading notes\n\n- A claim.\n", "notes"), None);
    // A yearly review: the title and the file name are both the year.
    assert_eq!(
        written("# 2021\n\n- A tough year.\n", "2021"),
        Some("2021".to_owned())
    );
    assert_eq!(written("# 2021\n\n- A tough year.\n", "review"), None);
    // A journal page is history: it never goes stale.
    let journal = import(
        "# 2023 March\n\n- Read two books.\n",
        "j",
        &Options::default(),
    )
    .expect("imports")
    .note;
    assert_eq!(journal.shelf_life, Some(crate::ShelfLife::Never));
}

#[test]
fn a_journal_page_cites_itself_as_a_personal_source() {
    let note = import(
        "# 2023 March

- Read two books.

## Plans

- Learn to sail.
",
        "2023-march",
        &Options::default(),
    )
    .expect("imports")
    .note;
    let source = note.sources.first().expect("a source for the journal");
    assert_eq!(source.id.to_string(), "journal-2023-march");
    assert_eq!(source.kind, crate::model::SourceType::Personal);
    assert_eq!(
        source.published.map(|d| d.to_string()),
        Some("2023-03".to_owned())
    );
    for section in &note.sections {
        assert_eq!(
            section.sources,
            [crate::model::Citation::Id("journal-2023-march".to_owned())],
            "{}",
            section.title
        );
    }
    // A page whose sections are other months is a log by month (a reading list
    // under its latest month), not one month's journal.
    let log = import(
        "#### 2018-02

- A paper.

#### 2018-01

- Another paper.
",
        "readme",
        &Options::default(),
    )
    .expect("imports")
    .note;
    assert_eq!(log.written, None);
    assert!(log.sources.is_empty(), "{:?}", log.sources);
    assert!(log.sections.iter().all(|s| s.sources.is_empty()));
}

#[test]
fn a_child_that_is_only_a_url_is_where_its_parent_comes_from() {
    let got = imported(concat!(
        "# Papers\n\n",
        "- Naps help practice stick.\n",
        "    - Fewer errors on the second day.\n",
        "    - https://arxiv.org/abs/1901.00001\n",
        "- Links:\n",
        "    - <https://example.org/one>\n",
        "- https://example.org/alone\n",
    ));
    let claims = &got.note.sections[0].claims;
    let cited: Vec<&str> = claims[0].sources.iter().map(|c| c.id()).collect();
    assert_eq!(cited, ["arxiv-1901-00001"]);
    // The url is the parent's source, no longer a claim of its own.
    let children: Vec<&str> = claims[0].children.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(children, ["Fewer errors on the second day."]);
    // A lead-in's urls and a url with no parent stay claims.
    assert!(claims[1].sources.is_empty());
    assert_eq!(claims[1].children[0].text, "<https://example.org/one>");
    assert_eq!(claims[2].text, "https://example.org/alone");
}

#[test]
fn a_heading_made_of_links_cites_its_first() {
    assert_eq!(
        cite::leading_link("[A Book](https://b.example/1) - [Review](https://b.example/r)"),
        Some(("A Book".to_owned(), "https://b.example/1".to_owned()))
    );
    assert_eq!(
        cite::leading_link("[Relay](https://relay.dev)"),
        Some(("Relay".to_owned(), "https://relay.dev".to_owned()))
    );
    // One link and what it is, in parentheses, still names the work.
    assert_eq!(
        cite::leading_link("[Pier](https://pier.example) (a build tool)").map(|l| l.1),
        Some("https://pier.example".to_owned())
    );
    assert_eq!(
        cite::leading_link("[Relay](https://relay.dev) in practice"),
        None
    );
    assert_eq!(
        cite::leading_link("Notes on [Relay](https://relay.dev)"),
        None
    );
    let note = load(concat!(
        "---\ntitle: Habits\n---\n\n",
        "# [Habits](https://b.example/1) - [Review](https://b.example/r)\n\n",
        "- Start at the same hour.\n",
    ));
    assert_eq!(note.sections[0].sources[0].id(), "b-example-1");
    // As the title, the first link is the work the note is about.
    let note =
        imported("# [Habits](https://b.example/1) - [Review](https://b.example/r)\n\n- A.\n").note;
    assert_eq!(note.title, "Habits");
    assert_eq!(note.sources[0].url.as_deref(), Some("https://b.example/1"));
    assert_eq!(
        note.summary_of.as_deref(),
        Some(note.sources[0].id.as_str())
    );
}

#[test]
fn a_linked_title_heading_that_owns_nothing_names_the_work() {
    let note = load(concat!(
        "---\ntitle: Rust in practice\n---\n\n",
        "# [Rust in practice](https://b.example/rust)\n\n",
        "# Chapter 1\n\n- Every value has one owner.\n\n",
        "# Chapter 2\n\n- Errors return early.\n",
    ));
    let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Chapter 1", "Chapter 2"]);
    assert_eq!(
        note.sources[0].url.as_deref(),
        Some("https://b.example/rust")
    );
    assert_eq!(
        note.summary_of.as_deref(),
        Some(note.sources[0].id.as_str())
    );
    // With claims of its own, it stays a section that cites its link.
    let note = load(concat!(
        "---\ntitle: Rust in practice\n---\n\n",
        "# [Rust in practice](https://b.example/rust)\n\n- Owners.\n\n",
        "# Chapter 2\n\n- Errors return early.\n",
    ));
    assert_eq!(note.sections.len(), 2);
    assert_eq!(note.summary_of, None);
    assert_eq!(note.sections[0].sources.len(), 1);
}
