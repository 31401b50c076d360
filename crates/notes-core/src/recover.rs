//! Recovery after schema errors: a schema problem drops only the node it is in, so
//! every rule still runs on the rest of the file.
//!
//! The node dropped is the innermost of: a claim (with its children), a source, an
//! event, a caveat, an allow entry or another list entry of the note or a section, or
//! else the one bad field of the note or a section. A missing or bad `title` of the note
//! or a section becomes an empty one, so the section and its claims stay.

use std::collections::HashMap;

use crate::schema::Located;
use crate::tree::{Entry, Node, NodeValue, Segment};

/// What to change in the tree for one problem.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cut {
    /// Remove the list item or mapping entry at this path.
    Remove(Vec<Segment>),
    /// Give the mapping at this path an empty `title`.
    Title(Vec<Segment>),
}

/// Fields of the note and of a section that are lists: a bad entry drops itself.
const LISTS: [&str; 7] = [
    "sources",
    "events",
    "caveats",
    "sensitive_to",
    "tags",
    "allow",
    "sections",
];

fn key(segment: Option<&Segment>) -> Option<&str> {
    match segment {
        Some(Segment::Key(key)) => Some(key),
        _ => None,
    }
}

/// The cut for a problem at `path` in the mapping `scope` (the note, or a section),
/// `path` being relative to it.
fn cut_in_scope(
    scope: &[Segment],
    path: &[Segment],
    unknown_key: Option<&str>,
    tree: &Node,
) -> Option<Cut> {
    let at = |rest: &[Segment]| -> Vec<Segment> { scope.iter().chain(rest).cloned().collect() };
    let Some(field) = key(path.first()) else {
        // The mapping itself: an unknown field, a missing title, or not a mapping at all.
        if let Some(unknown) = unknown_key {
            return Some(Cut::Remove(at(&[Segment::key(unknown)])));
        }
        let is_map = tree
            .get(scope)
            .is_some_and(|n| matches!(n.value, NodeValue::Map(_)));
        return match (is_map, scope.is_empty()) {
            (true, _) => Some(Cut::Title(scope.to_vec())),
            (false, false) => Some(Cut::Remove(scope.to_vec())),
            (false, true) => None,
        };
    };
    if field == "title" {
        return Some(Cut::Title(scope.to_vec()));
    }
    let list_item = |field: &str| -> Cut {
        match path.get(1) {
            Some(index @ Segment::Index(_)) => {
                Cut::Remove(at(&[Segment::key(field), index.clone()]))
            }
            _ => Cut::Remove(at(&[Segment::key(field)])),
        }
    };
    match field {
        "sections" if scope.is_empty() => match path.get(1) {
            Some(index @ Segment::Index(_)) => {
                let section = at(&[Segment::key("sections"), index.clone()]);
                cut_in_scope(&section, &path[2..], unknown_key, tree)
            }
            _ => Some(Cut::Remove(at(&[Segment::key("sections")]))),
        },
        "claims" if !scope.is_empty() => match path.get(1) {
            Some(index @ Segment::Index(_)) => {
                // The innermost claim on the path.
                let mut claim = at(&[Segment::key("claims"), index.clone()]);
                let mut rest = &path[2..];
                while let [Segment::Key(children), index @ Segment::Index(_), tail @ ..] = rest
                    && children == "children"
                {
                    claim.extend([Segment::key("children"), index.clone()]);
                    rest = tail;
                }
                Some(Cut::Remove(claim))
            }
            _ => Some(Cut::Remove(at(&[Segment::key("claims")]))),
        },
        _ if LISTS.contains(&field) => Some(list_item(field)),
        _ => Some(Cut::Remove(at(&[Segment::key(field)]))),
    }
}

/// Changes `tree` so that none of `problems` is left in it; returns whether it changed.
pub fn prune(tree: &mut Node, problems: &[Located]) -> bool {
    let mut cuts: Vec<Cut> = problems
        .iter()
        .filter_map(|p| cut_in_scope(&[], &p.path, p.unknown_key.as_deref(), tree))
        .collect();
    cuts.dedup();
    let mut removals: Vec<Vec<Segment>> = cuts
        .iter()
        .filter_map(|c| match c {
            Cut::Remove(path) => Some(path.clone()),
            Cut::Title(_) => None,
        })
        .collect();
    removals.sort();
    removals.dedup();
    // A removal inside another one is done by that one.
    let outer: Vec<Vec<Segment>> = removals
        .iter()
        .filter(|path| {
            !removals
                .iter()
                .any(|other| other.len() < path.len() && path.starts_with(other))
        })
        .cloned()
        .collect();
    let mut changed = false;
    for cut in &cuts {
        if let Cut::Title(path) = cut
            && !outer.iter().any(|o| path.starts_with(o))
        {
            changed |= set_title(tree, path);
        }
    }
    // Last first, so earlier indexes stay valid.
    for path in outer.iter().rev() {
        changed |= remove(tree, path);
    }
    changed
}

