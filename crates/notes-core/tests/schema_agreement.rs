//! The loader's fast path and the committed schema agree: every generated or mutated
//! note that one accepts, the other accepts, and every note one refuses, the other
//! refuses. The fast path reads the typed model straight from the tree; the schema is
//! `schema/note.schema.json` as committed, checked by the `jsonschema` crate.

use std::path::Path;

use notes_core::PartialDate;
use notes_core::model::Note;
use notes_core::source_file::SourceFile;
use proptest::prelude::*;
use serde_json::{Value, json};

fn committed_schema() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::LazyLock<jsonschema::Validator> =
        std::sync::LazyLock::new(compile_committed_schema);
    &VALIDATOR
}

fn compile_committed_schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/note.schema.json");
    let text = std::fs::read_to_string(&path).expect("schema/note.schema.json exists");
    let schema: Value = serde_json::from_str(&text).expect("the committed schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("partial-date", |text: &str| {
            text.parse::<PartialDate>().is_ok()
        })
        .build(&schema)
        .expect("the committed schema compiles")
}

/// Values of every type, valid and invalid for the fields they may land in.
fn scalars() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(1),
        json!(-5),
        json!(2022),
        json!(10000),
        json!(2022.0),
        json!(2.5),
        json!(""),
        json!("x"),
        json!("2022"),
        json!("2022-05"),
        json!("2022-05-09"),
        json!("2024-02-29"),
        json!("2023-02-29"),
        json!("2022-13"),
        json!("May 2022"),
        json!("22-05"),
        json!("6mo"),
        json!("0y"),
        json!("never"),
        json!("12345d"),
        json!("claim"),
        json!("quote"),
        json!("claimm"),
        json!("paper"),
        json!("pais-2"),
        json!("Bad_Id"),
        json!("-lead"),
        json!([]),
        json!(["pais-2"]),
        json!([{"id": "pais-2", "locator": "p. 3"}]),
        json!([{"id": "pais-2", "page": 3}]),
        json!([["pais-2", "p. 3"]]),
        json!([["a caveat"]]),
        json!([{"title": "S", "claims": [["text"]]}]),
        json!([{"text": "a caveat", "before": "gpt-4"}]),
        json!([{"rule": "stale-claim", "reason": "r"}]),
        json!([{"rule": "stale-claim"}]),
        json!({}),
        json!({"text": "t"}),
        json!({"id": "pais-2"}),
    ]
}

const KEYS: [&str; 24] = [
    "title",
    "id",
    "text",
    "kind",
    "as_of",
    "reviewed",
    "written",
    "shelf_life",
    "sources",
    "caveats",
    "events",
    "sections",
    "claims",
    "children",
    "allow",
    "tags",
    "sensitive_to",
    "summary_of",
    "type",
    "date",
    "locator",
    "resolves",
    "sorces",
    "$schema",
];

fn base_note() -> Value {
    json!({
        "title": "A note",
        "id": "a-note",
        "written": "2023-06",
        "summary_of": "pais-2",
        "as_of": 2022,
        "shelf_life": "3y",
        "sensitive_to": ["gpt-4"],
        "tags": ["ml"],
        "sources": [{"id": "pais-2", "type": "article", "title": "T", "published": "2022-05", "url": "https://example.org"}],
        "events": [{"id": "gpt-4", "date": "2023-03-14", "title": "GPT-4", "sources": ["pais-2"]}],
        "caveats": [{"id": "old", "text": "Old.", "as_of": "2022-05", "before": "gpt-4", "review_by": "2027-01"}, "old"],
        "allow": [{"rule": "stale-claim", "reason": "history", "until": "2028"}],
        "sections": [{
            "title": "S",
            "reviewed": "2026-01-10",
            "sources": ["pais-2"],
            "claims": [
                {"text": "A claim.", "id": "a", "kind": "forecast", "resolves": 2030, "outcome": "o",
                 "sources": ["pais-2", {"id": "pais-2", "locator": "p. 1"}],
                 "caveats": [{"text": "inline"}],
                 "children": [{"text": "A child.", "shelf_life": "6mo"}]},
                {"text": "Another."}
            ]
        }]
    })
}

/// One change to a note: walk down by `steps`, then set, add or remove there.
#[derive(Clone, Debug)]
struct Mutation {
    steps: Vec<usize>,
    op: u8,
    key: usize,
    value: usize,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        proptest::collection::vec(0..8_usize, 0..6),
        0..3_u8,
        0..KEYS.len(),
        0..scalars().len(),
    )
        .prop_map(|(steps, op, key, value)| Mutation {
            steps,
            op,
            key,
            value,
        })
}

fn apply(note: &mut Value, mutation: &Mutation) {
    // Find the place first, then change it.
    let mut pointer = String::new();
    let mut node: &Value = note;
    for &step in &mutation.steps {
        let next = match node {
            Value::Object(map) if !map.is_empty() => map
                .iter()
                .nth(step % map.len())
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)),
            Value::Array(items) if !items.is_empty() => {
                let i = step % items.len();
                Some((i.to_string(), &items[i]))
            }
            _ => None,
        };
        match next {
            Some((segment, next)) => {
                pointer.push('/');
                pointer.push_str(&segment);
                node = next;
            }
            None => break,
        }
    }
    let Some(node) = note.pointer_mut(&pointer) else {
        return;
    };
    let value = scalars()[mutation.value].clone();
    match (node, mutation.op) {
        (Value::Object(map), 0) => {
            map.insert(KEYS[mutation.key].to_owned(), value);
        }
        (Value::Object(map), 1) => {
            map.remove(KEYS[mutation.key]);
        }
        (Value::Array(items), 1) if !items.is_empty() => {
            items.remove(mutation.key % items.len());
        }
        (Value::Array(items), _) => items.push(value),
        (node, _) => *node = value,
    }
}

fn agree(note: &Value, validator: &jsonschema::Validator) -> Result<(), TestCaseError> {
    // JSON is YAML: the text goes through the loader's own parser.
    let text = serde_json::to_string_pretty(note).expect("serialisable");
    let file = SourceFile::new("note.json", text.clone());
    let tree = notes_core::tree::parse(&file).expect("JSON parses as YAML");
    let fast = notes_core::typed::from_node::<Note>(&tree);
    let schema = validator.is_valid(&tree.to_json());
    prop_assert_eq!(
        fast.is_ok(),
        schema,
        "fast path: {:?}, schema valid: {}\n{}",
        fast.err().map(|e| e.to_string()),
        schema,
        text
    );
    Ok(())
}

#[test]
fn the_base_note_is_valid_both_ways() {
    let validator = committed_schema();
    let note = base_note();
    assert!(validator.is_valid(&note));
    agree(&note, validator).expect("agreement");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_path_accepts_exactly_what_the_schema_accepts(
        mutations in proptest::collection::vec(mutation(), 1..4)
    ) {
        let validator = committed_schema();
        let mut note = base_note();
        for m in &mutations {
            apply(&mut note, m);
        }
        agree(&note, validator)?;
    }
}
