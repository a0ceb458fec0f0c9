//! One thread kept for work done beside other work: while the message loop parses a keystroke in a large schema,
//! it moves the models the edit moved ([`crate::workspace`]'s documents), and while the file model's build lowers
//! the text, it moves the schema's types the same way ([`crate::model`]). Starting a thread for each keystroke
//! cost a good part of the work it took off the way: in a profile of the large replay, the kernel's lock release
//! on waking a thread went from 2.0% to 7.7% of the server's samples.
//!
//! [`start`] hands the work to the thread (started on first use) and returns at once; [`Task::wait`] waits for
//! its result. The work runs in the order it was handed over. Work that panics gives no result and does not stop
//! the thread. When the thread cannot start, or is gone, the work is done at once where it is handed over, so
//! nothing depends on whether it started.
//!
//! Work handed to the thread must not wait for other work handed to it (it would wait for itself).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::sync::OnceLock;

type Job = Box<dyn FnOnce() + Send>;

/// The channel to the thread; `None` when it could not be started.
static HELPER: OnceLock<Option<Sender<Job>>> = OnceLock::new();

/// Work handed to the thread, to wait for.
#[derive(Debug)]
pub struct Task<T>(Receiver<T>);

impl<T> Task<T> {
    /// The result of the work, once it is done; `None` when it panicked.
    pub fn wait(self) -> Option<T> {
        self.0.recv().ok()
    }
}

/// Hands `work` to the thread (see the module's documentation).
pub fn start<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Task<T> {
    let (tx, rx) = sync_channel(1);
    let job: Job = Box::new(move || {
        // (the receiver may be gone: then nobody waits for the result)
        let _ = tx.send(work());
    });
    match helper() {
        Some(helper) => {
            if let Err(back) = helper.send(job) {
                run(back.0);
            }
        }
        None => run(job),
    }
    Task(rx)
}

fn helper() -> Option<&'static Sender<Job>> {
    HELPER
        .get_or_init(|| {
            let (tx, rx) = channel::<Job>();
            std::thread::Builder::new()
                .name("amplify-lsp-help".into())
                .spawn(move || {
                    for job in rx {
                        run(job);
                    }
                })
                .ok()
                .map(|_| tx)
        })
        .as_ref()
}

/// Runs one job; a panic drops its result's sender, so that [`Task::wait`] gives `None`.
fn run(job: Job) {
    let _ = catch_unwind(AssertUnwindSafe(job));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_done_elsewhere_in_order_and_a_panic_gives_no_result() {
        let here = std::thread::current().id();
        let first = start(move || std::thread::current().id() != here);
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<Task<()>> = (0..20)
            .map(|i| {
                let order = order.clone();
                start(move || order.lock().expect("not poisoned").push(i))
            })
            .collect();
        let failed = start(|| -> u32 { panic!("a failing job (expected in this test)") });
        let after = start(|| 7);
        assert_eq!(first.wait(), Some(true), "done on another thread");
        for t in tasks {
            assert_eq!(t.wait(), Some(()));
        }
        assert_eq!(
            *order.lock().expect("not poisoned"),
            (0..20).collect::<Vec<_>>()
        );
        assert_eq!(failed.wait(), None);
        assert_eq!(after.wait(), Some(7), "the thread goes on after a panic");
    }
}
