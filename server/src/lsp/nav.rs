//! Navigation and structure: definition, references, rename, symbols, code lens, inlay hints (protocol side).

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::*;

use super::Backend;

/// Adds the navigation capabilities.
pub fn capabilities(_caps: &mut ServerCapabilities, _client: &ClientCapabilities) {}

pub async fn goto_definition(
    _b: &Backend,
    _p: GotoDefinitionParams,
) -> RpcResult<Option<GotoDefinitionResponse>> {
    Ok(None)
}

pub async fn references(_b: &Backend, _p: ReferenceParams) -> RpcResult<Option<Vec<Location>>> {
    Ok(None)
}

pub async fn prepare_rename(
    _b: &Backend,
    _p: TextDocumentPositionParams,
) -> RpcResult<Option<PrepareRenameResponse>> {
    Ok(None)
}

pub async fn rename(_b: &Backend, _p: RenameParams) -> RpcResult<Option<WorkspaceEdit>> {
    Ok(None)
}

pub async fn document_symbol(
    _b: &Backend,
    _p: DocumentSymbolParams,
) -> RpcResult<Option<DocumentSymbolResponse>> {
    Ok(None)
}

pub async fn workspace_symbol(
    _b: &Backend,
    _p: WorkspaceSymbolParams,
) -> RpcResult<Option<WorkspaceSymbolResponse>> {
    Ok(None)
}

pub async fn code_lens(_b: &Backend, _p: CodeLensParams) -> RpcResult<Option<Vec<CodeLens>>> {
    Ok(None)
}

pub async fn inlay_hint(_b: &Backend, _p: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
    Ok(None)
}
