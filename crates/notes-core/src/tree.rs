//! The spanned document tree: YAML (or JSON) parsed into nodes that know where they are.
//!
//! Every later step reads positions from this tree: schema errors are mapped back to
//! it by their instance path, and lint rules locate model values by the same paths.

use std::borrow::Cow;
use std::fmt;

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
    pub key: Key,
    /// Where the key is.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// A mapping key. The note format's field names are shared statics, so the keys of a
/// large note and the paths into it allocate nothing; other keys own their text.
pub type Key = Cow<'static, str>;

/// Every field name of the note format, sorted.
const FIELDS: [&str; 38] = [
    "$schema",
    "accessed",
    "allow",
    "archive_url",
    "arxiv",
    "as_of",
    "authors",
    "before",
    "caveats",
    "children",
    "claims",
    "date",
    "doi",
    "events",
    "id",
    "isbn",
    "kind",
    "locator",
    "outcome",
    "published",
    "reason",
    "resolves",
    "review_by",
    "reviewed",
    "rule",
    "sections",
    "sensitive_to",
    "shelf_life",
    "sources",
    "summary_of",
    "tags",
    "text",
    "title",
    "type",
    "until",
    "url",
    "venue",
    "written",
];

/// The index of `name` among the format's field names.
pub(crate) fn field_index(name: &str) -> Option<u32> {
    FIELDS
        .binary_search(&name)
        .ok()
        .and_then(|i| u32::try_from(i).ok())
}

/// The field name at `index`.
pub(crate) fn field_name(index: u32) -> Option<&'static str> {
    FIELDS.get(index as usize).copied()
}

/// `name` as a key: shared when it is a field name of the format.
pub fn intern(name: &str) -> Key {
    match FIELDS.binary_search(&name) {
        Ok(i) => Cow::Borrowed(FIELDS[i]),
        Err(_) => Cow::Owned(name.to_owned()),
    }
}

/// One step of a path into the tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A mapping key.
    Key(Key),
    /// A sequence index, 0-based.
    Index(usize),
}

impl Segment {
    /// A mapping-key segment.
    pub fn key(name: &str) -> Segment {
        Segment::Key(intern(name))
    }
}

/// Keys sort by their text, indexes by number, and a key before an index, so the
/// paths of a note's claims sort in document order (a parent before its children).
impl Ord for Segment {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (self, other) {
            (Segment::Key(a), Segment::Key(b)) => a.cmp(b),
            (Segment::Index(a), Segment::Index(b)) => a.cmp(b),
            (Segment::Key(_), Segment::Index(_)) => Ordering::Less,
            (Segment::Index(_), Segment::Key(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Segment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
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

    /// The node at `path` below this one, to change it.
    pub fn get_mut<'a>(
        &mut self,
        path: impl IntoIterator<Item = &'a Segment>,
    ) -> Option<&mut Node> {
        let mut node = self;
        for segment in path {
            node = match (segment, &mut node.value) {
                (Segment::Key(key), NodeValue::Map(entries)) => {
                    &mut entries.iter_mut().find(|e| &e.key == key)?.value
                }
                (Segment::Index(index), NodeValue::Seq(items)) => items.get_mut(*index)?,
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
                    .map(|e| (e.key.to_string(), e.value.to_json()))
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
///
/// The tree is built straight from the parser's events: one pass, no intermediate
/// values. Scalars are typed by the YAML 1.2 core schema, so `yes`, `no` and `on` stay
/// strings and only `true`/`false` are booleans.
pub fn parse(file: &SourceFile) -> Result<Node, ParseError> {
    Builder::new(file.text()).run()
}

/// How deeply mappings and lists may nest. Claims nest two levels per generation
/// (`children`, then the claim), so this allows about thirty generations.
pub const MAX_DEPTH: usize = 64;
/// How many nodes one file may hold, aliases expanded.
pub const MAX_NODES: usize = 5_000_000;
/// How many nodes aliases may copy in one file, in all.
pub const MAX_REPLAYED: usize = 200_000;
/// Mappings with more keys than this check for duplicate keys with a hash set.
const LINEAR_KEYS: usize = 16;

/// A collection being read.
struct Frame {
    start: usize,
    /// Where the last child ends, so a block collection ends at its text rather than
    /// at the next token after its trailing comments.
    last_end: usize,
    flow: bool,
    anchor: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<(Key, Span)>,
        keys: Option<std::collections::HashSet<Key>>,
    },
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    anchors: std::collections::HashMap<usize, Node>,
    nodes: usize,
    replayed: usize,
    documents: usize,
    root: Option<Node>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            stack: Vec::new(),
            anchors: std::collections::HashMap::new(),
            nodes: 0,
            replayed: 0,
            documents: 0,
            root: None,
        }
    }

    fn offset(&self, marker: &granit_parser::Marker) -> usize {
        let offset = marker.byte_offset().unwrap_or_else(|| {
            self.text
                .char_indices()
                .nth(marker.index())
                .map_or(self.text.len(), |(i, _)| i)
        });
        offset.min(self.text.len())
    }

    /// The byte range of `span`, its end moved back over trailing whitespace (block
    /// scalars' spans run over their line breaks; a label ends at the text).
    fn span(&self, span: &granit_parser::Span) -> Span {
        let start = self.offset(&span.start);
        let end = self.offset(&span.end).max(start);
        Span::new(start, self.trim_end(start, end))
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        let bytes = self.text.as_bytes();
        while end > start && bytes.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
            end -= 1;
        }
        end
    }

    fn error(&self, message: impl Into<String>, at: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span: Some(at),
        }
    }

