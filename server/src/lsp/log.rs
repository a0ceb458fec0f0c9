//! Where log lines go. Before the connection exists (and after it ends) they go to stderr, with a timestamp and
//! a level. While it exists they go to the client as `window/logMessage`, with the level as the message type
//! and neither timestamp nor level in the text: every client adds its own, and every client shows whatever a
//! server writes to stderr as an error (Neovim's `lsp.log`, Helix's `:log-open`, VS Code's output channel).
//!
//! The text is the same as on stderr, so what the secrets test proves of one holds for the other: log lines name
//! files, positions, counts and codes, never document text or setting values. Both ways pass through the secret
//! masker ([`crate::analysis::redact`]) as whole lines: [`ClientLayer`] before sending, [`Stderr`] before writing,
//! so a call site that quotes a value by mistake still cannot print a credential.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::mpsc::{channel, error::TrySendError, Receiver, Sender};
use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::Client;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};

use crate::analysis::redact::redact;

/// The log lines on their way to the client, while a connection exists.
static SINK: RwLock<Option<Lines>> = RwLock::new(None);

/// How many log lines may wait for the client. A client that does not read its input holds up the lines (the
/// protocol library's output waits for it); past this many, lines are dropped and counted, and the next line
/// that gets through says how many (a `trace` log while the client does not read would otherwise grow without
/// end).
const MAX_WAITING_LINES: usize = 1000;

/// The sending end of the log lines' queue, with the count of lines dropped since the last one that got in.
#[derive(Clone)]
struct Lines {
    tx: Sender<(MessageType, String)>,
    dropped: Arc<AtomicUsize>,
}

impl Lines {
    fn new() -> (Lines, Receiver<(MessageType, String)>) {
        let (tx, rx) = channel(MAX_WAITING_LINES);
        let lines = Lines {
            tx,
            dropped: Arc::default(),
        };
        (lines, rx)
    }

