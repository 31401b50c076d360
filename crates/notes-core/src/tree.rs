//! The spanned document tree: YAML (or JSON) parsed into nodes that know where they are.
//!
//! Every later step reads positions from this tree: schema errors are mapped back to
//! it by their instance path, and lint rules locate model values by the same paths.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::source_file::{SourceFile, Span};

/// A node of the document, with the span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node's text is.
    pub span: Span,
    /// What the node holds.
    pub value: NodeValue,
}

/// The value of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A float that JSON cannot hold (NaN or infinity).
    NonFinite,
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<Entry>),
}

/// One key and value of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key is.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// One step of a path into the tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index, 0-based.
    Index(usize),
}

impl Segment {
    /// A mapping-key segment.
    pub fn key(name: &str) -> Segment {
        Segment::Key(name.to_owned())
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Key(key) => f.write_str(key),
            Segment::Index(index) => write!(f, "{index}"),
        }
    }
}

impl Node {
    /// The node at `path` below this one.
    pub fn get<'a>(&self, path: impl IntoIterator<Item = &'a Segment>) -> Option<&Node> {
        let mut node = self;
        for segment in path {
            node = match (segment, &node.value) {
                (Segment::Key(key), NodeValue::Map(entries)) => {
                    &entries.iter().find(|e| &e.key == key)?.value
                }
                (Segment::Index(index), NodeValue::Seq(items)) => items.get(*index)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The entry for `key`, if this node is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The deepest node on `path` that exists, and how many segments reached it.
    pub fn nearest(&self, path: &[Segment]) -> (&Node, usize) {
        let mut node = self;
        for (depth, segment) in path.iter().enumerate() {
            match node.get(std::iter::once(segment)) {
                Some(next) => node = next,
                None => return (node, depth),
            }
        }
        (node, path.len())
    }

    /// The node as JSON, for schema validation and typed deserialisation.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null | NodeValue::NonFinite => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// A short name for the node's type, for messages: "a string", "a mapping".
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "nothing (null)",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(n) if n.is_f64() => "a decimal number",
            NodeValue::Number(_) => "an integer",
            NodeValue::NonFinite => "a non-finite number",
            NodeValue::String(_) => "a string",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }
}

/// A YAML problem: a message and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
}

/// Parses `file` (YAML, or JSON as the YAML subset it is) into a spanned tree, within
/// budgets that stop hostile input (deep nesting, alias bombs, huge node counts) early.
pub fn parse(file: &SourceFile) -> Result<Node, ParseError> {
    let budget = serde_saphyr::budget! {
        max_depth: MAX_DEPTH,
        max_nodes: 5_000_000,
        max_events: 20_000_000,
        max_aliases: 10_000,
        max_anchors: 10_000,
    };
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 200_000;
    alias_limits.max_replay_stack_depth = 32;
    alias_limits.max_alias_expansions_per_anchor = 10_000;
    let options = serde_saphyr::options! {
        budget: budget,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        alias_limits: alias_limits,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<RawNode>(file.text(), options) {
        Ok(raw) => Ok(raw.into_node(file)),
        Err(error) => Err(ParseError {
            span: error.location().and_then(|l| location_span(file, &l, true)),
            message: clean_message(&error.to_string()),
        }),
    }
}

/// How deeply mappings and lists may nest. Claims nest two levels per generation
/// (`children`, then the claim), so this allows about thirty generations.
pub const MAX_DEPTH: usize = 64;

/// The parser's messages start with "error: line N column M: "; the position is shown
/// separately, so only the message is kept.
fn clean_message(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message);
    let mut rest = first_line.strip_prefix("error: ").unwrap_or(first_line);
    if let Some(after) = rest.strip_prefix("line ")
        && let Some(index) = after.find(": ")
        && after[..index].contains("column")
    {
        rest = &after[index + 2..];
    }
    let rest = rest
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(rest);
    strip_position(rest).trim().to_owned()
}

/// Drops the parser's " at line N, column M": the position is shown with the snippet.
fn strip_position(message: &str) -> String {
    let Some(index) = message.find(" at line ") else {
        return message.to_owned();
    };
    let digits = |c: char| c.is_ascii_digit();
    let tail = message[index + " at line ".len()..].trim_start_matches(digits);
    let tail = tail
        .strip_prefix(", column ")
        .map_or(tail, |t| t.trim_start_matches(digits));
    format!("{}{tail}", &message[..index])
}