    fn run(mut self) -> Result<Node, ParseError> {
        use granit_parser::Event;
        let mut parser = granit_parser::Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, raw_span) = next.map_err(|error| {
                let at = self.offset(error.marker());
                ParseError {
                    message: scan_message(&error),
                    span: Some(Span::point(at)),
                }
            })?;
            let span = self.span(&raw_span);
            match event {
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(self.error(
                            "a note file holds one YAML document, and this starts a second one",
                            span,
                        ));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let value = scalar(value, style, tag.as_deref());
                    self.finish(Node { span, value }, anchor)?;
                }
                Event::SequenceStart(style, anchor, _) => {
                    self.open(span, style, anchor, FrameKind::Seq(Vec::new()))?;
                }
                Event::MappingStart(style, anchor, _) => {
                    let kind = FrameKind::Map {
                        entries: Vec::new(),
                        key: None,
                        keys: None,
                    };
                    self.open(span, style, anchor, kind)?;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        return Err(self.error("unbalanced end of a collection", span));
                    };
                    let end = if frame.flow {
                        span.end.max(frame.last_end)
                    } else {
                        frame.last_end.max(frame.start)
                    };
                    let value = match frame.kind {
                        FrameKind::Seq(items) => NodeValue::Seq(items),
                        FrameKind::Map { entries, .. } => NodeValue::Map(entries),
                    };
                    let node = Node {
                        span: Span::new(frame.start, end),
                        value,
                    };
                    self.finish(node, frame.anchor)?;
                }
                Event::Alias(id) => {
                    let Some(target) = self.anchors.get(&id) else {
                        return Err(
                            self.error("this alias names no anchor defined before it", span)
                        );
                    };
                    let count = target.count();
                    self.replayed += count;
                    if self.replayed > MAX_REPLAYED {
                        return Err(self.error(
                            format!(
                                "aliases expand to more than {MAX_REPLAYED} nodes: \
                                 alias expansion is limited to stop alias bombs"
                            ),
                            span,
                        ));
                    }
                    // The copy keeps the anchored value's spans: findings point at it.
                    let node = target.clone();
                    self.nodes += count - 1;
                    self.finish(node, 0)?;
                }
                Event::UnresolvedAlias(name) => {
                    return Err(self.error(
                        format!("the alias `*{name}` names no anchor defined before it"),
                        span,
                    ));
                }
                _ => {}
            }
        }
        Ok(self.root.unwrap_or(Node {
            span: Span::point(0),
            value: NodeValue::Null,
        }))
    }

    fn open(
        &mut self,
        span: Span,
        style: granit_parser::StructureStyle,
        anchor: usize,
        kind: FrameKind,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                format!("recursion limit exceeded: lists and mappings nest deeper than {MAX_DEPTH} levels"),
                Span::point(span.start),
            ));
        }
        self.stack.push(Frame {
            start: span.start,
            last_end: span.start,
            flow: style == granit_parser::StructureStyle::Flow,
            anchor,
            kind,
        });
        Ok(())
    }

    /// Adds a complete node to the collection being read, or makes it the root.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), ParseError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.error(
                format!("the file holds more than {MAX_NODES} values"),
                Span::point(node.span.start),
            ));
        }
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.last_end = frame.last_end.max(node.span.end);
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map { entries, key, keys } => match key.take() {
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
                None => {
                    let text: Key = match node.value {
                        NodeValue::String(text) => intern(&text),
                        NodeValue::Seq(_) | NodeValue::Map(_) => {
                            let span = node.span;
                            return Err(self.error(
                                "a mapping key must be a plain value, not a list or a mapping",
                                span,
                            ));
                        }
                        _ => intern(&self.text[node.span.start..node.span.end]),
                    };
                    let duplicate = if entries.len() < LINEAR_KEYS {
                        entries.iter().any(|e| e.key == text)
                    } else {
                        let set = keys
                            .get_or_insert_with(|| entries.iter().map(|e| e.key.clone()).collect());
                        !set.insert(text.clone())
                    };
                    if duplicate {
                        let span = node.span;
                        return Err(self.error(format!("duplicate mapping key: {text}"), span));
                    }
                    *key = Some((text, node.span));
                }
            },
        }
        Ok(())
    }
}