    /// Queues a line, or counts it as dropped when the queue is full. A line that gets in after dropped ones is
    /// preceded by a warning that counts them.
    fn push(&self, typ: MessageType, text: String) {
        let dropped = self.dropped.swap(0, Ordering::SeqCst);
        if dropped > 0 {
            let note = format!(
                "{dropped} log lines were dropped: the client was not reading the server's output"
            );
            if self.tx.try_send((MessageType::WARNING, note)).is_err() {
                self.dropped.fetch_add(dropped + 1, Ordering::SeqCst);
                return;
            }
        }
        if let Err(TrySendError::Full(_)) = self.tx.try_send((typ, text)) {
            self.dropped.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Events of the library's own client, which sends our log lines: they must not be sent through it again.
const CLIENT_TARGET: &str = "tower_lsp_server::service::client";

/// Whether log lines currently go to the client (so the stderr writer must skip them).
pub fn to_client(meta: &tracing::Metadata<'_>) -> bool {
    !meta.target().starts_with(CLIENT_TARGET) && SINK.read().is_ok_and(|s| s.is_some())
}

/// Set once `shutdown` arrives: what the library's client then fails to send (our last log lines, racing the
/// end of the connection) is not worth an error on stderr, which every editor shows as an error.
static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

/// Whether a log line goes to stderr: when it does not go to the client, except for the library client's own
/// complaints after `shutdown`.
pub fn to_stderr(meta: &tracing::Metadata<'_>) -> bool {
    if to_client(meta) {
        return false;
    }
    !(SHUTTING_DOWN.load(Ordering::SeqCst) && meta.target().starts_with(CLIENT_TARGET))
}

/// The client asked the server to shut down.
pub fn shutting_down() {
    SHUTTING_DOWN.store(true, Ordering::SeqCst);
}

/// Starts sending log lines to `client`; they stop when [`disconnect`] is called or the returned task ends.
pub fn connect(client: Client) {
    let (lines, rx) = Lines::new();
    if let Ok(mut sink) = SINK.write() {
        *sink = Some(lines);
    }
    tokio::spawn(forward(client, rx));
}

/// Log lines go to stderr again (the connection is ending).
pub fn disconnect() {
    if let Ok(mut sink) = SINK.write() {
        *sink = None;
    }
}

async fn forward(client: Client, mut rx: Receiver<(MessageType, String)>) {
    while let Some((typ, message)) = rx.recv().await {
        client.log_message(typ, message).await;
    }
}

/// The `MessageType` of a level. LSP 3.17 has no debug type: debug and trace lines are `Log`.
pub fn message_type(level: &Level) -> MessageType {
    match *level {
        Level::ERROR => MessageType::ERROR,
        Level::WARN => MessageType::WARNING,
        Level::INFO => MessageType::INFO,
        _ => MessageType::LOG,
    }
}

/// The layer that sends log lines to the client while connected.
pub struct ClientLayer;

impl<S: Subscriber> Layer<S> for ClientLayer {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if !to_client(event.metadata()) {
            return;
        }
        let mut line = Line::default();
        event.record(&mut line);
        let Ok(sink) = SINK.read() else {
            return;
        };
        if let Some(lines) = sink.as_ref() {
            let text = redact(&line.text).into_owned();
            lines.push(message_type(event.metadata().level()), text);
        }
    }
}

/// The stderr writer of the log: each formatted line is masked before it is written. (The formatting layer
/// writes one event's whole line in one call, so a value is never split between two writes.)
#[derive(Clone, Copy, Default)]
pub struct Stderr;

impl<'a> MakeWriter<'a> for Stderr {
    type Writer = Stderr;

    fn make_writer(&'a self) -> Self::Writer {
        Stderr
    }
}

impl std::io::Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        std::io::stderr().write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// The text of one event: its message, then its other fields as `name=value`.
#[derive(Default)]
struct Line {
    text: String,
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.push(field, format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.push(field, format_args!("{value:?}"));
    }
}

impl Line {
    fn push(&mut self, field: &Field, value: std::fmt::Arguments<'_>) {
        // lines from the `log` crate (dependencies) carry their origin as `log.*` fields: not for the user
        if field.name().starts_with("log.") {
            return;
        }
        if field.name() == "message" {
            let rest = std::mem::take(&mut self.text);
            let _ = write!(self.text, "{value}");
            if !rest.is_empty() {
                self.text.push(' ');
                self.text.push_str(&rest);
            }
        } else {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            let _ = write!(self.text, "{}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_message_types() {
        assert_eq!(message_type(&Level::ERROR), MessageType::ERROR);
        assert_eq!(message_type(&Level::WARN), MessageType::WARNING);
        assert_eq!(message_type(&Level::INFO), MessageType::INFO);
        assert_eq!(message_type(&Level::DEBUG), MessageType::LOG);
        assert_eq!(message_type(&Level::TRACE), MessageType::LOG);
    }

    /// While nothing takes the lines (the client does not read), at most [`MAX_WAITING_LINES`] wait; the rest
    /// are counted, and the first line that gets in afterwards is preceded by the count.
    #[test]
    fn lines_the_client_does_not_take_are_bounded_and_counted() {
        let (lines, mut rx) = Lines::new();
        for i in 0..MAX_WAITING_LINES + 500 {
            lines.push(MessageType::LOG, format!("line {i}"));
        }
        let mut got = Vec::new();
        while let Ok(l) = rx.try_recv() {
            got.push(l);
        }
        assert_eq!(got.len(), MAX_WAITING_LINES);
        assert_eq!(got.last().map(|l| l.1.as_str()), Some("line 999"));
        lines.push(MessageType::INFO, "after".into());
        let rest: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(
            rest,
            [
                (
                    MessageType::WARNING,
                    "500 log lines were dropped: the client was not reading the server's output"
                        .into()
                ),
                (MessageType::INFO, "after".into())
            ]
        );
    }
}
