//! The notes-lint model: notes, claims, sources, caveats and events; a loader that
//! keeps exact source positions; inheritance resolution; and the note schema.
//!
//! This crate knows nothing of terminals or argument parsing.

pub mod date;
pub mod export;
pub mod finding;
pub mod import;
pub mod load;
pub mod model;
pub mod positions;
pub mod recover;
pub mod resolve;
pub mod schema;
pub mod shelf_life;
pub mod source_file;
pub mod suggest;
pub mod tree;
pub mod typed;

pub use date::PartialDate;
pub use finding::{Due, Edit, Finding, Fix, Label, Severity};
pub use load::{Document, Loaded, load_bytes, load_path};
pub use shelf_life::ShelfLife;
pub use source_file::{Position, SourceFile, Span};