impl Node {
    /// How many nodes this one holds, itself included.
    pub(crate) fn count(&self) -> usize {
        match &self.value {
            NodeValue::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            NodeValue::Map(entries) => 1 + entries.iter().map(|e| e.value.count()).sum::<usize>(),
            _ => 1,
        }
    }
}

/// The parser's description of a syntax error, without its position (the position is
/// shown with the snippet).
fn scan_message(error: &granit_parser::ScanError) -> String {
    let info = error.info();
    let first = info.lines().next().unwrap_or("the file is not valid YAML");
    first.trim().to_owned()
}

/// A scalar typed by the YAML 1.2 core schema: quoted and block scalars are strings; a
/// plain one is null, a boolean, an integer or a float when it is written as one.
fn scalar(
    value: std::borrow::Cow<'_, str>,
    style: granit_parser::ScalarStyle,
    tag: Option<&granit_parser::Tag>,
) -> NodeValue {
    if let Some(tag) = tag {
        match tag.core_suffix() {
            Some("str") => return NodeValue::String(value.into_owned()),
            Some("null") => return NodeValue::Null,
            Some(_) => {}
            // `!` and custom tags: a quoted scalar stays a string, a plain one is typed.
            None if tag.suffix().is_empty() => return NodeValue::String(value.into_owned()),
            None => {}
        }
    }
    if style != granit_parser::ScalarStyle::Plain {
        return NodeValue::String(value.into_owned());
    }
    plain(&value).unwrap_or_else(|| NodeValue::String(value.into_owned()))
}

/// The typed value of a plain scalar, or `None` for a string.
fn plain(text: &str) -> Option<NodeValue> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(NodeValue::Null),
        "true" | "True" | "TRUE" => return Some(NodeValue::Bool(true)),
        "false" | "False" | "FALSE" => return Some(NodeValue::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Some(NodeValue::NonFinite),
        _ => {}
    }
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = text.strip_prefix("0x") {
        return digits(hex, 16)
            .then(|| u64::from_str_radix(hex, 16).ok())
            .flatten()
            .map(|n| NodeValue::Number(n.into()));
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return digits(octal, 8)
            .then(|| u64::from_str_radix(octal, 8).ok())
            .flatten()
            .map(|n| NodeValue::Number(n.into()));
    }
    if digits(unsigned, 10) {
        let number = if text.starts_with('-') {
            text.parse::<i64>().ok().map(serde_json::Number::from)
        } else {
            unsigned.parse::<u64>().ok().map(serde_json::Number::from)
        };
        if let Some(number) = number {
            return Some(NodeValue::Number(number));
        }
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (whole.is_empty() && digits(fraction, 10))
                || (digits(whole, 10) && (fraction.is_empty() || digits(fraction, 10)))
        }
        None => digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    Some(serde_json::Number::from_f64(value).map_or(NodeValue::NonFinite, NodeValue::Number))
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
    fn every_field_name_of_the_schema_is_interned() {
        assert!(
            FIELDS.windows(2).all(|w| w[0] < w[1]),
            "FIELDS must stay sorted"
        );
        fn names(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                        out.extend(props.keys().cloned());
                    }
                    map.values().for_each(|v| names(v, out));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| names(v, out)),
                _ => {}
            }
        }
        let mut fields = Vec::new();
        names(&crate::schema::note_schema(), &mut fields);
        assert!(!fields.is_empty());
        for field in fields {
            assert!(
                matches!(intern(&field), Cow::Borrowed(_)),
                "{field} is not interned"
            );
        }
        assert!(matches!(intern("sorces"), Cow::Owned(_)));
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
