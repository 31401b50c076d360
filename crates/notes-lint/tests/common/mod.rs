//! What the integration tests share.

use std::path::{Path, PathBuf};

/// The workspace root: the crate is two levels below it.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate is two levels below the workspace root")
        .to_path_buf()
}
