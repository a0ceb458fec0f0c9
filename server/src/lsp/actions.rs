//! Code actions: the protocol side (listing, resolving). The edits are computed in `analysis::actions`.
//!
//! Listing answers titles, kinds and `data` (`{ uri, version, id, range }`); the edit is computed by
//! `codeAction/resolve`, or right away for clients that cannot resolve an action's `edit`.

use std::collections::HashMap;
use std::path::Path;

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types::*;

use super::{convert, Backend};
use crate::analysis::redact::redact;
use crate::analysis::{self, actions as act};
use crate::text::Encoding;
use crate::workspace::Snapshot;

/// Adds the code-action capabilities.
pub fn capabilities(caps: &mut ServerCapabilities, _client: &ClientCapabilities) {
    caps.code_action_provider = Some(CodeActionProviderCapability::Options(CodeActionOptions {
        code_action_kinds: Some(vec![
            CodeActionKind::QUICKFIX,
            CodeActionKind::REFACTOR_REWRITE,
            CodeActionKind::SOURCE,
            CodeActionKind::from(act::SOURCE_OWNER_KIND),
        ]),
        work_done_progress_options: Default::default(),
        resolve_provider: Some(true),
    }));
}

/// What the client can do with code actions and workspace edits.
#[derive(Debug, Clone, Copy, Default)]
struct ClientSupport {
    /// `codeAction/resolve` may fill in `edit`.
    resolve_edit: bool,
    disabled: bool,
    document_changes: bool,
    create_files: bool,
    /// The `docsPlatform` setting, for the diagnostics' links.
    docs_platform: &'static str,
}

impl ClientSupport {
    fn of(b: &Backend) -> Self {
        let platform = b.options().docs_platform;
        let docs_platform = crate::model::catalog::PLATFORMS
            .iter()
            .copied()
            .find(|p| *p == platform)
            .unwrap_or("react");
        let Ok(caps) = b.client_caps.read() else {
            return Self {
                docs_platform,
                ..Self::default()
            };
        };
        let ca = caps
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref());
        let we = caps
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref());
        let document_changes = we.and_then(|w| w.document_changes).unwrap_or(false);
        ClientSupport {
            resolve_edit: ca
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            disabled: ca.and_then(|c| c.disabled_support).unwrap_or(false),
            document_changes,
            docs_platform,
            create_files: document_changes
                && we
                    .and_then(|w| w.resource_operations.as_ref())
                    .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
        }
    }
}

/// Whether an action of `kind` is wanted by `only` (a kind matches itself and its sub-kinds).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            o.is_empty() || kind == o || kind.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
        })
    })
}

/// How many files of a project an action looks at for frontend calls to update.
const MAX_FRONTEND_FILES: usize = 5000;

/// The inputs of the analysis for one snapshot, built once per request.
struct Prepared {
    file: std::sync::Arc<crate::model::file::FileModel>,
    path: Option<std::path::PathBuf>,
    facts: crate::model::project::ProjectFacts,
    diagnostics: Vec<analysis::Diagnostic>,
}

fn prepare(b: &Backend, snap: &Snapshot) -> Option<Prepared> {
    let file = snap.file_model()?;
    let path = analysis::uri_to_path(&snap.uri);
    let facts = b.index.facts(path.as_deref(), None);
    let diagnostics = analysis::diagnostics_for(snap, &file, &facts, &b.options());
    Some(Prepared {
        file,
        path,
        facts,
        diagnostics,
    })
}

fn with_input<R>(
    b: &Backend,
    snap: &Snapshot,
    p: &Prepared,
    support: ClientSupport,
    f: impl FnOnce(&act::Input, &act::Env) -> R,
) -> R {
    let read = |path: &Path| b.read_text(path);
    let frontend_files = || {
        p.facts
            .root
            .as_deref()
            .map(|root| crate::workspace::fs::frontend_candidates(root, MAX_FRONTEND_FILES))
            .unwrap_or_default()
    };
    let env = act::Env {
        read: &read,
        can_create_files: support.create_files,
        frontend_files: &frontend_files,
    };
    let inp = act::Input {
        src: &snap.text,
        file: &p.file,
        tree: snap.tree.as_ref(),
        path: p.path.as_deref(),
        project: &p.facts,
        diagnostics: &p.diagnostics,
    };
    f(&inp, &env)
}

