//! Robust framing of the client's input.
//!
//! The protocol library stops reading for good after the first message it cannot decode (malformed JSON, a bad
//! header, invalid UTF-8), which would end the session on one bad byte. So the server reads stdin itself,
//! re-frames every message, and hands the library only messages it can decode ([`pump`]):
//!
//! - a well-formed message is passed on byte for byte;
//! - a malformed one is answered directly with a JSON-RPC error (`-32700` parse error, `-32600` invalid
//!   request), with the client's `id` when it could be read and `null` otherwise, and the session goes on.
//!   The answer goes through [`output`], which owns stdout and writes the library's messages and these
//!   answers whole, never interleaved;
//! - a `Content-Length` that is too long is detected when the body holds one complete JSON value followed by
//!   more bytes: the value is the message, and the rest goes back to the input (it is usually the next
//!   message's header); garbage between messages is skipped up to the next `Content-Length` header;
//! - a declared length above [`MAX_MESSAGE`] is refused without buffering it, so memory stays bounded.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

use super::outbox::Outbox;

/// The largest message body accepted (a 5 MB document can take several times its size once JSON-escaped).
pub const MAX_MESSAGE: usize = 128 * 1024 * 1024;

/// The longest header block accepted before the input is treated as garbage.
const MAX_HEADER: usize = 8 * 1024;

const CONTENT_LENGTH: &[u8] = b"content-length";

/// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// One re-framed message for the protocol library.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A decodable message body, unchanged.
    Message(Vec<u8>),
    /// A malformed message: answer with this error.
    Invalid {
        id: Value,
        code: i64,
        message: String,
    },
}

impl Frame {
    /// The error response for an invalid message (`None` for a valid one).
    pub fn error_response(&self) -> Option<Vec<u8>> {
        match self {
            Frame::Message(_) => None,
            Frame::Invalid { id, code, message } => Some(
                json!({
                    "jsonrpc": "2.0",
                    "id": id,
                    "error": { "code": code, "message": crate::analysis::redact::redact(message) },
                })
                .to_string()
                .into_bytes(),
            ),
        }
    }
}

/// Prepends the header to a message body.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Splits a byte stream into frames. Pure: feed it bytes with [`Deframer::push`], take frames with
/// [`Deframer::next_frame`].
#[derive(Debug, Default)]
pub struct Deframer {
    buf: Vec<u8>,
    /// The body length of the message whose header was read.
    body_len: Option<usize>,
    /// An `exit` notification was framed.
    exit: bool,
    /// A `shutdown` request was framed.
    shutdown: bool,
}

fn invalid(id: Value, code: i64, message: impl Into<String>) -> Frame {
    Frame::Invalid {
        id,
        code,
        message: message.into(),
    }
}

/// The first case-insensitive occurrence of `Content-Length` at or after `from`.
fn find_header(buf: &[u8], from: usize) -> Option<usize> {
    if buf.len() < CONTENT_LENGTH.len() {
        return None;
    }
    (from..=buf.len() - CONTENT_LENGTH.len())
        .find(|&i| buf[i..i + CONTENT_LENGTH.len()].eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// Where the header block ends, if it is complete: (end of the headers, start of the body). The block ends
/// at the first empty line (`\r\n\r\n`, or `\n\n` from lenient clients); only the first [`MAX_HEADER`]
/// bytes are searched.
fn header_end(buf: &[u8]) -> Option<(usize, usize)> {
    let head = &buf[..buf.len().min(MAX_HEADER + 4)];
    head.iter().enumerate().find_map(|(i, &b)| {
        if b != b'\n' {
            return None;
        }
        match &head[i + 1..] {
            [b'\n', ..] => Some((i, i + 2)),
            [b'\r', b'\n', ..] if i > 0 && head[i - 1] == b'\r' => Some((i - 1, i + 3)),
            _ => None,
        }
    })
}

/// The `Content-Length` of a header block, when every line is a `name: value` header.
fn content_length(block: &[u8]) -> Option<Result<usize, String>> {
    let text = std::str::from_utf8(block).ok()?;
    let mut len = None;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        let (name, value) = line.split_once(':')?;
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        if name.eq_ignore_ascii_case("content-length") {
            len = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| "the Content-Length header is not a length".to_string()),
            );
        }
    }
    len
}

