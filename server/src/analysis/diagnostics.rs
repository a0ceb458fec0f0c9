//! Diagnostics as plain data, and the entry point that runs every rule on a snapshot.

use super::Options;
use crate::syntax::syntax_errors;
use crate::text::Span;
use crate::workspace::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A second place that matters to a diagnostic (the other side of a relationship, a conflicting path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// `None` for the same document.
    pub uri: Option<String>,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub severity: Severity,
    /// A stable code such as `storage/path-wildcard`.
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(span: Span, severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            severity,
            code,
            message: message.into(),
            related: Vec::new(),
        }
    }
}

/// The most syntax errors reported for one file.
const MAX_SYNTAX_ERRORS: usize = 50;

/// Every diagnostic for one document.
pub fn diagnostics(snap: &Snapshot, opts: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(tree) = snap.tree.as_ref() else {
        return out;
    };
    if opts.syntax_errors {
        for e in syntax_errors(tree, &snap.text, MAX_SYNTAX_ERRORS) {
            out.push(Diagnostic::new(e.span, Severity::Error, "syntax/error", e.message));
        }
    }
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}
