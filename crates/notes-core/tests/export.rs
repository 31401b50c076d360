//! The exports, end to end: the bundled notes and the fixtures under
//! `tests/fixtures/export/` are loaded, exported, and the output read back.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use notes_core::export::{Corpus, ExportError, export, export_schema, to_json};
use notes_core::model::{CaveatRef, Claim, Note};
use notes_core::{Document, load_bytes, load_path};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the workspace root")
        .to_path_buf()
}

/// Every note file directly in `dir`, loaded; each must load without a finding.
fn load_dir(dir: &Path) -> Vec<Document> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a notes folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let loaded = load_path(path);
            assert!(
                loaded.findings.is_empty(),
                "{}: {:?}",
                path.display(),
                loaded.findings
            );
            loaded.document.expect("a note")
        })
        .collect()
}

fn bundled() -> Vec<Document> {
    load_dir(&root().join("notes"))
}

fn fixtures() -> Vec<Document> {
    load_dir(&root().join("tests/fixtures/export"))
}

/// The bundled notes and the fixtures as one corpus (the fixtures cite across notes).
fn everything() -> Vec<Document> {
    let mut documents = bundled();
    documents.extend(fixtures());
    documents
}

fn file<'a>(export: &'a notes_core::export::Export, path: &str) -> &'a str {
    &export
        .files
        .iter()
        .find(|file| file.path == path)
        .unwrap_or_else(|| panic!("no {path} in the export"))
        .content
}

fn exported(documents: &[Document]) -> notes_core::export::Export {
    let refs: Vec<&Document> = documents.iter().collect();
    export(&refs, &root()).expect("the notes export")
}

fn corpus_of(documents: &[Document]) -> Corpus {
    let export = exported(documents);
    serde_json::from_str(file(&export, "notes.json")).expect("notes.json reads back")
}

// --- notes.json ---------------------------------------------------------------------

#[test]
fn notes_json_gives_each_note_and_defines_each_source_event_and_caveat_once() {
    for documents in [bundled(), fixtures(), everything()] {
        let export = exported(&documents);
        let text = file(&export, "notes.json");
        let corpus: Corpus = serde_json::from_str(text).expect("notes.json reads back");
        assert_eq!(corpus.notes.len(), documents.len());
        for document in &documents {
            let note = &document.note;
            let exported = corpus
                .notes
                .iter()
                .find(|exported| exported.id == document.id)
                .unwrap_or_else(|| panic!("{} is not exported", document.id));
            assert_eq!(exported.title, note.title);
            assert_eq!(
                (exported.written, exported.reviewed, exported.as_of),
                (note.written, note.reviewed, note.as_of)
            );
            assert_eq!(exported.summary_of, note.summary_of);
            let titles: Vec<&str> = note.sections.iter().map(|s| s.title.as_str()).collect();
            assert_eq!(exported.sections, titles);
            for (i, source) in note.sources.iter().enumerate() {
                let defined = &corpus.sources[source.id.as_str()];
                if defined.defined_in == document.id {
                    assert_eq!(&defined.source, source);
                    assert_eq!(defined.pointer, format!("/sources/{i}"));
                }
            }
            for event in &note.events {
                assert_eq!(&corpus.events[event.id.as_str()].event, event);
            }
        }
        // A definition is written once, however many claims it applies to.
        for definition in corpus.caveats.values() {
            let written = serde_json::to_string(&definition.caveat).unwrap();
            assert_eq!(text.matches(&written).count(), 1, "{written}");
        }
        for definition in corpus.sources.values() {
            let written = serde_json::to_string(&definition.source).unwrap();
            assert_eq!(text.matches(&written).count(), 1, "{written}");
        }
    }
}

#[test]
fn notes_json_has_one_claim_per_line() {
    let documents = everything();
    let export = exported(&documents);
    let text = file(&export, "notes.json");
    let corpus: Corpus = serde_json::from_str(text).unwrap();
    for note in &corpus.notes {
        for claim in &note.claims {
            let line = serde_json::to_string(claim).unwrap();
            let count = text
                .lines()
                .filter(|l| l.trim_end_matches(',') == line)
                .count();
            assert_eq!(count, 1, "{} {}", note.id, claim.position);
        }
    }
}

