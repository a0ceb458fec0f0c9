//! amplify-lsp: a language server for AWS Amplify Gen2 backend files.
//!
//! Layers, each importing only those below it:
//! `text` (rope, positions) → `syntax` (tree-sitter, queries) → `model` (the catalog, values, the schema
//! model, cursor context) → `workspace` (documents, project index) → `analysis` (completion, hover,
//! diagnostics, actions) → `lsp` (the protocol) and `check` (the command-line linter). `cancel` (cooperative
//! cancellation), `reclaim` (freeing large values on a thread of their own) and `helper` (a thread kept for work
//! done beside other work) sit below them all: any layer may use them.

pub mod analysis;
pub mod cancel;
pub mod check;
pub(crate) mod helper;
pub mod lsp;
pub mod model;
pub mod reclaim;
pub mod syntax;
#[cfg(test)]
mod testing;
pub mod text;
pub mod workspace;

/// The server's version, as reported by `--version` and `serverInfo`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
