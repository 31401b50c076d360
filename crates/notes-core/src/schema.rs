//! The note schema: generated from the model, and checked against every file at load time.
//!
//! The loader validates with the very schema `cargo xtask schema` writes to
//! `schema/note.schema.json` (a test keeps the committed file identical), so what an
//! editor accepts and what `notes-lint` accepts cannot drift apart.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{ValidationError, Validator};
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::date::{PARTIAL_DATE_FORMAT, PartialDate};
use crate::finding::{Finding, SCHEMA, Severity};
use crate::shelf_life::ShelfLife;
use crate::source_file::{SourceFile, Span};
use crate::suggest::did_you_mean;
use crate::tree::{Node, NodeValue, Segment};

/// The JSON Schema of a note file (Draft 2020-12), generated from [`crate::model::Note`].
pub fn note_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<crate::model::Note>();
    let mut value = schema.to_value();
    strip_null(&mut value);
    value
}

/// A missing field and an explicit `null` are not the same in a note: only the first
/// is allowed. schemars makes every `Option` nullable, so this takes `null` back out.
fn strip_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".to_owned(), only);
                }
            }
            if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
                branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
                if branches.len() == 1 {
                    let only = branches.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            for child in map.values_mut() {
                strip_null(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}

fn validator() -> &'static Result<Validator, String> {
    static VALIDATOR: OnceLock<Result<Validator, String>> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_format(PARTIAL_DATE_FORMAT, |text: &str| {
                text.parse::<PartialDate>().is_ok()
            })
            .build(&note_schema())
            .map_err(|e| e.to_string())
    })
}

fn schema_root() -> &'static Value {
    static SCHEMA_VALUE: OnceLock<Value> = OnceLock::new();
    SCHEMA_VALUE.get_or_init(note_schema)
}

/// A schema problem: its finding, and where in the tree it is.
#[derive(Debug)]
pub struct Located {
    /// The finding to report.
    pub finding: Finding,
    /// The tree path of the value at fault (for an unknown field, of its mapping).
    pub path: Vec<Segment>,
    /// For an unknown field, its key.
    pub unknown_key: Option<String>,
}

/// Checks `instance` (the JSON form of `tree`) against the note schema: every problem
/// of the file as a finding at its place, with its path in the tree, so the loader can
/// drop the node it is in and keep the rest of the file.
pub fn check_located(file: &SourceFile, tree: &Node, instance: &Value) -> Vec<Located> {
    let validator = match validator() {
        Ok(validator) => validator,
        Err(error) => {
            return vec![Located {
                finding: Finding::new(
                    SCHEMA,
                    Severity::Error,
                    file.path(),
                    None,
                    format!("the note schema itself is invalid: {error}"),
                ),
                path: Vec::new(),
                unknown_key: None,
            }];
        }
    };
    let errors: Vec<ValidationError<'static>> = validator
        .iter_errors(instance)
        .map(ValidationError::to_owned)
        .collect();
    let mut problems = Vec::new();
    for error in &errors {
        collect(error, &mut problems);
    }
    let mut seen = BTreeSet::new();
    let mut located = Vec::new();
    for problem in problems {
        let finding = to_finding(file, tree, &problem);
        if seen.insert((finding.span, finding.message.clone())) {
            let unknown_key = match problem.kind {
                ProblemKind::UnknownField(key) => Some(key.to_owned()),
                ProblemKind::Leaf(_) | ProblemKind::NoAlternative => None,
            };
            located.push(Located {
                finding,
                path: problem.path,
                unknown_key,
            });
        }
    }
    located
}

/// One schema error, with `anyOf`/`oneOf` already narrowed to the branch the value meant.
struct Problem<'e> {
    path: Vec<Segment>,
    kind: ProblemKind<'e>,
}

enum ProblemKind<'e> {
    Leaf(&'e ValidationError<'static>),
    /// A key the schema does not allow here.
    UnknownField(&'e str),
    /// No alternative of an `anyOf`/`oneOf` takes a value of this type.
    NoAlternative,
}

