//! The owner switch, complete (issue 16): when *Switch to owner-based authorization* makes the schema refuse
//! a frontend call that it allowed before, the same workspace edit moves that call to the user pool. The
//! schema after the switch is known exactly: the data file's edits are applied to its text, and the backend
//! view is built again from the result.

use std::path::PathBuf;

use super::{Env, FileEdits, Input, TextEdit};
use crate::analysis::rules::frontend::FrontendCx;
use crate::model::file::FileModel;
use crate::model::frontend::{view_of, BackendView};
use crate::syntax::{self, Lang};
use crate::workspace::is_frontend_file;

/// Applies non-overlapping edits to a text; `None` when two overlap.
fn applied(src: &str, edits: &[TextEdit]) -> Option<String> {
    let mut edits: Vec<&TextEdit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for e in edits {
        if e.span.start < at || e.span.end > src.len() {
            return None;
        }
        out.push_str(src.get(at..e.span.start)?);
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(src.get(at..)?);
    Some(out)
}

/// The backend view once the data file's `edits` are applied.
fn view_after(inp: &Input, edits: &[TextEdit]) -> Option<BackendView> {
    let text = applied(inp.src, edits)?;
    let tree = syntax::parse(&text, Lang::TypeScript, None)?;
    let file = FileModel::build(&tree, &text, Lang::TypeScript);
    let mut after = inp.project.backend_view.clone();
    after.data = view_of(&file).data;
    Some(after)
}

/// The edits to the project's frontend files that keep their calls working after the data file's `edits`.
pub(super) fn call_site_edits(inp: &Input, env: &Env, edits: &[TextEdit]) -> Vec<FileEdits> {
    // The data part of the view from this file, as `view_after` reads it after the edits: the project's facts
    // leave it out while no frontend file is open, and it is built here only when the switch is computed.
    let mut before = inp.project.backend_view.clone();
    before.data = view_of(inp.file).data;
    if before.data.is_none() {
        return Vec::new();
    }
    let before = &before;
    let Some(after) = view_after(inp, edits) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for path in (env.frontend_files)() {
        if let Some(f) = file_edits(path, env, before, &after) {
            out.push(f);
        }
    }
    out
}

fn file_edits(
    path: PathBuf,
    env: &Env,
    before: &BackendView,
    after: &BackendView,
) -> Option<FileEdits> {
    let shown = path.to_string_lossy().into_owned();
    let lang = Lang::from_frontend_path(&shown)?;
    let text = (env.read)(&path)?;
    if !is_frontend_file(&shown, &text) {
        return None;
    }
    let tree = syntax::parse(&text, lang, None)?;
    let file = FileModel::build(&tree, &text, lang);
    let cx = |backend| FrontendCx {
        src: &text,
        tree: &tree,
        file: &file,
        path: Some(&path),
        backend,
    };
    let edits: Vec<TextEdit> = owner_switch_edits(&cx(before), &cx(after))
        .into_iter()
        .map(|(span, text)| TextEdit { span, text })
        .collect();
    (!edits.is_empty()).then(|| FileEdits {
        path: path.clone(),
        text: text.clone(),
        edits,
    })
}

/// The edits that move the calls `after` refuses and `before` allowed to the user pool.
fn owner_switch_edits(before: &FrontendCx, after: &FrontendCx) -> Vec<(crate::text::Span, String)> {
    crate::analysis::rules::frontend::data::owner_switch_edits(before, after)
}
