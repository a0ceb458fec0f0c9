//! Panic isolation. A panic while serving one message must not take the server down, and must be reported
//! in exactly one log line naming the method, the document URI and the position, but never any document
//! text (a panic message can quote the text it was slicing, so payloads are never printed).
//!
//! Two layers cooperate:
//! - [`Backend::guard`](super::Backend) wraps each analysis call (inner, so a failed analysis becomes an
//!   empty result or an error response while the rest of the handler carries on);
//! - [`CatchPanics`] wraps the whole service (outer, so a panic anywhere else in a handler still becomes an
//!   `InternalError` response for a request, or a dropped notification).
//!
//! The process-wide panic hook (installed by the binary) calls [`hook_should_log`] first: inside either layer
//! the hook stays silent and only records where the panic happened; the layer then logs the one line.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error as RpcError, ErrorCode, Id, Request, Response};
use tower_service::Service;

thread_local! {
    /// How many catching layers are active on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// Where the last caught panic happened (`file:line`), recorded by the hook.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Called by the panic hook with the panic's `file:line`. Returns `false` (and records the location) when a
/// catching layer on this thread will report the panic itself; `true` when the hook should log it.
pub fn hook_should_log(location: &str) -> bool {
    if CATCHING.with(Cell::get) == 0 {
        return true;
    }
    LOCATION.with(|l| *l.borrow_mut() = Some(location.to_string()));
    false
}

/// Runs `f`, catching a panic. On a panic, logs one line (`what` names the method, document and position)
/// and returns `None`.
pub fn catching<T>(what: impl FnOnce() -> String, f: impl FnOnce() -> T) -> Option<T> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let res = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    match res {
        Ok(v) => Some(v),
        Err(_) => {
            let at = LOCATION
                .with(|l| l.borrow_mut().take())
                .unwrap_or_else(|| "unknown location".to_string());
            tracing::error!("internal error (panic at {at}) in {}", what());
            None
        }
    }
}

/// `uri` and an optional zero-based `line:character`, for log lines.
pub fn describe(method: &str, uri: &str, pos: Option<(u32, u32)>) -> String {
    match pos {
        Some((l, c)) => format!("{method} for {uri} at {l}:{c}"),
        None => format!("{method} for {uri}"),
    }
}

/// Wraps the LSP service so a panic while handling any message becomes an `InternalError` response (for a
/// request) or a dropped notification, logged once; the server keeps serving. Also makes sure every request
/// gets a response: the protocol library answers nothing to an unknown `$/` request, where the specification
/// asks for `MethodNotFound`.
pub struct CatchPanics<S>(pub S);

impl<S> Service<Request> for CatchPanics<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Unpin,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = CatchFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let what = what_of(&req);
        let id = req.id().cloned();
        let method = req.method().to_string();
        let inner = catching(|| what.clone(), || self.0.call(req));
        CatchFuture {
            inner,
            id,
            method,
            what,
        }
    }
}

/// The future of [`CatchPanics`].
pub struct CatchFuture<F> {
    /// `None` when creating the future already panicked.
    inner: Option<F>,
    id: Option<Id>,
    method: String,
    what: String,
}

impl<F, E> Future for CatchFuture<F>
where
    F: Future<Output = Result<Option<Response>, E>> + Unpin,
{
    type Output = Result<Option<Response>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(Ok(this.id.take().map(internal_error)));
        };
        let what = &this.what;
        match catching(|| what.clone(), || Pin::new(inner).poll(cx)) {
            Some(Poll::Ready(Ok(None))) => Poll::Ready(Ok(this.id.take().map(|id| {
                Response::from_error(
                    id,
                    RpcError {
                        data: Some(serde_json::Value::String(this.method.clone())),
                        ..RpcError::method_not_found()
                    },
                )
            }))),
            Some(Poll::Ready(Ok(Some(resp)))) => Poll::Ready(Ok(Some(redact(resp)))),
            Some(p) => p,
            None => {
                // Never poll a future that panicked again.
                this.inner = None;
                Poll::Ready(Ok(this.id.take().map(internal_error)))
            }
        }
    }
}

/// Every error response passes the secret masker ([`crate::analysis::redact`]), its message and its data.
/// Invalid-params errors quote the offending value (`invalid type: string "…", expected u32`), which can be
/// anything the client sent, document text included: the quoted parts are left out first.
fn redact(resp: Response) -> Response {
    if resp.error().is_none() {
        return resp;
    }
    let (id, body) = resp.into_parts();
    Response::from_parts(
        id,
        body.map_err(|mut e| {
            let message = if e.code == ErrorCode::InvalidParams {
                redact_quoted(&e.message)
            } else {
                e.message.to_string()
            };
            e.message = crate::analysis::redact::redact(&message)
                .into_owned()
                .into();
            if let Some(serde_json::Value::String(d)) = &mut e.data {
                *d = crate::analysis::redact::redact(d).into_owned();
            }
            e
        }),
    )
}

/// `msg` with the text between each pair of `"` or `` ` `` replaced by `…`.
pub fn redact_quoted(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut quote: Option<char> = None;
    for c in msg.chars() {
        match quote {
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    quote = Some(c);
                    out.push('…');
                }
            }
            Some(q) if c == q => {
                out.push(c);
                quote = None;
            }
            Some(_) => {}
        }
    }
    out
}

fn internal_error(id: Id) -> Response {
    Response::from_error(
        id,
        RpcError {
            message:
                "internal error: the server hit a bug while handling this request (see its log)"
                    .into(),
            ..RpcError::internal_error()
        },
    )
}

/// The method, document URI and position of a message, for the log line (never its text).
fn what_of(req: &Request) -> String {
    let params = req.params();
    let doc = params
        .and_then(|p| p.get("textDocument"))
        .and_then(|t| t.get("uri"))
        .and_then(|u| u.as_str())
        .unwrap_or("-");
    let pos = params.and_then(|p| p.get("position")).and_then(|p| {
        let l = p.get("line")?.as_u64()?;
        let c = p.get("character")?.as_u64()?;
        Some((u32::try_from(l).ok()?, u32::try_from(c).ok()?))
    });
    describe(req.method(), doc, pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catching_turns_a_panic_into_none() {
        assert_eq!(catching(|| "t".to_string(), || 3), Some(3));
        let r: Option<()> = catching(|| "t".to_string(), || panic!("boom"));
        assert_eq!(r, None);
        // the layer count is restored
        assert_eq!(CATCHING.with(Cell::get), 0);
        assert!(hook_should_log("x.rs:1"));
    }

    #[test]
    fn quoted_values_are_redacted() {
        assert_eq!(
            redact_quoted("invalid type: string \"s3cr3t\", expected u32"),
            "invalid type: string \"…\", expected u32"
        );
        assert_eq!(
            redact_quoted("unknown variant `x`, expected `a`"),
            "unknown variant `…`, expected `…`"
        );
        assert_eq!(redact_quoted("no quotes"), "no quotes");
        assert_eq!(redact_quoted("open \"never closed"), "open \"…");
    }

    #[test]
    fn describe_names_uri_and_position() {
        assert_eq!(
            describe("hover", "file:///a.ts", Some((3, 4))),
            "hover for file:///a.ts at 3:4"
        );
        assert_eq!(describe("x", "u", None), "x for u");
    }
}