fn segments(error: &ValidationError<'_>) -> Vec<Segment> {
    error
        .instance_path()
        .iter()
        .map(|segment| match segment {
            LocationSegment::Property(key) => Segment::key(&key),
            LocationSegment::Index(index) => Segment::Index(index),
        })
        .collect()
}

fn collect<'e>(error: &'e ValidationError<'static>, out: &mut Vec<Problem<'e>>) {
    let path = segments(error);
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // The branches whose errors are not all "wrong type here" are the ones the
            // writer meant; report their errors rather than "matches no alternative".
            let meant: Vec<_> = context
                .iter()
                .filter(|branch| {
                    !branch.iter().all(|e| {
                        matches!(e.kind(), ValidationErrorKind::Type { .. }) && segments(e) == path
                    })
                })
                .collect();
            match meant.first() {
                Some(branch) if meant.len() == 1 || !is_const_choice(&path) => {
                    for e in branch.iter() {
                        collect(e, out);
                    }
                }
                _ => out.push(Problem {
                    path,
                    kind: ProblemKind::NoAlternative,
                }),
            }
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                out.push(Problem {
                    path: path.clone(),
                    kind: ProblemKind::UnknownField(key),
                });
            }
        }
        _ => out.push(Problem {
            path,
            kind: ProblemKind::Leaf(error),
        }),
    }
}

fn is_const_choice(path: &[Segment]) -> bool {
    schema_at(path).is_some_and(|(schema, _)| const_choices(schema).is_some())
}

/// The mapping schema that applies at `path`: for alternatives such as a citation
/// (an id or a mapping), the mapping branch.
fn object_schema_at(path: &[Segment]) -> Option<(&'static Value, Option<&'static str>)> {
    let root = schema_root();
    let (schema, name) = schema_at(path)?;
    if schema.get("type").and_then(Value::as_str) == Some("object") {
        return Some((schema, name));
    }
    let branch = pick_branch(root, schema, "object")?;
    // Name the branch by its own definition when it has one.
    let branch_name = root
        .get("$defs")
        .and_then(Value::as_object)
        .and_then(|defs| defs.iter().find(|(_, def)| std::ptr::eq(*def, branch)))
        .map(|(name, _)| name.as_str());
    Some((branch, branch_name.or(name)))
}

/// The schema that applies at `path`, with the name of the definition it came from.
fn schema_at(path: &[Segment]) -> Option<(&'static Value, Option<&'static str>)> {
    let root = schema_root();
    let (mut schema, mut name) = deref(root, root, None);
    for segment in path {
        let wanted = match segment {
            Segment::Key(_) => "object",
            Segment::Index(_) => "array",
        };
        schema = pick_branch(root, schema, wanted)?;
        schema = match segment {
            Segment::Key(key) => schema.get("properties")?.get(key.as_ref())?,
            Segment::Index(_) => schema.get("items")?,
        };
        (schema, name) = deref(root, schema, None);
    }
    Some((schema, name))
}

fn deref<'s>(
    root: &'s Value,
    mut schema: &'s Value,
    mut name: Option<&'s str>,
) -> (&'s Value, Option<&'s str>) {
    for _ in 0..16 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(def) = reference.strip_prefix("#/$defs/") else {
            break;
        };
        match root.get("$defs").and_then(|defs| defs.get(def)) {
            Some(target) => {
                schema = target;
                name = Some(def);
            }
            None => break,
        }
    }
    (schema, name)
}

fn pick_branch<'s>(root: &'s Value, schema: &'s Value, wanted: &str) -> Option<&'s Value> {
    let (schema, _) = deref(root, schema, None);
    if schema.get("type").and_then(Value::as_str) == Some(wanted) {
        return Some(schema);
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
            for branch in branches {
                let (branch, _) = deref(root, branch, None);
                if branch.get("type").and_then(Value::as_str) == Some(wanted) {
                    return Some(branch);
                }
            }
        }
    }
    None
}

