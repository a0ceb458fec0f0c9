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

// The tests are in `server/tests/reclaim.rs`: a process of their own, whose only values let go of are theirs.