#[test]
fn committed_notes_json_reads_back_as_the_bundled_notes() {
    let text = std::fs::read_to_string(root().join("export/notes.json"))
        .expect("export/notes.json is committed");
    let corpus: Corpus = serde_json::from_str(&text).expect("it reads back");
    let documents = bundled();
    assert_eq!(corpus.notes.len(), documents.len());
    for document in &documents {
        let exported = corpus
            .notes
            .iter()
            .find(|note| note.id == document.id)
            .unwrap_or_else(|| panic!("{} is not in export/notes.json", document.id));
        assert_eq!(exported.title, document.note.title, "{}", document.id);
        let claims = notes_core::resolve::resolve_claims(&document.note);
        assert_eq!(exported.claims.len(), claims.len());
        for (exported, claim) in exported.claims.iter().zip(&claims) {
            assert_eq!(exported.text, claim.claim.text);
        }
    }
}

#[test]
fn the_typed_corpus_writes_back_byte_for_byte() {
    let export = exported(&everything());
    let text = file(&export, "notes.json");
    let corpus: Corpus = serde_json::from_str(text).unwrap();
    assert_eq!(to_json(&corpus), text);
}

#[test]
fn notes_json_is_valid_against_the_generated_and_the_committed_schema() {
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/export.schema.json"))
            .expect("schema/export.schema.json is committed"),
    )
    .unwrap();
    for schema in [export_schema(), committed] {
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .expect("a valid schema");
        for documents in [bundled(), everything()] {
            let export = exported(&documents);
            let instance: Value = serde_json::from_str(file(&export, "notes.json")).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&instance)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");

            // The schema is strict enough to catch a wrong value.
            let mut broken = instance.clone();
            broken["notes"][0]["claims"][0]["kind"] = Value::from("rumour");
            assert!(!validator.is_valid(&broken));
            let mut broken = instance;
            broken["notes"][0]["claims"][0]["surprise"] = Value::from(1);
            assert!(!validator.is_valid(&broken));
        }
    }
}

#[test]
fn every_claim_has_its_name_file_line_and_resolved_values() {
    let documents = everything();
    let corpus = corpus_of(&documents);
    let mut checked = 0;
    for note in &corpus.notes {
        let document = documents.iter().find(|d| d.id == note.id).unwrap();
        let resolved = notes_core::resolve::resolve_claims(&document.note);
        assert_eq!(note.claims.len(), resolved.len());
        let mut positions = BTreeSet::new();
        assert!(!note.file.starts_with('/') && !note.file.contains('\\'));
        for (claim, resolved) in note.claims.iter().zip(&resolved) {
            assert_eq!(claim.position, resolved.position_name());
            assert_eq!(
                claim.id.as_deref(),
                resolved.claim.id.as_ref().map(|id| id.as_str())
            );
            assert_eq!(claim.text, resolved.claim.text);
            assert!(
                positions.insert(claim.position.clone()),
                "{} twice",
                claim.position
            );
            // The line and column point at the claim itself in its file.
            let line = document
                .file
                .text()
                .lines()
                .nth(claim.line - 1)
                .expect("the line exists");
            let at: String = line.chars().skip(claim.column - 1).collect();
            assert!(
                at.starts_with("text:") || at.starts_with('{'),
                "{}:{}:{} is `{at}`",
                note.file,
                claim.line,
                claim.column
            );
            checked += 1;
        }
    }
    assert!(checked > 140, "only {checked} claims");
}

fn claim<'a>(corpus: &'a Corpus, note: &str, name: &str) -> &'a notes_core::export::ExportedClaim {
    corpus
        .notes
        .iter()
        .find(|n| n.id == note)
        .and_then(|n| {
            n.claims
                .iter()
                .find(|c| c.id.as_deref() == Some(name) || c.position == name)
        })
        .unwrap_or_else(|| panic!("no claim {note}/{name}"))
}

