//! The analysis of frontend files (see [`crate::workspace::is_frontend_file`]): their diagnostics, completion and
//! hover, from the rules of [`crate::analysis::rules::frontend`] and the backend's view in the project's facts.
//! A frontend file outside an Amplify project (no project root, or no `defineBackend` in it) gets nothing.

use super::completion::CompletionItem;
use super::diagnostics::{apply_ignore_comments, uri_to_path, Diagnostic};
use super::hover::Hover;
use super::rules::frontend::{self, FrontendCx};
use crate::model::file::FileModel;
use crate::model::project::ProjectFacts;
use crate::workspace::Snapshot;

/// Runs `f` on the frontend context of a snapshot, when the file is frontend code of an Amplify project.
fn with_cx<T>(
    snap: &Snapshot,
    file: &FileModel,
    project: &ProjectFacts,
    f: impl FnOnce(&FrontendCx) -> T,
) -> Option<T> {
    if !snap.frontend || project.root.is_none() || !project.has_backend {
        return None;
    }
    let tree = snap.tree.as_ref()?;
    let path = uri_to_path(&snap.uri);
    let cx = FrontendCx {
        src: &snap.analysis_text,
        tree,
        file,
        path: path.as_deref(),
        backend: &project.backend_view,
    };
    Some(f(&cx))
}

/// The findings of a frontend file, in position order, minus those an ignore comment silences.
pub fn diagnostics(snap: &Snapshot, file: &FileModel, project: &ProjectFacts) -> Vec<Diagnostic> {
    let mut out = with_cx(snap, file, project, |cx| {
        let mut out = Vec::new();
        frontend::check(cx, &mut out);
        out
    })
    .unwrap_or_default();
    apply_ignore_comments(&snap.text, &mut out);
    out.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    out.dedup();
    out
}

/// Completion at `offset` in a frontend file.
pub fn completion(
    snap: &Snapshot,
    file: &FileModel,
    project: &ProjectFacts,
    offset: usize,
) -> Vec<CompletionItem> {
    with_cx(snap, file, project, |cx| frontend::complete(cx, offset))
        .flatten()
        .unwrap_or_default()
}

/// Hover at `offset` in a frontend file.
pub fn hover(
    snap: &Snapshot,
    file: &FileModel,
    project: &ProjectFacts,
    offset: usize,
) -> Option<Hover> {
    with_cx(snap, file, project, |cx| frontend::hover(cx, offset)).flatten()
}
