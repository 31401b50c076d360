//! The fast path from the spanned tree to the typed model: serde reads the tree by
//! value, with no JSON value in between, taking it apart as it goes (its strings move
//! into the model), so the tree and the model are never both whole.
//!
//! It accepts exactly what the note schema accepts: an explicit `null` is refused
//! wherever an optional field would take it (the schema has no nullable field), and the
//! model's own types check what the schema's patterns and formats check (ids, partial
//! dates, shelf lives). A property test holds the two to that. When this path refuses a
//! file, the loader asks the schema validator for every problem with its place.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use crate::tree::{Entry, Node, NodeValue};

/// Why the tree does not fit the model (only the first reason: the schema check gives
/// every problem with its place).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// Reads a `T` from a copy of `node`, leaving the tree as it is (for the slow path, which
/// prunes the tree and tries again).
pub fn from_node<T: de::DeserializeOwned>(node: &Node) -> Result<T, Error> {
    from_tree(node.clone())
}

/// Reads a `T` from `node`, moving its strings into the `T` rather than copying them:
/// the tree is used up as the value is built, so the two are never both whole.
pub fn from_tree<T: de::DeserializeOwned>(node: Node) -> Result<T, Error> {
    T::deserialize(node)
}

/// The largest integer a float holds exactly; a whole float below it reads as an integer,
/// as JSON Schema counts `2022.0` an integer.
const EXACT: f64 = 9_007_199_254_740_992.0;

fn visit_number<'de, V: Visitor<'de>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, Error> {
    if let Some(v) = n.as_u64() {
        visitor.visit_u64(v)
    } else if let Some(v) = n.as_i64() {
        visitor.visit_i64(v)
    } else {
        let v = n.as_f64().unwrap_or(f64::NAN);
        #[allow(clippy::cast_possible_truncation)]
        if v.fract() == 0.0 && v.abs() < EXACT {
            if v >= 0.0 {
                visitor.visit_u64(v as u64)
            } else {
                visitor.visit_i64(v as i64)
            }
        } else {
            visitor.visit_f64(v)
        }
    }
}

fn null_option() -> Error {
    Error("an optional field may be left out, not null".to_owned())
}

fn expected(what: &str, node: &Node) -> Error {
    Error(format!("expected {what}, found {}", node.type_name()))
}

/// Serde reads the model from a node by value, taking the tree apart as it goes.
impl<'de> Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            NodeValue::Null | NodeValue::NonFinite => visitor.visit_unit(),
            NodeValue::Bool(b) => visitor.visit_bool(b),
            NodeValue::Number(n) => visit_number(&n, visitor),
            NodeValue::String(s) => visitor.visit_string(s),
            NodeValue::Seq(items) => visitor.visit_seq(Items(items.into_iter())),
            NodeValue::Map(entries) => visitor.visit_map(Entries {
                entries: entries.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            NodeValue::Null | NodeValue::NonFinite => Err(null_option()),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            NodeValue::String(s) => visitor.visit_enum(s.into_deserializer()),
            _ => Err(expected("a name", &self)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.value {
            NodeValue::Map(_) => self.deserialize_any(visitor),
            _ => Err(expected("a mapping", &self)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
        ignored_any
    }
}

struct Items(std::vec::IntoIter<Node>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    entries: std::vec::IntoIter<Entry>,
    value: Option<Node>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry.value);
        let key: de::value::StrDeserializer<'_, Error> =
            de::value::StrDeserializer::new(&entry.key);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(node) => seed.deserialize(node),
            None => Err(Error("a value was read before its key".to_owned())),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Note;
    use crate::source_file::SourceFile;

    fn note(text: &str) -> Result<Note, Error> {
        let tree = crate::tree::parse(&SourceFile::new("t.yaml", text.to_owned())).unwrap();
        from_tree(tree)
    }

    #[test]
    fn reads_a_note_in_place() {
        let read = note(
            "title: T\nas_of: 2022\nsections:\n  - title: S\n    claims:\n      - text: A\n        kind: quote\n        sources: [a, {id: b, locator: p. 3}]\n",
        )
        .unwrap();
        assert_eq!(read.as_of.map(|d| d.to_string()).as_deref(), Some("2022"));
        let claim = &read.sections[0].claims[0];
        assert_eq!(claim.kind, crate::model::ClaimKind::Quote);
        assert_eq!(claim.sources[1].locator(), Some("p. 3"));
    }

    #[test]
    fn refuses_what_the_schema_refuses() {
        for text in [
            "title: T\nas_of:\n",
            "title: T\nid: Not-An-Id\n",
            "title: T\nas_of: 2022-02-30\n",
            "title: T\nshelf_life: 0y\n",
            "title: T\nsorces: []\n",
            "title: T\nsections: [{title: S, claims: [{text: A, kind: claimm}]}]\n",
            "as_of: 2022\n",
        ] {
            assert!(note(text).is_err(), "{text}");
        }
        assert!(note("title: T\nas_of: 2022.0\n").is_ok());
    }
}