#[test]
fn inherited_values_are_resolved_with_where_they_are_set() {
    let corpus = corpus_of(&everything());

    let named = claim(&corpus, "birds-eye-view", "metrics-drive-progress");
    assert_eq!(named.position, "1.1");
    let sources: Vec<(&str, Option<&str>, Option<&str>)> = named
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.locator.as_deref(), s.set_at.as_deref()))
        .collect();
    assert_eq!(
        sources,
        [
            ("pais-2", None, Some("/summary_of")),
            // The claim's own citation: no `set_at`.
            ("pais-2", Some("Driving dynamics of the ML field"), None)
        ]
    );
    let unnamed = claim(&corpus, "birds-eye-view", "1.1.2");
    assert_eq!(unnamed.position, "1.1.2");
    assert_eq!(unnamed.id, None);

    // A source defined in another note is resolved to it.
    let cross = claim(&corpus, "birds-eye-view", "before-gpt-4-mmlu");
    let report = cross
        .sources
        .iter()
        .find(|s| s.id == "gpt-4-report")
        .unwrap();
    assert_eq!(report.set_at, None, "the claim cites it itself");
    assert_eq!(corpus.sources["gpt-4-report"].defined_in, "timeline");

    let own = claim(&corpus, "edge-cases", "1.1.4");
    assert_eq!(own.text, "Own as-of, different from the section's.");
    let as_of = own.as_of.as_ref().unwrap();
    assert_eq!(as_of.date.to_string(), "2020-07");
    assert_eq!(as_of.basis, notes_core::export::AsOfBasis::Set);
    assert_eq!(as_of.set_at, None, "the claim's own");
    assert_eq!(
        own.reviewed.as_ref().unwrap().date.to_string(),
        "2024-05-06"
    );
    assert_eq!(own.shelf_life.as_ref().unwrap().value.to_string(), "never");
    let caveats: Vec<(&str, &str, Option<&str>)> = own
        .caveats
        .iter()
        .map(|c| {
            let defined = &corpus.caveats[c.id.as_str()];
            (
                c.id.as_str(),
                defined.defined_in.as_str(),
                c.set_at.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        caveats,
        [
            ("fixture-shared-caveat", "edge-cases", Some("/caveats/0")),
            ("edge-cases#/caveats/1", "edge-cases", Some("/caveats/1")),
            (
                "fixture-section-caveat",
                "edge-cases",
                Some("/sections/0/caveats/0")
            ),
            ("fixture-shared-caveat", "edge-cases", None),
            (
                "edge-cases#/sections/0/claims/0/children/3/caveats/1",
                "edge-cases",
                None
            ),
        ]
    );
    let events: Vec<(&str, Option<String>)> = own
        .sensitive_to
        .iter()
        .map(|e| {
            let date = corpus.events.get(&e.id).map(|d| d.event.date.to_string());
            (e.id.as_str(), date)
        })
        .collect();
    assert_eq!(
        events,
        [
            ("fixture-event", Some("2023-06-01".to_owned())),
            ("fixture-event", Some("2023-06-01".to_owned())),
            ("undefined-event", None)
        ]
    );
    let tags: Vec<&str> = own.tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(tags, ["fixture", "export", "section-tag", "claim-tag"]);
    let rules: Vec<&str> = own.allow.iter().map(|a| a.rule.as_str()).collect();
    assert_eq!(rules, ["unused-definition", "stale-claim", "undated-claim"]);

    let child = claim(&corpus, "edge-cases", "1.1.4.1");
    let as_of = child.as_of.as_ref().unwrap();
    assert_eq!(as_of.date.to_string(), "2020-07");
    assert_eq!(
        as_of.set_at.as_deref(),
        Some("/sections/0/claims/0/children/3/as_of")
    );
    assert_eq!(child.position, "1.1.4.1");

    let published = claim(&corpus, "edge-cases", "3.1.1");
    let as_of = published.as_of.as_ref().unwrap();
    assert_eq!(as_of.basis, notes_core::export::AsOfBasis::Published);
    assert_eq!(as_of.source.as_deref(), Some("fixture-book"));
    assert_eq!(as_of.set_at, None);

    let written = claim(&corpus, "no-dates", "1.1");
    let as_of = written.as_of.as_ref().unwrap();
    assert_eq!(as_of.basis, notes_core::export::AsOfBasis::Written);
    assert_eq!(as_of.set_at.as_deref(), Some("/written"));

    let json = claim(&corpus, "json-note", "1.2");
    let undefined = json
        .caveats
        .iter()
        .find(|c| c.id == "undefined-caveat")
        .unwrap();
    assert!(!corpus.caveats.contains_key(&undefined.id));
}

// --- Markdown -----------------------------------------------------------------------

/// What a reader sees of a Markdown file: its text (escapes undone, markup gone), and
/// its footnote references and definitions.
struct Rendered {
    text: String,
    references: Vec<String>,
    definitions: Vec<String>,
    headings: Vec<String>,
}

fn render(markdown: &str) -> Rendered {
    let options = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH;
    let mut rendered = Rendered {
        text: String::new(),
        references: Vec::new(),
        definitions: Vec::new(),
        headings: Vec::new(),
    };
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            // Only plain text counts: markup that swallowed a character shows up as missing text.
            Event::Text(text) => {
                rendered.text.push_str(&text);
                if let Some(heading) = &mut heading {
                    heading.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => rendered.text.push(' '),
            Event::FootnoteReference(label) => rendered.references.push(label.to_string()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                rendered.definitions.push(label.to_string());
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                rendered.headings.extend(heading.take());
                rendered.text.push('\n');
            }
            Event::Start(Tag::Item) | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                rendered.text.push('\n');
            }
            _ => {}
        }
    }
    rendered
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect_claims<'a>(claims: &'a [Claim], out: &mut Vec<&'a Claim>) {
    for claim in claims {
        out.push(claim);
        collect_claims(&claim.children, out);
    }
}

