//! Pushing diagnostics to the client (`textDocument/publishDiagnostics`), serialised where they are computed.
//!
//! The protocol library turns a notification's parameters into a `serde_json::Value` and then that value into
//! text, both on the message loop. The benchmark's 12,000-line schema has 333 findings, 170 KB of JSON: those two
//! passes took about 1.2 ms of the loop per keystroke, between the list being ready and the client getting it,
//! while the loop could have been reading the next message. Here the whole message body is written once, by the thread that computed the
//! list, and handed to the output task ([`super::framing::output`]), which owns stdout and writes it whole
//! between the library's own messages. A list that is still waiting there when a newer list of the same
//! document comes is replaced by it (see [`super::outbox`]).
//!
//! Every publication goes this way, the empty list of a closed document too: with two paths, a reopened
//! document's list could overtake the empty list of its close.

use std::hash::{DefaultHasher, Hasher};

use serde::Serialize;
use std::sync::Arc;

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use super::outbox::Outbox;

#[derive(Serialize)]
struct Message<'a> {
    jsonrpc: &'static str,
    method: &'static str,
    params: Params<'a>,
}

/// The fields of the protocol's `PublishDiagnosticsParams`, borrowed.
#[derive(Serialize)]
struct Params<'a> {
    uri: &'a Uri,
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
}

/// One `textDocument/publishDiagnostics` notification, serialised (the message body, without its header).
pub(crate) struct Publication {
    /// The document, as the outbox tells documents apart (its canonical URI).
    key: String,
    body: Vec<u8>,
}

impl Publication {
    /// The notification for `uri`'s `diagnostics` (of `version`, when known); `None` if it does not serialise
    /// (it always does: the protocol's types serialise without fail).
    pub(crate) fn new(
        uri: &Uri,
        diagnostics: &[Diagnostic],
        version: Option<i32>,
    ) -> Option<Publication> {
        let message = Message {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: Params {
                uri,
                diagnostics,
                version,
            },
        };
        serde_json::to_vec(&message).ok().map(|body| Publication {
            key: crate::workspace::uri::canonical(uri.as_str()),
            body,
        })
    }

    /// A digest of the whole notification: equal for the same list of the same document and version.
    pub(crate) fn digest(&self) -> u64 {
        let mut h = DefaultHasher::new();
        h.write(&self.body);
        h.finish()
    }

    #[cfg(test)]
    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }
}

/// Hands publications to the output task.
#[derive(Clone)]
pub(crate) struct Publisher(Arc<Outbox>);

impl Publisher {
    pub(crate) fn new(to_output: Arc<Outbox>) -> Publisher {
        Publisher(to_output)
    }

    /// Queues `publication` for the client, after everything queued before it, in place of a list of the same
    /// document still waiting (see [`Outbox`]).
    pub(crate) fn send(&self, publication: Publication) {
        self.0.diagnostics(publication.key, publication.body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{
        DiagnosticSeverity, NumberOrString, Position, PublishDiagnosticsParams, Range,
    };

    fn uri() -> Uri {
        "file:///p/amplify/data/resource.ts".parse().expect("uri")
    }

    fn finding() -> Diagnostic {
        Diagnostic {
            range: Range::new(Position::new(3, 4), Position::new(3, 9)),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String("data/example".into())),
            source: Some("amplify".into()),
            message: "a \"quoted\" message\nwith a second line".into(),
            ..Diagnostic::default()
        }
    }

    /// The body is the notification the protocol library would send: the same method and the same parameters,
    /// with or without a version.
    #[test]
    fn the_body_is_the_protocols_notification() {
        for version in [Some(7), None] {
            let diags = vec![finding(), finding()];
            let p = Publication::new(&uri(), &diags, version).expect("serialises");
            let v: serde_json::Value = serde_json::from_slice(p.body()).expect("json");
            assert_eq!(v["jsonrpc"], "2.0");
            assert_eq!(v["method"], "textDocument/publishDiagnostics");
            let params: PublishDiagnosticsParams =
                serde_json::from_value(v["params"].clone()).expect("params");
            assert_eq!(params, PublishDiagnosticsParams::new(uri(), diags, version));
            // the library leaves out a missing version; so do we
            assert_eq!(v["params"].get("version").is_some(), version.is_some());
        }
    }

    #[test]
    fn the_digest_tells_lists_and_versions_apart() {
        let one = vec![finding()];
        let d = |diags: &[Diagnostic], version| {
            Publication::new(&uri(), diags, version)
                .expect("serialises")
                .digest()
        };
        assert_eq!(d(&one, Some(1)), d(&one, Some(1)));
        assert_ne!(d(&one, Some(1)), d(&[], Some(1)));
        assert_ne!(d(&one, Some(1)), d(&one, Some(2)));
    }

    #[test]
    fn publications_leave_in_the_order_sent_and_a_documents_newest_replaces_its_waiting_one() {
        let outbox = Arc::new(Outbox::default());
        let publisher = Publisher::new(outbox.clone());
        let other: Uri = "file:///p/amplify/auth/resource.ts".parse().expect("uri");
        for version in 1..=3 {
            publisher.send(Publication::new(&uri(), &[], Some(version)).expect("serialises"));
            publisher.send(Publication::new(&other, &[], Some(version)).expect("serialises"));
        }
        let sent: Vec<(String, i64)> = std::iter::from_fn(|| outbox.take())
            .map(|body| {
                let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
                let uri = v["params"]["uri"].as_str().expect("uri").to_string();
                (uri, v["params"]["version"].as_i64().expect("version"))
            })
            .collect();
        assert_eq!(
            sent,
            [
                ("file:///p/amplify/data/resource.ts".to_string(), 3),
                ("file:///p/amplify/auth/resource.ts".to_string(), 3)
            ]
        );
    }
}
