//! Analysis layer: pure functions from (snapshot, project index, position) to plain data — diagnostics,
//! completions, hovers, code actions. Nothing here knows about the protocol.

pub mod actions;
pub mod completion;
pub mod diagnostics;
pub mod frontend;
pub mod hover;
pub mod lookup;
pub mod navigate;
pub mod redact;
pub mod rules;
pub mod symbols;

pub use diagnostics::{
    diagnostics, diagnostics_for, file_model, uri_to_path, Diagnostic, Related, Severity,
};

/// Settings that change what the analysis reports.
#[derive(Debug, Clone)]
pub struct Options {
    /// Report tree-sitter syntax errors (off in the editor by default: tsserver reports them already).
    pub syntax_errors: bool,
    /// The docs.amplify.aws platform slug used in links.
    pub docs_platform: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            syntax_errors: false,
            docs_platform: "react".to_string(),
        }
    }
}
