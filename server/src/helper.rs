//! One thread kept for work done beside other work: while the message loop parses a keystroke in a large schema,
//! it moves the models the edit moved ([`crate::workspace`]'s documents), and while the file model's build lowers
//! the text, it moves the schema's types the same way ([`crate::model`]). Starting a thread for each keystroke
//! cost a good part of the work it took off the way: in a profile of the large replay, the kernel's lock release
//! on waking a thread went from 2.0% to 7.7% of the server's samples.
//!
//! [`start_in_pieces`] hands the work to the thread (started on first use) and returns at once; [`Task::wait`]
//! waits for its result. The work runs in the order it was handed over. Work that panics gives no result and does
//! not stop the thread. When the thread cannot start, or is gone, the work is done at once where it is handed
//! over, so nothing depends on whether it started.
//!
//! Work handed to the thread must not wait for other work handed to it (it would wait for itself).
//!
//! Work that is many like items is split into [`Pieces`]: the work offers them to whoever waits for it
//! ([`Offer::pieces`]), and [`Task::wait`] does pieces beside it instead of idling. The server runs on two cores,
//! and the caller waits for the moves with its own work done (the parse, the lowering): two threads then move the
//! rest of the models.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// The channel to the thread; `None` when it could not be started.
static HELPER: OnceLock<Option<Sender<Job>>> = OnceLock::new();

/// What the thread tells the one waiting for a task: pieces of it to do as well, or its result.
enum Message<T> {
    Help(Arc<dyn Help>),
    Done(T),
}

/// Work handed to the thread, to wait for.
pub struct Task<T>(Receiver<Message<T>>);

impl<T> std::fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Task")
    }
}

impl<T> Task<T> {
    /// The result of the work, once it is done; `None` when it panicked. Meanwhile it does the pieces of the
    /// work the thread offers ([`Offer`]).
    pub fn wait(self) -> Option<T> {
        loop {
            match self.0.recv().ok()? {
                Message::Help(pieces) => pieces.help(),
                Message::Done(result) => return Some(result),
            }
        }
    }
}

/// What work handed over with [`start_in_pieces`] offers to the one waiting for it.
pub struct Offer<T>(Sender<Message<T>>);

impl<T> Offer<T> {
    /// Offers `pieces` to the thread waiting for the task (if one does, or will): it does those not taken yet.
    /// Nothing is offered when there are none (a wake-up for nothing).
    pub fn pieces(&self, pieces: Arc<dyn Help>) {
        if !pieces.is_empty() {
            let _ = self.0.send(Message::Help(pieces));
        }
    }
}

