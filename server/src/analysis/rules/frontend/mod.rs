//! Rules for frontend code: an app's calls to the data client, storage and auth, checked against what the
//! backend generates ([`BackendView`]). A new family of rules over the same layers as the backend rules; its
//! codes start with `frontend/`. Every rule is silent when it cannot be sure: a value it cannot know (a
//! variable `authMode`, a path built from parts it cannot see) never produces a finding.

use std::path::Path;

use tree_sitter::Tree;

use crate::analysis::completion::CompletionItem;
use crate::analysis::hover::Hover;
use crate::analysis::Diagnostic;
use crate::model::file::FileModel;
use crate::model::frontend::BackendView;

pub mod auth;
pub mod data;
pub mod storage;

/// What a frontend rule sees: one file's text, tree and model, where it lives, and the backend's view.
pub struct FrontendCx<'a> {
    pub src: &'a str,
    pub tree: &'a Tree,
    pub file: &'a FileModel,
    pub path: Option<&'a Path>,
    pub backend: &'a BackendView,
}

/// A frontend rule module: its name and its check.
pub type Module = (&'static str, fn(&FrontendCx, &mut Vec<Diagnostic>));

/// Every frontend rule module, in the order they run.
pub const MODULES: &[Module] = &[
    ("data", data::check),
    ("storage", storage::check),
    ("auth", auth::check),
];

pub fn check(cx: &FrontendCx, out: &mut Vec<Diagnostic>) {
    for (_, check) in MODULES {
        if crate::cancel::cancelled() {
            return;
        }
        check(cx, out);
    }
}

/// Completion at `offset` in a frontend file: the first module that knows the place answers.
pub fn complete(cx: &FrontendCx, offset: usize) -> Option<Vec<CompletionItem>> {
    data::complete(cx, offset)
        .or_else(|| storage::complete(cx, offset))
        .or_else(|| auth::complete(cx, offset))
}

/// Hover at `offset` in a frontend file.
pub fn hover(cx: &FrontendCx, offset: usize) -> Option<Hover> {
    data::hover(cx, offset)
        .or_else(|| storage::hover(cx, offset))
        .or_else(|| auth::hover(cx, offset))
}
