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
    /// before it (they hold the lane, first come first served), so it sees the project as the client does: a
    /// group added in an opened auth file counts for a storage file asked about next.
    pub(crate) async fn offload_request<T, F>(&self, what: &str, f: F) -> Result<T, Stopped>
    where
        T: Send + 'static,
        F: FnOnce(&Backend, &Cancel) -> T + Send + 'static,
    {
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