impl Deframer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Whether an `exit` notification has been framed (what follows it does not matter).
    pub fn exit_seen(&self) -> bool {
        self.exit
    }

    /// Whether a `shutdown` request or an `exit` notification has been framed.
    pub fn stop_seen(&self) -> bool {
        self.exit || self.shutdown
    }

    /// Bytes received but not yet framed.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// The next frame, or `None` when more input is needed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(len) = self.body_len {
                if self.buf.len() < len {
                    return None;
                }
                self.body_len = None;
                return Some(self.body(len));
            }
            if self.buf.is_empty() {
                return None;
            }
            // Garbage before a header: skip to the header, reporting it once.
            match find_header(&self.buf, 0) {
                Some(0) => {}
                Some(p) => {
                    if self.buf[..p].iter().all(u8::is_ascii_whitespace) {
                        self.buf.drain(..p);
                        continue;
                    }
                    // Other headers (e.g. Content-Type) may come before Content-Length.
                    let is_headers = header_end(&self.buf).is_some_and(|(end, _)| {
                        end > p && content_length(&self.buf[..end]).is_some()
                    });
                    if !is_headers {
                        self.buf.drain(..p);
                        return Some(invalid(
                            Value::Null,
                            PARSE_ERROR,
                            "unexpected bytes between messages (skipped to the next Content-Length header)",
                        ));
                    }
                }
                None => {
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        self.buf.clear();
                        return None;
                    }
                    if self.buf.len() > MAX_HEADER {
                        // Keep a tail that may be the start of a header split across reads.
                        let keep = CONTENT_LENGTH.len() - 1;
                        self.buf.drain(..self.buf.len() - keep);
                        return Some(invalid(
                            Value::Null,
                            PARSE_ERROR,
                            "unexpected bytes between messages (no Content-Length header)",
                        ));
                    }
                    return None;
                }
            }
            let Some((end, after)) = header_end(&self.buf) else {
                if self.buf.len() > MAX_HEADER {
                    self.buf.drain(..1);
                    return Some(invalid(
                        Value::Null,
                        PARSE_ERROR,
                        "the message header is too long",
                    ));
                }
                return None;
            };
            let parsed = content_length(&self.buf[..end]);
            match parsed {
                Some(Ok(len)) if len <= MAX_MESSAGE => {
                    self.buf.drain(..after);
                    self.body_len = Some(len);
                }
                Some(Ok(len)) => {
                    self.buf.drain(..after);
                    return Some(invalid(
                        Value::Null,
                        PARSE_ERROR,
                        format!("message of {len} bytes refused: the limit is {MAX_MESSAGE} bytes"),
                    ));
                }
                Some(Err(e)) => {
                    self.buf.drain(..after);
                    return Some(invalid(Value::Null, PARSE_ERROR, e));
                }
                None => {
                    // Not a header block after all: skip past this occurrence and look for the next one.
                    let skip = find_header(&self.buf, 1).unwrap_or(after);
                    self.buf.drain(..skip);
                    return Some(invalid(
                        Value::Null,
                        PARSE_ERROR,
                        "malformed message header",
                    ));
                }
            }
        }
    }

    /// Takes a body of `len` bytes (or less, when it holds one complete JSON value and more).
    fn body(&mut self, len: usize) -> Frame {
        let body = &self.buf[..len];
        let mut values = serde_json::Deserializer::from_slice(body).into_iter::<Value>();
        let first = values.next();
        let used = values.byte_offset();
        let frame = match first {
            Some(Ok(value)) => {
                let consumed = if body[used..].iter().all(u8::is_ascii_whitespace) {
                    len
                } else {
                    // The Content-Length was too long: the rest belongs to what follows.
                    tracing::warn!(
                        "a message's Content-Length ({len}) is longer than its JSON body ({used}); \
                         reading on after the body"
                    );
                    used
                };
                let frame = check_message(&body[..used], &value);
                if matches!(frame, Frame::Message(_)) && value.get("method") == Some(&json!("exit"))
                {
                    self.exit = true;
                }
                if matches!(frame, Frame::Message(_))
                    && value.get("method") == Some(&json!("shutdown"))
                {
                    self.shutdown = true;
                }
                self.buf.drain(..consumed);
                return frame;
            }
            Some(Err(e)) => invalid(
                Value::Null,
                PARSE_ERROR,
                format!("the message is not valid JSON: {e}"),
            ),
            None => invalid(Value::Null, PARSE_ERROR, "the message body is empty"),
        };
        self.buf.drain(..len);
        frame
    }
}

