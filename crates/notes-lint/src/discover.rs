//! Finding the note files under the paths given on the command line.
//!
//! A directory walk never follows a symbolic link whose target lies outside the
//! directory being walked: such a link is not read, and gets a `syntax` finding
//! instead (see [`outside_link`]). Links inside the walked directory are followed when
//! they point at a file; a link to a folder is not walked (the folder's notes are
//! linted at their own path when it is inside, and not at all when it is outside).

use std::path::{Path, PathBuf};

use notes_core::{Finding, Severity};

/// Whether `path` has a note file extension: `.yaml`, `.yml` or `.json`.
pub fn is_note_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// A path given on the command line that does not exist.
#[derive(Debug)]
pub struct MissingPath(pub PathBuf);

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The note files to read, sorted and without duplicates.
    pub files: Vec<PathBuf>,
    /// One `syntax` finding per symbolic link that was not followed because its
    /// target lies outside the walked directory (or cannot be resolved), sorted by path.
    pub refused: Vec<Finding>,
}

/// The note files under `paths`, sorted and without duplicates; links that leave
/// the walked directory are skipped (see [`discover`] for their findings).
pub fn note_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MissingPath> {
    discover(paths).map(|d| d.files)
}

/// The note files under `paths`. A file named directly is taken whatever its
/// extension, even when it is a link (the user asked for it); directories are walked
/// for note files, skipping hidden entries and what `.gitignore` excludes, and never
/// following a link out of the directory.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, MissingPath> {
    let mut found = Discovered::default();
    for path in paths {
        if path.is_file() {
            found.files.push(path.clone());
        } else if path.is_dir() {
            walk(path, &mut found);
        } else {
            return Err(MissingPath(path.clone()));
        }
    }
    found.files.sort();
    found.files.dedup();
    found.refused.sort_by(|a, b| a.file.cmp(&b.file));
    found.refused.dedup_by(|a, b| a.file == b.file);
    Ok(found)
}

fn walk(dir: &Path, found: &mut Discovered) {
    // The tree being linted, as the file system sees it: a link is inside when its
    // resolved target is under this.
    let root = std::fs::canonicalize(dir).ok();
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker.flatten() {
        let entry_path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_file() {
            if is_note_file(entry_path) {
                found.files.push(entry_path.to_path_buf());
            }
        } else if file_type.is_symlink() && entry.depth() > 0 {
            let target = std::fs::canonicalize(entry_path);
            let inside = match (&target, &root) {
                (Ok(target), Some(root)) => target.starts_with(root),
                _ => false,
            };
            // Only the link's own metadata and its resolved path are looked at here;
            // a target outside the tree is never opened.
            let to_dir = inside && entry_path.is_dir();
            if inside {
                if !to_dir && is_note_file(entry_path) {
                    found.files.push(entry_path.to_path_buf());
                }
            } else if target.is_err() && is_note_file(entry_path) {
                found.refused.push(unresolved_link(entry_path));
            } else if is_note_file(entry_path) || target.is_ok_and(|t| t.is_dir()) {
                found
                    .refused
                    .push(outside_link(entry_path, "the folder being linted"));
            }
        }
    }
}

/// The finding for a symbolic link that a walk did not follow because it leaves the
/// tree being walked (`tree` names that tree, such as "the folder being linted"). It
/// names the link only: nothing of the target is read or shown. It is a `syntax`
/// finding, so it is an error that can neither be turned off nor suppressed.
pub fn outside_link(link: &Path, tree: &str) -> Finding {
    Finding::new(
        notes_core::finding::SYNTAX,
        Severity::Error,
        link,
        None,
        format!(
            "`{}` is a symbolic link to a file outside {tree}: not read",
            link.display()
        ),
    )
    .with_help(
        "copy the note into the folder instead of linking to it, or name the file \
         on the command line to lint it on purpose",
    )
}

/// The finding for a symbolic link whose target does not exist or cannot be resolved:
/// it is not read, since it cannot be shown to stay inside the tree.
pub fn unresolved_link(link: &Path) -> Finding {
    Finding::new(
        notes_core::finding::SYNTAX,
        Severity::Error,
        link,
        None,
        format!(
            "`{}` is a symbolic link whose target cannot be resolved: not read",
            link.display()
        ),
    )
    .with_help("delete the link, or point it at a note inside the folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_tree_are_refused_and_links_inside_are_followed() {
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("secret.yaml"), "title: SECRET\n").expect("write");
        let tree = tempfile::tempdir().expect("temp dir");
        let notes = tree.path().join("notes");
        std::fs::create_dir_all(notes.join("sub")).expect("mkdir");
        std::fs::write(notes.join("sub/real.yaml"), "title: Real\n").expect("write");
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, notes.join(name)).expect("symlink");
        };
        link(&outside.path().join("secret.yaml"), "out.yaml");
        link(outside.path(), "out-dir");
        link(&notes.join("sub/real.yaml"), "in.yaml");
        link(&notes.join("sub"), "in-dir");
        link(&notes.join("missing.yaml"), "broken.yaml");
        link(&outside.path().join("secret.yaml"), "out.txt");

        let found = discover(std::slice::from_ref(&notes)).expect("exists");
        assert_eq!(
            found.files,
            [notes.join("in.yaml"), notes.join("sub/real.yaml")]
        );
        let refused: Vec<_> = found.refused.iter().map(|f| f.file.clone()).collect();
        assert_eq!(
            refused,
            [
                Some(notes.join("broken.yaml")),
                Some(notes.join("out-dir")),
                Some(notes.join("out.yaml")),
            ]
        );
        assert!(found.refused.iter().all(|f| f.rule == "syntax"
            && f.severity == Severity::Error
            && !f.message.contains("SECRET")));

        // Named on the command line, a link is read: the user asked for it.
        let named = discover(&[notes.join("out.yaml")]).expect("exists");
        assert_eq!(named.files, [notes.join("out.yaml")]);
        assert!(named.refused.is_empty());
    }
}