/// Checks that every claim, source and caveat of `document` appears in its Markdown,
/// and returns how many were checked.
fn check_markdown(document: &Document, markdown: &str, all: &[Document]) -> usize {
    let rendered = render(markdown);
    let text = normalise(&rendered.text);
    let mut expected: Vec<String> = Vec::new();
    let note = &document.note;
    let mut claims = Vec::new();
    for section in &note.sections {
        collect_claims(&section.claims, &mut claims);
    }
    expected.extend(claims.iter().map(|claim| claim.text.clone()));
    for source in &note.sources {
        expected.push(source.title.clone());
        expected.extend(source.url.iter().cloned());
        expected.extend(source.arxiv.iter().map(|a| format!("arXiv:{a}")));
        expected.extend(source.doi.iter().map(|d| format!("doi:{d}")));
        expected.extend(source.isbn.iter().cloned());
    }
    let mut caveats: Vec<&CaveatRef> = note.caveats.iter().collect();
    for section in &note.sections {
        caveats.extend(&section.caveats);
    }
    for claim in &claims {
        caveats.extend(&claim.caveats);
    }
    for caveat in caveats {
        expected.push(match caveat {
            CaveatRef::Inline(inline) => inline.text.clone(),
            CaveatRef::Id(id) => all
                .iter()
                .flat_map(|d| defined_caveats(&d.note))
                .find(|(defined, _)| defined == id)
                .map_or_else(|| id.clone(), |(_, text)| text),
        });
    }
    for event in &note.events {
        expected.push(event.title.clone());
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|item| !text.contains(&normalise(item)))
        .collect();
    assert!(
        missing.is_empty(),
        "{}: missing from the Markdown: {missing:#?}",
        document.id
    );

    // Every footnote reference has its definition, and every definition is referenced
    // (GitHub drops the ones that are not).
    let references: BTreeSet<&String> = rendered.references.iter().collect();
    let definitions: BTreeSet<&String> = rendered.definitions.iter().collect();
    assert_eq!(references, definitions, "{}", document.id);
    assert_eq!(
        definitions.len(),
        rendered.definitions.len(),
        "a footnote defined twice"
    );

    // Headings are unique, so their anchors are too.
    let headings: BTreeSet<&String> = rendered.headings.iter().collect();
    assert_eq!(
        headings.len(),
        rendered.headings.len(),
        "{:?}",
        rendered.headings
    );
    expected.len()
}