/// A JSON value is passed on when the protocol library can decode it as a request, notification or response.
fn check_message(bytes: &[u8], value: &Value) -> Frame {
    if serde_json::from_slice::<Request>(bytes).is_ok()
        || serde_json::from_slice::<Response>(bytes).is_ok()
    {
        return Frame::Message(bytes.to_vec());
    }
    let id = match value.get("id") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) if n.is_i64() => Value::Number(n.clone()),
        _ => Value::Null,
    };
    let why = if !value.is_object() {
        "a message must be a JSON object".to_string()
    } else if value.get("jsonrpc") != Some(&json!("2.0")) {
        "a message must have \"jsonrpc\": \"2.0\"".to_string()
    } else if value.get("method").is_some_and(|m| !m.is_string()) {
        "\"method\" must be a string".to_string()
    } else if value.get("id").is_some() && id.is_null() {
        "\"id\" must be an integer or a string".to_string()
    } else {
        "not a valid JSON-RPC request, notification or response".to_string()
    };
    invalid(id, INVALID_REQUEST, why)
}

/// Copies `input` to `to_server`, re-framed (see the module docs), until an `exit` notification or the end of
/// the input; error responses for malformed messages are queued on `to_client`. Sets `eof` when the input ends first,
/// before closing `to_server`.
pub async fn pump(
    mut input: impl AsyncRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    to_client: Arc<Outbox>,
    eof: Arc<AtomicBool>,
) {
    let mut de = Deframer::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        de.push(&chunk[..n]);
        while let Some(frame) = de.next_frame() {
            match frame {
                Frame::Message(body) => {
                    // Stop what runs as soon as `shutdown` or `exit` is read, before the server gets to them:
                    // the handler of a message before them may be computing on the message loop (a parse).
                    if de.stop_seen() {
                        crate::cancel::stop_all();
                    }
                    if to_server.write_all(&framed(&body)).await.is_err()
                        || to_server.flush().await.is_err()
                    {
                        // The server stopped reading (after `exit`).
                        return;
                    }
                }
                invalid => {
                    if let Frame::Invalid { code, message, .. } = &invalid {
                        tracing::warn!("invalid message from the client ({code}): {message}");
                    }
                    if let Some(resp) = invalid.error_response() {
                        to_client.message(resp);
                    }
                }
            }
            if de.exit_seen() {
                // The server ends on `exit`; input closing after it is not an end of input.
                return;
            }
        }
    }
    if de.pending() > 0 {
        tracing::warn!(
            "input ended inside a message ({} bytes dropped)",
            de.pending()
        );
    }
    eof.store(true, Ordering::SeqCst);
    crate::cancel::stop_all();
    let _ = to_server.shutdown().await;
}

/// Splits the protocol library's own output (always well framed) into whole messages.
#[derive(Debug, Default)]
struct OutputFramer {
    buf: Vec<u8>,
    /// The length of the current message (header and body), once its header is read.
    len: Option<usize>,
}

impl OutputFramer {
    fn next_message(&mut self) -> Option<Vec<u8>> {
        let len = match self.len {
            Some(len) => len,
            None => {
                let (end, after) = header_end(&self.buf)?;
                match content_length(&self.buf[..end]) {
                    Some(Ok(len)) => after + len,
                    // Not expected from the library; pass whatever it is through rather than lose it.
                    _ => return Some(std::mem::take(&mut self.buf)),
                }
            }
        };
        if self.buf.len() < len {
            self.len = Some(len);
            return None;
        }
        self.len = None;
        let rest = self.buf.split_off(len);
        Some(std::mem::replace(&mut self.buf, rest))
    }
}