/// The allowed values of an enumeration, written as `enum` or as `oneOf` of `const`s.
fn const_choices(schema: &Value) -> Option<Vec<&str>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.iter().map(Value::as_str).collect();
    }
    let branches = schema.get("oneOf").and_then(Value::as_array)?;
    branches
        .iter()
        .map(|b| b.get("const").and_then(Value::as_str))
        .collect()
}

fn what(name: Option<&str>) -> &'static str {
    match name {
        Some("Note") | None => "a note",
        Some("Source") => "a source",
        Some("Event") => "an event",
        Some("Caveat") => "a caveat",
        Some("LocatedCitation") => "a citation",
        Some("Allow") => "an allow entry",
        Some("Section") => "a section",
        Some("Claim") => "a claim",
        Some(_) => "this mapping",
    }
}

fn to_finding(file: &SourceFile, tree: &Node, problem: &Problem<'_>) -> Finding {
    let (node, _) = tree.nearest(&problem.path);
    let field = match problem.path.last() {
        Some(Segment::Key(key)) => format!("`{key}`"),
        Some(Segment::Index(_)) | None => "this value".to_owned(),
    };
    let schema = schema_at(&problem.path);
    let def_name = schema.and_then(|(_, name)| name);
    let finding = |span: Span, message: String| {
        Finding::new(SCHEMA, Severity::Error, file.path(), Some(span), message)
    };
    let value_text = || match &node.value {
        NodeValue::String(s) => s.clone(),
        _ => file.slice(node.span).to_owned(),
    };

    let error = match problem.kind {
        ProblemKind::Leaf(error) => error,
        ProblemKind::UnknownField(key) => {
            let object = object_schema_at(&problem.path);
            let allowed: Vec<&str> = object
                .and_then(|(s, _)| s.get("properties"))
                .and_then(Value::as_object)
                .map(|props| props.keys().map(String::as_str).collect())
                .unwrap_or_default();
            return unknown_field(file, node, key, object.and_then(|(_, n)| n), &allowed);
        }
        ProblemKind::NoAlternative => {
            // No alternative accepts this type of value.
            if let Some((schema, _)) = schema
                && let Some(choices) = const_choices(schema)
            {
                return enum_finding(file, node, &field, &choices);
            }
            let expected = match def_name {
                Some("PartialDate") => "a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                Some("CaveatRef") => "a caveat id or a caveat mapping with `text`",
                Some("Citation") => "a source id or a mapping with `id` and `locator`",
                _ => "another type of value",
            };
            return finding(
                node.span,
                format!("{field} must be {expected}, not {}", node.type_name()),
            )
            .with_label(format!("found {}", node.type_name()));
        }
    };

    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or("?");
            let def_name = object_schema_at(&problem.path).and_then(|(_, n)| n);
            let span = match &node.value {
                NodeValue::Map(entries) => entries.first().map_or(node.span, |e| e.key_span),
                _ => node.span,
            };
            finding(
                span,
                format!("{} is missing required field `{name}`", what(def_name)),
            )
            .with_label(format!("`{name}` is missing here"))
            .with_help(format!("add `{name}:`"))
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match def_name {
                Some("PartialDate") => "a date (YYYY, YYYY-MM or YYYY-MM-DD)".to_owned(),
                _ => type_words(&format!("{kind:?}")),
            };
            if matches!(node.value, NodeValue::Null) {
                finding(
                    node.span,
                    format!("{field} has no value; expected {expected}"),
                )
                .with_label("empty value")
            } else {
                finding(
                    node.span,
                    format!("{field} must be {expected}, not {}", node.type_name()),
                )
                .with_label(format!("found {}", node.type_name()))
            }
        }
        ValidationErrorKind::Pattern { .. } | ValidationErrorKind::Format { .. } => {
            let text = value_text();
            let (message, help) = match def_name {
                Some("PartialDate") => (
                    text.parse::<PartialDate>().err().map_or_else(
                        || format!("`{text}` is not a valid date"),
                        |e| e.to_string(),
                    ),
                    "write the date as YYYY, YYYY-MM or YYYY-MM-DD, such as 2022-05",
                ),
                Some("ShelfLife") => (
                    text.parse::<ShelfLife>().err().map_or_else(
                        || format!("`{text}` is not a shelf life"),
                        |e| e.to_string(),
                    ),
                    "write a number and a unit (90d, 6w, 6mo, 2y), or `never`",
                ),
                Some("Id") => (
                    format!("`{text}` is not a valid id"),
                    "ids use lowercase letters, digits and dashes, and start with a letter or digit",
                ),
                _ => (format!("{field} is not valid: {error}"), ""),
            };
            let found = finding(node.span, message).with_label("not valid here");
            if help.is_empty() {
                found
            } else {
                found.with_help(help)
            }
        }
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. } => {
            let choices = schema
                .and_then(|(s, _)| const_choices(s))
                .unwrap_or_default();
            enum_finding(file, node, &field, &choices)
        }
        _ => finding(node.span, format!("{field}: {error}")),
    }
}

