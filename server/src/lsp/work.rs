//! Work off the message loop. The protocol library polls every handler on one task, the one that also reads
//! the input: a handler that computes (an analysis of a large schema, a walk over a project, reading files)
//! would stop the server from reading, so a `$/cancelRequest`, a `shutdown` or the next keystroke would wait
//! for it. Handlers therefore only take a snapshot and hand the work to [`Backend::offload`], which runs it on
//! one of the pool's threads (one per core; first come, first served), and awaits it.
//!
//! Cancellation: when the client cancels a request, the library drops the handler's future, and with it the
//! [`CancelOnDrop`](crate::cancel::CancelOnDrop) guard: the work's token reads as cancelled, and the work stops
//! at its next check (between stages, between files). Work still waiting for a core never starts. When the
//! server stops (`shutdown`, `exit`, end of input), every token reads as cancelled.

use std::sync::Arc;

use tokio::sync::{Mutex, Semaphore};
use tower_lsp_server::jsonrpc::Error as RpcError;

use super::panics;
use super::server::Backend;
use crate::cancel::{self, Cancel};

/// A job for a worker thread.
type Job = Box<dyn FnOnce() + Send>;

/// The pool's state: a worker thread and a permit per core, and the lane that keeps a document's index updates
/// in arrival order. The threads are the pool's own (not the runtime's blocking pool, which starts a thread
/// whenever none is idle at that instant): a fixed few, each with its own parsers.
#[derive(Debug)]
pub(crate) struct Work {
    jobs: std::sync::mpsc::Sender<Job>,
    permits: Arc<Semaphore>,
    /// Held while a document's project summary is recomputed after an edit: edits are indexed one after the
    /// other, in the order they arrived, and one that is no longer current when its turn comes is skipped.
    pub(crate) lane: Mutex<()>,
    /// Which documents' edits are not indexed yet: what a request waits for (see [`Updates`]).
    pub(crate) updates: Updates,
}

/// The index updates of the documents' edits (`didOpen`, `didChange`, `didClose`), numbered in arrival order. A
/// request waits for the updates of the edits that arrived before it, and for no other: those that arrived
/// after it, and the updates of files changed on disk, do not hold it up.
///
/// An edit's handler takes a ticket before its first await ([`Updates::begin`]) and gives it back when its update
/// is done, or when it returns without one ([`Update`]'s drop). A document counts as indexed up to the ticket
/// handed back while it was the document's newest: an edit skipped because a newer one of the same document came
/// in (which indexes both) leaves the document pending until the newer one's update is done, so a request that
/// arrived between the two waits for that one.
#[derive(Debug, Default)]
pub(crate) struct Updates {
    state: std::sync::Mutex<UpdateState>,
    done: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct UpdateState {
    next: u64,
    /// Document -> its newest edit's ticket and the ticket up to which it was indexed when that edit's chain
    /// began, while that edit's update is not done. A document with nothing pending is indexed up to its last
    /// edit, so nothing is kept for it: the state holds the documents being edited, not every one ever edited.
    pending: std::collections::HashMap<String, Pending>,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    /// The newest edit's ticket.
    newest: u64,
    /// Every edit of the document up to this ticket is indexed.
    indexed: u64,
}

/// An edit's ticket (see [`Updates`]); dropping it says the edit's update is done.
#[derive(Debug)]
pub(crate) struct Update<'u> {
    updates: &'u Updates,
    uri: String,
    ticket: u64,
}

/// The updates a request waits for: (document, ticket) of the edits pending when it arrived.
#[derive(Debug)]
pub(crate) struct Before(Vec<(String, u64)>);

impl Updates {
    fn state(&self) -> std::sync::MutexGuard<'_, UpdateState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the ticket of an edit of `uri` that just arrived. Call it before the handler's first await.
    pub(crate) fn begin(&self, uri: &str) -> Update<'_> {
        let uri = crate::workspace::uri::canonical(uri);
        let mut st = self.state();
        st.next += 1;
        let ticket = st.next;
        // with nothing pending, every earlier edit of the document is indexed; otherwise the pending one is
        // skipped and the document stays indexed only up to where it was
        let indexed = st.pending.get(&uri).map_or(ticket - 1, |p| p.indexed);
        st.pending.insert(
            uri.clone(),
            Pending {
                newest: ticket,
                indexed,
            },
        );
        Update {
            updates: self,
            uri,
            ticket,
        }
    }

    /// Whether an edit of `uri` (`didOpen`, `didChange`, `didClose`) is being applied: its own handler updates
    /// the index with the document's text, so nothing else need read the file meanwhile.
    pub(crate) fn pending(&self, uri: &str) -> bool {
        let uri = crate::workspace::uri::canonical(uri);
        self.state().pending.contains_key(&uri)
    }

    /// The edits whose updates a request arriving now waits for. Call it before the handler's first await.
    pub(crate) fn before(&self) -> Before {
        Before(
            self.state()
                .pending
                .iter()
                .map(|(u, p)| (u.clone(), p.newest))
                .collect(),
        )
    }

    fn indexed(&self, before: &Before) -> bool {
        let st = self.state();
        before
            .0
            .iter()
            .all(|(u, t)| st.pending.get(u).is_none_or(|p| p.indexed >= *t))
    }

    /// Waits until every edit in `before` is indexed, or the server stops.
    pub(crate) async fn wait(&self, before: &Before) {
        loop {
            let done = self.done.notified();
            tokio::pin!(done);
            done.as_mut().enable();
            if cancel::stopping() || self.indexed(before) {
                return;
            }
            done.await;
        }
    }
}