/// Writes the protocol library's messages (read from `from_server`) and the message bodies queued on `queued`
/// (the error responses of [`pump`] and the server's diagnostics, see [`Outbox`]) to `stdout`, each message
/// whole. Ends when the library's output ends, after writing everything queued.
///
/// One queued body is written per turn, so while the client is slow to read, what waits stays in the outbox,
/// where a newer list of a document replaces a waiting one.
pub async fn output(
    mut from_server: impl AsyncRead + Unpin,
    queued: Arc<Outbox>,
    mut stdout: impl AsyncWrite + Unpin,
) {
    let mut framer = OutputFramer::default();
    let mut chunk = vec![0u8; 64 * 1024];
    // the queued body to write next, taken out of the outbox only when it is this body's turn
    let mut next: Option<Vec<u8>> = None;
    loop {
        if next.is_none() {
            next = queued.take();
        }
        let have_next = next.is_some();
        let outbox = &*queued;
        tokio::select! {
            // the library's answers first: a completion is not held up behind a long list of diagnostics
            biased;
            read = from_server.read(&mut chunk) => {
                let n = match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                framer.buf.extend_from_slice(&chunk[..n]);
                while let Some(msg) = framer.next_message() {
                    if stdout.write_all(&msg).await.is_err() {
                        return;
                    }
                }
            }
            () = async move {
                if !have_next {
                    outbox.queued().await;
                }
            } => {
                if let Some(body) = next.take() {
                    if stdout.write_all(&framed(&body)).await.is_err() {
                        return;
                    }
                }
            }
        }
        if stdout.flush().await.is_err() {
            return;
        }
    }
    if !framer.buf.is_empty() {
        let _ = stdout.write_all(&framer.buf).await;
    }
    if let Some(body) = next {
        let _ = stdout.write_all(&framed(&body)).await;
    }
    while let Some(body) = queued.take() {
        let _ = stdout.write_all(&framed(&body)).await;
    }
    let _ = stdout.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    const REQ: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
    const NOTE: &str = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    fn all(de: &mut Deframer) -> Vec<Frame> {
        std::iter::from_fn(|| de.next_frame()).collect()
    }

    fn is_invalid(f: &Frame, code: i64) -> bool {
        matches!(f, Frame::Invalid { code: c, .. } if *c == code)
    }

    #[test]
    fn well_formed_messages_pass_unchanged_even_byte_by_byte() {
        let mut input = frame(REQ);
        input.extend(frame(NOTE));
        let mut de = Deframer::new();
        let mut out = Vec::new();
        for b in &input {
            de.push(&[*b]);
            out.extend(all(&mut de));
        }
        assert_eq!(
            out,
            vec![
                Frame::Message(REQ.as_bytes().to_vec()),
                Frame::Message(NOTE.as_bytes().to_vec())
            ]
        );
        assert_eq!(de.pending(), 0);
    }

    #[test]
    fn malformed_json_becomes_a_parse_error_and_reading_goes_on() {
        let mut de = Deframer::new();
        de.push(&frame("{not json"));
        de.push(&frame(REQ));
        let out = all(&mut de);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(is_invalid(&out[0], PARSE_ERROR));
        assert_eq!(out[1], Frame::Message(REQ.as_bytes().to_vec()));
    }

    #[test]
    fn invalid_requests_keep_their_id() {
        let mut de = Deframer::new();
        de.push(&frame(r#"{"jsonrpc":"2.0","id":7,"method":3}"#));
        de.push(&frame(r#"{"jsonrpc":"1.0","id":"x","method":"a"}"#));
        de.push(&frame(r#"[1,2]"#));
        de.push(&frame(r#"{"jsonrpc":"2.0","id":1.5,"method":"a"}"#));
        let out = all(&mut de);
        assert_eq!(out.len(), 4, "{out:?}");
        assert!(
            matches!(&out[0], Frame::Invalid { id, code: INVALID_REQUEST, .. } if *id == json!(7))
        );
        assert!(matches!(&out[1], Frame::Invalid { id, .. } if *id == json!("x")));
        assert!(matches!(
            &out[2],
            Frame::Invalid {
                id: Value::Null,
                ..
            }
        ));
        assert!(matches!(
            &out[3],
            Frame::Invalid {
                id: Value::Null,
                ..
            }
        ));
        // the answer is a valid response
        let body = out[0].error_response().expect("an error response");
        assert!(serde_json::from_slice::<Response>(&body).is_ok());
        let v: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["id"], 7);
        assert_eq!(v["error"]["code"], INVALID_REQUEST);
    }

    #[test]
    fn too_long_content_length_recovers_both_messages() {
        let mut input = format!("Content-Length: {}\r\n\r\n{REQ}", REQ.len() + 10).into_bytes();
        input.extend(frame(NOTE));
        let mut de = Deframer::new();
        de.push(&input);
        let out = all(&mut de);
        assert_eq!(
            out,
            vec![
                Frame::Message(REQ.as_bytes().to_vec()),
                Frame::Message(NOTE.as_bytes().to_vec())
            ]
        );
    }

    #[test]
    fn too_short_content_length_is_an_error_then_resyncs() {
        let mut input = format!("Content-Length: {}\r\n\r\n{REQ}", REQ.len() - 5).into_bytes();
        input.extend(frame(NOTE));
        let mut de = Deframer::new();
        de.push(&input);
        let out = all(&mut de);
        assert!(is_invalid(&out[0], PARSE_ERROR), "{out:?}");
        assert_eq!(
            out.last(),
            Some(&Frame::Message(NOTE.as_bytes().to_vec())),
            "{out:?}"
        );
    }

    #[test]
    fn bad_headers_and_garbage_are_skipped() {
        let mut de = Deframer::new();
        de.push(b"Content-Length: abc\r\n\r\n");
        de.push(b"hello garbage\r\n\r\n");
        de.push(b"Content-Length: 99999999999999\r\n\r\n");
        de.push(b"Content-Length: -4\r\n\r\n");
        de.push(b"\r\n");
        de.push(&frame(REQ));
        let out = all(&mut de);
        assert_eq!(
            out.last(),
            Some(&Frame::Message(REQ.as_bytes().to_vec())),
            "{out:?}"
        );
        assert_eq!(out.len(), 5, "{out:?}");
        assert!(out[..4].iter().all(|f| is_invalid(f, PARSE_ERROR)));
    }

    #[test]
    fn other_headers_and_lowercase_names_are_accepted() {
        let mut de = Deframer::new();
        let input = format!(
            "Content-Type: application/vscode-jsonrpc; charset=latin1\r\ncontent-length: {}\r\n\r\n{REQ}",
            REQ.len()
        );
        de.push(input.as_bytes());
        assert_eq!(all(&mut de), vec![Frame::Message(REQ.as_bytes().to_vec())]);
    }

    #[test]
    fn invalid_utf8_and_lone_surrogates_are_parse_errors() {
        let mut de = Deframer::new();
        let mut bad = br#"{"jsonrpc":"2.0","method":"x","params":""#.to_vec();
        bad.extend([0xff, 0xfe]);
        bad.extend(br#""}"#);
        let mut input = format!("Content-Length: {}\r\n\r\n", bad.len()).into_bytes();
        input.extend(&bad);
        input.extend(frame(r#"{"jsonrpc":"2.0","method":"x","params":"\ud800"}"#));
        input.extend(frame(REQ));
        de.push(&input);
        let out = all(&mut de);
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(is_invalid(&out[0], PARSE_ERROR));
        assert!(is_invalid(&out[1], PARSE_ERROR));
    }

    #[test]
    fn output_frames_are_split_whole() {
        let mut f = OutputFramer::default();
        let mut bytes = frame(REQ);
        bytes.extend(frame(NOTE));
        for b in &bytes[..bytes.len() - 3] {
            f.buf.push(*b);
        }
        assert_eq!(f.next_message(), Some(frame(REQ)));
        assert_eq!(f.next_message(), None);
        f.buf.extend_from_slice(&bytes[bytes.len() - 3..]);
        assert_eq!(f.next_message(), Some(frame(NOTE)));
        assert_eq!(f.next_message(), None);
    }

    #[test]
    fn deep_json_is_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let mut de = Deframer::new();
        de.push(&frame(&deep));
        let out = all(&mut de);
        assert_eq!(out.len(), 1);
        assert!(is_invalid(&out[0], PARSE_ERROR));
    }

    /// A client that does not read: the list being written when it stopped still arrives whole, then the
    /// library's answers, then the document's newest list; none of the lists in between.
    #[tokio::test(flavor = "current_thread")]
    async fn a_client_that_stops_reading_gets_the_answers_and_only_the_newest_list() {
        let outbox = Arc::new(Outbox::default());
        let (mut library, from_server) = tokio::io::duplex(64 * 1024);
        let (stdout, mut client) = tokio::io::duplex(1024);
        let list = |v: usize| {
            json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                   "params": {"version": v, "pad": "x".repeat(8 * 1024)}})
            .to_string()
        };
        outbox.diagnostics("a".into(), list(1).into_bytes());
        let task = tokio::spawn(output(from_server, outbox.clone(), stdout));
        // the output task starts writing the first list and blocks: the client reads nothing yet
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        for v in 2..=50 {
            outbox.diagnostics("a".into(), list(v).into_bytes());
        }
        library.write_all(&frame(REQ)).await.expect("write");
        drop(library);
        let mut out = Vec::new();
        client.read_to_end(&mut out).await.expect("read");
        task.await.expect("output task");
        let mut de = Deframer::new();
        de.push(&out);
        let bodies: Vec<String> = all(&mut de)
            .into_iter()
            .map(|f| match f {
                Frame::Message(b) => String::from_utf8(b).expect("utf-8"),
                other => panic!("not a whole message: {other:?}"),
            })
            .collect();
        let versions: Vec<u64> = bodies
            .iter()
            .filter_map(|b| serde_json::from_str::<Value>(b).ok()?["params"]["version"].as_u64())
            .collect();
        assert!(
            bodies.iter().any(|b| b == REQ),
            "the library's message arrived"
        );
        assert_eq!(versions.last(), Some(&50), "the newest list arrived");
        assert!(
            versions.len() <= 2,
            "at most the list being written and the newest: {versions:?}"
        );
    }
}