fn type_words(kind: &str) -> String {
    let kind = kind.to_lowercase();
    let word = |k: &str| match k {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "nothing",
        _ => "another type",
    };
    for k in [
        "object", "array", "string", "integer", "number", "boolean", "null",
    ] {
        if kind.contains(k) {
            return word(k).to_owned();
        }
    }
    kind
}

fn enum_finding(file: &SourceFile, node: &Node, field: &str, choices: &[&str]) -> Finding {
    let NodeValue::String(text) = &node.value else {
        return Finding::new(
            SCHEMA,
            Severity::Error,
            file.path(),
            Some(node.span),
            format!(
                "{field} must be one of the allowed values, not {}",
                node.type_name()
            ),
        )
        .with_label(format!("found {}", node.type_name()))
        .with_help(format!("allowed values: {}", choices.join(", ")));
    };
    let mut found = Finding::new(
        SCHEMA,
        Severity::Error,
        file.path(),
        Some(node.span),
        format!("`{text}` is not a valid value for {field}"),
    )
    .with_label("not one of the allowed values");
    let list = choices.join(", ");
    found = match did_you_mean(text, choices.iter().copied()) {
        Some(best) => found.with_help(format!("did you mean `{best}`? allowed values: {list}")),
        None => found.with_help(format!("allowed values: {list}")),
    };
    found
}

fn unknown_field(
    file: &SourceFile,
    node: &Node,
    key: &str,
    def_name: Option<&str>,
    allowed: &[&str],
) -> Finding {
    let span = node.entry(key).map_or(node.span, |e| e.key_span);
    let found = Finding::new(
        SCHEMA,
        Severity::Error,
        file.path(),
        Some(span),
        format!("unknown field `{key}` in {}", what(def_name)),
    )
    .with_label("unknown field");
    if let Some(best) = crate::suggest::unique_match(key, allowed.iter().copied()) {
        // Keep the key's quoting style: `"sorces":` becomes `"sources":`.
        let written = file.slice(span);
        let quote = written.chars().next().filter(|c| *c == '"' || *c == '\'');
        let replacement = match quote {
            Some(q) => format!("{q}{best}{q}"),
            None => best.to_owned(),
        };
        return found
            .with_help(format!("did you mean `{best}`?"))
            .with_fix(crate::finding::Fix {
                message: format!("rename `{key}` to `{best}`"),
                edits: vec![crate::finding::Edit { span, replacement }],
            });
    }
    match did_you_mean(key, allowed.iter().copied()) {
        Some(best) => found.with_help(format!("did you mean `{best}`?")),
        None => found.with_help(format!("known fields: {}", allowed.join(", "))),
    }
}
