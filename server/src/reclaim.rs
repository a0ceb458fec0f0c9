//! Freeing large values away from the message loop. Dropping the file model of a 12,000-line schema frees
//! hundreds of thousands of small allocations (about 3 ms), and freeing its 447 KB text makes the allocator
//! consolidate its free lists; done where an edit is applied, both would sit between a keystroke and its
//! diagnostics. [`later`] hands such a value to a thread of its own that drops it.

use std::sync::mpsc::{channel, Sender};
use std::sync::OnceLock;

type Garbage = Box<dyn Send>;

/// The channel to the dropping thread; `None` when the thread could not be started (values are then dropped
/// where they are let go of, as usual).
static BIN: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();

/// Drops `value` on the dropping thread (started on first use).
pub fn later<T: Send + 'static>(value: T) {
    let bin = BIN.get_or_init(|| {
        let (tx, rx) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("amplify-lsp-free".into())
            .spawn(move || rx.into_iter().for_each(drop))
            .ok()
            .map(|_| tx)
    });
    match bin {
        // the thread is gone only if dropping panicked there: then drop here
        Some(tx) => {
            if let Err(back) = tx.send(Box::new(value)) {
                drop(back.0);
            }
        }
        None => drop(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    struct Flag(Arc<AtomicBool>, std::thread::ThreadId);

    impl Drop for Flag {
        fn drop(&mut self) {
            // dropped, and not on the thread that let go of it
            let elsewhere = std::thread::current().id() != self.1;
            self.0.store(elsewhere, Ordering::SeqCst);
        }
    }

    #[test]
    fn values_are_dropped_on_another_thread() {
        let done = Arc::new(AtomicBool::new(false));
        later(Flag(done.clone(), std::thread::current().id()));
        // bounded by work, not time: the thread drops in order, so a second value's drop follows the first
        let (tx, rx) = std::sync::mpsc::channel();
        struct Signal(std::sync::mpsc::Sender<()>);
        impl Drop for Signal {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        later(Signal(tx));
        let dropped = rx.recv_timeout(std::time::Duration::from_secs(60));
        assert!(
            dropped.is_ok(),
            "the dropping thread never dropped the second value"
        );
        assert!(
            done.load(Ordering::SeqCst),
            "the first value was not dropped on the dropping thread"
        );
    }
}