impl Drop for Update<'_> {
    fn drop(&mut self) {
        let mut st = self.updates.state();
        if st
            .pending
            .get(&self.uri)
            .is_some_and(|p| p.newest == self.ticket)
        {
            st.pending.remove(&self.uri);
        }
        drop(st);
        self.updates.done.notify_waiters();
    }
}

impl Default for Work {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..cores {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("amplify-lsp-worker-{i}"))
                .spawn(move || loop {
                    // one job at a time per thread; the lock is held only to take it
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return, // the pool is gone
                    }
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start a worker thread: {e}");
            }
        }
        let permits = Arc::new(Semaphore::new(cores));
        // once the server stops, work waiting for a core gives up at once instead of waiting for its turn
        let waiting = Arc::downgrade(&permits);
        cancel::on_stop(move || {
            if let Some(p) = waiting.upgrade() {
                p.close();
            }
        });
        Work {
            jobs,
            permits,
            lane: Mutex::new(()),
            updates: Updates::default(),
        }
    }
}

/// Why offloaded work gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stopped {
    /// The request was cancelled or the server is stopping.
    Cancelled,
    /// The work panicked (logged where it happened).
    Failed,
}

impl From<Stopped> for RpcError {
    fn from(s: Stopped) -> Self {
        match s {
            Stopped::Cancelled => RpcError::request_cancelled(),
            Stopped::Failed => RpcError {
                message:
                    "internal error: the server hit a bug while handling this request (see its log)"
                        .into(),
                ..RpcError::internal_error()
            },
        }
    }
}

impl From<cancel::Cancelled> for RpcError {
    fn from(_: cancel::Cancelled) -> Self {
        RpcError::request_cancelled()
    }
}

impl Backend {
    /// [`Backend::offload`] for a request: it first waits for the index updates of the edits that arrived
    /// before it ([`Updates`]), then for the lane's current holder, so it sees the project as the client does: a
    /// group added in an opened auth file counts for a storage file asked about next.
    pub(crate) async fn offload_request<T, F>(&self, what: &str, f: F) -> Result<T, Stopped>
    where
        T: Send + 'static,
        F: FnOnce(&Backend, &Cancel) -> T + Send + 'static,
    {
        let before = self.work.updates.before();
        self.offload_after(&before, what, f).await
    }

    /// [`Backend::offload_request`] for a request that arrived when the edits in `before` were not indexed.
    pub(crate) async fn offload_after<T, F>(
        &self,
        before: &Before,
        what: &str,
        f: F,
    ) -> Result<T, Stopped>
    where
        T: Send + 'static,
        F: FnOnce(&Backend, &Cancel) -> T + Send + 'static,
    {
        self.work.updates.wait(before).await;
        drop(self.work.lane.lock().await);
        self.offload(what, f).await
    }

    /// Runs `f` on a blocking thread once a core is free, and waits for it. `what` names the work for the one
    /// log line of a panic. Dropping the returned future (a cancelled request) cancels `f`'s token.
    pub(crate) async fn offload<T, F>(&self, what: &str, f: F) -> Result<T, Stopped>
    where
        T: Send + 'static,
        F: FnOnce(&Backend, &Cancel) -> T + Send + 'static,
    {
        if cancel::stopping() {
            return Err(Stopped::Cancelled);
        }
        let permit = self
            .work
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Stopped::Cancelled)?;
        let (token, _armed) = Cancel::new();
        let b = self.clone();
        let what = what.to_string();
        let (done, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // the permit goes with the work: a cancelled job holds its core until it notices
            let _permit = permit;
            let result = (|| {
                token.check().map_err(|_| Stopped::Cancelled)?;
                let v =
                    cancel::with_current(&token, || panics::catching(|| what, || f(&b, &token)))
                        .ok_or(Stopped::Failed)?;
                token.check().map_err(|_| Stopped::Cancelled)?;
                Ok(v)
            })();
            // nobody waits any more when the request was cancelled
            let _ = done.send(result);
        });
        if self.work.jobs.send(job).is_err() {
            return Err(Stopped::Failed);
        }
        answer.await.unwrap_or(Err(Stopped::Failed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_waits_for_the_edits_before_it_and_a_skipped_edit_for_the_one_that_replaced_it() {
        let u = Updates::default();
        let first = u.begin("file:///a.ts");
        let asked = u.before();
        let other = u.before();
        // a newer edit of the same document: the first one's update is skipped, the newer one indexes both
        let second = u.begin("file:///a.ts");
        let later = u.before();
        drop(first);
        assert!(!u.indexed(&asked), "the first edit is not indexed yet");
        // an edit of another document after the request does not hold it up
        let unrelated = u.begin("file:///b.ts");
        drop(second);
        assert!(u.indexed(&asked) && u.indexed(&other) && u.indexed(&later));
        assert!(!u.indexed(&u.before()), "b.ts is pending");
        drop(unrelated);
        assert!(u.indexed(&u.before()));
        // nothing pending: nothing to wait for
        assert!(u.before().0.is_empty());
    }

    /// A request that asked while an edit was pending is done once that edit is, even if the document was
    /// edited again since; and a document with nothing pending leaves nothing behind (the state held every
    /// document ever edited).
    #[test]
    fn an_edit_after_the_request_does_not_hold_it_up_and_done_documents_are_forgotten() {
        let u = Updates::default();
        let first = u.begin("file:///a.ts");
        let asked = u.before();
        drop(first);
        let again = u.begin("file:///a.ts");
        assert!(u.indexed(&asked), "the edit it waited for is done");
        assert!(!u.indexed(&u.before()), "the new edit is pending");
        drop(again);
        for i in 0..1000 {
            drop(u.begin(&format!("file:///f{i}.ts")));
        }
        assert!(u.state().pending.is_empty());
        assert!(u.indexed(&asked));
    }
}
