//! Finding the note files under the paths given on the command line.

use std::path::{Path, PathBuf};

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

/// The note files under `paths`, sorted and without duplicates. A file named
/// directly is taken whatever its extension; directories are walked for note
/// files, skipping hidden entries and what `.gitignore` excludes.
pub fn note_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MissingPath> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
        } else if path.is_dir() {
            let walker = ignore::WalkBuilder::new(path)
                .require_git(false)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build();
            for entry in walker.flatten() {
                let entry_path = entry.path();
                if entry.file_type().is_some_and(|t| t.is_file()) && is_note_file(entry_path) {
                    files.push(entry_path.to_path_buf());
                }
            }
        } else {
            return Err(MissingPath(path.clone()));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}
