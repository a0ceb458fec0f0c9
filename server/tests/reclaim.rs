//! The dropping thread of `amplify_lsp::reclaim`. These tests are a process of their own: they share the one
//! dropping thread and its backlog with every test of their process, and in the library's test binary the
//! document tests let go of models meanwhile. On a loaded machine those filled the backlog while a test here
//! counted on it (two failures in one run of the library's tests, none in isolation).

use amplify_lsp::reclaim::{later, MAX_PENDING};
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;
use std::sync::mpsc::{channel, Sender};
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