fn defined_caveats(note: &Note) -> Vec<(String, String)> {
    let mut refs: Vec<&CaveatRef> = note.caveats.iter().collect();
    let mut claims = Vec::new();
    for section in &note.sections {
        refs.extend(&section.caveats);
        collect_claims(&section.claims, &mut claims);
    }
    for claim in claims {
        refs.extend(&claim.caveats);
    }
    refs.into_iter()
        .filter_map(|caveat| match caveat {
            CaveatRef::Inline(inline) => inline
                .id
                .as_ref()
                .map(|id| (id.0.clone(), inline.text.clone())),
            CaveatRef::Id(_) => None,
        })
        .collect()
}

#[test]
fn every_claim_source_and_caveat_appears_in_the_markdown() {
    let documents = everything();
    let export = exported(&documents);
    let mut counted = 0;
    for document in &documents {
        let markdown = file(&export, &format!("markdown/{}.md", document.id));
        counted += check_markdown(document, markdown, &documents);
    }
    // The bundled notes: 136 claims, 8 sources (titles and 8 links), 2 caveats, 2 events;
    // the fixtures: 18 claims, 4 sources (titles and 4 links), 7 caveats, 1 event.
    assert_eq!(counted, 156 + 34, "a note went unchecked");
}

#[test]
fn the_committed_markdown_has_every_claim_source_and_caveat() {
    let documents = bundled();
    for document in &documents {
        let path = root().join(format!("export/markdown/{}.md", document.id));
        let markdown =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(check_markdown(document, &markdown, &documents) > 0);
    }
}

#[test]
fn a_note_renders_with_its_meta_line_callouts_kinds_and_as_of_dates() {
    let export = exported(&everything());
    let markdown = file(&export, "markdown/edge-cases.md");
    for expected in [
        "# Edge cases: \\*markup\\*, \\[links\\] & \\<tags> \\| pipes\n",
        "Written 2024-02 · reviewed 2025-01-15\n",
        "> [!WARNING]\n> Shared caveat: defined here, referenced from the JSON note. *(review by 2026-06)*\n>\n> An inline caveat without an id",
        "## Events\n\nAs of 2023-01 · reviewed 2023-02 · sources: *A Book with (Parentheses) and \\*Stars\\**[^1], ",
        "> [!NOTE]\n> Section caveat with \\`code\\` and \\$math\\$. *(as of 2023)*\n",
        "  - Own as-of, different from the section's. *(as of 2020-07 · reviewed 2024-05-06 · may be overtaken by undefined-event)*\n",
        "    - **Caveat:** Claim-level inline caveat. *(review by 2027)*\n",
        "    - Inherits 2020-07 from its parent.\n",
        "## Kinds&#58;\n",
        "- *Question:* Will the fixture pass?\n",
        "- *Forecast, resolves 2030:* The fixture will pass by 2030.[^",
        " — *Outcome:* It passed \\*early\\*.\n",
        "- *Quote:* “A quote with a locator.”[^",
        "## Events (2)\n",
        "## Events (3)\n\n- 2023-06-01: Something \\| big happened[^",
        "## Other sources\n",
        "Source undefined-source (defined in no note).",
        "p. 12, in: Ada Lovelace, Charles Babbage and Mary Somerville. *A Book with (Parentheses) and \\*Stars\\**. Book, Fixture Press, 2019. ISBN 978-0-00-000000-2.",
        "[doi:10.1000/(weird)\\<doi>](https://doi.org/10.1000/%28weird%29%3Cdoi%3E)",
        "Archived at <https://web.archive.org/web/2021/https://example.org/paper>.",
    ] {
        assert!(
            markdown.contains(expected),
            "edge-cases.md lacks {expected:?}:\n{markdown}"
        );
    }
    // The section gives the as-of date, so its claims do not repeat it.
    assert!(!markdown.contains("block scalar on three lines with \\[a\\](link) inside. *(as of"));
    assert!(markdown.starts_with(
        "<!-- Generated by `cargo xtask export` from tests/fixtures/export/edge-cases.yaml."
    ));

    let json = file(&export, "markdown/json-note.md");
    assert!(
        json.contains("Summary of *Report on 10.1000/(weird) DOIs?*[^1]"),
        "{json}"
    );
    assert!(
        json.contains("> undefined-caveat (a caveat defined in no note)"),
        "{json}"
    );
    assert!(json.contains("- Dated by its note's written date? No: by the summary's published date. *(as of 2021-03-04)*"), "{json}");
}