pub fn code_action(b: &Backend, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some(snap) = b.snapshot(&uri) else {
        return Ok(None);
    };
    if !snap.amplify || snap.too_large {
        return Ok(None);
    }
    let enc = b.encoding();
    let support = ClientSupport::of(b);
    let range = convert::span(&snap.rope, params.range, enc);
    let only = params.context.only.as_deref();
    let actions = b
        .guard("codeAction", uri.as_str(), || {
            let Some(p) = prepare(b, &snap) else {
                return Vec::new();
            };
            with_input(b, &snap, &p, support, |inp, env| {
                let listed = act::list(inp, range, env, &|k| wanted(only, k.as_str()));
                listed
                    .into_iter()
                    .map(|a| {
                        let change = if support.resolve_edit || a.disabled.is_some() {
                            None
                        } else {
                            act::compute(inp, range, &a.id, env)
                        };
                        to_lsp(b, &uri, &snap, &p, a, change, params.range, enc, support)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .ok_or_else(RpcError::internal_error)?;
    Ok(Some(
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    ))
}

#[allow(clippy::too_many_arguments)]
fn to_lsp(
    b: &Backend,
    uri: &Uri,
    snap: &Snapshot,
    p: &Prepared,
    a: act::Action,
    change: Option<act::Change>,
    range: Range,
    enc: Encoding,
    support: ClientSupport,
) -> CodeAction {
    let diagnostics: Vec<Diagnostic> = a
        .fixes
        .iter()
        .filter_map(|&i| p.diagnostics.get(i))
        .map(|d| convert::diagnostic(uri, &snap.rope, d, enc, support.docs_platform))
        .collect();
    let (title, disabled) = match a.disabled {
        Some(reason) if support.disabled => (
            a.title,
            Some(CodeActionDisabled {
                reason: redact(&reason).into_owned(),
            }),
        ),
        Some(reason) => (format!("{} (unavailable: {reason})", a.title), None),
        None => (a.title, None),
    };
    CodeAction {
        title: redact(&title).into_owned(),
        kind: Some(CodeActionKind::from(a.kind.as_str())),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: change.and_then(|c| workspace_edit(b, uri, snap, c, enc, support)),
        command: None,
        is_preferred: a.preferred.then_some(true),
        disabled,
        data: Some(json!({
            "uri": uri.as_str(),
            "version": snap.version,
            "id": a.id,
            "range": range,
        })),
    }
}

pub fn code_action_resolve(b: &Backend, mut action: CodeAction) -> RpcResult<CodeAction> {
    if action.edit.is_some() {
        return Ok(action);
    }
    let Some(data) = action.data.as_ref() else {
        return Ok(action);
    };
    let (Some(uri), Some(version), Some(id), Some(range)) = (
        data.get("uri")
            .and_then(|u| u.as_str())
            .and_then(|u| u.parse::<Uri>().ok()),
        data.get("version").and_then(|v| v.as_i64()),
        data.get("id").and_then(|i| i.as_str()).map(str::to_string),
        data.get("range")
            .and_then(|r| serde_json::from_value::<Range>(r.clone()).ok()),
    ) else {
        return Err(RpcError::invalid_params(
            "codeAction/resolve: the action's data is not ours",
        ));
    };
    let Some(snap) = b.snapshot(&uri) else {
        return Ok(action);
    };
    if i64::from(snap.version) != version {
        // The document changed since the action was listed: its spans no longer apply.
        tracing::debug!(
            "codeAction/resolve for {} at version {version}, now {}",
            uri.as_str(),
            snap.version
        );
        return Err(RpcError {
            code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32801),
            message: "the document changed since the action was offered".into(),
            data: None,
        });
    }
    let enc = b.encoding();
    let support = ClientSupport::of(b);
    let edit = b
        .guard("codeAction/resolve", uri.as_str(), || {
            let p = prepare(b, &snap)?;
            let span = convert::span(&snap.rope, range, enc);
            let change = with_input(b, &snap, &p, support, |inp, env| {
                act::compute(inp, span, &id, env)
            })?;
            workspace_edit(b, &uri, &snap, change, enc, support)
        })
        .ok_or_else(RpcError::internal_error)?;
    action.edit = edit;
    Ok(action)
}

fn text_edit(rope: &Rope, e: act::TextEdit, enc: Encoding) -> TextEdit {
    TextEdit {
        range: convert::range(rope, e.span, enc),
        new_text: e.text,
    }
}

/// The protocol form of a change: `documentChanges` (with file creation first) when the client supports
/// them, else a `changes` map.
fn workspace_edit(
    b: &Backend,
    uri: &Uri,
    snap: &Snapshot,
    change: act::Change,
    enc: Encoding,
    support: ClientSupport,
) -> Option<WorkspaceEdit> {
    // (uri, version, edits)
    let mut files: Vec<(Uri, Option<i32>, Vec<TextEdit>)> = Vec::new();
    if !change.edits.is_empty() {
        let edits = change
            .edits
            .into_iter()
            .map(|e| text_edit(&snap.rope, e, enc))
            .collect();
        files.push((uri.clone(), Some(snap.version), edits));
    }
    for f in change.others {
        let other = Uri::from_file_path(&f.path)?;
        let rope = Rope::from_str(&f.text);
        let version = b.snapshot(&other).map(|s| s.version);
        let edits = f
            .edits
            .into_iter()
            .map(|e| text_edit(&rope, e, enc))
            .collect();
        files.push((other, version, edits));
    }
    if change.created.is_empty() && !support.document_changes {
        let mut changes = HashMap::new();
        for (u, _, edits) in files {
            changes.insert(u, edits);
        }
        return Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        });
    }
    if !change.created.is_empty() && !support.create_files {
        return None;
    }
    let mut ops: Vec<DocumentChangeOperation> = Vec::new();
    for c in change.created {
        let created = Uri::from_file_path(&c.path)?;
        ops.push(DocumentChangeOperation::Op(ResourceOp::Create(
            CreateFile {
                uri: created.clone(),
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                }),
                annotation_id: None,
            },
        )));
        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: created,
                version: None,
            },
            edits: vec![OneOf::Left(TextEdit {
                range: Range::default(),
                new_text: c.text,
            })],
        }));
    }
    for (u, version, edits) in files {
        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri: u, version },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        }));
    }
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(ops)),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_matches_kinds_and_sub_kinds() {
        let only = [CodeActionKind::REFACTOR];
        assert!(wanted(Some(&only), "refactor.rewrite"));
        assert!(!wanted(Some(&only), "quickfix"));
        assert!(!wanted(
            Some(&[CodeActionKind::from("refactor.rew")]),
            "refactor.rewrite"
        ));
        assert!(wanted(
            Some(&[CodeActionKind::SOURCE]),
            act::SOURCE_OWNER_KIND
        ));
        assert!(wanted(None, "quickfix"));
        assert!(wanted(Some(&[CodeActionKind::EMPTY]), "quickfix"));
    }
}
