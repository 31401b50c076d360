//! Where every value and key of a note is: the spanned tree without its values, in
//! one flat array of 32-byte slots.
//!
//! Once a note is built, rules only need to turn a tree path (`sections/1/claims/3/
//! as_of`) into a byte range, so the loader keeps this compact index rather than the
//! tree: byte offsets, not copies of text, and keys as indexes into the format's field
//! names.

use crate::source_file::Span;
use crate::tree::{self, Node, NodeValue, Segment};

/// The positions of a note's values and keys, by tree path.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    slots: Vec<Slot>,
    /// Keys that are not field names of the format (only in files with schema errors
    /// that were recovered from, or in invalid parts kept for positions).
    other_keys: Vec<Box<str>>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    start: u32,
    end: u32,
    key_start: u32,
    key_end: u32,
    /// The first child's slot; the children of a node are consecutive.
    first: u32,
    children: u32,
    /// The key of a mapping entry's value: an index into the field names, or with
    /// `OTHER` set into `other_keys`; `NO_KEY` for the root and list items.
    key: u32,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Scalar,
    Seq,
    Map,
}

const NO_KEY: u32 = u32::MAX;
const OTHER: u32 = 1 << 31;

fn offset(value: usize) -> u32 {
    // Files are refused above 64 MiB, so every offset fits.
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl Positions {
    /// The positions of every node of `root`.
    pub fn new(root: &Node) -> Positions {
        let mut positions = Positions {
            slots: Vec::with_capacity(root.count()),
            other_keys: Vec::new(),
        };
        let slot = positions.slot(root, None);
        positions.slots.push(slot);
        positions.fill(0, root);
        positions.slots.shrink_to_fit();
        positions
    }

    fn slot(&mut self, node: &Node, entry: Option<&tree::Entry>) -> Slot {
        let (key, key_span) = match entry {
            Some(entry) => {
                let key = match tree::field_index(&entry.key) {
                    Some(index) => index,
                    None => {
                        self.other_keys.push(entry.key.as_ref().into());
                        OTHER | offset(self.other_keys.len() - 1)
                    }
                };
                (key, entry.key_span)
            }
            None => (NO_KEY, Span::point(node.span.start)),
        };
        Slot {
            start: offset(node.span.start),
            end: offset(node.span.end),
            key_start: offset(key_span.start),
            key_end: offset(key_span.end),
            first: 0,
            children: 0,
            key,
            kind: match node.value {
                NodeValue::Seq(_) => Kind::Seq,
                NodeValue::Map(_) => Kind::Map,
                NodeValue::Null
                | NodeValue::Bool(_)
                | NodeValue::Number(_)
                | NodeValue::NonFinite
                | NodeValue::String(_) => Kind::Scalar,
            },
        }
    }

    fn fill(&mut self, index: usize, node: &Node) {
        let first = self.slots.len();
        match &node.value {
            NodeValue::Seq(items) => {
                for item in items {
                    let slot = self.slot(item, None);
                    self.slots.push(slot);
                }
                self.slots[index].first = offset(first);
                self.slots[index].children = offset(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.fill(first + i, item);
                }
            }
            NodeValue::Map(entries) => {
                for entry in entries {
                    let slot = self.slot(&entry.value, Some(entry));
                    self.slots.push(slot);
                }
                self.slots[index].first = offset(first);
                self.slots[index].children = offset(entries.len());
                for (i, entry) in entries.iter().enumerate() {
                    self.fill(first + i, &entry.value);
                }
            }
            _ => {}
        }
    }

    fn key(&self, slot: &Slot) -> Option<&str> {
        if slot.key == NO_KEY {
            None
        } else if slot.key & OTHER != 0 {
            self.other_keys
                .get((slot.key & !OTHER) as usize)
                .map(AsRef::as_ref)
        } else {
            tree::field_name(slot.key)
        }
    }

    /// The slot of the child of `parent` at `segment`.
    fn child(&self, parent: usize, segment: &Segment) -> Option<usize> {
        let slot = self.slots.get(parent)?;
        let first = slot.first as usize;
        let children = first..first + slot.children as usize;
        match (segment, slot.kind) {
            (Segment::Index(i), Kind::Seq) => children.clone().nth(*i),
            (Segment::Key(key), Kind::Map) => children
                .into_iter()
                .find(|&c| self.key(&self.slots[c]) == Some(key.as_ref())),
            _ => None,
        }
    }

    fn span_of(&self, slot: usize) -> Span {
        let slot = &self.slots[slot];
        Span::new(slot.start as usize, slot.end as usize)
    }

    /// The deepest slot on `path` that exists, and how many segments reached it.
    fn nearest_slot(&self, path: &[Segment]) -> (usize, usize) {
        let mut at = 0;
        for (depth, segment) in path.iter().enumerate() {
            match self.child(at, segment) {
                Some(next) => at = next,
                None => return (at, depth),
            }
        }
        (at, path.len())
    }

    /// The span of the value at `path`, if there is one.
    pub fn span(&self, path: &[Segment]) -> Option<Span> {
        if self.slots.is_empty() {
            return None;
        }
        let (slot, depth) = self.nearest_slot(path);
        (depth == path.len()).then(|| self.span_of(slot))
    }

    /// The span of the value at `path`, or of the nearest enclosing value that exists,
    /// and how many segments of `path` reached it.
    pub fn nearest(&self, path: &[Segment]) -> (Span, usize) {
        if self.slots.is_empty() {
            return (Span::point(0), 0);
        }
        let (slot, depth) = self.nearest_slot(path);
        (self.span_of(slot), depth)
    }

    /// The tree path of the deepest value whose span, or whose key's span, holds byte
    /// `offset` (an offset at a span's end counts, for a cursor after a word), and
    /// whether the offset is on that entry's key rather than its value.
    pub fn path_at(&self, offset: usize) -> (Vec<Segment>, bool) {
        let mut path = Vec::new();
        let mut on_key = false;
        let Some(mut at) = (!self.slots.is_empty()).then_some(0) else {
            return (path, on_key);
        };
        let offset = self::offset(offset);
        loop {
            let slot = self.slots[at];
            let first = slot.first as usize;
            let found = (first..first + slot.children as usize).find_map(|c| {
                let child = &self.slots[c];
                let in_value = child.start <= offset && offset <= child.end;
                let in_key =
                    child.key != NO_KEY && child.key_start <= offset && offset <= child.key_end;
                (in_value || in_key).then_some((c, in_key && !in_value))
            });
            let Some((child, key)) = found else {
                return (path, on_key);
            };
            path.push(match slot.kind {
                Kind::Seq => Segment::Index(child - first),
                Kind::Map | Kind::Scalar => match self.key(&self.slots[child]) {
                    Some(name) => Segment::key(name),
                    None => return (path, on_key),
                },
            });
            on_key = key;
            if key {
                return (path, on_key);
            }
            at = child;
        }
    }

    /// The span of the key of the mapping entry at `path`, if there is one.
    pub fn key_span(&self, path: &[Segment]) -> Option<Span> {
        if !matches!(path.last(), Some(Segment::Key(_))) || self.slots.is_empty() {
            return None;
        }
        let (slot, depth) = self.nearest_slot(path);
        (depth == path.len()).then(|| {
            let slot = &self.slots[slot];
            Span::new(slot.key_start as usize, slot.key_end as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_file::SourceFile;

    #[test]
    fn finds_what_the_tree_finds() {
        let text = "title: T\nodd key: 1\nsections:\n  - title: S\n    claims:\n      - text: A\n        sources: [a, {id: b, locator: p. 3}]\n      - text: B\n";
        let file = SourceFile::new("t.yaml", text.to_owned());
        let tree = crate::tree::parse(&file).unwrap();
        let positions = Positions::new(&tree);
        let paths: Vec<Vec<Segment>> = vec![
            vec![],
            vec![Segment::key("title")],
            vec![Segment::key("odd key")],
            vec![
                Segment::key("sections"),
                Segment::Index(0),
                Segment::key("title"),
            ],
            vec![
                Segment::key("sections"),
                Segment::Index(0),
                Segment::key("claims"),
                Segment::Index(1),
                Segment::key("text"),
            ],
            vec![
                Segment::key("sections"),
                Segment::Index(0),
                Segment::key("claims"),
                Segment::Index(0),
                Segment::key("sources"),
                Segment::Index(1),
                Segment::key("locator"),
            ],
        ];
        for path in &paths {
            assert_eq!(
                positions.span(path),
                tree.get(path).map(|n| n.span),
                "{path:?}"
            );
            assert_eq!(positions.nearest(path).0, tree.nearest(path).0.span);
            if let Some((Segment::Key(key), parent)) = path.split_last() {
                let entry = tree.get(parent).and_then(|n| n.entry(key)).unwrap();
                assert_eq!(positions.key_span(path), Some(entry.key_span));
            }
        }
        let missing = [
            Segment::key("sections"),
            Segment::Index(0),
            Segment::key("as_of"),
        ];
        assert_eq!(positions.span(&missing), None);
        assert_eq!(
            positions.nearest(&missing),
            (tree.nearest(&missing).0.span, 2)
        );
        assert_eq!(file.slice(positions.span(&paths[4]).unwrap()), "B");
        for path in &paths[1..] {
            let span = positions.span(path).unwrap();
            assert_eq!(
                positions.path_at(span.start),
                (path.clone(), false),
                "{path:?}"
            );
            if let Some(key) = positions.key_span(path) {
                assert_eq!(positions.path_at(key.start), (path.clone(), true));
            }
        }
        assert_eq!(positions.path_at(text.len() + 5), (vec![], false));
    }
}
