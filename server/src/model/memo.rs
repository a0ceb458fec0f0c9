//! What a rule found in one entry of the lowering cache (a model of a large schema), kept for the next
//! versions of the file.
//!
//! A rule whose findings in an entry depend on nothing but the entry's text (and a few facts the rule names
//! itself, its `salt`) need not look at that entry again while its text is unchanged: a keystroke in a schema of
//! 1,000 models changes one of them. The memo keeps each result by the rule, the entry's [`EntryKey`] (the
//! same for the same text wherever it is) and the salt, for as long as versions of the file keep using it.
//! Offsets are the rule's business: it keeps them relative to the entry, which may have moved.
//!
//! The memo is shared by every version of one document ([`LowerCache::after`] passes it on) and by nothing
//! else, so a result is never read for a text it was not made from.
//!
//! [`LowerCache::after`]: crate::model::value::LowerCache::after

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::model::value::{EntryKey, WordsBuild};

/// How many versions a result is kept without being used (as the lowering cache keeps its entries: a syntax
/// error can hide the models for a few keystrokes).
const KEEP_UNUSED: u32 = 16;

/// The results of every rule that keeps some, for one document. A rule locks it only to look a result up
/// ([`MemoPass::get`]) and to keep one ([`MemoPass::put`]), not while it computes one.
#[derive(Default)]
pub struct EntryMemo(Mutex<Table>);

type Item = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Table {
    /// The newest version (the lowering cache's generation) that used the table.
    newest: u32,
    /// (the rule, the entry, the salt) -> (the newest version that used it, the result).
    items: HashMap<(&'static str, EntryKey, u64), (u32, Item), WordsBuild>,
}

impl EntryMemo {
    /// Opens the memo for one rule's pass over version `generation` of the file. Results no version used for
    /// [`KEEP_UNUSED`] versions are dropped first. The memo stays locked while the pass holds it.
    pub fn open(&self, generation: u32) -> MemoPass<'_> {
        // a pass that panicked left at worst fewer results: each one is whole
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if newer(generation, table.newest) {
            table.newest = generation;
            table
                .items
                .retain(|_, (used, _)| generation.wrapping_sub(*used) <= KEEP_UNUSED);
        }
        MemoPass { table, generation }
    }

    /// How many results are kept (for tests).
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |t| t.items.len())
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether generation `a` is after `b` (generations wrap around).
fn newer(a: u32, b: u32) -> bool {
    a != b && a.wrapping_sub(b) < u32::MAX / 2
}

/// One rule's pass over one version, holding the memo (see [`EntryMemo::open`]).
pub struct MemoPass<'m> {
    table: MutexGuard<'m, Table>,
    generation: u32,
}

impl MemoPass<'_> {
    /// The result `rule` kept for the entry `key` with `salt`, if any (of type `T`), now marked as used by this
    /// version.
    pub fn get<T: Any + Send + Sync>(
        &mut self,
        rule: &'static str,
        key: EntryKey,
        salt: u64,
    ) -> Option<Arc<T>> {
        let generation = self.generation;
        let (used, item) = self.table.items.get_mut(&(rule, key, salt))?;
        let kept = Arc::clone(item).downcast::<T>().ok()?;
        if newer(generation, *used) {
            *used = generation;
        }
        Some(kept)
    }

    /// Keeps `result` for `rule`, the entry `key` and `salt`, in place of what was kept.
    pub fn put<T: Any + Send + Sync>(
        &mut self,
        rule: &'static str,
        key: EntryKey,
        salt: u64,
        result: T,
    ) -> Arc<T> {
        let made = Arc::new(result);
        self.table
            .items
            .insert((rule, key, salt), (self.generation, made.clone() as Item));
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<EntryKey> {
        use crate::model::file::FileModel;
        use crate::syntax::{parse, Lang};
        // two entries long enough for the lowering cache, with different texts
        let long = |n: &str| format!("{n}: a.model({{ {} }}),", "title: a.string(), ".repeat(20));
        let src = format!("const s = a.schema({{ {} {} }});", long("A"), long("B"));
        let tree = parse(&src, Lang::TypeScript, None).expect("parses");
        let file = FileModel::build_incremental(&tree, &src, Lang::TypeScript, None);
        let crate::model::value::Kind::Call { args, .. } =
            &file.bindings[0].value.as_ref().expect("a value").kind
        else {
            panic!("a call")
        };
        let props = args[0].as_object().expect("an object");
        props
            .iter()
            .map(|p| file.lowered.key_of(p).expect("a cached entry"))
            .collect()
    }

    #[test]
    fn a_result_is_kept_by_rule_entry_and_salt_and_dropped_once_unused() {
        let k = keys();
        assert_eq!(k.len(), 2);
        assert_ne!(k[0], k[1]);
        let memo = EntryMemo::default();
        let mut made = 0;
        let mut get = |generation, rule, key, salt, value: u32| {
            let mut pass = memo.open(generation);
            match pass.get::<u32>(rule, key, salt) {
                Some(kept) => *kept,
                None => {
                    made += 1;
                    *pass.put(rule, key, salt, value)
                }
            }
        };
        assert_eq!(get(1, "r", k[0], 0, 10), 10);
        // kept: not made again
        assert_eq!(get(1, "r", k[0], 0, 11), 10);
        // another entry, salt or rule: made
        assert_eq!(get(1, "r", k[1], 0, 12), 12);
        assert_eq!(get(1, "r", k[0], 1, 13), 13);
        assert_eq!(get(1, "s", k[0], 0, 14), 14);
        // used again by later versions: kept while the others are dropped after KEEP_UNUSED versions
        for g in 2..=KEEP_UNUSED + 2 {
            get(g, "r", k[1], 0, 0);
        }
        assert_eq!(made, 4);
        assert_eq!(memo.len(), 1);
        // a result of another type under the same key is not taken for this one
        assert!(memo
            .open(KEEP_UNUSED + 2)
            .get::<&str>("r", k[1], 0)
            .is_none());
        assert_eq!(
            memo.open(KEEP_UNUSED + 3)
                .get::<u32>("r", k[1], 0)
                .as_deref(),
            Some(&12)
        );
        // an older version's pass neither drops nor makes the used mark older
        assert!(memo.open(1).get::<u32>("r", k[1], 0).is_some());
        assert_eq!(memo.len(), 1);
        for g in KEEP_UNUSED + 4..=2 * KEEP_UNUSED + 3 {
            memo.open(g);
        }
        assert_eq!(
            memo.len(),
            1,
            "kept for KEEP_UNUSED versions after its last use"
        );
        memo.open(2 * KEEP_UNUSED + 4);
        assert!(memo.is_empty());
    }

    #[test]
    fn generations_wrap_around() {
        assert!(newer(0, u32::MAX));
        assert!(newer(5, 3));
        assert!(!newer(3, 5));
        assert!(!newer(3, 3));
    }
}