#[test]
fn the_index_lists_every_note_with_dates_and_claim_counts() {
    let export = exported(&everything());
    let index = file(&export, "markdown/README.md");
    assert!(
        index.contains("5 notes, 154 claims and 12 sources."),
        "{index}"
    );
    assert!(index.contains(
        "| [Summary: A Bird’s Eye View of the ML Field](birds-eye-view.md) | — | — | 2022-05 | 136 |"
    ));
    assert!(index.contains(
        "| [Edge cases: \\*markup\\*, \\[links\\] & \\<tags> \\| pipes](edge-cases.md) | 2024-02 | 2025-01-15 | — | 15 |"
    ));
    let rendered = render(index);
    for document in everything() {
        assert!(
            rendered.text.contains(&document.note.title),
            "{}",
            document.id
        );
    }
    // Sorted by id.
    let order: Vec<usize> = [
        "birds-eye-view",
        "edge-cases",
        "json-note",
        "no-dates",
        "timeline",
    ]
    .iter()
    .map(|id| index.find(&format!("]({id}.md)")).expect("listed"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

// --- Determinism --------------------------------------------------------------------

#[test]
fn exports_are_identical_whatever_the_run_order_or_location() {
    let documents = everything();
    let first = exported(&documents);
    assert_eq!(exported(&documents), first);

    let reversed: Vec<&Document> = documents.iter().rev().collect();
    assert_eq!(export(&reversed, &root()).unwrap(), first);

    // The same files under another root give the same bytes: nothing machine-specific.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut moved = Vec::new();
    for (dir, documents) in [("notes", bundled()), ("tests/fixtures/export", fixtures())] {
        let target = elsewhere.path().join(dir);
        std::fs::create_dir_all(&target).unwrap();
        for document in documents {
            let name = document.file.path().file_name().unwrap();
            std::fs::write(target.join(name), document.file.text()).unwrap();
        }
        moved.extend(load_dir(&target));
    }
    let refs: Vec<&Document> = moved.iter().collect();
    assert_eq!(export(&refs, elsewhere.path()).unwrap(), first);

    let root = root().to_string_lossy().into_owned();
    for file in &first.files {
        assert!(!file.content.contains(&root), "{} has {root}", file.path);
    }
    let paths: Vec<&str> = first.files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
}

// --- Refusals -----------------------------------------------------------------------

#[test]
fn clashing_note_ids_are_refused() {
    let documents = bundled();
    let twice: Vec<&Document> = documents.iter().chain(&documents).collect();
    assert!(matches!(
        export(&twice, &root()),
        Err(ExportError::DuplicateNoteId { .. })
    ));

    let readme = load_bytes(Path::new("notes/readme.yaml"), b"title: Read me\n");
    let readme = readme.document.expect("a valid note");
    let error = export(&[&readme], &root()).unwrap_err();
    assert!(matches!(error, ExportError::ReservedNoteId { .. }));
    assert!(error.to_string().contains("reserved"));

    let bad = load_bytes(Path::new("notes/Bad Name.yaml"), b"title: Bad\n");
    let bad = bad.document.expect("a note, with a finding about its name");
    assert!(matches!(
        export(&[&bad], &root()),
        Err(ExportError::InvalidNoteId { .. })
    ));
}

#[test]
fn an_empty_corpus_exports_an_empty_index() {
    let export = export(&[], &root()).unwrap();
    let paths: Vec<&str> = export.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["markdown/README.md", "notes.json"]);
    assert!(file(&export, "markdown/README.md").contains("There are no notes yet."));
}

// --- The jq examples of docs/format.md ----------------------------------------------

/// Runs the jq `filter` on `input` with jaq (a jq written in Rust, so the test needs no
/// jq installed) and returns its output as `jq -r` prints it.
fn jq_raw(filter: &str, input: &str) -> Result<String, String> {
    use jaq_core::load::{Arena, File, Loader};
    use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
    use jaq_json::Val;

    let input = jaq_json::read::parse_single(input.as_bytes()).map_err(|e| e.to_string())?;
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(
            &arena,
            File {
                code: filter,
                path: (),
            },
        )
        .map_err(|errors| format!("{filter}: does not parse: {errors:?}"))?;
    let compiled = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| format!("{filter}: does not compile: {errors:?}"))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&compiled.lut, Vars::new([]));
    let mut out = String::new();
    for value in compiled.id.run((ctx, input)).map(unwrap_valr) {
        match value.map_err(|e| format!("{filter}: {e}"))? {
            Val::TStr(text) => out.push_str(&String::from_utf8_lossy(&text)),
            other => out.push_str(&other.to_string()),
        }
        out.push('\n');
    }
    Ok(out)
}

