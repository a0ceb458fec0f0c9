//! Freeing large values away from the message loop. Dropping the file model of a 12,000-line schema frees
//! hundreds of thousands of small allocations (about 3 ms), and freeing its 447 KB text makes the allocator
//! consolidate its free lists; done where an edit is applied, both would sit between a keystroke and its
//! diagnostics. [`later`] hands such a value to a thread of its own that drops it.
//!
//! Freeing is never what a user waits for, so the thread runs at the lowest scheduling priority (on Linux, see
//! [`lowest_priority`]): on a machine whose cores are all busy with a keystroke's analysis or a completion, it
//! frees in the gaps instead of taking a core from them. So that memory stays bounded when there are no gaps, at most
//! [`MAX_PENDING`] values wait: past that, a value is dropped where it is let go of, as without this thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::OnceLock;

type Garbage = Box<dyn Send>;

/// The channel to the dropping thread; `None` when the thread could not be started (values are then dropped
/// where they are let go of, as usual).
static BIN: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();

/// How many values are waiting to be dropped.
static PENDING: AtomicUsize = AtomicUsize::new(0);

/// The most values waiting to be dropped. A keystroke in a large schema lets go of a few (its earlier version's
/// model, caches and text): this is the garbage of about ten keystrokes.
pub const MAX_PENDING: usize = 32;

/// Drops `value` on the dropping thread (started on first use), or here when [`MAX_PENDING`] values already wait.
pub fn later<T: Send + 'static>(value: T) {
    let bin = BIN.get_or_init(|| {
        let (tx, rx) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("amplify-lsp-free".into())
            .spawn(move || {
                lowest_priority();
                for garbage in rx {
                    drop(garbage);
                    PENDING.fetch_sub(1, Ordering::AcqRel);
                }
            })
            .ok()
            .map(|_| tx)
    });
    match bin {
        Some(tx) if PENDING.fetch_add(1, Ordering::AcqRel) < MAX_PENDING => {
            // the thread is gone only if dropping panicked there: then drop here
            if let Err(back) = tx.send(Box::new(value)) {
                PENDING.fetch_sub(1, Ordering::AcqRel);
                drop(back.0);
            }
        }
        Some(_) => {
            PENDING.fetch_sub(1, Ordering::AcqRel);
            drop(value);
        }
        None => drop(value),
    }
}

/// Gives the calling thread the lowest scheduling priority: on Linux the idle policy (`SCHED_IDLE`: it runs only on
/// a core nothing else wants, and a thread that wakes up takes the core from it at once), else nice 19 (both are
/// per thread there). Elsewhere this does nothing. A failure leaves the priority as it was, which only costs
/// speed.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `sched_setscheduler(0, ..)` and `setpriority` on the calling thread's id change only that thread's
    // scheduling; both report failure through their return value, and `param` outlives the call.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            let tid = libc::gettid();
            let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::mpsc::Receiver;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// The tests share the one dropping thread and its count: they take turns.
    static TURN: Mutex<()> = Mutex::new(());

    /// Records, when dropped, whether that was on another thread than the one that made it.
    struct Flag(Arc<AtomicBool>, std::thread::ThreadId);

    impl Drop for Flag {
        fn drop(&mut self) {
            let elsewhere = std::thread::current().id() != self.1;
            self.0.store(elsewhere, Ordering::SeqCst);
        }
    }

    fn flag() -> (Arc<AtomicBool>, Flag) {
        let f = Arc::new(AtomicBool::new(false));
        (f.clone(), Flag(f, std::thread::current().id()))
    }

    /// Sends on its channel when dropped.
    struct Signal(Sender<()>);
    impl Drop for Signal {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }

    /// Holds the dropping thread in its drop until its receiver gets a message (or is gone).
    struct Gate {
        entered: Sender<()>,
        open: Receiver<()>,
    }
    impl Drop for Gate {
        fn drop(&mut self) {
            let _ = self.entered.send(());
            let _ = self.open.recv_timeout(Duration::from_secs(60));
        }
    }

    const WAIT: Duration = Duration::from_secs(60);

    #[test]
    fn values_are_dropped_on_another_thread() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let (done, f) = flag();
        later(f);
        // bounded by work, not time: the thread drops in order, so a second value's drop follows the first
        let (tx, rx) = channel();
        later(Signal(tx));
        assert!(
            rx.recv_timeout(WAIT).is_ok(),
            "the dropping thread never dropped the second value"
        );
        assert!(
            done.load(Ordering::SeqCst),
            "the first value was not dropped on the dropping thread"
        );
    }

    #[test]
    fn past_the_backlog_bound_values_are_dropped_where_they_are_let_go_of() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        // hold the dropping thread
        let (entered_tx, entered) = channel();
        let (open, open_rx) = channel();
        later(Gate {
            entered: entered_tx,
            open: open_rx,
        });
        assert!(
            entered.recv_timeout(WAIT).is_ok(),
            "the gate was never dropped"
        );
        // let go of values until one is dropped at once, on this thread: the backlog is full then (other tests
        // of this process may let go of values meanwhile, so its length is not counted here)
        let (tx, drained) = channel();
        let mut queued = Vec::new();
        let mut dropped_here = false;
        for _ in 0..=MAX_PENDING {
            let (done, f) = flag();
            let here = Arc::new(AtomicBool::new(false));
            later((
                f,
                Here(here.clone(), std::thread::current().id()),
                Signal(tx.clone()),
            ));
            if here.load(Ordering::SeqCst) {
                assert!(!done.load(Ordering::SeqCst));
                dropped_here = true;
                break;
            }
            queued.push(done);
        }
        assert!(dropped_here, "nothing was dropped at once");
        assert!(!queued.is_empty() && queued.len() < MAX_PENDING);
        // none of the queued values was dropped while the thread was held
        assert!(queued.iter().all(|d| !d.load(Ordering::SeqCst)));
        // let the thread go: it drops the queued values, on itself
        let _ = open.send(());
        for _ in &queued {
            assert!(
                drained.recv_timeout(WAIT).is_ok(),
                "the backlog was never dropped"
            );
        }
        // the signal of the value dropped here came first: one more than the queued ones
        assert!(drained.recv_timeout(WAIT).is_ok());
        assert!(queued.iter().all(|d| d.load(Ordering::SeqCst)));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_dropping_thread_yields_to_every_other() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        /// Sends the scheduling policy and nice value of the thread that drops it.
        struct Policy(Sender<(i32, i32)>);
        impl Drop for Policy {
            fn drop(&mut self) {
                // SAFETY: both calls only read the calling thread's scheduling
                let got = unsafe {
                    (
                        libc::sched_getscheduler(0),
                        libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t),
                    )
                };
                let _ = self.0.send(got);
            }
        }
        let (tx, rx) = channel();
        later(Policy(tx));
        let (policy, nice) = rx.recv_timeout(WAIT).expect("never dropped");
        assert!(
            policy == libc::SCHED_IDLE || nice == 19,
            "policy {policy}, nice {nice}"
        );
    }

    /// Records, when dropped, whether that was on the thread that made it.
    struct Here(Arc<AtomicBool>, std::thread::ThreadId);
    impl Drop for Here {
        fn drop(&mut self) {
            self.0
                .store(std::thread::current().id() == self.1, Ordering::SeqCst);
        }
    }
}