fn location_span(file: &SourceFile, location: &Location, point: bool) -> Option<Span> {
    if location.line() == 0 {
        return None;
    }
    let span = location.span();
    let start = match span.byte_offset() {
        Some(start) if start < u64::from(u32::MAX) => usize::try_from(start).ok()?,
        _ => file.offset_of(
            usize::try_from(location.line()).ok()?,
            usize::try_from(location.column()).ok()?,
        ),
    };
    let len = match span.byte_len() {
        Some(len) if len < u64::from(u32::MAX) && !point => usize::try_from(len).ok()?,
        _ if point => 0,
        _ => {
            // Without byte lengths, count characters from the start.
            let chars = usize::try_from(span.len()).ok()?;
            file.text()
                .get(start..)?
                .char_indices()
                .nth(chars)
                .map_or(file.text().len() - start, |(i, _)| i)
        }
    };
    let mut end = (start + len).min(file.text().len());
    // Block scalars' spans run over their trailing line breaks; a label ends at the text.
    while end > start
        && file
            .text()
            .as_bytes()
            .get(end - 1)
            .is_some_and(u8::is_ascii_whitespace)
    {
        end -= 1;
    }
    Some(Span::new(start, end))
}

/// The tree as the parser gives it, before spans are turned into byte ranges.
struct RawNode(Spanned<RawValue>);

enum RawValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    NonFinite,
    String(String),
    Seq(Vec<RawNode>),
    Map(Vec<(Spanned<String>, RawNode)>),
}

impl RawNode {
    fn into_node(self, file: &SourceFile) -> Node {
        let span = location_span(file, &self.0.referenced, false).unwrap_or_default();
        let value = match self.0.value {
            RawValue::Null => NodeValue::Null,
            RawValue::Bool(b) => NodeValue::Bool(b),
            RawValue::Number(n) => NodeValue::Number(n),
            RawValue::NonFinite => NodeValue::NonFinite,
            RawValue::String(s) => NodeValue::String(s),
            RawValue::Seq(items) => {
                NodeValue::Seq(items.into_iter().map(|n| n.into_node(file)).collect())
            }
            RawValue::Map(entries) => NodeValue::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| Entry {
                        key_span: location_span(file, &key.referenced, false).unwrap_or_default(),
                        key: key.value,
                        value: value.into_node(file),
                    })
                    .collect(),
            ),
        };
        Node { span, value }
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Spanned::<RawValue>::deserialize(deserializer).map(RawNode)
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }

    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(deserializer)
    }

    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(serde_json::Number::from_f64(v).map_or(RawValue::NonFinite, RawValue::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawNode>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<RawNode>()?;
            entries.push((key, value));
        }
        Ok(RawValue::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Node, ParseError> {
        parse(&SourceFile::new("t.yaml", text.to_owned()))
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let text = "title: \"Héllo\"\nsections:\n  - title: S\n    claims:\n      - text: >\n          folded\n          text\n";
        let file = SourceFile::new("t.yaml", text.to_owned());
        let tree = parse(&file).unwrap();
        let title = tree.get(&[Segment::Key("title".into())]).unwrap();
        assert_eq!(file.slice(title.span), "\"Héllo\"");
        let path = [
            Segment::Key("sections".into()),
            Segment::Index(0),
            Segment::Key("claims".into()),
            Segment::Index(0),
            Segment::Key("text".into()),
        ];
        let folded = tree.get(&path).unwrap();
        assert!(
            file.slice(folded.span).contains("folded"),
            "{:?}",
            file.slice(folded.span)
        );
        assert!(file.slice(folded.span).ends_with("text"));
        let section = tree.get(&path[..2]).unwrap();
        let entry = section.entry("claims").unwrap();
        assert_eq!(file.slice(entry.key_span), "claims");
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_position() {
        let error = parse_text("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(error.message.contains("duplicate"), "{}", error.message);
        assert_eq!(error.span.map(|s| s.start), Some(10));
    }

    #[test]
    fn integers_and_dates_keep_their_yaml_types() {
        let tree = parse_text("a: 2022\nb: 2022-05\n").unwrap();
        assert_eq!(
            tree.to_json(),
            serde_json::json!({"a": 2022, "b": "2022-05"})
        );
    }
}
