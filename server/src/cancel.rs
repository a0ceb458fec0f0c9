//! Cooperative cancellation, below every layer (each may check it; none depends on the protocol).
//!
//! Long work (an analysis, a walk over a project's files, a parse) asks [`Cancel::is_cancelled`] between its
//! stages and stops early when the answer is no longer wanted: the client cancelled the request, or the server
//! is stopping. [`stop_all`] is the process-wide switch: it is thrown when `shutdown` or `exit` is read, or
//! the input ends, and from then on every token reads as cancelled and every parse is given up.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

static STOPPING: AtomicBool = AtomicBool::new(false);

/// What [`stop_all`] also calls, once: e.g. waking work that waits for a turn, so it can see it is not wanted.
type StopHook = Box<dyn Fn() + Send>;
static STOP_HOOKS: std::sync::Mutex<Vec<StopHook>> = std::sync::Mutex::new(Vec::new());

/// Stops all work of this process: the server is shutting down.
pub fn stop_all() {
    if STOPPING.swap(true, Ordering::SeqCst) {
        return;
    }
    let hooks = STOP_HOOKS
        .lock()
        .map(|mut h| std::mem::take(&mut *h))
        .unwrap_or_default();
    for hook in hooks {
        hook();
    }
}

/// Calls `hook` when [`stop_all`] is called (at once when it already was).
pub fn on_stop(hook: impl Fn() + Send + 'static) {
    if stopping() {
        hook();
        return;
    }
    if let Ok(mut h) = STOP_HOOKS.lock() {
        h.push(Box::new(hook));
    }
}

/// Whether [`stop_all`] was called.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::Relaxed)
}

thread_local! {
    /// The token of the work this thread runs (see [`with_current`]).
    static CURRENT: std::cell::RefCell<Cancel> = std::cell::RefCell::new(Cancel::never());
}

/// Runs `f` with `token` as this thread's current token, so code deep inside the work can check it with
/// [`cancelled`] without being handed it.
pub fn with_current<T>(token: &Cancel, f: impl FnOnce() -> T) -> T {
    let before = CURRENT.with(|c| c.replace(token.clone()));
    struct Restore(Option<Cancel>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(t) = self.0.take() {
                CURRENT.with(|c| *c.borrow_mut() = t);
            }
        }
    }
    let _restore = Restore(Some(before));
    f()
}

/// This thread's current token (see [`with_current`]), to hand to a thread that does part of the work.
pub fn current() -> Cancel {
    CURRENT.with(|c| c.borrow().clone())
}

/// Whether the work this thread runs is no longer wanted (the server is stopping, or the current token of
/// [`with_current`] was cancelled).
pub fn cancelled() -> bool {
    stopping() || CURRENT.with(|c| c.borrow().is_cancelled())
}

/// Whether one piece of work is still wanted. Cheap to clone and to check.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Option<Arc<AtomicBool>>);

/// Cancels its [`Cancel`] when dropped: held by whoever waits for the work, so that dropping the waiter (a
/// request cancelled by the client) stops the work.
#[derive(Debug)]
pub struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// The answer of work that was stopped before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl Cancel {
    /// A token that only [`stop_all`] cancels.
    pub fn never() -> Self {
        Cancel(None)
    }

    /// A token and the guard that cancels it when dropped.
    pub fn new() -> (Self, CancelOnDrop) {
        let flag = Arc::new(AtomicBool::new(false));
        (Cancel(Some(flag.clone())), CancelOnDrop(flag))
    }

    pub fn is_cancelled(&self) -> bool {
        stopping() || self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// `Err(Cancelled)` once cancelled, for `?` between stages.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_the_guard_cancels_and_never_is_only_stopped_by_stop_all() {
        let (c, guard) = Cancel::new();
        let copy = c.clone();
        assert!(!c.is_cancelled());
        assert_eq!(c.check(), Ok(()));
        drop(guard);
        assert!(c.is_cancelled() && copy.is_cancelled());
        assert_eq!(c.check(), Err(Cancelled));
        let (c2, g2) = Cancel::new();
        assert!(!cancelled());
        with_current(&c2, || {
            assert!(!cancelled());
            drop(g2);
            assert!(cancelled());
        });
        assert!(!cancelled(), "the thread's token is restored");
        // (stop_all is process-wide and would cancel the other unit tests' work: not called here; the protocol
        // tests hold it through the binary)
        assert!(!Cancel::never().is_cancelled());
    }
}