/// Hands `work` to the thread (see the module's documentation); it may offer pieces of itself to the one
/// waiting for it ([`Offer::pieces`]).
pub fn start_in_pieces<T: Send + 'static>(
    work: impl FnOnce(&Offer<T>) -> T + Send + 'static,
) -> Task<T> {
    let (tx, rx) = channel();
    let job: Job = Box::new(move || {
        let offer = Offer(tx);
        let result = work(&offer);
        // (the receiver may be gone: then nobody waits for the result)
        let _ = offer.0.send(Message::Done(result));
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

/// Work a waiting thread can take a share of ([`Offer::pieces`]).
pub trait Help: Send + Sync {
    /// Does the pieces not taken yet.
    fn help(&self);
    /// Whether there is nothing to do.
    fn is_empty(&self) -> bool;
}

/// How many items make one of [`Pieces`]' pieces: small enough that two threads finish together, large enough
/// that taking one costs nothing beside its work.
const PIECE: usize = 16;

/// Items to do `each` to, split into pieces that any thread may take ([`Pieces::help`]); the work's own thread
/// then waits for the pieces others took and gets the items back in order ([`Pieces::finish`]).
pub struct Pieces<T> {
    pieces: Box<[Mutex<Piece<T>>]>,
    each: fn(&mut T),
}

struct Piece<T> {
    done: bool,
    items: Vec<T>,
}

impl<T> Piece<T> {
    fn run(&mut self, each: fn(&mut T)) {
        if !self.done {
            self.items.iter_mut().for_each(each);
            self.done = true;
        }
    }
}

impl<T: Send> Pieces<T> {
    pub fn new(items: Vec<T>, each: fn(&mut T)) -> Arc<Pieces<T>> {
        let mut pieces = Vec::with_capacity(items.len().div_ceil(PIECE));
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            pieces.push(Mutex::new(Piece {
                done: false,
                items: items.by_ref().take(PIECE).collect(),
            }));
        }
        Arc::new(Pieces {
            pieces: pieces.into(),
            each,
        })
    }

    /// Does the pieces, waits for those another thread is doing, and gives back every item, in order. `None`
    /// when the work of a piece panicked (its items are in no known state).
    pub fn finish(&self) -> Option<Vec<T>> {
        self.help();
        let mut all = Vec::new();
        for piece in self.pieces.iter() {
            let mut piece = piece.lock().ok()?;
            piece.run(self.each);
            all.append(&mut piece.items);
        }
        Some(all)
    }
}

impl<T: Send> Help for Pieces<T> {
    fn help(&self) {
        for piece in self.pieces.iter() {
            // a piece another thread is doing is left to it; one whose work panicked, to `finish`
            if let Ok(mut piece) = piece.try_lock() {
                piece.run(self.each);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }
}

/// Takes out of `table` the items `delta_of` gives a delta other than 0, does `each` to them in [`Pieces`] offered
/// to the one waiting (`offer`, see [`Offer::pieces`]), and puts them back: the moves ahead of the build, of
/// lowered entries and of schema types, by the delta each is moved by. `each` sets the delta it moved an item
/// by to 0 (and leaves it when it could not move it, as when something else holds the item). Returns how many
/// it moved, or `None` when the work of a piece panicked: the items being moved are then gone from `table`.
pub fn move_in_pieces<K, V, S>(
    table: &mut std::collections::HashMap<K, V, S>,
    delta_of: impl Fn(&K, &V) -> Option<isize>,
    each: fn(&mut (K, V, isize)),
    offer: &dyn Fn(Arc<dyn Help>),
) -> Option<usize>
where
    K: Eq + std::hash::Hash + Send + 'static,
    V: Send + 'static,
    S: std::hash::BuildHasher,
{
    let mut moving = Vec::new();
    let mut staying = Vec::with_capacity(table.len());
    for (key, value) in table.drain() {
        match delta_of(&key, &value) {
            Some(delta) if delta != 0 => moving.push((key, value, delta)),
            _ => staying.push((key, value)),
        }
    }
    // (the drained table keeps its room)
    table.extend(staying);
    let pieces = Pieces::new(moving, each);
    offer(pieces.clone());
    let mut moved = 0;
    for (key, value, left) in pieces.finish()? {
        moved += usize::from(left == 0);
        table.insert(key, value);
    }
    Some(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_done_elsewhere_in_order_and_a_panic_gives_no_result() {
        let here = std::thread::current().id();
        let first = start_in_pieces(move |_| std::thread::current().id() != here);
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<Task<()>> = (0..20)
            .map(|i| {
                let order = order.clone();
                start_in_pieces(move |_| order.lock().expect("not poisoned").push(i))
            })
            .collect();
        let failed =
            start_in_pieces(|_| -> u32 { panic!("a failing job (expected in this test)") });
        let after = start_in_pieces(|_| 7);
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

    /// Each item records the threads that did it.
    fn mark(item: &mut (u32, Vec<std::thread::ThreadId>)) {
        item.1.push(std::thread::current().id());
    }

    fn items(n: u32) -> Vec<(u32, Vec<std::thread::ThreadId>)> {
        (0..n).map(|i| (i, Vec::new())).collect()
    }

    #[test]
    fn pieces_are_done_once_each_by_whichever_thread_takes_them_and_come_back_in_order() {
        let pieces = Pieces::new(items(100), mark);
        let other = std::thread::scope(|s| {
            s.spawn(|| {
                pieces.help();
                std::thread::current().id()
            })
            .join()
            .expect("no panic")
        });
        let all = pieces.finish().expect("no piece panicked");
        assert_eq!(
            all.iter().map(|i| i.0).collect::<Vec<_>>(),
            (0..100).collect::<Vec<_>>()
        );
        // the other thread took every piece before this one finished: nothing is done twice
        assert!(all.iter().all(|i| i.1 == [other]), "{all:?}");
        // with nobody helping, the work's own thread does them all
        let alone = Pieces::new(items(40), mark).finish().expect("no panic");
        let here = std::thread::current().id();
        assert!(alone.iter().all(|i| i.1 == [here]));
        assert!(Pieces::new(items(0), mark)
            .finish()
            .expect("no panic")
            .is_empty());
        // (none is offered: `Offer::pieces` leaves the waiter asleep)
        assert!(Pieces::new(items(0), mark).is_empty());
        assert!(!Pieces::new(items(1), mark).is_empty());
    }

    #[test]
    fn a_piece_taken_elsewhere_is_waited_for_and_one_that_panicked_fails_the_finish() {
        let pieces = Pieces::new(items(2 * PIECE as u32), mark);
        let (taken, release) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
        let all = std::thread::scope(|s| {
            s.spawn(|| {
                let mut first = pieces.pieces[0].lock().expect("not poisoned");
                taken.wait();
                release.wait();
                first.run(mark);
            });
            taken.wait();
            // this thread does the second piece and leaves the first to the thread holding it
            pieces.help();
            assert!(pieces.pieces[1].lock().expect("not poisoned").done);
            assert!(!pieces.pieces[0].try_lock().is_ok_and(|p| p.done));
            release.wait();
            pieces.finish()
        });
        let all = all.expect("no panic");
        assert_eq!(all.len(), 2 * PIECE);
        assert!(all.iter().all(|i| i.1.len() == 1), "each done once");
        assert_ne!(all[0].1, all[PIECE].1, "by two threads");

        fn fail(item: &mut u32) {
            if *item == 3 {
                panic!("a failing piece (expected in this test)");
            }
        }
        let failing = Pieces::new((0..40).collect(), fail);
        let panicked = std::thread::scope(|s| s.spawn(|| failing.help()).join().is_err());
        assert!(panicked);
        assert!(
            failing.finish().is_none(),
            "its items are in no known state"
        );
    }

    #[test]
    fn the_waiter_does_the_pieces_the_work_offers() {
        let task = start_in_pieces(|offer| {
            let pieces = Pieces::new(items(64), mark);
            offer.pieces(pieces.clone());
            pieces.finish()
        });
        let all = task.wait().flatten().expect("done");
        assert_eq!(all.len(), 64);
        assert!(all.iter().all(|i| i.1.len() == 1), "each done once");
    }
}
