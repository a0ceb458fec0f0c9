//! What the server writes to stdout besides the protocol library's own messages, waiting for the output task
//! ([`super::framing::output`]): the error answers to malformed input, and the diagnostics it pushes.
//!
//! Diagnostics are a document's state, not events: a list that has not left yet is worth nothing once a newer
//! list of the same document is ready. So a document has at most one list waiting here. A newer one takes the
//! older one's place in the queue (it leaves as early as the older would have), and the older one is dropped
//! unsent. When the client reads slower than the server checks (a 12,000-line schema's list is 170 KB, one per
//! keystroke), it gets the newest list at once instead of every stale one before it, and the memory waiting
//! here is bounded by the open documents, not by how long the client has not read.
//!
//! Other messages are never dropped or merged, and leave in the order they were queued.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use tokio::sync::Notify;

/// The queue between the server's threads and the output task.
#[derive(Debug, Default)]
pub struct Outbox {
    state: Mutex<State>,
    ready: Notify,
}

#[derive(Debug, Default)]
struct State {
    order: VecDeque<Entry>,
    /// Document -> its newest list not written yet (its place in `order` is an [`Entry::Diagnostics`]).
    lists: HashMap<String, Vec<u8>>,
}

#[derive(Debug)]
enum Entry {
    Message(Vec<u8>),
    Diagnostics(String),
}

impl Outbox {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a message body; it is written after everything queued before it.
    pub fn message(&self, body: Vec<u8>) {
        self.state().order.push_back(Entry::Message(body));
        self.ready.notify_one();
    }

    /// Queues the body of a `publishDiagnostics` for the document `key`; a list of that document still waiting
    /// is replaced by this one, in its place.
    pub fn diagnostics(&self, key: String, body: Vec<u8>) {
        let mut st = self.state();
        if let Some(waiting) = st.lists.get_mut(&key) {
            *waiting = body;
        } else {
            st.lists.insert(key.clone(), body);
            st.order.push_back(Entry::Diagnostics(key));
        }
        drop(st);
        self.ready.notify_one();
    }

    /// The next body to write, if any.
    pub fn take(&self) -> Option<Vec<u8>> {
        let mut st = self.state();
        loop {
            match st.order.pop_front()? {
                Entry::Message(body) => return Some(body),
                Entry::Diagnostics(key) => {
                    if let Some(body) = st.lists.remove(&key) {
                        return Some(body);
                    }
                }
            }
        }
    }

    /// Waits until something was queued since the last wait (returns at once if it was).
    pub async fn queued(&self) {
        self.ready.notified().await;
    }

    #[cfg(test)]
    pub(crate) fn waiting(&self) -> usize {
        self.state().order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(o: &Outbox) -> Vec<String> {
        std::iter::from_fn(|| o.take())
            .map(|b| String::from_utf8(b).expect("utf-8"))
            .collect()
    }

    #[test]
    fn a_newer_list_replaces_the_waiting_one_in_its_place_and_messages_all_leave_in_order() {
        let o = Outbox::default();
        o.diagnostics("a".into(), b"a1".to_vec());
        o.message(b"m1".to_vec());
        o.diagnostics("b".into(), b"b1".to_vec());
        o.diagnostics("a".into(), b"a2".to_vec());
        o.message(b"m2".to_vec());
        o.diagnostics("a".into(), b"a3".to_vec());
        assert_eq!(drain(&o), ["a3", "m1", "b1", "m2"]);
        // once a list has left, the next one of the same document queues again, at the end
        o.message(b"m3".to_vec());
        o.diagnostics("a".into(), b"a4".to_vec());
        assert_eq!(drain(&o), ["m3", "a4"]);
        assert_eq!(o.waiting(), 0);
    }

    #[test]
    fn the_waiting_lists_are_bounded_by_the_documents() {
        let o = Outbox::default();
        for v in 0..10_000 {
            o.diagnostics(format!("doc{}", v % 3), format!("{v}").into_bytes());
        }
        assert_eq!(o.waiting(), 3);
        assert_eq!(drain(&o), ["9999", "9997", "9998"]);
    }

    #[tokio::test]
    async fn what_was_queued_while_nobody_waited_is_not_missed() {
        let o = Outbox::default();
        o.message(b"m".to_vec());
        // the output task was busy writing when this was queued: its next wait returns at once
        tokio::time::timeout(std::time::Duration::from_secs(60), o.queued())
            .await
            .expect("the notification was kept");
        assert_eq!(drain(&o), ["m"]);
    }
}
