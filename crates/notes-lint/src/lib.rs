//! notes-lint: rules that flag stale, overtaken, unsourced, dangling and duplicated
//! claims in research notes, and the command that runs them.

pub mod atomic;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod discover;
pub mod docs;
pub mod engine;
pub mod fix;
pub mod lsp;
pub mod report;
pub mod review;
pub mod rules;