/// Each `jq -r '…' export/notes.json` example of the page, with the output shown under it.
fn jq_examples(page: &str) -> Vec<(String, String)> {
    let mut examples = Vec::new();
    let mut blocks = page.split("```").skip(1).step_by(2);
    while let Some(block) = blocks.next() {
        let Some(command) = block.strip_prefix("sh\njq -r '") else {
            continue;
        };
        let filter = command
            .strip_suffix("' export/notes.json\n")
            .expect("a jq example reads export/notes.json");
        let output = blocks
            .next()
            .and_then(|b| b.strip_prefix("text\n"))
            .expect("a ```text block follows each jq example");
        examples.push((filter.to_owned(), output.to_owned()));
    }
    examples
}

#[test]
fn the_jq_examples_of_the_format_page_give_the_claims_they_should() {
    let page = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let json = std::fs::read_to_string(root().join("export/notes.json")).unwrap();
    let examples = jq_examples(&page);
    assert_eq!(examples.len(), 2, "{examples:#?}");
    for (filter, output) in &examples {
        assert_eq!(&jq_raw(filter, &json).unwrap(), output, "{filter}");
    }

    // What the lint's own resolution says those claims are.
    let documents = bundled();
    let mut citing = String::new();
    let mut sensitive = String::new();
    for document in &documents {
        let mut positions = Vec::new();
        for claim in document.claims() {
            if claim
                .sources
                .iter()
                .any(|s| s.value.id == "s2-highly-influential-citations")
            {
                citing.push_str(&format!(
                    "{} {}: {}\n",
                    document.id,
                    claim.position_name(),
                    claim.claim.text
                ));
            }
            if claim.sensitive_to.iter().any(|e| e.value == "gpt-4") {
                positions.push(claim.position_name());
            }
        }
        if !positions.is_empty() {
            sensitive.push_str(&format!("{}: {}\n", document.id, positions.join(" ")));
        }
    }
    assert!(
        examples[0]
            .0
            .contains("\"s2-highly-influential-citations\"")
    );
    assert_eq!(examples[0].1, citing);
    assert!(examples[1].0.contains("\"gpt-4\""));
    assert_eq!(examples[1].1, sensitive);
    assert!(citing.lines().count() > 1 && sensitive.split(' ').count() > 10);

    // A filter that selects nothing prints nothing: the comparison can fail.
    let none = examples[0]
        .0
        .replace("s2-highly-influential-citations", "no-such-source");
    assert_eq!(jq_raw(&none, &json).unwrap(), "");
}