fn set_title(tree: &mut Node, path: &[Segment]) -> bool {
    let Some(node) = tree.get_mut(path) else {
        return false;
    };
    let at = crate::source_file::Span::point(node.span.start);
    let NodeValue::Map(entries) = &mut node.value else {
        return false;
    };
    match entries.iter_mut().find(|e| e.key == "title") {
        Some(entry) if matches!(entry.value.value, NodeValue::String(_)) => false,
        Some(entry) => {
            entry.value.value = NodeValue::String(String::new());
            true
        }
        None => {
            entries.insert(
                0,
                Entry {
                    key: crate::tree::intern("title"),
                    key_span: at,
                    value: Node {
                        span: at,
                        value: NodeValue::String(String::new()),
                    },
                },
            );
            true
        }
    }
}

fn remove(tree: &mut Node, path: &[Segment]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    let Some(parent) = tree.get_mut(parent) else {
        return false;
    };
    match (last, &mut parent.value) {
        (Segment::Key(key), NodeValue::Map(entries)) => {
            let before = entries.len();
            entries.retain(|e| &e.key != key);
            entries.len() != before
        }
        (Segment::Index(index), NodeValue::Seq(items)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    }
}

/// Every claim of a note tree: its span start and its position (`[section, claim,
/// child, ...]`, 1-based) with its tree path.
fn claims(tree: &Node) -> Vec<(usize, Vec<usize>, Vec<Segment>)> {
    fn walk(
        list: &Node,
        field: &str,
        path: &[Segment],
        position: &[usize],
        out: &mut Vec<(usize, Vec<usize>, Vec<Segment>)>,
    ) {
        let NodeValue::Seq(items) = &list.value else {
            return;
        };
        for (i, claim) in items.iter().enumerate() {
            let mut here = path.to_vec();
            here.extend([Segment::key(field), Segment::Index(i)]);
            let mut number = position.to_vec();
            number.push(i + 1);
            out.push((claim.span.start, number.clone(), here.clone()));
            if let Some(children) = claim.get(&[Segment::key("children")]) {
                walk(children, "children", &here, &number, out);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(NodeValue::Seq(sections)) = tree.get(&[Segment::key("sections")]).map(|n| &n.value)
    {
        for (s, section) in sections.iter().enumerate() {
            let path = [Segment::key("sections"), Segment::Index(s)];
            if let Some(list) = section.get(&[Segment::key("claims")]) {
                walk(list, "claims", &path, &[s + 1], &mut out);
            }
        }
    }
    out
}

/// The claims of `pruned` whose position changed from `original`: their tree path in
/// `pruned` and their position in the file as written, so findings keep naming a claim
/// `2.4` after claim `2.3` was dropped.
pub fn renumbered(original: &Node, pruned: &Node) -> HashMap<Vec<Segment>, Vec<usize>> {
    let before: HashMap<usize, Vec<usize>> = claims(original)
        .into_iter()
        .map(|(start, position, _)| (start, position))
        .collect();
    claims(pruned)
        .into_iter()
        .filter_map(|(start, position, path)| {
            let written = before.get(&start)?;
            (*written != position).then(|| (path, written.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load_bytes;

    fn load(text: &str) -> crate::Loaded {
        load_bytes(Path::new("note.yaml"), text.as_bytes())
    }

    #[test]
    fn a_bad_claim_drops_itself_and_its_children_only() {
        let loaded = load(
            "title: T\nsections:\n  - title: S\n    claims:\n      - text: A\n      - text: B\n        as_of: May 2022\n        children:\n          - text: B1\n      - text: C\n",
        );
        assert_eq!(loaded.findings.len(), 1, "{:?}", loaded.findings);
        let document = loaded.document.expect("the rest of the note");
        let texts: Vec<&str> = document.note.sections[0]
            .claims
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(texts, ["A", "C"]);
        let c_path = vec![
            crate::tree::Segment::key("sections"),
            crate::tree::Segment::Index(0),
            crate::tree::Segment::key("claims"),
            crate::tree::Segment::Index(1),
        ];
        // `C` keeps the position it was written at, and its span.
        assert_eq!(document.renumbered.get(&c_path), Some(&vec![1, 3]));
        let span = document.positions.span(&c_path).expect("C in the tree");
        assert!(document.file.slice(span).starts_with("text: C"));
    }

    #[test]
    fn a_bad_field_of_the_note_or_a_section_drops_that_field() {
        let loaded = load(
            "title: T\nas_of: May 2022\nsorces: []\nsources:\n  - {id: a, type: paper, title: A, url: u}\n  - {id: b, type: papr, title: B}\nsections:\n  - title: [S]\n    shelf_life: forever\n    claims:\n      - text: A\n",
        );
        assert_eq!(loaded.findings.len(), 5, "{:?}", loaded.findings);
        let note = loaded.document.expect("the rest of the note").note;
        assert_eq!(note.as_of, None);
        assert_eq!(note.sources.len(), 1);
        assert_eq!(note.sections[0].title, "");
        assert_eq!(note.sections[0].shelf_life, None);
        assert_eq!(note.sections[0].claims[0].text, "A");
    }

    #[test]
    fn a_note_without_a_title_is_still_read() {
        let loaded = load("sections:\n  - claims:\n      - text: A\n");
        assert_eq!(loaded.findings.len(), 2, "{:?}", loaded.findings);
        let note = loaded.document.expect("a note").note;
        assert_eq!(note.title, "");
        assert_eq!(note.sections[0].claims.len(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_mapping_has_no_note() {
        let loaded = load("- just\n- a list\n");
        assert!(loaded.document.is_none());
        assert_eq!(loaded.findings.len(), 1);
    }
}
