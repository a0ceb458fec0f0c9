//! Code actions: the protocol side (listing, resolving). The edits are computed in `analysis::actions`.

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::*;

use super::Backend;

/// Adds the code-action capabilities.
pub fn capabilities(_caps: &mut ServerCapabilities, _client: &ClientCapabilities) {}

pub async fn code_action(
    _b: &Backend,
    _params: CodeActionParams,
) -> RpcResult<Option<CodeActionResponse>> {
    Ok(None)
}

pub async fn code_action_resolve(_b: &Backend, params: CodeAction) -> RpcResult<CodeAction> {
    Ok(params)
}
